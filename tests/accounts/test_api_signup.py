"""API-1 for ACC-1…ACC-3: captcha, sign-up, token, logout, check and identity under /api/v1/accounts/."""

import pytest
from captcha.models import CaptchaStore
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import User
from tests.factories import CertificateFactory, UserFactory, make_resident_id

pytestmark = pytest.mark.django_db

ID_NUMBER = make_resident_id(seq="456")
TAKEN = "该身份证号已注册过账户。如忘记用户名或密码，请通过“找回您的登录账户”找回。"
SIGNUP = {
    "real_name": "赵六",
    "id_number": ID_NUMBER,
    "phone": "13912345678",
    "email": "zhao@example.com",
    "username": "zhaoliu88",
    "password": "Yiliao2024go",
    "password_confirm": "Yiliao2024go",
    "agree_privacy": True,
    "captcha_key": "k",
    "captcha_value": "PASSED",
}


@pytest.fixture(autouse=True)
def captcha_passes(monkeypatch):
    # django-simple-captcha reads CAPTCHA_TEST_MODE once at import: the settings fixture comes too late.
    monkeypatch.setattr("captcha.conf.settings.CAPTCHA_TEST_MODE", True)


@pytest.fixture
def api():
    return APIClient()


def url(name):
    return reverse(f"accounts-api:{name}")


def error_fields(response):
    errors = response.json()["errors"]
    for error in errors:
        assert set(error) == {"field", "code", "message"}
    return {e["field"]: e for e in errors}


def test_captcha_gives_a_key_and_an_image(api):
    response = api.get(url("captcha"))
    assert response.status_code == 200
    body = response.json()
    assert CaptchaStore.objects.filter(hashkey=body["key"]).exists()
    assert f"/captcha/image/{body['key']}/" in body["image_url"]
    assert api.get(body["image_url"]).status_code == 200


def test_real_captcha_answer_is_checked_and_single_use(api, monkeypatch):
    """ACC-1: outside test mode the answer must match, and a key works once."""
    monkeypatch.setattr("captcha.conf.settings.CAPTCHA_TEST_MODE", False)
    key = api.get(url("captcha")).json()["key"]
    answer = CaptchaStore.objects.get(hashkey=key).response
    response = api.post(url("signup"), {**SIGNUP, "captcha_key": key, "captcha_value": "nope"}, format="json")
    assert response.status_code == 400
    assert error_fields(response)["captcha_value"]["code"] == "captcha_invalid"
    response = api.post(url("signup"), {**SIGNUP, "captcha_key": key, "captcha_value": answer}, format="json")
    assert response.status_code == 400  # the key was spent by the wrong guess
    assert not User.objects.exists()


def test_signup_creates_the_account_and_answers_masked(api):
    """ACC-1: 201 with a masked summary; the password is never echoed."""
    response = api.post(url("signup"), SIGNUP, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body == {
        "username": "zh...u88",
        "real_name": "赵六",
        "id_number": ID_NUMBER[:4] + "*" * 10 + ID_NUMBER[-4:],
        "phone": "139****5678",
        "email": "zh***@example.com",
    }
    assert "Yiliao2024go" not in response.content.decode()
    user = User.objects.get(username="zhaoliu88")
    assert user.id_number == ID_NUMBER and user.phone_verified_at is None


def test_signup_duplicate_id_is_refused_without_naming_the_owner(api):
    UserFactory(id_number=ID_NUMBER, username="owner0001")
    response = api.post(url("signup"), SIGNUP, format="json")
    assert response.status_code == 409
    error = error_fields(response)["id_number"]
    assert error["code"] == "id_number_taken" and error["message"] == TAKEN
    assert "owner0001" not in response.content.decode()
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"password": "12345678901", "password_confirm": "12345678901"}, "password", None),
        ({"password_confirm": "Yiliao2024gO"}, "password_confirm", "password_mismatch"),
        ({"real_name": "Zhao6"}, "real_name", None),
        (
            {"id_number": ID_NUMBER[:17] + ("0" if ID_NUMBER[17] != "0" else "1")},
            "id_number",
            "id_check_digit",
        ),
        ({"username": "1zhaoliu"}, "username", "username_start"),
        ({"agree_privacy": False}, "agree_privacy", "privacy_required"),
        ({"captcha_value": "WRONG"}, "captcha_value", "captcha_invalid"),
    ],
)
def test_signup_errors_are_json_with_field_code_message(api, changes, field, code):
    """API-1: {"errors": [{"field", "code", "message"}]} in Chinese; nothing created."""
    response = api.post(url("signup"), {**SIGNUP, **changes}, format="json")
    assert response.status_code == 400
    errors = error_fields(response)
    assert field in errors
    if code:
        assert errors[field]["code"] == code
    assert errors[field]["message"]
    assert not User.objects.exists()


