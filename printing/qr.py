"""QR codes as SVG: a data: URI for the PDFs, markup for the pages (no inline style: CSP)."""

from __future__ import annotations

import base64
import io

import qrcode
import qrcode.image.svg


def qr_svg(data: str) -> str:
    """The SVG markup of a QR code (error correction M, 2-module quiet zone)."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2, box_size=10)
    code.add_data(data)
    code.make(fit=True)
    image = code.make_image(image_factory=qrcode.image.svg.SvgPathImage)
    out = io.BytesIO()
    image.save(out)
    return out.getvalue().decode()


def qr_data_uri(data: str) -> str:
    """The QR code as an SVG data: URI, for an <img> in a PDF."""
    return "data:image/svg+xml;base64," + base64.b64encode(qr_svg(data).encode()).decode()
