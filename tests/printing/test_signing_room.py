"""The signature's room is sized once per key (benches/render_forms.py: half the signing time), safely."""

from printing import signing
from printing.engine import render_pdf
from printing.signing import sign_pdf, verify_pdf


def test_the_room_sized_by_the_first_signature_serves_the_next_ones(monkeypatch):
    monkeypatch.setattr(signing, "_reserved", {})
    pdf = render_pdf("<p>医师电子化注册</p>")
    first = sign_pdf(pdf, reason="第一次")
    assert len(signing._reserved) == 1
    room = next(iter(signing._reserved.values()))
    assert room > 1000 and room % 2 == 0
    calls = []
    from pyhanko.sign import signers

    real = signers.sign_pdf

    def spy(*args, **kwargs):
        calls.append(kwargs.get("bytes_reserved"))
        return real(*args, **kwargs)

    monkeypatch.setattr(signers, "sign_pdf", spy)
    second = sign_pdf(pdf, reason="第二次")
    assert calls == [room]  # no dummy signature to size it again
    for signed in (first, second):
        status = verify_pdf(signed)
        assert status["valid"] and status["covers_whole_file"]


def test_a_room_too_small_is_sized_again(monkeypatch):
    """A kept size that no longer fits (e.g. a longer certificate chain): the signature is still made."""
    pdf = render_pdf("<p>医师电子化注册</p>")
    sign_pdf(pdf, reason="定尺寸")
    key = next(iter(signing._reserved))
    monkeypatch.setitem(signing._reserved, key, 64)
    signed = sign_pdf(pdf, reason="空间不够")
    assert verify_pdf(signed)["valid"]
    assert signing._reserved[key] > 64
