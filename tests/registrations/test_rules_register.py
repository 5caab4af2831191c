"""REG-1, REG-5, REG-6: the rules of 注册 (重新注册 included), each broken once through ``application_file``
with nothing stored, and the cases that may file."""

import datetime as dt

import pytest
from django.utils import timezone

from docregsys.reference.models import Category, Level, PracticeScope
from registrations.models import Application, PracticeRecord, State
from registrations.rules import FORM, GUIDE, SUBMIT, Draft
from registrations.services.applications import (
    ApplicationRefused,
    application_file,
    application_save,
    application_submit,
)
from tests.applications import new_passer, registered_doctor, registration_draft, scope
from tests.factories import ApplicationFactory, DoctorFactory, InstitutionFactory

from .rules_support import attach, certificate_for, file_refused, message, record_for, refusals

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------------------------------- may file


def test_a_new_passer_with_a_certificate_files_a_registration(x):
    """REG-2 注册: a qualification of the level and category, scopes of the category, the province as location."""
    doctor = new_passer()
    application = application_file(doctor=doctor, draft=registration_draft(institution=x))
    assert application.state == State.SUBMITTED
    assert application.location_id == "430000"


def test_a_new_passer_with_only_a_passing_exam_result_files_a_registration(x):
    """REG-2 注册: a passing exam result of the matching exam category stands for the certificate."""
    doctor = new_passer(certificate=False)
    application = application_file(doctor=doctor, draft=registration_draft(institution=x))
    assert application.state == State.SUBMITTED


def test_an_assistant_registers_in_the_institutions_county(x):
    """REG-1: an assistant's location is the institution's county."""
    doctor = new_passer(level=Level.ASSISTANT)
    application = application_file(
        doctor=doctor, draft=registration_draft(institution=x, level=Level.ASSISTANT)
    )
    assert application.location_id == "430102"


def test_a_physician_registers_a_second_province(x, jiangan):
    """REG-1: a 执业医师 may hold locations in several provinces."""
    doctor, _record = registered_doctor(at=x)
    application = application_file(doctor=doctor, draft=registration_draft(institution=jiangan))
    assert application.state == State.SUBMITTED
    assert application.location_id == "420000"


def test_three_scopes_of_the_category_are_allowed(x):
    """执业范围: up to three of the qualification's category (the national rule)."""
    doctor = new_passer()
    draft = registration_draft(institution=x, scopes=("内科专业", "外科专业", "儿科专业"))
    assert application_file(doctor=doctor, draft=draft).scopes.count() == 3


# ---------------------------------------------------------------------------------------- refused


def test_it_refuses_a_person_without_any_qualification(x, assert_nothing_changed):
    """REG-2 注册: no certificate, no passing result: refused, at the guided start already."""
    doctor = DoctorFactory(activated=True, real_name="钱无", id_number="430102199001011234")
    found = file_refused(doctor, registration_draft(institution=x), assert_nothing_changed)
    assert "未查到您的医师资格" in message(found["no_qualification"])
    assert "no_qualification" in refusals(doctor, Draft(kind="register", institution=x), stage=GUIDE)
    assert not Application.objects.exists()


def test_it_refuses_a_level_or_category_not_held(x, assert_nothing_changed):
    """REG-2 注册: the level and category are those of a qualification held."""
    doctor = new_passer()  # 临床 执业医师
    draft = registration_draft(institution=x, category=Category.DENTAL, scopes=("口腔专业",))
    found = file_refused(doctor, draft, assert_nothing_changed)
    assert found["qualification_mismatch"].field == "category"
    assert "您没有口腔类别执业医师的医师资格" in message(found["qualification_mismatch"])
    found = file_refused(
        doctor, registration_draft(institution=x, level=Level.ASSISTANT), assert_nothing_changed
    )
    assert "qualification_mismatch" in found


def test_it_refuses_another_persons_certificate(x, assert_nothing_changed):
    """A chosen qualification must be the person's own."""
    doctor = new_passer()
    other = registered_doctor(at=x, real_name="孙他")[0]
    theirs = certificate_for(other, obtained=2020)
    found = file_refused(
        doctor, registration_draft(institution=x, qualification=theirs), assert_nothing_changed
    )
    assert found["qualification_not_yours"].field == "qualification"


def test_it_refuses_no_scope(x, assert_nothing_changed):
    """执业范围 required."""
    found = file_refused(new_passer(), registration_draft(institution=x, scopes=()), assert_nothing_changed)
    assert message(found["scopes_required"]) == "请选择执业范围。"
    assert found["scopes_required"].field == "scopes"


def test_it_refuses_more_than_three_scopes(x, assert_nothing_changed):
    """执业范围: at most three."""
    fourth = PracticeScope.objects.create(code="13", name="妇产科专业", category=Category.CLINICAL)
    draft = registration_draft(institution=x, scopes=("内科专业", "外科专业", "儿科专业"))
    draft.scopes.append(fourth)
    found = file_refused(new_passer(), draft, assert_nothing_changed)
    assert "最多选择3项" in message(found["too_many_scopes"])


