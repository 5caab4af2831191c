"""Every page a user can reach, in headless Chromium under the strict CSP: no violation, pages still styled (issue 8 §4)."""

import pytest
from django.conf import settings
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import (
    AnnouncementFactory,
    CertificateFactory,
    PracticeRecordFactory,
    UserFactory,
    make_resident_id,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC_PAGES = [
    "/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/privacy/",
    "/accounts/recover/",
    "/accounts/recover/phone/",
    "/accounts/recover/email/",
    "/accounts/recover/personal/",
    "/qualifications/guides/",
    "/qualifications/guides/exam/",
    "/api/docs/",
]
DOCTOR_PAGES = [
    "/",
    "/accounts/qualification/",
    "/accounts/practice/",
    "/accounts/assessment/",
    "/accounts/help/",
    "/accounts/check/",
    "/accounts/security/",
    "/accounts/security/password/",
    "/accounts/security/phone/",
    "/accounts/security/email/",
    "/accounts/security/phone/change/",
    "/accounts/security/email/change/",
    "/api/v1/accounts/me/",  # DRF's browsable API
    "/api/v1/accounts/me/records/",
]


def _slug(path: str) -> str:
    return path.strip("/").replace("/", "-").replace("?", "-").replace("=", "") or "home"


class CspWatch:
    """Collects the browser's console reports of CSP violations, and page errors, while visiting pages."""

    def __init__(self, page):
        self.page = page
        self.violations = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.violations.append(f"{page.url}: page error {error}"))

    def _console(self, message):
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.violations.append(f"{self.page.url}: {message.text}")

    def visit(self, url: str, screenshot=None, name: str | None = None, status: int | None = None):
        response = self.page.goto(url)
        self.page.wait_for_load_state("networkidle")
        assert response is not None and (
            response.status == status or (status is None and response.status < 400)
        ), f"{url} answered {response and response.status}"
        assert "'unsafe-inline'" not in (response.header_value("content-security-policy") or "")
        if screenshot and name:
            screenshot(self.page, name)
        return response


def sign_in(context, live_server, user) -> None:
    """Put a signed-in session cookie into the browser (the login form itself is tested elsewhere)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


def test_public_pages_and_swagger_ui_show_no_csp_violation(live_server, page, screenshot):
    """Issue 8 §4: the anonymous pages (captcha pages included) and Swagger UI run under the strict CSP."""
    AnnouncementFactory(title="医师资格考试通过人员相关电子化注册业务 尚未开始 请等待通知")
    watch = CspWatch(page)
    page.set_viewport_size({"width": 1280, "height": 800})
    for path in PUBLIC_PAGES:
        watch.visit(live_server.url + path, screenshot, f"csp-public-{_slug(path)}")
    # Swagger UI really rendered the operations from the schema (its script came from the split view).
    page.goto(live_server.url + "/api/docs/")
    # Swagger UI keeps only the operations near the viewport in the page: several are there, and the last
    # tag's operations are there once scrolled to the end (the whole schema was read).
    page.wait_for_selector(".opblock", timeout=20000)
    assert page.locator(".opblock").count() >= 5
    page.mouse.wheel(0, 50000)
    page.get_by_text("/api/v1/public/verify/", exact=True).wait_for(timeout=20000)
    screenshot(page, "csp-swagger-ui")
    # The captcha's 换一张 button (static/js/captcha.js) shows and fetches a new image.
    page.goto(live_server.url + "/accounts/signup/")
    before = page.locator("img.captcha").get_attribute("src")
    page.get_by_role("button", name="换一张").click()
    # expect() polls from Playwright's side: a wait_for_function string would be eval'd in the page, which
    # the CSP forbids (it failed whenever the new image was not there on the first poll).
    expect(page.locator("img.captcha")).not_to_have_attribute("src", before)
    # The page keeps its site styling (a blocked stylesheet would leave the header unstyled).
    header_background = page.evaluate(
        "getComputedStyle(document.querySelector('.site-header')).backgroundImage"
    )
    assert header_background.startswith("linear-gradient")
    assert not watch.violations, "\n".join(watch.violations)


def test_doctor_pages_and_the_browsable_api_show_no_csp_violation(live_server, page, context, screenshot):
    """Issue 8 §4: every page of an activated doctor, and DRF's browsable API, run under the strict CSP."""
    number = make_resident_id(seq="321")
    doctor = UserFactory(username="doctor01", real_name="王医生", id_number=number, activated=True)
    CertificateFactory(real_name="王医生", id_number=number)
    PracticeRecordFactory(real_name="王医生", id_number=number)
    sign_in(context, live_server, doctor)
    watch = CspWatch(page)
    page.set_viewport_size({"width": 1280, "height": 800})
    for path in DOCTOR_PAGES:
        watch.visit(live_server.url + path, screenshot, f"csp-doctor-{_slug(path)}")
    assert page.locator(".navbar").count() == 1  # the browsable API's frame, styled by its own CSS
    # The browsable API's forms (POST/PUT endpoints answer GET with 405 but still draw their forms).
    for path in (
        "/api/v1/accounts/identity/",
        "/api/v1/accounts/password/",
        "/api/v1/accounts/phone/change/send/",
    ):
        watch.visit(live_server.url + path, screenshot, f"csp-doctor-{_slug(path)}", status=405)
    assert page.locator("form").count() >= 1
    assert not watch.violations, "\n".join(watch.violations)


