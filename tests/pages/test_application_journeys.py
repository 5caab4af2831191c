"""Issue 10's acceptance journeys through the real pages in headless Chromium (desktop width).

1. A new passer's first registration: sign-up (two steps) → 医师信息校验 → phone code → activation by the
   admission ticket → 业务申请 智能引导 → 注册 at X (内科专业) → X's officer logs into the console (SMS code)
   and 同意 → 芙蓉区's reviewer 批准 in the admin (confirmation page) → 业务查询 shows 已办结 and the home page
   the 15-digit 执业证书编码.
2. 助理医师升执业医师 at X: the assistant record 失效, the new 执业医师 record 有效 with the same number.
3. 变更 to 江岸医院 (湖北省): confirmed by its officer, approved by its authority; the old record 变更出.
4. 多执业机构备案 at Y, then 多执业机构取消备案: the console lists of X and Y show the filing, then no more.
5. X's 申请注销 for one of its doctors → 批准 → the doctor sees 注销 in 执业信息 and 业务查询.

Every main step is photographed (artifacts/screenshots/apps-journey-<journey>-<step>.png). Only journey 1
logs its people in through the real forms; the others sign in through the session (the console's and the
admin's logins have their own journeys).
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from institutions.models import Institution
from registrations.models import (
    Application,
    ApplicationEvent,
    Kind,
    MultiInstitutionFiling,
    PracticeRecord,
    State,
)
from tests import personas
from tests.applications import reason, registered_doctor, reviewer_for, route, scope
from tests.factories import (
    CertificateFactory,
    ExamCategoryFactory,
    ExamResultFactory,
    OfficerFactory,
    make_resident_id,
)
from tests.pages.test_doctor_journey import _check_and_verify_phone, _sign_up

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
Rec = PracticeRecord.State


# ------------------------------------------------------------------------------------------ helpers


def _session_cookies(live_server, user) -> list[dict]:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    return [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]


def _as(page, live_server, user) -> None:
    """Sign `user` in through the session (the forms have their own journeys)."""
    page.context.clear_cookies()
    page.context.add_cookies(_session_cookies(live_server, user))


def _console_menu(page, top: str, sub: str) -> None:
    page.get_by_role("navigation", name="主导航").get_by_role("link", name=top).click()
    page.get_by_role("navigation", name="子菜单").get_by_role("link", name=sub, exact=True).click()


def _officer_agrees(page, live_server, look, officer, name: str, *, step: str, log_in: bool = True) -> None:
    """业务办理 › 医师申请业务办理 → 办理业务 → 同意."""
    if log_in:
        _as(page, live_server, officer)
    page.goto(live_server.url + "/institution/home/")
    _console_menu(page, "业务办理", "医师申请业务办理")
    row = page.locator("tr", has=page.get_by_role("cell", name=name, exact=True))
    expect(row).to_have_count(1)
    look(f"{step}-queue")
    row.get_by_role("link", name="办理业务").click()
    expect(page.get_by_role("button", name="同意", exact=True)).to_be_visible()
    look(f"{step}-detail")
    page.get_by_role("button", name="同意", exact=True).click()
    page.wait_for_load_state()
    refused = page.locator(".msg-error, .errorlist")
    assert not refused.count(), refused.all_inner_texts()
    expect(page.get_by_text("已同意，并已提交卫生健康行政部门审批。")).to_be_visible()


def _reviewer_approves(page, live_server, look, reviewer, application: Application, *, step: str) -> None:
    """The admin's changelist → the application → 批准 → the confirmation page → 确认批准."""
    _as(page, live_server, reviewer)
    page.goto(live_server.url + "/admin/registrations/application/")
    link = page.locator(f'a[href$="/application/{application.pk}/change/"]')
    expect(page.locator("#result_list tbody tr", has=link)).to_contain_text(application.real_name)
    look(f"{step}-admin-queue")
    page.locator("#result_list").locator(link).first.click()
    expect(page.locator("#application-requested")).to_contain_text(application.get_kind_display())
    if application.doctor_id:  # neither the ID number nor the 资格证书编码 (which holds it) in clear
        assert application.doctor.id_number not in page.content()
    look(f"{step}-admin-detail")
    page.click("#application-approve")
    expect(page.locator("#approve-form")).to_contain_text("不能撤销")
    assert not page.locator("#approve-refusals").count(), page.locator("#approve-refusals").inner_text()
    look(f"{step}-admin-confirm")
    page.click("#approve-form input[type=submit]")
    expect(page.locator(".messagelist")).to_contain_text("已批准")
    look(f"{step}-admin-approved")
    application.refresh_from_db()
    assert application.state == State.APPROVED


