"""APP-2: the authority's decision — 批准 applies every effect in one transaction (REG-7), 退回 sends it back.

The admin's confirmation pages, the API and the tests all call these two; none writes ``state``.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.services.activation import account_activate_on_approval
from docregsys.exceptions import TransitionRefused, refused_on
from docregsys.identity.normalize import normalize_prose, normalize_text, refuse_invisible
from docregsys.reference.models import Announcement, Region
from docregsys.reference.selectors import announcement_list_for, province_code_for
from printing.services import document_request
from registrations.models import Action, Kind, MaterialList, PracticeRecord, State
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


# ---------------------------------------------------------------------- SPEC §12: 申请材料清单 per province

MATERIAL_ITEM_MAX = 200


def _material_items(items) -> list[str]:
    cleaned = []
    for item in items:
        text = normalize_text(item)
        with refused_on("items"):
            refuse_invisible(text, label=_("材料名称"))
        if len(text) > MATERIAL_ITEM_MAX:
            raise TransitionRefused(
                _("每项材料不能超过%(limit)d个字。") % {"limit": MATERIAL_ITEM_MAX},
                code="max_length",
                field="items",
            )
        if text:
            cleaned.append(text)
    if not cleaned:
        raise TransitionRefused(_("请至少填写一项材料。"), code="required", field="items")
    limit = MaterialList._meta.get_field("items").max_length
    if len("\n".join(cleaned)) > limit:
        raise TransitionRefused(
            _("材料清单总长不能超过%(limit)d个字。") % {"limit": limit}, code="max_length", field="items"
        )
    return cleaned


def _refuse_material_writer(actor, province_code: str) -> None:
    """Lists are the province's word: its health commission (or the national level, the superuser) writes them."""
    scope = province_code_for(actor)
    level_ok = actor.is_superuser or (
        scope is not None and actor.authority_id and actor.authority.level in ("province", "national")
    )
    if not level_ok:
        raise TransitionRefused(
            _("申请材料清单由省级（或国家级）卫生健康行政部门设置。"), code="materials_forbidden"
        )
    if scope and scope != province_code:
        raise TransitionRefused(
            _("只能设置本省的申请材料清单。"), code="province_out_of_scope", field="province"
        )


def material_list_writable_by(*, actor, province_code: str) -> bool:
    """Whether the actor may write this province's lists (the admin's permission reads the service's rule)."""
    try:
        _refuse_material_writer(actor, province_code)
    except TransitionRefused:
        return False
    return True


@transaction.atomic
def material_list_set(*, actor, province_code: str, kind: str, items) -> MaterialList:
    """SPEC §12: the province's list for one business type, created or replaced (one history row)."""
    _refuse_material_writer(actor, province_code)
    if kind not in Kind.values:
        raise TransitionRefused(_("业务类型无效。"), code="invalid_kind", field="kind")
    if not Region.objects.filter(code=province_code, level=Region.Level.PROVINCE).exists():
        raise TransitionRefused(_("请选择省份。"), code="invalid_province", field="province")
    cleaned = _material_items(items)
    existing = MaterialList.objects.select_for_update().filter(province_id=province_code, kind=kind).first()
    materials = existing or MaterialList(province_id=province_code, kind=kind)
    materials.items = "\n".join(cleaned)
    materials._history_user = actor
    materials.save()
    return materials


@transaction.atomic
def material_list_delete(*, actor, materials: MaterialList) -> None:
    """SPEC §12: drop the province's list for a type; the default list applies again."""
    _refuse_material_writer(actor, materials.province_id)
    materials._history_user = actor
    materials.delete()


# ---------------------------------------------------------------------------------------- APP-3: 通告

ANNOUNCEMENT_NOT_YOURS = _("县（区）、市级审批机关只能修改或删除本机关发布的通告。")


def announcement_editable_by(*, actor, announcement: Announcement) -> bool:
    """A province's notice is the province's word: county and city bureaus edit only their own (as the admin)."""
    if actor.is_superuser:
        return True
    return announcement.authority_id == actor.authority_id or actor.authority.level in (
        "province",
        "national",
    )


def _announcement_cleaned(*, actor, values: dict) -> dict:
    cleaned = dict(values)
    # The publisher is the reviewer's own authority; only the superuser names one (or none).
    if "authority" in cleaned and not actor.is_superuser:
        raise TransitionRefused(
            _("发布机关为您所在的审批机关，不能更改。"), code="authority_fixed", field="authority"
        )
    if "title" in cleaned:
        title = normalize_text(cleaned["title"])
        with refused_on("title"):
            refuse_invisible(title, label=_("标题"))
        if not title:
            raise TransitionRefused(_("请输入标题。"), code="required", field="title")
        cleaned["title"] = title
    if "body" in cleaned:
        cleaned["body"] = normalize_prose(cleaned["body"])
    if "region" in cleaned:
        province = province_code_for(actor)
        region = cleaned["region"]
        if region is not None and region.level != Region.Level.PROVINCE:
            raise TransitionRefused(_("请选择省份。"), code="invalid_province", field="region")
        # A provincial or lower reviewer: their own province, never a nationwide notice.
        if province and (region is None or region.code != province):
            raise TransitionRefused(_("只能发布本省的通告。"), code="province_out_of_scope", field="region")
    return cleaned


def _refuse_bad_period(announcement: Announcement) -> None:
    if announcement.publish_until and announcement.publish_until <= announcement.publish_from:
        raise TransitionRefused(_("截止时间应晚于发布时间。"), code="invalid_period", field="publish_until")


@transaction.atomic
def announcement_create(*, actor, title: str, **values) -> Announcement:
    """APP-3 通告 of the reviewer's province (nationwide: national level and superuser); the publisher is the
    reviewer's authority."""
    province = province_code_for(actor)
    if province is None:
        raise TransitionRefused(_("只有审批人员可以发布通告。"), code="not_reviewer")
    if province and "region" not in values:
        values["region"] = Region.objects.get(code=province)
    cleaned = _announcement_cleaned(actor=actor, values={"title": title, **values})
    if not actor.is_superuser:
        cleaned["authority"] = actor.authority
    announcement = Announcement(**cleaned)
    _refuse_bad_period(announcement)
    announcement._history_user = actor
    announcement.save()
    return announcement


@transaction.atomic
def announcement_update(*, actor, announcement: Announcement, **changes) -> Announcement:
    """APP-3: change a notice in scope that the reviewer may edit (one history row)."""
    locked = announcement_list_for(user=actor).select_for_update().filter(pk=announcement.pk).first()
    if locked is None:
        raise TransitionRefused(_("该通告不存在或不在您的管理范围内。"), code="not_found")
    if not announcement_editable_by(actor=actor, announcement=locked):
        raise TransitionRefused(ANNOUNCEMENT_NOT_YOURS, code="announcement_not_yours")
    for field, value in _announcement_cleaned(actor=actor, values=changes).items():
        setattr(locked, field, value)
    _refuse_bad_period(locked)
    locked._history_user = actor
    locked.save()
    return locked


@transaction.atomic
def announcement_delete(*, actor, announcement: Announcement) -> None:
    """APP-3: delete a notice the reviewer may edit (its history rows keep it)."""
    if not announcement_editable_by(actor=actor, announcement=announcement):
        raise TransitionRefused(ANNOUNCEMENT_NOT_YOURS, code="announcement_not_yours")
    announcement._history_user = actor
    announcement.delete()
