"""ACC-6 / API-1: /api/v1/accounts/recover/… — identical answers, codes, reset tokens, error JSON."""

import datetime as dt

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import SendQuota, User, VerificationCode
from docregsys.messaging.models import OutboundMessage
from tests.factories import CertificateFactory, UserFactory, make_resident_id

pytestmark = pytest.mark.django_db

PASSWORD = "Passw0rd2024"
NEW_PASSWORD = "Neues2025pass"
CAPTCHA = {"captcha_key": "any", "captcha_value": "PASSED"}
PHONE = "13912345678"
EMAIL = "lisi@example.com"


@pytest.fixture(autouse=True)
def captcha_test_mode(monkeypatch):
    # captcha.conf reads CAPTCHA_TEST_MODE once at import: the settings fixture alone comes too late.
    monkeypatch.setattr("captcha.conf.settings.CAPTCHA_TEST_MODE", True)


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def doctor():
    return UserFactory(
        username="lisiwang01", activated=True, phone=PHONE, email=EMAIL, email_verified_at=timezone.now()
    )


def url(name):
    return reverse(f"accounts-api:{name}")


def post(api, name, data, ip="10.0.0.1"):
    return api.post(url(name), data, format="json", REMOTE_ADDR=ip)


def errors(response):
    return [(e["field"], e["code"]) for e in response.json()["errors"]]


def test_phone_recovery_through_the_api(api, doctor, sms_inbox):
    """ACC-6: send → confirm (masked username, uid, token in the body) → password; tokens and sessions end."""
    Token.objects.create(user=doctor)
    response = post(api, "recover_phone_send", {"phone": PHONE, **CAPTCHA})
    assert response.status_code == 200
    assert response.json() == {"detail": "如果该手机号码已通过验证，校验码已发送，5 分钟内有效。"}

    response = post(api, "recover_phone_confirm", {"phone": PHONE, "code": sms_inbox.last_code(PHONE)})
    assert response.status_code == 200
    body = response.json()
    assert body["username_masked"] == "li****01"
    assert set(body) == {"username_masked", "uid", "token"}

    response = post(
        api, "recover_password", {"uid": body["uid"], "token": body["token"], "new_password": NEW_PASSWORD}
    )
    assert response.status_code == 200
    assert response.json() == {"detail": "密码已重置，请使用新密码登录。"}
    doctor.refresh_from_db()
    assert doctor.check_password(NEW_PASSWORD)
    assert not Token.objects.filter(user=doctor).exists()

    # Single use: the same token a second time is refused.
    response = post(
        api, "recover_password", {"uid": body["uid"], "token": body["token"], "new_password": "Another2025x"}
    )
    assert response.status_code == 400
    assert errors(response) == [("token", "token_invalid")]
    assert "重置密码的请求已失效" in response.json()["errors"][0]["message"]


@pytest.mark.parametrize("kind", ["verified", "unverified", "unknown"])
def test_send_is_identical_for_any_phone(api, kind):
    """ACC-6 enumeration: same status, same JSON, same quota for a verified, unverified or unknown phone."""
    UserFactory(username="verified01", phone_verified=True, phone="13911110000")
    UserFactory(username="unverif01", phone="13922220000")
    phone = {"verified": "13911110000", "unverified": "13922220000", "unknown": "13933330000"}[kind]
    first = post(api, "recover_phone_send", {"phone": phone, **CAPTCHA}, ip="10.1.0.1")
    second = post(api, "recover_phone_send", {"phone": "13944440000", **CAPTCHA}, ip="10.1.0.2")
    assert (first.status_code, first.content) == (second.status_code, second.content)
    assert sorted(q.day_count for q in SendQuota.objects.all()) == [1, 1, 1, 1]
    assert OutboundMessage.objects.count() == (1 if kind == "verified" else 0)


