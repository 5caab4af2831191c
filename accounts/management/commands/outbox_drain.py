"""`manage.py outbox_drain`: send the pending SMS/e-mail outbox now (ACC-4), e.g. without a worker."""

from django.core.management.base import BaseCommand

from docregsys.messaging.services import outbox_drain


class Command(BaseCommand):
    help = "Send pending outbox messages (SMS and e-mail) that are due; safe to run repeatedly."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=200, help="at most this many messages")

    def handle(self, *args, limit, **options):
        sent = outbox_drain(limit=limit)
        self.stdout.write(f"outbox: {sent} message(s) sent")
