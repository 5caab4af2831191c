"""Sign-up, login captcha and qualification-check pages in a real browser at phone and desktop widths (ACC-1…3)."""

import pytest
from playwright.sync_api import expect

from tests.factories import CertificateFactory, make_resident_id

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 812}}


@pytest.fixture(autouse=True)
def captcha_passes(monkeypatch):
    # django-simple-captcha reads CAPTCHA_TEST_MODE once at import; the live server shares this process.
    monkeypatch.setattr("captcha.conf.settings.CAPTCHA_TEST_MODE", True)


def no_horizontal_scroll(page, width):
    return page.evaluate("document.documentElement.scrollWidth") <= width


def look(page, screenshot, name, size):
    screenshot(page, f"{name}-{size}")
    assert no_horizontal_scroll(page, SIZES[size]["width"]), f"{name} scrolls sideways at {size}"


@pytest.mark.parametrize("size", SIZES)
def test_sign_up_check_and_correct_identity(live_server, page, screenshot, size):
    id_number = make_resident_id(seq="777" if size == "phone" else "778")
    typo = make_resident_id(seq="779" if size == "phone" else "780")
    CertificateFactory(real_name="王小明", id_number=id_number)
    page.set_viewport_size(SIZES[size])

    page.goto(live_server.url + "/accounts/login/")
    look(page, screenshot, "signup-login-captcha", size)
    page.get_by_role("link", name="注册新账号").click()

    # Step 1, first with mistakes so the errors are seen.
    page.get_by_label("您的姓名").fill("Wang")
    page.get_by_label("身份证号").fill(typo[:17])
    page.get_by_role("button", name="确定，继续").click()
    page.locator(".field-errors").nth(2).wait_for()  # name, ID and captcha each refused
    look(page, screenshot, "signup-step1-errors", size)

    page.get_by_label("您的姓名").fill("王小明")
    page.get_by_label("身份证号").fill(typo)  # a typo: the check will not find the records
    page.get_by_label("验证码").fill("PASSED")
    page.get_by_label("我同意").check()
    look(page, screenshot, "signup-step1", size)
    page.get_by_role("button", name="确定，继续").click()

    # Step 2.
    page.wait_for_url("**/signup/account/")
    page.get_by_label("手机号码").fill("13912345678")
    page.get_by_label("电子邮箱").fill("wang@example.com")
    page.get_by_label("用户名称").fill(f"wangxm{size[:2]}")
    page.get_by_label("登录密码").fill("Yiliao2024go")
    page.get_by_label("确认密码").fill("Yiliao2024gx")
    page.get_by_role("button", name="确定，继续").click()
    expect(page.get_by_text("两次输入的密码不一致。")).to_be_visible()
    look(page, screenshot, "signup-step2-errors", size)
    page.get_by_label("登录密码").fill("Yiliao2024go")
    page.get_by_label("确认密码").fill("Yiliao2024go")
    page.get_by_role("button", name="确定，继续").click()

    # Summary.
    page.wait_for_url("**/signup/done/")
    expect(page.get_by_text("注册信息，请牢记！")).to_be_visible()
    assert "Yiliao2024go" not in page.content()
    look(page, screenshot, "signup-done", size)
    page.get_by_role("link", name="点击下一步").click()

    # The check fails on the typo …
    page.wait_for_url("**/check/")
    expect(page.get_by_text("很抱歉，您未通过医师资格校验！")).to_be_visible()
    look(page, screenshot, "check-failed", size)
    page.get_by_role("link", name="检查和更新我的身份信息").first.click()

    # … the doctor corrects it and passes at once.
    page.wait_for_url("**/check/identity/")
    look(page, screenshot, "check-identity", size)
    page.get_by_label("身份证号").fill(id_number)
    page.get_by_role("button", name="保存并重新校验").click()
    page.wait_for_url("**/check/")
    expect(page.get_by_text("恭喜，您已经通过医师资格信息校验！")).to_be_visible()
    expect(page.get_by_role("button", name="点击此处验证手机")).to_be_visible()
    look(page, screenshot, "check-passed", size)

    page.goto(live_server.url + "/accounts/privacy/")
    look(page, screenshot, "privacy", size)
