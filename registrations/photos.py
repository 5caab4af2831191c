"""Doctors' photos (REG-8) in the private directory: random names, never under the static or media roots."""

from __future__ import annotations

import re
import secrets
from pathlib import Path

from django.conf import settings

_NAME = re.compile(r"^[0-9a-f]{32}\.(jpg|png)$")
CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png"}


def _directory() -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT) / "photos"


def _path(name: str) -> Path | None:
    """The file of a stored name; None for anything that is not one of ours (no path tricks)."""
    if not name or not _NAME.match(name):
        return None
    return _directory() / name


def photo_store(data: bytes, ext: str) -> str:
    """Write cleaned photo bytes under a new random name; returns the name (what the models keep)."""
    directory = _directory()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    name = f"{secrets.token_hex(16)}.{ext}"
    path = directory / name
    with open(path, "xb") as out:  # a fresh name: never overwrite
        out.write(data)
    path.chmod(0o600)
    return name


def photo_read(name: str) -> tuple[bytes, str] | None:
    """(bytes, content type) of a stored photo, or None when there is none."""
    path = _path(name)
    if path is None or not path.is_file():
        return None
    return path.read_bytes(), CONTENT_TYPES[name.rsplit(".", 1)[1]]


def photo_delete(name: str) -> None:
    """Remove a stored photo (a missing file is not an error)."""
    path = _path(name)
    if path is not None:
        path.unlink(missing_ok=True)
