"""APP-2 / REG-7: 批准 and 退回 through ``approvals.services`` — the re-check at approval, who may decide,
reasons, the doctor's message for every transition (the outbox) and ACC-5d activation on approval."""

from __future__ import annotations

import pytest
from django.utils import timezone

from accounts.models import ActivationPath, User
from approvals.services import application_approve, application_return
from docregsys.exceptions import TransitionRefused
from docregsys.messaging.models import Channel, OutboundMessage
from registrations import rules
from registrations.models import (
    Action,
    Application,
    ApplicationEvent,
    Kind,
    PracticeRecord,
    State,
)
from registrations.rules import APPROVE, request_rule
from registrations.services.applications import (
    ApplicationRefused,
    application_agree,
    application_disagree,
    application_file,
    application_revoke,
    application_submit,
    application_withdraw,
)
from tests import personas
from tests.applications import (
    new_passer,
    province_of,
    reason,
    registered_doctor,
    registration_draft,
    reviewer_for,
    route,
)
from tests.factories import ApplicationFactory

REASON = "执业范围与资格类别不符。请核实后重新提交"


@pytest.fixture
def x(db):
    return personas.institution(personas.X)


@pytest.fixture
def authority(x):
    return route(x)


@pytest.fixture
def reviewer(authority):
    return reviewer_for(authority)


def filed_and_agreed(doctor, x, officer):
    application = application_file(doctor=doctor, draft=registration_draft(institution=x))
    return application_agree(officer=officer, application_id=application.pk)


def events_of(application):
    return list(
        ApplicationEvent.objects.filter(application=application).values_list(
            "action", "from_state", "to_state"
        )
    )


# ------------------------------------------------------------------------------------ the re-check at approval


def test_approval_re_checks_the_rules_and_refuses_with_nothing_changed(
    x, authority, reviewer, officer_x, monkeypatch, assert_nothing_changed
):
    """REG-5: a rule that fails only at approval (the records changed after submission) refuses the
    approval: every failed rule is reported, the application stays 卫健委审批中, nothing is written."""
    doctor = new_passer()
    application = filed_and_agreed(doctor, x, officer_x)

    def changed_meanwhile(ctx):
        if ctx.stage == APPROVE:
            return TransitionRefused("该医师在该省已有有效执业注册。", code="location_taken")
        return None

    monkeypatch.setitem(
        rules.RULES, Kind.REGISTER, [*rules.RULES[Kind.REGISTER], request_rule(changed_meanwhile)]
    )
    with assert_nothing_changed("an approval refused by the rules"):
        with pytest.raises(ApplicationRefused) as refused:
            application_approve(reviewer=reviewer, application_id=application.pk)
    assert [r.code for r in refused.value.refusals] == ["location_taken"]
    assert Application.objects.get(pk=application.pk).state == State.AGREED
    assert not PracticeRecord.objects.filter(id_number_digest=doctor.id_number_digest).exists()


def test_a_record_deregistered_after_agreement_is_not_deregistered_twice(
    x, officer_x, assert_nothing_changed
):
    """REG-5/REG-7: the record the 注销 acts on was already ended by another application: the re-check at
    approval refuses (the rules see no valid record; the effect's own guard under the lock is the second
    line), the record's state and history untouched, no log row."""
    doctor, record = registered_doctor(at=x)
    application = ApplicationFactory(
        kind=Kind.DEREGISTER,
        agreed=True,
        doctor=doctor,
        institution=x,
        authority=route(x),
        record=record,
        location=None,
        deregistration_reason=reason("10"),
    )
    PracticeRecord.objects.filter(pk=record.pk).update(state=PracticeRecord.State.DEREGISTERED)
    reviewer = reviewer_for(application.authority)
    with assert_nothing_changed("an approval of a stale 注销"):
        with pytest.raises(TransitionRefused) as refused:
            application_approve(reviewer=reviewer, application_id=application.pk)
    assert refused.value.code == "no_valid_record"


# ------------------------------------------------------------------------------------ who decides


def test_only_the_routed_authority_approves(
    x, authority, officer_x, city_reviewer, tianxin_reviewer, assert_nothing_changed
):
    """APP-1/APP-2: 长沙市's reviewer sees 芙蓉区's applications read-only; 天心区's does not see them;
    neither may approve or return (refused as not found, nothing changed)."""
    application = filed_and_agreed(new_passer(), x, officer_x)
    for stranger in (city_reviewer, tianxin_reviewer):
        with assert_nothing_changed(f"an approval by {stranger.username}"):
            for decide in (
                lambda who=stranger: application_approve(reviewer=who, application_id=application.pk),
                lambda who=stranger: application_return(
                    reviewer=who, application_id=application.pk, reason=REASON
                ),
            ):
                with pytest.raises(TransitionRefused) as refused:
                    decide()
                assert refused.value.code == "not_found"


