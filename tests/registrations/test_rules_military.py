"""REG-2 军队变更入 and 变更到军队, REG-9 证书补办 and 申领电子证照: every rule broken once through
``application_file`` (nothing stored), and the applications that may go through."""

import pytest

from docregsys.reference.models import Level
from registrations.models import Kind, PracticeRecord, State
from registrations.rules import GUIDE, Draft
from registrations.services.applications import application_file
from tests.applications import province_of, registered_doctor, scope
from tests.factories import CertificateFactory, DoctorFactory

from .rules_support import file_refused, message, record_for, refusals

pytestmark = pytest.mark.django_db


@pytest.fixture
def army_doctor(db):
    """A doctor coming from the army: a (military) qualification, a 军队 record, no local valid record."""
    number = "430102197805051236"
    CertificateFactory(real_name="郑军", id_number=number, year_obtained=2005, origin="military")
    return DoctorFactory(real_name="郑军", id_number=number, activated=True)


def military_in_draft(institution, unit="中国人民解放军某部医院") -> Draft:
    return Draft(
        kind=Kind.MILITARY_IN,
        institution=institution,
        level=Level.PHYSICIAN,
        category="clinical",
        location=province_of(institution),
        scopes=[scope()],
        military_unit=unit,
    )


# ---------------------------------------------------------------------------------------- 军队变更入


def test_an_army_doctor_comes_to_a_local_institution(army_doctor, x):
    """REG-2 军队变更入: a qualification, a military unit, no valid local record in the province."""
    application = application_file(doctor=army_doctor, draft=military_in_draft(x))
    assert application.state == State.SUBMITTED and application.military_unit == "中国人民解放军某部医院"


def test_military_in_refuses_without_the_unit(army_doctor, x, assert_nothing_changed):
    """军队变更入 names the military unit."""
    found = file_refused(army_doctor, military_in_draft(x, unit=""), assert_nothing_changed)
    assert message(found["military_unit_required"]) == "请填写军队单位。"


def test_military_in_refuses_a_province_with_a_valid_record(army_doctor, x, y, assert_nothing_changed):
    """No valid local record in that province: it would be a second main institution."""
    record_for(army_doctor, at=y)
    found = file_refused(army_doctor, military_in_draft(x), assert_nothing_changed)
    assert "天心医院" in message(found["location_taken"])


def test_military_in_refuses_without_a_qualification(x, assert_nothing_changed):
    """军队变更入 needs a qualification."""
    doctor = DoctorFactory(real_name="冯无", id_number="430102197901011239", activated=True)
    found = file_refused(doctor, military_in_draft(x), assert_nothing_changed)
    assert "no_qualification" in found


# ---------------------------------------------------------------------------------------- 变更到军队


def to_military_draft(record, institution=None, unit="中国人民解放军某部") -> Draft:
    return Draft(
        kind=Kind.TO_MILITARY,
        institution=institution or record.main_institution,
        record=record,
        military_unit=unit,
    )


def test_a_local_doctor_changes_to_the_army(x):
    """REG-2 变更到军队: at least one valid local record; the unit named."""
    doctor, record = registered_doctor(at=x)
    assert application_file(doctor=doctor, draft=to_military_draft(record)).state == State.SUBMITTED


def test_to_military_refuses_without_the_unit(x, assert_nothing_changed):
    doctor, record = registered_doctor(at=x)
    found = file_refused(doctor, to_military_draft(record, unit="  "), assert_nothing_changed)
    assert "military_unit_required" in found


def test_to_military_refuses_without_a_valid_record(x, assert_nothing_changed):
    """变更到军队 needs a valid local record (also at the guided start)."""
    doctor, record = registered_doctor(at=x)
    PracticeRecord.objects.filter(pk=record.pk).update(state=PracticeRecord.State.DEREGISTERED)
    found = file_refused(doctor, to_military_draft(record), assert_nothing_changed)
    assert "no_valid_record" in found and "record_invalid" in found
    assert "no_valid_record" in refusals(doctor, Draft(kind=Kind.TO_MILITARY), stage=GUIDE)


def test_to_military_refuses_an_institution_not_main(x, y, assert_nothing_changed):
    """Confirmed by one of the person's main institutions."""
    doctor, record = registered_doctor(at=x)
    found = file_refused(doctor, to_military_draft(record, institution=y), assert_nothing_changed)
    assert "not_main_institution" in found


# ---------------------------------------------------------------------------------------- 证书补办 / 电子证照


@pytest.mark.parametrize("kind", [Kind.REISSUE, Kind.E_CERTIFICATE])
def test_a_doctor_applies_for_a_certificate(x, kind):
    """REG-9: 证书补办 and 申领电子证照 are applications about a valid record, confirmed by its institution."""
    doctor, record = registered_doctor(at=x)
    draft = Draft(kind=kind, institution=x, record=record, statement="证书遗失")
    assert application_file(doctor=doctor, draft=draft).state == State.SUBMITTED


@pytest.mark.parametrize("kind", [Kind.REISSUE, Kind.E_CERTIFICATE])
def test_certificate_applications_refuse_a_wrong_record_or_institution(x, y, kind, assert_nothing_changed):
    """REG-9: the record is chosen and valid; the main institution confirms."""
    doctor, record = registered_doctor(at=x)
    found = file_refused(doctor, Draft(kind=kind, institution=x), assert_nothing_changed)
    assert "record_required" in found
    found = file_refused(doctor, Draft(kind=kind, institution=y, record=record), assert_nothing_changed)
    assert "not_main_institution" in found
    PracticeRecord.objects.filter(pk=record.pk).update(state=PracticeRecord.State.DEREGISTERED)
    found = file_refused(doctor, Draft(kind=kind, institution=x, record=record), assert_nothing_changed)
    assert "no_valid_record" in found


def test_a_doctor_in_the_army_cannot_change_to_it_again(army_doctor, x):
    """A 军队 record is not a valid local record."""
    record = record_for(army_doctor, at=x, state=PracticeRecord.State.MILITARY)
    assert "no_valid_record" in refusals(army_doctor, to_military_draft(record))


def test_military_in_for_a_doctor_with_a_record_in_another_province(army_doctor, x, jiangan):
    """军队变更入 into 湖南 is fine while the person holds a valid record in 湖北 only."""
    record_for(army_doctor, at=jiangan)
    assert refusals(army_doctor, military_in_draft(x)) == {}
