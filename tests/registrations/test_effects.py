"""REG-7: what each business type's approval does to the practice records, filings and institutions.

Each test builds an application already agreed by the institution (ApplicationFactory, routed with the
institution's 审批机关设置) and approves it through ``approvals.services.application_approve``, then reads
the database: states, new records, certificate numbers, filings, the history's author and the one log row.
The business rules are tested in tests/registrations/test_rules_*.py; here they are switched off
(``no_rules``) so that each test shows the effect alone. The re-check at approval is in test_approve.py.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from approvals.services import application_approve
from docregsys.exceptions import TransitionRefused
from docregsys.reference.models import Category, Level
from registrations.models import (
    Action,
    Application,
    ApplicationEvent,
    ExtraLocation,
    Initiator,
    Kind,
    MultiInstitutionFiling,
    PracticeRecord,
    State,
)
from registrations.numbers import certificate_number_new, is_valid_certificate_number
from tests import personas
from tests.applications import (
    filing_reason,
    new_passer,
    province_of,
    reason,
    registered_doctor,
    reviewer_for,
    route,
    scope,
)
from tests.factories import (
    ApplicationFactory,
    CertificateFactory,
    ExtraLocationFactory,
    FilingFactory,
    PracticeRecordFactory,
)

VALID = PracticeRecord.State.VALID


@pytest.fixture
def no_rules(monkeypatch):
    """The effects alone: the approval's rule re-check answers "nothing refused"."""
    monkeypatch.setattr("approvals.selectors.application_refusals", lambda **kwargs: [])


@pytest.fixture
def x(db):
    return personas.institution(personas.X)


@pytest.fixture
def y(db):
    return personas.institution(personas.Y)


@pytest.fixture
def jiangan(db):
    return personas.institution("jiangan")


def agreed(kind, *, institution, doctor=None, record=None, category=None, scopes=(), **fields):
    """An application of `kind` agreed by `institution` and routed to its authority for the category."""
    category = category or (record.category if record else Category.CLINICAL)
    person = doctor or record
    application = ApplicationFactory(
        kind=kind,
        agreed=True,
        doctor=doctor,
        real_name=person.real_name,
        id_number_digest=person.id_number_digest,
        id_number_masked=person.id_number_masked,
        institution=institution,
        authority=route(institution, category),
        record=record,
        level=fields.pop("level", record.level if record else Level.PHYSICIAN),
        category=category,
        location=fields.pop("location", None),
        scopes=[scope(name) for name in scopes],
        **fields,
    )
    return application


def approve(application):
    reviewer = reviewer_for(application.authority)
    return reviewer, application_approve(reviewer=reviewer, application_id=application.pk)


def assert_one_approval(application, reviewer, record):
    """Approved, result_record set, and exactly one APPROVE log row by the reviewer."""
    application.refresh_from_db()
    assert application.state == State.APPROVED and application.decided_at is not None
    assert application.result_record == record
    events = ApplicationEvent.objects.filter(application=application)
    assert [(e.action, e.from_state, e.to_state, e.actor, e.role) for e in events] == [
        (Action.APPROVE, State.AGREED, State.APPROVED, reviewer, ApplicationEvent.Role.REVIEWER)
    ]


def last_history(obj):
    return obj.history.order_by("-history_id").first()


# ------------------------------------------------------------------------------------ 注册


