"""验证手机 / 验证邮箱 (ACC-4) and 安全设置 (ACC-7) through the pages: every rule, and the happy paths."""

import datetime as dt
import logging

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.channels import PHONE as PHONE_CHANNEL
from accounts.models import VerificationCode
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PHONE = "15175070658"
NEW_PHONE = "13912345678"
VERIFY_PHONE = reverse("accounts:verify_phone")
VERIFY_EMAIL = reverse("accounts:verify_email")
CHANGE_PHONE = reverse("accounts:change_phone")
CHANGE_EMAIL = reverse("accounts:change_email")
PASSWORD = reverse("accounts:password_change")
SECURITY = reverse("accounts:security")


@pytest.fixture
def doctor():
    """Checked (ACC-3 passed), phone typed at sign-up but not verified yet."""
    return UserFactory(checked=True, phone=PHONE, email="doc@example.com", real_name="宋宏强")


@pytest.fixture
def doctor_client(client, doctor):
    client.force_login(doctor)
    return client


def send(client, phone=PHONE, url=VERIFY_PHONE, password=None, ip="127.0.0.1"):
    data = {"action": "send", "phone": phone}
    if password is not None:
        data["password"] = password
    return client.post(url, data, REMOTE_ADDR=ip)


def confirm(client, code, phone=PHONE, url=VERIFY_PHONE):
    return client.post(url, {"action": "confirm", "confirm-phone": phone, "confirm-code": code})


def wrong(code):
    return f"{(int(code) + 1) % 10**6:06d}"


def field_errors(response, form, name):
    return [str(e) for e in response.context[form].errors.get(name, [])]


# ------------------------------------------------------------------------------------ 验证手机


def test_verify_phone_page_has_the_seed_wording_and_the_registration_phone(doctor_client):
    """ACC-4 (seed 002 §1.3): bullets, 我的手机 prefilled, the two buttons, the e-mail fallback link."""
    response = doctor_client.get(VERIFY_PHONE)
    page = response.content.decode()
    for text in (
        "验证手机号码：",
        "为了您的账户安全，请验证您的手机号码；",
        "手机通过验证后，可通过手机找回您的登录账户；",
        "手机通过验证后，可使用手机号码作为登录用户名登录本系统。",
        "我的手机",
        "向手机发送校验码",
        "请填写手机校验码",
        "确定",
        "如果您的手机不能接收到校验码短信，请您点击此处进行邮箱的验证。",
    ):
        assert text in page, text
    assert f'value="{PHONE}"' in page
    assert VERIFY_EMAIL in page
    assert "layouts/doctor.html" in [t.name for t in response.templates]


def test_a_doctor_verifies_the_phone_and_goes_on_to_activation(doctor_client, doctor, sms_inbox):
    """ACC-4: send → "校验码已发送至 151****0658，5 分钟内有效" → code → verified → next step: activation."""
    response = send(doctor_client)
    assert response.status_code == 200
    assert "校验码已发送至 151****0658，5 分钟内有效" in response.content.decode()
    code = sms_inbox.last_code(PHONE)
    response = confirm(doctor_client, code)
    assert response.status_code == 302 and response.url == reverse("accounts:activation")
    doctor.refresh_from_db()
    assert doctor.phone_verified and doctor.phone == PHONE


def test_an_activated_account_goes_back_to_security_settings(client, sms_inbox):
    """ACC-4: when activation is done already, success returns to 安全设置 with a message."""
    user = UserFactory(activated=True, phone=PHONE, phone_verified_at=None)
    client.force_login(user)
    send(client)
    response = confirm(client, sms_inbox.last_code(PHONE))
    assert response.url == SECURITY
    page = client.get(SECURITY).content.decode()
    assert "手机号码验证成功。" in page and "已校验手机：" in page and "151****0658" in page


def test_the_phone_may_be_corrected_before_it_is_verified(doctor_client, doctor, sms_inbox):
    """ACC-4: a typo at sign-up is fixed here; the code goes to the corrected phone."""
    response = send(doctor_client, phone=NEW_PHONE)
    assert "139****5678" in response.content.decode()
    doctor.refresh_from_db()
    assert doctor.phone == NEW_PHONE and not doctor.phone_verified
    confirm(doctor_client, sms_inbox.last_code(NEW_PHONE), phone=NEW_PHONE)
    doctor.refresh_from_db()
    assert doctor.phone == NEW_PHONE and doctor.phone_verified


