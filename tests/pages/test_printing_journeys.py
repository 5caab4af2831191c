"""Issue 11's acceptance journeys in headless Chromium: what an officer, a doctor and the public do with
the printed documents (PRN-1 … PRN-3, PUB-1).

1. 行政审批编码: a doctor's 注册 is agreed by X; X's officer opens 业务打印表单 → 生成打印表单, sees the job
   wait, then 下载 PDF (its text carries the code); the public checks the code: 有效, with the type, the
   institution, the date and the doctor's name only. X revokes its agreement → the same URL says 已失效;
   agreed again → a reprint has a new code that verifies (the first one stays invalid). The doctor gets
   403 at the console's print URL, Y's officer 404.
2. 电子证照: the reviewer approves in the admin → the doctor's 电子证照 page waits, then 下载电子证照, with the
   QR and a 6-digit 动态验证码; the QR's URL (from the page's live/ endpoint) opened by the public says
   动态验证码有效 with the record and no ID number, birth date or phone; an old otp says expired. A 变更 is
   approved → the page shows the new certificate and the old one 已作废; the old code says superseded.
3. 医师执业信息查询 by name + 执业证书编码 at 390 px: found; a wrong (well-formed) number → the neutral
   sentence; no sideways scroll.

Screenshots: artifacts/screenshots/issue11-journey-<journey>-<step>.png.
"""

from __future__ import annotations

import re
import subprocess
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connection
from playwright.sync_api import expect

from approvals.services import application_approve
from printing import services as printing_services
from printing.links import live_code
from printing.models import Document
from registrations.models import Application, Kind, PracticeRecord, State
from registrations.numbers import mod11_10_check
from registrations.services.applications import application_agree, application_file, application_revoke
from tests import personas
from tests.applications import (
    new_passer,
    registered_doctor,
    registration_draft,
    reviewer_for,
    route,
    scope,
)
from tests.factories import ApplicationFactory
from tests.pages.test_application_journeys import _as, _reviewer_approves

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN", "accept_downloads": True}


@pytest.fixture
def world(settings, tmp_path, live_server):
    """PDFs in a private root of this test; QR and check URLs pointing at the live server."""
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    settings.PUBLIC_BASE_URL = live_server.url
    return tmp_path


@pytest.fixture
def public(browser):
    """A second browser: the member of the public, never logged in."""
    context = browser.new_context(locale="zh-CN")
    yield context.new_page()
    context.close()


@pytest.fixture
def held_queue(monkeypatch):
    """The worker is busy: a requested document waits in the queue until the test renders it."""
    queued: list[int] = []
    monkeypatch.setattr(printing_services, "_queue", queued.append)
    return queued


def _render_in_worker(document_id: int) -> str:
    """The worker's part, in a thread of its own (Playwright's event loop runs in the test's thread)."""
    result: list[str] = []

    def run():
        try:
            printing_services.document_render(document_id=document_id)
            result.append(Document.objects.get(pk=document_id).state)
        finally:
            connection.close()

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    return result[0]


def _pdf_text(path) -> str:
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return "".join(out.split())


def _pdf_picture(path, name: str) -> None:
    """The PDF's first page as a PNG beside the screenshots, for a person to look at."""
    out = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots" / name
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-singlefile", str(path), str(out)], check=True)


def _fits(page, width: int) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= width


def _facts(page) -> dict[str, str]:
    """The public page's <dl class="facts"> rows as {label: value}."""
    return dict(
        page.eval_on_selector_all(
            "dl.facts > div",
            "divs => divs.map(d => [d.querySelector('dt').innerText.trim(), d.querySelector('dd').innerText.trim()])",
        )
    )


def _no_personal_data(page, doctor) -> None:
    html = page.content()
    birth = doctor.id_number[6:14]
    for secret in (doctor.id_number, doctor.id_number_masked, birth, f"{birth[:4]}-{birth[4:6]}-{birth[6:]}"):
        assert secret not in html
    if doctor.phone:
        assert doctor.phone not in html
    labels = " ".join(page.locator("main dt, main th").all_inner_texts())
    for label in ("身份证", "出生日期", "手机", "性别", "照片"):
        assert label not in labels


# ------------------------------------------------------------------------ 1. the coded form, then a change