def test_first_registration_creates_a_valid_record_with_a_new_certificate_number(no_rules, x):
    """REG-7 注册: a new passer gets a valid record at X in 湖南省, a new 15-digit number, the scopes, the
    qualification number and school/major from the certificate; the history names the reviewer."""
    doctor = new_passer()
    certificate = doctor_certificate(doctor)
    application = agreed(
        Kind.REGISTER,
        institution=x,
        doctor=doctor,
        location=province_of(x),
        qualification=certificate,
        scopes=("内科专业", "儿科专业"),
    )
    reviewer, _app = approve(application)
    record = PracticeRecord.objects.get(id_number_digest=doctor.id_number_digest)
    assert record.state == VALID and record.main_institution == x and record.location == province_of(x)
    assert record.level == Level.PHYSICIAN and record.category == Category.CLINICAL
    assert record.authority == application.authority and record.approval_date == timezone.localdate()
    assert is_valid_certificate_number(record.certificate_number)
    assert record.certificate_number[:6] == f"43{timezone.localdate().year}"
    assert record.qualification_number == certificate.number
    assert (record.school, record.major) == (certificate.school, certificate.major)
    assert {s.name for s in record.scopes.all()} == {"内科专业", "儿科专业"}
    assert record.id_number == doctor.id_number and record.sex and record.birth_date
    assert last_history(record).history_user == reviewer
    assert_one_approval(application, reviewer, record)


def doctor_certificate(doctor):
    from qualifications.models import QualificationCertificate

    return QualificationCertificate.objects.get(id_number_digest=doctor.id_number_digest)


def test_re_registration_keeps_the_certificate_number_for_life(no_rules, x):
    """REG-7: a person whose earlier record was deregistered registers again: the same 执业证书编码, and the
    details kept by 信息维护 on the earlier record (ethnicity, education …) carry over."""
    doctor, old = registered_doctor(at=x)
    PracticeRecord.objects.filter(pk=old.pk).update(
        state=PracticeRecord.State.DEREGISTERED, ethnicity="汉族", education="本科", title="主治医师"
    )
    application = agreed(
        Kind.REGISTER, institution=x, doctor=doctor, location=province_of(x), scopes=("内科专业",)
    )
    reviewer, _app = approve(application)
    new = PracticeRecord.objects.get(id_number_digest=doctor.id_number_digest, state=VALID)
    assert new.pk != old.pk
    assert new.certificate_number == old.certificate_number
    assert (new.ethnicity, new.education, new.title) == ("汉族", "本科", "主治医师")
    assert_one_approval(application, reviewer, new)


def test_two_first_registrations_draw_two_different_numbers(no_rules, x, y):
    """REG-7: numbers are drawn from one sequence: two first registrations never share one."""
    first = new_passer(real_name="甲一")
    second = new_passer(real_name="乙二")
    for doctor, place in ((first, x), (second, y)):
        approve(agreed(Kind.REGISTER, institution=place, doctor=doctor, location=province_of(place)))
    numbers = set(PracticeRecord.objects.values_list("certificate_number", flat=True))
    assert len(numbers) == 2 and all(is_valid_certificate_number(n) for n in numbers)


# ------------------------------------------------------------------------------------ 助理医师升执业医师


def test_upgrade_creates_a_physician_record_and_lapses_the_assistant_one(no_rules, x, y):
    """REG-7 助理升执业: a new 执业医师 record at X (location 湖南省, same scope and category, same number);
    the assistant record 失效; its filing follows the doctor to the new record."""
    doctor, assistant = registered_doctor(at=x, level=Level.ASSISTANT, scopes=("内科专业",))
    filing = FilingFactory(record=assistant, institution=y)
    certificate = CertificateFactory(
        real_name=doctor.real_name, id_number=doctor.id_number, level=Level.PHYSICIAN, year_obtained=2022
    )
    application = agreed(
        Kind.UPGRADE,
        institution=x,
        doctor=doctor,
        record=assistant,
        level=Level.PHYSICIAN,
        qualification=certificate,
    )
    reviewer, _app = approve(application)
    assistant.refresh_from_db()
    assert assistant.state == PracticeRecord.State.LAPSED
    assert last_history(assistant).history_user == reviewer
    new = PracticeRecord.objects.get(id_number_digest=doctor.id_number_digest, state=VALID)
    assert new.level == Level.PHYSICIAN and new.category == assistant.category
    assert new.main_institution == x and new.location == province_of(x)
    assert new.certificate_number == assistant.certificate_number
    assert new.qualification_number == certificate.number
    assert [s.name for s in new.scopes.all()] == ["内科专业"]
    filing.refresh_from_db()
    assert filing.record == new and filing.state == MultiInstitutionFiling.State.VALID
    assert_one_approval(application, reviewer, new)