def test_an_officer_or_doctor_cannot_approve(x, authority, officer_x, assert_nothing_changed):
    """APP-2: only reviewers decide."""
    doctor = new_passer()
    application = filed_and_agreed(doctor, x, officer_x)
    with assert_nothing_changed("an approval by a non-reviewer"):
        for user in (officer_x, doctor):
            with pytest.raises(TransitionRefused):
                application_approve(reviewer=user, application_id=application.pk)


def test_a_second_approval_is_refused_and_leaves_one_effect(x, authority, reviewer, officer_x):
    """REG-7: the same approval twice (a double click): one record, one number, one APPROVE row."""
    doctor = new_passer()
    application = filed_and_agreed(doctor, x, officer_x)
    application_approve(reviewer=reviewer, application_id=application.pk)
    with pytest.raises(TransitionRefused) as refused:
        application_approve(reviewer=reviewer, application_id=application.pk)
    assert refused.value.code == "wrong_state" and "已被他人处理" in str(refused.value.message)
    assert PracticeRecord.objects.filter(id_number_digest=doctor.id_number_digest).count() == 1
    assert ApplicationEvent.objects.filter(application=application, action=Action.APPROVE).count() == 1


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "reason_required"),
        ("   ", "reason_required"),
        ("理" * 501, "too_long"),
        ("退回\u200b", "invisible_characters"),
    ],
)
def test_return_needs_a_clean_reason(x, authority, reviewer, officer_x, assert_nothing_changed, text, code):
    """APP-2: 退回 needs a reason the doctor can read (≤ 500 characters, no invisible characters)."""
    application = filed_and_agreed(new_passer(), x, officer_x)
    with assert_nothing_changed("a return without a proper reason"):
        with pytest.raises(TransitionRefused) as refused:
            application_return(reviewer=reviewer, application_id=application.pk, reason=text)
    assert refused.value.code == code and refused.value.field == "reason"


def test_return_records_the_reason_and_the_decision_date(x, authority, reviewer, officer_x):
    """APP-2/REG-4: 退回 → 已退回 with the reason in the log; the records are untouched."""
    doctor = new_passer()
    application = filed_and_agreed(doctor, x, officer_x)
    returned = application_return(reviewer=reviewer, application_id=application.pk, reason=REASON)
    assert returned.state == State.RETURNED and returned.decided_at is not None
    event = ApplicationEvent.objects.get(application=application, action=Action.RETURN)
    assert (event.actor, event.role, event.reason) == (reviewer, ApplicationEvent.Role.REVIEWER, REASON)
    assert not PracticeRecord.objects.filter(id_number_digest=doctor.id_number_digest).exists()


# ------------------------------------------------------------------------------------ notifications


def bodies_for(doctor) -> list[str]:
    return list(
        OutboundMessage.objects.filter(destination=doctor.phone, channel=Channel.SMS)
        .order_by("pk")
        .values_list("body", flat=True)
    )


def test_every_transition_tells_the_doctor(x, authority, reviewer, officer_x):
    """REG-4: submit, agree, return, resubmit, agree, revoke, agree, approve — one SMS to the doctor's
    verified phone per step, in order, naming the type, the institution, the authority and the reasons."""
    doctor = new_passer()
    application = application_file(doctor=doctor, draft=registration_draft(institution=x))
    application_agree(officer=officer_x, application_id=application.pk)
    application_return(reviewer=reviewer, application_id=application.pk, reason=REASON)
    application_submit(doctor=doctor, application_id=application.pk)
    application_agree(officer=officer_x, application_id=application.pk)
    application_revoke(officer=officer_x, application_id=application.pk)
    application_agree(officer=officer_x, application_id=application.pk)
    application_approve(reviewer=reviewer, application_id=application.pk)
    bodies = bodies_for(doctor)
    assert len(bodies) == 8
    assert "“注册”申请已提交，等待芙蓉医院确认" in bodies[0]
    assert "芙蓉医院已同意" in bodies[1] and authority.name in bodies[1]
    assert "被" + authority.name + "退回" in bodies[2] and REASON in bodies[2]
    assert "已修改并重新提交" in bodies[3]
    assert "撤销了对您的“注册”申请的同意" in bodies[5]
    assert "审批通过，业务已办结" in bodies[7]
    assert [e[0] for e in events_of(application)] == [
        Action.CREATE,
        Action.SUBMIT,
        Action.AGREE,
        Action.RETURN,
        Action.RESUBMIT,
        Action.AGREE,
        Action.REVOKE,
        Action.AGREE,
        Action.APPROVE,
    ]


