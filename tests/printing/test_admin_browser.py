"""The printed documents' admin in a real browser (PRN-2): 芙蓉区's reviewer lists and opens a document."""

import pytest
from playwright.sync_api import expect

from printing.models import Document
from tests import personas
from tests.factories import ApplicationFactory, PracticeRecordFactory
from tests.pages.test_csp_browser import CspWatch


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN"}


@pytest.mark.browser
def test_a_reviewer_lists_searches_and_opens_documents(page, live_server, transactional_db, screenshot):
    reviewer = personas.county_reviewer()
    x = personas.institution(personas.X)
    form = Document.objects.create(
        kind="form",
        content_hash="0" * 64,
        state=Document.State.DONE,
        render_ms=412,
        size=48213,
        institution=x,
        application=ApplicationFactory(
            agreed=True, real_name="吴静", institution=x, authority=personas.authority("furong")
        ),
    )
    Document.objects.create(
        kind="certificate",
        content_hash="1" * 64,
        state=Document.State.QUEUED,
        record=PracticeRecordFactory(real_name="何涛", main_institution=x),
    )
    watch = CspWatch(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/admin/login/?next=/admin/printing/document/")
    page.fill("#id_username", reviewer.username)
    page.fill("#id_password", personas.PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#result_list")).to_contain_text(form.code_display)
    expect(page.locator("#result_list")).to_contain_text("何涛")
    screenshot(page, "issue11-platform-admin-documents-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "issue11-platform-admin-documents-390")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.fill("#searchbar", form.code_display.lower())
    page.press("#searchbar", "Enter")
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    page.locator("#result_list a", has_text=form.code_display).click()
    expect(page.locator("#content")).to_contain_text("吴静")
    screenshot(page, "issue11-platform-admin-document-1280")
    assert not watch.violations, "\n".join(watch.violations)
