"""APP-2: the authority's decision — 批准 applies every effect in one transaction (REG-7), 退回 sends it back.

The admin's confirmation pages, the API and the tests all call these two; none writes ``state``.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from accounts.services.activation import account_activate_on_approval
from docregsys.exceptions import TransitionRefused
from printing.services import document_request
from registrations.models import Action, Kind, PracticeRecord, State
from registrations.selectors import application_decidable_for
from registrations.services.applications import (
    STALE,
    ApplicationRefused,
    application_move,
    reason_clean,
)
from registrations.services.effects import application_effects_apply

from .selectors import application_approval_refusals

# ACC-5d: an approved 注册 or 变更 activates an account that was never activated.
ACTIVATING_KINDS = (Kind.REGISTER, Kind.CHANGE, Kind.MILITARY_IN)
# 证书补办: a new 证照编号 even though the record is unchanged, so the lost certificate stops verifying.
REISSUING_KINDS = (Kind.REISSUE,)

logger = logging.getLogger(__name__)


def certificate_issue(*, record_id: int, requested_by=None, force: bool = False) -> None:
    """PRN-3 / REG-7: the valid record's electronic certificate, asked for after the approval committed.

    Unchanged data reuses the current certificate; changed data (or `force`) supersedes it. A record that is
    no longer 有效 gets none (its last certificate stays and checks as invalid). The render runs in the worker.
    """
    record = PracticeRecord.objects.filter(pk=record_id, state=PracticeRecord.State.VALID).first()
    if record is None:
        return
    try:
        document_request(kind="certificate", subject=record, requested_by=requested_by, force=force)
    except Exception:  # noqa: BLE001 - the approval stands; the doctor's page asks again on the next view
        logger.exception("certificate of record %s could not be requested", record_id)


@transaction.atomic
def application_approve(*, reviewer, application_id: int):
    """批准: lock the application, re-check the rules against today's records, apply the effects, log, notify.

    The row lock makes a second approval (another reviewer, a double click) wait and then find the
    application approved: one effect, one log row, one certificate number.
    """
    scope = application_decidable_for(user=reviewer)
    application = (
        scope.select_for_update(of=("self",))
        .select_related("doctor", "institution", "authority", "record")
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        raise TransitionRefused(STALE, code="not_found")
    if application.state != State.AGREED:
        raise TransitionRefused(STALE, code="wrong_state")
    refusals = application_approval_refusals(application)
    if refusals:
        raise ApplicationRefused(refusals)
    record = application_effects_apply(application=application, reviewer=reviewer)
    moved = application_move(
        application_id=application_id,
        actor=reviewer,
        action=Action.APPROVE,
        scope=scope,
        updates={"decided_at": timezone.now(), "result_record": record},
    )
    if application.kind in ACTIVATING_KINDS and application.doctor_id:
        account_activate_on_approval(user=application.doctor)
    if record is not None:
        force = application.kind in REISSUING_KINDS
        transaction.on_commit(
            lambda: certificate_issue(record_id=record.pk, requested_by=reviewer, force=force)
        )
    return moved


@transaction.atomic
def application_return(*, reviewer, application_id: int, reason: str):
    """退回, with the reason the doctor reads; the doctor (or the institution, INS-10) amends and resubmits."""
    return application_move(
        application_id=application_id,
        actor=reviewer,
        action=Action.RETURN,
        scope=application_decidable_for(user=reviewer),
        reason=reason_clean(reason),
        updates={"decided_at": timezone.now()},
    )
