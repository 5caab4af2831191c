"""Pluggable SMS gateways, chosen by settings.SMS_BACKEND like Django's e-mail backends (ACC-4).

`console` prints (phone masked) for development, `file` writes one JSON file per message under
SMS_FILE_PATH (tests and `make run` read codes there), `http` posts to a real gateway. A dotted
path to any class with `send(phone, text)` works too.
"""

from __future__ import annotations

import json
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import import_string

from docregsys.identity.crypto import mask_phone


class SmsError(Exception):
    """The gateway did not accept the message; the outbox retries later."""


class ConsoleBackend:
    def send(self, phone: str, text: str) -> None:
        sys.stdout.write(f"[短信 → {mask_phone(phone)}] {text}\n")
        sys.stdout.flush()


class FileBackend:
    """One JSON file per message: {"to", "text", "sent_at"}; names sort in sending order."""

    def __init__(self, path: str | None = None):
        self.path = Path(path or settings.SMS_FILE_PATH)

    def send(self, phone: str, text: str) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        name = f"{time.time_ns():020d}-{uuid.uuid4().hex[:8]}.json"
        tmp = self.path / (name + ".tmp")
        tmp.write_text(json.dumps({"to": phone, "text": text, "sent_at": time.time()}, ensure_ascii=False))
        tmp.rename(self.path / name)  # readers never see half a message


def read_file_outbox(path: str | Path) -> list[dict]:
    """The messages a FileBackend wrote, oldest first."""
    path = Path(path)
    if not path.exists():
        return []
    return [json.loads(p.read_text()) for p in sorted(path.glob("*.json"))]


class HttpBackend:
    """POST {"phone", "text"} as JSON with a bearer token; any non-2xx answer is a failure."""

    def __init__(self, url: str | None = None, token: str | None = None, timeout: float = 10.0):
        self.url = url or settings.SMS_HTTP_URL
        self.token = token if token is not None else settings.SMS_HTTP_TOKEN
        self.timeout = timeout

    def send(self, phone: str, text: str) -> None:
        if not self.url:
            raise SmsError("SMS_HTTP_URL is not set")
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        body = json.dumps({"phone": phone, "text": text}, ensure_ascii=False).encode()
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - URL from settings
                status = response.status
        except urllib.error.HTTPError as exc:
            raise SmsError(f"gateway answered {exc.code}") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise SmsError(f"gateway unreachable: {type(exc).__name__}") from exc
        if not 200 <= status < 300:
            raise SmsError(f"gateway answered {status}")


BACKENDS = {"console": ConsoleBackend, "file": FileBackend, "http": HttpBackend}


def get_backend():
    name = settings.SMS_BACKEND
    cls = BACKENDS.get(name) or import_string(name)
    return cls()
