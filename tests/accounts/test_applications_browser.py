"""业务申请 in a real browser at phone width (390 × 844): the guided start → the 注册 form with a scan →
业务查询 → the detail with its timeline; then 撤回. Screenshots for a person to look at."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from registrations.models import Application, State
from tests import personas
from tests.applications import new_passer, route, scope
from tests.photos import photo_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN"}


def log_in(page, live_server, user):
    page.context.clear_cookies()
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_new_passer_files_a_registration_through_the_guided_start_on_a_phone(
    live_server, page, screenshot, settings, tmp_path
):
    """REG-2, REG-4, ID-7 at 390 px: 智能引导 → 注册 → 业务查询 → timeline → 撤回; no sideways scrolling."""
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    x = personas.institution(personas.X)
    personas.institution(personas.Y)
    route(x)
    for name in ("内科专业", "外科专业", "口腔专业"):
        scope(name)
    doctor = new_passer()
    page.set_viewport_size(PHONE)
    log_in(page, live_server, doctor)

    page.goto(live_server.url + "/accounts/apply/")
    expect(page.get_by_role("heading", name="智能引导")).to_be_visible()
    screenshot(page, "applications-guide-phone")
    assert no_horizontal_scroll(page)
    page.get_by_label("我要在一家医疗机构执业（首次注册或重新注册）").check()
    page.get_by_label("搜索医疗机构").fill("芙蓉")
    page.get_by_role("button", name="搜索机构").click()
    expect(page.get_by_text("找到1家医疗机构")).to_be_visible()
    page.get_by_label("在哪家医疗机构执业？").select_option(label=f"芙蓉医院（{x.registration_number}）")
    page.get_by_role("button", name="下一步").click()
    expect(page.get_by_role("heading", name="建议办理：注册")).to_be_visible()
    page.locator("#answer").scroll_into_view_if_needed()
    screenshot(page, "applications-guide-answer-phone", full_page=False)
    assert no_horizontal_scroll(page)
    page.get_by_role("link", name="填写申请表").click()

    expect(page.get_by_role("heading", name="申请表")).to_be_visible()
    page.get_by_label("医师级别").select_option(label="执业医师")
    expect(page.locator("output[data-location]")).to_have_text("湖南省")  # shown as soon as it is known
    page.get_by_label("医师类别").select_option(label="临床")
    # The script shows only the chosen category's scopes.
    expect(page.get_by_label("口腔专业")).to_be_hidden()
    page.get_by_label("内科专业").check()
    page.get_by_label("提交本次业务的缘由").fill("首次注册")
    scan = tmp_path / "身份证.jpg"
    scan.write_bytes(photo_bytes())
    page.get_by_label("身份证", exact=True).set_input_files(str(scan))
    screenshot(page, "applications-form-phone")
    assert no_horizontal_scroll(page)
    page.get_by_role("button", name="提交申请").click()

    expect(page.get_by_text("申请已提交，请等待芙蓉医院确认")).to_be_visible()
    application = Application.objects.get(doctor=doctor)
    assert application.state == State.SUBMITTED and application.attachments.count() == 1
    expect(page.get_by_role("link", name="身份证：身份证.jpg")).to_be_visible()
    screenshot(page, "applications-detail-phone")
    assert no_horizontal_scroll(page)

    page.goto(live_server.url + "/accounts/applications/")
    expect(page.get_by_role("cell", name="机构审核中")).to_be_visible()
    screenshot(page, "applications-list-phone")
    assert no_horizontal_scroll(page)

    page.get_by_role("link", name="查看").click()
    page.get_by_role("link", name="撤回").click()
    expect(page.get_by_text("确定要撤回吗？")).to_be_visible()
    screenshot(page, "applications-withdraw-phone")
    page.get_by_role("button", name="确认撤回").click()
    expect(page.get_by_text("申请已撤回。")).to_be_visible()
    application.refresh_from_db()
    assert application.state == State.WITHDRAWN


def test_a_refused_registration_shows_the_reasons_next_to_the_fields_on_a_phone(
    live_server, page, screenshot, settings, tmp_path
):
    """A refusal at 390 px: the form comes back with the answers and the reasons; nothing stored."""
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    x = personas.institution(personas.X)
    route(x)
    scope("内科专业")
    doctor = new_passer()
    page.set_viewport_size(PHONE)
    log_in(page, live_server, doctor)
    page.goto(live_server.url + f"/accounts/apply/register/?institution={x.pk}")
    page.get_by_label("医师类别").select_option(label="临床")
    bad = tmp_path / "scan.jpg"
    bad.write_bytes(b"<html><body>not an image</body></html>")
    page.get_by_label("身份证", exact=True).set_input_files(str(bad))
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_text("请选择医师级别。")).to_be_visible()
    expect(page.locator("#id_file_id_card_error")).to_be_visible()
    screenshot(page, "applications-form-refused-phone")
    assert no_horizontal_scroll(page)
    assert not Application.objects.exists()


def test_the_pages_at_desktop_width(live_server, page, screenshot, settings, tmp_path):
    """The same pages at 1280 px, for a person to look at: the guide's answer, a 变更 form, the list."""
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    from registrations.services.applications import application_file
    from tests.applications import registered_doctor, registration_draft

    x = personas.institution(personas.X)
    scope("内科专业")
    doctor, _record = registered_doctor(at=x)
    other = new_passer(real_name="周二")
    application_file(doctor=other, draft=registration_draft(institution=x))
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, doctor)
    page.goto(live_server.url + f"/accounts/apply/?want=also&institution={x.pk}&action=guide")
    expect(page.get_by_role("heading", name="建议办理：多执业机构备案")).to_be_visible()
    screenshot(page, "applications-guide-desktop")
    page.goto(live_server.url + "/accounts/apply/change/")
    expect(page.get_by_role("heading", name="申请表")).to_be_visible()
    expect(page.locator("output[data-location]")).to_have_text("选择医疗机构后确定")
    page.get_by_label("搜索医疗机构").fill("芙蓉")
    page.get_by_role("button", name="搜索机构").click()
    page.get_by_label("拟执业机构（变更后的主要执业机构）").select_option(
        label=f"芙蓉医院（{x.registration_number}）"
    )
    # A 执业医师's record: the new location is the institution's province.
    expect(page.locator("output[data-location]")).to_have_text("湖南省")
    screenshot(page, "applications-change-form-desktop")
    page.goto(live_server.url + "/accounts/reissue/")
    expect(page.get_by_role("heading", name="申领电子证照")).to_be_visible()
    screenshot(page, "applications-reissue-desktop")
