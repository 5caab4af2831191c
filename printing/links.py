"""What the QR codes carry (PRN-3, PUB-1): signed payloads anyone can check offline, and the doctor's
30-second verification code.

- A certificate's QR opens `PUBLIC_BASE_URL/verify/q/<token>/`; `<token>` is `keys.sign_payload` of
  `certificate_payload(...)`, so the page (or an offline reader holding the public key, served at
  `/verify/key.pem`) knows it was issued by us and what it said when issued. The page then shows the
  record as it stands now.
- The doctor's page shows the same QR with `?otp=<6 digits>` that changes every 30 seconds
  (`live_code`): a screenshot stops verifying after a minute, as 医通办's code does.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from django.conf import settings
from django.urls import reverse

from .keys import sign_payload, verify_payload

OTP_STEP_SECONDS = 30
PAYLOAD_VERSION = 1


def certificate_payload(
    *, code: str, certificate_number: str, real_name: str, level: str, category: str, issued: str
) -> dict:
    """The signed content of a certificate QR: which document, whose, what level and category, when."""
    return {
        "v": PAYLOAD_VERSION,
        "t": "certificate",
        "code": code,
        "no": certificate_number,
        "name": real_name,
        "level": level,
        "category": category,
        "issued": issued,
    }


def certificate_token(payload: dict) -> str:
    return sign_payload(payload)


def token_payload(token: str) -> dict | None:
    """The payload of a QR token when its signature is ours; None otherwise."""
    data = verify_payload(token)
    if not data or data.get("v") != PAYLOAD_VERSION or data.get("t") != "certificate":
        return None
    return data


def verify_url(token: str, *, otp: str | None = None) -> str:
    """The absolute address a QR code opens."""
    url = settings.PUBLIC_BASE_URL.rstrip("/") + reverse("verify:qr", args=[token])
    return f"{url}?otp={otp}" if otp else url


def _otp_at(code: str, step: int) -> str:
    key = hmac.new(settings.SECRET_KEY.encode(), f"certificate-otp:{code}".encode(), hashlib.sha256).digest()
    digest = hmac.new(key, step.to_bytes(8, "big"), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = int.from_bytes(digest[offset : offset + 4], "big") & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def live_code(code: str, *, now: float | None = None) -> tuple[str, int]:
    """(the 6-digit code for this 30-second step, seconds until it changes) for a certificate's code."""
    now = time.time() if now is None else now
    step = int(now // OTP_STEP_SECONDS)
    return _otp_at(code, step), OTP_STEP_SECONDS - int(now % OTP_STEP_SECONDS)


def live_code_valid(code: str, otp: str, *, now: float | None = None) -> bool:
    """True for the current step's code or the one before (a scan at the turn of the 30 seconds)."""
    now = time.time() if now is None else now
    step = int(now // OTP_STEP_SECONDS)
    return any(hmac.compare_digest(_otp_at(code, s), otp or "") for s in (step, step - 1))
