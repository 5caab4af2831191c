"""ACC-1 sign-up in two steps, the summary page and the privacy policy, through the web pages."""

import pytest
from django.db import IntegrityError
from django.urls import reverse

from accounts.models import User
from accounts.services.signup import account_signup
from docregsys.exceptions import TransitionRefused
from docregsys.identity.crypto import id_number_digest
from tests.factories import UserFactory, make_resident_id

pytestmark = pytest.mark.django_db

ID_NUMBER = make_resident_id(seq="123")
TAKEN = "该身份证号已注册过账户。如忘记用户名或密码，请通过“找回您的登录账户”找回。"
STEP1 = {
    "real_name": "王小明",
    "id_number": ID_NUMBER,
    "captcha_0": "k",
    "captcha_1": "PASSED",
    "agree": "on",
}
STEP2 = {
    "phone": "13912345678",
    "email": "wang@example.com",
    "username": "wangxm2024",
    "password1": "Yiliao2024go",
    "password2": "Yiliao2024go",
}


@pytest.fixture(autouse=True)
def captcha_passes(monkeypatch):
    # django-simple-captcha reads CAPTCHA_TEST_MODE once at import: the settings fixture comes too late.
    monkeypatch.setattr("captcha.conf.settings.CAPTCHA_TEST_MODE", True)


def step1(client, **changes):
    return client.post(reverse("accounts:signup"), {**STEP1, **changes})


def step2(client, **changes):
    return client.post(reverse("accounts:signup_account"), {**STEP2, **changes})


def test_step_one_page_has_the_seed_fields_and_notes(client):
    """ACC-1: 您的姓名, 身份证号, 验证码 (换一张), 隐私政策 consent, 确定，继续, the two sign-up paths."""
    html = client.get(reverse("accounts:signup")).content.decode()
    for text in (
        "您的姓名",
        "请输入您的身份证上的姓名！",
        "身份证号",
        "请输入您的身份证上的号码！",
        "验证码",
        "换一张",
        "确定，继续",
        "温馨提示",
        "注册流程",
        "A 在册医师",
        "B 有资格从未注册",
        "带有星号的为必填项",
    ):
        assert text in html, text
    assert f'href="{reverse("accounts:privacy")}"' in html
    assert 'src="/captcha/image/' in html


def test_happy_path_creates_the_account_logs_in_and_shows_the_masked_summary(client):
    """ACC-1: both steps → a doctor with encrypted ID and unverified phone; summary masked, no password."""
    response = step1(client)
    assert response.status_code == 302 and response.url == reverse("accounts:signup_account")
    response = step2(client)
    assert response.status_code == 302 and response.url == reverse("accounts:signup_done")

    user = User.objects.get(username="wangxm2024")
    assert user.is_doctor and user.real_name == "王小明"
    assert user.id_number == ID_NUMBER
    assert ID_NUMBER not in user.id_number_cipher
    assert user.id_number_digest == id_number_digest(ID_NUMBER)
    assert user.phone == "13912345678" and user.phone_verified_at is None
    assert user.email == "wang@example.com" and user.email_verified_at is None
    assert user.check_password("Yiliao2024go")
    assert client.session["_auth_user_id"] == str(user.pk)

    html = client.get(reverse("accounts:signup_done")).content.decode()
    assert "您的账户信息" in html
    assert "注册信息，请牢记！" in html
    assert "请牢记您的用户名和密码，建议记录下来或用手机拍照！" in html
    assert "wa...024" in html
    assert "139****5678" in html and "wa***@example.com" in html
    for secret in ("wangxm2024", "13912345678", "wang@example.com", "Yiliao2024go"):
        assert secret not in html, secret
    assert f'href="{reverse("accounts:check")}"' in html and "点击下一步" in html