def test_signup_taken_username_is_a_field_error(api):
    UserFactory(username="zhaoliu88")
    response = api.post(url("signup"), SIGNUP, format="json")
    assert response.status_code == 409
    assert error_fields(response)["username"]["code"] == "username_taken"


def token_request(api, username="doctor01", password="Passw0rd2024", captcha="PASSED"):
    return api.post(
        url("token"),
        {"username": username, "password": password, "captcha_key": "k", "captcha_value": captcha},
        format="json",
    )


def test_token_login_and_logout(api):
    """ACC-2: a token for the right captcha + password; logout deletes it."""
    user = UserFactory(username="doctor01")
    response = token_request(api)
    assert response.status_code == 200
    token = response.json()["token"]
    assert Token.objects.get(user=user).key == token
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.post(url("logout")).status_code == 204
    assert not Token.objects.filter(user=user).exists()
    assert api.post(url("logout")).status_code in (401, 403)  # the deleted token no longer works


def test_token_is_csrf_exempt(api):
    UserFactory(username="doctor01")
    csrf_api = APIClient(enforce_csrf_checks=True)
    assert token_request(csrf_api).status_code == 200


def test_token_wrong_password_and_wrong_captcha(api):
    UserFactory(username="doctor01")
    response = token_request(api, password="wrong-pass1")
    assert response.status_code == 400
    assert error_fields(response)[None]["code"] == "invalid_login"
    response = token_request(api, captcha="WRONG")
    assert response.status_code == 400
    assert error_fields(response)["captcha_value"]["code"] == "captcha_invalid"


def test_token_lockout_answers_json_with_a_time(api):
    """ACC-2: the axes lockout applies to the API too, answered as JSON."""
    UserFactory(username="doctor01")
    for _attempt in range(4):
        assert token_request(api, password="wrong-pass1").status_code == 400
    assert token_request(api, password="wrong-pass1").status_code == 429
    response = token_request(api)
    assert response.status_code == 429
    error = error_fields(response)[None]
    assert error["code"] == "locked_out" and "分钟后再试" in error["message"]
    assert response["Content-Type"].startswith("application/json")
    assert not Token.objects.exists()


def test_check_runs_the_check_and_masks_the_id(api):
    """ACC-3 over the API."""
    user = UserFactory(real_name="赵六", id_number=ID_NUMBER)
    api.force_authenticate(user)
    body = api.get(url("check")).json()
    assert body == {
        "passed": False,
        "qualified": False,
        "registered": False,
        "real_name": "赵六",
        "id_number": user.id_number_masked,
    }
    CertificateFactory(real_name="赵六", id_number=ID_NUMBER)
    assert api.get(url("check")).json()["passed"] is True
    user.refresh_from_db()
    assert user.checked_at is None  # GET only reads (issue 8 §3)
    response = api.post(url("check"))
    assert response.status_code == 200 and response.json()["passed"] is True
    user.refresh_from_db()
    assert user.checked_at is not None


def test_check_needs_a_doctor(api):
    assert api.get(url("check")).status_code in (401, 403)
    api.force_authenticate(UserFactory(officer=True))
    assert api.get(url("check")).status_code == 403


def test_identity_update_over_the_api(api):
    user = UserFactory(real_name="赵陆", id_number=make_resident_id(seq="457"))
    CertificateFactory(real_name="赵六", id_number=ID_NUMBER)
    api.force_authenticate(user)
    response = api.put(url("identity"), {"real_name": "赵六", "id_number": ID_NUMBER}, format="json")
    assert response.status_code == 200
    assert response.json()["passed"] is True


def test_identity_update_refusals_over_the_api(api):
    UserFactory(id_number=ID_NUMBER)
    user = UserFactory(real_name="赵陆")
    api.force_authenticate(user)
    response = api.put(url("identity"), {"real_name": "赵六", "id_number": ID_NUMBER}, format="json")
    assert response.status_code == 409
    assert error_fields(response)["id_number"]["message"] == TAKEN
    activated = UserFactory(activated=True)
    api.force_authenticate(activated)
    response = api.put(
        url("identity"), {"real_name": "赵六", "id_number": make_resident_id(seq="458")}, format="json"
    )
    assert response.status_code == 403
    assert error_fields(response)[None]["code"] == "already_activated"


def test_session_endpoints_keep_csrf():
    """API-1: a session-authenticated PUT without the CSRF token is refused."""
    user = UserFactory(real_name="赵陆")
    csrf_api = APIClient(enforce_csrf_checks=True)
    csrf_api.force_login(user)
    response = csrf_api.put(url("identity"), {"real_name": "赵六", "id_number": ID_NUMBER}, format="json")
    assert response.status_code == 403
