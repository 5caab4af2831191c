"""QUA-3 in a real browser: a reviewer uploads a file and reads the report, on desktop and phone."""

import pytest

from qualifications.models import ImportBatch
from tests.factories import UserFactory

from .helpers import categories, csv_bytes, exam_row


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN"}


@pytest.mark.browser
def test_upload_and_report_in_the_browser(
    page, live_server, transactional_db, import_worker, screenshot, tmp_path
):
    """QUA-3: upload through the admin; the report lists the bad rows; screenshots at 1280 and 375 px."""
    categories()
    UserFactory(username="reviewer01", is_staff=True, is_superuser=True)
    path = tmp_path / "2025年考试成绩.csv"
    path.write_bytes(
        csv_bytes(
            [
                exam_row(ticket="B1"),
                exam_row(ticket="B2", 姓名="Zhang三"),
                exam_row(ticket="B3", 证件号码="430102900101123"),
                exam_row(ticket="B4", 笔试成绩="四百一十"),
                exam_row(ticket="B1"),
            ]
        )
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/admin/login/?next=/admin/qualifications/importbatch/import/")
    page.fill("#id_username", "reviewer01")
    page.fill("#id_password", "Passw0rd2024")
    page.click("input[type=submit]")
    page.select_option("#id_kind", "exam_results")
    page.set_input_files("#id_file", str(path))
    page.click("input[value=开始导入]")
    page.wait_for_selector("text=错误行（未导入）")
    # The counts of the finished batch (with a real worker the flash message said it was queued).
    # text_content, not inner_text: innerText depends on layout, and before the stylesheet applies the
    # label and its <strong> number run together ("新增1").
    created = page.locator(".import-report .counts li").nth(1)
    assert created.text_content().strip() == "新增1" and created.locator("strong").text_content() == "1"
    assert page.locator(".import-report tbody tr").count() == 4
    assert "姓名只能是汉字" in page.content()  # stored reasons are Chinese
    screenshot(page, "qua3-import-report-1280")
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot(page, "qua3-import-report-375")
    assert ImportBatch.objects.get().rejected == 4