# ------------------------------------------------------------------------------------ 变更


def test_change_to_another_province_transfers_out_and_creates_a_record_at_the_target(no_rules, x, y, jiangan):
    """REG-7 变更 (location): the 湖南 record 变更出, a new valid record at 江岸医院 in 湖北省 with the same
    number and the requested scopes, approved by the target's authority; the old record's filing and
    多地点 are cancelled."""
    doctor, record = registered_doctor(at=x, scopes=("内科专业",))
    filing = FilingFactory(record=record, institution=y)
    place = ExtraLocationFactory(record=record, institution=personas.institution("hetang"))
    application = agreed(
        Kind.CHANGE,
        institution=jiangan,
        doctor=doctor,
        record=record,
        location=province_of(jiangan),
        scopes=("外科专业",),
    )
    reviewer, _app = approve(application)
    record.refresh_from_db()
    assert record.state == PracticeRecord.State.TRANSFERRED_OUT and record.main_institution == x
    new = PracticeRecord.objects.get(id_number_digest=doctor.id_number_digest, state=VALID)
    assert new.main_institution == jiangan and new.location == province_of(jiangan)
    assert new.authority == application.authority
    assert new.certificate_number == record.certificate_number
    assert [s.name for s in new.scopes.all()] == ["外科专业"]
    filing.refresh_from_db()
    place.refresh_from_db()
    assert (
        filing.state == MultiInstitutionFiling.State.CANCELLED and filing.cancelled_on == timezone.localdate()
    )
    assert place.state == ExtraLocation.State.CANCELLED
    assert_one_approval(application, reviewer, new)


def test_change_within_the_province_changes_the_record_in_place(no_rules, x, y):
    """REG-7 变更 (main institution and scope, same province): the same record now at Y with the new scope;
    the history keeps the before (X, 内科) and names the reviewer; a filing at Y, now the main one, ends."""
    doctor, record = registered_doctor(at=x, scopes=("内科专业",))
    filing_at_y = FilingFactory(record=record, institution=y)
    application = agreed(Kind.CHANGE, institution=y, doctor=doctor, record=record, scopes=("儿科专业",))
    reviewer, _app = approve(application)
    record.refresh_from_db()
    assert record.state == VALID and record.main_institution == y and record.location == province_of(x)
    assert [s.name for s in record.scopes.all()] == ["儿科专业"]
    assert record.authority == application.authority
    assert PracticeRecord.objects.filter(id_number_digest=doctor.id_number_digest).count() == 1
    before = record.history.order_by("history_id").first()
    assert before.main_institution_id == x.pk
    assert last_history(record).history_user == reviewer
    assert "原执业范围：内科专业" in last_history(record).history_change_reason
    filing_at_y.refresh_from_db()
    assert filing_at_y.state == MultiInstitutionFiling.State.CANCELLED
    assert_one_approval(application, reviewer, record)


def test_an_assistants_change_to_another_county_transfers_out(no_rules, x, y):
    """REG-1/REG-7: an assistant's location is a county: 芙蓉区 → 天心区 is a move, not an edit."""
    doctor, record = registered_doctor(at=x, level=Level.ASSISTANT)
    application = agreed(Kind.CHANGE, institution=y, doctor=doctor, record=record)
    reviewer, _app = approve(application)
    record.refresh_from_db()
    assert record.state == PracticeRecord.State.TRANSFERRED_OUT
    new = PracticeRecord.objects.get(id_number_digest=doctor.id_number_digest, state=VALID)
    assert new.location == y.region and new.main_institution == y and new.level == Level.ASSISTANT
    assert_one_approval(application, reviewer, new)


# ------------------------------------------------------------------------------------ 备案


