"""Messaging tasks: draining the SMS/e-mail outbox (ACC-4)."""

from celery import shared_task

from .services import outbox_drain as outbox_drain_service


@shared_task(
    name="messaging.outbox_drain", acks_late=True, reject_on_worker_lost=True, ignore_result=True
)
def outbox_drain() -> int:
    """Send pending outbox messages. Idempotent: a sent message is never picked again."""
    return outbox_drain_service()
