"""The doctor's 业务申请 page in one step: the application, the files sent with it, and (提交) its filing.

The lifecycle itself is ``registrations.services.applications``; this only puts the form's three
calls — save, attach, submit — in one transaction, so a refusal keeps nothing: no application, no
attachment row and no file (the files are written before the rows, so they are removed by hand).
"""

from __future__ import annotations

from django.db import transaction

from docregsys.exceptions import TransitionRefused
from registrations.models import Application
from registrations.private_files import attachments
from registrations.rules import Draft
from registrations.services.applications import application_file, application_save, application_submit
from registrations.services.attachments import application_attachment_add


def application_apply(
    *,
    doctor,
    draft: Draft,
    uploads: list[tuple[str, object]] = (),
    application_id: int | None = None,
    submit: bool = True,
    field_of=lambda kind: "file",
) -> Application:
    """Save the doctor's application with its new attachments and, when `submit`, file it: all or nothing.

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
