"""Scenarios of the authority's side (APP-1, APP-2): an application of X agreed and routed to 芙蓉区."""

import pytest

from registrations.services.applications import application_agree, application_file
from tests import personas
from tests.applications import new_passer, registration_draft, route


def agreed_registration(officer, *, real_name: str = "周新"):
    """A new passer's 注册 at X, filed and agreed by X's officer: awaiting 芙蓉区's reviewers (卫健委审批中)."""
    x = personas.institution(personas.X)
    route(x)  # 芙蓉区's health commission, the county_reviewer's authority
    doctor = new_passer(real_name=real_name)
    application = application_file(doctor=doctor, draft=registration_draft(institution=x))
    return application_agree(officer=officer, application_id=application.pk)


@pytest.fixture
def agreed(officer_x, county_reviewer):
    return agreed_registration(officer_x)


@pytest.fixture
def csrf_client(client):
    """A client that enforces CSRF like a browser: tests fetch the token from a page first."""
    client.handler.enforce_csrf_checks = True
    return client


def csrf_token(client) -> str:
    from django.conf import settings

    return client.cookies[settings.CSRF_COOKIE_NAME].value
