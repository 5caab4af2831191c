"""INS-1 in a real browser: the SMS password, the console login with captcha, the SMS code, the new password,
系统主页; screenshots at desktop and phone widths."""

import re

import pytest

from accounts.models import User
from accounts.services.officers import officer_create
from docregsys.messaging.models import OutboundMessage
from tests import personas
from tests.factories import AnnouncementFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 812}}


def sms_to(inbox, phone: str) -> str:
    """The newest SMS to `phone`. The outbox row's body is blanked once the worker sent it (on commit, here):
    the text is read where the file backend delivered it, with the row checked to be an SMS to that phone."""
    assert OutboundMessage.objects.filter(destination=phone, channel="sms").exists()
    return [m["text"] for m in inbox() if m["to"] == phone][-1]


def no_horizontal_scroll(page, width):
    return page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("size", SIZES)
def test_a_new_officer_logs_in_with_the_sms_password_and_code(live_server, page, screenshot, size, sms_inbox):
    """INS-1: SMS password → 医疗机构版系统登录 → 短信校验 → 修改初始密码 → 系统主页."""
    AnnouncementFactory(title="关于开展医师电子化注册工作的通知")
    phone = "13907310021" if size == "desktop" else "13907310022"
    username = f"furong{size[:2]}01"
    officer_create(
        actor=personas.county_reviewer(),
        username=username,
        real_name="周敏",
        institution=personas.institution(personas.X),
        phone=phone,
    )
    password = re.search(r"初始密码：(\w+)", sms_to(sms_inbox, phone)).group(1)
    width = SIZES[size]["width"]
    page.set_viewport_size(SIZES[size])
    # A Chinese-speaking officer (tests/pages/conftest.py sets this for the page tests' contexts).
    page.set_extra_http_headers({"Accept-Language": "zh-CN,zh;q=0.9"})

    page.goto(live_server.url + "/institution/")
    page.get_by_label("用户名").fill(username)
    page.locator("#id_password").fill(password)
    page.get_by_label("验证码").fill("PASSED")
    screenshot(page, f"entrance-login-{size}")
    assert no_horizontal_scroll(page, width)
    page.get_by_role("button", name="登录", exact=True).click()

    page.wait_for_url(live_server.url + "/institution/login/code/")
    assert "139****" in page.locator("main").inner_text()
    code = re.search(r"\b(\d{6})\b", sms_to(sms_inbox, phone)).group(1)
    page.get_by_label("短信校验码").fill(code)
    screenshot(page, f"entrance-code-{size}")
    assert no_horizontal_scroll(page, width)
    page.get_by_role("button", name="登录", exact=True).click()

    page.wait_for_url(live_server.url + "/institution/password/")
    screenshot(page, f"entrance-password-{size}")
    page.get_by_label("当前登录密码").fill(password)
    page.locator("#id_new_password1").fill("Hospital2026x")
    page.locator("#id_new_password2").fill("Hospital2026x")
    page.get_by_role("button", name="修改密码").click()

    page.wait_for_url(live_server.url + "/institution/home/")
    main = page.locator("main").inner_text()
    assert "芙蓉医院" in main and "关于开展医师电子化注册工作的通知" in main
    screenshot(page, f"entrance-home-{size}")
    assert no_horizontal_scroll(page, width)
    assert not User.objects.get(username=username).must_change_password

    page.get_by_role("button", name="退出").click()
    page.wait_for_url(live_server.url + "/institution/")
