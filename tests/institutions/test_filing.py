"""INS-10 (REG-3, seed 002 ch.3 §8.1–8.3): 申请备案, 申请注销, 机构更名变更 and 备案注销申请情况列表 — the
institution files straight to its authority; revoking withdraws; a returned one is amended and resubmitted."""

from __future__ import annotations

import pytest
from django.utils import timezone

from approvals.services import application_return
from docregsys.exceptions import TransitionRefused
from docregsys.messaging.models import OutboundMessage
from registrations.models import Action, Application, ApplicationEvent, Initiator, Kind, PracticeRecord, State
from registrations.rules import Draft
from registrations.services.applications import application_revoke
from registrations.services.institution import (
    application_institution_file,
    application_institution_resubmit,
    application_institution_withdraw,
)
from tests import personas
from tests.applications import filing_reason, reason, reviewer_for, route
from tests.dbstate import assert_nothing_changed
from tests.factories import PracticeRecordFactory, make_resident_id

pytestmark = pytest.mark.django_db

ARCHIVE = "/institution/business/archive/"
DEREGISTER = "/institution/business/deregister/"
RENAME = "/institution/business/rename/"
FILINGS = "/institution/business/filings/"


@pytest.fixture
def x():
    return personas.institution(personas.X)


@pytest.fixture
def y():
    return personas.institution(personas.Y)


@pytest.fixture
def authority(x):
    return route(x)


@pytest.fixture
def officer(client, officer_x):
    client.force_login(officer_x)
    return officer_x


@pytest.fixture
def record_a(doctor_a):
    return PracticeRecord.objects.get(id_number_digest=doctor_a.id_number_digest)


def actions(application) -> list[str]:
    return list(
        ApplicationEvent.objects.filter(application=application)
        .order_by("pk")
        .values_list("action", flat=True)
    )


def archive_draft(code="02", statement="到龄退休"):
    return Draft(kind=Kind.ARCHIVE, filing_reason=filing_reason(code), statement=statement)


# ------------------------------------------------------------------------------------------ the service


def test_filing_goes_straight_to_the_authority_with_three_log_rows(
    officer_x, x, authority, doctor_a, record_a
):
    """INS-10: initiator institution, the record's person (and account), agreed with authority and due date;
    the log holds CREATE, SUBMIT, AGREE by the officer; the doctor is told."""
    application = application_institution_file(officer=officer_x, draft=archive_draft(), record=record_a)
    application.refresh_from_db()
    assert application.initiator == Initiator.INSTITUTION and application.kind == Kind.ARCHIVE
    assert application.state == State.AGREED and application.authority == authority
    assert application.due_date > timezone.localdate() and application.institution == x
    assert application.doctor == doctor_a and application.record == record_a
    assert application.id_number_digest == doctor_a.id_number_digest
    assert actions(application) == [Action.CREATE, Action.SUBMIT, Action.AGREE]
    assert set(ApplicationEvent.objects.filter(application=application).values_list("role", flat=True)) == {
        "officer"
    }


def test_a_doctor_without_an_account_can_be_filed_for(officer_x, x, authority):
    """INS-10 may concern a doctor who never opened an account: the application has no doctor, only the person."""
    record = PracticeRecordFactory(
        real_name="孙无号",
        id_number=make_resident_id("430102", "19600101"),
        main_institution=x,
        location=x.region,
        authority=authority,
    )
    application = application_institution_file(
        officer=officer_x,
        draft=Draft(kind=Kind.DEREGISTER, deregistration_reason=reason("01")),
        record=record,
    )
    assert application.doctor is None and application.real_name == "孙无号"
    assert application.state == State.AGREED


def test_another_institutions_doctor_is_refused_and_nothing_changes(officer_x, authority, doctor_b):
    """INS-10: only doctors whose valid record's main institution is this one."""
    record_b = PracticeRecord.objects.get(id_number_digest=doctor_b.id_number_digest)
    draft = archive_draft()
    with assert_nothing_changed(), pytest.raises(TransitionRefused) as refused:
        application_institution_file(officer=officer_x, draft=draft, record=record_b)
    assert refused.value.code == "record_not_here"


def test_a_second_open_filing_of_the_same_type_is_refused(officer_x, authority, record_a):
    """REG-5: one open application per person and type, the institution's included."""
    application_institution_file(officer=officer_x, draft=archive_draft(), record=record_a)
    draft = archive_draft("01")
    with assert_nothing_changed(), pytest.raises(TransitionRefused) as refused:
        application_institution_file(officer=officer_x, draft=draft, record=record_a)
    assert refused.value.code == "open_application_exists"


