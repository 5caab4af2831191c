"""INS-3 and 我的科室 (REG-8): which department of the main institution a doctor works in.

It lives in accounts because the rule needs the doctor's account: only activated doctors are assigned,
by their institution's officer or by themselves.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from docregsys.exceptions import TransitionRefused
from institutions.models import Department
from registrations.models import PracticeRecord, RecordChange
from registrations.selectors import practice_record_list_for
from registrations.services.changes import record_change_write

from ..models import User

RECORD_NOT_HERE = _("该医师的执业注册不在本机构，或已不是有效状态。")
NOT_ACTIVATED = _("只有已激活的医师才能修改其所在科室信息。")
DEPARTMENT_NOT_HERE = _("请选择医师主要执业机构的科室。")
NOT_ALLOWED = _("只有医疗机构管理员和医师本人可以设置所在科室。")


def _records_of(actor: User):
    """The records the actor may assign: the officer's institution's, or the doctor's own valid ones."""
    if actor.is_superuser:
        return None
    if actor.is_officer and actor.institution_id:
        return practice_record_list_for(user=actor)
    if actor.is_doctor and actor.id_number_digest:
        return PracticeRecord.objects.filter(
            id_number_digest=actor.id_number_digest, real_name=actor.real_name
        )
    return None


def doctor_activated(record: PracticeRecord) -> bool:
    """Whether the doctor of this record has an activated account (name and ID number match)."""
    return User.objects.filter(
        role=User.Role.DOCTOR,
        id_number_digest=record.id_number_digest,
        real_name=record.real_name,
        activated_at__isnull=False,
    ).exists()


@transaction.atomic
def doctor_department_set(*, actor: User, record: PracticeRecord, department: Department) -> PracticeRecord:
    """INS-3 / 我的科室: put an activated doctor's valid record in a department of its main institution."""
    records = _records_of(actor)
    if records is None:
        raise TransitionRefused(NOT_ALLOWED, code="not_allowed")
    locked = (
        records.select_for_update()
        .filter(pk=record.pk, state=PracticeRecord.State.VALID, id_number_digest__gt="")
        .first()
    )
    if locked is None:
        raise TransitionRefused(RECORD_NOT_HERE, code="record_not_here")
    if not (actor.is_activated if actor.is_doctor else doctor_activated(locked)):
        raise TransitionRefused(NOT_ACTIVATED, code="not_activated")
    # Locked so that a department being deleted (department_delete) is not given a doctor meanwhile.
    target = (
        Department.objects.select_for_update()
        .filter(pk=getattr(department, "pk", None), institution_id=locked.main_institution_id)
        .first()
    )
    if target is None:
        raise TransitionRefused(DEPARTMENT_NOT_HERE, code="department_not_here", field="department")
    if locked.department_id == target.pk:
        return locked  # already there: no history row
    locked.department = target
    locked._history_user = actor
    locked.save(update_fields=["department"])
    record_change_write(record=locked, kind=RecordChange.Kind.CHANGED)
    return locked
