"""The pages in a real browser at desktop and phone widths: screenshots, no sideways scroll, login (X-2)."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import AnnouncementFactory, UserFactory

# "密码 *": the required mark is part of the label's text; "密码" alone also matches 用户名/手机号码….
PASSWORD_LABEL = re.compile(r"^密码")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 812}}
NOTICE = "医师资格考试通过人员相关电子化注册业务 尚未开始 请等待通知"


def no_horizontal_scroll(page, width):
    return page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("size", SIZES)
def test_home_and_login_look(live_server, page, screenshot, size):
    AnnouncementFactory(title=NOTICE)
    page.set_viewport_size(SIZES[size])
    for name, path in (
        ("home", "/"),
        ("login", "/accounts/login/"),
        ("guides", "/qualifications/guides/"),
        ("guide-exam", "/qualifications/guides/exam/"),
    ):
        page.goto(live_server.url + path)
        expect(page.get_by_text("医师电子化注册信息系统").first).to_be_visible()
        screenshot(page, f"{name}-{size}")
        assert no_horizontal_scroll(page, SIZES[size]["width"]), f"{name} scrolls sideways at {size}"
    page.goto(live_server.url + "/")
    expect(page.get_by_text(NOTICE)).to_be_visible()


@pytest.mark.parametrize("size", SIZES)
def test_login_through_the_form_shows_the_header(live_server, page, screenshot, size):
    UserFactory(username="doctor10", real_name="王医生", activated=True)
    page.set_viewport_size(SIZES[size])
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("用户名/手机号码/资格证书编码").fill("doctor10")
    page.get_by_label(PASSWORD_LABEL).fill("wrong-pass1")
    page.get_by_label("验证码").fill("PASSED")
    page.get_by_role("button", name="登录").click()
    assert page.get_by_role("alert").inner_text().startswith("登录账号或密码不正确")
    assert page.get_by_label("用户名/手机号码/资格证书编码").input_value() == "doctor10"
    screenshot(page, f"login-error-{size}")
    page.get_by_label(PASSWORD_LABEL).fill("Passw0rd2024")
    page.get_by_label("验证码").fill("PASSED")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(live_server.url + "/")
    header = page.locator(".whoami")
    assert "王医生" in header.inner_text()
    assert "医师" in header.inner_text()
    screenshot(page, f"home-doctor-{size}")
    assert no_horizontal_scroll(page, SIZES[size]["width"])
    page.get_by_role("button", name="退出").click()
    page.wait_for_url(live_server.url + "/")
    assert page.locator(".whoami").count() == 0


def test_language_switch_in_the_browser(live_server, page, screenshot):
    page.set_viewport_size(SIZES["phone"])
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    # The login labels are new Chinese msgids (密码 …) the lead translates at the end; 验证码 is translated.
    expect(page.get_by_label(re.compile(r"^Captcha"))).to_be_visible()
    screenshot(page, "login-en-phone")
    assert no_horizontal_scroll(page, 375)


def test_officer_and_reviewer_headers(live_server, page, screenshot, sms_inbox):
    officer = UserFactory(officer=True, username="officer01", real_name="刘管理", phone="13907310011")
    page.set_viewport_size(SIZES["desktop"])
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("用户名/手机号码/资格证书编码").fill("officer01")
    page.get_by_label(PASSWORD_LABEL).fill("Passw0rd2024")
    page.get_by_label("验证码").fill("PASSED")
    page.get_by_role("button", name="登录").click()
    # INS-1: officers log in at the console's entrance (with an SMS code), not here.
    assert "/institution/" in page.get_by_role("alert").inner_text()
    page.goto(live_server.url + "/institution/")
    page.get_by_label("用户名").fill("officer01")
    page.locator("#id_password").fill("Passw0rd2024")
    page.get_by_label("验证码").fill("PASSED")
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_url(live_server.url + "/institution/login/code/")
    code = sms_inbox.last_code("13907310011")
    page.get_by_label("短信校验码").fill(code)
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_url(live_server.url + "/institution/home/")
    assert officer.institution.name in page.locator(".whoami").inner_text()
    screenshot(page, "home-officer-desktop")
