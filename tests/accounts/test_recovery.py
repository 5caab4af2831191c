"""ACC-6: 找回您的登录账户 through the pages and the services — phone, e-mail, personal information, reset."""

import datetime as dt
import logging
import re

import pytest
from django.contrib.auth import authenticate, get_user
from django.contrib.auth.tokens import default_token_generator
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.channels import PHONE as PHONE_CHANNEL
from accounts.models import SendQuota, User, VerificationCode
from accounts.services import recovery as svc
from docregsys.exceptions import TransitionRefused
from tests.factories import CertificateFactory, UserFactory, make_resident_id

pytestmark = pytest.mark.django_db

PASSWORD = "Passw0rd2024"
NEW_PASSWORD = "Neues2025pass"
CAPTCHA = {"captcha_0": "any", "captcha_1": "PASSED"}
PHONE = "13912345678"
EMAIL = "lisi@example.com"


@pytest.fixture(autouse=True)
def captcha_test_mode(monkeypatch):
    # captcha.conf reads CAPTCHA_TEST_MODE once at import: the settings fixture alone comes too late.
    monkeypatch.setattr("captcha.conf.settings.CAPTCHA_TEST_MODE", True)


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def is_logged_in(client) -> bool:
    class Request:
        session = client.session

    return get_user(Request()).is_authenticated


@pytest.fixture
def doctor():
    """An activated doctor with a verified phone and a verified e-mail."""
    return UserFactory(
        username="lisiwang01",
        activated=True,
        phone=PHONE,
        email=EMAIL,
        email_verified_at=timezone.now(),
    )


@pytest.fixture
def personal():
    """An unactivated doctor, nothing verified, with the certificate whose data she types."""
    number = make_resident_id("430102", "19910203", "456")
    user = UserFactory(username="wangwu88", real_name="王五", id_number=number, phone="13700001111")
    certificate = CertificateFactory(real_name="王五", id_number=number, number="202543010000000000001")
    return user, number, certificate


def send_phone(client, phone=PHONE, ip="10.0.0.1", **extra):
    return client.post(
        reverse("accounts:recover_phone"), {"phone": phone, **CAPTCHA, **extra}, REMOTE_ADDR=ip
    )


def post_code(client, code, channel="phone"):
    return client.post(reverse(f"accounts:recover_{channel}_code"), {"code": code})


def set_password(client, password=NEW_PASSWORD, confirm=None):
    return client.post(
        reverse("accounts:recover_password"),
        {"new_password1": password, "new_password2": confirm or password},
    )


# ---------------------------------------------------------------------------------------- chooser


def test_the_chooser_offers_the_four_ways_of_the_seed(client):
    """ACC-6: the four ways with the seed's texts; the institution way explains, with no dead link."""
    page = text(client.get(reverse("accounts:recover")))
    for label in (
        "找回您的登录账户",
        "通过手机找回",
        "通过邮箱找回",
        "通过个人信息找回",
        "通过向执业机构申请找回",
    ):
        assert label in page
    assert "手机号必须已经通过验证才能通过此方式找回登录账户！" in page
    assert "邮箱必须已经通过验证才能通过此方式找回登录账户！" in page
    assert "如果您的手机号和邮箱都未验证可通过账户注册时填写的个人信息找回登录账户！" in page
    assert "此方式要求您具有有效的执业注册信息。" in page
    for name in ("recover_phone", "recover_email", "recover_personal"):
        assert f'href="{reverse(f"accounts:{name}")}"' in page


# ------------------------------------------------------------------------------------ by phone