def test_coded_form_then_a_change(world, live_server, page, public, screenshot, held_queue):
    x = personas.institution(personas.X)
    route(x)
    officer, other_officer = personas.officer_x(), personas.officer_y()
    doctor = new_passer(real_name="周新")
    application = application_file(doctor=doctor, draft=registration_draft(institution=x))
    application_agree(officer=officer, application_id=application.pk)

    # The officer: 办理业务 → 业务打印表单 → 生成打印表单; the job waits, then 下载 PDF.
    _as(page, live_server, officer)
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/institution/business/{application.pk}/")
    page.get_by_role("link", name="业务打印表单").click()
    expect(page.get_by_role("heading", name="打印申请表")).to_be_visible()
    screenshot(page, "issue11-journey-form-1-print-page")
    page.get_by_role("button", name="生成打印表单").click()
    expect(page.get_by_role("status")).to_contain_text("排队中")
    first = Document.objects.get(application=application)
    expect(page.locator(".print-form-code")).to_have_text(first.code_display)
    expect(page.get_by_role("link", name="下载 PDF")).to_be_hidden()
    screenshot(page, "issue11-journey-form-2-queued")
    assert held_queue == [first.pk]
    assert _render_in_worker(first.pk) == Document.State.DONE
    download = page.get_by_role("link", name="下载 PDF")
    expect(download).to_be_visible(timeout=15_000)
    expect(page.get_by_role("status")).to_contain_text("已生成")
    screenshot(page, "issue11-journey-form-3-done")
    with page.expect_download() as info:
        download.click()
    pdf = info.value.path()
    assert open(pdf, "rb").read(5) == b"%PDF-"
    text = _pdf_text(pdf)
    assert "行政审批编码" in text and first.code_display in text and "周新" in text
    _pdf_picture(pdf, "issue11-journey-form-pdf")

    # The public checks the printed code: 有效, type, institution, date, the doctor's name — nothing more.
    check_url = f"{live_server.url}/verify/code/{first.code_display}/"
    for size, name in ((DESKTOP, "desktop"), (PHONE, "390")):
        public.set_viewport_size(size)
        public.goto(check_url)
        expect(public.get_by_role("heading", name="有效", exact=True)).to_be_visible()
        screenshot(public, f"issue11-journey-form-4-public-valid-{name}")
        assert _fits(public, size["width"])
    facts = _facts(public)
    assert facts["业务类型"] == "注册"
    assert facts["医疗机构"] == x.name and facts["打印机构"] == x.name
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", facts["同意日期"])
    assert facts["医师姓名"] == "周新"
    assert set(facts) == {
        "核验编码",
        "文档类型",
        "打印机构",
        "生成日期",
        "业务类型",
        "医疗机构",
        "打印日期",
        "同意日期",
        "医师姓名",
    }
    _no_personal_data(public, doctor)

    # X takes its agreement back: the same public URL now says the code no longer holds.
    application_revoke(officer=officer, application_id=application.pk, reason="材料有误")
    public.reload()
    expect(public.get_by_role("heading", name="已失效", exact=True)).to_be_visible()
    expect(public.get_by_text("此编码已失效")).to_be_visible()
    screenshot(public, "issue11-journey-form-5-public-revoked-390")
    page.reload()
    expect(page.get_by_role("alert")).to_contain_text("不能打印申请表")
    expect(page.get_by_role("button", name="生成打印表单")).to_have_count(0)
    screenshot(page, "issue11-journey-form-6-not-printable")

    # Agreed again: the reprint has a new code that verifies; the first code stays invalid (superseded).
    application_agree(officer=officer, application_id=application.pk)
    held_queue.clear()
    page.reload()
    page.get_by_role("button", name="生成打印表单").click()
    expect(page.get_by_role("status")).to_contain_text("排队中")
    second = Document.objects.get(application=application, superseded_at__isnull=True)
    assert second.code != first.code and held_queue == [second.pk]
    assert _render_in_worker(second.pk) == Document.State.DONE
    expect(page.get_by_role("link", name="下载 PDF")).to_be_visible(timeout=15_000)
    expect(page.locator(".print-form-code")).to_have_text(second.code_display)
    screenshot(page, "issue11-journey-form-7-reprinted")
    public.goto(f"{live_server.url}/verify/code/{second.code_display}/")
    expect(public.get_by_role("heading", name="有效", exact=True)).to_be_visible()
    screenshot(public, "issue11-journey-form-8-public-new-code-390")
    public.goto(check_url)
    expect(public.get_by_role("heading", name="已失效", exact=True)).to_be_visible()
    expect(public.get_by_text("此编码对应的文档已被新版本替代")).to_be_visible()
    screenshot(public, "issue11-journey-form-9-public-old-code-390")

    # The doctor may not open the console's print page; another institution's officer finds nothing.
    print_url = f"{live_server.url}/institution/business/{application.pk}/print/"
    _as(page, live_server, doctor)
    assert page.goto(print_url).status == 403
    assert page.goto(print_url.replace("/print/", "/print/form.pdf")).status == 403
    _as(page, live_server, other_officer)
    assert page.goto(print_url).status == 404
    assert page.goto(print_url + "status/").status == 404
    assert page.goto(print_url.replace("/print/", "/print/form.pdf")).status == 404


