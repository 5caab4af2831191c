"""The PDFs' QR code: a 1-bit PNG, one pixel per module, drawn unsmoothed (benches/render_forms.py)."""

import base64
import io

import qrcode
from PIL import Image

from printing.engine import render_pdf
from printing.qr import qr_data_uri, qr_png

URL = "https://example.org/verify/code/ABCDEFGHJKMNPQRS/"


def test_the_png_holds_exactly_the_modules_of_the_code():
    image = Image.open(io.BytesIO(qr_png(URL)))
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    code.add_data(URL)
    code.make(fit=True)
    matrix = code.get_matrix()
    assert image.size == (len(matrix), len(matrix)) and image.mode == "1"
    pixels = image.load()
    assert all((pixels[x, y] == 0) == dark for y, line in enumerate(matrix) for x, dark in enumerate(line))


def test_the_pdf_draws_it_without_smoothing():
    uri = qr_data_uri(URL)
    assert uri.startswith("data:image/png;base64,") and base64.b64decode(uri.split(",", 1)[1]) == qr_png(URL)
    pdf = render_pdf(f'<img class="qr" src="{uri}" alt="">')
    assert b"/Interpolate false" in pdf
