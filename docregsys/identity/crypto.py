"""ID numbers at rest: AES-GCM ciphertext for display to the owner, keyed HMAC digest for lookups.

The clear number never reaches a database column or a log line. Both keys are derived (HKDF)
from one master key that comes from the environment (`IDENTITY_KEY` or `IDENTITY_KEY_FILE`);
in development a key file is generated under `.local/` on first use.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.translation import gettext_lazy as _

from docregsys.identity.normalize import normalize_id_number

_NONCE_BYTES = 12


def generate_master_key() -> str:
    """A new base64-encoded 32-byte master key."""
    return base64.b64encode(secrets.token_bytes(32)).decode()


def _read_master_key() -> bytes:
    raw = settings.IDENTITY_KEY
    if not raw:
        path = Path(settings.IDENTITY_KEY_FILE)
        if not path.exists():
            if not settings.IDENTITY_KEY_AUTOCREATE:
                raise ImproperlyConfigured(
                    "IDENTITY_KEY is not set and IDENTITY_KEY_FILE does not exist: "
                    "ID numbers cannot be encrypted. Generate one with "
                    "`python manage.py identity_key` and keep it secret."
                )
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(generate_master_key() + "\n")
        raw = path.read_text().strip()
    try:
        key = base64.b64decode(raw, validate=True)
    except ValueError as exc:
        raise ImproperlyConfigured("IDENTITY_KEY must be base64.") from exc
    if len(key) != 32:
        raise ImproperlyConfigured("IDENTITY_KEY must decode to 32 bytes.")
    return key


@lru_cache(maxsize=1)
def _keys() -> tuple[AESGCM, bytes]:
    master = _read_master_key()

    def derive(info: bytes) -> bytes:
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(master)

    return AESGCM(derive(b"docregsys/id-number/encryption")), derive(b"docregsys/id-number/digest")


def reset_key_cache() -> None:
    """Forget the derived keys (tests that switch keys)."""
    _keys.cache_clear()


def encrypt_id_number(value: str) -> str:
    return _encrypt(normalize_id_number(value))


def _encrypt(number: str) -> str:
    aead, _mac = _keys()
    nonce = secrets.token_bytes(_NONCE_BYTES)
    ciphertext = aead.encrypt(nonce, number.encode(), b"id-number")
    return base64.b64encode(nonce + ciphertext).decode()


def decrypt_id_number(token: str) -> str:
    aead, _mac = _keys()
    blob = base64.b64decode(token)
    return aead.decrypt(blob[:_NONCE_BYTES], blob[_NONCE_BYTES:], b"id-number").decode()


def id_number_digest(value: str) -> str:
    """Keyed digest of the normalised number: equal numbers give equal digests, nothing else leaks."""
    return _digest(normalize_id_number(value))


def _digest(number: str) -> str:
    _aead, mac = _keys()
    return hmac.new(mac, number.encode(), hashlib.sha256).hexdigest()


def mask_id_number(value: str) -> str:
    """4301**********1234: the first four and last four characters, the rest hidden."""
    return _mask(normalize_id_number(value))


def _mask(value: str) -> str:
    if len(value) <= 8:
        return value[:1] + "*" * max(len(value) - 2, 0) + value[-1:] if len(value) > 2 else "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str) -> str:
    """151****0658."""
    value = (value or "").strip()
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_email(value: str) -> str:
    """hc***@6.com."""
    local, _sep, domain = (value or "").partition("@")
    if not domain:
        return mask_phone(value)
    return local[:2] + "***@" + domain


class IdType(models.TextChoices):
    RESIDENT = "resident", _("居民身份证")
    HK_MO_PERMIT = "hkmo_permit", _("港澳居民来往内地通行证")
    TW_PERMIT = "tw_permit", _("台湾居民来往大陆通行证")
    HK_ID = "hk_id", _("香港身份证")
    MO_ID = "mo_id", _("澳门身份证")
    TW_ID = "tw_id", _("台湾身份证")
    PASSPORT = "passport", _("外籍护照")
    MILITARY = "military", _("军官证/士兵证/文职干部证")


class EncryptedIdentity(models.Model):
    """A person's ID document: type, ciphertext, lookup digest and masked form (never the clear number)."""

    id_type = models.CharField(_("证件类型"), max_length=16, choices=IdType.choices, default=IdType.RESIDENT)
    id_number_cipher = models.TextField(_("证件号码（密文）"), blank=True, editable=False)
    id_number_digest = models.CharField(
        _("证件号码摘要"), max_length=64, blank=True, db_index=True, editable=False
    )
    id_number_masked = models.CharField(_("证件号码"), max_length=40, blank=True, editable=False)

    class Meta:
        abstract = True

    def set_id_number(self, value: str) -> None:
        value = normalize_id_number(value)
        self.id_number_cipher = encrypt_id_number(value) if value else ""
        self.id_number_digest = id_number_digest(value) if value else ""
        self.id_number_masked = mask_id_number(value) if value else ""

    @property
    def id_number(self) -> str:
        """The clear number: only for the person themself and for re-verification."""
        return decrypt_id_number(self.id_number_cipher) if self.id_number_cipher else ""


def identity_columns(value: str) -> tuple[str, str, str]:
    """(cipher, digest, masked) for a bulk path that writes columns directly."""
    # Normalised once here: the bulk import calls this half a million times per national file (QUA-3).
    number = normalize_id_number(value)
    return _encrypt(number), _digest(number), _mask(number)