def test_confirm_with_a_wrong_code_is_alike_for_unknown_phones(api, doctor):
    """ACC-6 enumeration: wrong codes for a real and an unknown phone: same error, same lock after 5."""
    post(api, "recover_phone_send", {"phone": PHONE, **CAPTCHA}, ip="10.0.0.1")
    post(api, "recover_phone_send", {"phone": "13955556666", **CAPTCHA}, ip="10.0.0.2")
    for _ in range(5):
        mine = post(api, "recover_phone_confirm", {"phone": PHONE, "code": "000000"})
        theirs = post(api, "recover_phone_confirm", {"phone": "13955556666", "code": "000000"})
        assert (mine.status_code, mine.content) == (theirs.status_code, theirs.content)
        assert errors(mine) == [("code", "code_invalid")]
    locked = post(api, "recover_phone_confirm", {"phone": PHONE, "code": "000000"})
    assert errors(locked) == [("code", "code_locked")]


def test_expired_code_is_refused(api, doctor, sms_inbox):
    """ACC-6: a code past its 5 minutes: 400 code_expired."""
    post(api, "recover_phone_send", {"phone": PHONE, **CAPTCHA})
    code = sms_inbox.last_code(PHONE)
    VerificationCode.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = post(api, "recover_phone_confirm", {"phone": PHONE, "code": code})
    assert response.status_code == 400 and errors(response) == [("code", "code_expired")]


def test_resend_within_a_minute_is_429(api, doctor):
    """ACC-6/ACC-4: the second send within a minute: 429 too_soon with a Chinese message."""
    post(api, "recover_phone_send", {"phone": PHONE, **CAPTCHA})
    response = post(api, "recover_phone_send", {"phone": PHONE, **CAPTCHA}, ip="10.0.0.7")
    assert response.status_code == 429
    assert response.json() == {
        "errors": [{"field": None, "code": "too_soon", "message": "获取校验码过于频繁，请一分钟后再试。"}]
    }


def test_wrong_captcha_and_bad_input_error_shape(api, doctor):
    """API-1: every refusal is {"errors": [{"field", "code", "message"}]} in Chinese."""
    response = post(api, "recover_phone_send", {"phone": PHONE, "captcha_key": "x", "captcha_value": "WRONG"})
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "captcha_value", "code": "captcha_invalid", "message": "验证码不正确，请重新输入。"}
    ]
    assert SendQuota.objects.count() == 0
    response = post(api, "recover_phone_send", {"phone": "1391234", **CAPTCHA})
    assert errors(response) == [("phone", "mobile_length")]
    response = post(api, "recover_phone_confirm", {"phone": PHONE, "code": "12ab"})
    assert errors(response) == [("code", "invalid")]
    assert response.json()["errors"][0]["message"] == "校验码为6位数字。"


def test_email_recovery_through_the_api(api, doctor, mail_code):
    """ACC-6: the same with the verified e-mail."""
    response = post(api, "recover_email_send", {"email": EMAIL, **CAPTCHA})
    assert response.json() == {"detail": "如果该邮箱已通过验证，校验码已发送，5 分钟内有效。"}
    body = post(api, "recover_email_confirm", {"email": EMAIL, "code": mail_code(EMAIL)}).json()
    assert body["username_masked"] == "li****01"
    response = post(
        api, "recover_password", {"uid": body["uid"], "token": body["token"], "new_password": NEW_PASSWORD}
    )
    assert response.status_code == 200


def test_password_step_refuses_weak_passwords_and_expired_tokens(api, doctor, monkeypatch):
    """ACC-6: the password rules apply; a token older than 30 minutes is refused."""
    from accounts.services.recovery import _grant

    grant = _grant(doctor)
    response = post(
        api, "recover_password", {"uid": grant.uid, "token": grant.token, "new_password": "abcdefgh"}
    )
    assert response.status_code == 400
    assert ("new_password", "password_letters_digits") in errors(response)
    later = dt.datetime.now() + dt.timedelta(minutes=31)
    monkeypatch.setattr(default_token_generator, "_now", lambda: later)
    response = post(
        api, "recover_password", {"uid": grant.uid, "token": grant.token, "new_password": NEW_PASSWORD}
    )
    assert errors(response) == [("token", "token_invalid")]
    doctor.refresh_from_db()
    assert doctor.check_password(PASSWORD)


