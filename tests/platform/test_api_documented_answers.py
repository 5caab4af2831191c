"""Answers schemathesis rarely reaches, checked against the served schema one by one (API-1, X-4)."""

import json

import pytest
from rest_framework.authtoken.models import Token
from werkzeug import Client

from accounts.models import User
from tests.factories import CertificateFactory, PracticeRecordFactory, UserFactory, make_resident_id
from tests.matrix_areas import AREAS

from .apischema import served_schema

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("wsgi_keeps_the_test_transaction")]

SCHEMA = served_schema()
API = "/api/v1/accounts/"
CAPTCHA = {"captcha_key": "k", "captcha_value": "PASSED"}

# Every operation and the statuses it documents: what it answers when it works, plus the refusals
# it can really give. A new operation fails here until someone says what it answers.
DOCUMENTED = {
    ("GET", "/api/schema/"): {200, 403, 404},
    ("GET", f"{API}activation/"): {200, 403},
    ("POST", f"{API}activation/certificate/"): {200, 400, 403, 409, 413, 415, 429},
    ("POST", f"{API}activation/code/"): {200, 400, 403, 409, 413, 415, 429},
    ("POST", f"{API}activation/ticket/"): {200, 400, 403, 409, 413, 415, 429},
    ("GET", f"{API}captcha/"): {200},
    ("GET", f"{API}check/"): {200, 403},
    ("POST", f"{API}check/"): {200, 400, 403, 413, 415},
    ("POST", f"{API}email/change/confirm/"): {200, 400, 403, 413, 415},
    ("POST", f"{API}email/change/send/"): {202, 400, 403, 413, 415, 429},
    ("POST", f"{API}email/confirm/"): {200, 400, 403, 413, 415},
    ("POST", f"{API}email/send/"): {202, 400, 403, 413, 415, 429},
    ("PUT", f"{API}identity/"): {200, 400, 403, 409, 413, 415},
    ("POST", f"{API}logout/"): {204, 403},
    ("GET", f"{API}me/"): {200, 403},
    ("GET", f"{API}me/records/"): {200, 403},
    ("POST", f"{API}password/"): {200, 400, 403, 413, 415, 429},
    ("POST", f"{API}phone/change/confirm/"): {200, 400, 403, 413, 415},
    ("POST", f"{API}phone/change/send/"): {202, 400, 403, 413, 415, 429},
    ("POST", f"{API}phone/confirm/"): {200, 400, 403, 413, 415},
    ("POST", f"{API}phone/send/"): {202, 400, 403, 413, 415, 429},
    ("POST", f"{API}recover/email/confirm/"): {200, 400, 413, 415},
    ("POST", f"{API}recover/email/send/"): {200, 400, 413, 415, 429},
    ("POST", f"{API}recover/password/"): {200, 400, 413, 415},
    ("POST", f"{API}recover/personal/"): {200, 400, 413, 415, 429},
    ("POST", f"{API}recover/phone/confirm/"): {200, 400, 413, 415},
    ("POST", f"{API}recover/phone/send/"): {200, 400, 413, 415, 429},
    ("POST", f"{API}signup/"): {201, 400, 403, 409, 413, 415},
    ("POST", f"{API}token/"): {200, 400, 413, 415, 429},
}
for _area in AREAS:  # each console area documents its own operations (tests/matrix_areas/<area>.py)
    assert not set(DOCUMENTED) & set(_area.DOCUMENTED), f"{_area.__name__} redefines an operation"
    DOCUMENTED.update(_area.DOCUMENTED)


def call(method, path, *, user=None, body=None, **kwargs):
    """Call the API in-process and fail unless the status is documented and the answer matches its schema."""
    headers = {"Authorization": f"Token {Token.objects.get_or_create(user=user)[0].key}"} if user else {}
    if body is not None:
        kwargs.update(data=json.dumps(body), content_type="application/json")
    response = Client(SCHEMA.app).open(path, method=method, headers=headers, **kwargs)
    documented = SCHEMA.raw_schema["paths"][path][method.lower()]["responses"].get(str(response.status_code))
    assert documented is not None, f"{method} {path} answered an undocumented {response.status_code}"
    if response.get_data():
        assert "content" in documented, f"{method} {path} answered a body documented as empty"
    SCHEMA[path][method].validate_response(response)
    return response.status_code, json.loads(response.get_data() or b"null")


