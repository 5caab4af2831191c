"""QR codes: SVG markup for the pages (no inline style: CSP); a one-pixel-per-module PNG data: URI for
the PDFs, drawn without smoothing (`image-rendering: pixelated` on `img.qr`, base.css), so it prints as
sharp as a vector and costs WeasyPrint nothing (the SVG path of a QR code took ~15 % of a form's render:
benches/render_forms.py)."""

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


def qr_png(data: str) -> bytes:
    """The QR code as a 1-bit PNG, one pixel per module (error correction M, 2-module quiet zone)."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2, box_size=1)
    code.add_data(data)
    code.make(fit=True)
    out = io.BytesIO()
    code.make_image().get_image().convert("1").save(out, format="PNG", optimize=True)
    return out.getvalue()


def qr_data_uri(data: str) -> str:
    """The QR code as a PNG data: URI, for an <img class="qr"> in a PDF (scaled up by its CSS size)."""
    return "data:image/png;base64," + base64.b64encode(qr_png(data)).decode()
