"""REG-2 注销 with REG-10's assessment grounds, and the institution's own types (REG-3, INS-10): 注册备案,
注销 by the institution, 机构更名变更. Doctors' refusals go through ``application_file`` (nothing stored);
the institution's through the rules themselves (their service belongs to the console)."""

import pytest
from django.utils import timezone

from registrations.models import Kind, PracticeRecord, State
from registrations.rules import Draft, Person, deregistration_reasons_for
from registrations.services.applications import application_file
from tests.applications import filing_reason, reason, registered_doctor
from tests.factories import ApplicationFactory, AssessmentResultFactory

from .rules_support import file_refused, id_of, message, refusals

pytestmark = pytest.mark.django_db


def deregister_draft(record, code="10", institution=None) -> Draft:
    return Draft(
        kind=Kind.DEREGISTER,
        institution=institution or record.main_institution,
        record=record,
        deregistration_reason=reason(code) if code else None,
        statement="申请注销",
    )


def results(doctor, *pairs):
    """Assessment results of the doctor: (cycle, "passed"/"failed") pairs."""
    for cycle, result in pairs:
        AssessmentResultFactory(
            real_name=doctor.real_name, id_number=id_of(doctor), cycle=cycle, result=result
        )


# ---------------------------------------------------------------------------------------- 注销 (doctor)


def test_a_doctor_deregisters_on_their_own_request(x):
    """REG-2 注销: a valid record, one of the ten reasons, confirmed by the main institution."""
    doctor, record = registered_doctor(at=x)
    application = application_file(doctor=doctor, draft=deregister_draft(record))
    assert application.state == State.SUBMITTED and application.deregistration_reason.code == "10"


def test_deregister_refuses_without_a_reason(x, assert_nothing_changed):
    """One of the ten reasons is chosen."""
    doctor, record = registered_doctor(at=x)
    found = file_refused(doctor, deregister_draft(record, code=None), assert_nothing_changed)
    assert message(found["deregistration_reason_required"]) == "请选择注销情形。"


def test_deregister_refuses_another_institution(x, y, assert_nothing_changed):
    """注销 is confirmed by the record's main institution."""
    doctor, record = registered_doctor(at=x)
    found = file_refused(doctor, deregister_draft(record, institution=y), assert_nothing_changed)
    assert "主要执业机构（芙蓉医院）" in message(found["not_main_institution"])


def test_deregister_refuses_a_record_already_ended(x, assert_nothing_changed):
    """The record is a valid one of the person."""
    doctor, record = registered_doctor(at=x)
    PracticeRecord.objects.filter(pk=record.pk).update(state=PracticeRecord.State.FILED)
    found = file_refused(doctor, deregister_draft(record), assert_nothing_changed)
    assert "no_valid_record" in found and "record_invalid" in found


def test_reg10_reason_04_needs_two_failed_results(x, assert_nothing_changed):
    """REG-10: 04 (考核不合格，培训后再次考核仍不合格) only when the two latest results both failed."""
    doctor, record = registered_doctor(at=x)
    found = file_refused(doctor, deregister_draft(record, code="04"), assert_nothing_changed)
    assert "不能选择此注销情形" in message(found["assessment_not_shown"])
    results(doctor, ("2018-2020", "failed"), ("2021-2023", "passed"))
    assert "assessment_not_shown" in refusals(doctor, deregister_draft(record, code="04"))
    results(doctor, ("2024-2026", "failed"))  # the latest two: 2024-2026 failed, 2021-2023 passed
    assert "assessment_not_shown" in refusals(doctor, deregister_draft(record, code="04"))


def test_reg10_reason_04_with_two_failed_results_files(x):
    """REG-10: two failed results in a row (the second after training) ground 04."""
    doctor, record = registered_doctor(at=x)
    results(doctor, ("2015-2017", "passed"), ("2018-2020", "failed"), ("2021-2023", "failed"))
    assert application_file(doctor=doctor, draft=deregister_draft(record, code="04")).state == State.SUBMITTED


def test_reg10_reason_05_needs_two_whole_cycles_without_a_result(x, assert_nothing_changed):
    """REG-10: 05 (连续两个考核周期未参加) when two cycles of the latest one's length ended after it."""
    doctor, record = registered_doctor(at=x)
    found = file_refused(doctor, deregister_draft(record, code="05"), assert_nothing_changed)
    assert "连续两个考核周期未参加考核" in message(found["assessment_not_shown"])
    year = timezone.localdate().year
    results(doctor, (f"{year - 6}-{year - 4}", "passed"))  # next two cycles end in year-1 and year+2
    assert "assessment_not_shown" in refusals(doctor, deregister_draft(record, code="05"))


