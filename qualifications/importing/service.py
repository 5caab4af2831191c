"""The import service: one file of one kind, streamed through the specs into the staging SQL (QUA-3)."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection, transaction
from django.utils import timezone, translation

from ..models import ImportBatch
from .errors import ImportRefused, RowErrors
from .files import read_rows
from .specs import SPECS, Spec
from .staging import Staging, apply


def records_import(
    *,
    kind: str,
    fh,
    filename: str,
    user=None,
    progress: Callable[[int], None] | None = None,
    batch: ImportBatch | None = None,
) -> ImportBatch:
    """Import one file of `kind` (QUA-3); returns its ImportBatch with counts and the first errors.

    A file-level problem (format, headers, a database error) leaves no record written and the
    batch marked failed with the reason. `batch` is the queued batch when the worker runs it.
    Who may import is checked by ``services.import_batch_enqueue``, the one entry to this.
    """
    spec = SPECS[kind]
    if batch is None:
        batch = ImportBatch.objects.create(kind=kind, filename=filename[:200], started_by=user)
    try:
        # Reasons are stored, so they are written in Chinese whatever the uploader's language.
        with transaction.atomic(), translation.override("zh-hans"):
            report = _run(spec, fh, batch=batch, user=user, progress=progress)
    except ImportRefused as exc:
        batch.status = ImportBatch.Status.FAILED
        batch.failure = str(exc)
    else:
        batch.status = ImportBatch.Status.DONE
        batch.total_rows, batch.created, batch.updated, batch.unchanged, batch.rejected, batch.errors = report
    batch.finished_at = timezone.now()
    batch.save()
    return batch


def _run(spec: Spec, fh, *, batch, user, progress):
    rows = read_rows(fh)
    try:
        header = next(rows)
    except StopIteration:
        raise ImportRefused("文件是空的。") from None
    names = spec.check_headers(header)
    width = len(names)
    ctx = spec.context()
    parse = spec.parse
    key_index = [spec.fields.index(k) for k in spec.key]
    seen: dict[tuple, int] = {}
    errors: list[dict] = []
    total = rejected = 0

    def reject(line, column, message):
        if len(errors) < ImportBatch.ERRORS_KEPT:
            errors.append({"line": line, "column": column, "message": message})

    with connection.cursor() as cursor:
        with Staging(spec, cursor) as staging:
            for line, cells in enumerate(rows, start=2):
                if progress and line % 1000 == 0:
                    progress(1000)
                cells = [c.strip() for c in cells[:width]]
                if not any(cells):
                    continue
                total += 1
                if len(cells) < width:
                    cells += [""] * (width - len(cells))
                row = dict(zip(names, cells))  # noqa: B905 (padded to width above)
                try:
                    values = parse(row, ctx)
                except RowErrors as exc:
                    rejected += 1
                    for err in exc.errors:
                        reject(line, err.column, err.message)
                    continue
                key = tuple(values[i] for i in key_index)
                first = seen.setdefault(key, line)
                if first != line:
                    rejected += 1
                    reject(
                        line, spec.key_label, f"{spec.key_label}与第{first}行重复，同一文件中只能出现一次。"
                    )
                    continue
                staging.write(line, values)
        created, updated, unchanged = apply(
            spec, cursor, staging, batch=batch, user=user, when=timezone.now()
        )
    return total, created, updated, unchanged, rejected, errors
