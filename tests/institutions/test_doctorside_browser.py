"""Issue 9, the doctor's side in a real browser at desktop and 375 px: home, login, activation on paths
a/b/c, a guide in the doctor's frame; screenshots in artifacts/screenshots/doctorside-*.png."""

import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from tests.factories import AnnouncementFactory, UserFactory, make_resident_id
from tests.institutions.test_doctorside import doctor_on

# "密码 *": the required mark is part of the label's text; "密码" alone also matches 用户名/手机号码….
PASSWORD_LABEL = re.compile(r"^密码")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 812}}


def _login(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def _fits(page, size):
    return page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]


@pytest.mark.parametrize("size", SIZES)
def test_home_and_login_look(live_server, page, screenshot, size):
    AnnouncementFactory(title="医师资格考试通过人员相关电子化注册业务 尚未开始 请等待通知")
    page.set_viewport_size(SIZES[size])
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", name="医师个人端")).to_be_visible()
    expect(page.get_by_role("heading", name="机构端入口")).to_be_visible()
    expect(page.get_by_role("link", name="机构端登录")).to_be_visible()
    screenshot(page, f"doctorside-home-{size}")
    assert _fits(page, size)
    page.get_by_role("link", name="登录").first.click()
    expect(page).to_have_title("医师电子化注册信息系统（个人端）")
    expect(page.get_by_label("用户名/手机号码/资格证书编码")).to_be_visible()
    expect(page.get_by_label(PASSWORD_LABEL)).to_be_visible()
    expect(page.get_by_role("button", name="换一张")).to_be_visible()
    screenshot(page, f"doctorside-login-{size}")
    assert _fits(page, size)


@pytest.mark.parametrize("size", SIZES)
def test_activation_on_each_path_and_a_guide_in_the_doctors_frame(live_server, page, screenshot, size):
    page.set_viewport_size(SIZES[size])
    for seq, path in (("741", "code"), ("742", "certificate"), ("743", "ticket")):
        user = doctor_on(path, make_resident_id(seq=seq), checked=True, username=f"ds-{path}")
        page.context.clear_cookies()
        _login(page, live_server, user)
        page.goto(live_server.url + "/accounts/activation/")
        tips = page.locator(".phone-tips")
        expect(tips).to_be_visible()
        assert ("医疗机构生成的激活码" in tips.inner_text()) is (path == "code")
        screenshot(page, f"doctorside-activation-{path}-{size}")
        assert _fits(page, size), path
    page.get_by_role("link", name="资格补改指南").first.click()
    page.get_by_role("link", name="新人新办法医师资格信息修改及补录指南").first.click()
    expect(page.get_by_role("heading", name="新人新办法医师资格信息修改及补录指南")).to_be_visible()
    assert page.locator("body.audience-doctor").count() == 1
    screenshot(page, f"doctorside-guide-doctor-{size}")
    assert _fits(page, size)


def test_an_english_browser_sees_chinese_until_english_is_chosen(live_server, browser, screenshot):
    context = browser.new_context(locale="en-US", viewport=SIZES["phone"])
    page = context.new_page()
    UserFactory(username="ds-en")
    page.goto(live_server.url + "/accounts/login/")
    expect(page.get_by_label("用户名/手机号码/资格证书编码")).to_be_visible()
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    screenshot(page, "doctorside-login-en-chosen-phone")
    context.close()