# Answers every operation documents (docregsys.openapi): 405 another verb, 406 an Accept it cannot satisfy,
# and 401 an expired token (every operation that reads tokens). Checked below once for all, not per row.
EVERY_OPERATION = {405, 406}
TOKEN_EXPIRED = 401


def _served():
    return {
        (method.upper(), path): {int(status) for status in operation["responses"]}
        for path, item in SCHEMA.raw_schema["paths"].items()
        for method, operation in item.items()
    }


def test_every_operation_documents_exactly_the_answers_it_gives():
    """API-1: the statuses of each operation are those of the table above, and no operation is missing."""
    generic = {*EVERY_OPERATION, TOKEN_EXPIRED}
    served = {operation: statuses - generic for operation, statuses in _served().items()}
    assert served == {operation: statuses - generic for operation, statuses in DOCUMENTED.items()}


def test_every_operation_documents_405_and_406_and_token_operations_401():
    """API-1: 405 and 406 everywhere; 401 exactly where the view reads tokens (the anonymous-only
    operations — token login, captcha, recovery, public checks — read none)."""
    import re

    from django.urls import resolve

    from docregsys.authentication import ExpiringTokenAuthentication

    served = _served()
    assert all(EVERY_OPERATION <= statuses for statuses in served.values())
    for (method, path), statuses in served.items():
        match = resolve(re.sub(r"\{[^}]+\}", "1", path))
        view_class = getattr(match.func, "cls", None) or getattr(match.func, "view_class", None)
        classes = getattr(view_class, "authentication_classes", None) or []
        reads_tokens = any(issubclass(c, ExpiringTokenAuthentication) for c in classes)
        assert (TOKEN_EXPIRED in statuses) == reads_tokens, f"{method} {path}"


def test_an_unacceptable_accept_header_is_the_documented_406():
    """API-1: Accept: application/xml → 406 in the errors shape, on any operation."""
    response = Client(SCHEMA.app).get("/api/v1/accounts/me/", headers={"Accept": "application/xml"})
    assert response.status_code == 406
    documented = SCHEMA.raw_schema["paths"]["/api/v1/accounts/me/"]["get"]["responses"]["406"]
    assert "content" in documented
    assert json.loads(response.get_data())["errors"][0]["code"] == "not_acceptable"


def test_another_verb_is_the_documented_405():
    """API-1: DELETE on a path that only reads → 405 in the errors shape, as its operations document."""
    user = UserFactory(activated=True)
    status, body = call("GET", "/api/v1/accounts/me/", user=user)
    assert status == 200
    token = Token.objects.get(user=user).key
    response = Client(SCHEMA.app).delete("/api/v1/accounts/me/", headers={"Authorization": f"Token {token}"})
    assert response.status_code == 405
    assert json.loads(response.get_data())["errors"][0]["code"] == "method_not_allowed"


# FHIR's own error resource under /api/v1/fhir/ (API-2): clients of a FHIR server expect OperationOutcome.
FHIR_PATHS, FHIR_ERRORS = "/api/v1/fhir/", {"$ref": "#/components/schemas/FhirOperationOutcome"}


def test_every_error_answer_is_documented_in_the_errors_shape():
    """API-1: each 4xx of each operation is {"errors": [{"field", "code", "message"}]}, field nullable
    (an OperationOutcome under /api/v1/fhir/)."""
    for path, item in SCHEMA.raw_schema["paths"].items():
        errors = FHIR_ERRORS if path.startswith(FHIR_PATHS) else {"$ref": "#/components/schemas/Errors"}
        for method, operation in item.items():
            for status, response in operation["responses"].items():
                if status.startswith("4"):
                    for media in response["content"].values():
                        assert media["schema"] == errors, (
                            method,
                            path,
                            status,
                        )
    error = SCHEMA.raw_schema["components"]["schemas"]["Error"]
    assert error["properties"]["field"]["nullable"] is True
    assert set(error["required"]) == {"field", "code", "message"}


