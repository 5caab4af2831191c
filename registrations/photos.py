"""Doctors' photos (REG-8) in the private directory: random names, never under the static or media roots."""

from __future__ import annotations

from .private_files import photos


def photo_store(data: bytes, ext: str) -> str:
    """Write cleaned photo bytes under a new random name; returns the name (what the models keep)."""
    return photos.store(data, ext)


def photo_read(name: str) -> tuple[bytes, str] | None:
    """(bytes, content type) of a stored photo, or None when there is none."""
    return photos.read(name)


def photo_delete(name: str) -> None:
    """Remove a stored photo (a missing file is not an error)."""
    photos.delete(name)