def test_the_session_never_holds_the_clear_id_number(client):
    """ACC-1, X-3: between the steps only the ciphertext is kept."""
    step1(client)
    stored = repr(dict(client.session.items()))
    assert ID_NUMBER not in stored
    assert ID_NUMBER[:17] not in stored
    assert client.session["signup_identity"]["id_number_cipher"]


def test_step_two_without_step_one_goes_back_to_step_one(client):
    """ACC-1: step 2 needs step 1's answers."""
    assert client.get(reverse("accounts:signup_account")).url == reverse("accounts:signup")
    response = step2(client)
    assert response.status_code == 302 and response.url == reverse("accounts:signup")
    assert not User.objects.exists()


def test_summary_needs_the_sign_up_session(client):
    client.force_login(UserFactory())
    assert client.get(reverse("accounts:signup_done")).url == reverse("accounts:check")


def test_duplicate_id_is_refused_at_step_one_without_naming_the_owner(client):
    """ACC-1: one account per ID number; the message says nothing about whose account, and links to recovery."""
    UserFactory(id_number=ID_NUMBER, username="owner0001", real_name="李四")
    response = step1(client)
    assert response.status_code == 200
    html = response.content.decode()
    assert TAKEN in html
    assert f'href="{reverse("accounts:recover")}"' in html
    assert "owner0001" not in html and "李四" not in html
    assert "signup_identity" not in client.session
    assert User.objects.count() == 1


def test_duplicate_id_registered_between_the_steps_is_refused_with_the_same_message(client):
    """ACC-1: a sign-up racing ahead between step 1 and step 2 — same words, nothing created."""
    step1(client)
    UserFactory(id_number=ID_NUMBER, username="racer0001")
    response = step2(client)
    assert response.status_code == 200
    html = response.content.decode()
    assert TAKEN in html
    assert "racer0001" not in html
    assert not User.objects.filter(username="wangxm2024").exists()
    assert "_auth_user_id" not in client.session


def test_database_constraint_refuses_a_race_past_the_checks(monkeypatch):
    """ACC-1: when two sign-ups pass the checks at once, the unique constraint decides, same message."""
    from accounts.services import signup as service

    UserFactory(id_number=ID_NUMBER)
    monkeypatch.setattr(service, "account_id_number_check", lambda **kw: None)
    with pytest.raises(TransitionRefused) as exc:
        account_signup(
            real_name="王小明",
            id_number=ID_NUMBER,
            phone="13912345678",
            email="w@example.com",
            username="wangxm2024",
            password="Yiliao2024go",
        )
    assert str(exc.value.message) == TAKEN and exc.value.field == "id_number"
    assert User.objects.count() == 1


def test_unique_constraint_exists_in_the_database():
    UserFactory(id_number=ID_NUMBER)
    user = User(username="another01", role=User.Role.DOCTOR)
    user.set_id_number(ID_NUMBER)
    with pytest.raises(IntegrityError):
        user.save()


def test_wrong_captcha_is_refused_and_keeps_what_was_typed(client):
    """ACC-1: the image captcha is checked."""
    response = step1(client, captcha_1="WRONG")
    html = response.content.decode()
    assert "验证码不正确" in html
    assert 'value="王小明"' in html
    assert "signup_identity" not in client.session


def test_privacy_consent_is_required(client):
    response = step1(client, agree="")
    assert "请阅读并同意《隐私政策》后继续。" in response.content.decode()
    assert "signup_identity" not in client.session


@pytest.mark.parametrize(
    ("name", "message"),
    [("Wang小明", "姓名"), ("王小明1", "姓名"), ("", "请输入")],
)
def test_bad_names_are_refused(client, name, message):
    """ID-2: Chinese characters only."""
    response = step1(client, real_name=name)
    assert response.status_code == 200
    assert 'id="id_real_name_error"' in response.content.decode()
    assert message in response.content.decode()


def test_bad_check_digit_is_refused(client):
    """ID-1: the GB 11643 check digit."""
    bad = ID_NUMBER[:17] + ("0" if ID_NUMBER[17] != "0" else "1")
    html = step1(client, id_number=bad).content.decode()
    assert "身份证号码校验位（最后一位）不正确" in html


