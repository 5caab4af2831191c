"""REG-5: the rules are checked again at approval — records that changed after submission refuse the
approval (``approvals.services.application_approve``) and nothing changes."""

import pytest

from approvals.services import application_approve
from registrations.models import ApplicationEvent, Kind, PracticeRecord, State
from registrations.rules import Draft
from registrations.services.applications import ApplicationRefused, application_agree, application_file
from tests.applications import new_passer, registered_doctor, registration_draft, reviewer_for, route, scope
from tests.factories import FilingFactory

from .rules_support import message, record_for

pytestmark = pytest.mark.django_db


def refused_approval(application, authority, assert_nothing_changed) -> dict:
    reviewer = reviewer_for(authority)
    with assert_nothing_changed("a refused approval"):
        with pytest.raises(ApplicationRefused) as caught:
            application_approve(reviewer=reviewer, application_id=application.pk)
    application.refresh_from_db()
    assert application.state == State.AGREED
    assert not ApplicationEvent.objects.filter(application=application, action="approve").exists()
    return {refusal.code: refusal for refusal in caught.value.refusals}


def test_a_registration_is_refused_at_approval_when_the_province_was_taken_meanwhile(
    x, y, officer_x, assert_nothing_changed
):
    """REG-5: filed and agreed while 湖南 was free; a valid record at Y appeared since → 批准 refused."""
    authority = route(x)
    doctor = new_passer()
    application = application_file(doctor=doctor, draft=registration_draft(institution=x))
    application_agree(officer=officer_x, application_id=application.pk)
    record_for(doctor, at=y)
    found = refused_approval(application, authority, assert_nothing_changed)
    assert "天心医院" in message(found["location_taken"])
    assert PracticeRecord.objects.filter(id_number_digest=doctor.id_number_digest).count() == 1


def test_a_filing_is_refused_at_approval_when_it_exists_meanwhile(x, y, officer_y, assert_nothing_changed):
    """REG-5: the same filing was approved through another route after submission."""
    authority = route(y)
    doctor, record = registered_doctor(at=x)
    draft = Draft(kind=Kind.FILING, institution=y, record=record, scopes=[scope()])
    application = application_file(doctor=doctor, draft=draft)
    application_agree(officer=officer_y, application_id=application.pk)
    FilingFactory(record=record, institution=y)
    found = refused_approval(application, authority, assert_nothing_changed)
    assert "filing_exists" in found


def test_a_deregistration_is_refused_at_approval_when_the_record_ended_meanwhile(
    x, officer_x, assert_nothing_changed
):
    """REG-5: the record was 备案 by the institution meanwhile; the 注销 no longer has a valid record."""
    from tests.applications import reason

    authority = route(x)
    doctor, record = registered_doctor(at=x)
    draft = Draft(kind=Kind.DEREGISTER, institution=x, record=record, deregistration_reason=reason("10"))
    application = application_file(doctor=doctor, draft=draft)
    application_agree(officer=officer_x, application_id=application.pk)
    PracticeRecord.objects.filter(pk=record.pk).update(state=PracticeRecord.State.FILED)
    found = refused_approval(application, authority, assert_nothing_changed)
    assert "record_invalid" in found


def test_unchanged_records_let_the_approval_through(x, officer_x):
    """REG-5: the same check passes when nothing changed (the application itself is not a duplicate)."""
    authority = route(x)
    doctor = new_passer()
    application = application_file(doctor=doctor, draft=registration_draft(institution=x))
    application_agree(officer=officer_x, application_id=application.pk)
    approved = application_approve(reviewer=reviewer_for(authority), application_id=application.pk)
    assert approved.state == State.APPROVED
