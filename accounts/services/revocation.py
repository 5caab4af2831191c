"""INS-9 撤销医师账户: an institution revokes a wrongly registered doctor account; the doctor signs up again.

The account is deleted (its ID number is free for a new sign-up) and the practice records, keyed by name +
ID number and not by account, stay. The audit row keeps who revoked whom (masked), why and when.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from docregsys.exceptions import TransitionRefused
from docregsys.identity.normalize import normalize_text, refuse_invisible
from docregsys.messaging.models import Channel
from docregsys.messaging.services import message_enqueue

from ..models import AccountRevocation, User
from ..selectors import doctor_account_list_for

REASON_MAX = 200
NOT_HERE = _("该医师账户不属于本机构（需为主要执业机构在本院的有效注册医师），不能撤销。")
REASON_REQUIRED = _("请填写撤销原因。")
REASON_TOO_LONG = _("撤销原因不能超过200个字。")


def _reason(value: str) -> str:
    try:
        refuse_invisible(value, label=_("撤销原因"))
    except ValidationError as exc:
        raise TransitionRefused(exc.messages[0], code="invalid", field="reason") from None
    reason = normalize_text(value)
    if not reason:
        raise TransitionRefused(REASON_REQUIRED, code="required", field="reason")
    if len(reason) > REASON_MAX:
        raise TransitionRefused(REASON_TOO_LONG, code="max_length", field="reason")
    return reason


def doctor_account_revoke(*, officer: User, doctor: User, reason: str) -> AccountRevocation:
    """INS-9: delete one of the officer's doctors' accounts, with the audit row and a note to the doctor."""
    reason = _reason(reason)
    institution = officer.institution
    with transaction.atomic():
        # The lock makes a second, parallel revocation find nothing: one audit row, one deletion.
        locked = doctor_account_list_for(user=officer).select_for_update().filter(pk=doctor.pk).first()
        if locked is None:
            raise TransitionRefused(NOT_HERE, code="not_registered_here")
        revocation = AccountRevocation.objects.create(
            institution=institution,
            officer=officer,
            username=locked.username,
            real_name=locked.real_name,
            id_number_digest=locked.id_number_digest,
            id_number_masked=locked.id_number_masked,
            reason=reason,
        )
        text = str(
            _(
                "【医师电子化注册】您的医师账户（用户名 %(username)s）已由 %(institution)s 撤销，原因：%(reason)s。"
                "如需使用本系统，请重新注册。"
            )
            % {"username": locked.username, "institution": institution.name, "reason": reason}
        )
        if locked.phone_verified:
            message_enqueue(channel=Channel.SMS, destination=locked.phone, body=text)
        elif locked.email_verified:
            message_enqueue(
                channel=Channel.EMAIL,
                destination=locked.email,
                body=text,
                subject=str(_("医师电子化注册信息系统账户已撤销")),
            )
        locked._history_user = officer  # the User history's deletion row names the officer
        locked._change_reason = str(_("本院撤销医师账户"))
        locked.delete()
    return revocation
