"""Writes of the qualifications area: queueing an uploaded exam-centre file for the worker (QUA-3)."""

import logging
import uuid
from pathlib import PurePosixPath

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from .models import ImportBatch

logger = logging.getLogger(__name__)


def import_batch_enqueue(*, kind: str, upload, user) -> ImportBatch:
    """Store the upload where the worker can read it, record the batch, and queue it after commit.

    Without Redis the task runs in-process at commit, so the batch is finished when this returns.
    """
    suffix = PurePosixPath(upload.name).suffix.lower()[:8]
    path = default_storage.save(f"imports/{uuid.uuid4().hex}{suffix}", upload)
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            kind=kind, filename=upload.name[:200], started_by=user, upload_path=path
        )
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