def test_admin_pages_show_no_csp_violation(live_server, page, context, screenshot):
    """Issue 8 §4: the admin's index, every changelist and add page, change and history pages, under the strict CSP."""
    root = UserFactory(username="root", real_name="系统管理员", is_staff=True, is_superuser=True)
    doctor = UserFactory(username="doctor02", real_name="李医生", activated=True)
    AnnouncementFactory(title="通知一")
    CertificateFactory()
    doctor.real_name = "李医生甲"
    doctor.save()  # a second history entry, so the history pages have something to compare
    sign_in(context, live_server, root)
    watch = CspWatch(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    watch.visit(f"{live_server.url}/admin/", screenshot, "csp-admin-index")
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        name = f"{meta.app_label}-{meta.model_name}"
        watch.visit(live_server.url + reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        if model_admin.has_add_permission(_request_for(root)):
            watch.visit(live_server.url + reverse(f"admin:{meta.app_label}_{meta.model_name}_add"))
        first = model_admin.get_queryset(_request_for(root)).first()
        if first is not None:
            watch.visit(
                live_server.url + reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[first.pk])
            )
            watch.visit(
                live_server.url
                + reverse(f"admin:{meta.app_label}_{meta.model_name}_history", args=[first.pk])
            )
        assert not watch.violations, f"{name}:\n" + "\n".join(watch.violations)
    # Screenshots of the kinds of page: a changelist, a change form, simple-history's list and one version.
    user_admin = "accounts_user"
    watch.visit(
        live_server.url + reverse(f"admin:{user_admin}_changelist"), screenshot, "csp-admin-changelist"
    )
    watch.visit(
        live_server.url + reverse(f"admin:{user_admin}_change", args=[doctor.pk]),
        screenshot,
        "csp-admin-change",
    )
    watch.visit(
        live_server.url + reverse(f"admin:{user_admin}_history", args=[doctor.pk]),
        screenshot,
        "csp-admin-history",
    )
    version = doctor.history.order_by("history_id").first()
    watch.visit(
        live_server.url + reverse(f"admin:{user_admin}_simple_history", args=[doctor.pk, version.history_id]),
        screenshot,
        "csp-admin-history-version",
    )
    watch.visit(
        live_server.url + reverse("admin:qualifications_importbatch_import"), screenshot, "csp-admin-import"
    )
    # The admin keeps its look: its stylesheet applied (header coloured), the theme toggle script ran.
    header_colour = page.evaluate("getComputedStyle(document.querySelector('#header')).backgroundColor")
    assert header_colour not in ("rgba(0, 0, 0, 0)", "transparent")
    assert not watch.violations, "\n".join(watch.violations)


def _request_for(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def test_an_idle_session_lands_on_login_with_the_chinese_message(live_server, page, context, screenshot):
    """Issue 8 §4: after 30 idle minutes the next click shows the login page saying why, under the CSP."""
    import time

    from django.contrib.sessions.backends.db import SessionStore

    from docregsys.middleware import SEEN_KEY

    doctor = UserFactory(username="doctor03", real_name="赵医生", activated=True)
    sign_in(context, live_server, doctor)
    watch = CspWatch(page)
    page.set_viewport_size({"width": 375, "height": 812})
    watch.visit(live_server.url + "/accounts/practice/")
    session_key = next(c["value"] for c in context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME)
    session = SessionStore(session_key=session_key)
    session[SEEN_KEY] = int(time.time()) - 31 * 60
    session.save()
    page.goto(live_server.url + "/accounts/practice/")
    page.wait_for_url("**/accounts/login/?next=/accounts/practice/")
    assert page.get_by_text("登录已超时，为保护您的账户安全，请重新登录。").is_visible()
    screenshot(page, "csp-session-expired-phone")
    assert not watch.violations, "\n".join(watch.violations)


def test_api_docs_swagger_ui_and_redoc_render_with_no_csp_violation(live_server, page, screenshot):
    """API-1 (issue 11): /api/docs/ (Swagger UI) and /api/redoc/ (Redoc), both from the sidecar, render the
    operations under the strict CSP: no inline script, Redoc's inserted styles carry the nonce; the
    portal's footer links to both."""
    watch = CspWatch(page)
    page.set_viewport_size({"width": 1280, "height": 800})
    watch.visit(live_server.url + "/api/docs/")
    # Swagger UI keeps only the operations near the viewport in the page: several are there, and the last
    # tag's operations are there once scrolled to the end (the whole schema was read).
    page.wait_for_selector(".opblock", timeout=20000)
    assert page.locator(".opblock").count() >= 5
    page.mouse.wheel(0, 50000)
    page.get_by_text("/api/v1/public/verify/", exact=True).wait_for(timeout=20000)
    screenshot(page, "issue11-api-swagger", full_page=False)
    watch.visit(live_server.url + "/api/redoc/")
    # Redoc drew the menu and the operations (its styles applied: the menu is a fixed-width side bar).
    page.wait_for_selector(".menu-content", timeout=30000)
    page.get_by_text("docregsys API").first.wait_for(timeout=30000)
    assert page.locator("[data-section-id^='operation/']").count() > 10
    menu_width = page.evaluate("getComputedStyle(document.querySelector('.menu-content')).width")
    assert menu_width != "auto" and float(menu_width.rstrip("px")) > 100
    screenshot(page, "issue11-api-redoc", full_page=False)
    page.set_viewport_size({"width": 390, "height": 844})
    watch.visit(live_server.url + "/api/redoc/")
    # On a phone the menu folds away behind Redoc's floating button (its responsive styles applied).
    page.wait_for_selector(".menu-content", state="attached", timeout=30000)
    page.get_by_text("docregsys API").first.wait_for(timeout=30000)
    assert not page.locator(".menu-content").is_visible()
    screenshot(page, "issue11-api-redoc-phone", full_page=False)
    # The portal's footer leads to both (phone width: the links wrap inside the footer).
    watch.visit(live_server.url + "/accounts/login/")
    footer = page.locator(".site-footer")
    footer.scroll_into_view_if_needed()
    screenshot(page, "issue11-api-footer-phone", full_page=False)
    assert footer.get_by_role("link", name="Swagger UI").get_attribute("href") == "/api/docs/"
    assert footer.get_by_role("link", name="Redoc").get_attribute("href") == "/api/redoc/"
    assert not watch.violations, "\n".join(watch.violations)