@pytest.fixture
def personal():
    number = make_resident_id("430102", "19910203", "456")
    user = UserFactory(username="wangwu88", real_name="王五", id_number=number)
    certificate = CertificateFactory(real_name="王五", id_number=number, number="202543010000000000001")
    return user, number, certificate


def test_personal_info_through_the_api(api, personal):
    """ACC-6: an unprotected account: masked username + uid + token; the reset works."""
    user, number, certificate = personal
    data = {"real_name": "王五", "id_number": number, "certificate_number": certificate.number, **CAPTCHA}
    body = post(api, "recover_personal", data).json()
    assert body["username_masked"] == "wa****88" and body["can_reset"] is True
    response = post(
        api, "recover_password", {"uid": body["uid"], "token": body["token"], "new_password": NEW_PASSWORD}
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_personal_info_on_a_protected_account_gives_no_token(api, personal):
    """ACC-6: activated → masked username and guidance, no uid/token."""
    user, number, certificate = personal
    User.objects.filter(pk=user.pk).update(activated_at=timezone.now())
    data = {"real_name": "王五", "id_number": number, "certificate_number": certificate.number, **CAPTCHA}
    response = post(api, "recover_personal", data)
    body = response.json()
    assert response.status_code == 200
    assert body["can_reset"] is False and "token" not in body and "uid" not in body
    assert body["detail"].startswith("该账户已验证手机号码或邮箱（或已激活）")


def test_personal_info_mismatch_is_generic(api, personal):
    """ACC-6: no match → one generic 400 no_match, whatever part was wrong."""
    user, number, certificate = personal
    bodies = set()
    for i, (name, id_number, cert) in enumerate(
        [
            ("王六", number, certificate.number),
            ("王五", make_resident_id(), certificate.number),
            ("王五", number, "X1"),
        ]
    ):
        data = {"real_name": name, "id_number": id_number, "certificate_number": cert, **CAPTCHA}
        response = post(api, "recover_personal", data, ip=f"10.4.0.{i}")
        assert response.status_code == 400
        bodies.add(response.content)
    assert len(bodies) == 1
    assert errors(response) == [(None, "no_match")]


def test_personal_info_is_throttled(api, personal):
    """ACC-6: the 21st attempt of the day from one client: 429."""
    user, number, certificate = personal
    data = {"real_name": "王六", "id_number": number, "certificate_number": certificate.number, **CAPTCHA}
    for _ in range(20):
        assert post(api, "recover_personal", data).status_code == 400
    response = post(api, "recover_personal", {**data, "real_name": "王五"})
    assert response.status_code == 429 and errors(response) == [(None, "daily_limit")]


def test_endpoints_need_no_login_and_no_csrf(doctor):
    """ACC-6: AllowAny, and an anonymous JSON client needs no CSRF token."""
    api = APIClient(enforce_csrf_checks=True)
    response = post(api, "recover_phone_send", {"phone": PHONE, **CAPTCHA})
    assert response.status_code == 200


def test_email_send_is_identical_for_any_address(api, doctor):
    """ACC-6 enumeration: a verified e-mail and an unknown one get the same status and JSON."""
    first = post(api, "recover_email_send", {"email": EMAIL, **CAPTCHA}, ip="10.5.0.1")
    second = post(api, "recover_email_send", {"email": "nobody@example.com", **CAPTCHA}, ip="10.5.0.2")
    assert (first.status_code, first.content) == (second.status_code, second.content)
    assert sorted(q.day_count for q in SendQuota.objects.all()) == [1, 1, 1, 1]


def test_captcha_is_required(api):
    """ACC-6: the endpoints the web form protects with a captcha require one."""
    response = post(api, "recover_phone_send", {"phone": PHONE})
    assert response.status_code == 400
    assert {field for field, _code in errors(response)} == {"captcha_key", "captcha_value"}
    response = post(
        api, "recover_personal", {"real_name": "王五", "id_number": "x", "certificate_number": "y"}
    )
    assert {field for field, _code in errors(response)} == {"captcha_key", "captcha_value"}
