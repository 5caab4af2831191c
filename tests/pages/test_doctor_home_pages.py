"""The doctor's home, record pages and help centre in a real browser at phone and desktop widths (ACC-8, X-2)."""

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from docregsys.reference.models import PracticeScope
from registrations.models import PracticeRecord
from tests.factories import (
    AnnouncementFactory,
    AssessmentResultFactory,
    CertificateFactory,
    ExamResultFactory,
    InstitutionFactory,
    PracticeRecordFactory,
    UserFactory,
    make_resident_id,
    region_tree,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 812}}
NAME = "宋立民"
ID = make_resident_id(birth="19850317", seq="013")


def seed_doctor():
    province, _city, furong, _tianxin = region_tree()
    user = UserFactory(activated=True, real_name=NAME, id_number=ID, username="songlm")
    CertificateFactory(
        real_name=NAME,
        id_number=ID,
        number="200943110430102198503170013",
        year_obtained=2009,
        school="中南大学湘雅医学院",
        issue_date=dt.date(2009, 12, 1),
        issuing_authority="湖南省卫生厅",
    )
    ExamResultFactory(real_name=NAME, id_number=ID, year=2009, admission_ticket="209110430100123")
    scopes = [
        PracticeScope.objects.create(code="0101", name="内科专业", category="clinical", order=1),
        PracticeScope.objects.create(code="0102", name="外科专业", category="clinical", order=2),
        PracticeScope.objects.create(code="0103", name="急救医学专业", category="clinical", order=3),
    ]
    PracticeRecordFactory(
        real_name=NAME,
        id_number=ID,
        certificate_number="110430100012345",
        qualification_number="200943110430102198503170013",
        main_institution=InstitutionFactory(name="湖南省人民医院", region=province),
        location=province,
        approval_date=dt.date(2014, 3, 17),
    ).scopes.set(scopes)
    PracticeRecordFactory(
        real_name=NAME,
        id_number=ID,
        main_institution=InstitutionFactory(name="长沙市第一医院", region=furong),
        location=furong,
        approval_date=dt.date(2010, 5, 4),
        state=PracticeRecord.State.FILED,
    ).scopes.set(scopes[:1])
    AssessmentResultFactory(real_name=NAME, id_number=ID, cycle="2021-2023")
    AssessmentResultFactory(real_name=NAME, id_number=ID, cycle="2018-2020", result="failed")
    AnnouncementFactory()
    return user


def log_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def no_horizontal_scroll(page, width):
    return page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("size", SIZES)
def test_doctor_pages_look(live_server, page, screenshot, size):
    """ACC-8: home, 资格信息, 执业信息, 考核信息, 帮助中心 render the records, fit a phone, menu in place."""
    log_in(page, live_server, seed_doctor())
    page.set_viewport_size(SIZES[size])
    for name, path, shown in (
        ("doctor-home", "/", "湖南省人民医院"),
        ("doctor-qualification", "/accounts/qualification/", "200943110430102198503170013"),
        ("doctor-practice", "/accounts/practice/", "长沙市第一医院"),
        ("doctor-assessment", "/accounts/assessment/", "2021-2023"),
        ("doctor-help", "/accounts/help/", "如何完成账户激活"),
    ):
        page.goto(live_server.url + path)
        expect(page.get_by_text(shown).first).to_be_visible()
        expect(page.locator(".side-menu")).to_be_visible()
        screenshot(page, f"{name}-{size}")
        assert no_horizontal_scroll(page, SIZES[size]["width"]), f"{name} scrolls sideways at {size}"
        assert ID not in page.content()


def test_help_centre_for_anonymous_visitors(live_server, page, screenshot):
    page.set_viewport_size(SIZES["phone"])
    page.goto(live_server.url + "/accounts/help/")
    expect(page.get_by_role("heading", name="帮助中心")).to_be_visible()
    screenshot(page, "help-anonymous-phone")
    assert no_horizontal_scroll(page, 375)