def test_without_an_authority_setting_nothing_is_filed(officer_x, record_a):
    """INS-2: no 审批机关设置 for the doctor's category — refused, nothing written."""
    draft = archive_draft()
    with assert_nothing_changed(), pytest.raises(TransitionRefused) as refused:
        application_institution_file(officer=officer_x, draft=draft, record=record_a)
    assert refused.value.code == "no_authority"


def test_revoking_an_institutions_filing_withdraws_it(officer_x, authority, record_a):
    """INS-10: revoke = withdraw for what the institution filed itself."""
    application = application_institution_file(officer=officer_x, draft=archive_draft(), record=record_a)
    application_revoke(officer=officer_x, application_id=application.pk)
    application.refresh_from_db()
    assert application.state == State.WITHDRAWN and actions(application)[-1] == Action.REVOKE
    assert "您的“注册备案”申请已撤回" in OutboundMessage.objects.order_by("-pk").first().body


def test_a_returned_filing_is_amended_and_resubmitted_straight_to_the_authority(
    officer_x, authority, record_a
):
    """INS-10: RETURNED → AGREED (RESUBMIT), with the new reason and a new due date; twice is refused."""
    application = application_institution_file(officer=officer_x, draft=archive_draft(), record=record_a)
    application_return(reviewer=reviewer_for(authority), application_id=application.pk, reason="情形有误")
    application_institution_resubmit(
        officer=officer_x, application_id=application.pk, draft=archive_draft("01", "调往外省")
    )
    application.refresh_from_db()
    assert application.state == State.AGREED and application.filing_reason.code == "01"
    assert application.statement == "调往外省" and application.version == 2
    assert actions(application)[-2:] == [Action.RETURN, Action.RESUBMIT]
    with assert_nothing_changed(), pytest.raises(TransitionRefused):
        application_institution_resubmit(officer=officer_x, application_id=application.pk)


def test_rename_needs_a_new_name_and_one_at_a_time(officer_x, x, authority):
    """机构更名变更: a name is required and must differ; a second open one is refused."""
    for name, code in (("", "name_required"), ("芙蓉医院", "same_name")):
        with assert_nothing_changed(), pytest.raises(TransitionRefused) as refused:
            application_institution_file(
                officer=officer_x, draft=Draft(kind=Kind.RENAME, new_institution_name=name)
            )
        assert refused.value.code == code
    application = application_institution_file(
        officer=officer_x, draft=Draft(kind=Kind.RENAME, new_institution_name="长沙市芙蓉区人民医院")
    )
    assert (
        application.state == State.AGREED
        and application.authority == authority
        and application.record is None
    )
    with assert_nothing_changed(), pytest.raises(TransitionRefused) as refused:
        application_institution_file(
            officer=officer_x, draft=Draft(kind=Kind.RENAME, new_institution_name="芙蓉区第二人民医院")
        )
    assert refused.value.code == "open_application_exists"


# ------------------------------------------------------------------------------------------ the pages


def test_archive_list_shows_this_institutions_valid_doctors(client, officer, doctor_a, doctor_b):
    """Seed 002 §8.2: 姓名 性别 年龄 类别 级别 操作 [注册备案]; Y's doctors are not listed."""
    html = client.get(ARCHIVE).content.decode()
    for column in ("姓名", "性别", "年龄", "类别", "级别", "操作", "注册备案"):
        assert column in html
    assert "王甲" in html and "李乙" not in html and "男" in html and "临床" in html
    assert "调离、退休、退职、被辞退、被开除" in html
    html = client.get(DEREGISTER).content.decode()
    assert "王甲" in html and "申请注销" in html and "死亡或失踪" in html


def test_archive_form_files_with_the_chosen_reason(client, officer, authority, record_a):
    """注册备案: 备案情形 and statement → 卫健委审批中, listed in 备案注销申请情况列表 with its due date."""
    url = f"{ARCHIVE}{record_a.pk}/"
    retire = filing_reason("02")
    html = client.get(url).content.decode()
    assert "备案情形" in html and "退休" in html and record_a.certificate_number in html
    response = client.post(url, {"filing_reason": retire.pk, "statement": "到龄退休"})
    assert response.status_code == 302 and response["Location"] == FILINGS
    application = Application.objects.get(kind=Kind.ARCHIVE)
    assert application.filing_reason == retire and application.state == State.AGREED
    html = client.get(FILINGS).content.decode()
    assert "王甲" in html and "注册备案" in html and "退休" in html and "卫健委审批中" in html
    assert application.due_date.strftime("%Y-%m-%d") in html
    assert f"/institution/business/{application.pk}/revoke/" in html


def test_archive_form_without_a_reason_says_so_and_files_nothing(client, officer, authority, record_a):
    filing_reason("02")
    with assert_nothing_changed():
        response = client.post(f"{ARCHIVE}{record_a.pk}/", {"statement": "x" * 501})
    html = response.content.decode()
    assert response.status_code == 400 and "请选择备案情形" in html and "500" in html


