"""What every interface answers for a document: its job status (polled by the page) and its download.

The console, the doctor's pages and the API scope the document first, then call these.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse, JsonResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from .models import Document
from .selectors import document_pdf


def document_position(document: Document) -> int:
    """How many documents wait before this one (0 once it renders)."""
    if document.state != Document.State.QUEUED:
        return 0
    return Document.objects.filter(state=Document.State.QUEUED, pk__lt=document.pk).count()


def document_status_data(document: Document, *, download_url: str) -> dict:
    """{"state", "message", "position", "code", "download_url"}: the JSON the progress widget polls."""
    position = document_position(document)
    messages = {
        Document.State.QUEUED: _("排队中，前面还有 %(n)s 份") % {"n": position} if position else _("排队中"),
        Document.State.RENDERING: _("正在生成 PDF……"),
        Document.State.DONE: _("已生成，可以下载。"),
        Document.State.FAILED: _("生成失败，请重试。"),
    }
    return {
        "state": document.state,
        "message": str(messages[document.state]),
        "position": position,
        "code": document.code_display,
        "download_url": download_url if document.state == Document.State.DONE else None,
    }


def document_status_response(document: Document, *, download_url: str) -> JsonResponse:
    response = JsonResponse(document_status_data(document, download_url=download_url))
    response["Cache-Control"] = "no-store"
    return response


def document_download_response(document: Document, *, filename: str, inline: bool = False) -> HttpResponse:
    """The stored PDF; 404 while it is not rendered (the page polls the status first)."""
    pdf = document_pdf(document)
    if pdf is None:
        raise Http404
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