def test_phone_recovery_end_to_end(client, doctor, sms_inbox):
    """ACC-6: verified phone → code → masked username → new password; old password fails, sessions end."""
    other = Client()
    other.force_login(doctor)
    Token.objects.create(user=doctor)

    response = send_phone(client)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:recover_phone_code")
    page = text(client.get(response["Location"]))
    assert "如果该手机号码已通过验证，校验码已发送，5 分钟内有效。" in page
    assert "139****5678" in page and PHONE not in page

    response = post_code(client, sms_inbox.last_code(PHONE))
    assert response["Location"] == reverse("accounts:recover_password")
    page = text(client.get(response["Location"]))
    assert "li****01" in page and "lisiwang01" not in page

    response = set_password(client)
    assert response["Location"] == reverse("accounts:login")
    assert "密码已重置，请使用新密码登录。" in text(client.get(response["Location"]))
    doctor.refresh_from_db()
    assert doctor.check_password(NEW_PASSWORD) and not doctor.check_password(PASSWORD)
    assert not is_logged_in(other)
    assert not Token.objects.filter(user=doctor).exists()
    request = RequestFactory().post(reverse("accounts:login"))
    assert authenticate(request, username="lisiwang01", password=NEW_PASSWORD) == doctor
    assert authenticate(request, username="lisiwang01", password=PASSWORD) is None


def test_no_personal_data_in_urls_or_logs(client, doctor, sms_inbox, caplog):
    """ACC-6: the phone never appears in a URL or a log line along the whole flow."""
    caplog.set_level(logging.DEBUG)
    locations = [send_phone(client)["Location"]]
    locations.append(post_code(client, sms_inbox.last_code(PHONE))["Location"])
    locations.append(set_password(client)["Location"])
    assert all(PHONE not in loc and "lisiwang01" not in loc for loc in locations)
    assert not [r for r in caplog.records if PHONE in r.getMessage() or EMAIL in r.getMessage()]


def quota_counts():
    return sorted(q.day_count for q in SendQuota.objects.all())


@pytest.mark.parametrize("kind", ["verified", "unverified", "unknown"])
def test_send_answers_identically_for_any_phone(kind, settings):
    """ACC-6 enumeration: a verified phone, an account's unverified phone and an unknown phone get
    byte-identical answers and take the same quota."""
    UserFactory(username="verified01", phone_verified=True, phone="13911110000")
    UserFactory(username="unverif01", phone="13922220000")
    phone = {"verified": "13911110000", "unverified": "13922220000", "unknown": "13933330000"}[kind]
    reference = "13944440000"  # unknown too: what a stranger sees
    answers = []
    for number, client in ((phone, Client()), (reference, Client())):
        response = send_phone(client, phone=number, ip=f"10.1.0.{len(answers) + 1}")
        follow = client.get(response["Location"])
        answers.append(
            (
                response.status_code,
                response["Location"],
                response.content,
                follow.status_code,
                re.sub(
                    r'name="csrfmiddlewaretoken" value="[^"]+"',
                    "CSRF",
                    follow.content.decode().replace(number[:3] + "****" + number[-4:], "MASKED"),
                ),
            )
        )
    assert answers[0] == answers[1]
    assert quota_counts() == [1, 1, 1, 1]  # per phone and per client, both requests alike
    # Only the verified number got an SMS.
    from docregsys.messaging.models import OutboundMessage
    assert OutboundMessage.objects.count() == (1 if kind == "verified" else 0)


def test_confirm_answers_alike_for_unknown_phones(client, doctor, sms_inbox):
    """ACC-6 enumeration: a wrong code for an unknown phone gets the same refusal as for a real one,
    and is locked after the same number of attempts."""
    stranger = Client()
    send_phone(client)
    send_phone(stranger, phone="13955556666", ip="10.0.0.2")
    for _ in range(5):
        mine = text(post_code(client, "000000"))
        theirs = text(post_code(stranger, "000000"))
        assert "校验码不正确，请重新输入。" in mine and "校验码不正确，请重新输入。" in theirs
    assert "校验码输入错误次数过多，请重新获取。" in text(post_code(client, "000000"))
    assert "校验码输入错误次数过多，请重新获取。" in text(post_code(stranger, "000000"))