def _guide(page, look, want: str, *, search: str | None, institution: Institution | None, step: str) -> None:
    """业务申请's 智能引导: what, where → the suggested type → 填写申请表."""
    page.get_by_role("link", name="业务申请").first.click()
    page.wait_for_url("**/accounts/apply/")
    expect(page.get_by_role("heading", name="智能引导")).to_be_visible()
    page.get_by_label(want).check()
    if search:
        page.get_by_label("搜索医疗机构").fill(search)
        page.get_by_role("button", name="搜索机构").click()
        page.get_by_label("在哪家医疗机构执业？").select_option(
            label=f"{institution.name}（{institution.registration_number}）"
        )
    page.get_by_role("button", name="下一步").click()
    expect(page.locator("#answer")).to_be_visible()
    look(f"{step}-guide")


def _submit(page, look, *, step: str, institution_name: str) -> Application:
    look(f"{step}-form")
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_text(f"申请已提交，请等待{institution_name}确认")).to_be_visible()
    look(f"{step}-submitted")
    return Application.objects.order_by("-pk").first()


def _applications_show(page, live_server, kind_label: str, state_label: str) -> None:
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="业务查询").first.click()
    page.wait_for_url("**/accounts/applications/")
    row = page.locator(".applications-table tbody tr", has_text=kind_label).first
    expect(row.locator(".app-state")).to_have_text(state_label)


def _practice_block(page, institution_name: str, state_label: str):
    return page.locator(".practice-block", has_text=institution_name).filter(
        has=page.locator(f".badge:text-is('{state_label}')")
    )


@pytest.fixture
def look(page, screenshot):
    """look(journey, step): photograph the page; it never scrolls sideways at desktop width."""

    def take(name: str) -> None:
        screenshot(page, f"apps-journey-{name}")
        assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"], f"{name} scrolls"

    page.set_viewport_size(DESKTOP)
    return take


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")


# ------------------------------------------------------------------------------------------ 1. 首次注册