def test_filing_creates_a_valid_filing_at_the_other_institution(no_rules, x, y):
    """REG-7 多执业机构备案: a valid filing of the record at Y, with the scopes, Y's authority and today."""
    doctor, record = registered_doctor(at=x)
    application = agreed(Kind.FILING, institution=y, doctor=doctor, record=record, scopes=("内科专业",))
    reviewer, _app = approve(application)
    filing = MultiInstitutionFiling.objects.get(record=record)
    assert filing.state == MultiInstitutionFiling.State.VALID and filing.institution == y
    assert filing.authority == application.authority and filing.filed_on == timezone.localdate()
    assert [s.name for s in filing.scopes.all()] == ["内科专业"]
    assert last_history(filing).history_user == reviewer
    assert_one_approval(application, reviewer, record)


def test_filing_cancel_cancels_the_filing(no_rules, x, y):
    """REG-7 多执业机构取消备案: the filing → 已取消 today; the record is unchanged."""
    doctor, record = registered_doctor(at=x)
    filing = FilingFactory(record=record, institution=y)
    application = agreed(Kind.FILING_CANCEL, institution=y, doctor=doctor, record=record, filing=filing)
    reviewer, _app = approve(application)
    filing.refresh_from_db()
    assert (
        filing.state == MultiInstitutionFiling.State.CANCELLED and filing.cancelled_on == timezone.localdate()
    )
    record.refresh_from_db()
    assert record.state == VALID
    assert_one_approval(application, reviewer, record)


# ------------------------------------------------------------------------------------ 注销, 备案, 军队


def test_deregistration_ends_the_record_and_its_filings_and_extra_locations(no_rules, x, y):
    """REG-7 注销: the record → 注销; its valid filing and 多地点 are cancelled; a cancelled one is untouched."""
    doctor, record = registered_doctor(at=x)
    filing = FilingFactory(record=record, institution=y)
    old_filing = FilingFactory(record=record, institution=personas.institution("hetang"), cancelled=True)
    place = ExtraLocationFactory(record=record, institution=personas.institution("hetang"))
    application = agreed(
        Kind.DEREGISTER, institution=x, doctor=doctor, record=record, deregistration_reason=reason("10")
    )
    reviewer, _app = approve(application)
    record.refresh_from_db()
    assert record.state == PracticeRecord.State.DEREGISTERED
    filing.refresh_from_db()
    place.refresh_from_db()
    old_filing.refresh_from_db()
    assert filing.state == MultiInstitutionFiling.State.CANCELLED
    assert place.state == ExtraLocation.State.CANCELLED and place.cancelled_on == timezone.localdate()
    assert old_filing.cancelled_on == dt.date(2023, 1, 5)
    assert_one_approval(application, reviewer, record)


def test_a_filed_record_can_still_be_deregistered(no_rules, x):
    """REG-7 注销: a doctor whose record was filed (备案, e.g. retired) deregisters it: 备案 → 注销."""
    doctor, record = registered_doctor(at=x)
    PracticeRecord.objects.filter(pk=record.pk).update(state=PracticeRecord.State.FILED)
    application = agreed(
        Kind.DEREGISTER, institution=x, doctor=doctor, record=record, deregistration_reason=reason("10")
    )
    reviewer, _app = approve(application)
    record.refresh_from_db()
    assert record.state == PracticeRecord.State.DEREGISTERED
    assert_one_approval(application, reviewer, record)


def test_an_institutions_deregistration_of_a_doctor_without_an_account(no_rules, x):
    """REG-3/INS-10 注销 filed by X for a doctor who never signed up: the record → 注销."""
    record = PracticeRecordFactory(
        real_name="孙无号", id_number="430102197001011234", main_institution=x, location=province_of(x)
    )
    application = agreed(
        Kind.DEREGISTER,
        institution=x,
        record=record,
        initiator=Initiator.INSTITUTION,
        deregistration_reason=reason("01"),
    )
    reviewer, _app = approve(application)
    record.refresh_from_db()
    assert record.state == PracticeRecord.State.DEREGISTERED
    assert_one_approval(application, reviewer, record)


