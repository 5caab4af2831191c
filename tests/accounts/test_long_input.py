"""X-4: a 1 MB value in any field gets a clear Chinese field error, keeps the rest, and writes nothing.

Before, the login username reached django-axes' varchar(255) column and passwords of any length
were hashed; now every field has a maximum (passwords 128, SPEC §12).
"""

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from tests.factories import UserFactory, make_resident_id

pytestmark = pytest.mark.django_db

HUGE = "a1" * (512 * 1024)  # 1 MB
ID_NUMBER = make_resident_id(seq="377")


@pytest.fixture(autouse=True)
def captcha_passes(monkeypatch):
    monkeypatch.setattr("captcha.conf.settings.CAPTCHA_TEST_MODE", True)


def nothing_written(users=0):
    assert User.objects.count() == users
    assert not AccessAttempt.objects.exists() and not AccessFailureLog.objects.exists()


def test_login_page_refuses_a_1mb_username_before_axes_sees_it(client):
    """X-4 / ACC-2: a field error on 登录账号; axes records nothing (its username column is varchar(255))."""
    response = client.post(
        reverse("accounts:login"),
        {"username": HUGE, "password": "Yiliao2024go", "captcha_0": "k", "captcha_1": "PASSED"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["username"]
    assert errors["username"] == [f"确保该变量包含不超过 150 字符 (目前字符数 {len(HUGE)})。"]
    nothing_written()


def test_login_page_refuses_a_1mb_password_and_keeps_the_username(client):
    """X-4 / SPEC §12: passwords are at most 128 characters; the username typed stays in the form."""
    UserFactory(username="doctor01")
    response = client.post(
        reverse("accounts:login"),
        {"username": "doctor01", "password": HUGE, "captcha_0": "k", "captcha_1": "PASSED"},
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["password"]
    assert 'value="doctor01"' in response.content.decode()
    nothing_written(users=1)


def test_token_api_refuses_a_1mb_username_and_password():
    """X-4 / ACC-2: the token endpoint bounds both fields before authenticate() and axes run."""
    response = APIClient().post(
        reverse("accounts-api:token"),
        {"username": HUGE, "password": HUGE, "captcha_key": "k", "captcha_value": "PASSED"},
        format="json",
    )
    assert response.status_code == 400
    errors = {e["field"]: e for e in response.json()["errors"]}
    assert set(errors) == {"username", "password"}
    assert errors["username"] == {
        "field": "username",
        "code": "max_length",
        "message": "请确保这个字段不能超过 150 个字符。",
    }
    assert errors["password"]["message"] == "请确保这个字段不能超过 128 个字符。"
    nothing_written()


def test_sign_up_page_refuses_a_1mb_password_and_keeps_what_was_typed(client):
    """X-4 / ACC-1: step 2 shows the error on 登录密码 and keeps the phone, e-mail and username."""
    client.post(
        reverse("accounts:signup"),
        {"real_name": "王小明", "id_number": ID_NUMBER, "captcha_0": "k", "captcha_1": "PASSED", "agree": "on"},
    )
    response = client.post(
        reverse("accounts:signup_account"),
        {
            "phone": "13912345678",
            "email": "wang@example.com",
            "username": "wangxm2024",
            "password1": HUGE,
            "password2": HUGE,
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["password1"] == [f"确保该变量包含不超过 128 字符 (目前字符数 {len(HUGE)})。"]
    html = response.content.decode()
    for kept in ('value="13912345678"', 'value="wang@example.com"', 'value="wangxm2024"'):
        assert kept in html
    assert HUGE not in html  # a password is never echoed back
    nothing_written()


def test_sign_up_api_refuses_a_1mb_password():
    """X-4 / ACC-1: 400 on password and password_confirm; no account."""
    response = APIClient().post(
        reverse("accounts-api:signup"),
        {
            "real_name": "赵六",
            "id_number": ID_NUMBER,
            "phone": "13912345678",
            "email": "zhao@example.com",
            "username": "zhaoliu88",
            "password": HUGE,
            "password_confirm": HUGE,
            "agree_privacy": True,
            "captcha_key": "k",
            "captcha_value": "PASSED",
        },
        format="json",
    )
    assert response.status_code == 400
    assert {(e["field"], e["code"]) for e in response.json()["errors"]} == {
        ("password", "max_length"),
        ("password_confirm", "max_length"),
    }
    nothing_written()


def test_a_1mb_captcha_answer_is_a_field_error(client):
    """X-4: the captcha's parts are bounded like every other field."""
    response = client.post(
        reverse("accounts:recover_phone"), {"phone": "13912345678", "captcha_0": "k", "captcha_1": HUGE}
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["captcha"]
    nothing_written()


def test_the_recovery_password_form_is_bounded_without_changing_djangos_own_form():
    """X-4: the bounded password fields are the project's copies; Django's SetPasswordForm is untouched."""
    from django.contrib.auth.forms import SetPasswordForm

    from accounts.forms.recovery import RecoverSetPasswordForm

    assert RecoverSetPasswordForm.base_fields["new_password1"].max_length == 128
    assert SetPasswordForm.base_fields["new_password1"].max_length is None
