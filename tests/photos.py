"""Photos for the REG-8 tests: a proper ID photo, one with EXIF GPS, hostile files (HTML, a pixel bomb)."""

from __future__ import annotations

import io
import struct
import zlib
from functools import lru_cache

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

GPS_IFD = 0x8825


def photo_bytes(fmt: str = "JPEG", *, size=(354, 472), gps: bool = False, shade=(60, 60, 90)) -> bytes:
    """A white-background ID photo (a dark block for the person); with ``gps`` an EXIF GPS position."""
    image = Image.new("RGB", size, "white")
    image.paste(shade, (size[0] // 3, size[1] // 3, 2 * size[0] // 3, size[1]))
    options = {"quality": 85} if fmt == "JPEG" else {}
    if gps:
        exif = Image.Exif()
        exif[0x010F] = "SpyCam"  # Make
        exif.get_ifd(GPS_IFD).update({1: "N", 2: (28.0, 12.0, 0.0), 3: "E", 4: (112.0, 58.0, 0.0)})
        options["exif"] = exif.tobytes()
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def upload(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def _chunk(kind: bytes, body: bytes) -> bytes:
    return (
        struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    )


@lru_cache(maxsize=1)
def pixel_bomb() -> bytes:
    """A real 20000×20000 1-bit PNG (400 million pixels, 50 MB decoded) of a few tens of KB."""
    width = height = 20000
    row = b"\x00" + bytes(width // 8)
    packer = zlib.compressobj(9)
    body = b"".join(packer.compress(row * 500) for _ in range(height // 500)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", body) + _chunk(b"IEND", b"")


HTML_AS_JPG = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