# ------------------------------------------------------------------------------------ 2. the certificate


def test_certificate_then_a_change(world, live_server, page, public, screenshot, held_queue):
    x, y = personas.institution(personas.X), personas.institution(personas.Y)
    authority = route(x)
    route(y, authority=authority)
    officer = personas.officer_x()
    doctor = new_passer(real_name="周新")
    application = application_file(doctor=doctor, draft=registration_draft(institution=x))
    application_agree(officer=officer, application_id=application.pk)

    # The reviewer approves in the admin; the certificate is asked for at the commit (the worker is busy).
    page.set_viewport_size(DESKTOP)
    _reviewer_approves(
        page,
        live_server,
        lambda step: screenshot(page, f"issue11-journey-certificate-{step}"),
        reviewer_for(authority),
        application,
        step="1",
    )
    record = PracticeRecord.objects.get(
        id_number_digest=doctor.id_number_digest, state=PracticeRecord.State.VALID
    )
    first = Document.objects.get(record=record, kind=Document.Kind.CERTIFICATE)
    assert held_queue == [first.pk] and first.state == Document.State.QUEUED

    # The doctor's 电子证照: 排队中, then (the worker renders) 下载电子证照; the QR and the 6-digit code.
    _as(page, live_server, doctor)
    for size, name in ((DESKTOP, "desktop"), (PHONE, "390")):
        page.set_viewport_size(size)
        page.goto(f"{live_server.url}/accounts/certificates/")
        expect(page.get_by_role("heading", name="电子证照", exact=True)).to_be_visible()
        expect(page.locator("[data-job-message]")).to_have_text(re.compile("排队中"))
        expect(page.get_by_role("link", name="下载电子证照")).to_be_hidden()
        screenshot(page, f"issue11-journey-certificate-2-queued-{name}")
        assert _fits(page, size["width"])
    assert _render_in_worker(first.pk) == Document.State.DONE
    download = page.get_by_role("link", name="下载电子证照")
    expect(download).to_be_visible(timeout=15_000)
    expect(page.locator("[data-live-qr] svg")).to_be_visible()
    expect(page.locator("[data-live-code]")).to_have_text(re.compile(r"^\d{6}$"))
    expect(page.locator(".certificate-code").first).to_have_text(first.code_display)
    screenshot(page, "issue11-journey-certificate-3-ready-390")
    assert _fits(page, PHONE["width"])
    with page.expect_download() as info:
        download.click()
    pdf = info.value.path()
    text = _pdf_text(pdf)
    assert "周新" in text and record.certificate_number in text and first.code_display in text
    _pdf_picture(pdf, "issue11-journey-certificate-pdf")

    # The QR's URL (what certificate-live.js reads from live/) opened by the public: live code fresh.
    live = page.request.get(f"{live_server.url}/accounts/certificates/{record.pk}/live/").json()
    assert re.fullmatch(r"\d{6}", live["code"]) and live["url"].startswith(live_server.url + "/verify/q/")
    assert live["url"].endswith(f"?otp={live['code']}")
    public.set_viewport_size(PHONE)
    public.goto(live["url"])
    expect(public.get_by_role("status")).to_have_text("动态验证码有效（实时出示）")
    expect(public.get_by_role("heading", name="当前执业注册信息")).to_be_visible()
    main = public.locator("main")
    expect(main).to_contain_text("周新")
    expect(main).to_contain_text(record.certificate_number)
    expect(main).to_contain_text(x.name)
    screenshot(public, "issue11-journey-certificate-4-public-qr-390")
    assert _fits(public, PHONE["width"])
    _no_personal_data(public, doctor)
    stale, _left = live_code(first.code, now=time.time() - 120)
    parts = urlsplit(live["url"])
    public.goto(f"{live_server.url}{parts.path}?otp={stale}")
    expect(public.get_by_role("status")).to_have_text("动态验证码已过期，请让医师刷新二维码")
    screenshot(public, "issue11-journey-certificate-5-public-qr-stale-390")

    # A 变更 to Y is approved: the record changes in place → a new certificate, the old one 已作废.
    change = ApplicationFactory(
        kind=Kind.CHANGE,
        doctor=doctor,
        institution=y,
        record=record,
        level=record.level,
        category=record.category,
        location=record.location,
        statement="变更主要执业机构",
        submitted=True,
        scopes=[scope("内科专业")],
    )
    application_agree(officer=personas.officer_y(), application_id=change.pk)
    held_queue.clear()
    application_approve(reviewer=reviewer_for(authority), application_id=change.pk)
    assert Application.objects.get(pk=change.pk).state == State.APPROVED
    record.refresh_from_db()
    assert record.main_institution_id == y.pk
    second = Document.objects.get(record=record, kind=Document.Kind.CERTIFICATE, superseded_at__isnull=True)
    assert second.pk != first.pk and held_queue == [second.pk]
    assert _render_in_worker(second.pk) == Document.State.DONE

    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/accounts/certificates/")
    expect(page.get_by_role("link", name="下载电子证照")).to_be_visible()
    current = page.locator(".certificate-block")
    expect(current).to_have_count(1)
    expect(current.locator(".certificate-code")).to_have_text(second.code_display)
    expect(current).to_contain_text(y.name)
    old = page.locator("tr", has=page.get_by_text(first.code_display))
    expect(old).to_contain_text("已作废")
    expect(old).to_contain_text(x.name)
    screenshot(page, "issue11-journey-certificate-6-reissued-desktop")
    page.set_viewport_size(PHONE)
    screenshot(page, "issue11-journey-certificate-6-reissued-390")
    assert _fits(page, PHONE["width"])

    public.goto(f"{live_server.url}/verify/code/{first.code_display}/")
    expect(public.get_by_role("heading", name="已失效", exact=True)).to_be_visible()
    expect(public.get_by_text("此编码对应的文档已被新版本替代")).to_be_visible()
    screenshot(public, "issue11-journey-certificate-7-public-old-code-390")
    public.goto(f"{live_server.url}/verify/code/{second.code_display}/")
    expect(public.get_by_role("heading", name="有效", exact=True)).to_be_visible()
    assert _facts(public)["主要执业机构"] == y.name
    _no_personal_data(public, doctor)