def test_archive_files_the_record(no_rules, x, y):
    """REG-7 注册备案 (INS-10): the record → 备案; its filing is cancelled."""
    doctor, record = registered_doctor(at=x)
    filing = FilingFactory(record=record, institution=y)
    application = agreed(
        Kind.ARCHIVE,
        institution=x,
        doctor=doctor,
        record=record,
        initiator=Initiator.INSTITUTION,
        filing_reason=filing_reason("02"),
    )
    reviewer, _app = approve(application)
    record.refresh_from_db()
    filing.refresh_from_db()
    assert record.state == PracticeRecord.State.FILED
    assert filing.state == MultiInstitutionFiling.State.CANCELLED
    assert_one_approval(application, reviewer, record)


def test_to_military_turns_every_valid_local_record_military(no_rules, x, jiangan):
    """REG-7 变更到军队: both valid records (湖南, 湖北) → 军队; an earlier 注销 record stays 注销; filings end."""
    doctor, hunan = registered_doctor(at=x)
    hubei = PracticeRecordFactory(
        real_name=doctor.real_name,
        id_number=doctor.id_number,
        main_institution=jiangan,
        location=province_of(jiangan),
        certificate_number=hunan.certificate_number,
    )
    gone = PracticeRecordFactory(
        real_name=doctor.real_name,
        id_number=doctor.id_number,
        main_institution=x,
        deregistered=True,
        certificate_number=hunan.certificate_number,
    )
    filing = FilingFactory(record=hubei, institution=personas.institution("hetang"))
    application = agreed(
        Kind.TO_MILITARY, institution=x, doctor=doctor, record=hunan, military_unit="中部战区总医院"
    )
    reviewer, _app = approve(application)
    states = dict(
        PracticeRecord.objects.filter(pk__in=[hunan.pk, hubei.pk, gone.pk]).values_list("pk", "state")
    )
    assert states == {
        hunan.pk: PracticeRecord.State.MILITARY,
        hubei.pk: PracticeRecord.State.MILITARY,
        gone.pk: PracticeRecord.State.DEREGISTERED,
    }
    filing.refresh_from_db()
    assert filing.state == MultiInstitutionFiling.State.CANCELLED
    assert_one_approval(application, reviewer, hunan)


def test_military_in_creates_a_valid_record_keeping_the_number(no_rules, x):
    """REG-7 军队变更入: a doctor whose record went 军队 comes back: a new valid record at X, same number."""
    doctor, record = registered_doctor(at=x)
    PracticeRecord.objects.filter(pk=record.pk).update(state=PracticeRecord.State.MILITARY)
    application = agreed(
        Kind.MILITARY_IN,
        institution=x,
        doctor=doctor,
        location=province_of(x),
        scopes=("外科专业",),
        military_unit="中部战区总医院",
    )
    reviewer, _app = approve(application)
    new = PracticeRecord.objects.get(id_number_digest=doctor.id_number_digest, state=VALID)
    assert new.pk != record.pk and new.certificate_number == record.certificate_number
    assert new.main_institution == x and [s.name for s in new.scopes.all()] == ["外科专业"]
    assert_one_approval(application, reviewer, new)


def test_military_in_without_level_or_category_takes_them_from_the_qualification(no_rules, x):
    """REG-7 军队变更入: a form that leaves level and category blank: the qualification's are used."""
    doctor = new_passer(real_name="军入", level=Level.ASSISTANT)
    certificate = doctor_certificate(doctor)
    application = agreed(
        Kind.MILITARY_IN,
        institution=x,
        doctor=doctor,
        level="",
        category="",
        qualification=certificate,
        military_unit="中部战区总医院",
    )
    Application.objects.filter(pk=application.pk).update(category="")
    reviewer, _app = approve(application)
    record = PracticeRecord.objects.get(id_number_digest=doctor.id_number_digest)
    assert (record.level, record.category, record.location) == (Level.ASSISTANT, Category.CLINICAL, x.region)
    assert is_valid_certificate_number(record.certificate_number)
    assert_one_approval(application, reviewer, record)


