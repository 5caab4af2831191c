"""REG-2 助理医师升执业医师 and 变更: every rule broken once through ``application_file`` (nothing stored),
and the applications that may go through."""

import pytest

from docregsys.reference.models import Category, Level
from registrations.models import Kind, PracticeRecord, State
from registrations.rules import GUIDE, Draft
from registrations.services.applications import application_file
from tests.applications import province_of, registered_doctor, scope

from .rules_support import certificate_for, file_refused, message, record_for, refusals

pytestmark = pytest.mark.django_db


@pytest.fixture
def assistant(x):
    """An assistant (临床, 内科) at X who now holds the 执业医师 qualification of the same category."""
    doctor, record = registered_doctor(at=x, level=Level.ASSISTANT)
    certificate_for(doctor, level=Level.PHYSICIAN, obtained=2024)
    return doctor, record


def upgrade_draft(record, *, institution=None, category=None, scopes=None) -> Draft:
    institution = institution or record.main_institution
    return Draft(
        kind=Kind.UPGRADE,
        institution=institution,
        record=record,
        level=Level.PHYSICIAN,
        category=category or record.category,
        location=province_of(institution),
        scopes=[scope(name) for name in scopes] if scopes else list(record.scopes.all()),
        statement="助理医师升执业医师",
    )


def change_draft(record, *, institution=None, category=None, scopes=("内科专业",), level=None) -> Draft:
    institution = institution or record.main_institution
    level = level or record.level
    return Draft(
        kind=Kind.CHANGE,
        institution=institution,
        record=record,
        level=level,
        category=category or record.category,
        location=institution.region if level == Level.ASSISTANT else province_of(institution),
        scopes=[scope(name) for name in scopes],
        statement="变更执业范围",
    )


# ---------------------------------------------------------------------------------------- 助理医师升执业医师


def test_an_assistant_with_a_physician_qualification_upgrades_in_place(assistant):
    """REG-2 助师升医师: same institution, category and scope; a 执业医师 qualification of that category."""
    doctor, record = assistant
    application = application_file(doctor=doctor, draft=upgrade_draft(record))
    assert application.state == State.SUBMITTED and application.record == record
    assert application.location_id == "430000"


def test_upgrade_refuses_a_physician(x, assert_nothing_changed):
    """助师升医师 needs a valid assistant record (also at the guided start)."""
    doctor, record = registered_doctor(at=x)
    found = file_refused(doctor, upgrade_draft(record), assert_nothing_changed)
    assert "没有有效的执业助理医师注册" in message(found["no_assistant_record"])
    assert "已是执业医师注册" in message(found["record_not_assistant"])
    assert "no_assistant_record" in refusals(doctor, Draft(kind=Kind.UPGRADE), stage=GUIDE)


def test_upgrade_refuses_without_a_physician_qualification_of_the_category(x, assert_nothing_changed):
    """助师升医师: a 执业医师 qualification of the same category (a 口腔 one does not do)."""
    doctor, record = registered_doctor(at=x, level=Level.ASSISTANT)
    certificate_for(doctor, level=Level.PHYSICIAN, category=Category.DENTAL, obtained=2024)
    found = file_refused(doctor, upgrade_draft(record), assert_nothing_changed)
    assert "未查到您临床类别的执业医师资格" in message(found["no_physician_qualification"])


def test_upgrade_at_another_institution_is_a_change(assistant, y, assert_nothing_changed):
    """SPEC §12 (seed 000): a different main institution makes it a 变更; the refusal says so."""
    doctor, record = assistant
    found = file_refused(doctor, upgrade_draft(record, institution=y), assert_nothing_changed)
    refusal = found["upgrade_is_change"]
    assert "主要执业机构" in message(refusal) and "请改为办理“变更”" in message(refusal)


def test_upgrade_with_another_scope_is_a_change(assistant, assert_nothing_changed):
    """SPEC §12: a different scope makes it a 变更."""
    doctor, record = assistant
    found = file_refused(doctor, upgrade_draft(record, scopes=("外科专业",)), assert_nothing_changed)
    assert "执业范围" in message(found["upgrade_is_change"])


def test_upgrade_with_another_category_is_a_change(assistant, assert_nothing_changed):
    """SPEC §12: a different category makes it a 变更."""
    doctor, record = assistant
    certificate_for(doctor, level=Level.PHYSICIAN, category=Category.DENTAL, obtained=2024)
    draft = upgrade_draft(record, category=Category.DENTAL, scopes=("口腔专业",))
    found = file_refused(doctor, draft, assert_nothing_changed)
    assert "执业类别" in message(found["upgrade_is_change"])


