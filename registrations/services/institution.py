"""INS-10 (REG-3): what an institution files itself — 注册备案, 注销 and 机构更名变更 — straight to its authority.

The institution is the applicant, so there is no review of its own: the application is created agreed
(the log holds CREATE, SUBMIT and AGREE, all the officer's), routed to the authority of the institution's
审批机关设置 and given its due date. Revoking it withdraws it (``target_of``); a returned one is amended
and resubmitted straight to the authority (RETURNED → AGREED).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from docregsys.exceptions import TransitionRefused
from docregsys.messaging.models import Channel
from docregsys.messaging.services import message_enqueue
from docregsys.reference.models import Category
from docregsys.reference.selectors import is_officer
from institutions.models import Institution, InstitutionAuthority

from ..models import (
    INSTITUTION_KINDS,
    OPEN_STATES,
    Action,
    Application,
    Initiator,
    Kind,
    PracticeRecord,
    State,
)
from ..rules import SUBMIT, Draft, Person, application_refusals
from ..selectors import application_list_for
from .applications import (
    STALE,
    ApplicationRefused,
    _clean_texts,
    application_move,
    application_routing,
    event_record,
    reason_clean,
)

NOT_HERE = _("该医师的有效执业注册不在本机构，不能为其申请。")
# What the institution may change when it amends a returned application.
AMENDABLE = ("filing_reason", "deregistration_reason", "new_institution_name", "statement")


def institution_record_for(*, officer, record_id: int) -> PracticeRecord | None:
    """A valid practice record whose main institution is the officer's (INS-10 acts on no other)."""
    if not is_officer(officer):
        return None
    return (
        PracticeRecord.objects.filter(
            pk=record_id, main_institution_id=officer.institution_id, state=PracticeRecord.State.VALID
        )
        .select_related("main_institution", "authority", "location")
        .first()
    )


def _doctor_account(record: PracticeRecord):
    """The doctor's account, when one was opened for this person (name and ID-number digest)."""
    if not record.id_number_digest:
        return None
    return (
        get_user_model()
        .objects.filter(role="doctor", id_number_digest=record.id_number_digest, real_name=record.real_name)
        .first()
    )


def _routing_category(institution: Institution) -> str:
    """机构更名变更 concerns no one doctor: it goes to the authority set for the first category that has one."""
    set_for = set(
        InstitutionAuthority.objects.filter(institution=institution).values_list("category", flat=True)
    )
    return next((category for category in Category.values if category in set_for), "")


def _check(*, institution: Institution, draft: Draft, record: PracticeRecord | None, application_id=None):
    """The institution's own conditions, before the shared rules (REG-5 and the type's rules)."""
    if draft.kind not in INSTITUTION_KINDS:
        raise TransitionRefused(_("医疗机构不能申请这类业务。"), code="invalid_kind")
    if draft.kind == Kind.RENAME:
        name = draft.new_institution_name
        if not name:
            raise TransitionRefused(
                _("请填写变更后的机构名称。"), code="name_required", field="new_institution_name"
            )
        if name == institution.name:
            raise TransitionRefused(
                _("变更后的名称与现名称相同。"), code="same_name", field="new_institution_name"
            )
        others = Application.objects.filter(
            institution=institution, kind=Kind.RENAME, state__in=OPEN_STATES
        ).exclude(pk=application_id)
        if others.exists():
            raise TransitionRefused(
                _("本机构已有一件“机构更名变更”正在办理中，办结或撤销后才能再次申请。"),
                code="open_application_exists",
            )
        return
    if (
        record is None
        or record.main_institution_id != institution.pk
        or record.state != PracticeRecord.State.VALID
    ):
        raise TransitionRefused(NOT_HERE, code="record_not_here")
    if draft.kind == Kind.ARCHIVE and draft.filing_reason is None:
        raise TransitionRefused(_("请选择备案情形。"), code="reason_required", field="filing_reason")
    if draft.kind == Kind.DEREGISTER and draft.deregistration_reason is None:
        raise TransitionRefused(_("请选择注销情形。"), code="reason_required", field="deregistration_reason")


def _person(application_or_record, institution: Institution) -> Person:
    if application_or_record is None:
        return Person(real_name=institution.name[:28], id_number_digest="")
    return Person(
        real_name=application_or_record.real_name, id_number_digest=application_or_record.id_number_digest
    )


def _rules(*, person: Person, draft: Draft, application_id=None) -> None:
    refusals = application_refusals(person=person, draft=draft, stage=SUBMIT, application_id=application_id)
    if refusals:
        raise ApplicationRefused(refusals)


FILED_MESSAGE = _("%(inst)s已为您提交“%(kind)s”申请（%(reason)s），已提交%(auth)s审批。")