def test_location_cancel_cancels_the_one_extra_location(no_rules, x):
    """REG-7 取消多地点: that 多地点 → 已取消 today; another one of the record stays valid."""
    doctor, record = registered_doctor(at=x)
    place = ExtraLocationFactory(record=record, institution=personas.institution("hetang"))
    other = ExtraLocationFactory(record=record, institution=personas.institution(personas.Y))
    application = agreed(
        Kind.LOCATION_CANCEL, institution=x, doctor=doctor, record=record, extra_location=place
    )
    reviewer, _app = approve(application)
    place.refresh_from_db()
    other.refresh_from_db()
    assert place.state == ExtraLocation.State.CANCELLED and place.cancelled_on == timezone.localdate()
    assert other.state == ExtraLocation.State.VALID
    assert last_history(place).history_user == reviewer
    assert_one_approval(application, reviewer, record)


@pytest.mark.parametrize("kind", [Kind.REISSUE, Kind.E_CERTIFICATE])
def test_certificate_applications_change_no_record(no_rules, x, kind):
    """REG-9 证书补办 / 申领电子证照: nothing in the records changes; the result is the valid record."""
    doctor, record = registered_doctor(at=x)
    history_rows = record.history.count()
    application = agreed(kind, institution=x, doctor=doctor, record=record)
    reviewer, _app = approve(application)
    record.refresh_from_db()
    assert record.state == VALID and record.history.count() == history_rows
    assert_one_approval(application, reviewer, record)


def test_rename_renames_the_institution_and_its_doctors_records_follow(no_rules, x):
    """REG-3 机构更名变更: X takes the new name (history: the reviewer, the old name); its doctors' records
    show the new name because they reference the institution."""
    doctor, record = registered_doctor(at=x)
    application = agreed(
        Kind.RENAME,
        institution=x,
        doctor=None,
        record=record,
        initiator=Initiator.INSTITUTION,
        new_institution_name="长沙市芙蓉区人民医院",
    )
    reviewer, _app = approve(application)
    x.refresh_from_db()
    assert x.name == "长沙市芙蓉区人民医院"
    history = last_history(x)
    assert history.history_user == reviewer and "芙蓉医院" in history.history_change_reason
    assert PracticeRecord.objects.get(pk=record.pk).main_institution.name == "长沙市芙蓉区人民医院"
    assert_one_approval(application, reviewer, record)


# ------------------------------------------------------------------------------------ guards under the lock


def refused_with_nothing_changed(application, assert_nothing_changed, code):
    reviewer = reviewer_for(application.authority)
    with assert_nothing_changed("a refused approval"):
        with pytest.raises(TransitionRefused) as refused:
            application_approve(reviewer=reviewer, application_id=application.pk)
    assert refused.value.code == code
    assert Application.objects.get(pk=application.pk).state == State.AGREED
    return refused.value


@pytest.mark.parametrize(
    "kind", [Kind.UPGRADE, Kind.CHANGE, Kind.FILING, Kind.DEREGISTER, Kind.ARCHIVE, Kind.REISSUE]
)
def test_an_effect_refuses_a_record_that_is_no_longer_valid(no_rules, x, y, kind, assert_nothing_changed):
    """REG-5/REG-7: the record was deregistered after the application was agreed: the effect, reading the
    locked row, refuses; nothing changes and no log row is written."""
    doctor, record = registered_doctor(
        at=x, level=Level.ASSISTANT if kind == Kind.UPGRADE else Level.PHYSICIAN
    )
    application = agreed(
        kind, institution=y if kind in (Kind.CHANGE, Kind.FILING) else x, doctor=doctor, record=record
    )
    PracticeRecord.objects.filter(pk=record.pk).update(state=PracticeRecord.State.DEREGISTERED)
    refusal = refused_with_nothing_changed(application, assert_nothing_changed, "record_changed")
    assert "注销" in str(refusal.message)


