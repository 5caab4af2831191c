"""ID-7: attachments of an application — decoded and checked, stored privately, only while it can be edited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from docregsys.exceptions import TransitionRefused
from docregsys.identity.normalize import normalize_text
from docregsys.identity.validators import validate_attachment

from ..models import Application, Attachment, State
from ..private_files import CONTENT_TYPES, attachments
from ..rules import Draft
from ..selectors import application_list_for
from .applications import application_file, application_save, application_submit

MAX_PER_APPLICATION = 20
EDITABLE = (State.DRAFT, State.RETURNED)
NOT_EDITABLE = _("只有草稿或被退回的申请可以添加或删除附件。")


def _editable(*, user, application_id: int) -> Application:
    application = (
        application_list_for(user=user)
        .select_for_update()
        .filter(pk=application_id, state__in=EDITABLE)
        .first()
    )
    if application is None:
        raise TransitionRefused(NOT_EDITABLE, code="not_editable", field="file")
    return application


def application_attachment_add(*, user, application_id: int, kind: str, upload) -> Attachment:
    """Check the upload by its content (JPG/PNG/PDF, size-limited) and attach it to a draft or returned application."""
    if kind not in Attachment.Kind.values:
        raise TransitionRefused(_("请选择材料类型。"), code="invalid_choice", field="kind")
    try:
        ext = validate_attachment(upload)
    except ValidationError as error:
        raise TransitionRefused(
            error.messages[0], code=error.code or "attachment_invalid", field="file"
        ) from None
    upload.seek(0)
    data = upload.read()
    name = attachments.store(data, ext)
    original = normalize_text(getattr(upload, "name", "") or "")[-100:] or f"附件.{ext}"
    try:
        with transaction.atomic():
            application = _editable(user=user, application_id=application_id)
            if application.attachments.count() >= MAX_PER_APPLICATION:
                raise TransitionRefused(
                    _("每件申请最多上传%(n)d个附件。") % {"n": MAX_PER_APPLICATION},
                    code="too_many",
                    field="file",
                )
            return Attachment.objects.create(
                application=application,
                kind=kind,
                stored_name=name,
                original_name=original,
                content_type=CONTENT_TYPES[ext],
                size=len(data),
                uploaded_by=user,
            )
    except BaseException:
        attachments.delete(name)  # nothing refers to it: no orphan file
        raise


@transaction.atomic
def application_attachment_remove(*, user, application_id: int, attachment_id: int) -> None:
    """Remove an attachment of a draft or returned application (the file goes after commit)."""
    application = _editable(user=user, application_id=application_id)
    attachment = application.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise TransitionRefused(_("附件不存在。"), code="not_found")
    name = attachment.stored_name
    attachment.delete()
    transaction.on_commit(lambda: attachments.delete(name))


# ------------------------------------------------------------------------ the form's save + attach + submit


def application_apply(
    *,
    doctor,
    draft: Draft,
    uploads: list[tuple[str, object]] = (),
    application_id: int | None = None,
    submit: bool = True,
    field_of=lambda kind: "file",
) -> Application:
    """The 业务申请 page in one step: save the doctor's application with its new attachments and, when
    `submit`, file it — all or nothing (the files are written before the rows, so a refusal removes them).

    A refused attachment names the form field it came from (`field_of(attachment kind)`).
    """
    if not uploads:
        if submit:
            return application_file(doctor=doctor, draft=draft, application_id=application_id)
        return application_save(doctor=doctor, draft=draft, application_id=application_id)
    stored: list[str] = []
    try:
        with transaction.atomic():
            application = application_save(doctor=doctor, draft=draft, application_id=application_id)
            for kind, upload in uploads:
                try:
                    attachment = application_attachment_add(
                        user=doctor, application_id=application.pk, kind=kind, upload=upload
                    )
                except TransitionRefused as refusal:
                    if refusal.field == "file":
                        refusal.field = field_of(kind)
                    raise
                stored.append(attachment.stored_name)
            if submit:
                application = application_submit(doctor=doctor, application_id=application.pk)
    except BaseException:
        for name in stored:  # their rows were rolled back: no orphan file
            attachments.delete(name)
        raise
    return application
