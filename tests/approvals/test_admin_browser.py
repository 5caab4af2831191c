"""APP-1, APP-2 in a real browser: 芙蓉区's reviewer opens the queue, the detail, and approves after confirming."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from registrations.models import Application, PracticeRecord, State
from tests import personas
from tests.pages.test_csp_browser import CspWatch

from .conftest import agreed_registration


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN"}


def _login(page, live_server, username: str, next_path: str):
    page.goto(f"{live_server.url}/admin/login/?next={next_path}")
    page.fill("#id_username", username)
    page.fill("#id_password", personas.PASSWORD)
    page.click("input[type=submit]")


@pytest.mark.browser
def test_reviewer_approves_from_the_queue_after_confirming(page, live_server, transactional_db, screenshot):
    """APP-1 → APP-2: changelist (an overdue one stands out) → detail → 批准 → confirmation → 已办结."""
    officer = personas.officer_x()
    reviewer = personas.county_reviewer()
    application = agreed_registration(officer)
    late = agreed_registration(officer, real_name="钱迟")
    Application.objects.filter(pk=late.pk).update(due_date=timezone.localdate() - dt.timedelta(days=3))
    watch = CspWatch(page)  # the strict CSP holds on every page of the journey
    page.set_viewport_size({"width": 1280, "height": 900})
    _login(page, live_server, reviewer.username, "/admin/registrations/application/")
    expect(page.locator("#result_list")).to_be_visible()
    expect(page.locator("#result_list .due-overdue")).to_have_count(1)
    expect(page.locator("#result_list")).to_contain_text("周新")
    assert application.doctor.id_number not in page.content()
    screenshot(page, "app1-queue-1280")

    page.locator("#result_list a", has_text="周新").first.click()
    expect(page.locator("#application-requested")).to_contain_text("内科专业")
    expect(page.locator("#application-timeline")).to_contain_text("机构同意")
    screenshot(page, "app1-detail-1280")
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot(page, "app1-detail-375")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.click("#application-approve")
    expect(page.locator("#approve-form")).to_be_visible()
    expect(page.locator("#approve-form")).to_contain_text("不能撤销")
    application.refresh_from_db()
    assert application.state == State.AGREED  # the page only asks
    screenshot(page, "app2-approve-confirmation-1280")

    page.click("#approve-form input[type=submit]")
    expect(page.locator(".messagelist")).to_contain_text("已批准")
    screenshot(page, "app2-approved-1280")
    application.refresh_from_db()
    assert application.state == State.APPROVED
    record = PracticeRecord.objects.get(id_number_digest=application.id_number_digest)
    assert record.certificate_number
    assert not watch.violations, "\n".join(watch.violations)


@pytest.mark.browser
def test_reviewer_returns_with_a_reason(page, live_server, transactional_db, screenshot):
    """APP-2: 退回 without a reason shows the error next to the field; with one, the application is returned."""
    application = agreed_registration(personas.officer_x())
    reviewer = personas.county_reviewer()
    page.set_viewport_size({"width": 1280, "height": 900})
    _login(page, live_server, reviewer.username, f"/admin/registrations/application/{application.pk}/change/")
    page.click("#application-return")
    expect(page.locator("#return-form")).to_be_visible()
    page.click("#return-form input[type=submit]")
    expect(page.locator("#return-form .errorlist")).to_contain_text("必填")
    screenshot(page, "app2-return-no-reason-1280")
    page.fill("#id_reason", "缺少聘用合同，请补充后重新提交。")
    page.click("#return-form input[type=submit]")
    expect(page.locator(".messagelist")).to_contain_text("已退回")
    application.refresh_from_db()
    assert application.state == State.RETURNED
