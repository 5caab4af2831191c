"""Celery tasks of printing: thin wrappers around services (PRN-2)."""

from celery import shared_task

from . import services


@shared_task(name="printing.render", acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def document_render_task(*, document_id: int) -> None:
    """Render one document; a redelivery after a lost worker renders it again into the same file."""
    services.document_render(document_id=document_id)


@shared_task(name="printing.requeue")
def document_requeue_task() -> int:
    """Periodic: documents whose kick was lost are queued again."""
    return services.document_requeue_stale()