def test_sixth_attempt_is_refused_even_with_the_right_code(client, doctor, sms_inbox):
    """ACC-6/ACC-4: five wrong guesses lock the code; the right one afterwards is refused."""
    send_phone(client)
    code = sms_inbox.last_code(PHONE)
    wrong = "111111" if code != "111111" else "222222"
    for _ in range(5):
        assert "校验码不正确" in text(post_code(client, wrong))
    response = post_code(client, code)
    assert response.status_code == 200
    assert "校验码输入错误次数过多，请重新获取。" in text(response)
    assert "recovery_grant" not in client.session


def test_expired_code_is_refused(client, doctor, sms_inbox):
    """ACC-6: a code older than 5 minutes is refused."""
    send_phone(client)
    code = sms_inbox.last_code(PHONE)
    VerificationCode.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert "校验码已失效，请重新获取。" in text(post_code(client, code))


def test_a_code_is_single_use(doctor, sms_inbox):
    """ACC-6: a used code cannot be used a second time."""
    svc.account_recover_by_contact_send(channel=PHONE_CHANNEL, value=PHONE, client="10.0.0.1")
    code = sms_inbox.last_code(PHONE)
    grant = svc.account_recover_by_contact_confirm(channel=PHONE_CHANNEL, value=PHONE, code=code)
    assert grant.user == doctor
    with pytest.raises(TransitionRefused) as exc:
        svc.account_recover_by_contact_confirm(channel=PHONE_CHANNEL, value=PHONE, code=code)
    assert exc.value.code == "code_expired"


def test_resend_within_a_minute_is_refused(client, doctor, sms_inbox):
    """ACC-6/ACC-4: a second code for the same phone within a minute is refused, even from another client."""
    send_phone(client)
    response = send_phone(Client(), ip="10.0.0.9")
    assert response.status_code == 200
    assert "获取校验码过于频繁，请一分钟后再试。" in text(response)
    assert len([m for m in sms_inbox() if m["to"] == PHONE]) == 1


def test_wrong_captcha_is_refused_and_takes_no_quota(client, doctor):
    """ACC-6: a wrong image captcha is refused next to the field; nothing is sent or counted."""
    response = client.post(
        reverse("accounts:recover_phone"), {"phone": PHONE, "captcha_0": "any", "captcha_1": "WRONG"}
    )
    assert response.status_code == 200
    assert "验证码不正确" in text(response)
    assert SendQuota.objects.count() == 0 and VerificationCode.objects.count() == 0


def test_an_invalid_phone_is_refused_next_to_the_field(client):
    """ACC-6: a malformed number is refused with a clear message, the form kept."""
    response = send_phone(client, phone="1391234")
    assert "手机号码应为11位数字，您输入了7位。" in text(response)
    assert 'value="1391234"' in text(response)


def test_code_page_without_a_send_goes_back_to_the_start(client):
    """ACC-6: the code step needs the send step first (state in the session)."""
    response = client.get(reverse("accounts:recover_phone_code"))
    assert response["Location"] == reverse("accounts:recover_phone")


def test_phone_changed_after_the_code_went_out_refuses(client, doctor, sms_inbox):
    """ACC-6: a code sent to a phone the account no longer has verified gives no access."""
    send_phone(client)
    code = sms_inbox.last_code(PHONE)
    User.objects.filter(pk=doctor.pk).update(phone="13800000000")
    assert "校验码已失效" in text(post_code(client, code))


# ------------------------------------------------------------------------------------ by e-mail