def test_upgrade_refuses_another_persons_record(assistant, y, assert_nothing_changed):
    """The record acted upon is the person's own valid one."""
    doctor, _own = assistant
    _other, theirs = registered_doctor(at=y, real_name="钱他", level=Level.ASSISTANT)
    found = file_refused(doctor, upgrade_draft(theirs), assert_nothing_changed)
    assert "不是本人当前有效的执业注册" in message(found["record_invalid"])


def test_the_same_upgrade_as_a_change_goes_through(assistant, y):
    """SPEC §12: the 变更 the refusal offers files (assistant → 执业医师 at Y)."""
    doctor, record = assistant
    draft = change_draft(record, institution=y, level=Level.PHYSICIAN)
    assert application_file(doctor=doctor, draft=draft).state == State.SUBMITTED


# ---------------------------------------------------------------------------------------- 变更


def test_a_change_of_scope_at_the_same_institution(x):
    """REG-2 变更: the scope changes; confirmed by the (same) main institution."""
    doctor, record = registered_doctor(at=x)
    application = application_file(doctor=doctor, draft=change_draft(record, scopes=("外科专业",)))
    assert application.state == State.SUBMITTED and application.institution == x


def test_a_change_to_another_province_is_confirmed_by_the_target(x, jiangan):
    """REG-2 变更: the target institution confirms; the location follows it."""
    doctor, record = registered_doctor(at=x)
    application = application_file(doctor=doctor, draft=change_draft(record, institution=jiangan))
    assert application.institution == jiangan and application.location_id == "420000"


def test_change_refuses_a_change_that_changes_nothing(x, assert_nothing_changed):
    """变更: at least one of location, scope, category, main institution changes."""
    doctor, record = registered_doctor(at=x)
    found = file_refused(doctor, change_draft(record), assert_nothing_changed)
    assert "申请内容与现有执业注册相同" in message(found["nothing_changes"])


def test_change_refuses_a_category_not_held(x, assert_nothing_changed):
    """变更: the category only to a category of a qualification held."""
    doctor, record = registered_doctor(at=x)
    draft = change_draft(record, category=Category.DENTAL, scopes=("口腔专业",))
    found = file_refused(doctor, draft, assert_nothing_changed)
    assert "您没有口腔类别执业医师的医师资格" in message(found["qualification_mismatch"])
    certificate_for(doctor, category=Category.DENTAL, obtained=2019)
    assert application_file(doctor=doctor, draft=draft).category == Category.DENTAL


def test_change_refuses_a_move_into_a_province_already_held(x, y, jiangan, assert_nothing_changed):
    """REG-1: moving the 湖北 record to Y would give 湖南 two main institutions."""
    doctor, _hunan = registered_doctor(at=x)
    hubei = record_for(doctor, at=jiangan)
    found = file_refused(doctor, change_draft(hubei, institution=y), assert_nothing_changed)
    assert "芙蓉医院" in message(found["location_taken"])


def test_change_refuses_a_location_that_does_not_follow_the_target(x, jiangan, assert_nothing_changed):
    """REG-1: the location is the target institution's province."""
    doctor, record = registered_doctor(at=x)
    draft = change_draft(record, institution=jiangan)
    draft.location = province_of(x)
    found = file_refused(doctor, draft, assert_nothing_changed)
    assert found["location_mismatch"].field == "location"


def test_change_refuses_a_scope_of_another_category(x, assert_nothing_changed):
    """Scopes belong to the category."""
    doctor, record = registered_doctor(at=x)
    found = file_refused(doctor, change_draft(record, scopes=("口腔专业",)), assert_nothing_changed)
    assert "scope_wrong_category" in found


def test_change_refuses_without_a_valid_record(x, assert_nothing_changed):
    """变更 needs a valid record of the person."""
    doctor, record = registered_doctor(at=x)
    PracticeRecord.objects.filter(pk=record.pk).update(state=PracticeRecord.State.DEREGISTERED)
    record.refresh_from_db()
    found = file_refused(doctor, change_draft(record, scopes=("外科专业",)), assert_nothing_changed)
    assert "没有有效的执业注册" in message(found["no_valid_record"])
    assert "record_invalid" in found


def test_change_refuses_without_a_record(x, assert_nothing_changed):
    """The record to change is chosen."""
    doctor, record = registered_doctor(at=x)
    draft = change_draft(record, scopes=("外科专业",))
    draft.record = None
    found = file_refused(doctor, draft, assert_nothing_changed)
    assert message(found["record_required"]) == "请选择要办理业务的执业注册。"
