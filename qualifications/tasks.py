"""Celery tasks of the qualifications area: thin wrappers around services."""

from celery import shared_task

from . import services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def import_batch_run(*, batch_id: int) -> None:
    """Import a queued exam-centre file; idempotent (a finished batch is skipped)."""
    services.import_batch_run(batch_id=batch_id)