def test_email_recovery_end_to_end(client, doctor, mail_code):
    """ACC-6: verified e-mail → code by e-mail → new password."""
    response = client.post(reverse("accounts:recover_email"), {"email": EMAIL, **CAPTCHA})
    assert response["Location"] == reverse("accounts:recover_email_code")
    page = text(client.get(response["Location"]))
    assert "如果该邮箱已通过验证，校验码已发送，5 分钟内有效。" in page
    assert "li***@example.com" in page
    response = post_code(client, mail_code(EMAIL), channel="email")
    assert response["Location"] == reverse("accounts:recover_password")
    assert set_password(client)["Location"] == reverse("accounts:login")
    doctor.refresh_from_db()
    assert doctor.check_password(NEW_PASSWORD)


def test_unverified_email_gets_the_same_answer_and_no_mail(client, mailoutbox):
    """ACC-6 enumeration: an account's unverified e-mail: same redirect and message, nothing sent."""
    UserFactory(email="noverify@example.com")
    response = client.post(reverse("accounts:recover_email"), {"email": "noverify@example.com", **CAPTCHA})
    assert response["Location"] == reverse("accounts:recover_email_code")
    assert "如果该邮箱已通过验证，校验码已发送" in text(client.get(response["Location"]))
    from docregsys.messaging.services import outbox_drain

    outbox_drain()
    assert mailoutbox == []


# ------------------------------------------------------------------------------------ the reset


def test_reset_token_is_single_use(doctor):
    """ACC-6: the second reset with the same token is refused."""
    grant = svc._grant(doctor)
    svc.account_password_reset(user=doctor, token=grant.token, new_password=NEW_PASSWORD)
    with pytest.raises(TransitionRefused) as exc:
        svc.account_password_reset(user=doctor, token=grant.token, new_password="Another2025x")
    assert exc.value.code == "token_invalid"
    doctor.refresh_from_db()
    assert doctor.check_password(NEW_PASSWORD)


def test_reset_page_after_use_sends_back_to_the_chooser(client, doctor, sms_inbox):
    """ACC-6: replaying the reset grant after it was used refuses with a clear message."""
    send_phone(client)
    post_code(client, sms_inbox.last_code(PHONE))
    grant = dict(client.session["recovery_grant"])
    set_password(client)
    session = client.session
    session["recovery_grant"] = grant
    session.save()
    response = set_password(client, password="Another2025x")
    assert response["Location"] == reverse("accounts:recover")
    assert "重置密码的请求已失效" in text(client.get(response["Location"]))
    doctor.refresh_from_db()
    assert doctor.check_password(NEW_PASSWORD)


def test_reset_token_expires_after_thirty_minutes(doctor, monkeypatch):
    """ACC-6: a token older than PASSWORD_RESET_TIMEOUT (30 min) is refused."""
    grant = svc._grant(doctor)
    later = dt.datetime.now() + dt.timedelta(minutes=31)
    monkeypatch.setattr(default_token_generator, "_now", lambda: later)
    with pytest.raises(TransitionRefused):
        svc.account_for_reset(uid=grant.uid, token=grant.token)
    doctor.refresh_from_db()
    assert doctor.check_password(PASSWORD)


def test_reset_token_dies_when_the_password_changes_another_way(doctor):
    """ACC-6: changing the password (e.g. in 安全设置) kills an outstanding token."""
    grant = svc._grant(doctor)
    doctor.set_password("Changed2025x")
    doctor.save()
    with pytest.raises(TransitionRefused):
        svc.account_for_reset(uid=grant.uid, token=grant.token)


def test_reset_page_refuses_a_weak_password_and_keeps_the_grant(client, doctor, sms_inbox):
    """ACC-6: the new password follows the password rules; mismatched confirmation refused."""
    send_phone(client)
    post_code(client, sms_inbox.last_code(PHONE))
    response = set_password(client, password="abcdefgh")
    assert response.status_code == 200 and "密码必须同时包含字母和数字。" in text(response)
    response = set_password(client, password=NEW_PASSWORD, confirm="Other2025pass")
    assert "两次输入的新密码不一致。" in text(response)
    doctor.refresh_from_db()
    assert doctor.check_password(PASSWORD)
    assert set_password(client)["Location"] == reverse("accounts:login")


