"""Asking for a document and rendering it (PRN-2): reuse while the data is unchanged, render in the worker."""

from __future__ import annotations

import datetime
import logging
import os
import time

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from registrations.private_files import PrivateStore

from .engine import render_pdf
from .kinds import content_hash, kind_of
from .models import Document
from .signing import sign_pdf

logger = logging.getLogger(__name__)

documents = PrivateStore("documents", ("pdf",))

# Only for the worker-kill test (tests/printing/test_worker_kill.py): a pause inside the render, so the
# test can SIGKILL the worker mid-job. Never set in production.
_TEST_RENDER_DELAY = float(os.environ.get("PRINTING_TEST_RENDER_DELAY", "0") or 0)


def _current(kind_name: str, subject, *, lock: bool = False) -> Document | None:
    kind = kind_of(kind_name)
    rows = Document.objects.filter(
        kind=kind_name, superseded_at__isnull=True, **{kind.subject_field: subject}
    )
    if lock:
        rows = rows.select_for_update()
    return rows.first()


def document_request(
    *, kind: str, subject, requested_by=None, institution=None, force: bool = False
) -> Document:
    """The subject's current document for its data as it stands now, queued for the worker when new.

    Unchanged data: the existing document (rendered once, downloaded many times). Changed data: the old
    document is superseded (its code no longer verifies) and a new one with a new code is queued.
    Callers scope `subject` to the asker first; this function does not check who asks. `force` makes a
    new document with a new code even for unchanged data (证书补办: the old code must stop verifying).
    """
    spec = kind_of(kind)
    digest = content_hash(spec, subject)
    # The common case, a download of what was already made for this data, reads without locking: no
    # transaction, no row lock, so many downloads of one document never queue behind each other
    # (benches/render_forms.py (c)). Anything else takes the locks below and decides again.
    current = _current(kind, subject)
    if (
        not force
        and current is not None
        and current.content_hash == digest
        and current.state != Document.State.FAILED
    ):
        return current
    with transaction.atomic():
        # Serialise requests for one subject: two clicks make one document, never two current ones.
        list(type(subject).objects.select_for_update().filter(pk=subject.pk).values_list("pk", flat=True))
        current = _current(kind, subject, lock=True)
        if current is not None and current.content_hash == digest and not force:
            if current.state == Document.State.FAILED:
                Document.objects.filter(pk=current.pk).update(state=Document.State.QUEUED, failure="")
                current.state = Document.State.QUEUED
                transaction.on_commit(lambda: _queue(current.pk))
            return current
        now = timezone.now()
        if current is not None:
            Document.objects.filter(pk=current.pk).update(superseded_at=now)
        document = Document.objects.create(
            kind=kind,
            content_hash=digest,
            requested_by=requested_by,
            institution=institution,
            **{spec.subject_field: subject},
        )
        transaction.on_commit(lambda: _queue(document.pk))
    return document


def _queue(document_id: int) -> None:
    from .tasks import document_render_task

    try:
        document_render_task.delay(document_id=document_id)
    except Exception:  # noqa: BLE001 - broker down: the periodic requeue picks the job up again
        logger.exception("document %s could not be queued; the requeue task will retry", document_id)


def document_render(*, document_id: int) -> Document | None:
    """Render, sign and store one queued document; idempotent (a finished one is left alone, a redelivered
    one overwrites the same file)."""
    claimed = Document.objects.filter(
        pk=document_id, state__in=[Document.State.QUEUED, Document.State.RENDERING]
    ).update(state=Document.State.RENDERING)
    if not claimed:
        return None
    document = Document.objects.select_related("application", "record", "exam_result").get(pk=document_id)
    spec = kind_of(document.kind)
    subject = getattr(document, spec.subject_field)
    started = time.perf_counter()
    try:
        with translation.override("zh-hans"):
            html = render_to_string(spec.template, spec.context(subject, document))
            pdf = sign_pdf(render_pdf(html, stylesheet=spec.stylesheet), reason=spec.reason(document))
        if _TEST_RENDER_DELAY:
            time.sleep(_TEST_RENDER_DELAY)
        documents.write(f"{document.file_key}.pdf", pdf)
    except Exception as exc:
        logger.exception("document %s failed to render", document_id)
        Document.objects.filter(pk=document_id).update(
            state=Document.State.FAILED, failure=type(exc).__name__[:200]
        )
        return None
    Document.objects.filter(pk=document_id).update(
        state=Document.State.DONE,
        size=len(pdf),
        rendered_at=timezone.now(),
        render_ms=round((time.perf_counter() - started) * 1000),
    )
    document.refresh_from_db()
    return document


def document_requeue_stale(*, older_than_seconds: int = 120) -> int:
    """Queue again the documents whose kick was lost (broker down at commit); returns how many."""
    cutoff = timezone.now() - datetime.timedelta(seconds=older_than_seconds)
    ids = list(
        Document.objects.filter(state=Document.State.QUEUED, created_at__lt=cutoff).values_list(
            "pk", flat=True
        )[:500]
    )
    for document_id in ids:
        _queue(document_id)
    return len(ids)