def test_1_a_new_passer_signs_up_activates_and_registers(live_server, page, look, sms_inbox, settings):
    settings.CODE_RESEND_SECONDS = 0  # the doctor and the officer ask for codes from one address (127.0.0.1)
    x = personas.institution(personas.X)
    personas.institution(personas.Y)
    county = route(x, authority=personas.authority("furong"))
    reviewer = personas.county_reviewer()
    assert reviewer.authority == county
    officer = personas.officer_x()
    User.objects.filter(pk=officer.pk).update(phone="13907318800")
    for name in ("内科专业", "外科专业"):
        scope(name)
    id_number = make_resident_id("430102", "19990918", "613")
    category = ExamCategoryFactory(code="110", level="physician", category="clinical")
    # Passed this year's exam; the certificate is not issued yet: activation by the admission ticket (path c).
    exam = ExamResultFactory(
        real_name="李明轩",
        id_number=id_number,
        year=timezone.localdate().year,
        exam_category=category,
        admission_ticket="202511043010013",
    )
    person = {"name": "李明轩", "id": id_number, "phone": "13907316003"}

    def step(name):
        look(f"1-{name}")

    # Sign-up (two steps) → 医师信息校验 → phone code → activation by the admission ticket.
    _sign_up(page, live_server, step, person, "lmxuan01")
    _check_and_verify_phone(page, step, person, sms_inbox)
    step("6-activation")
    page.get_by_label("请输入医学综合笔试准考证号").fill(exam.admission_ticket)
    page.get_by_role("button", name="激活我的账户").click()
    page.wait_for_url(live_server.url + "/")
    expect(page.get_by_text("您的账户已激活")).to_be_visible()
    step("7-home-activated")
    doctor = User.objects.get(username="lmxuan01")
    assert doctor.is_activated and doctor.activation_path == "ticket"

    # 业务申请: the guide suggests 注册 at X; the form.
    _guide(page, step, "我要在一家医疗机构执业（首次注册或重新注册）", search="芙蓉", institution=x, step="8")
    expect(page.get_by_role("heading", name="建议办理：注册")).to_be_visible()
    page.get_by_role("link", name="填写申请表").click()
    expect(page.get_by_role("heading", name="申请表")).to_be_visible()
    page.get_by_label("医师级别").select_option(label="执业医师")
    page.get_by_label("医师类别").select_option(label="临床")
    expect(page.locator("output[data-location]")).to_have_text("湖南省")
    page.get_by_label("内科专业").check()
    page.get_by_label("提交本次业务的缘由").fill("首次注册")
    application = _submit(page, step, step="9", institution_name=x.name)
    assert application.kind == Kind.REGISTER and application.state == State.SUBMITTED
    assert application.doctor == doctor
    doctor_cookies = page.context.cookies()

    # X's officer logs into the console with the SMS code and agrees.
    page.context.clear_cookies()
    page.goto(live_server.url + "/institution/")
    page.get_by_label("用户名").fill(officer.username)
    page.locator("#id_password").fill(personas.PASSWORD)
    page.get_by_label("验证码").fill("PASSED")
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_url(live_server.url + "/institution/login/code/")
    page.get_by_label("短信校验码").fill(sms_inbox.last_code("13907318800"))
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_url(live_server.url + "/institution/home/")
    _officer_agrees(page, live_server, step, officer, "李明轩", step="10", log_in=False)
    application.refresh_from_db()
    assert application.state == State.AGREED and application.authority == county

    # 芙蓉区's reviewer logs into the admin and approves after the confirmation page.
    page.context.clear_cookies()
    page.goto(live_server.url + "/admin/login/?next=/admin/registrations/application/")
    page.fill("#id_username", reviewer.username)
    page.fill("#id_password", personas.PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/registrations/application/")
    page.locator("#result_list a", has_text="李明轩").first.click()
    page.click("#application-approve")
    expect(page.locator("#approve-form")).to_be_visible()
    step("11-admin-confirm")
    page.click("#approve-form input[type=submit]")
    expect(page.locator(".messagelist")).to_contain_text("已批准")
    step("11-admin-approved")

    record = PracticeRecord.objects.get(id_number_digest=doctor.id_number_digest)
    assert record.state == Rec.VALID and record.main_institution == x
    assert re.fullmatch(r"\d{15}", record.certificate_number)
    assert [s.name for s in record.scopes.all()] == ["内科专业"]

    # The doctor: 业务查询 shows 已办结; the home page the 15-digit 执业证书编码.
    page.context.clear_cookies()
    page.context.add_cookies(doctor_cookies)
    _applications_show(page, live_server, "注册", "已办结")
    step("12-applications")
    page.goto(live_server.url + "/")
    expect(page.locator(".practice-block")).to_contain_text(record.certificate_number)
    expect(page.locator(".practice-block")).to_contain_text(x.name)
    step("13-home-certificate")


# ------------------------------------------------------------------------------------------ 2. 助理升执业


def test_2_an_assistant_upgrades_at_the_same_institution(live_server, page, look):
    x = personas.institution(personas.X)
    doctor, old = registered_doctor(at=x, real_name="孙助理", level="assistant", obtained=2016)
    route(x, authority=personas.authority("furong"))
    # Since then a 执业医师 certificate of the same category.
    CertificateFactory(
        real_name=doctor.real_name,
        id_number=doctor.id_number,
        level="physician",
        category="clinical",
        year_obtained=2022,
        number=f"2022110430{doctor.id_number}",
    )
    number = old.certificate_number

    def step(name):
        look(f"2-{name}")

    _as(page, live_server, doctor)
    page.goto(live_server.url + "/")
    _guide(
        page,
        step,
        "我已取得执业医师资格，要由执业助理医师升为执业医师",
        search="芙蓉",
        institution=x,
        step="1",
    )
    expect(page.get_by_role("heading", name="建议办理：助理医师升执业医师")).to_be_visible()
    page.get_by_role("link", name="填写申请表").click()
    expect(page.get_by_role("heading", name="申请表")).to_be_visible()
    expect(page.get_by_label("内科专业")).to_be_checked()  # kept from the assistant record
    page.get_by_label("提交本次业务的缘由").fill("已取得执业医师资格")
    application = _submit(page, step, step="2", institution_name=x.name)
    assert application.kind == Kind.UPGRADE and application.record == old

    _officer_agrees(page, live_server, step, personas.officer_x(), doctor.real_name, step="3")
    _reviewer_approves(page, live_server, step, personas.county_reviewer(), application, step="4")

    old.refresh_from_db()
    new = PracticeRecord.objects.get(id_number_digest=doctor.id_number_digest, state=Rec.VALID)
    assert old.state == Rec.LAPSED
    assert (new.level, new.certificate_number, new.main_institution) == ("physician", number, x)

    _as(page, live_server, doctor)
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="执业信息").first.click()
    page.wait_for_url("**/accounts/practice/")
    lapsed = _practice_block(page, x.name, "失效")
    valid = _practice_block(page, x.name, "有效")
    expect(lapsed).to_contain_text("执业助理医师")
    expect(valid).to_contain_text("执业医师")
    expect(valid).to_contain_text(number)
    expect(lapsed).to_contain_text(number)
    step("5-practice")