# ---------------------------------------------------------------------------------- 3. the public lookup


def test_public_lookup_by_name_and_number(world, live_server, public, screenshot):
    x = personas.institution(personas.X)
    body = "43201600000042"
    number = body + mod11_10_check(body)
    doctor, record = registered_doctor(at=x, real_name="吴医", scopes=("内科专业", "外科专业"))
    PracticeRecord.objects.filter(pk=record.pk).update(certificate_number=number)
    other_body = "43201600000043"
    wrong = other_body + mod11_10_check(other_body)

    public.set_viewport_size(PHONE)
    public.goto(live_server.url + "/")
    public.get_by_role("link", name="医师执业信息查询").first.click()
    expect(public.get_by_role("heading", name="医师执业信息查询", exact=True)).to_be_visible()
    screenshot(public, "issue11-journey-lookup-1-form-390")
    assert _fits(public, PHONE["width"])

    def look_up(name: str, certificate_number: str) -> None:
        public.get_by_role("textbox", name="姓名").fill(name)
        public.get_by_role("textbox", name="执业证书编码").fill(certificate_number)
        public.get_by_role("textbox", name="验证码").fill("PASSED")
        public.get_by_role("button", name="查询").click()
        expect(public.get_by_role("heading", name="查询结果")).to_be_visible()

    look_up("吴医", number)
    results = public.locator("main")
    expect(results).to_contain_text("查到 1 条执业注册信息。")
    expect(results).to_contain_text(x.name)
    expect(results).to_contain_text("内科专业")
    expect(results).to_contain_text("有效")
    screenshot(public, "issue11-journey-lookup-2-found-390")
    assert _fits(public, PHONE["width"])
    _no_personal_data(public, doctor)

    look_up("吴医", wrong)
    expect(public.get_by_role("status")).to_have_text(
        "未查询到符合条件的医师执业注册信息。请核对姓名和执业证书编码后重试。"
    )
    expect(public.locator("main")).not_to_contain_text(x.name)
    screenshot(public, "issue11-journey-lookup-3-not-found-390")
    assert _fits(public, PHONE["width"])

    # The wrong name with the right number gets the same neutral sentence (nothing tells which was wrong).
    look_up("吴一", number)
    expect(public.get_by_role("status")).to_have_text(
        "未查询到符合条件的医师执业注册信息。请核对姓名和执业证书编码后重试。"
    )
    public.set_viewport_size(DESKTOP)
    screenshot(public, "issue11-journey-lookup-4-not-found-desktop")
