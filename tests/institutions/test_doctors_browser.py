"""INS-5 in a real browser: the main list and a doctor's details at desktop and phone widths (X-2)."""

import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from docregsys.reference.models import PracticeScope
from tests import personas
from tests.factories import (
    DepartmentFactory,
    FilingFactory,
    PracticeRecordFactory,
    UserFactory,
    make_resident_id,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 812}}


def log_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


@pytest.mark.parametrize("size", SIZES)
def test_main_list_and_detail_look(live_server, page, screenshot, size):
    officer = personas.officer_x()
    x, y = officer.institution, personas.institution(personas.Y)
    pathology = DepartmentFactory(institution=x, name="病理科")
    scopes = [
        PracticeScope.objects.get_or_create(code=code, defaults={"name": name, "category": "clinical"})[0]
        for code, name in (("0101", "内科专业"), ("0107", "医学检验、病理专业"))
    ]
    first = None
    for i, (name, seq) in enumerate((("焦", "351"), ("王", "222"), ("白", "242"), ("杨", "311"))):
        number = make_resident_id("430102", f"19{75 + i}0304", seq)
        made = PracticeRecordFactory(
            main_institution=x,
            real_name=name,
            id_number=number,
            department=pathology if i == 0 else None,
            info_reviewed_at=timezone.now() if i == 0 else None,
            education="本科",
            approval_date=dt.date(2015, 6, 1),
        )
        made.scopes.set(scopes[: 1 + i % 2])
        if i < 2:
            UserFactory(real_name=name, id_number=number, activated=i == 0, checked=True)
        first = first or made
    FilingFactory(record=first, institution=y)
    page.set_viewport_size(SIZES[size])
    page.set_extra_http_headers({"Accept-Language": "zh-CN"})  # the console's users read Chinese
    log_in(page, live_server, officer)
    page.goto(f"{live_server.url}/institution/doctors/main/")
    expect(page.get_by_role("heading", name="主执业机构在本院医师")).to_be_visible()
    expect(page.get_by_role("cell", name="尚未注册账户")).to_have_count(2)
    screenshot(page, f"doctors-main-{size}")
    # The page itself never scrolls sideways; the table does, inside its region.
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]
    page.get_by_role("row").filter(has_text="焦").get_by_role("link", name="查看详细信息").click()
    expect(page.get_by_role("heading", name="医师详细信息")).to_be_visible()
    expect(page.get_by_text("天心医院")).to_be_visible()
    screenshot(page, f"doctors-detail-{size}")
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]
