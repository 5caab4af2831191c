"""PDF signatures (pyhanko): a reader shows who issued the document and that it was not altered."""

from __future__ import annotations

import asyncio
import functools
import io
from concurrent.futures import ThreadPoolExecutor

from .keys import signing_identity


@functools.cache
def _signer(key_file: str, cert_file: str):
    from pyhanko.sign import signers

    return signers.SimpleSigner.load(key_file, cert_file)


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
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    identity = signing_identity()
    signer = _signer(str(identity.key_file), str(identity.cert_file))
    metadata = signers.PdfSignatureMetadata(
        field_name="Signature", reason=reason, location=location or None, name=identity.issuer_name
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    return _sync(lambda: signers.sign_pdf(writer, metadata, signer=signer).getvalue())


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
