"""ACC-6 pages in a real browser at phone and desktop widths: chooser, phone recovery, personal information."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import CertificateFactory, UserFactory, make_resident_id

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 812}}
PHONE = "13912345678"


@pytest.fixture(autouse=True)
def captcha_test_mode(monkeypatch):
    # captcha.conf reads CAPTCHA_TEST_MODE once at import: the settings fixture alone comes too late.
    monkeypatch.setattr("captcha.conf.settings.CAPTCHA_TEST_MODE", True)


def no_horizontal_scroll(page, width):
    return page.evaluate("document.documentElement.scrollWidth") <= width


def shot(page, screenshot, name, size):
    screenshot(page, f"recover-{name}-{size}")
    assert no_horizontal_scroll(page, SIZES[size]["width"]), f"{name} scrolls sideways at {size}"


@pytest.mark.parametrize("size", SIZES)
def test_recover_by_phone_in_the_browser(live_server, page, screenshot, sms_inbox, size):
    """ACC-6: login → 找回您的登录账户 → 通过手机找回 → 校验码 → 设置新密码 → login with the new password."""
    UserFactory(username="lisiwang01", real_name="李四", activated=True, phone=PHONE)
    page.set_viewport_size(SIZES[size])
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_role("link", name="找回您的登录账户").first.click()
    expect(page.get_by_role("heading", name="找回您的登录账户")).to_be_visible()
    shot(page, screenshot, "choose", size)

    page.get_by_role("link", name="通过手机找回").click()
    page.get_by_label("手机号码").fill("1391234")
    page.get_by_label("验证码").fill("PASSED")
    page.get_by_role("button", name="获取校验码").click()
    assert "手机号码应为11位数字" in page.locator(".field-errors").first.inner_text()
    shot(page, screenshot, "phone-error", size)
    page.get_by_label("手机号码").fill(PHONE)
    page.get_by_label("验证码").fill("PASSED")
    page.get_by_role("button", name="获取校验码").click()
    expect(page.get_by_text("如果该手机号码已通过验证，校验码已发送，5 分钟内有效。")).to_be_visible()
    assert PHONE not in page.url
    shot(page, screenshot, "code", size)

    page.get_by_label("校验码").fill(sms_inbox.last_code(PHONE))
    page.get_by_role("button", name="下一步").click()
    expect(page.get_by_text("li****01")).to_be_visible()
    page.locator("#id_new_password1").fill("short1")
    page.get_by_label("确认新密码").fill("short1")
    page.get_by_role("button", name="确定").click()
    expect(page.locator(".field-errors").first).to_be_visible()
    shot(page, screenshot, "password", size)
    page.locator("#id_new_password1").fill("Neues2025pass")
    page.get_by_label("确认新密码").fill("Neues2025pass")
    page.get_by_role("button", name="确定").click()
    page.wait_for_url(live_server.url + "/accounts/login/")
    expect(page.get_by_text("密码已重置，请使用新密码登录。")).to_be_visible()
    shot(page, screenshot, "done", size)


@pytest.mark.parametrize("size", SIZES)
def test_recover_by_personal_information_in_the_browser(live_server, page, screenshot, size):
    """ACC-6: no match → the generic message; an activated account → masked username and guidance."""
    number = make_resident_id("430102", "19910203", "456")
    UserFactory(
        username="wangwu88",
        real_name="王五",
        id_number=number,
        phone="13700001111",
        activated_at=timezone.now(),
    )
    certificate = CertificateFactory(real_name="王五", id_number=number, number="202543010000000000001")
    page.set_viewport_size(SIZES[size])
    page.goto(live_server.url + "/accounts/recover/personal/")
    shot(page, screenshot, "personal", size)

    def submit(name):
        page.get_by_label("您的姓名").fill(name)
        page.get_by_label("身份证号").fill(number)
        page.get_by_label("医师资格证书编码").fill(certificate.number)
        page.get_by_label("验证码").fill("PASSED")
        page.get_by_role("button", name="找回账户").click()

    submit("王六")
    assert page.get_by_role("alert").inner_text().startswith("未找到与所填信息相符的账户")
    shot(page, screenshot, "personal-nomatch", size)
    submit("王五")
    expect(page.get_by_text("wa****88")).to_be_visible()
    expect(page.get_by_text("该账户已验证手机号码或邮箱（或已激活）")).to_be_visible()
    expect(page.get_by_role("link", name="通过手机找回")).to_be_visible()
    shot(page, screenshot, "personal-protected", size)
