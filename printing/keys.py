"""The key that signs every PDF and every QR payload (PRN-1…PRN-4).

Production reads it from configuration: `SIGNING_KEY_FILE` (PEM private key) and `SIGNING_CERT_FILE`
(PEM certificate, issued to the health commission). Development and tests generate one pair, once, into
the ignored `.local/signing/` folder: a self-signed certificate whose name says it is not official.
"""

from __future__ import annotations

import base64
import datetime
import functools
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEV_SUBJECT = "docregsys 开发环境签名（非正式）"


@dataclass(frozen=True)
class SigningIdentity:
    key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate
    key_file: Path
    cert_file: Path

    @property
    def public_key_pem(self) -> str:
        return (
            self.key.public_key()
            .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
            .decode()
        )

    @property
    def certificate_pem(self) -> str:
        return self.certificate.public_bytes(serialization.Encoding.PEM).decode()

    @property
    def issuer_name(self) -> str:
        return self.certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(dir=path.parent)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def _generate_development_pair(bundle: Path) -> None:
    """One PEM file holding both the key and its certificate, written atomically (parallel test workers)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "docregsys development"),
            x509.NameAttribute(NameOID.COMMON_NAME, DEV_SUBJECT),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ) + certificate.public_bytes(serialization.Encoding.PEM)
    _atomic_write(bundle, pem)


@functools.cache
def _identity(key_file: str, cert_file: str, generate: bool) -> SigningIdentity:
    key_path, cert_path = Path(key_file), Path(cert_file)
    if not key_path.is_file():
        if not generate:
            raise ImproperlyConfigured("SIGNING_KEY_FILE does not exist: documents cannot be signed.")
        _generate_development_pair(key_path)
    key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    certificate = x509.load_pem_x509_certificate(cert_path.read_bytes())
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise ImproperlyConfigured("SIGNING_KEY_FILE must hold an EC (P-256) private key.")
    return SigningIdentity(key=key, certificate=certificate, key_file=key_path, cert_file=cert_path)


def signing_identity() -> SigningIdentity:
    """The configured signing key and certificate (generated for development when none is configured)."""
    return _identity(settings.SIGNING_KEY_FILE, settings.SIGNING_CERT_FILE, settings.SIGNING_GENERATE_DEV_KEY)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign_payload(data: dict) -> str:
    """`<base64url JSON>.<base64url r‖s>`: an ECDSA P-256 signature anyone can check offline with the
    published public key (the certificate's QR code carries this)."""
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()
    der = signing_identity().key.sign(body, ec.ECDSA(hashes.SHA256()))
    r, s = decode_dss_signature(der)
    return f"{_b64(body)}.{_b64(r.to_bytes(32, 'big') + s.to_bytes(32, 'big'))}"


def verify_payload(token: str) -> dict | None:
    """The data of a signed payload, or None when it is malformed or the signature does not match."""
    try:
        body_part, signature_part = token.split(".")
        body, raw = _unb64(body_part), _unb64(signature_part)
        if len(raw) != 64:
            return None
        signature = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
        signing_identity().key.public_key().verify(signature, body, ec.ECDSA(hashes.SHA256()))
        data = json.loads(body)
    except (ValueError, InvalidSignature, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None