def test_it_refuses_a_scope_of_another_category(x, assert_nothing_changed):
    """Scopes belong to the category of the qualification."""
    draft = registration_draft(institution=x, scopes=("内科专业", "口腔专业"))
    found = file_refused(new_passer(), draft, assert_nothing_changed)
    refusal = found["scope_wrong_category"]
    assert (
        "临床" in message(refusal) and "口腔专业" in message(refusal) and "内科专业" not in message(refusal)
    )


def test_it_refuses_a_location_other_than_the_institutions_province_or_county(
    x, regions, assert_nothing_changed
):
    """REG-1: 执业医师 → the province; assistant → the county."""
    draft = registration_draft(institution=x)
    draft.location = regions["furong"]
    found = file_refused(new_passer(), draft, assert_nothing_changed)
    assert "省级行政区划" in message(found["location_mismatch"])
    assistant = new_passer(real_name="周助", level=Level.ASSISTANT)
    draft = registration_draft(institution=x, level=Level.ASSISTANT)
    draft.location = regions["province"]
    found = file_refused(assistant, draft, assert_nothing_changed)
    assert "县级行政区划" in message(found["location_mismatch"])


def test_it_refuses_without_an_institution(assert_nothing_changed, regions):
    """The institution is chosen."""
    draft = Draft(kind="register", level=Level.PHYSICIAN, category=Category.CLINICAL, scopes=[scope()])
    found = refusals(new_passer(), draft)
    assert message(found["institution_required"]) == "请选择执业机构。"


def test_it_refuses_an_inactive_institution(regions, assert_nothing_changed):
    """The institution is still active."""
    closed = InstitutionFactory(name="已停用医院", region=regions["furong"], is_active=False)
    found = file_refused(new_passer(), registration_draft(institution=closed), assert_nothing_changed)
    assert "已停用" in message(found["institution_inactive"])


def test_it_refuses_a_second_registration_in_a_province_and_points_to_change_or_filing(
    x, y, assert_nothing_changed
):
    """REG-1: one location, one main institution: a second 注册 in 湖南 → 变更 or 多执业机构备案."""
    doctor, _record = registered_doctor(at=x)
    found = file_refused(doctor, registration_draft(institution=y), assert_nothing_changed)
    refusal = found["location_taken"]
    assert "芙蓉医院" in message(refusal)
    assert "“变更”" in message(refusal) and "“多执业机构备案”" in message(refusal)


def test_a_deregistered_record_leaves_the_province_free(x, y):
    """重新注册: a 注销 record does not hold the location."""
    doctor, record = registered_doctor(at=x, obtained=2024)
    PracticeRecord.objects.filter(pk=record.pk).update(state=PracticeRecord.State.DEREGISTERED)
    assert application_file(doctor=doctor, draft=registration_draft(institution=y)).state == State.SUBMITTED


def test_it_points_an_assistant_with_a_valid_record_to_change_or_upgrade(x, jiangan, assert_nothing_changed):
    """REG-1: an assistant holds one location; 变更 or 助理医师升执业医师 instead."""
    doctor, _record = registered_doctor(at=x, level=Level.ASSISTANT)
    draft = registration_draft(institution=jiangan, level=Level.ASSISTANT)
    found = file_refused(doctor, draft, assert_nothing_changed)
    assert "“变更”" in message(found["assistant_already_registered"])
    certificate_for(doctor, level=Level.PHYSICIAN, obtained=2024)
    found = file_refused(doctor, registration_draft(institution=x), assert_nothing_changed)
    assert "“助理医师升执业医师”" in message(found["assistant_already_registered"])


def test_it_refuses_a_second_open_registration(x, jiangan, assert_nothing_changed):
    """REG-5: one open application per doctor and type."""
    doctor = new_passer()
    application_file(doctor=doctor, draft=registration_draft(institution=x))
    found = file_refused(doctor, registration_draft(institution=jiangan), assert_nothing_changed)
    assert "已有一件“注册”业务正在办理中" in message(found["open_application_exists"])


def test_a_closed_registration_does_not_block_a_new_one(x):
    """REG-5: a withdrawn or disagreed application is not open."""
    doctor = new_passer()
    ApplicationFactory(doctor=doctor, institution=x, withdrawn=True)
    assert application_file(doctor=doctor, draft=registration_draft(institution=x)).state == State.SUBMITTED


# ---------------------------------------------------------------------------------------- REG-6


def test_reg6_a_qualification_over_two_years_unused_needs_the_training_certificate(x, assert_nothing_changed):
    """REG-6 (first reading): obtained more than two years ago and never registered → 医师执业培训合格证书."""
    doctor = new_passer(year=timezone.localdate().year - 3)
    draft = registration_draft(institution=x)
    shown = refusals(doctor, draft, stage=FORM)["training_required"]
    assert "取得医师资格已超过两年且从未注册" in message(shown) and "医师执业培训合格证书" in message(shown)
    found = file_refused(doctor, draft, assert_nothing_changed)
    assert "training_required" in found
    # With the certificate attached to the draft, the submission goes through.
    application = application_save(doctor=doctor, draft=draft)
    attach(application)
    assert application_submit(doctor=doctor, application_id=application.pk).state == State.SUBMITTED


