"""医师验证 and 统计信息 in a real browser at desktop and phone widths: screenshots, no sideways scroll (INS-8, INS-11)."""

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from docregsys.reference.models import Category, Level, PracticeScope
from tests import personas
from tests.factories import (
    AssessmentResultFactory,
    CertificateFactory,
    DepartmentFactory,
    PracticeRecordFactory,
    make_resident_id,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 812}}
ID = make_resident_id("430102", "19820416", "037")


@pytest.fixture
def browser_context_args(browser_context_args):
    # LocaleMiddleware honours Accept-Language: a Chinese-speaking officer, as in tests/pages/conftest.py.
    return {**browser_context_args, "locale": "zh-CN"}


def log_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def no_horizontal_scroll(page, width):
    return page.evaluate("document.documentElement.scrollWidth") <= width


def seed():
    officer = personas.officer_x()
    x = personas.institution(personas.X)
    CertificateFactory(
        id_number=ID,
        real_name="朱丽华",
        number="200643110" + ID,
        year_obtained=2006,
        school="中南大学湘雅医学院",
    )
    record = PracticeRecordFactory(
        id_number=ID,
        real_name="朱丽华",
        main_institution=x,
        qualification_number="200643110" + ID,
        authority=personas.authority("furong"),
        approval_date=dt.date(2008, 9, 22),
        title="主任医师",
        department=DepartmentFactory(institution=x, name="心内科"),
    )
    scopes = [
        PracticeScope.objects.create(code="0101", name="内科专业", category="clinical"),
        PracticeScope.objects.create(code="0102", name="外科专业", category="clinical"),
        PracticeScope.objects.create(code="0103", name="妇产科专业", category="clinical"),
    ]
    record.scopes.set(scopes[:1])
    AssessmentResultFactory(id_number=ID, real_name="朱丽华", cycle="2021-2023")
    PracticeRecordFactory(  # also registered in 湖北省: 医师在外省注册情况
        id_number=ID,
        real_name="朱丽华",
        main_institution=personas.institution("jiangan"),
        authority=personas.authority("jiangan"),
        approval_date=dt.date(2019, 3, 4),
    )
    for i in range(12):  # a few colleagues for the charts
        number = make_resident_id("430102", f"19{62 + i * 3}0101", f"{100 + i:03d}")
        colleague = PracticeRecordFactory(
            id_number=number,
            real_name=f"医师{i}",
            main_institution=x,
            qualification_number="201043110" + number,
            level=Level.ASSISTANT if i % 4 == 0 else Level.PHYSICIAN,
            category=(Category.CLINICAL, Category.TCM, Category.DENTAL)[i % 3],
            title=("主治医师", "副主任医师", "医师", "")[i % 4],
        )
        colleague.scopes.set(scopes[i % 3 : i % 3 + 1])
    return officer


@pytest.mark.parametrize("size", SIZES)
def test_lookup_and_statistics_look(live_server, page, screenshot, size):
    log_in(page, live_server, seed())
    page.set_viewport_size(SIZES[size])
    width = SIZES[size]["width"]

    page.goto(live_server.url + "/institution/verify/registration/")
    page.get_by_label("身份证号码").fill(ID)
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_text("本次查询共查到2条数据")).to_be_visible()
    assert ID not in page.content()
    expect(page.get_by_text("朱丽华").first).to_be_visible()
    screenshot(page, f"console-verify-registration-{size}")
    assert no_horizontal_scroll(page, width), f"the lookup result scrolls sideways at {size}"

    page.goto(live_server.url + "/institution/verify/qualification/")
    page.get_by_label("身份证号码").fill(ID[:17] + ("0" if ID[17] != "0" else "1"))
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_text("校验位")).to_be_visible()
    screenshot(page, f"console-verify-refused-{size}")

    page.goto(live_server.url + "/institution/statistics/")
    expect(page.get_by_role("heading", name="按医师类别统计")).to_be_visible()
    assert page.locator("svg.bar-chart").count() == 7
    screenshot(page, f"console-statistics-{size}")
    assert no_horizontal_scroll(page, width), f"the statistics scroll sideways at {size}"

    page.goto(live_server.url + "/institution/outside/")
    expect(page.get_by_role("cell", name="湖北省武汉市江岸区", exact=True)).to_be_visible()
    screenshot(page, f"console-outside-{size}")
    assert no_horizontal_scroll(page, width), f"the outside list scrolls sideways at {size}"
