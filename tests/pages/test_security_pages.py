"""验证手机 and 安全设置 in a real browser (ACC-4, ACC-7): the flow, screenshots at 375 px and desktop."""

import re

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import expect

from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 812}}
PHONE = "15175070658"


def log_in(page, live_server, user):
    """Reuse a Django session in the browser (the login form has its own tests)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def no_horizontal_scroll(page, width):
    return page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("size", SIZES)
def test_verify_phone_in_the_browser(live_server, page, screenshot, sms_inbox, size):
    """ACC-4: a doctor sends a code, mistypes it, then verifies; every step looked at."""
    doctor = UserFactory(checked=True, phone=PHONE, email="doc@example.com", real_name="宋宏强")
    log_in(page, live_server, doctor)
    page.set_viewport_size(SIZES[size])

    page.goto(live_server.url + "/accounts/security/")
    expect(page.get_by_text("未验证")).to_be_visible()
    screenshot(page, f"security-unverified-{size}")
    assert no_horizontal_scroll(page, SIZES[size]["width"])

    page.get_by_role("link", name="验证手机").last.click()
    assert page.get_by_label("我的手机").input_value() == PHONE
    screenshot(page, f"verify-phone-{size}")
    assert no_horizontal_scroll(page, SIZES[size]["width"])

    # A typo in the phone: refused next to the field, the typed value kept.
    page.get_by_label("我的手机").fill("1517507065")
    page.get_by_role("button", name="向手机发送校验码").click()
    expect(page.get_by_text("手机号码应为11位数字，您输入了10位。")).to_be_visible()
    assert page.get_by_label("我的手机").input_value() == "1517507065"
    screenshot(page, f"verify-phone-error-{size}")

    page.get_by_label("我的手机").fill(PHONE)
    page.get_by_role("button", name="向手机发送校验码").click()
    expect(page.get_by_text("校验码已发送至 151****0658，5 分钟内有效")).to_be_visible()
    code = sms_inbox.last_code(PHONE)  # drains the outbox as the worker would
    page.get_by_label("请填写手机校验码").fill("000000" if code != "000000" else "111111")
    page.get_by_label("请填写手机校验码").press("Enter")  # Enter confirms; it does not send a new code
    expect(page.get_by_text("校验码不正确，请重新输入。")).to_be_visible()
    screenshot(page, f"verify-phone-wrong-code-{size}")
    assert len(sms_inbox()) == 1

    page.get_by_label("请填写手机校验码").fill(code)
    page.get_by_role("button", name="确定").click()
    page.wait_for_url(re.compile(r"/accounts/activation/"))
    doctor.refresh_from_db()
    assert doctor.phone_verified


@pytest.mark.parametrize("size", SIZES)
def test_security_settings_in_the_browser(live_server, page, screenshot, size):
    """ACC-7: the tabs with the masked phone, 更换手机号, and 修改密码 with its refusals."""
    doctor = UserFactory(activated=True, phone=PHONE, email="doc@example.com", real_name="宋宏强")
    log_in(page, live_server, doctor)
    page.set_viewport_size(SIZES[size])

    page.goto(live_server.url + "/accounts/security/")
    expect(page.get_by_text("已校验手机：")).to_be_visible()
    expect(page.get_by_text("151****0658")).to_be_visible()
    screenshot(page, f"security-{size}")
    assert no_horizontal_scroll(page, SIZES[size]["width"])

    page.get_by_role("link", name="更换手机号").click()
    page.get_by_label("当前登录密码").fill("Passw0rd2024")
    page.get_by_label("新手机号码").fill("13912345678")
    page.get_by_role("button", name="向新手机发送校验码").click()
    expect(page.get_by_text("校验码已发送至 139****5678，5 分钟内有效")).to_be_visible()
    screenshot(page, f"change-phone-sent-{size}")
    assert no_horizontal_scroll(page, SIZES[size]["width"])

    page.goto(live_server.url + "/accounts/security/")
    page.get_by_role("link", name="修改密码").click()
    page.get_by_label("当前登录密码").fill("Passw0rd2024")
    page.locator("#id_new_password1").fill("abcdefgh")
    page.get_by_label("确认新密码").fill("abcdefgh")
    page.get_by_role("button", name="修改密码").click()
    expect(page.get_by_text("密码必须同时包含字母和数字。")).to_be_visible()
    screenshot(page, f"password-error-{size}")
    assert no_horizontal_scroll(page, SIZES[size]["width"])

    page.get_by_label("当前登录密码").fill("Passw0rd2024")
    page.locator("#id_new_password1").fill("NewPassw0rd9")
    page.get_by_label("确认新密码").fill("NewPassw0rd9")
    page.get_by_role("button", name="修改密码").click()
    expect(page.get_by_text("登录密码修改成功。")).to_be_visible()
    screenshot(page, f"password-done-{size}")