def test_withdrawal_and_disagreement_tell_the_doctor(x, authority, officer_x):
    """REG-4: 撤回 and 不同意 (with the institution's reason) reach the doctor too."""
    doctor = new_passer()
    first = application_file(doctor=doctor, draft=registration_draft(institution=x))
    application_withdraw(doctor=doctor, application_id=first.pk)
    second = application_file(doctor=doctor, draft=registration_draft(institution=x))
    application_disagree(officer=officer_x, application_id=second.pk, reason="本院未与该医师签订聘用合同")
    bodies = bodies_for(doctor)
    assert "已撤回" in bodies[1]
    assert "芙蓉医院不同意" in bodies[3] and "本院未与该医师签订聘用合同" in bodies[3]


def test_a_doctor_without_a_verified_phone_is_told_by_e_mail(x, authority, reviewer, officer_x):
    """REG-4: no verified phone, a verified e-mail: the messages go by e-mail with a subject."""
    doctor = new_passer()
    User.objects.filter(pk=doctor.pk).update(
        phone_verified_at=None, email="zhou@example.cn", email_verified_at=timezone.now()
    )
    doctor.refresh_from_db()
    application = filed_and_agreed(doctor, x, officer_x)
    application_approve(reviewer=reviewer, application_id=application.pk)
    mails = OutboundMessage.objects.filter(destination="zhou@example.cn", channel=Channel.EMAIL)
    assert mails.count() == 3 and all(mail.subject for mail in mails)
    assert not OutboundMessage.objects.filter(channel=Channel.SMS).exists()


def test_an_institutions_application_about_a_doctor_without_an_account_sends_nothing(x, reviewer):
    """INS-10: nobody to tell (no account): the approval goes through without a message."""
    doctor, record = registered_doctor(at=x)
    application = ApplicationFactory(
        kind=Kind.DEREGISTER,
        agreed=True,
        doctor=None,
        real_name=record.real_name,
        id_number_digest=record.id_number_digest,
        institution=x,
        authority=route(x),
        record=record,
        location=None,
        deregistration_reason=reason("01"),
        initiator="institution",
    )
    before = OutboundMessage.objects.count()
    application_approve(reviewer=reviewer_for(application.authority), application_id=application.pk)
    assert OutboundMessage.objects.count() == before
    record.refresh_from_db()
    assert record.state == PracticeRecord.State.DEREGISTERED


# ------------------------------------------------------------------------------------ ACC-5d


def test_an_unactivated_doctors_approved_registration_activates_the_account(
    x, authority, reviewer, officer_x
):
    """ACC-5d: a doctor from a region without e-registration files 注册 before activation; the approval
    activates the account (path 审批通过) in the same transaction as the new record."""
    doctor = new_passer(activated=False)
    assert not doctor.is_activated
    application = filed_and_agreed(doctor, x, officer_x)
    application_approve(reviewer=reviewer, application_id=application.pk)
    doctor.refresh_from_db()
    assert doctor.is_activated and doctor.activation_path == ActivationPath.APPROVAL
    record = PracticeRecord.objects.get(id_number_digest=doctor.id_number_digest)
    assert record.state == PracticeRecord.State.VALID and record.location == province_of(x)


def test_a_refused_approval_does_not_activate(x, authority, reviewer, officer_x, monkeypatch):
    """ACC-5d: activation is part of the approval: refused approval, account still unactivated."""
    doctor = new_passer(activated=False)
    application = filed_and_agreed(doctor, x, officer_x)
    monkeypatch.setattr(
        "approvals.selectors.application_refusals",
        lambda **kwargs: [TransitionRefused("资格已被注销。", code="qualification_revoked")],
    )
    with pytest.raises(ApplicationRefused):
        application_approve(reviewer=reviewer, application_id=application.pk)
    doctor.refresh_from_db()
    assert not doctor.is_activated and doctor.activation_path == ""


def test_an_approved_deregistration_does_not_activate(x, officer_x):
    """ACC-5d is for 注册/变更/军队变更入 only: an unactivated doctor's approved 注销 leaves the account as it is."""
    doctor, record = registered_doctor(at=x)
    User.objects.filter(pk=doctor.pk).update(activated_at=None, activation_path="")
    doctor.refresh_from_db()
    application = ApplicationFactory(
        kind=Kind.DEREGISTER,
        agreed=True,
        doctor=doctor,
        institution=x,
        authority=route(x),
        record=record,
        location=None,
        deregistration_reason=reason("10"),
    )
    application_approve(reviewer=reviewer_for(application.authority), application_id=application.pk)
    doctor.refresh_from_db()
    assert not doctor.is_activated
