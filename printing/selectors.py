"""Reading documents: the stored PDF, and the public check of a printed code (PRN-1, PRN-3, PRN-4)."""

from __future__ import annotations

from dataclasses import dataclass

from .kinds import DocumentKind, content_hash, kind_of
from .models import Document


def document_pdf(document: Document) -> bytes | None:
    """The stored PDF of a finished document (None while it renders or if the file is gone)."""
    from .services import documents

    if document.state != Document.State.DONE:
        return None
    found = documents.read(f"{document.file_key}.pdf")
    return found[0] if found else None


@dataclass(frozen=True)
class CodeCheck:
    """The answer of the public check page for one code."""

    document: Document
    kind: DocumentKind
    valid: bool
    superseded: bool  # a newer document replaced it (the data changed, or a reprint)
    facts: dict  # what the kind shows the public


def document_check(code: str) -> CodeCheck | None:
    """The document a printed code belongs to and whether it is still valid: current, rendered, its data
    unchanged since, and the kind's own condition (a form's application still agreed or approved)."""
    normalized = "".join(ch for ch in code.upper() if ch.isalnum())[:16]
    if len(normalized) != 16:
        return None
    document = (
        Document.objects.select_related("application", "record", "exam_result", "institution")
        .filter(code=normalized)
        .first()
    )
    if document is None:
        return None
    kind = kind_of(document.kind)
    subject = getattr(document, kind.subject_field)
    superseded = not document.is_current
    valid = (
        not superseded
        and document.state == Document.State.DONE
        and content_hash(kind, subject) == document.content_hash
        and kind.still_valid(subject, document)
    )
    return CodeCheck(
        document=document, kind=kind, valid=valid, superseded=superseded, facts=kind.public(subject, document)
    )


def document_list_for(*, user):
    """Documents whose subject the user may see (deny by default, STYLE §2): a reviewer's those of the
    applications, practice records and exam results of their scope, a superuser's all; each family's own
    selector decides, so the admin's list shows no document of a subject the reviewer could not open."""
    from django.db.models import Q

    from qualifications.selectors import exam_result_list_for
    from registrations.selectors import application_list_for, practice_record_list_for

    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Document.objects.none()
    if user.is_superuser:
        return Document.objects.all()
    return Document.objects.filter(
        Q(application__in=application_list_for(user=user).values("pk"))
        | Q(record__in=practice_record_list_for(user=user).values("pk"))
        | Q(exam_result__in=exam_result_list_for(user=user).values("pk"))
    )


def documents_current_of(*, kind: str, subject_ids) -> dict[int, Document]:
    """{subject id: its current document} for the given subjects of one kind (1 query). Callers pass ids
    they scoped to the asker first."""
    field = kind_of(kind).subject_field
    rows = Document.objects.filter(
        kind=kind, superseded_at__isnull=True, **{f"{field}_id__in": list(subject_ids)}
    )
    return {getattr(row, f"{field}_id"): row for row in rows}


def documents_superseded_of(*, kind: str, subject_ids, limit: int = 20) -> list[Document]:
    """The superseded documents of the given subjects, newest first (1 query): listed as 已作废."""
    field = kind_of(kind).subject_field
    return list(
        Document.objects.filter(
            kind=kind, superseded_at__isnull=False, **{f"{field}_id__in": list(subject_ids)}
        ).order_by("-superseded_at", "-pk")[:limit]
    )
