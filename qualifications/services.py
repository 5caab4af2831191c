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
from docregsys.identity.crypto import id_number_digest, mask_id_number, normalize_id_number
from docregsys.reference.selectors import region_prefix_for

from .models import (
    AssessmentResult,
    ExamResult,
    ImportBatch,
    QualificationCertificate,
    RecordLookup,
    mask_certificate_number,
)
from .selectors import import_allowed_for, record_list_for

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


_LOOKUP_MODELS = {
    ImportBatch.Kind.EXAM_RESULTS: ExamResult,
    ImportBatch.Kind.CERTIFICATES: QualificationCertificate,
    ImportBatch.Kind.ASSESSMENTS: AssessmentResult,
}


@transaction.atomic
def record_lookup_run(*, user, record_kind: str, by: str, value: str) -> list:
    """APP-5: the records matching a full ID or certificate number in any region, the lookup audited.

    Compared exactly (ID by digest, certificate number on its unique index), never by prefix, so a
    reviewer reaches outside their region only the record they already know the number of.
    """
    if region_prefix_for(user) is None:
        raise TransitionRefused(_("您无权查找考试中心数据。"), code="lookup_forbidden")
    model = _LOOKUP_MODELS.get(record_kind)
    value = normalize_id_number(value)
    if model is None or by not in RecordLookup.By.values:
        raise TransitionRefused(_("查找方式无效。"), code="lookup_invalid", field="by")
    if by == RecordLookup.By.CERTIFICATE_NUMBER and model is not QualificationCertificate:
        raise TransitionRefused(
            _("只有医师资格证书可以按资格证书编码查找。"), code="lookup_invalid", field="by"
        )
    if not value or len(value) > 32 or not value.isalnum() or not value.isascii():
        raise TransitionRefused(_("请输入完整的号码（字母或数字）。"), code="lookup_value", field="value")
    digest = id_number_digest(value)
    if by == RecordLookup.By.ID_NUMBER:
        found = list(model.objects.filter(id_number_digest=digest))
        masked = mask_id_number(value)
    else:
        found = list(model.objects.filter(number=value))
        masked = mask_certificate_number(value)
    in_region = set(
        record_list_for(model, user=user).filter(pk__in=[r.pk for r in found]).values_list("pk", flat=True)
    )
    for record in found:
        record.in_region = record.pk in in_region
    RecordLookup.objects.create(
        user=user,
        record_kind=record_kind,
        by=by,
        value_digest=digest,
        value_masked=masked[:40],
        found=len(found),
        outside_region=len(found) - len(in_region),
        found_ids=[r.pk for r in found],
    )
    return found
