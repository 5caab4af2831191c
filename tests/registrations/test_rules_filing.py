"""REG-2 多执业机构备案, 多执业机构取消备案 and 取消多地点: every rule broken once through ``application_file``
(nothing stored), and the applications that may go through. No rule ever adds a 多地点."""

import pytest

from docregsys.reference.models import Level
from registrations.models import ExtraLocation, Kind, State
from registrations.rules import GUIDE, RULES, Draft
from registrations.services.applications import application_file
from tests.applications import registered_doctor, scope
from tests.factories import ExtraLocationFactory, FilingFactory, InstitutionFactory

from .rules_support import file_refused, message, refusals

pytestmark = pytest.mark.django_db


def filing_draft(record, institution, scopes=("内科专业",)) -> Draft:
    return Draft(
        kind=Kind.FILING,
        institution=institution,
        record=record,
        scopes=[scope(name) for name in scopes],
        statement="多执业机构备案",
    )


# ---------------------------------------------------------------------------------------- 多执业机构备案


def test_a_physician_files_another_institution_of_the_province(x, y, hetang):
    """REG-2 备案: after a location and a main institution, another institution of the same province."""
    doctor, record = registered_doctor(at=x)
    application = application_file(doctor=doctor, draft=filing_draft(record, hetang))
    assert application.state == State.SUBMITTED and application.institution == hetang


def test_filing_refuses_another_province(x, jiangan, assert_nothing_changed):
    """备案 stays inside the record's location (湖南); 湖北 needs its own 注册."""
    doctor, record = registered_doctor(at=x)
    found = file_refused(doctor, filing_draft(record, jiangan), assert_nothing_changed)
    assert "只能在执业地点（湖南省）内办理" in message(found["filing_wrong_location"])


def test_filing_refuses_the_main_institution(x, assert_nothing_changed):
    """The main institution needs no filing."""
    doctor, record = registered_doctor(at=x)
    found = file_refused(doctor, filing_draft(record, x), assert_nothing_changed)
    assert "是您的主要执业机构" in message(found["filing_is_main"])


def test_filing_refuses_an_institution_already_filed(x, y, assert_nothing_changed):
    """No second valid filing at the same institution."""
    doctor, record = registered_doctor(at=x)
    FilingFactory(record=record, institution=y)
    found = file_refused(doctor, filing_draft(record, y), assert_nothing_changed)
    assert "已在“天心医院”备案" in message(found["filing_exists"])


def test_filing_accepts_an_institution_whose_filing_was_cancelled(x, y):
    """A cancelled filing does not block a new one."""
    doctor, record = registered_doctor(at=x)
    FilingFactory(record=record, institution=y, cancelled=True)
    assert application_file(doctor=doctor, draft=filing_draft(record, y)).state == State.SUBMITTED


def test_filing_refuses_a_scope_outside_the_record(x, y, assert_nothing_changed):
    """The filing practises within the registered scopes."""
    doctor, record = registered_doctor(at=x)
    found = file_refused(doctor, filing_draft(record, y, scopes=("外科专业",)), assert_nothing_changed)
    assert "“外科专业”不在其中" in message(found["filing_scope_outside_record"])


def test_filing_refuses_without_scopes(x, y, assert_nothing_changed):
    """执业范围 required."""
    doctor, record = registered_doctor(at=x)
    found = file_refused(doctor, filing_draft(record, y, scopes=()), assert_nothing_changed)
    assert "scopes_required" in found


def test_an_assistant_files_only_inside_the_county(x, y, regions, assert_nothing_changed):
    """An assistant's location is a county: 天心区 is outside 芙蓉区."""
    doctor, record = registered_doctor(at=x, level=Level.ASSISTANT)
    found = file_refused(doctor, filing_draft(record, y), assert_nothing_changed)
    assert "湖南省长沙市芙蓉区" in message(found["filing_wrong_location"])
    clinic = InstitutionFactory(name="芙蓉社区卫生服务中心", region=regions["furong"])
    assert application_file(doctor=doctor, draft=filing_draft(record, clinic)).state == State.SUBMITTED


def test_filing_refuses_a_person_without_a_valid_record(y, assert_nothing_changed):
    """备案 needs a location and a main institution first (shown at the guided start)."""
    from tests.applications import new_passer

    doctor = new_passer()
    found = file_refused(doctor, filing_draft(None, y), assert_nothing_changed)
    assert "no_valid_record" in found and "record_required" in found
    assert "no_valid_record" in refusals(doctor, Draft(kind=Kind.FILING), stage=GUIDE)


# ---------------------------------------------------------------------------------------- 取消备案