def test_an_invalid_phone_is_refused_next_to_the_field_and_kept(doctor_client, sms_inbox):
    """ACC-4 / ID-5: a clear message next to 我的手机, the typed value stays, nothing sent."""
    response = send(doctor_client, phone="1517507065")
    assert response.status_code == 200
    assert field_errors(response, "send_form", "phone") == ["手机号码应为11位数字，您输入了10位。"]
    assert 'value="1517507065"' in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert sms_inbox() == []


def test_a_wrong_code_is_refused_on_the_code_field_and_counted(doctor_client, doctor, sms_inbox):
    """ACC-4: the refused request still counts the guess in the database (no rollback)."""
    send(doctor_client)
    code = sms_inbox.last_code(PHONE)
    response = confirm(doctor_client, wrong(code))
    assert response.status_code == 200
    assert field_errors(response, "confirm_form", "code") == ["校验码不正确，请重新输入。"]
    assert VerificationCode.objects.get(user=doctor).attempts == 1
    doctor.refresh_from_db()
    assert not doctor.phone_verified


def test_the_sixth_attempt_is_refused_even_with_the_right_code(doctor_client, doctor, sms_inbox):
    """ACC-4: 5 attempts at most, counted across requests."""
    send(doctor_client)
    code = sms_inbox.last_code(PHONE)
    for _ in range(5):
        confirm(doctor_client, wrong(code))
    response = confirm(doctor_client, code)
    assert field_errors(response, "confirm_form", "code") == ["校验码输入错误次数过多，请重新获取。"]
    assert VerificationCode.objects.get(user=doctor).attempts == 5
    doctor.refresh_from_db()
    assert not doctor.phone_verified


def test_an_expired_code_is_refused(doctor_client, doctor, sms_inbox):
    """ACC-4: after 5 minutes the code is dead."""
    send(doctor_client)
    code = sms_inbox.last_code(PHONE)
    VerificationCode.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = confirm(doctor_client, code)
    assert field_errors(response, "confirm_form", "code") == ["校验码已失效，请重新获取。"]
    doctor.refresh_from_db()
    assert not doctor.phone_verified


def test_a_code_format_error_costs_no_attempt(doctor_client, doctor, sms_inbox):
    """ACC-4: "12ab" is refused by the form; only real guesses count."""
    send(doctor_client)
    response = confirm(doctor_client, "12ab")
    assert field_errors(response, "confirm_form", "code") == ["校验码为6位数字。"]
    assert VerificationCode.objects.get(user=doctor).attempts == 0


def test_confirm_without_any_code_sent_says_to_get_one(client):
    """ACC-4: no phone yet, nothing sent: the page says to get a code first."""
    user = UserFactory(checked=True)
    client.force_login(user)
    response = client.post(VERIFY_PHONE, {"action": "confirm", "confirm-phone": "", "confirm-code": "123456"})
    assert response.context["confirm_form"].non_field_errors() == ["请先获取校验码。"]


def test_resending_within_a_minute_is_refused(doctor_client, sms_inbox):
    """ACC-4: once a minute per phone; the page says so next to the phone, typed value kept."""
    send(doctor_client)
    response = send(doctor_client)
    assert response.status_code == 200
    assert field_errors(response, "send_form", "phone") == ["获取校验码过于频繁，请一分钟后再试。"]
    assert len(sms_inbox()) == 1


def test_a_second_phone_from_the_same_client_within_a_minute_is_refused(sms_inbox):
    """ACC-4: once a minute per client too: a second account on the same machine waits."""
    first, second = Client(), Client()
    first.force_login(UserFactory(checked=True, phone=PHONE))
    second.force_login(UserFactory(checked=True, phone=NEW_PHONE))
    send(first, ip="10.1.1.1")
    response = send(second, phone=NEW_PHONE, ip="10.1.1.1")
    assert field_errors(response, "send_form", "phone") == ["获取校验码过于频繁，请一分钟后再试。"]
    response = send(second, phone=NEW_PHONE, ip="10.1.1.2")
    assert field_errors(response, "send_form", "phone") == []
    assert len(sms_inbox()) == 2


