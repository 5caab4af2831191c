"""The outbox (ACC-4): messages are rows written with the action; a task sends them, exactly once.

`on_commit(task.delay)` alone loses the message when the broker is down (it raises after the
commit, the user sees an error for something that was saved, and nothing is ever sent). Here the
row is the promise: the kick after commit is best-effort, and the periodic `outbox_drain` (beat,
CELERY_BEAT_SCHEDULE) sends whatever is still pending once the broker is back.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .backends import get_backend
from .models import Channel, OutboundMessage

logger = logging.getLogger(__name__)

MAX_SEND_ATTEMPTS = 8
# The kick after commit is best-effort: one quick connection attempt, then the periodic retry's turn.
KICK_CONNECT_TIMEOUT = 1.0
KICK_TRANSPORT_OPTIONS = {
    "max_retries": 0,
    "interval_start": 0,
    "interval_step": 0,
    "interval_max": 0,
    "socket_connect_timeout": KICK_CONNECT_TIMEOUT,
    "socket_timeout": KICK_CONNECT_TIMEOUT,
}


def message_enqueue(*, channel: str, destination: str, body: str, subject: str = "") -> OutboundMessage:
    """Write a message to the outbox (inside the caller's transaction) and kick the drain after commit."""
    message = OutboundMessage.objects.create(
        channel=channel, destination=destination, body=body, subject=subject
    )
    transaction.on_commit(outbox_kick)
    return message


def message_enqueue_many(messages: list[dict]) -> list[OutboundMessage]:
    """`message_enqueue` for many messages at once ({channel, destination, body, subject?} each): one INSERT,
    one kick after commit (INS-4 issues codes for a whole institution in one action)."""
    rows = OutboundMessage.objects.bulk_create([OutboundMessage(**message) for message in messages])
    if rows:
        transaction.on_commit(outbox_kick)
    return rows


def outbox_kick() -> None:
    """Ask a worker to drain now. Never raises: with the broker down, the periodic retry sends later."""
    from .tasks import outbox_drain

    try:
        # retry=False only stops the *publish* from retrying; kombu still retries the *connection*
        # (connect_timeout, back-off 2 s, 4 s …): the page waited ~8 s on a dead Redis. A connection of
        # its own with one quick try keeps the page fast; the worker's connection keeps its patience.
        with outbox_drain.app.connection_for_write(
            connect_timeout=KICK_CONNECT_TIMEOUT, transport_options=KICK_TRANSPORT_OPTIONS
        ) as connection:
            outbox_drain.apply_async(retry=False, connection=connection)
    except Exception as exc:  # noqa: BLE001 - any broker failure; the message stays pending in the outbox
        logger.warning(
            "outbox: broker unavailable (%s); pending messages go out on the next retry", type(exc).__name__
        )


def _deliver(message: OutboundMessage) -> None:
    if message.channel == Channel.SMS:
        get_backend().send(message.destination, message.body)
    else:
        send_mail(message.subject, message.body, settings.DEFAULT_FROM_EMAIL, [message.destination])


def outbox_drain(*, limit: int = 200) -> int:
    """Send due messages one by one; returns how many went out. Safe to run in several workers at once."""
    sent = 0
    for _ in range(limit):
        now = timezone.now()
        # The row lock is held while the gateway is called: that is what stops a second drainer
        # from sending the same message (skip_locked lets it move on to the next one). If the
        # commit after a successful send failed, the message would go out again: at-least-once at
        # the gateway, exactly-once in every other case.
        with transaction.atomic():
            message = (
                OutboundMessage.objects.select_for_update(skip_locked=True)
                .filter(status=OutboundMessage.Status.PENDING, next_attempt_at__lte=now)
                .order_by("pk")
                .first()
            )
            if message is None:
                break
            message.attempts += 1
            try:
                _deliver(message)
            except Exception as exc:  # noqa: BLE001 - gateway errors of any kind are retried
                message.last_error = f"{type(exc).__name__}: {exc}"[:200]
                if message.attempts >= MAX_SEND_ATTEMPTS:
                    message.status = OutboundMessage.Status.FAILED
                    message.body = ""
                else:
                    message.next_attempt_at = now + dt.timedelta(seconds=30 * 2 ** (message.attempts - 1))
                logger.warning(
                    "outbox: message %s not sent (attempt %s): %s",
                    message.pk,
                    message.attempts,
                    message.last_error,
                )
            else:
                message.status = OutboundMessage.Status.SENT
                message.sent_at = now
                message.body = ""  # the code has left; it does not stay readable in the database
                sent += 1
            message.save(
                update_fields=["status", "attempts", "last_error", "next_attempt_at", "sent_at", "body"]
            )
    return sent