def test_reset_page_without_a_grant_goes_to_the_chooser(client):
    """ACC-6: no grant in the session → back to 找回您的登录账户."""
    assert client.get(reverse("accounts:recover_password"))["Location"] == reverse("accounts:recover")


def test_a_bad_uid_is_refused(doctor):
    """ACC-6: a forged uid gets the same refusal as a bad token."""
    grant = svc._grant(doctor)
    for uid in ("", "bm90YW51bWJlcg", "MTIzNDU2"):
        with pytest.raises(TransitionRefused):
            svc.account_for_reset(uid=uid, token=grant.token)


# ---------------------------------------------------------------------------- by personal info


def post_personal(client, real_name, id_number, certificate_number, ip="10.2.0.1"):
    return client.post(
        reverse("accounts:recover_personal"),
        {"real_name": real_name, "id_number": id_number, "certificate_number": certificate_number, **CAPTCHA},
        REMOTE_ADDR=ip,
    )


def test_personal_info_resets_an_unprotected_account(client, personal):
    """ACC-6: name + ID + certificate → masked username (and phone); reset allowed while nothing is verified."""
    user, number, certificate = personal
    page = text(post_personal(client, "王五", number.lower(), certificate.number))
    assert "wa****88" in page and "137****1111" in page
    assert "wangwu88" not in page and "13700001111" not in page
    assert "设置新密码" in page
    assert set_password(client)["Location"] == reverse("accounts:login")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


@pytest.mark.parametrize(
    "state",
    [
        {"activated_at": timezone.now()},
        {"phone_verified_at": timezone.now()},
        {"email": "ww@example.com", "email_verified_at": timezone.now()},
    ],
    ids=["activated", "phone-verified", "email-verified"],
)
def test_personal_info_cannot_reset_a_protected_account(client, personal, state):
    """ACC-6: an activated or verified account: the masked username only, guidance, password unchanged."""
    user, number, certificate = personal
    User.objects.filter(pk=user.pk).update(**state)
    page = text(post_personal(client, "王五", number, certificate.number))
    assert "wa****88" in page
    assert "该账户已验证手机号码或邮箱（或已激活）" in page
    assert reverse("accounts:recover_phone") in page and reverse("accounts:recover_email") in page
    assert "recovery_grant" not in client.session
    assert client.get(reverse("accounts:recover_password"))["Location"] == reverse("accounts:recover")
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_personal_token_dies_when_the_account_becomes_protected(personal):
    """ACC-6: a personal-info grant stops working once the phone is verified (the account gains power)."""
    user, number, certificate = personal
    match = svc.account_recover_by_personal_info(
        real_name="王五", id_number=number, certificate_number=certificate.number, client="10.0.0.1"
    )
    User.objects.filter(pk=user.pk).update(phone_verified_at=timezone.now())
    with pytest.raises(TransitionRefused):
        svc.account_for_reset(uid=match.grant.uid, token=match.grant.token)


def test_personal_info_mismatches_get_one_generic_answer(client, personal):
    """ACC-6: wrong name, wrong ID, wrong certificate, another person's certificate: one message."""
    user, number, certificate = personal
    other = CertificateFactory(real_name="赵六", number="202543010000000000099")
    attempts = [
        ("王六", number, certificate.number),
        ("王五", make_resident_id("430102", "19910203", "457"), certificate.number),
        ("王五", number, "202543010000000000002"),
        ("王五", number, other.number),
        ("赵六", number, other.number),
    ]
    answers = set()
    for i, attempt in enumerate(attempts):
        page = text(post_personal(client, *attempt, ip=f"10.3.0.{i}"))
        assert "未找到与所填信息相符的账户，请核对姓名、身份证号和资格证书编码。" in page
        answers.add(re.search(r'<div class="form-errors".*?</div>', page).group(0))
        assert "field-errors" not in page  # nothing says which part was wrong
    assert len(answers) == 1
    assert "recovery_grant" not in client.session