def test_a_phone_verified_by_another_account_is_refused(doctor_client, doctor, sms_inbox):
    """ACC-4: one verified phone per account (it is a login name)."""
    UserFactory(phone_verified=True, phone=NEW_PHONE)
    response = send(doctor_client, phone=NEW_PHONE)
    assert field_errors(response, "send_form", "phone") == [
        "该手机号码已被其他账户验证使用，请更换手机号码。"
    ]
    assert sms_inbox() == []
    doctor.refresh_from_db()
    assert doctor.phone == PHONE


def test_a_phone_verified_by_another_account_meanwhile_is_refused_at_confirm(
    doctor_client, doctor, sms_inbox
):
    """ACC-4: the uniqueness is checked again when the code is confirmed."""
    send(doctor_client)
    code = sms_inbox.last_code(PHONE)
    UserFactory(phone_verified=True, phone=PHONE)
    response = confirm(doctor_client, code)
    assert response.context["confirm_form"].non_field_errors() == [
        "该手机号码已被其他账户验证使用，请更换手机号码。"
    ]
    doctor.refresh_from_db()
    assert not doctor.phone_verified


def test_a_verified_phone_sends_the_doctor_to_security_settings(client):
    """ACC-4: nothing to verify any more: 安全设置 (更换手机号 is there)."""
    client.force_login(UserFactory(phone_verified=True))
    response = client.get(VERIFY_PHONE)
    assert response.status_code == 302 and response.url == SECURITY


def test_verification_needs_a_login_and_a_doctor_or_officer(client):
    """ACC-4: anonymous → login; a reviewer → 403; an officer may use the page."""
    response = client.get(VERIFY_PHONE)
    assert response.status_code == 302 and reverse("accounts:login") in response.url
    client.force_login(UserFactory(reviewer=True))
    assert client.get(VERIFY_PHONE).status_code == 403
    assert client.get(SECURITY).status_code == 403
    client.force_login(UserFactory(officer=True, phone=PHONE))
    response = client.get(VERIFY_PHONE)
    assert response.status_code == 200
    assert "layouts/officer.html" in [t.name for t in response.templates]


def test_no_clear_phone_in_any_log_line(doctor_client, sms_inbox, caplog):
    """ACC-4 / security: the whole verification leaves no phone number in the logs."""
    caplog.set_level(logging.DEBUG)
    send(doctor_client)
    confirm(doctor_client, wrong(sms_inbox.last_code(PHONE)))
    confirm(doctor_client, sms_inbox.last_code(PHONE))
    assert PHONE not in caplog.text


# ------------------------------------------------------------------------------------ 验证邮箱


def test_a_doctor_verifies_the_email_instead(doctor_client, doctor, mail_code):
    """ACC-4: the e-mail fallback: code by mail, then the next activation step."""
    response = doctor_client.get(VERIFY_EMAIL)
    assert 'value="doc@example.com"' in response.content.decode()
    response = doctor_client.post(VERIFY_EMAIL, {"action": "send", "email": "doc@example.com"})
    assert "校验码已发送至 do***@example.com，5 分钟内有效" in response.content.decode()
    code = mail_code("doc@example.com")
    response = doctor_client.post(
        VERIFY_EMAIL, {"action": "confirm", "confirm-email": "doc@example.com", "confirm-code": code}
    )
    assert response.url == reverse("accounts:activation")
    doctor.refresh_from_db()
    assert doctor.email_verified and not doctor.phone_verified


def test_an_email_verified_by_another_account_is_refused(doctor_client, mailoutbox):
    """ACC-4: one verified e-mail per account (recovery goes there)."""
    UserFactory(email="Taken@example.com", email_verified_at=timezone.now())
    response = doctor_client.post(VERIFY_EMAIL, {"action": "send", "email": "taken@example.com"})
    assert field_errors(response, "send_form", "email") == ["该邮箱已被其他账户验证使用，请更换邮箱。"]


