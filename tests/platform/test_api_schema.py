"""The OpenAPI schema says what the API answers: schemathesis tries every operation as every role (X-4, API-1)."""

import json

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from werkzeug import Client

from tests.factories import ActivationCodeFactory, CertificateFactory, UserFactory

pytestmark = pytest.mark.django_db

CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance, content_type_conformance]

# Bounded and repeatable: a few derandomised examples per operation and persona, no shrinking.
BOUNDED = settings(
    max_examples=4,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)

CONFIG = schemathesis.Config.from_dict(
    {
        "generation": {"mode": "all", "max-examples": 4, "deterministic": True, "no-shrink": True},
        "seed": 8,
        "phases": {"coverage": {"enabled": False}},
    }
)

ID_NUMBER = "430102199001011234"


def _persona(name):
    """Each role the API serves; the doctors have records, so activation and me/records have data to show."""
    if name == "anonymous":
        return None
    if name == "activated_doctor":
        doctor = UserFactory(activated=True, email="active@example.com", email_verified_at=None)
        CertificateFactory(real_name=doctor.real_name)
        return doctor
    if name == "unactivated_doctor":
        doctor = UserFactory(phone_verified=True, email="new@example.com")
        ActivationCodeFactory(doctor=doctor)
        return doctor
    if name == "officer":
        return UserFactory(officer=True)
    if name == "reviewer":
        return UserFactory(reviewer=True)
    return UserFactory(is_superuser=True, is_staff=True)


@pytest.fixture(
    params=["anonymous", "activated_doctor", "unactivated_doctor", "officer", "reviewer", "superuser"]
)
def persona(request, db):
    return _persona(request.param)


@pytest.fixture
def wsgi_keeps_the_test_transaction():
    # Django's test client does the same: the test's transaction must outlive each request.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _served_schema():
    """The schema the API itself serves at /api/schema/, loaded once at collection.

    Loaded as a document rather than with `from_wsgi`, which leaves out the operation the schema came
    from: /api/schema/ is an operation of the API like the others.
    """
    app = WSGIHandler()
    response = Client(app).get("/api/schema/?format=json")
    assert response.status_code == 200, response.status_code
    loaded = schemathesis.openapi.from_dict(json.loads(response.get_data()), config=CONFIG)
    loaded.app = app
    return loaded


# Each operation becomes one test per persona.
schema = _served_schema()


@schema.parametrize()
@BOUNDED
def test_every_operation_answers_as_documented(case, persona, wsgi_keeps_the_test_transaction):
    """X-4 / API-1: no 500 and every answer (status, content type, body) matches the schema, per role."""
    headers = {}
    if persona is not None:
        # A fresh token per call: logout/ or a password reset may have deleted the previous one.
        headers["Authorization"] = f"Token {Token.objects.get_or_create(user=persona)[0].key}"
    case.call_and_validate(headers=headers, checks=CHECKS)


def test_the_schema_validates_as_openapi_3():
    """API-1: `spectacular --validate --fail-on-warn` accepts the schema the API serves."""
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")
