"""REG-4 / REG-7 end to end through the services: a new passer's 注册, agreed by X, approved by 芙蓉区."""

from approvals.services import application_approve
from registrations.models import ApplicationEvent, PracticeRecord, State
from registrations.numbers import is_valid_certificate_number
from registrations.services.applications import application_agree, application_file
from tests import personas
from tests.applications import new_passer, registration_draft, reviewer_for, route


def test_a_new_passers_registration_goes_through_and_draws_a_certificate_number(db, officer_x):
    """REG-4, REG-7: file → 同意 → 批准: one valid record with a new 15-digit number, four log rows."""
    x = personas.institution(personas.X)
    authority = route(x)
    doctor = new_passer()
    application = application_file(doctor=doctor, draft=registration_draft(institution=x))
    assert application.state == State.SUBMITTED
    application = application_agree(officer=officer_x, application_id=application.pk)
    assert application.state == State.AGREED and application.authority == authority
    application = application_approve(reviewer=reviewer_for(authority), application_id=application.pk)
    assert application.state == State.APPROVED
    record = PracticeRecord.objects.get(id_number_digest=doctor.id_number_digest)
    assert record.state == PracticeRecord.State.VALID and record.main_institution == x
    assert is_valid_certificate_number(record.certificate_number)
    assert list(
        ApplicationEvent.objects.filter(application=application).values_list("action", flat=True)
    ) == ["create", "submit", "agree", "approve"]