def test_fifteen_digit_id_is_refused(client):
    html = step1(client, id_number="430102900101123").content.decode()
    assert "不支持15位身份证号码" in html


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("Ab1", "密码"),  # too short
        ("1234567890123", "密码"),  # digits only
        ("abcdefghijk", "密码必须同时包含字母和数字"),  # letters only
        ("wangxm2024a", "相似"),  # too similar to the username
    ],
)
def test_weak_passwords_are_refused(client, password, expected):
    """ID-4: at least 8, letters and digits, Django's validators with the user."""
    step1(client)
    response = step2(client, password1=password, password2=password)
    html = response.content.decode()
    assert 'id="id_password1_error"' in html
    assert expected in html
    assert not User.objects.exists()


def test_mismatched_confirmation_is_refused(client):
    step1(client)
    html = step2(client, password2="Yiliao2024gO").content.decode()
    assert "两次输入的密码不一致。" in html
    assert not User.objects.exists()


def test_taken_username_is_a_field_error(client):
    """ID-3: unique usernames."""
    UserFactory(username="wangxm2024")
    step1(client)
    html = step2(client).content.decode()
    assert 'id="id_username_error"' in html and "该用户名已被使用" in html


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("username", "1abcdef", "用户名必须以英文字母开头"),
        ("username", "abc", "用户名长度应为6至12位"),
        ("phone", "1391234567", "手机号码应为11位数字"),
        ("email", "not-an-address", "电子邮箱格式不正确"),
    ],
)
def test_step_two_field_rules(client, field, value, message):
    """ID-3, ID-5."""
    step1(client)
    html = step2(client, **{field: value}).content.decode()
    assert f'id="id_{field}_error"' in html and message in html


def test_step_two_page_has_the_seed_labels(client):
    step1(client)
    html = client.get(reverse("accounts:signup_account")).content.decode()
    for text in (
        "手机号码",
        "*请如实填写手机号码",
        "电子邮箱",
        "*请如实填写电子邮箱",
        "用户名称",
        "医师自己设置用户名，请牢记！",
        "用户名以字母开头，6至12位数字和字母组合",
        "登录密码",
        "确认密码",
        "确定，继续",
    ):
        assert text in html, text


def test_privacy_policy_page_is_public_and_complete(client):
    html = client.get(reverse("accounts:privacy")).content.decode()
    for text in ("隐私政策", "收集", "加密", "保存期限", "您的权利", "联系我们"):
        assert text in html, text


def test_logged_in_user_does_not_sign_up_again(client):
    client.force_login(UserFactory())
    assert client.get(reverse("accounts:signup")).status_code == 302


def test_no_clear_id_number_or_phone_in_any_log_line(client, caplog):
    """X-3: the whole sign-up and check, including refusals, logs no personal number."""
    caplog.set_level("DEBUG")
    step1(client, id_number=ID_NUMBER[:17])
    step1(client)
    step2(client, password2="mismatch1")
    step2(client)
    client.get(reverse("accounts:signup_done"))
    client.get(reverse("accounts:check"))
    client.post(reverse("accounts:identity_update"), {"real_name": "王小明", "id_number": ID_NUMBER})
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert ID_NUMBER not in logged and ID_NUMBER[:17] not in logged
    assert "13912345678" not in logged


def test_the_sign_up_page_shows_the_current_notices(client):
    """ACC-1, seed 000: 通告 beside the sign-up form (e.g. new passers' registration not yet open)."""
    from tests.factories import AnnouncementFactory

    AnnouncementFactory(title="医师资格考试通过人员相关电子化注册业务 尚未开始 请等待通知")
    html = client.get(reverse("accounts:signup")).content.decode()
    assert "通告" in html
    assert "医师资格考试通过人员相关电子化注册业务 尚未开始 请等待通知" in html
