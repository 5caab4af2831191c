"""Serving a private file (ID-7 attachments): one answer for every interface — never cached, sniffed or scripted."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.utils.http import content_disposition_header


def private_file_response(found, *, application_id: int, as_attachment: bool = False) -> HttpResponse:
    """The file of `found` — an (attachment, bytes) pair from ``attachment_content`` or None — when it belongs
    to `application_id`; Http404 otherwise (another application's attachment looks like no attachment)."""
    if found is None or found[0].application_id != application_id:
        raise Http404
    attachment, data = found
    response = HttpResponse(data, content_type=attachment.content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment, attachment.original_name)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