def test_an_invalid_email_is_refused(doctor_client):
    """ID-5: the e-mail format."""
    response = doctor_client.post(VERIFY_EMAIL, {"action": "send", "email": "not-an-address"})
    assert field_errors(response, "send_form", "email") == ["电子邮箱格式不正确，例如：name@example.com。"]


# ------------------------------------------------------------------------------------ 安全设置


def test_security_page_shows_masked_verified_phone_and_change_link(client):
    """ACC-7 (seed 002 §2.2): 我的手机 | 我的邮箱 | 修改密码, 已校验手机：151****0658 更换手机号."""
    client.force_login(UserFactory(activated=True, phone=PHONE, email="doc@example.com"))
    page = client.get(SECURITY).content.decode()
    for text in ("我的手机", "我的邮箱", "修改密码", "已校验手机：", "151****0658", "更换手机号"):
        assert text in page
    assert PHONE not in page
    page = client.get(SECURITY + "?tab=email").content.decode()
    assert "未验证" in page and "do***@example.com" in page and VERIFY_EMAIL in page


def test_security_page_says_unverified_and_links_verification(doctor_client):
    """ACC-7: before verification the tab says 未验证 and links 验证手机."""
    page = doctor_client.get(SECURITY).content.decode()
    assert "未验证" in page and VERIFY_PHONE in page and "151****0658" in page


def test_the_password_tab_is_the_password_page(doctor_client):
    """ACC-7: ?tab=password is the 修改密码 page."""
    response = doctor_client.get(SECURITY + "?tab=password")
    assert response.url == PASSWORD


# ------------------------------------------------------------------------------------ 修改密码


def change_password(client, old="Passw0rd2024", new="NewPassw0rd9", again=None):
    return client.post(
        PASSWORD,
        {"old_password": old, "new_password1": new, "new_password2": again if again is not None else new},
    )


def test_password_change_keeps_this_session_and_ends_the_others(doctor, sms_inbox):
    """ACC-7: this browser stays logged in; every other session of the account is logged out."""
    here, elsewhere = Client(), Client()
    here.force_login(doctor)
    elsewhere.force_login(doctor)
    assert elsewhere.get(SECURITY).status_code == 200
    response = change_password(here)
    assert response.status_code == 302
    assert "登录密码修改成功。" in here.get(response.url).content.decode()
    assert here.get(SECURITY).status_code == 200
    response = elsewhere.get(SECURITY)
    assert response.status_code == 302 and reverse("accounts:login") in response.url
    doctor.refresh_from_db()
    assert doctor.check_password("NewPassw0rd9")


def test_password_change_deletes_api_tokens(doctor_client, doctor):
    """ACC-7: a stolen API token dies with the old password."""
    Token.objects.create(user=doctor)
    change_password(doctor_client)
    assert not Token.objects.filter(user=doctor).exists()


def test_a_wrong_current_password_is_refused(doctor_client, doctor):
    """ACC-7: the old password is required."""
    response = change_password(doctor_client, old="Wrong0000")
    assert field_errors(response, "form", "old_password") == ["当前登录密码不正确。"]
    doctor.refresh_from_db()
    assert doctor.check_password("Passw0rd2024")


def test_wrong_current_passwords_lock_the_form_for_the_day(doctor_client, doctor):
    """ACC-7: a hijacked session cannot guess the password: after 10 wrong tries even the right one waits."""
    for _ in range(10):
        change_password(doctor_client, old="Wrong0000")
    response = change_password(doctor_client)
    assert field_errors(response, "form", "old_password") == ["当前登录密码输入错误次数过多，请明天再试。"]
    doctor.refresh_from_db()
    assert doctor.check_password("Passw0rd2024")


@pytest.mark.parametrize(
    ("new", "again", "message"),
    [
        ("abcdefgh", None, "密码必须同时包含字母和数字。"),
        ("Ab1", None, ""),  # Django's own message (its translation is Django's)
        ("NewPassw0rd9", "NewPassw0rd8", "两次输入的新密码不一致。"),
        ("Passw0rd2024", None, "新密码不能与当前密码相同。"),
    ],
)
def test_weak_or_mismatched_new_passwords_are_refused(doctor_client, doctor, new, again, message):
    """ACC-7 / ID-4: Django's validators and ours, the confirmation, and no "change" to the same password."""
    response = change_password(doctor_client, new=new, again=again)
    errors = field_errors(response, "form", "new_password1") + field_errors(response, "form", "new_password2")
    assert any(message in e for e in errors), errors
    doctor.refresh_from_db()
    assert doctor.check_password("Passw0rd2024")


