"""INS-1 / API-1: every /api/v1/institution/ operation lets in exactly the officers the console's pages let in."""

import re

import pytest
from rest_framework.test import APIClient

from tests.factories import OfficerFactory
from tests.matrix_support import api_operations

pytestmark = pytest.mark.django_db

INSTITUTION_OPERATIONS = [(m, p) for m, p in api_operations() if p.startswith("/api/v1/institution/")]


def test_the_institution_api_has_operations_to_check():
    assert len(INSTITUTION_OPERATIONS) >= 20


@pytest.mark.parametrize("method,path", INSTITUTION_OPERATIONS)
def test_an_officer_still_holding_the_initial_password_is_refused_everywhere(method, path):
    """INS-1: until the SMS'd initial password is replaced, no institution data by API either (403)."""
    officer = OfficerFactory(must_change_password=True)
    client = APIClient()
    client.force_authenticate(officer)
    concrete = re.sub(r"\{[a-z_]+\}", "1", path)  # every path parameter ({id}, {attachment_id} …)
    response = getattr(client, method.lower())(concrete, {}, format="json")
    assert response.status_code == 403, (method, path, response.status_code)