def test_another_institutions_doctor_is_a_404_on_the_forms(client, officer, authority, doctor_b):
    """INS-10: Y's doctor's record → 404 on GET and POST, nothing filed."""
    record_b = PracticeRecord.objects.get(id_number_digest=doctor_b.id_number_digest)
    retire, own_wish = filing_reason(), reason()
    with assert_nothing_changed():
        assert client.get(f"{ARCHIVE}{record_b.pk}/").status_code == 404
        assert client.post(f"{ARCHIVE}{record_b.pk}/", {"filing_reason": retire.pk}).status_code == 404
        assert (
            client.post(f"{DEREGISTER}{record_b.pk}/", {"deregistration_reason": own_wish.pk}).status_code
            == 404
        )


def test_deregister_form_files_one_of_the_ten_reasons(client, officer, authority, record_a):
    response = client.post(f"{DEREGISTER}{record_a.pk}/", {"deregistration_reason": reason("06").pk})
    assert response.status_code == 302
    application = Application.objects.get(kind=Kind.DEREGISTER)
    assert application.deregistration_reason.code == "06" and application.initiator == Initiator.INSTITUTION
    assert "中止医师执业活动满两年的" in client.get(FILINGS).content.decode()


def test_rename_page_files_the_new_name(client, officer, authority, record_a):
    html = client.get(RENAME).content.decode()
    assert "芙蓉医院" in html and "1名医师" in html
    with assert_nothing_changed():
        response = client.post(RENAME, {"new_institution_name": ""})
    assert response.status_code == 400 and "请填写变更后的机构名称" in response.content.decode()
    response = client.post(RENAME, {"new_institution_name": "长沙市芙蓉区人民医院", "statement": "更名"})
    assert response.status_code == 302
    assert "长沙市芙蓉区人民医院" in client.get(FILINGS).content.decode()
    application = Application.objects.get(kind=Kind.RENAME)
    html = client.get(f"/institution/business/{application.pk}/").content.decode()
    assert (
        "机构信息" in html and "现机构名称" in html and "机构名称请求变更为：长沙市芙蓉区人民医院；" in html
    )


def test_filings_list_offers_resubmission_of_a_returned_one(client, officer, officer_x, authority, record_a):
    application = application_institution_file(officer=officer_x, draft=archive_draft(), record=record_a)
    application_return(reviewer=reviewer_for(authority), application_id=application.pk, reason="请附调令")
    html = client.get(FILINGS).content.decode()
    assert "已退回" in html and "请附调令" in html
    url = f"{FILINGS}{application.pk}/resubmit/"
    assert url in html
    response = client.post(url, {"filing_reason": filing_reason("01").pk, "statement": "调往外省,附调令"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == State.AGREED and application.statement == "调往外省,附调令"
    with assert_nothing_changed():
        response = client.post(url, {"filing_reason": filing_reason("01").pk})
    assert response.status_code == 400


def test_the_doctor_is_told_what_the_institution_filed(officer_x, authority, doctor_a, record_a):
    """REG-4: the doctor concerned hears of the institution's filing (verified phone, through the outbox)."""
    assert doctor_a.phone_verified
    before = OutboundMessage.objects.count()
    application_institution_file(officer=officer_x, draft=archive_draft(), record=record_a)
    assert OutboundMessage.objects.count() == before + 1
    body = OutboundMessage.objects.order_by("-pk").first().body
    assert "芙蓉医院已为您提交“注册备案”申请（退休）" in body and authority.name in body


def test_a_returned_filing_may_be_withdrawn_instead(
    client, officer, officer_x, officer_y, authority, record_a
):
    """INS-10: the institution gives up a returned filing (撤回): WITHDRAWN, logged, and a new filing of
    the type may follow; an agreed one cannot be withdrawn this way, and Y's officer finds nothing."""
    application = application_institution_file(officer=officer_x, draft=archive_draft(), record=record_a)
    url = f"/institution/business/filings/{application.pk}/withdraw/"
    with assert_nothing_changed():
        client.post(url)  # still 卫健委审批中: refused with a message
    application_return(reviewer=reviewer_for(authority), application_id=application.pk, reason="材料不全")
    with pytest.raises(TransitionRefused):
        application_institution_withdraw(officer=officer_y, application_id=application.pk)
    response = client.post(url, follow=True)
    assert "已撤回该申请" in response.content.decode()
    application.refresh_from_db()
    assert application.state == State.WITHDRAWN and actions(application)[-1] == Action.WITHDRAW
    again = application_institution_file(officer=officer_x, draft=archive_draft(), record=record_a)
    assert again.state == State.AGREED
