"""The OpenAPI schema says what the API answers: schemathesis tries every operation as every role (X-4, API-1)."""

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, Phase, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories import (
    ActivationCodeFactory,
    CertificateFactory,
    ExamResultFactory,
    PracticeRecordFactory,
    UserFactory,
    make_resident_id,
)

from .apischema import served_schema

pytestmark = pytest.mark.django_db

CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance, content_type_conformance]

# Bounded (about a minute of CPU for the module) and repeatable: few derandomised examples, no shrinking.
BOUNDED = settings(
    max_examples=4,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)

PERSONAS = ["anonymous", "activated_doctor", "unactivated_doctor", "officer", "reviewer", "superuser"]


def _persona(name):
    """Each role the API serves; the doctors hold records, so the record and activation answers are full."""
    if name == "anonymous":
        return None
    if name == "activated_doctor":
        number = make_resident_id(seq="101")
        doctor = UserFactory(activated=True, real_name="李四", id_number=number, email="active@example.com")
        CertificateFactory(real_name="李四", id_number=number)  # no issue date: the schema says nullable
        ExamResultFactory(real_name="李四", id_number=number)
        PracticeRecordFactory(real_name="李四", id_number=number, approval_date=None)
        return doctor
    if name == "unactivated_doctor":
        number = make_resident_id(seq="102")
        doctor = UserFactory(phone_verified=True, real_name="王芳", id_number=number, email="new@example.com")
        record = PracticeRecordFactory(real_name="王芳", id_number=number)
        ActivationCodeFactory(doctor=doctor, institution=record.main_institution)
        return doctor
    if name == "officer":
        return UserFactory(officer=True)
    if name == "reviewer":
        return UserFactory(reviewer=True)
    return UserFactory(is_superuser=True, is_staff=True)


@pytest.fixture(params=PERSONAS)
def persona(request, db):
    return _persona(request.param)


# Loaded at collection: each operation of the schema becomes one test per persona.
schema = served_schema()


@schema.parametrize()
@BOUNDED
def test_every_operation_answers_as_documented(case, persona, wsgi_keeps_the_test_transaction):
    """X-4 / API-1: no 500, and every answer's status, content type and body match the schema, per role."""
    headers = {}
    if persona is not None:
        # A fresh token per call: logout/ deletes the previous one.
        headers["Authorization"] = f"Token {Token.objects.get_or_create(user=persona)[0].key}"
    # call_and_validate raises on any failed check (server error, response schema, status, content type).
    response = case.call_and_validate(headers=headers, checks=CHECKS)
    assert response.status_code < 500


def test_the_schema_validates_as_openapi_3():
    """API-1: `spectacular --validate --fail-on-warn` accepts the schema the API serves."""
    # --fail-on-warn turns any validation error or warning into a CommandError, failing the test.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")
