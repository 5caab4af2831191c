"""PRN-1 in a real browser: the officer opens an agreed application, clicks 业务打印表单 → 生成打印表单, sees
the job's progress, then 下载 PDF, and downloads the signed PDF. Screenshots at desktop and 390 px."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from printing import services as printing_services
from printing.models import Document
from registrations.models import Kind, PracticeRecord
from registrations.services.applications import application_agree
from tests import personas
from tests.applications import province_of, route, scope
from tests.factories import ApplicationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN", "accept_downloads": True}


def log_in(page, live_server, user):
    page.context.clear_cookies()
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def render(document_id: int) -> str:
    from django.db import connection

    try:
        printing_services.document_render(document_id=document_id)
        return Document.objects.get(pk=document_id).state
    finally:
        connection.close()


def no_horizontal_scroll(page, width):
    return page.evaluate("document.documentElement.scrollWidth") <= width


def test_officer_prints_the_coded_form(live_server, page, screenshot, settings, tmp_path, monkeypatch):
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
        location=province_of(x),
        statement="变更执业范围",
        submitted=True,
        scopes=[scope("外科专业")],
    )
    application_agree(officer=officer, application_id=application.pk)
    # Hold the job in the queue (no worker yet) so the page shows its progress; the test renders it below.
    queued = []
    monkeypatch.setattr(printing_services, "_queue", queued.append)

    log_in(page, live_server, officer)
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/institution/business/{application.pk}/")
    page.get_by_role("link", name="业务打印表单").click()
    expect(page.get_by_role("heading", name="打印申请表")).to_be_visible()
    screenshot(page, "issue11-forms-print-before-desktop")
    page.get_by_role("button", name="生成打印表单").click()
    expect(page.get_by_role("status")).to_contain_text("排队中")
    download = page.get_by_role("link", name="下载 PDF")
    expect(download).to_be_hidden()
    document = Document.objects.get(application=application)
    expect(page.get_by_text(document.code_display)).to_be_visible()
    screenshot(page, "issue11-forms-print-queued-desktop")
    assert queued == [document.pk]

    # The worker, in its own thread (Playwright's sync API holds this thread's event loop; pyHanko runs one).
    with ThreadPoolExecutor(1) as worker:
        rendered = worker.submit(render, document.pk).result()
    assert rendered == Document.State.DONE
    expect(download).to_be_visible(timeout=15000)
    expect(page.get_by_role("status")).to_contain_text("已生成")
    screenshot(page, "issue11-forms-print-done-desktop")
    assert no_horizontal_scroll(page, DESKTOP["width"])
    with page.expect_download() as info:
        download.click()
    path = info.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert info.value.suggested_filename == f"application-form-{document.code}.pdf"

    page.set_viewport_size(PHONE)
    page.reload()
    expect(page.get_by_role("link", name="下载 PDF")).to_be_visible()
    screenshot(page, "issue11-forms-print-done-phone")
    assert no_horizontal_scroll(page, PHONE["width"])
