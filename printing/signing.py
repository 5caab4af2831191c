"""PDF signatures (pyhanko): a reader shows who issued the document and that it was not altered."""

from __future__ import annotations

import asyncio
import functools
import io
import re
from concurrent.futures import ThreadPoolExecutor

from .keys import signing_identity


@functools.cache
def _signer(key_file: str, cert_file: str):
    from pyhanko.sign import signers

    return signers.SimpleSigner.load(key_file, cert_file)


# Bytes kept for the signature container, per signing key. Left to itself pyhanko sizes it on every
# signature with a whole dummy signature first (half of the signing time, benches/render_forms.py); the
# size depends only on the key, its certificate and the signed attributes, so the first signature's is
# kept and reused. Should a later container not fit, that signature is made again the slow way.
_reserved: dict[tuple[str, str], int] = {}
_CONTENTS = re.compile(rb"/Contents\s*<([0-9a-fA-F]+)>")


def _sync(call):
    """Run `call` here, or in a thread of its own when this thread already runs an event loop: pyhanko
    calls asyncio.run(), which refuses to start inside a running loop (an ASGI view, a test driving
    Playwright's sync API) and the signature would fail."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return call()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result()


def sign_pdf(pdf: bytes, *, reason: str, location: str = "") -> bytes:
    """The PDF with an incremental signature by the configured key (`printing.keys`)."""
    return _sync(lambda: _sign(pdf, reason=reason, location=location))


def _sign(pdf: bytes, *, reason: str, location: str) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.general import SigningError

    identity = signing_identity()
    key = (str(identity.key_file), str(identity.cert_file))
    signer = _signer(*key)
    metadata = signers.PdfSignatureMetadata(
        field_name="Signature", reason=reason, location=location or None, name=identity.issuer_name
    )
    reserved = _reserved.get(key)
    if reserved is not None:
        try:
            writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
            return signers.sign_pdf(writer, metadata, signer=signer, bytes_reserved=reserved).getvalue()
        except SigningError:  # a container larger than the kept room: sized again below
            _reserved.pop(key, None)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    signed = signers.sign_pdf(writer, metadata, signer=signer).getvalue()
    found = _CONTENTS.findall(signed[len(pdf) :])
    if found:
        _reserved[key] = len(found[-1])  # hex digits reserved, as pyhanko counts them
    return signed


def verify_pdf(pdf: bytes) -> dict:
    """What a PDF reader would say of the signature: {"signed", "intact", "valid", "signer"}.

    `valid` means the signature checks against the configured certificate as a trust root.
    """
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    identity = signing_identity()
    try:
        reader = PdfFileReader(io.BytesIO(pdf))
        signatures = reader.embedded_signatures
    except Exception:  # noqa: BLE001 - a damaged file is simply "not signed"
        return {"signed": False, "intact": False, "valid": False, "signer": ""}
    if not signatures:
        return {"signed": False, "intact": False, "valid": False, "signer": ""}
    from asn1crypto import x509 as asn1_x509

    root = asn1_x509.Certificate.load(identity.certificate.public_bytes(_der()))
    status = _sync(lambda: validate_pdf_signature(signatures[-1], ValidationContext(trust_roots=[root])))
    return {
        "signed": True,
        "intact": bool(status.intact),
        "valid": bool(status.intact and status.valid and status.trusted),
        "covers_whole_file": status.coverage.name == "ENTIRE_FILE",
        "signer": status.signing_cert.subject.human_friendly,
    }


def _der():
    from cryptography.hazmat.primitives import serialization

    return serialization.Encoding.DER
