"""`manage.py load_reference`: load or refresh every reference list of SPEC §2 in one transaction."""

import time

from django.core.management.base import BaseCommand
from django.db import transaction

from docregsys.reference.loading import LOADERS


class Command(BaseCommand):
    help = "Load the reference data of SPEC §2 (regions, authorities, code lists). Safe to run again."

    def handle(self, *args, **options):
        started = time.monotonic()
        # All or nothing: a half-loaded region tree would leave counties without authorities.
        with transaction.atomic():
            counts = {label: loader() for label, loader in LOADERS.items()}
        for label, count in counts.items():
            self.stdout.write(f"{label}: {count}")
        self.stdout.write(self.style.SUCCESS(f"reference data loaded in {time.monotonic() - started:.1f} s"))
