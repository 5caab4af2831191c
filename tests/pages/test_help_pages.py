"""INS-12 in a real browser: the console's 客服中心 and the doctor's 帮助中心 at desktop and phone widths."""

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import InstitutionFactory, OfficerFactory, QuestionFactory, UserFactory, region_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 812}}


def log_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def fits(page, width):
    return page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("size", SIZES)
def test_console_help_centre_looks(live_server, page, screenshot, size):
    """INS-12: 常见问题列表, 向客服提问 and 客服回复管理 fit a phone; a reply opens."""
    _province, _city, furong, _tianxin = region_tree()
    officer = OfficerFactory(
        real_name="周敏", institution=InstitutionFactory(name="长沙市第一医院", region=furong)
    )
    QuestionFactory(
        asker=officer,
        region=furong,
        title="医师注册后在“医师账户激活”中查不到",
        description="本院一名医师说已在个人端注册成功，但我们查询不到他的信息。",
        answer="请到“医师验证”中验证该医师注册信息的执业地点是否与本机构的标准名称一致。",
        answered_at=timezone.now(),
    )
    QuestionFactory(asker=officer, region=furong, title="科室信息如何设置", description="新增了两个科室。")
    log_in(page, live_server, officer)
    page.set_viewport_size(SIZES[size])
    page.goto(live_server.url + "/institution/help/")
    expect(page.get_by_role("heading", name="客服中心")).to_be_visible()
    expect(page.get_by_text("医疗机构如何打印业务申请表")).to_be_visible()
    screenshot(page, f"console-help-{size}")
    assert fits(page, SIZES[size]["width"])
    page.get_by_role("link", name="查看解决办法").first.click()
    expect(page.get_by_role("heading", name="详情")).to_be_visible()
    screenshot(page, f"console-help-faq-{size}")
    assert fits(page, SIZES[size]["width"])
    page.goto(live_server.url + "/institution/help/")
    page.get_by_role("link", name="查看回复详情").last.click()
    expect(page.get_by_text("请到“医师验证”中验证")).to_be_visible()
    screenshot(page, f"console-help-reply-{size}")
    page.goto(live_server.url + "/institution/help/")
    page.get_by_label("请输入问题标题").fill("激活码短信收不到")
    page.get_by_label("问题详细描述").fill("医师说没有收到激活码短信，怎么办？")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_text("您的问题已提交")).to_be_visible()
    expect(page.get_by_role("cell", name="激活码短信收不到")).to_be_visible()


@pytest.mark.parametrize("size", SIZES)
def test_doctor_help_centre_looks(live_server, page, screenshot, size):
    """INS-12: 帮助中心 with 在线提问 and the 11 热点问题; an answer opens; 我要提问 lists the doctor's questions."""
    region_tree()
    doctor = UserFactory(activated=True, real_name="宋立民", username="songlm")
    QuestionFactory(asker=doctor, title="如何修改照片信息", description="照片上传后多久生效？")
    log_in(page, live_server, doctor)
    page.set_viewport_size(SIZES[size])
    page.goto(live_server.url + "/accounts/help/")
    expect(page.get_by_role("link", name="我要提问")).to_be_visible()
    expect(page.get_by_role("link", name="执业证书编码终身一号")).to_be_visible()
    screenshot(page, f"doctor-help-centre-{size}")
    assert fits(page, SIZES[size]["width"])
    page.get_by_role("link", name="如何完成账户激活").click()
    expect(page.get_by_text("医师电子化注册账户信息仅需激活一次")).to_be_visible()
    screenshot(page, f"doctor-help-faq-{size}")
    assert fits(page, SIZES[size]["width"])
    page.goto(live_server.url + "/accounts/help/ask/")
    expect(page.get_by_role("cell", name="如何修改照片信息")).to_be_visible()
    screenshot(page, f"doctor-help-ask-{size}")
    assert fits(page, SIZES[size]["width"])


def test_reviewer_answers_in_the_admin(live_server, page, screenshot):
    """INS-12: the 芙蓉区 reviewer sees a masked asker and the question read-only, and writes the answer."""
    from tests.factories import AuthorityFactory, ReviewerFactory

    _province, _city, furong, _tianxin = region_tree()
    officer = OfficerFactory(
        real_name="周敏", institution=InstitutionFactory(name="长沙市第一医院", region=furong)
    )
    question = QuestionFactory(
        asker=officer, region=furong, title="科室信息如何设置", description="新增了两个科室。"
    )
    reviewer = ReviewerFactory(authority=AuthorityFactory(region=furong))
    log_in(page, live_server, reviewer)
    page.set_viewport_size(SIZES["desktop"])
    page.goto(f"{live_server.url}/admin/accounts/question/{question.pk}/change/")
    expect(page.get_by_text("周*")).to_be_visible()
    page.get_by_label("回复").fill("请在“系统功能 → 设置本院科室信息”中设置。")
    screenshot(page, "admin-question-answer-desktop")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator(".messagelist")).to_be_visible()
    question.refresh_from_db()
    assert question.answered_by == reviewer
