"""REG-8 信息维护 and INS-7 本院医师信息审核: a doctor's requested changes and the institution's decision.

Nothing the doctor submits touches a practice record until the institution approves; the exam centre's
qualification record is never changed (the approval copies onto the practice records only).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from docregsys.exceptions import TransitionRefused
from docregsys.identity.normalize import has_invisible, normalize_prose, normalize_text
from docregsys.identity.validators import photo_clean
from docregsys.messaging.models import Channel
from docregsys.messaging.services import message_enqueue
from docregsys.reference.models import Title

from ..models import ProfileChange, RecordChange
from ..photos import photo_delete, photo_store
from ..selectors import doctor_valid_records, profile_change_list_for
from .changes import record_change_write

# 学历: seed 002 §2.3 and the exam centre's 报考学历 (seed 004: 本科长学制, 无学历 for 师承/确有专长).
EDUCATION_LEVELS = ("中专", "大专", "本科", "本科长学制", "硕士研究生", "博士研究生", "无学历")
FIELD_LIMITS = {"education": 20, "school": 100, "major": 60, "title": 20}
REASON_MAX_LENGTH = 200


def _refuse_without_record(*, doctor, institution) -> None:
    if (
        institution is None
        or not doctor_valid_records(doctor=doctor).filter(main_institution=institution).exists()
    ):
        raise TransitionRefused(
            _("您没有有效的执业注册，信息修改需由您的主要执业机构审核，暂不能提交。"), code="no_valid_record"
        )


def _text(value, field: str, *, required: bool = True) -> str:
    value = normalize_text(value or "")
    if has_invisible(value):
        raise TransitionRefused(
            _("含有看不见的特殊字符（如零宽字符或方向控制符），请删除后重新输入。"),
            code="invisible_characters",
            field=field,
        )
    if required and not value:
        raise TransitionRefused(_("此项为必填项。"), code="required", field=field)
    if len(value) > FIELD_LIMITS[field]:
        raise TransitionRefused(
            _("不能超过%(n)d个字。") % {"n": FIELD_LIMITS[field]}, code="too_long", field=field
        )
    return value


def _pending_for_update(doctor) -> ProfileChange | None:
    return (
        ProfileChange.objects.select_for_update()
        .filter(doctor=doctor, state=ProfileChange.State.PENDING)
        .first()
    )


def _save_pending(*, doctor, institution, values: dict) -> tuple[ProfileChange, str]:
    """Update the doctor's pending change with `values` or create it; returns (change, the replaced photo)."""
    pending = _pending_for_update(doctor)
    replaced = ""
    if pending is None:
        try:
            with transaction.atomic():
                return ProfileChange.objects.create(doctor=doctor, institution=institution, **values), ""
        except IntegrityError:  # another request created the pending one first: update it instead
            pending = _pending_for_update(doctor)
            if pending is None:
                raise TransitionRefused(_("请稍后重试。"), code="busy") from None
    if values.get("photo") and pending.photo:
        replaced = pending.photo
    pending.institution = institution
    for key, value in values.items():
        setattr(pending, key, value)
    pending._history_user = doctor
    pending.save()
    return pending, replaced


def profile_change_submit(*, doctor, institution, education, school, major, title) -> ProfileChange:
    """REG-8 信息修改: ask for new 学历/毕业学校/所学专业/任职资格, pending the main institution's review."""
    _refuse_without_record(doctor=doctor, institution=institution)
    values = {
        "education": _text(education, "education"),
        "school": _text(school, "school"),
        "major": _text(major, "major"),
        "title": _text(title, "title", required=False),
        "info_changed": True,
    }
    if values["education"] not in EDUCATION_LEVELS:
        raise TransitionRefused(_("请从列表中选择学历。"), code="invalid_choice", field="education")
    if values["title"] and not Title.objects.filter(name=values["title"]).exists():
        raise TransitionRefused(_("请从列表中选择任职资格。"), code="invalid_choice", field="title")
    with transaction.atomic():
        change, _replaced = _save_pending(doctor=doctor, institution=institution, values=values)
    return change