def test_reg6_the_exam_year_counts_when_there_is_no_certificate(x):
    """REG-6: a new passer's exam year is the date the qualification was obtained."""
    doctor = new_passer(certificate=False, year=timezone.localdate().year - 3)
    assert "training_required" in refusals(doctor, registration_draft(institution=x))


def test_reg6_two_calendar_years_are_not_yet_more_than_two_years(x):
    """REG-6: obtained in the year before last → at most two years ago (read as the year's last day): no training."""
    doctor = new_passer(year=timezone.localdate().year - 2)
    assert "training_required" not in refusals(doctor, registration_draft(institution=x))


def _end_record_on(record, day):
    """The record leaves 有效 on `day` (its history row is dated then, as the approval would have)."""
    record.state = PracticeRecord.State.DEREGISTERED
    record.save()
    latest = record.history.order_by("-history_date", "-history_id").first()
    type(latest).objects.filter(pk=latest.pk).update(
        history_date=timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
    )


def test_reg6_two_years_since_practice_ended_need_the_training_certificate(x, assert_nothing_changed):
    """REG-6 (second reading): no valid record and ≥ 2 years since the last one ended (its history)."""
    doctor, record = registered_doctor(at=x)
    today = timezone.localdate()
    _end_record_on(record, today.replace(year=today.year - 2))
    found = file_refused(doctor, registration_draft(institution=x), assert_nothing_changed)
    assert "中止执业活动已满两年" in message(found["training_required"])


def test_reg6_a_shorter_break_needs_no_training(x):
    """REG-6: ended a year ago → 重新注册 without the training certificate."""
    doctor, record = registered_doctor(at=x)
    today = timezone.localdate()
    _end_record_on(record, today.replace(year=today.year - 1))
    assert application_file(doctor=doctor, draft=registration_draft(institution=x)).state == State.SUBMITTED


def test_reg6_the_decision_date_of_the_deregistration_counts_first(x):
    """REG-6: the approved 注销's decision date is when practice ended, whatever the history says."""
    doctor, record = registered_doctor(at=x)
    PracticeRecord.objects.filter(pk=record.pk).update(state=PracticeRecord.State.DEREGISTERED)
    today = timezone.localdate()
    ApplicationFactory(
        kind="deregister",
        doctor=doctor,
        institution=x,
        record=record,
        approved=True,
        decided_at=timezone.now() - dt.timedelta(days=3 * 365),
    )
    assert "training_required" in refusals(doctor, registration_draft(institution=x))
    Application.objects.filter(record=record).update(decided_at=timezone.now() - dt.timedelta(days=300))
    assert "training_required" not in refusals(doctor, registration_draft(institution=x))
    assert today  # the clock of both readings is the local date


def test_reg6_a_record_imported_already_ended_has_no_known_end(x):
    """REG-6: nobody knows when an imported 注销 record ended: no training asked on that ground."""
    doctor = new_passer(year=2024)
    record_for(doctor, at=x, state=PracticeRecord.State.DEREGISTERED)
    assert "training_required" not in refusals(doctor, registration_draft(institution=x))


def test_reg6_a_valid_record_elsewhere_is_no_break(x, jiangan):
    """REG-6: a 执业医师 practising in another province registers a second one without training."""
    doctor, _record = registered_doctor(at=x, obtained=2000)
    assert "training_required" not in refusals(doctor, registration_draft(institution=jiangan))


def test_the_guided_start_shows_person_rules_only(x):
    """REG-2: at GUIDE, request rules (scopes, location …) wait for the form."""
    doctor = new_passer()
    found = refusals(doctor, Draft(kind="register", institution=x), stage=GUIDE)
    assert found == {}
    assert "scopes_required" in refusals(doctor, Draft(kind="register", institution=x), stage=SUBMIT)


def test_a_refusal_keeps_the_first_problem_of_each_field(x):
    """Every failed rule is listed, one per field (a later rule on a refused field would repeat it)."""
    draft = registration_draft(institution=x, scopes=("口腔专业",) * 4)
    draft.scopes = [scope("口腔专业")] * 4
    found = refusals(new_passer(), draft)
    assert "too_many_scopes" in found and "scope_wrong_category" not in found


def test_application_refused_carries_every_refusal(x):
    """ApplicationRefused holds the list the form shows."""
    with pytest.raises(ApplicationRefused) as caught:
        application_file(doctor=new_passer(), draft=registration_draft(institution=x, scopes=()))
    assert [r.code for r in caught.value.refusals] == ["scopes_required"]


def test_reg6_only_the_application_that_ended_the_record_dates_the_end(x):
    """REG-6: an old 证书补办 about the record is not when practice ended (its history is)."""
    doctor, record = registered_doctor(at=x)
    ApplicationFactory(
        kind="reissue",
        doctor=doctor,
        institution=x,
        record=record,
        approved=True,
        decided_at=timezone.now() - dt.timedelta(days=5 * 365),
    )
    today = timezone.localdate()
    _end_record_on(record, today.replace(year=today.year - 1))
    assert "training_required" not in refusals(doctor, registration_draft(institution=x))
