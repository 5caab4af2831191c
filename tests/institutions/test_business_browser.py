"""INS-6 in a real browser: the officer searches the queue by ID number, opens 办理业务, sees that the form prints
only after agreeing, and agrees; the application moves to 医师正在申办的业务列表. Then INS-10 申请备案 for one doctor. Screenshots at
desktop width (and the queue at phone width)."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from registrations.models import Application, Attachment, Kind, PracticeRecord, State
from registrations.private_files import attachments
from tests import personas
from tests.applications import filing_reason, route, scope
from tests.factories import ApplicationFactory, DoctorFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN"}


def log_in(page, live_server, user):
    page.context.clear_cookies()
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def no_horizontal_scroll(page, width):
    return page.evaluate("document.documentElement.scrollWidth") <= width


def test_queue_detail_agree(live_server, page, screenshot, settings, tmp_path):
    """INS-6: search by 身份证号 (POST) → 办理业务 → 业务打印表单 → 同意 → 医师正在申办的业务列表."""
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    x = personas.institution(personas.X)
    route(x)
    doctor, officer = personas.doctor_a(), personas.officer_x()
    record = PracticeRecord.objects.get(id_number_digest=doctor.id_number_digest)
    record.scopes.set([scope("内科专业")])
    application = ApplicationFactory(
        kind=Kind.CHANGE,
        doctor=doctor,
        institution=x,
        record=record,
        level=record.level,
        category=record.category,
        location=record.location,
        statement="变更执业范围",
        submitted=True,
        scopes=[scope("外科专业")],
    )
    Attachment.objects.create(
        application=application,
        kind=Attachment.Kind.ID_CARD,
        stored_name=attachments.store(b"%PDF-1.4 id", "pdf"),
        original_name="身份证.pdf",
        content_type="application/pdf",
        size=11,
    )
    for name in ("周新", "吴一", "郑二"):
        ApplicationFactory(institution=x, submitted=True, doctor=DoctorFactory(real_name=name))

    log_in(page, live_server, officer)
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/institution/business/")
    expect(page.get_by_role("cell", name="周新")).to_be_visible()
    screenshot(page, "business-queue-desktop")
    page.get_by_label("身份证号").fill(personas.DOCTOR_A_ID)
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_text("以下是按身份证号查询的结果")).to_be_visible()
    expect(page.get_by_role("cell", name="周新")).to_have_count(0)
    assert personas.DOCTOR_A_ID not in page.url
    screenshot(page, "business-queue-searched-desktop")
    assert no_horizontal_scroll(page, DESKTOP["width"])

    page.get_by_role("link", name="办理业务").click()
    expect(page.get_by_text("执业范围请求变更为：外科专业；")).to_be_visible()
    expect(page.get_by_role("link", name="身份证.pdf")).to_be_visible()
    screenshot(page, "business-detail-desktop")
    assert no_horizontal_scroll(page, DESKTOP["width"])

    page.get_by_role("link", name="业务打印表单").click()
    expect(page.get_by_role("heading", name="打印申请表")).to_be_visible()
    expect(page.get_by_text("《医师执业、变更执业、多机构备案申请审核表》")).to_be_visible()
    expect(page.get_by_text("不能打印申请表")).to_be_visible()  # not before 同意 (PRN-1)
    screenshot(page, "business-print-desktop")
    page.go_back()

    page.get_by_role("button", name="不同意").click()  # no reason: refused next to the field
    expect(page.get_by_text("请填写不同意的原因。")).to_be_visible()
    page.get_by_role("button", name="同意", exact=True).click()
    expect(page.get_by_text("已同意，并已提交卫生健康行政部门审批。")).to_be_visible()
    application.refresh_from_db()
    assert application.state == State.AGREED

    page.get_by_role("link", name="医师正在申办的业务列表").click()
    expect(page.get_by_role("cell", name="王甲")).to_be_visible()
    screenshot(page, "business-open-desktop")
    page.get_by_role("link", name="撤销").click()
    expect(page.get_by_role("button", name="确定撤销")).to_be_visible()
    screenshot(page, "business-revoke-desktop")

    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/institution/business/")
    expect(page.get_by_role("cell", name="周新")).to_be_visible()
    screenshot(page, "business-queue-phone")
    assert no_horizontal_scroll(page, PHONE["width"])


def test_institution_files_an_archive(live_server, page, screenshot):
    """INS-10 申请备案: the doctors table → 注册备案 → 备案情形 退休 → 备案注销申请情况列表."""
    x = personas.institution(personas.X)
    route(x)
    personas.doctor_a()
    for code in ("01", "02", "03", "04", "05"):
        filing_reason(code)
    log_in(page, live_server, personas.officer_x())
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/institution/business/archive/")
    expect(page.get_by_role("cell", name="王甲")).to_be_visible()
    screenshot(page, "business-archive-list-desktop")
    page.get_by_role("link", name="注册备案").click()
    page.get_by_label("备案情形").select_option(label="退休")
    page.get_by_label("提交本次业务的缘由").fill("到龄退休")
    screenshot(page, "business-archive-form-desktop")
    page.get_by_role("button", name="提交卫生健康行政部门审批").click()
    expect(page.get_by_text("已提交卫生健康行政部门审批。")).to_be_visible()
    expect(page.get_by_role("cell", name="卫健委审批中")).to_be_visible()
    screenshot(page, "business-filings-desktop")
    assert Application.objects.get(kind=Kind.ARCHIVE).state == State.AGREED