def cancel_draft(filing, institution=None) -> Draft:
    return Draft(kind=Kind.FILING_CANCEL, institution=institution or filing.institution, filing=filing)


def test_a_valid_filing_is_cancelled(x, y):
    """REG-2 取消备案: a valid filing of the person's record, confirmed by its institution."""
    doctor, record = registered_doctor(at=x)
    filing = FilingFactory(record=record, institution=y)
    application = application_file(doctor=doctor, draft=cancel_draft(filing))
    assert application.state == State.SUBMITTED and application.filing == filing


def test_cancel_refuses_a_cancelled_filing(x, y, assert_nothing_changed):
    """Only a valid filing can be cancelled."""
    doctor, record = registered_doctor(at=x)
    filing = FilingFactory(record=record, institution=y, cancelled=True)
    found = file_refused(doctor, cancel_draft(filing), assert_nothing_changed)
    assert "没有有效的多执业机构备案" in message(found["no_valid_filing"])
    assert "可能已取消" in message(found["filing_invalid"])


def test_cancel_refuses_another_persons_filing(x, y, hetang, assert_nothing_changed):
    """The filing is the person's own."""
    doctor, record = registered_doctor(at=x)
    FilingFactory(record=record, institution=hetang)
    theirs = FilingFactory(institution=y)
    found = file_refused(doctor, cancel_draft(theirs), assert_nothing_changed)
    assert found["filing_invalid"].field == "filing"


def test_cancel_refuses_without_a_filing(x, y, assert_nothing_changed):
    """The filing to cancel is chosen."""
    doctor, record = registered_doctor(at=x)
    FilingFactory(record=record, institution=y)
    found = file_refused(doctor, Draft(kind=Kind.FILING_CANCEL, institution=y), assert_nothing_changed)
    assert message(found["filing_required"]) == "请选择要取消的多执业机构备案。"


def test_cancel_refuses_an_uninvolved_institution(x, y, hetang, assert_nothing_changed):
    """Confirmed by the filing's institution or the main institution, nobody else."""
    doctor, record = registered_doctor(at=x)
    filing = FilingFactory(record=record, institution=y)
    found = file_refused(doctor, cancel_draft(filing, institution=hetang), assert_nothing_changed)
    assert "天心医院" in message(found["wrong_institution"])
    assert application_file(doctor=doctor, draft=cancel_draft(filing, institution=x)).institution == x


# ---------------------------------------------------------------------------------------- 取消多地点


def location_draft(extra, institution=None) -> Draft:
    return Draft(
        kind=Kind.LOCATION_CANCEL,
        institution=institution or (extra.record.main_institution if extra else None),
        extra_location=extra,
    )


def test_one_old_extra_location_is_cancelled(x, y):
    """REG-2 取消多地点: one valid 多地点 of the person per application."""
    doctor, record = registered_doctor(at=x)
    extra = ExtraLocationFactory(record=record, institution=y)
    application = application_file(doctor=doctor, draft=location_draft(extra))
    assert application.state == State.SUBMITTED and application.extra_location == extra


def test_location_cancel_refuses_a_cancelled_extra_location(x, y, assert_nothing_changed):
    """Only a valid 多地点 can be cancelled; none valid → the guided start already says so."""
    doctor, record = registered_doctor(at=x)
    extra = ExtraLocationFactory(record=record, institution=y, state=ExtraLocation.State.CANCELLED)
    found = file_refused(doctor, location_draft(extra), assert_nothing_changed)
    assert "多地点不能新增" in message(found["no_extra_location"])
    assert "extra_location_invalid" in found


def test_location_cancel_refuses_without_a_choice(x, y, assert_nothing_changed):
    """One 多地点 chosen per application."""
    doctor, record = registered_doctor(at=x)
    ExtraLocationFactory(record=record, institution=y)
    draft = Draft(kind=Kind.LOCATION_CANCEL, institution=x)
    found = file_refused(doctor, draft, assert_nothing_changed)
    assert "一次业务只能取消一个" in message(found["extra_location_required"])


def test_location_cancel_refuses_another_persons_extra_location(x, y, assert_nothing_changed):
    """The 多地点 is the person's own."""
    doctor, record = registered_doctor(at=x)
    ExtraLocationFactory(record=record, institution=y)
    theirs = ExtraLocationFactory(institution=y)
    found = file_refused(doctor, location_draft(theirs, institution=x), assert_nothing_changed)
    assert "extra_location_invalid" in found


def test_no_business_type_adds_an_extra_location():
    """REG-2: 多地点 can be cancelled, never added — no type's rules or draft column creates one."""
    assert not any("add" in kind for kind in RULES)
    assert [k for k in Kind.values if "location" in k] == [Kind.LOCATION_CANCEL]