def profile_photo_submit(*, doctor, institution, data) -> ProfileChange:
    """REG-8 上传相片: a checked, re-encoded photo (no EXIF) replaces the pending one ("重复上传将覆盖")."""
    _refuse_without_record(doctor=doctor, institution=institution)
    try:
        content, ext = photo_clean(data)
    except ValidationError as error:
        raise TransitionRefused(
            error.messages[0], code=error.code or "photo_invalid", field="photo"
        ) from None
    name = photo_store(content, ext)
    try:
        with transaction.atomic():
            change, replaced = _save_pending(doctor=doctor, institution=institution, values={"photo": name})
            if replaced:
                transaction.on_commit(lambda: photo_delete(replaced))
    except BaseException:
        photo_delete(name)  # nothing refers to it: no orphan file
        raise
    return change


def _notify(change: ProfileChange, text) -> None:
    doctor = change.doctor
    if doctor.phone_verified:
        channel, destination = Channel.SMS, doctor.phone
    elif doctor.email_verified:
        channel, destination = Channel.EMAIL, doctor.email
    else:
        return
    subject = gettext("医师电子化注册信息系统：信息修改审核结果") if channel == Channel.EMAIL else ""
    message_enqueue(channel=channel, destination=destination, body=str(text), subject=subject)


def _decide(*, officer, change: ProfileChange, state: str, reason: str = "") -> ProfileChange:
    now = timezone.now()
    rows = (
        profile_change_list_for(user=officer)
        .filter(pk=change.pk, state=ProfileChange.State.PENDING)
        .update(state=state, reason=reason, reviewed_by=officer, reviewed_at=now, updated_at=now)
    )
    if rows != 1:  # another officer decided first, or it is not this institution's
        raise TransitionRefused(_("该信息修改已审核过，或不属于本机构。"), code="not_pending")
    change.refresh_from_db()
    ProfileChange.history.bulk_history_create(
        [change], update=True, default_user=officer, default_change_reason=change.get_state_display()
    )
    return change


NO_RECORD_HERE = _("该医师在本机构已无有效的执业注册，不能审核通过；请选择“不通过”并说明原因。")


@transaction.atomic
def profile_change_approve(*, officer, change: ProfileChange) -> ProfileChange:
    """INS-7 审核通过: the values and photo go onto every valid practice record of the doctor, with history.

    Refused when the doctor no longer holds a valid registration with this institution as main institution
    (moved, filed or deregistered since asking): the institution that reviews must still be theirs.
    """
    records = list(doctor_valid_records(doctor=change.doctor).select_for_update())
    if not any(record.main_institution_id == change.institution_id for record in records):
        raise TransitionRefused(NO_RECORD_HERE, code="no_valid_record_here")
    change = _decide(officer=officer, change=change, state=ProfileChange.State.APPROVED)
    fields = ["info_reviewed_at"]
    if change.info_changed:
        fields += ["education", "school", "major", "title"]
    if change.photo:
        fields.append("photo")
    for record in records:
        for name in fields:
            setattr(record, name, change.reviewed_at if name == "info_reviewed_at" else getattr(change, name))
        record._history_user = officer
        record._change_reason = gettext("信息修改审核通过")
        record.save(update_fields=fields)
        record_change_write(record=record, kind=RecordChange.Kind.CHANGED)
    _notify(
        change,
        _("您提交的个人信息修改已由%(inst)s审核通过，已更新到您的执业注册信息。")
        % {"inst": change.institution.name},
    )
    return change


@transaction.atomic
def profile_change_reject(*, officer, change: ProfileChange, reason: str) -> ProfileChange:
    """INS-7 不通过: the change is closed with the reason; the practice records stay as they are."""
    reason = normalize_prose(reason)
    if not reason:
        raise TransitionRefused(_("请填写不通过的原因。"), code="reason_required", field="reason")
    if len(reason) > REASON_MAX_LENGTH:
        raise TransitionRefused(
            _("不能超过%(n)d个字。") % {"n": REASON_MAX_LENGTH}, code="too_long", field="reason"
        )
    change = _decide(officer=officer, change=change, state=ProfileChange.State.REJECTED, reason=reason)
    _notify(
        change,
        _("您提交的个人信息修改未通过%(inst)s审核，原因：%(reason)s")
        % {"inst": change.institution.name, "reason": reason},
    )
    return change