def test_password_change_tells_the_verified_phone(client, sms_inbox):
    """ACC-7: the owner of the verified phone learns that the password changed."""
    user = UserFactory(activated=True, phone=PHONE)
    client.force_login(user)
    change_password(client)
    (message,) = sms_inbox()
    assert message["to"] == PHONE and "登录密码已修改" in message["text"]


def test_an_officer_changes_the_password(client):
    """ACC-7: institution officers use the same page (in their own frame)."""
    officer = UserFactory(officer=True)
    client.force_login(officer)
    response = client.get(PASSWORD)
    assert "layouts/officer.html" in [t.name for t in response.templates]
    assert change_password(client).status_code == 302
    officer.refresh_from_db()
    assert officer.check_password("NewPassw0rd9")


# ------------------------------------------------------------------------------------ 更换手机号


@pytest.fixture
def verified_client(client):
    user = UserFactory(activated=True, phone=PHONE, email="doc@example.com", email_verified_at=timezone.now())
    client.force_login(user)
    client.user = user
    return client


def test_change_phone_sends_to_the_new_phone_and_changes_only_after_the_code(verified_client, sms_inbox):
    """ACC-7: password + new phone → code to the NEW phone; the old one stays until the code is right."""
    user = verified_client.user
    response = send(verified_client, phone=NEW_PHONE, url=CHANGE_PHONE, password="Passw0rd2024")
    assert "校验码已发送至 139****5678" in response.content.decode()
    user.refresh_from_db()
    assert user.phone == PHONE and user.phone_verified
    code = sms_inbox.last_code(NEW_PHONE)
    assert [m["to"] for m in sms_inbox()] == [NEW_PHONE]
    response = confirm(verified_client, wrong(code), phone=NEW_PHONE, url=CHANGE_PHONE)
    user.refresh_from_db()
    assert user.phone == PHONE
    response = confirm(verified_client, code, phone=NEW_PHONE, url=CHANGE_PHONE)
    assert response.url == SECURITY
    user.refresh_from_db()
    assert user.phone == NEW_PHONE and user.phone_verified
    # The old phone is told, with the new number masked.
    notice = [m for m in sms_inbox() if m["to"] == PHONE]
    assert len(notice) == 1 and "139****5678" in notice[0]["text"] and NEW_PHONE not in notice[0]["text"]


def test_change_phone_needs_the_current_password(verified_client, sms_inbox):
    """ACC-7: without the right password no code is sent."""
    response = send(verified_client, phone=NEW_PHONE, url=CHANGE_PHONE, password="Wrong0000")
    assert field_errors(response, "send_form", "password") == ["当前登录密码不正确。"]
    response = send(verified_client, phone=NEW_PHONE, url=CHANGE_PHONE)
    assert field_errors(response, "send_form", "password") == ["请输入当前登录密码。"]
    assert sms_inbox() == []


def test_change_phone_refuses_a_phone_verified_by_another_account(verified_client, sms_inbox):
    """ACC-7: the new phone must not be another account's login name."""
    UserFactory(phone_verified=True, phone=NEW_PHONE)
    response = send(verified_client, phone=NEW_PHONE, url=CHANGE_PHONE, password="Passw0rd2024")
    assert field_errors(response, "send_form", "phone") == [
        "该手机号码已被其他账户验证使用，请更换手机号码。"
    ]
    assert sms_inbox() == []


def test_change_phone_refuses_the_same_phone(verified_client):
    """ACC-7: nothing to change."""
    response = send(verified_client, phone=PHONE, url=CHANGE_PHONE, password="Passw0rd2024")
    assert field_errors(response, "send_form", "phone") == ["新手机号码与当前已验证的手机号码相同。"]


