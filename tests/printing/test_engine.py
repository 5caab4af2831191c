"""The printing foundation (PRN-2): the project's font, no fetching, signatures and signed QR payloads."""

import subprocess

import pytest

from printing.engine import FONT_FILE, render_pdf
from printing.keys import sign_payload, verify_payload
from printing.links import live_code, live_code_valid
from printing.signing import sign_pdf, verify_pdf


def _text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _fonts(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout


def test_chinese_renders_with_the_font_the_project_brings(tmp_path):
    """PRN-2: the text layer holds the Chinese, and the only font embedded is the project's own."""
    assert FONT_FILE.is_file()
    pdf = render_pdf("<h1>医师执业证书</h1><p>湖北省武汉市江岸区 内科专业</p>")
    assert "医师执业证书" in _text(pdf, tmp_path)
    fonts = _fonts(pdf, tmp_path)
    assert "WenQuanYi-Zen-Hei" in fonts
    assert all("WenQuanYi" in line for line in fonts.splitlines()[2:] if line.strip())


def test_a_document_fetches_nothing_but_data_uris(tmp_path):
    """A document's markup cannot read the server's files or reach the network."""
    pdf = render_pdf('<p>x</p><img src="file:///etc/passwd"><img src="http://127.0.0.1:9/x.png">')
    assert pdf.startswith(b"%PDF")


def test_a_signed_pdf_verifies_and_a_modified_one_does_not():
    """Signatures: a reader sees who issued it; one changed byte breaks it."""
    signed = sign_pdf(render_pdf("<p>医师电子化注册</p>"), reason="测试")
    status = verify_pdf(signed)
    assert status["signed"] and status["intact"] and status["valid"] and status["covers_whole_file"]
    assert "docregsys" in status["signer"]
    tampered = bytearray(signed)
    at = signed.index(b"stream") + 12
    tampered[at] ^= 0x01
    broken = verify_pdf(bytes(tampered))
    assert broken["signed"] and not broken["intact"] and not broken["valid"]
    assert verify_pdf(render_pdf("<p>x</p>"))["signed"] is False


def test_signed_payloads_verify_offline_and_refuse_changes():
    token = sign_payload({"no": "421234202600000017", "name": "张三"})
    assert verify_payload(token) == {"no": "421234202600000017", "name": "张三"}
    body, signature = token.split(".")
    assert verify_payload(body + "." + signature[:-2] + ("AA" if signature[-2:] != "AA" else "BB")) is None
    assert verify_payload("x.y") is None and verify_payload("") is None and verify_payload("a.b.c") is None


@pytest.mark.parametrize("offset", [0, 29])
def test_the_live_code_changes_every_30_seconds(offset):
    """PRN-3: the doctor's code is valid now and for the step before, not two steps later."""
    start = 1_800_000_000 - (1_800_000_000 % 30)
    code, remaining = live_code("ABCDEFGHJKMNPQRS", now=start + offset)
    assert len(code) == 6 and code.isdigit() and remaining == 30 - offset
    assert live_code_valid("ABCDEFGHJKMNPQRS", code, now=start + offset)
    assert live_code_valid("ABCDEFGHJKMNPQRS", code, now=start + 30 + offset)
    assert not live_code_valid("ABCDEFGHJKMNPQRS", code, now=start + 61 + offset)
    assert not live_code_valid("ZZZZZZZZZZZZZZZZ", code, now=start + offset)


def test_rendering_leaves_the_upload_checks_strict():
    """ID-7 after PRN-2: WeasyPrint's import must not make a truncated JPEG pass the photo check."""
    import io

    from django.core.exceptions import ValidationError
    from PIL import Image, ImageFile

    from docregsys.identity.validators import validate_photo

    render_pdf("<p>医师电子化注册</p>")
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
    out = io.BytesIO()
    Image.new("RGB", (300, 400), "white").save(out, "JPEG")
    data = out.getvalue()
    with pytest.raises(ValidationError):
        validate_photo(io.BytesIO(data[: len(data) // 2]))
