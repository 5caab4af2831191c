"""The doctor-account pages of the console in a real browser, desktop and 375 px: screenshots, no sideways page
scroll (the wide tables scroll inside their own box) — INS-4, INS-9."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from tests.factories import ActivationCodeFactory
from tests.institutions.test_accounts import doctor_at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 812}}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN"}


def _log_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


@pytest.mark.parametrize("size", SIZES)
def test_activation_table_and_revoke_confirmation_look(live_server, page, screenshot, officer_x, size):
    x = officer_x.institution
    doctor_at(x, real_name="王一", phone_verified=True)
    holder = doctor_at(x, real_name="白二", phone_verified=True)
    ActivationCodeFactory(doctor=holder, institution=x, code="5PQRSTUK")
    doctor_at(x, real_name="孙三", activated=True)
    unchecked = doctor_at(x, real_name="蒋四")
    page.set_viewport_size(SIZES[size])
    _log_in(page, live_server, officer_x)

    page.goto(live_server.url + "/institution/activation/")
    expect(page.get_by_role("heading", name="医师账户激活")).to_be_visible()
    expect(page.get_by_text("本次查询共查到4条数据").first).to_be_visible()
    page.get_by_role("button", name="生成激活码", exact=True).click()
    expect(page.locator(".code-once-value")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]
    screenshot(page, f"console-activation-{size}")

    page.goto(live_server.url + f"/institution/revoke/{unchecked.pk}/")
    expect(page.get_by_role("heading", name="撤销账户")).to_be_visible()
    page.get_by_role("button", name="撤销账户").click()  # no reason: the form says so
    expect(page.locator(".field-errors")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]
    screenshot(page, f"console-revoke-confirm-{size}")

    page.goto(live_server.url + "/institution/doctor-accounts/")
    expect(page.get_by_role("heading", name="本院医师账户管理")).to_be_visible()
    screenshot(page, f"console-doctor-accounts-{size}")