# ------------------------------------------------------------------------------------------ 3. 跨省变更


def test_3_a_change_to_an_institution_in_another_province(live_server, page, look):
    x = personas.institution(personas.X)
    jiangan = personas.institution("jiangan")
    doctor, old = registered_doctor(at=x, real_name="周变更")
    target_authority = route(jiangan, authority=personas.authority("jiangan"))
    target_officer = OfficerFactory(username="officerja", real_name="江管理", institution=jiangan)
    target_reviewer = reviewer_for(target_authority)

    def step(name):
        look(f"3-{name}")

    _as(page, live_server, doctor)
    page.goto(live_server.url + "/")
    _guide(
        page,
        step,
        "我要变更执业地点、执业范围、执业类别或主要执业机构",
        search="江岸",
        institution=jiangan,
        step="1",
    )
    expect(page.get_by_role("heading", name="建议办理：变更")).to_be_visible()
    page.get_by_role("link", name="填写申请表").click()
    expect(page.get_by_role("heading", name="申请表")).to_be_visible()
    expect(page.locator("output[data-location]")).to_have_text("湖北省")
    page.get_by_label("内科专业").check()
    page.get_by_label("提交本次业务的缘由").fill("调入武汉市江岸医院")
    application = _submit(page, step, step="2", institution_name=jiangan.name)
    assert application.kind == Kind.CHANGE and application.institution == jiangan

    # X's officer does not see it: the target confirms.
    _as(page, live_server, personas.officer_x())
    page.goto(live_server.url + "/institution/business/")
    expect(page.get_by_role("cell", name=doctor.real_name)).to_have_count(0)
    _officer_agrees(page, live_server, step, target_officer, doctor.real_name, step="3")
    application.refresh_from_db()
    assert application.authority == target_authority
    _reviewer_approves(page, live_server, step, target_reviewer, application, step="4")

    old.refresh_from_db()
    new = PracticeRecord.objects.get(id_number_digest=doctor.id_number_digest, state=Rec.VALID)
    assert old.state == Rec.TRANSFERRED_OUT
    assert new.main_institution == jiangan and new.location.name == "湖北省"
    assert new.certificate_number == old.certificate_number

    _as(page, live_server, doctor)
    page.goto(live_server.url + "/accounts/practice/")
    expect(_practice_block(page, x.name, "变更出")).to_have_count(1)
    expect(_practice_block(page, jiangan.name, "有效")).to_contain_text("湖北省")
    step("5-practice")


# ------------------------------------------------------------------------------------------ 4. 备案, 取消备案


def _filing_lists(page, live_server, look, *, name: str, shown: bool, step: str) -> None:
    """本院多执业机构备案医师 at X and 外院在本院多执业机构医师 at Y show (or no longer show) the doctor."""
    for officer, sub, where in (
        (personas.officer_x(), "本院多执业机构备案医师", "x"),
        (personas.officer_y(), "外院在本院多执业机构医师", "y"),
    ):
        _as(page, live_server, officer)
        page.goto(live_server.url + "/institution/home/")
        _console_menu(page, "本院执业医师信息", sub)
        expect(page.get_by_role("heading", name=sub)).to_be_visible()
        expect(page.get_by_role("cell", name=name, exact=True)).to_have_count(1 if shown else 0)
        look(f"{step}-{where}")


