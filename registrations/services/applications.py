"""REG-4: the lifecycle of an application, one service per transition (grep ``application_`` for the workflow).

Each transition runs in one transaction: a conditional UPDATE on (id, scope, source state) — "not
exactly one row" means another request got there first or the object is not the caller's —, the
``ApplicationEvent`` row, and the doctor's notification written to the outbox (sent after commit).

    draft ──submit──▶ submitted ──agree──▶ agreed ──approve──▶ approved      (approvals.services)
      │                 │   │                │  └──return──▶ returned ──resubmit──▶ submitted
      └──withdraw──▶ withdrawn ◀──withdraw───┘ revoke ▲            └──withdraw──▶ withdrawn
                        └──disagree──▶ disagreed   (agreed ──revoke──▶ submitted)

Institution-initiated applications (INS-10) are filed agreed: the institution is the applicant, so its
revocation withdraws them and a returned one is resubmitted straight to the authority.

Whatever the action, an application entering 卫健委审批中 is routed by ``application_routing`` (the
institution's 审批机关设置 today) and its time limit starts afresh; one back in 机构审核中 has no due date.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from docregsys.exceptions import TransitionRefused
from docregsys.identity.normalize import has_invisible, normalize_prose, normalize_text
from docregsys.messaging.models import Channel
from docregsys.messaging.services import message_enqueue

from ..calendar import add_working_days
from ..models import Action, Application, ApplicationEvent, Initiator, State
from ..rules import SUBMIT, Draft, Person, application_refusals
from ..selectors import application_authority_for, application_list_for

REASON_MAX_LENGTH = 500
TEXT_LIMITS = {"statement": 500, "military_unit": 100, "new_institution_name": 100}


class ApplicationRefused(TransitionRefused):
    """The rules refused: every failed rule is in ``refusals`` (the message is the first one's)."""

    def __init__(self, refusals: list[TransitionRefused]):
        self.refusals = refusals
        first = refusals[0]
        super().__init__(first.message, code=first.code, field=first.field)

    def add_to_form(self, form, *, fields=None) -> None:
        for refusal in self.refusals:
            refusal.add_to_form(form, fields=fields)


@dataclass(frozen=True)
class Move:
    """One REG-4 transition: its action, the states it leaves from and the state it reaches."""

    action: str
    sources: tuple[str, ...]
    target: str


# Every transition there is; anything else is impossible (the table-driven test walks all pairs).
MOVES = {
    Action.SUBMIT: Move(Action.SUBMIT, (State.DRAFT,), State.SUBMITTED),
    Action.WITHDRAW: Move(Action.WITHDRAW, (State.DRAFT, State.SUBMITTED, State.RETURNED), State.WITHDRAWN),
    Action.AGREE: Move(Action.AGREE, (State.SUBMITTED,), State.AGREED),
    Action.DISAGREE: Move(Action.DISAGREE, (State.SUBMITTED,), State.DISAGREED),
    Action.REVOKE: Move(Action.REVOKE, (State.AGREED,), State.SUBMITTED),
    Action.APPROVE: Move(Action.APPROVE, (State.AGREED,), State.APPROVED),
    Action.RETURN: Move(Action.RETURN, (State.AGREED,), State.RETURNED),
    Action.RESUBMIT: Move(Action.RESUBMIT, (State.RETURNED,), State.SUBMITTED),
}
# Institution-initiated applications skip the institution's own review (INS-10).
INSTITUTION_TARGETS = {Action.REVOKE: State.WITHDRAWN, Action.RESUBMIT: State.AGREED}

STALE = _("该申请的状态已经改变（可能已被他人处理），请刷新页面后查看。")


def role_of(user) -> str:
    if user is None:
        return ApplicationEvent.Role.SYSTEM
    if getattr(user, "is_officer", False):
        return ApplicationEvent.Role.OFFICER
    if getattr(user, "is_reviewer", False) or getattr(user, "is_superuser", False):
        return ApplicationEvent.Role.REVIEWER
    return ApplicationEvent.Role.DOCTOR


def target_of(application: Application, action: str) -> str:
    """The state `action` leads to for this application (institution-initiated ones differ, INS-10)."""
    if application.initiator == Initiator.INSTITUTION and action in INSTITUTION_TARGETS:
        return INSTITUTION_TARGETS[action]
    return MOVES[action].target


def event_record(
    *, application: Application, action: str, actor, from_state: str, to_state: str, reason: str = ""
) -> ApplicationEvent:
    """Append one row to the application's log (in the caller's transaction)."""
    return ApplicationEvent.objects.create(
        application=application,
        action=action,
        actor=actor,
        role=role_of(actor),
        from_state=from_state,
        to_state=to_state,
        reason=reason,
    )


def reason_clean(reason, *, required: bool = True, field: str = "reason") -> str:
    """A reason as the log keeps it: NFKC, no invisible characters, bounded, required where the rule says."""
    reason = normalize_prose(reason)
    if has_invisible(reason):
        raise TransitionRefused(
            _("含有看不见的特殊字符（如零宽字符或方向控制符），请删除后重新输入。"),
            code="invisible_characters",
            field=field,
        )
    if required and not reason:
        raise TransitionRefused(_("请填写原因。"), code="reason_required", field=field)
    if len(reason) > REASON_MAX_LENGTH:
        raise TransitionRefused(
            _("不能超过%(n)d个字。") % {"n": REASON_MAX_LENGTH}, code="too_long", field=field
        )
    return reason


def _clean_texts(draft: Draft) -> Draft:
    for name, limit in TEXT_LIMITS.items():
        raw = getattr(draft, name) or ""
        value = normalize_prose(raw) if name == "statement" else normalize_text(raw)
        if has_invisible(value):
            raise TransitionRefused(
                _("含有看不见的特殊字符（如零宽字符或方向控制符），请删除后重新输入。"),
                code="invisible_characters",
                field=name,
            )
        if len(value) > limit:
            raise TransitionRefused(_("不能超过%(n)d个字。") % {"n": limit}, code="too_long", field=name)
        setattr(draft, name, value)
    return draft


# ------------------------------------------------------------------------------------ notifications

MESSAGES = {
    Action.SUBMIT: _("您的“%(kind)s”申请已提交，等待%(inst)s确认。"),
    Action.RESUBMIT: _("您的“%(kind)s”申请已修改并重新提交。"),
    Action.WITHDRAW: _("您的“%(kind)s”申请已撤回。"),
    Action.AGREE: _("%(inst)s已同意您的“%(kind)s”申请，已提交%(auth)s审批。"),
    Action.DISAGREE: _("%(inst)s不同意您的“%(kind)s”申请，原因：%(reason)s"),
    Action.REVOKE: _("%(inst)s撤销了对您的“%(kind)s”申请的同意，申请回到机构审核中。"),
    Action.APPROVE: _("您的“%(kind)s”申请已由%(auth)s审批通过，业务已办结。"),
    Action.RETURN: _("您的“%(kind)s”申请被%(auth)s退回，原因：%(reason)s。请在“业务查询”中修改后重新提交。"),
}


def application_notify(*, application: Application, action: str, reason: str = "") -> None:
    """Tell the doctor (verified phone, else verified e-mail) what happened; written to the outbox now,
    sent after commit. No account or nothing verified: nothing to send."""
    doctor = application.doctor
    template = MESSAGES.get(action)
    if action == Action.REVOKE and application.state == State.WITHDRAWN:  # INS-10: the institution withdrew
        template = MESSAGES[Action.WITHDRAW]
    if doctor is None or template is None:
        return
    if doctor.phone_verified:
        channel, destination = Channel.SMS, doctor.phone
    elif doctor.email_verified:
        channel, destination = Channel.EMAIL, doctor.email
    else:
        return
    body = str(template) % {
        "kind": application.get_kind_display(),
        "inst": application.institution.name,
        "auth": application.authority.name if application.authority_id else gettext("卫生健康行政部门"),
        "reason": reason,
    }
    subject = gettext("医师电子化注册信息系统：业务办理进度") if channel == Channel.EMAIL else ""
    message_enqueue(channel=channel, destination=destination, body=body, subject=subject)


# ------------------------------------------------------------------------------------ routing and the clock

NO_AUTHORITY = _("本机构尚未设置该类别医师的审批机关，请先在“系统功能 → 审批机关设置”中设置。")


def application_routing(application: Application, *, now=None) -> dict:
    """Entering 卫健委审批中: the authority from the institution's 审批机关设置 (INS-2), and its clock —
    the due date in that authority's working days from today. Refused when no authority is set."""
    authority = application_authority_for(application)
    if authority is None:
        raise TransitionRefused(NO_AUTHORITY, code="no_authority")
    now = now or timezone.now()
    return {
        "authority": authority,
        "agreed_at": now,
        "due_date": add_working_days(timezone.localdate(now), authority.statutory_days),
    }


def _clock_for(application: Application, *, source: str, target: str, now) -> dict:
    """The dates a move implies unless its service sets them: an application that (re-)enters 卫健委审批中
    is routed again and its time limit starts afresh (an institution's resubmission after a return,
    INS-10); one back in 机构审核中 has no authority clock running; leaving 已退回 it is no longer decided."""
    values = {}
    if target == State.AGREED:
        values.update(application_routing(application, now=now))
    elif target == State.SUBMITTED:
        values.update(agreed_at=None, due_date=None)
    if source == State.RETURNED and target in (State.SUBMITTED, State.AGREED):
        values["decided_at"] = None
    return values


# ------------------------------------------------------------------------------------ the one mover


def application_move(
    *,
    application_id: int,
    actor,
    action: str,
    scope,
    reason: str = "",
    updates: dict | None = None,
) -> Application:
    """Move an application by `action` within `scope` (a queryset of what the actor may act on).

    A conditional UPDATE on id + source state: zero rows means the state changed meanwhile or the
    application is not the actor's (both refused the same way, so nothing leaks). Writes the log row
    and queues the doctor's notification, in the caller's transaction (callers are atomic).
    """
    move = MOVES[action]
    application = scope.filter(pk=application_id).select_related("institution", "authority", "doctor").first()
    if application is None:
        raise TransitionRefused(STALE, code="not_found")
    source = application.state
    if source not in move.sources:
        raise TransitionRefused(STALE, code="wrong_state")
    target = target_of(application, action)
    now = timezone.now()
    values = {
        "state": target,
        **_clock_for(application, source=source, target=target, now=now),
        **(updates or {}),
    }
    rows = scope.filter(pk=application_id, state=source).update(**values)
    if rows != 1:  # another request moved it first
        raise TransitionRefused(STALE, code="wrong_state")
    for name, value in values.items():
        if not hasattr(value, "resolve_expression"):
            setattr(application, name, value)
    event_record(
        application=application, action=action, actor=actor, from_state=source, to_state=target, reason=reason
    )
    application_notify(application=application, action=action, reason=reason)
    application._moved_at = now
    return application


# ------------------------------------------------------------------------------------ the doctor


def _refuse_if_rules_fail(*, person: Person, draft: Draft, application_id: int | None, stage=SUBMIT) -> None:
    refusals = application_refusals(person=person, draft=draft, stage=stage, application_id=application_id)
    if refusals:
        raise ApplicationRefused(refusals)


def _doctor_scope(doctor):
    """What a doctor may amend, submit or withdraw: their own filings (an institution's INS-10 application
    about them is visible to them but is the institution's to act on)."""
    return application_list_for(user=doctor).filter(initiator=Initiator.DOCTOR)


def _save_scopes(application: Application, draft: Draft) -> None:
    application.scopes.set(draft.scopes)


@transaction.atomic
def application_save(*, doctor, draft: Draft, application_id: int | None = None) -> Application:
    """Save the doctor's draft (new, or a draft / returned application of theirs being amended)."""
    draft = _clean_texts(draft)
    person = Person.of_user(doctor)
    if application_id is None:
        application = Application(
            doctor=doctor,
            real_name=person.real_name,
            id_number_digest=person.id_number_digest,
            id_number_masked=doctor.id_number_masked,
            kind=draft.kind,
            **draft.columns(),
        )
        try:
            with transaction.atomic():
                application.save()
        except IntegrityError:  # REG-5 held by the database: a concurrent request filed the same type
            raise ApplicationRefused(
                application_refusals(person=person, draft=draft)
                or [
                    TransitionRefused(
                        _("您已有一件同类业务正在办理中，不能重复申请。"), code="open_application_exists"
                    )
                ]
            ) from None
        event_record(
            application=application, action=Action.CREATE, actor=doctor, from_state="", to_state=State.DRAFT
        )
    else:
        application = (
            _doctor_scope(doctor)
            .select_for_update()
            .filter(pk=application_id, state__in=(State.DRAFT, State.RETURNED))
            .first()
        )
        if application is None:
            raise TransitionRefused(_("只有草稿或被退回的申请可以修改。"), code="not_editable")
        for name, value in draft.columns().items():
            setattr(application, name, value)
        application.version = F("version") + 1
        application.save()
        application.refresh_from_db()
    _save_scopes(application, draft)
    return application


@transaction.atomic
def application_submit(*, doctor, application_id: int) -> Application:
    """Submit a draft, or resubmit a returned application after amending it; the rules are checked again."""
    application = _doctor_scope(doctor).select_for_update().filter(pk=application_id).first()
    if application is None:
        raise TransitionRefused(STALE, code="not_found")
    _refuse_if_rules_fail(
        person=Person.of_user(doctor), draft=Draft.of(application), application_id=application.pk
    )
    action = Action.RESUBMIT if application.state == State.RETURNED else Action.SUBMIT
    return application_move(
        application_id=application_id,
        actor=doctor,
        action=action,
        scope=_doctor_scope(doctor),
        updates={"submitted_at": timezone.now()},
    )


def application_file(*, doctor, draft: Draft, application_id: int | None = None) -> Application:
    """Save and submit in one go (the form's 提交 button, the API's POST): nothing is kept if refused."""
    with transaction.atomic():
        application = application_save(doctor=doctor, draft=draft, application_id=application_id)
        return application_submit(doctor=doctor, application_id=application.pk)


@transaction.atomic
def application_withdraw(*, doctor, application_id: int, reason: str = "") -> Application:
    """The doctor withdraws before the institution acts (or gives up a returned application)."""
    return application_move(
        application_id=application_id,
        actor=doctor,
        action=Action.WITHDRAW,
        scope=_doctor_scope(doctor),
        reason=reason_clean(reason, required=False),
    )


# ------------------------------------------------------------------------------------ the institution


def _officer_scope(officer):
    return application_list_for(user=officer).filter(institution_id=officer.institution_id)


@transaction.atomic
def application_agree(*, officer, application_id: int, note: str = "") -> Application:
    """INS-6 同意: forward to the authority set for the doctor's category (INS-2); the time limit starts."""
    # Routing and the due date are set by application_move (application_routing) on entering AGREED.
    return application_move(
        application_id=application_id,
        actor=officer,
        action=Action.AGREE,
        scope=_officer_scope(officer),
        reason=reason_clean(note, required=False),
    )


@transaction.atomic
def application_disagree(*, officer, application_id: int, reason: str) -> Application:
    """INS-6 不同意, with the reason the doctor reads."""
    return application_move(
        application_id=application_id,
        actor=officer,
        action=Action.DISAGREE,
        scope=_officer_scope(officer),
        reason=reason_clean(reason),
        updates={"decided_at": timezone.now()},
    )


@transaction.atomic
def application_revoke(*, officer, application_id: int, reason: str = "") -> Application:
    """医师正在申办的业务列表 → 撤销: take back the agreement before the authority acts."""
    return application_move(
        application_id=application_id,
        actor=officer,
        action=Action.REVOKE,
        scope=_officer_scope(officer),
        reason=reason_clean(reason, required=False),
        updates={"agreed_at": None, "due_date": None},
    )
