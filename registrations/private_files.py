"""Files that must never be public (REG-8 photos, ID-7 attachments): random names in PRIVATE_MEDIA_ROOT,
outside the static and media roots, read back only through views that check who asks."""

from __future__ import annotations

import os
import re
import secrets
import tempfile
from pathlib import Path

from django.conf import settings

CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "pdf": "application/pdf"}


class PrivateStore:
    """One directory of PRIVATE_MEDIA_ROOT holding files of the given extensions."""

    def __init__(self, directory: str, extensions: tuple[str, ...]):
        self.directory = directory
        self.name_pattern = re.compile(r"^[0-9a-f]{32}\.(" + "|".join(extensions) + ")$")

    def _root(self) -> Path:
        return Path(settings.PRIVATE_MEDIA_ROOT) / self.directory

    def path(self, name: str) -> Path | None:
        """The file of a stored name; None for anything that is not one of ours (no path tricks)."""
        if not name or not self.name_pattern.match(name):
            return None
        return self._root() / name

    def store(self, data: bytes, ext: str) -> str:
        """Write checked bytes under a new random name; returns the name (what the models keep)."""
        root = self._root()
        root.mkdir(parents=True, exist_ok=True, mode=0o700)
        name = f"{secrets.token_hex(16)}.{ext}"
        path = root / name
        with open(path, "xb") as out:  # a fresh name: never overwrite
            out.write(data)
        path.chmod(0o600)
        return name

    def write(self, name: str, data: bytes) -> None:
        """Write (or replace) a file under a name chosen beforehand, atomically: a reader sees the old file
        or the whole new one, and a write repeated by a redelivered task leaves one file."""
        path = self.path(name)
        if path is None:
            raise ValueError("not a stored name")
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".partial-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.chmod(tmp, 0o600)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def read(self, name: str) -> tuple[bytes, str] | None:
        """(bytes, content type) of a stored file, or None when there is none."""
        path = self.path(name)
        if path is None or not path.is_file():
            return None
        return path.read_bytes(), CONTENT_TYPES[name.rsplit(".", 1)[1]]

    def delete(self, name: str) -> None:
        """Remove a stored file (a missing file is not an error)."""
        path = self.path(name)
        if path is not None:
            path.unlink(missing_ok=True)


photos = PrivateStore("photos", ("jpg", "png"))
attachments = PrivateStore("attachments", ("jpg", "png", "pdf"))