def test_4_a_filing_at_another_institution_then_its_cancellation(live_server, page, look):
    x, y = personas.institution(personas.X), personas.institution(personas.Y)
    doctor, record = registered_doctor(at=x, real_name="钱备案")
    route(x, authority=personas.authority("furong"))
    y_authority = route(y, authority=personas.authority("tianxin"))
    y_reviewer = personas.tianxin_reviewer()
    assert y_reviewer.authority == y_authority

    def step(name):
        look(f"4-{name}")

    # 多执业机构备案 at Y.
    _as(page, live_server, doctor)
    page.goto(live_server.url + "/")
    _guide(
        page,
        step,
        "我要在主要执业机构以外的机构执业（多执业机构备案）",
        search="天心",
        institution=y,
        step="1",
    )
    expect(page.get_by_role("heading", name="建议办理：多执业机构备案")).to_be_visible()
    page.get_by_role("link", name="填写申请表").click()
    expect(page.get_by_role("heading", name="申请表")).to_be_visible()
    page.get_by_label("内科专业").check()
    page.get_by_label("提交本次业务的缘由").fill("到天心医院多机构执业")
    filing_application = _submit(page, step, step="2", institution_name=y.name)
    assert filing_application.kind == Kind.FILING and filing_application.record == record

    _officer_agrees(page, live_server, step, personas.officer_y(), doctor.real_name, step="3")
    _reviewer_approves(page, live_server, step, y_reviewer, filing_application, step="4")
    filing = MultiInstitutionFiling.objects.get(record=record, institution=y)
    assert filing.state == MultiInstitutionFiling.State.VALID

    _filing_lists(page, live_server, step, name=doctor.real_name, shown=True, step="5-filed")

    # 多执业机构取消备案.
    _as(page, live_server, doctor)
    page.goto(live_server.url + "/")
    _guide(page, step, "我要取消在其他机构的多执业机构备案", search=None, institution=None, step="6")
    expect(page.get_by_role("heading", name="建议办理：多执业机构取消备案")).to_be_visible()
    page.get_by_role("link", name="填写申请表").click()
    expect(page.get_by_role("heading", name="申请表")).to_be_visible()
    page.get_by_label("要取消的多执业机构备案").select_option(value=str(filing.pk))
    page.get_by_label("提交本次业务的缘由").fill("不再在天心医院执业")
    look("4-7-form")
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_text("申请已提交")).to_be_visible()
    step("7-submitted")
    cancel = Application.objects.get(kind=Kind.FILING_CANCEL)
    assert (cancel.filing, cancel.record, cancel.state) == (filing, record, State.SUBMITTED)

    confirmer = personas.officer_y() if cancel.institution == y else personas.officer_x()
    _officer_agrees(page, live_server, step, confirmer, doctor.real_name, step="8")
    cancel.refresh_from_db()
    approver = y_reviewer if cancel.authority == y_authority else personas.county_reviewer()
    _reviewer_approves(page, live_server, step, approver, cancel, step="9")
    filing.refresh_from_db()
    assert filing.state == MultiInstitutionFiling.State.CANCELLED

    _filing_lists(page, live_server, step, name=doctor.real_name, shown=False, step="10-cancelled")
    record.refresh_from_db()
    assert record.state == Rec.VALID


# ------------------------------------------------------------------------------------------ 5. 机构申请注销


def test_5_an_institution_deregisters_one_of_its_doctors(live_server, page, look):
    x = personas.institution(personas.X)
    route(x, authority=personas.authority("furong"))
    doctor = personas.doctor_a()
    personas.doctor_b()  # Y's doctor: not on X's list
    record = PracticeRecord.objects.get(id_number_digest=doctor.id_number_digest)
    for code in ("01", "06", "10"):
        reason(code)

    def step(name):
        look(f"5-{name}")

    _as(page, live_server, personas.officer_x())
    page.goto(live_server.url + "/institution/home/")
    _console_menu(page, "业务办理", "申请注销")
    expect(page.get_by_role("cell", name="王甲")).to_be_visible()
    expect(page.get_by_role("cell", name="李乙")).to_have_count(0)
    step("1-doctors")
    page.locator("tr", has=page.get_by_role("cell", name="王甲")).get_by_role("link", name="申请注销").click()
    page.get_by_role("button", name="提交卫生健康行政部门审批").click()  # no 注销情形: refused by the field
    expect(page.get_by_text("请选择注销情形。")).to_be_visible()
    assert not Application.objects.exists()
    page.get_by_label("注销情形").select_option(label="中止医师执业活动满两年的")
    page.get_by_label("提交本次业务的缘由").fill("该医师已离岗两年以上")
    step("2-form")
    page.get_by_role("button", name="提交卫生健康行政部门审批").click()
    expect(page.get_by_text("已提交卫生健康行政部门审批。")).to_be_visible()
    expect(page.get_by_role("cell", name="卫健委审批中")).to_be_visible()
    step("3-filings")
    application = Application.objects.get(kind=Kind.DEREGISTER)
    assert application.state == State.AGREED and application.record == record

    _reviewer_approves(page, live_server, step, personas.county_reviewer(), application, step="4")
    record.refresh_from_db()
    assert record.state == Rec.DEREGISTERED
    assert ApplicationEvent.objects.filter(application=application, to_state=State.APPROVED).count() == 1

    # The officer's list says 已办结; the doctor sees 注销 in 执业信息 and in 业务查询.
    _as(page, live_server, personas.officer_x())
    page.goto(live_server.url + "/institution/business/filings/")
    expect(page.get_by_role("cell", name="已办结")).to_be_visible()
    step("5-filings-done")

    _as(page, live_server, doctor)
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="执业信息").first.click()
    page.wait_for_url("**/accounts/practice/")
    expect(_practice_block(page, x.name, "注销")).to_have_count(1)
    step("6-practice")
    _applications_show(page, live_server, "注销", "已办结")
    step("7-applications")