def test_a_verify_code_does_not_change_the_phone(verified_client, sms_inbox):
    """ACC-7: codes are bound to their purpose: a VERIFY code cannot confirm a change."""
    from accounts.services.codes import code_issue
    from docregsys.messaging.models import Channel

    code_issue(
        purpose=VerificationCode.Purpose.VERIFY,
        channel=Channel.SMS,
        destination=NEW_PHONE,
        user=verified_client.user,
    )
    code = sms_inbox.last_code(NEW_PHONE)
    response = confirm(verified_client, code, phone=NEW_PHONE, url=CHANGE_PHONE)
    assert field_errors(response, "confirm_form", "code") == ["校验码已失效，请重新获取。"]


def test_change_phone_without_a_verified_phone_goes_to_verification(doctor_client):
    """ACC-7: an unverified phone is verified (and corrected) on 验证手机."""
    assert doctor_client.get(CHANGE_PHONE).url == VERIFY_PHONE


# ------------------------------------------------------------------------------------ 更换邮箱


def test_change_email_by_a_code_to_the_new_address(verified_client, mail_code, mailoutbox):
    """ACC-7: password + new address → code there; after it, the old address gets a notice."""
    user = verified_client.user
    response = verified_client.post(
        CHANGE_EMAIL, {"action": "send", "email": "new@example.com", "password": "Passw0rd2024"}
    )
    assert "校验码已发送至 ne***@example.com" in response.content.decode()
    code = mail_code("new@example.com")
    user.refresh_from_db()
    assert user.email == "doc@example.com"
    response = verified_client.post(
        CHANGE_EMAIL, {"action": "confirm", "confirm-email": "new@example.com", "confirm-code": code}
    )
    assert response.url == SECURITY
    user.refresh_from_db()
    assert user.email == "new@example.com" and user.email_verified
    from docregsys.messaging.services import outbox_drain

    outbox_drain()
    notices = [m for m in mailoutbox if m.to == ["doc@example.com"]]
    assert len(notices) == 1 and "ne***@example.com" in notices[0].body
    assert notices[0].subject == "医师电子化注册信息系统安全提醒"


def test_change_email_needs_the_current_password(verified_client, mailoutbox):
    """ACC-7: without the right password no code is sent."""
    response = verified_client.post(
        CHANGE_EMAIL, {"action": "send", "email": "new@example.com", "password": "Wrong0000"}
    )
    assert field_errors(response, "send_form", "password") == ["当前登录密码不正确。"]
    assert mailoutbox == []


def test_password_change_kills_recovery_codes_in_flight(doctor_client, doctor, sms_inbox):
    """ACC-6/ACC-7: a recovery code sent before the password changed no longer works afterwards."""
    from accounts.services.codes import code_confirm, code_issue
    from docregsys.exceptions import TransitionRefused
    from docregsys.messaging.models import Channel

    recover = VerificationCode.Purpose.RECOVER
    code_issue(purpose=recover, channel=Channel.SMS, destination=PHONE, user=None)
    code = sms_inbox.last_code(PHONE)
    change_password(doctor_client)
    with pytest.raises(TransitionRefused) as caught:
        code_confirm(purpose=recover, destination=PHONE, code=code)
    assert caught.value.code == "code_expired"


def test_the_database_settles_a_race_for_one_verified_phone(doctor, sms_inbox, monkeypatch):
    """ACC-4: if two accounts confirm the same phone at once, the unique constraint keeps one and refuses the other."""
    from accounts.services import security
    from docregsys.exceptions import TransitionRefused

    security.contact_verify_send(channel=PHONE_CHANNEL, user=doctor, value=PHONE, client="10.0.0.9")
    UserFactory(phone=PHONE, phone_verified_at=timezone.now())  # the other account won meanwhile
    monkeypatch.setattr(security, "_taken", lambda channel, value, user: False)  # both passed the early check
    with pytest.raises(TransitionRefused) as refused:
        security.contact_verify_confirm(
            channel=PHONE_CHANNEL, user=doctor, value=PHONE, code=sms_inbox.last_code(PHONE)
        )
    assert refused.value.code == "phone_taken"
    doctor.refresh_from_db()
    assert doctor.phone_verified_at is None
