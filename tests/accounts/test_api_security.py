"""/api/v1/accounts/ security endpoints (ACC-4, ACC-7, API-1): token and session auth, JSON errors."""

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import VerificationCode
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PHONE = "15175070658"
NEW_PHONE = "13912345678"


def url(name):
    return reverse(f"accounts-api:{name}")


@pytest.fixture
def doctor():
    return UserFactory(checked=True, phone=PHONE, email="doc@example.com")


@pytest.fixture
def api(doctor):
    client = APIClient()
    token = Token.objects.create(user=doctor)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    client.token = token
    return client


def wrong(code):
    return f"{(int(code) + 1) % 10**6:06d}"


def test_phone_verification_by_token(api, doctor, sms_inbox):
    """ACC-4: send → 202 with the masked phone; confirm → 200 with the state and the next step."""
    response = api.post(url("phone_send"), {"phone": PHONE}, format="json")
    assert response.status_code == 202
    assert response.json() == {"sent_to": "151****0658", "expires_in": 300}
    code = sms_inbox.last_code(PHONE)
    response = api.post(url("phone_confirm"), {"phone": PHONE, "code": code}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["phone"] == "151****0658" and body["phone_verified"] is True
    assert body["next_step"]["url"] == reverse("accounts:activation")
    doctor.refresh_from_db()
    assert doctor.phone_verified


def test_a_wrong_code_is_a_json_error_on_the_code_field_and_counted(api, doctor, sms_inbox):
    """ACC-4 / API-1: {"errors": [{field, code, message}]}; the guess stays counted."""
    api.post(url("phone_send"), {"phone": PHONE}, format="json")
    code = sms_inbox.last_code(PHONE)
    response = api.post(url("phone_confirm"), {"phone": PHONE, "code": wrong(code)}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "errors": [{"field": "code", "code": "code_invalid", "message": "校验码不正确，请重新输入。"}]
    }
    assert VerificationCode.objects.get(user=doctor).attempts == 1


def test_the_sixth_attempt_is_locked(api, sms_inbox):
    """ACC-4: 5 attempts, then even the right code is refused."""
    api.post(url("phone_send"), {"phone": PHONE}, format="json")
    code = sms_inbox.last_code(PHONE)
    for _ in range(5):
        api.post(url("phone_confirm"), {"phone": PHONE, "code": wrong(code)}, format="json")
    response = api.post(url("phone_confirm"), {"phone": PHONE, "code": code}, format="json")
    assert response.json()["errors"][0]["code"] == "code_locked"


def test_resending_within_a_minute_is_429(api):
    """ACC-4 / API-1: quota refusals answer 429 with a Chinese message."""
    assert api.post(url("phone_send"), {"phone": PHONE}, format="json").status_code == 202
    response = api.post(url("phone_send"), {"phone": PHONE}, format="json")
    assert response.status_code == 429
    assert response.json() == {
        "errors": [{"field": "phone", "code": "too_soon", "message": "获取校验码过于频繁，请一分钟后再试。"}]
    }


def test_invalid_input_is_a_json_error(api):
    """API-1: a malformed phone or code is refused with field and code."""
    response = api.post(url("phone_send"), {"phone": "123"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "phone"
    assert response.json()["errors"][0]["code"] == "mobile_length"
    response = api.post(url("phone_confirm"), {"phone": PHONE, "code": "12ab"}, format="json")
    assert response.json()["errors"] == [
        {"field": "code", "code": "code_format", "message": "校验码为6位数字。"}
    ]
    response = api.post(url("phone_confirm"), {"phone": PHONE}, format="json")
    assert response.json()["errors"][0]["field"] == "code"


def test_a_phone_verified_by_another_account_is_refused(api):
    """ACC-4: one verified phone per account."""
    UserFactory(phone_verified=True, phone=NEW_PHONE)
    response = api.post(url("phone_send"), {"phone": NEW_PHONE}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "phone_taken"


def test_email_verification_by_api(api, doctor, mail_code):
    """ACC-4: the e-mail fallback over the API."""
    response = api.post(url("email_send"), {"email": "doc@example.com"}, format="json")
    assert response.status_code == 202 and response.json()["sent_to"] == "do***@example.com"
    code = mail_code("doc@example.com")
    response = api.post(url("email_confirm"), {"email": "doc@example.com", "code": code}, format="json")
    assert response.status_code == 200 and response.json()["email_verified"] is True


def test_session_auth_works_and_needs_csrf(doctor, sms_inbox):
    """API-1: session clients too (with the CSRF token, as any session POST)."""
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(doctor)
    response = client.post(url("phone_send"), {"phone": PHONE}, format="json")
    assert response.status_code == 403
    client.get(reverse("accounts:verify_phone"))
    token = client.cookies["csrftoken"].value
    response = client.post(url("phone_send"), {"phone": PHONE}, format="json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 202


def test_anonymous_and_reviewers_are_refused(db):
    """API-1: 401/403 with the error shape."""
    client = APIClient()
    response = client.post(url("phone_send"), {"phone": PHONE}, format="json")
    assert response.status_code in (401, 403)
    assert "errors" in response.json()
    client.force_authenticate(UserFactory(reviewer=True))
    assert client.post(url("password_change"), {}, format="json").status_code == 403


def test_password_change_keeps_the_token_in_use_and_kills_sessions(api, doctor):
    """ACC-7: the API client that changed the password keeps working; browser sessions end."""
    from django.test import Client

    browser = Client()
    browser.force_login(doctor)
    response = api.post(
        url("password_change"),
        {"old_password": "Passw0rd2024", "new_password": "NewPassw0rd9"},
        format="json",
    )
    assert response.status_code == 200 and response.json() == {"detail": "登录密码修改成功。"}
    assert Token.objects.filter(user=doctor, key=api.token.key).exists()
    assert api.post(url("phone_send"), {"phone": PHONE}, format="json").status_code == 202
    assert browser.get(reverse("accounts:security")).status_code == 302
    doctor.refresh_from_db()
    assert doctor.check_password("NewPassw0rd9")


def test_password_change_by_session_deletes_tokens_and_keeps_the_session(doctor):
    """ACC-7: by session: every API token dies, this session lives on."""
    Token.objects.create(user=doctor)
    client = APIClient()
    client.force_login(doctor)
    response = client.post(
        url("password_change"),
        {"old_password": "Passw0rd2024", "new_password": "NewPassw0rd9"},
        format="json",
    )
    assert response.status_code == 200
    assert not Token.objects.filter(user=doctor).exists()
    assert client.get(reverse("accounts:security")).status_code == 200


def test_password_change_refusals(api, doctor):
    """ACC-7: wrong old password, weak new password: JSON errors on their fields."""
    response = api.post(
        url("password_change"), {"old_password": "Wrong0000", "new_password": "NewPassw0rd9"}, format="json"
    )
    assert response.json()["errors"] == [
        {"field": "old_password", "code": "password_invalid", "message": "当前登录密码不正确。"}
    ]
    response = api.post(
        url("password_change"), {"old_password": "Passw0rd2024", "new_password": "abcdefgh"}, format="json"
    )
    assert response.json()["errors"][0]["field"] == "new_password"
    assert response.json()["errors"][0]["code"] == "password_weak"
    doctor.refresh_from_db()
    assert doctor.check_password("Passw0rd2024")


def test_phone_change_by_api(sms_inbox):
    """ACC-7: password + new phone → code to the new phone → changed; the old phone is told."""
    user = UserFactory(activated=True, phone=PHONE)
    client = APIClient()
    client.force_authenticate(user)
    response = client.post(
        url("phone_change_send"), {"phone": NEW_PHONE, "password": "Wrong0000"}, format="json"
    )
    assert response.json()["errors"][0]["field"] == "password"
    response = client.post(
        url("phone_change_send"), {"phone": NEW_PHONE, "password": "Passw0rd2024"}, format="json"
    )
    assert response.status_code == 202 and response.json()["sent_to"] == "139****5678"
    code = sms_inbox.last_code(NEW_PHONE)
    response = client.post(url("phone_change_confirm"), {"phone": NEW_PHONE, "code": code}, format="json")
    assert response.status_code == 200 and response.json()["phone"] == "139****5678"
    assert response.json()["next_step"] is None
    user.refresh_from_db()
    assert user.phone == NEW_PHONE and user.phone_verified
    assert any(m["to"] == PHONE and "139****5678" in m["text"] for m in sms_inbox())


def test_email_change_by_api(mail_code):
    """ACC-7: the same for the e-mail address."""
    user = UserFactory(activated=True, email="doc@example.com", email_verified_at=timezone.now())
    client = APIClient()
    client.force_authenticate(user)
    response = client.post(
        url("email_change_send"), {"email": "new@example.com", "password": "Passw0rd2024"}, format="json"
    )
    assert response.status_code == 202
    code = mail_code("new@example.com")
    response = client.post(
        url("email_change_confirm"), {"email": "new@example.com", "code": code}, format="json"
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.email == "new@example.com"


def test_phone_change_without_a_verified_phone_is_refused(api):
    """ACC-7: verify first (phone/send/), then change."""
    response = api.post(
        url("phone_change_send"), {"phone": NEW_PHONE, "password": "Passw0rd2024"}, format="json"
    )
    assert response.json()["errors"][0]["code"] == "not_verified"