def test_filing_cancel_refuses_a_filing_already_cancelled(no_rules, x, y, assert_nothing_changed):
    """REG-7: the filing was cancelled meanwhile: 取消备案 is refused, nothing changes."""
    doctor, record = registered_doctor(at=x)
    filing = FilingFactory(record=record, institution=y, cancelled=True)
    application = agreed(Kind.FILING_CANCEL, institution=y, doctor=doctor, record=record, filing=filing)
    refused_with_nothing_changed(application, assert_nothing_changed, "filing_changed")


def test_filing_refuses_a_second_valid_filing_at_the_same_institution(no_rules, x, y, assert_nothing_changed):
    """REG-7: a valid filing at Y appeared meanwhile: a second one is refused (not a database error)."""
    doctor, record = registered_doctor(at=x)
    FilingFactory(record=record, institution=y)
    application = agreed(Kind.FILING, institution=y, doctor=doctor, record=record)
    refused_with_nothing_changed(application, assert_nothing_changed, "filing_exists")


def test_location_cancel_refuses_a_cancelled_extra_location(no_rules, x, assert_nothing_changed):
    """REG-7: the 多地点 was cancelled meanwhile: 取消多地点 is refused, nothing changes."""
    doctor, record = registered_doctor(at=x)
    place = ExtraLocationFactory(
        record=record, institution=personas.institution("hetang"), state=ExtraLocation.State.CANCELLED
    )
    application = agreed(
        Kind.LOCATION_CANCEL, institution=x, doctor=doctor, record=record, extra_location=place
    )
    refused_with_nothing_changed(application, assert_nothing_changed, "location_changed")


def test_to_military_refuses_when_no_valid_record_is_left(no_rules, x, assert_nothing_changed):
    """REG-7: no valid local record is left to turn 军队: refused, nothing changes."""
    doctor, record = registered_doctor(at=x)
    application = agreed(Kind.TO_MILITARY, institution=x, doctor=doctor, record=record, military_unit="某部")
    PracticeRecord.objects.filter(pk=record.pk).update(state=PracticeRecord.State.DEREGISTERED)
    refused_with_nothing_changed(application, assert_nothing_changed, "record_changed")


def test_rename_refuses_the_current_name(no_rules, x, assert_nothing_changed):
    """REG-3: a 更名 to the name the institution already has is refused, nothing changes."""
    _doctor, record = registered_doctor(at=x)
    application = agreed(
        Kind.RENAME,
        institution=x,
        record=record,
        initiator=Initiator.INSTITUTION,
        new_institution_name=x.name,
    )
    refused_with_nothing_changed(application, assert_nothing_changed, "name_unchanged")


# ------------------------------------------------------------------------------------ 执业证书编码


def test_a_new_certificate_number_has_the_documented_format(db):
    """REG-7 (numbers.py): 15 digits — province, year, serial, MOD 11,10 check digit; serials never repeat."""
    first = certificate_number_new(province_code="430102", year=2026)
    second = certificate_number_new(province_code="420102", year=2026)
    assert len(first) == len(second) == 15 and first.isdigit()
    assert first[:6] == "432026" and second[:6] == "422026"
    assert first[6:14] != second[6:14]
    assert is_valid_certificate_number(first) and is_valid_certificate_number(second)


def test_the_check_digit_catches_every_single_mistyped_digit(db):
    """REG-7: a number with one digit mistyped is recognised as invalid (MOD 11,10 catches all of them)."""
    number = certificate_number_new(province_code="430102", year=2026)
    for position in range(15):
        for digit in "0123456789":
            if digit != number[position]:
                typo = number[:position] + digit + number[position + 1 :]
                assert not is_valid_certificate_number(typo), typo


@pytest.mark.parametrize("value", ["", "12345", "4320260000000１9", "43202600000001x", "4320260000000123"])
def test_malformed_numbers_are_invalid(value):
    """REG-7: wrong length, letters, full-width digits: not a certificate number."""
    assert not is_valid_certificate_number(value)