def test_personal_info_without_an_account_gets_the_generic_answer(client):
    """ACC-6: a real certificate whose owner has no account: the generic answer too."""
    number = make_resident_id()
    certificate = CertificateFactory(real_name="孙七", id_number=number)
    page = text(post_personal(client, "孙七", number, certificate.number))
    assert "未找到与所填信息相符的账户" in page


def test_personal_info_attempts_are_throttled_per_client(client, personal):
    """ACC-6: at most 20 attempts a day per client, against enumeration by brute force."""
    user, number, certificate = personal
    for _ in range(20):
        assert "未找到与所填信息相符的账户" in text(post_personal(client, "王六", number, certificate.number))
    page = text(post_personal(client, "王五", number, certificate.number))
    assert "今日通过个人信息找回的尝试次数已达上限，请明天再试。" in page and "wa****88" not in page
    # Another client is not affected.
    assert "wa****88" in text(post_personal(Client(), "王五", number, certificate.number, ip="10.9.9.9"))


def test_personal_info_wrong_captcha_is_refused(client, personal):
    """ACC-6: a wrong captcha: refused, nothing matched, no attempt counted."""
    user, number, certificate = personal
    response = client.post(
        reverse("accounts:recover_personal"),
        {
            "real_name": "王五",
            "id_number": number,
            "certificate_number": certificate.number,
            "captcha_0": "x",
            "captcha_1": "WRONG",
        },
    )
    page = text(response)
    assert "验证码不正确" in page and "wa****88" not in page
    assert SendQuota.objects.count() == 0


def test_personal_info_logs_nothing_personal(client, personal, caplog):
    """ACC-6: no ID number or name in any log line."""
    caplog.set_level(logging.DEBUG)
    user, number, certificate = personal
    post_personal(client, "王五", number, certificate.number)
    post_personal(client, "王六", number, certificate.number)
    assert not [r for r in caplog.records if number in r.getMessage()]


def test_mask_username():
    """ACC-6: li****an — never the whole name, never its length."""
    assert svc.mask_username("lisiwang01") == "li****01"
    assert svc.mask_username("abc") == "a****c"
    assert svc.mask_username("ab") == "****"


def test_a_used_code_is_refused_on_the_page(client, doctor, sms_inbox):
    """ACC-6: after a successful confirmation the same code typed again is refused."""
    send_phone(client)
    code = sms_inbox.last_code(PHONE)
    assert post_code(client, code)["Location"] == reverse("accounts:recover_password")
    # The code page needs the send step again; replay it with the same number and the old code.
    assert client.get(reverse("accounts:recover_phone_code"))["Location"] == reverse("accounts:recover_phone")
    session = client.session
    session["recovery_destination"] = {"channel": "phone", "value": PHONE}
    session.save()
    assert "校验码已失效，请重新获取。" in text(post_code(client, code))


def test_an_officer_phone_is_not_recovered_here(client, sms_inbox):
    """ACC-6: the doctor's recovery does not reach officer accounts (their institution's reviewers reset them)."""
    UserFactory(officer=True, phone=PHONE, phone_verified_at=timezone.now())
    response = send_phone(client)
    assert response["Location"] == reverse("accounts:recover_phone_code")
    assert sms_inbox() == []


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_resets_with_one_token_give_one_success(doctor):
    """ACC-6: the same token used twice at the same moment: one success, one refusal (row lock)."""
    import threading

    from django.db import connection

    grant = svc._grant(doctor)
    outcomes = []
    barrier = threading.Barrier(2)

    def reset(password):
        try:
            barrier.wait()
            svc.account_password_reset(user=doctor, token=grant.token, new_password=password)
            outcomes.append("ok")
        except TransitionRefused:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=reset, args=(p,)) for p in ("First2025pass", "Second2025pass")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "refused"]
