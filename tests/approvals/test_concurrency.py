"""REG-7 on PostgreSQL: fifty approvals of one application at once give one effect; approvals of two
different applications never wait on each other. Real connections, one per thread (``services`` pass)."""

from __future__ import annotations

import threading

import pytest
from django.db import OperationalError, connection, transaction

from approvals.services import application_approve
from docregsys.exceptions import TransitionRefused
from docregsys.messaging.models import OutboundMessage
from registrations.models import Action, Application, ApplicationEvent, Kind, PracticeRecord, State
from registrations.numbers import is_valid_certificate_number
from registrations.services.applications import application_agree, application_file
from tests import personas
from tests.applications import new_passer, province_of, registration_draft, reviewer_for, route
from tests.factories import ApplicationFactory, ReviewerFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

APPROVERS = 50


def agreed_registration(real_name: str) -> Application:
    """A new passer's 注册 at X, filed and agreed through the services (routed to 芙蓉区)."""
    x = personas.institution(personas.X)
    route(x)
    doctor = new_passer(real_name=real_name)
    application = application_file(doctor=doctor, draft=registration_draft(institution=x))
    return application_agree(officer=personas.officer_x(), application_id=application.pk)


def sequence_state() -> tuple[int, bool]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT last_value, is_called FROM registrations_certificate_seq")
        return cursor.fetchone()


def test_fifty_concurrent_approvals_give_exactly_one_effect():
    """REG-7: 50 threads (five reviewers of the routed authority, each clicking ten times) approve one
    application at the same moment: one succeeds; 49 are refused because it is already approved; one
    record, one certificate number drawn, one APPROVE log row, one message to the doctor."""
    application = agreed_registration("并发甲")
    authority = application.authority
    reviewers = [reviewer_for(authority)] + [ReviewerFactory(authority=authority) for _i in range(4)]
    drawn_before = sequence_state()
    barrier = threading.Barrier(APPROVERS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def approve(reviewer):
        try:
            barrier.wait(timeout=30)
            application_approve(reviewer=reviewer, application_id=application.pk)
            outcome = "ok"
        except TransitionRefused as exc:
            outcome = exc.code
        except Exception as exc:  # anything else is a failure the assertion below shows
            outcome = repr(exc)
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [
        threading.Thread(target=approve, args=(reviewers[n % len(reviewers)],)) for n in range(APPROVERS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(outcomes) == ["ok"] + ["wrong_state"] * (APPROVERS - 1), outcomes
    assert Application.objects.get(pk=application.pk).state == State.APPROVED
    records = PracticeRecord.objects.filter(id_number_digest=application.id_number_digest)
    assert records.count() == 1
    (record,) = records
    assert is_valid_certificate_number(record.certificate_number)
    assert Application.objects.get(pk=application.pk).result_record_id == record.pk
    # One number drawn from the sequence: the 49 others never reached the effect.
    last_before, called_before = drawn_before
    assert sequence_state() == ((last_before + 1) if called_before else last_before, True)
    assert ApplicationEvent.objects.filter(application=application, action=Action.APPROVE).count() == 1
    assert OutboundMessage.objects.filter(body__contains="审批通过，业务已办结").count() == 1


def test_approvals_of_different_applications_do_not_wait_on_each_other():
    """REG-7: while another transaction holds application A's row lock, approving A times out but approving
    B (same institution, same authority, same reviewer) goes through within a short lock_timeout."""
    first = agreed_registration("并发乙")
    second = agreed_registration("并发丙")
    reviewer = reviewer_for(first.authority)
    locked, release = threading.Event(), threading.Event()

    def hold_first():
        try:
            with transaction.atomic():
                Application.objects.select_for_update().get(pk=first.pk)
                locked.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_first)
    holder.start()
    try:
        assert locked.wait(timeout=10)
        with pytest.raises(OperationalError):  # the lock is real: A waits, and gives up after 500 ms
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '500ms'")
                application_approve(reviewer=reviewer, application_id=first.pk)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '500ms'")
            approved = application_approve(reviewer=reviewer, application_id=second.pk)
        assert approved.state == State.APPROVED
        assert Application.objects.get(pk=first.pk).state == State.AGREED
    finally:
        release.set()
        holder.join(timeout=30)
    # Once the lock is gone, A is approved as usual.
    assert application_approve(reviewer=reviewer, application_id=first.pk).state == State.APPROVED
    numbers = set(PracticeRecord.objects.values_list("certificate_number", flat=True))
    assert len(numbers) == 2


def test_two_applications_of_one_new_person_approved_at_once_share_one_number(monkeypatch):
    """REG-7 "one number for life": a new person's 注册 at X (芙蓉区) and 军队变更入 at 江岸医院 (湖北), two
    authorities approving at the same moment: the per-person lock makes the second find the first's number."""
    monkeypatch.setattr("approvals.selectors.application_refusals", lambda **kwargs: [])
    x, jiangan = personas.institution(personas.X), personas.institution("jiangan")
    doctor = new_passer(real_name="并发丁")
    applications = [
        ApplicationFactory(
            kind=kind,
            agreed=True,
            doctor=doctor,
            institution=place,
            authority=route(place),
            location=province_of(place),
        )
        for kind, place in ((Kind.REGISTER, x), (Kind.MILITARY_IN, jiangan))
    ]
    reviewers = [reviewer_for(application.authority) for application in applications]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def approve(reviewer, application):
        try:
            barrier.wait(timeout=30)
            application_approve(reviewer=reviewer, application_id=application.pk)
            outcomes.append("ok")
        except Exception as exc:
            outcomes.append(repr(exc))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=approve, args=pair) for pair in zip(reviewers, applications, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert outcomes == ["ok", "ok"], outcomes
    numbers = set(
        PracticeRecord.objects.filter(id_number_digest=doctor.id_number_digest).values_list(
            "certificate_number", flat=True
        )
    )
    assert len(numbers) == 1, numbers
