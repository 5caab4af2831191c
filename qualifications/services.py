"""Writes of the qualifications area: importing the exam centre's files (QUA-3), audited exact lookups (APP-5)."""

import logging
import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from docregsys.exceptions import TransitionRefused

from .models import ImportBatch
from .selectors import import_allowed_for

logger = logging.getLogger(__name__)


def _import_refusal(*, kind: str, upload, user) -> TransitionRefused | None:
    """Why this user may not import this file (QUA-3), or None: the role first, then the file itself."""
    if not import_allowed_for(user=user):
        return TransitionRefused(
            _("只有国家级、省级审核人员和超级管理员可以导入考试中心数据。"), code="import_forbidden"
        )
    if kind not in ImportBatch.Kind.values:
        return TransitionRefused(_("数据类型无效。"), code="import_kind", field="kind")
    limit = settings.IMPORT_MAX_UPLOAD_BYTES
    if upload.size is None or upload.size > limit:
        return TransitionRefused(
            _("文件不能超过%(mb)sMB。") % {"mb": limit // (1024 * 1024)},
            code="import_too_large",
            field="file",
        )
    from .importing import ImportRefused, check_upload

    try:
        check_upload(upload)  # the type is decoded from the content, never trusted from the name
    except ImportRefused as exc:
        return TransitionRefused(str(exc), code="import_not_a_table", field="file")
    return None


def import_batch_enqueue(*, kind: str, upload, user, run_now: bool = False, progress=None) -> ImportBatch:
    """Check who imports what (QUA-3), store the upload, record the batch and queue it after commit.

    Without Redis the task runs in-process at commit, so the batch is finished when this returns.
    `run_now` (the management command) imports in this process instead, reporting `progress`.
    """
    refusal = _import_refusal(kind=kind, upload=upload, user=user)
    if refusal is not None:
        raise refusal
    filename = PurePosixPath(upload.name).name[:200]
    if run_now:
        from .importing import records_import

        batch = ImportBatch.objects.create(kind=kind, filename=filename, started_by=user)
        return records_import(
            kind=kind, fh=upload, filename=filename, user=user, progress=progress, batch=batch
        )
    suffix = PurePosixPath(upload.name).suffix.lower()[:8]
    upload.seek(0)
    path = default_storage.save(f"imports/{uuid.uuid4().hex}{suffix}", upload)
    with transaction.atomic():
        batch = ImportBatch.objects.create(kind=kind, filename=filename, started_by=user, upload_path=path)
        transaction.on_commit(lambda: _queue(batch.pk))
    batch.refresh_from_db()
    return batch


def _queue(batch_id: int) -> None:
    from .tasks import import_batch_run

    try:
        import_batch_run.delay(batch_id=batch_id)
    except Exception:  # noqa: BLE001 - the broker is down: the batch says so instead of a 500
        logger.exception("import batch %s could not be queued", batch_id)
        ImportBatch.objects.filter(pk=batch_id, status=ImportBatch.Status.RUNNING).update(
            status=ImportBatch.Status.FAILED,
            failure="任务队列暂时不可用，文件未导入，请稍后重新上传。",
            finished_at=timezone.now(),
        )


def import_batch_run(*, batch_id: int) -> ImportBatch | None:
    """Run a queued batch once: a batch already finished (a redelivered task) is left alone."""
    from .importing import records_import

    batch = (
        ImportBatch.objects.filter(pk=batch_id, status=ImportBatch.Status.RUNNING)
        .select_related("started_by")
        .first()
    )
    if batch is None or not batch.upload_path:
        return None
    with default_storage.open(batch.upload_path, "rb") as fh:
        batch = records_import(
            kind=batch.kind, fh=fh, filename=batch.filename, user=batch.started_by, batch=batch
        )
    default_storage.delete(batch.upload_path)
    return batch