def test_profile_of_an_unactivated_account_answers_null_activated_at_as_documented():
    """ACC-8 / API-1: me/ of an account not yet activated says "activated_at": null, which the schema allows."""
    doctor = UserFactory(checked=True)
    status, body = call("GET", f"{API}me/", user=doctor)
    assert status == 200 and body["activated_at"] is None and body["activated"] is False


def test_records_without_issue_or_approval_dates_answer_as_documented():
    """ACC-8 / API-1: a certificate without an issue date and a record without an approval date answer null."""
    number = make_resident_id(seq="201")
    doctor = UserFactory(activated=True, real_name="李四", id_number=number)
    CertificateFactory(real_name="李四", id_number=number, issue_date=None)
    PracticeRecordFactory(real_name="李四", id_number=number, approval_date=None)
    status, body = call("GET", f"{API}me/records/", user=doctor)
    assert status == 200
    assert body["certificates"][0]["issue_date"] is None
    assert body["practice_records"][0]["approval_date"] is None


def test_password_change_answers_the_documented_detail():
    """ACC-7 / API-1: password/ answers {"detail"} (the schema used to say "no response body")."""
    doctor = UserFactory(phone_verified=True)
    status, body = call(
        "POST",
        f"{API}password/",
        user=doctor,
        body={"old_password": "Passw0rd2024", "new_password": "Ruoqu-Mima-2025"},
    )
    assert status == 200 and body == {"detail": "登录密码修改成功。"}
    doctor.refresh_from_db()
    assert doctor.check_password("Ruoqu-Mima-2025")


def test_anonymous_is_refused_with_the_documented_403():
    """API-1: without a token an account operation answers 403 (session authentication comes first: no 401)."""
    status, body = call("GET", f"{API}me/")
    assert status == 403 and body["errors"][0]["code"] == "not_authenticated"


def test_a_body_that_is_not_json_or_a_form_is_the_documented_415():
    """API-1: an unsupported content type answers 415 in the error shape; nobody is logged in."""
    status, body = call("POST", f"{API}token/", data="username=x", content_type="text/plain")
    assert status == 415 and body["errors"][0]["code"] == "unsupported_media_type"
    assert not Token.objects.exists()


def test_a_taken_username_is_the_documented_409_and_creates_nothing():
    """ACC-1 / API-1: sign-up with a taken user name answers 409 {"errors"}; no second account is made."""
    UserFactory(username="doctor01")
    before = User.objects.count()
    status, body = call(
        "POST",
        f"{API}signup/",
        body={
            **CAPTCHA,
            "real_name": "王芳",
            "id_number": make_resident_id(seq="202"),
            "phone": "13912345678",
            "email": "wang@example.com",
            "username": "doctor01",
            "password": "Ruoqu-Mima-2025",
            "password_confirm": "Ruoqu-Mima-2025",
            "agree_privacy": True,
        },
    )
    assert status == 409 and body["errors"][0] == {
        "field": "username",
        "code": "username_taken",
        "message": body["errors"][0]["message"],
    }
    assert User.objects.count() == before


def test_activating_twice_is_the_documented_409():
    """ACC-5 / API-1: an activated account trying path a again answers 409; it stays activated as it was."""
    doctor = UserFactory(activated=True)
    activated_at = doctor.activated_at
    status, body = call("POST", f"{API}activation/code/", user=doctor, body={"code": "ACT00001"})
    assert status == 409 and body["errors"][0]["code"] == "already_activated"
    doctor.refresh_from_db()
    assert doctor.activated_at == activated_at


def test_login_lockout_is_the_documented_429():
    """ACC-2 / API-1: after repeated wrong passwords token/ answers 429 {"errors"}; no token is issued."""
    UserFactory(username="doctor01")
    wrong = {**CAPTCHA, "username": "doctor01", "password": "wrong-pass1"}
    statuses = [call("POST", f"{API}token/", body=wrong)[0] for _attempt in range(5)]
    assert statuses == [400, 400, 400, 400, 429]
    status, body = call("POST", f"{API}token/", body={**wrong, "password": "Passw0rd2024"})
    assert status == 429 and body["errors"][0]["code"] == "locked_out"
    assert not Token.objects.exists()
