"""Print a new identity-encryption master key (base64, 32 bytes) for IDENTITY_KEY."""

from django.core.management.base import BaseCommand

from docregsys.identity.crypto import generate_master_key


class Command(BaseCommand):
    help = "生成一个新的证件号码加密主密钥（IDENTITY_KEY）。"

    def handle(self, *args, **options):
        self.stdout.write(generate_master_key())