def test_reg10_reason_05_after_two_missed_cycles_files(x):
    """REG-10: the latest result is more than two whole cycles old."""
    doctor, record = registered_doctor(at=x)
    year = timezone.localdate().year
    results(doctor, (f"{year - 9}-{year - 7}", "passed"))  # two cycles ended since: year-6…-4, year-3…-1
    assert application_file(doctor=doctor, draft=deregister_draft(record, code="05")).state == State.SUBMITTED


def test_reg10_the_offered_reasons_follow_the_assessment_results(x):
    """REG-10: the form offers 04 / 05 only with the results that show them."""
    doctor, _record = registered_doctor(at=x)
    for code in ("01", "04", "05", "06", "10"):
        reason(code)
    person = Person.of_user(doctor)
    assert [r.code for r in deregistration_reasons_for(person=person)] == ["01", "06", "10"]
    results(doctor, ("2018-2020", "failed"), ("2021-2023", "failed"))
    assert [r.code for r in deregistration_reasons_for(person=person)] == ["01", "04", "06", "10"]


# ---------------------------------------------------------------------------------------- the institution (INS-10)


def test_an_institution_deregisters_its_own_doctor(x):
    """INS-10 申请注销: the record's main institution files for its doctor (same rules, same reasons)."""
    _doctor, record = registered_doctor(at=x)
    assert refusals(Person.of_record(record), deregister_draft(record, code="01")) == {}


def test_an_institution_may_not_deregister_another_institutions_doctor(x, y):
    """INS-10: only the main institution files."""
    _doctor, record = registered_doctor(at=x)
    found = refusals(Person.of_record(record), deregister_draft(record, institution=y))
    assert "not_main_institution" in found


def archive_draft(record, institution=None, code="02") -> Draft:
    return Draft(
        kind=Kind.ARCHIVE,
        institution=institution or record.main_institution,
        record=record,
        filing_reason=filing_reason(code) if code else None,
    )


def test_an_institution_archives_its_doctor_with_a_reason(x):
    """INS-10 注册备案 (退休)."""
    _doctor, record = registered_doctor(at=x)
    assert refusals(Person.of_record(record), archive_draft(record)) == {}


def test_archive_refuses_without_a_reason_another_institution_or_an_ended_record(x, y):
    """INS-10 注册备案: a 备案情形; the main institution; a valid record."""
    _doctor, record = registered_doctor(at=x)
    person = Person.of_record(record)
    assert (
        message(refusals(person, archive_draft(record, code=None))["filing_reason_required"])
        == "请选择备案情形。"
    )
    assert "not_main_institution" in refusals(person, archive_draft(record, institution=y))
    PracticeRecord.objects.filter(pk=record.pk).update(state=PracticeRecord.State.FILED)
    assert "record_invalid" in refusals(person, archive_draft(record))


def test_archive_refuses_a_second_open_one(x):
    """REG-5 holds for the institution's applications about one person too."""
    doctor, record = registered_doctor(at=x)
    ApplicationFactory(kind=Kind.ARCHIVE, doctor=doctor, institution=x, record=record, agreed=True)
    assert "open_application_exists" in refusals(Person.of_record(record), archive_draft(record))


NOBODY = Person(real_name="", id_number_digest="")


def rename_draft(institution, name) -> Draft:
    return Draft(kind=Kind.RENAME, institution=institution, new_institution_name=name)


def test_an_institution_renames_itself(x):
    """INS-10 机构更名变更: a new Chinese name."""
    assert refusals(NOBODY, rename_draft(x, "长沙市芙蓉区人民医院")) == {}


@pytest.mark.parametrize(
    ("name", "code", "text"),
    [
        ("", "new_name_required", "请填写变更后的机构名称。"),
        ("芙蓉医院", "new_name_same", "变更后的名称与现名称相同"),
        ("医" * 101, "too_long", "不能超过100个字"),
        ("Furong Hospital", "new_name_invalid", "中文标准名称"),
        ("芙蓉医院<script>", "new_name_invalid", "中文标准名称"),
    ],
)
def test_rename_refuses_a_bad_name(x, name, code, text):
    """INS-10 机构更名变更: required, different, ≤ 100 characters, a Chinese name."""
    found = refusals(NOBODY, rename_draft(x, name))
    assert text in message(found[code]) and found[code].field == "new_institution_name"


def test_rename_refuses_a_second_open_rename(x, y):
    """One open 机构更名变更 per institution."""
    ApplicationFactory(kind=Kind.RENAME, doctor=None, real_name="芙蓉医院", institution=x, agreed=True)
    assert "open_application_exists" in refusals(NOBODY, rename_draft(x, "长沙市芙蓉区人民医院"))
    assert refusals(NOBODY, rename_draft(y, "长沙市天心区人民医院")) == {}
