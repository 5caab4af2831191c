"""PRN-3 电子证照 in a real browser: progress → 下载电子证照, the QR and the 6-digit 动态验证码, desktop and phone."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest
from playwright.sync_api import expect

from registrations.photos import photo_store
from tests.applications import scope
from tests.factories import (
    ExamResultFactory,
    InstitutionFactory,
    PracticeRecordFactory,
    UserFactory,
    make_resident_id,
)
from tests.pages.test_doctor_home_pages import log_in, no_horizontal_scroll
from tests.photos import photo_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME = "宋立民"
ID = make_resident_id(birth="19850317", seq="013")
SHOTS = Path("artifacts/screenshots")


@pytest.fixture
def doctor(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    user = UserFactory(activated=True, real_name=NAME, id_number=ID, username="songlm")
    record = PracticeRecordFactory(
        real_name=NAME,
        id_number=ID,
        certificate_number="110430100012345",
        main_institution=InstitutionFactory(name="湖南省人民医院"),
        title="主治医师",
    )
    record.scopes.set([scope("内科专业"), scope("外科专业")])
    record.photo = photo_store(photo_bytes(), "jpg")
    record.save()
    ExamResultFactory(real_name=NAME, id_number=ID, year=2009, passed=True)
    return user


@pytest.mark.parametrize(
    "size", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}], ids=["desktop", "phone"]
)
def test_the_certificate_page_renders_then_offers_the_download(page, live_server, doctor, size):
    """PRN-3: the widget turns into 下载电子证照; the QR (SVG) shows; the code is 6 digits; CSP holds."""
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.set_viewport_size(size)
    log_in(page, live_server, doctor)
    page.goto(f"{live_server.url}/accounts/certificates/")
    expect(page.get_by_role("heading", name="电子证照", exact=True)).to_be_visible()
    download = page.get_by_role("link", name="下载电子证照")
    expect(download).to_be_visible(timeout=30_000)
    expect(page.locator("[data-live-qr] svg")).to_be_visible()
    expect(page.locator("[data-live-code]")).to_have_text(re.compile(r"^\d{6}$"))
    seconds = int(page.locator("[data-live-seconds]").inner_text())
    assert 0 < seconds <= 30
    assert no_horizontal_scroll(page, size["width"])
    name = "desktop" if size["width"] > 600 else "390"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"issue11-certificates-page-{name}.png"), full_page=True)
    with page.expect_download() as info:
        download.click()
    assert Path(info.value.path()).read_bytes()[:4] == b"%PDF"
    assert violations == []


def test_the_score_report_is_asked_for_and_downloaded_from_the_qualification_page(page, live_server, doctor):
    """PRN-4: 下载成绩单 (a button) → back on 资格信息 with the job → 下载成绩单 (the PDF link)."""
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, doctor)
    page.goto(f"{live_server.url}/accounts/qualification/")
    page.get_by_role("button", name="下载成绩单").click()
    link = page.get_by_role("link", name="下载成绩单")
    expect(link).to_be_visible(timeout=30_000)
    page.screenshot(path=str(SHOTS / "issue11-certificates-score-report.png"), full_page=True)
    with page.expect_download() as info:
        link.click()
    assert Path(info.value.path()).read_bytes()[:4] == b"%PDF"


def test_the_widget_shows_progress_until_the_worker_has_rendered(page, live_server, doctor, monkeypatch):
    """PRN-2/PRN-3: while the job waits the page says so (no download); once the worker renders, the
    polling widget turns into 下载电子证照 without a reload."""
    from printing.models import Document
    from printing.services import document_render

    monkeypatch.setattr("printing.services._queue", lambda document_id: None)  # the worker is busy
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, doctor)
    page.goto(f"{live_server.url}/accounts/certificates/")
    expect(page.locator("[data-job-message]")).to_have_text(re.compile("排队中"))
    download = page.get_by_role("link", name="下载电子证照")
    expect(download).to_be_hidden()
    page.screenshot(path=str(SHOTS / "issue11-certificates-page-queued.png"))
    document = Document.objects.get(kind="certificate")
    # The worker's part, in a thread of its own: Playwright's event loop runs in this one (pyhanko signs
    # with asyncio.run, which refuses to start inside a running loop).
    worker = threading.Thread(target=document_render, kwargs={"document_id": document.pk})
    worker.start()
    worker.join()
    assert Document.objects.get(pk=document.pk).state == Document.State.DONE
    expect(download).to_be_visible(timeout=15_000)
    expect(page.locator("[data-job-message]")).to_have_text("已生成，可以下载。")
