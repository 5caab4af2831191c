"""系统功能 in a real browser: the officer sets the 临床 authority and adds a department with the picker
(typing "nk" narrows the catalogue to 内科 rows), at desktop and phone widths (INS-2, INS-3, X-2)."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from docregsys.reference.models import TreatmentSubject
from institutions.models import Department, InstitutionAuthority
from tests import personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 812}}
SUBJECTS = [
    ("02", "全科医疗科"),
    ("03", "内科"),
    ("03.01", "呼吸内科专业"),
    ("03.02", "消化内科专业"),
    ("04", "外科"),
    ("04.01", "普通外科专业"),
    ("12", "口腔科"),
]


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A Chinese-speaking officer (Chromium's default en-US would turn the pages English).
    return {**browser_context_args, "locale": "zh-CN"}


def log_in(page, base, user):
    """The officer's session, made by Django's test client and handed to the browser."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base}])


@pytest.mark.parametrize("size", SIZES)
def test_officer_sets_the_clinical_authority_and_adds_a_department(live_server, page, screenshot, size):
    for code, name in SUBJECTS:
        TreatmentSubject.objects.create(code=code, name=name, parent_id=code.rpartition(".")[0] or None)
    officer = personas.officer_x()
    doctor = personas.doctor_a()  # activated, a valid record at X: gets a 设置 form
    personas.unactivated_doctor()  # a record at X, not activated: no form
    county = personas.authority("furong")
    personas.authority("city")
    page.set_viewport_size(SIZES[size])
    log_in(page, live_server.url, officer)

    page.goto(live_server.url + "/institution/system/authorities/")
    screenshot(page, f"system-authorities-{size}")
    block = page.get_by_role("region", name="临床类别医师审批机关")
    block.get_by_label("修改设置：").select_option(label=county.name)
    block.get_by_role("button", name="保存").click()
    expect(page.get_by_role("region", name="临床类别医师审批机关")).to_contain_text(
        f"当前设置为：{county.name}"
    )
    assert (
        InstitutionAuthority.objects.get(institution=officer.institution, category="clinical").authority
        == county
    )
    screenshot(page, f"system-authorities-saved-{size}")
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]

    page.goto(live_server.url + "/institution/system/departments/")
    page.get_by_label("科室名称").fill("内科")
    page.get_by_label("诊疗科目名称筛选").fill("nk")
    rows = page.locator("#subject-table tbody tr:visible")
    expect(rows).to_have_count(3)  # 内科, 呼吸内科专业 (hxnkzy), 消化内科专业 (xhnkzy)
    page.locator('input[name="subjects"][value="03"]').check()
    page.locator('input[name="subjects"][value="03.01"]').check()
    screenshot(page, f"system-departments-picker-{size}")
    page.get_by_role("button", name="确认").click()
    expect(page.locator(".department-table")).to_contain_text("呼吸内科专业")
    department = Department.objects.get(institution=officer.institution)
    assert department.name == "内科"
    assert sorted(department.subjects.values_list("code", flat=True)) == ["03", "03.01"]
    screenshot(page, f"system-departments-{size}")
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]

    page.goto(live_server.url + "/institution/system/department-members/")
    page.get_by_label("王甲的所在科室").select_option(label="内科")
    page.get_by_role("button", name="设置").click()
    expect(page.locator(".members-table")).to_contain_text("科室名称 内科")
    screenshot(page, f"system-department-members-{size}")
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]

    # The doctor's 我的科室 (seed 002 §2.3.3): the departments of the main institution.
    page.context.clear_cookies()
    log_in(page, live_server.url, doctor)
    page.goto(live_server.url + "/accounts/department/")
    expect(page.get_by_role("radio", name="内科")).to_be_checked()  # set by the officer above
    screenshot(page, f"system-my-department-{size}")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".messages")).to_contain_text("已保存您所在的科室。")
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]