def _notify_filed(application: Application) -> None:
    """Tell the doctor concerned (if they have an account with a verified channel) what was filed about them."""
    doctor = application.doctor
    if doctor is None:
        return
    if doctor.phone_verified:
        channel, destination = Channel.SMS, doctor.phone
    elif doctor.email_verified:
        channel, destination = Channel.EMAIL, doctor.email
    else:
        return
    reason = application.filing_reason or application.deregistration_reason
    body = str(FILED_MESSAGE) % {
        "inst": application.institution.name,
        "kind": application.get_kind_display(),
        "reason": reason.name if reason else "",
        "auth": application.authority.name,
    }
    subject = gettext("医师电子化注册信息系统：业务办理进度") if channel == Channel.EMAIL else ""
    message_enqueue(channel=channel, destination=destination, body=body, subject=subject)


@transaction.atomic
def application_institution_file(
    *, officer, draft: Draft, record: PracticeRecord | None = None
) -> Application:
    """INS-10 申请备案 / 申请注销 / 机构更名变更: filed by the officer's institution, straight to its authority."""
    if not is_officer(officer):
        raise TransitionRefused(_("只有医疗机构可以申请此业务。"), code="not_officer")
    # The institution's row lock serialises two filings of one institution (机构更名变更 has no person whose
    # open application the database's REG-5 constraint could hold to one).
    institution = Institution.objects.select_for_update().get(pk=officer.institution_id)
    draft = _clean_texts(draft)
    draft.institution = institution
    if draft.kind == Kind.RENAME:
        record = None
    elif record is not None:  # today's record, held until commit: a concurrent 注销 cannot slip between
        record = PracticeRecord.objects.select_for_update().filter(pk=record.pk).first()
    draft.record = record
    _check(institution=institution, draft=draft, record=draft.record)
    if draft.kind == Kind.RENAME:
        draft.category = _routing_category(institution)
    person = _person(draft.record, institution)
    _rules(person=person, draft=draft)
    application = Application(
        kind=draft.kind,
        initiator=Initiator.INSTITUTION,
        doctor=_doctor_account(draft.record) if draft.record else None,
        real_name=person.real_name,
        id_number_digest=person.id_number_digest,
        id_number_masked=draft.record.id_number_masked if draft.record else "",
        state=State.AGREED,
        **draft.columns(),
    )
    now = timezone.now()
    for name, value in application_routing(application, now=now).items():  # authority, agreed_at, due date
        setattr(application, name, value)
    application.submitted_at = now
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:  # REG-5 held by the database: an open application of this type exists
        raise TransitionRefused(
            _("该医师已有一件同类业务正在办理中，不能重复申请。"), code="open_application_exists"
        ) from None
    for action, source, target in (
        (Action.CREATE, "", State.DRAFT),
        (Action.SUBMIT, State.DRAFT, State.SUBMITTED),
        (Action.AGREE, State.SUBMITTED, State.AGREED),
    ):
        event_record(
            application=application, action=action, actor=officer, from_state=source, to_state=target
        )
    _notify_filed(application)
    return application


def institution_filing_list_for(*, user):
    """备案注销申请情况列表: what the officer's institution filed itself (INS-10), newest first."""
    if not is_officer(user):
        return Application.objects.none()
    return application_list_for(user=user).filter(
        initiator=Initiator.INSTITUTION, institution_id=user.institution_id
    )


@transaction.atomic
def application_institution_resubmit(
    *, officer, application_id: int, draft: Draft | None = None
) -> Application:
    """Amend (reason, statement, new name) and resubmit a returned INS-10 application straight to the authority."""
    scope = institution_filing_list_for(user=officer)
    application = (
        scope.select_for_update(of=("self",))
        .select_related("institution", "record")
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        raise TransitionRefused(STALE, code="not_found")
    if application.state != State.RETURNED:
        raise TransitionRefused(STALE, code="wrong_state")
    if draft is not None:
        draft = _clean_texts(draft)
        for name in AMENDABLE:
            setattr(application, name, getattr(draft, name))
    current = Draft.of(application)
    _check(
        institution=application.institution,
        draft=current,
        record=application.record,
        application_id=application.pk,
    )
    _rules(
        person=_person(application if application.record_id else None, application.institution),
        draft=current,
        application_id=application.pk,
    )
    if draft is not None:
        application.version = F("version") + 1
        application.save(update_fields=[*AMENDABLE, "version"])
    # Re-entering 卫健委审批中, application_move routes it again and restarts the clock (application_routing);
    # without an authority it refuses, and the amendment above rolls back with it.
    return application_move(
        application_id=application_id,
        actor=officer,
        action=Action.RESUBMIT,
        scope=scope,
        updates={"submitted_at": timezone.now()},
    )


@transaction.atomic
def application_institution_withdraw(*, officer, application_id: int, reason: str = "") -> Application:
    """Give up a returned INS-10 application instead of resubmitting it (it no longer blocks a new filing)."""
    return application_move(
        application_id=application_id,
        actor=officer,
        action=Action.WITHDRAW,
        scope=institution_filing_list_for(user=officer).filter(state=State.RETURNED),
        reason=reason_clean(reason, required=False),
    )
