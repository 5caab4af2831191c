"""What each kind of document is made of (PRN-1…PRN-4): the data it shows, its template and stylesheet.

Each area registers its kind here (`register`): forms in `printing.forms`, certificates in
`printing.certificates`, score reports in `printing.score_reports`. A kind's `data(subject)` is
everything the PDF shows, as JSON-able values; its SHA-256 (with the template's and stylesheet's own)
is the document's content hash, so a change to either the data or the layout makes a new document.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from .engine import CSS_DIR


@dataclass(frozen=True)
class DocumentKind:
    kind: str  # Document.Kind value
    subject_field: str  # "application" | "record" | "exam_result"
    template: str  # a template under templates/printing/pdf/
    stylesheet: str  # a file of printing/pdf_css/
    # Everything the PDF shows, JSON-able (dates as ISO strings; photos as their stored name + digest).
    data: Callable[[Any], dict]
    # The template context: the data plus what the render adds (the code, QR data URIs, the photo bytes).
    context: Callable[[Any, Any], dict]
    # The signature's stated reason, e.g. "医师执业注册申请审核表（行政审批编码 …）".
    reason: Callable[[Any], str]
    # The download's file name (ASCII: no personal data in headers or URLs).
    filename: Callable[[Any], str]
    # What the public check page shows of the subject (PUB-1): never the ID number, phone or birth date.
    public: Callable[[Any, Any], dict]
    # Extra validity beyond "current and unchanged": e.g. a form's application must still be agreed.
    still_valid: Callable[[Any, Any], bool] = field(default=lambda subject, document: True)


KINDS: dict[str, DocumentKind] = {}


def register(kind: DocumentKind) -> DocumentKind:
    KINDS[kind.kind] = kind
    return kind


def kind_of(name: str) -> DocumentKind:
    return KINDS[name]


def _layout_digest(kind: DocumentKind) -> str:
    digest = hashlib.sha256()
    for directory in settings.TEMPLATES[0]["DIRS"]:
        path = Path(directory) / kind.template
        if path.is_file():
            digest.update(path.read_bytes())
    for name in ("base.css", kind.stylesheet):
        digest.update((CSS_DIR / name).read_bytes())
    return digest.hexdigest()


_LAYOUTS: dict[str, str] = {}


def content_hash(kind: DocumentKind, subject) -> str:
    """SHA-256 of the subject's data and the layout: equal hashes render equal PDFs."""
    if kind.kind not in _LAYOUTS:
        _LAYOUTS[kind.kind] = _layout_digest(kind)
    payload = json.dumps(kind.data(subject), ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256((_LAYOUTS[kind.kind] + payload).encode()).hexdigest()
