"""ACC-5 over /api/v1/accounts/activation/ (API-1): state, the three paths, JSON errors."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import ActivationPath, User
from tests.factories import (
    ActivationCodeFactory,
    CertificateFactory,
    ExamResultFactory,
    InstitutionFactory,
    PracticeRecordFactory,
    UserFactory,
    make_resident_id,
)

pytestmark = pytest.mark.django_db

ID = make_resident_id(seq="333")
BASE = "/api/v1/accounts/activation/"


def client_for(user):
    client = APIClient()
    token, _created = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def registered():
    user = UserFactory(real_name="王芳", id_number=ID, phone_verified=True)
    hospital = InstitutionFactory(name="芙蓉医院")
    PracticeRecordFactory(real_name="王芳", id_number=ID, main_institution=hospital)
    return user, hospital


def test_state_names_the_institution_for_path_a(registered):
    """ACC-5a: GET tells a registered doctor to use the code of their institution."""
    user, _hospital = registered
    data = client_for(user).get(BASE).json()
    assert data["activated"] is False and data["may_activate"] is True
    assert data["paths"] == ["code", "approval"] and data["institution"] == "芙蓉医院"


def test_state_of_an_unchecked_doctor_gives_the_next_step():
    """ACC-5: not checked → may_activate false and the next step is the check."""
    user = UserFactory(real_name="王芳", id_number=ID)
    data = client_for(user).get(BASE).json()
    assert data["may_activate"] is False and data["next_step"]["url"] == "/accounts/check/"


def test_code_path(registered):
    """ACC-5a: POST code/ activates; the answer is the new state."""
    user, hospital = registered
    ActivationCodeFactory(doctor=user, institution=hospital, code="APIC2345")
    response = client_for(user).post(BASE + "code/", {"code": "apic2345"}, format="json")
    assert response.status_code == 200
    assert response.json()["activated"] is True
    assert User.objects.get(pk=user.pk).activation_path == ActivationPath.INSTITUTION_CODE


def test_wrong_code_is_a_json_error(registered):
    """API-1: a wrong code → 400 with field, code and the Chinese message."""
    user, _hospital = registered
    response = client_for(user).post(BASE + "code/", {"code": "NOPE2345"}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "errors": [{"field": "code", "code": "code_invalid", "message": "激活码不正确，请核对后重新输入。"}]
    }


def test_missing_field_is_a_json_error(registered):
    """API-1: a missing field is reported on that field."""
    user, _hospital = registered
    response = client_for(user).post(BASE + "certificate/", {}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "number"


def test_certificate_and_ticket_paths():
    """ACC-5b/c over the API."""
    user = UserFactory(real_name="王芳", id_number=ID, phone_verified=True)
    cert = CertificateFactory(real_name="王芳", id_number=ID)
    assert client_for(user).get(BASE).json()["paths"] == ["certificate", "approval"]
    response = client_for(user).post(BASE + "certificate/", {"number": cert.number}, format="json")
    assert response.status_code == 200 and response.json()["activation_path"] == "certificate"

    other = UserFactory(real_name="李雷", id_number=make_resident_id(seq="444"), phone_verified=True)
    failed = ExamResultFactory(real_name="李雷", id_number=other.id_number, passed=False)
    response = client_for(other).post(BASE + "ticket/", {"ticket": failed.admission_ticket}, format="json")
    assert response.status_code == 400 and response.json()["errors"][0]["code"] == "exam_not_passed"


def test_already_activated_is_409():
    """ACC-5: activating an active account → 409 already_activated."""
    user = UserFactory(activated=True)
    response = client_for(user).post(BASE + "code/", {"code": "ABCDEFGH"}, format="json")
    assert response.status_code == 409 and response.json()["errors"][0]["code"] == "already_activated"


def test_anonymous_and_officers_refused():
    """API-1: anonymous 401/403; an officer 403."""
    assert APIClient().get(BASE).status_code in (401, 403)
    officer = UserFactory(officer=True)
    assert client_for(officer).get(BASE).status_code == 403


def test_eleventh_attempt_is_429(registered):
    """ACC-5: brute force over the API stops at 10 attempts a day."""
    user, _hospital = registered
    client = client_for(user)
    for _i in range(10):
        assert client.post(BASE + "code/", {"code": "WRONG234"}, format="json").status_code == 400
    response = client.post(BASE + "code/", {"code": "WRONG234"}, format="json")
    assert response.status_code == 429 and response.json()["errors"][0]["code"] == "attempts_exhausted"
