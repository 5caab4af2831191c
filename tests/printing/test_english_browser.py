"""Issue 11 in English, in a real browser at desktop and 390 px: the public check (/verify/, a printed
code's page) and the doctor's 电子证照 page after choosing English in the header's switcher (X-1).
Screenshots in artifacts/screenshots/issue11-i18n-*.png."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from printing.models import Document
from tests import personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    return tmp_path / "private"


def _english(page, live_server, path):
    """Open path, then press English in the header's switcher (a POST to /i18n/setlang/)."""
    page.goto(live_server.url + path)
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def _fits(page, size):
    return page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]


@pytest.mark.parametrize("size", SIZES)
def test_the_public_check_in_english(live_server, page, screenshot, size):
    page.set_viewport_size(SIZES[size])
    _english(page, live_server, "/verify/")
    expect(page.get_by_role("heading", name="Doctor practice lookup", level=1)).to_be_visible()
    expect(page.get_by_role("button", name="Verify")).to_be_visible()
    assert _fits(page, size)
    screenshot(page, f"issue11-i18n-verify-{size}")


@pytest.mark.parametrize("size", SIZES)
def test_the_doctors_certificate_page_and_its_code_page_in_english(
    live_server, page, screenshot, size, private_root
):
    doctor = personas.doctor_a()
    client = Client()
    client.force_login(doctor)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page.set_viewport_size(SIZES[size])
    _english(page, live_server, reverse("accounts:certificates"))
    expect(page.get_by_text("Live verification code").first).to_be_visible()
    expect(page.get_by_role("link", name="Download electronic certificate").first).to_be_visible(
        timeout=20_000
    )
    assert _fits(page, size)
    screenshot(page, f"issue11-i18n-certificates-{size}")
    document = Document.objects.filter(kind=Document.Kind.CERTIFICATE, superseded_at__isnull=True).first()
    page.goto(live_server.url + reverse("verify:code", args=[document.code]))
    expect(page.get_by_text("Physician level", exact=True)).to_be_visible()
    assert _fits(page, size)
    screenshot(page, f"issue11-i18n-code-{size}")
