"""ACC-2: the login page with its image captcha, and the lockout after repeated failures."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Passw0rd2024"


@pytest.fixture(autouse=True)
def captcha_passes(monkeypatch):
    # django-simple-captcha reads CAPTCHA_TEST_MODE once at import: the settings fixture comes too late.
    monkeypatch.setattr("captcha.conf.settings.CAPTCHA_TEST_MODE", True)


def login(client, username="doctor01", password=PASSWORD, captcha="PASSED"):
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password, "captcha_0": "k", "captcha_1": captcha},
    )


def test_login_page_has_captcha_after_the_password_and_real_links(client):
    """ACC-2: 登录账号, 登录密码, 验证码 in that order; sign-up and recovery are links now."""
    html = client.get(reverse("accounts:login")).content.decode()
    assert (
        html.index('for="id_username"') < html.index('for="id_password"') < html.index('for="id_captcha_1"')
    )
    assert "换一张" in html and 'src="/captcha/image/' in html
    assert f'href="{reverse("accounts:signup")}"' in html
    assert f'href="{reverse("accounts:recover")}"' in html
    assert "忘记密码" in html and "找回您的登录账户" in html
    assert "即将开放" not in html


def test_right_captcha_and_password_log_in(client):
    user = UserFactory(username="doctor01")
    response = login(client)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_wrong_captcha_does_not_log_in_nor_count_a_failure_and_keeps_the_username(client):
    """ACC-2: the captcha is checked before the password is tried."""
    UserFactory(username="doctor01")
    response = login(client, captcha="WRONG")
    assert response.status_code == 200
    html = response.content.decode()
    assert "验证码不正确" in html
    assert "登录账号或密码不正确" not in html
    assert 'value="doctor01"' in html
    assert "_auth_user_id" not in client.session
    assert not AccessAttempt.objects.exists()


def test_wrong_password_with_right_captcha_says_so_without_naming_which(client):
    UserFactory(username="doctor01")
    html = login(client, password="wrong-pass1").content.decode()
    assert "登录账号或密码不正确" in html
    assert 'value="doctor01"' in html


def test_five_failures_lock_the_account_even_for_the_right_password(client):
    """ACC-2: after 5 failures the 6th attempt, even with the right password, gets the lockout page."""
    UserFactory(username="doctor01")
    for _attempt in range(4):
        assert login(client, password="wrong-pass1").status_code == 200
    fifth = login(client, password="wrong-pass1")
    assert fifth.status_code == 429
    response = login(client)
    assert response.status_code == 429
    html = response.content.decode()
    assert "账号已暂时锁定" in html
    assert "由于连续 5 次登录失败" in html
    assert "分钟后再试" in html
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_username_and_client(client):
    """ACC-2: another account from the same client still logs in (lockout by username + IP)."""
    UserFactory(username="doctor01")
    other = UserFactory(username="doctor02")
    for _attempt in range(5):
        login(client, password="wrong-pass1")
    response = login(client, username="doctor02")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(other.pk)
