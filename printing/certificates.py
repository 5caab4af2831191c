"""PRN-3 electronic practice certificates (电子证照): one per valid practice record, with photo and a signed QR.

The PDF is the doctor's own document, so it carries what the paper 医师执业证书 carries (birth date too);
the public check (`_public`) shows only what PUB-1 allows. A record that stops being 有效 (注销, 变更出, 失效,
军队, 备案) keeps its last certificate, which no longer verifies (`_still_valid`), and the public page says why.
"""

from __future__ import annotations

import base64

from django.utils import timezone, translation
from django.utils.translation import gettext

from registrations.models import PracticeRecord
from registrations.private_files import photos

from .kinds import DocumentKind, register
from .links import certificate_payload, certificate_token, live_code, verify_url
from .qr import qr_data_uri, qr_svg

ISSUER_NOTE = "本电子证照由医师电子化注册信息系统生成并经电子签名，扫描二维码可核验真伪及当前注册状态。"


def _scopes(record: PracticeRecord) -> list[str]:
    # Ordered like the code list (the selectors prefetch them in that order; a fresh record reads them).
    return [scope.name for scope in sorted(record.scopes.all(), key=lambda s: (s.order, s.code))]


def _data(record: PracticeRecord) -> dict:
    """Everything the certificate shows, in Chinese whatever the asker's language (the hash must not vary)."""
    with translation.override("zh-hans"):
        return {
            "real_name": record.real_name,
            "sex": record.get_sex_display() if record.sex else "",
            "birth_date": record.birth_date.isoformat() if record.birth_date else "",
            "id_number_masked": record.id_number_masked,
            "certificate_number": record.certificate_number,
            "level": str(record.get_level_display()),
            "category": str(record.get_category_display()),
            "scopes": _scopes(record),
            "location": record.location.full_name,
            "main_institution": record.main_institution.name,
            "authority": record.authority.name,
            "approval_date": record.approval_date.isoformat() if record.approval_date else "",
            "state": record.state,
            "state_display": str(record.get_state_display()),
            "title": record.title,
            # The stored name: a new photo is a new file, so a new certificate.
            "photo": record.photo,
        }


def _photo_uri(name: str) -> str | None:
    found = photos.read(name) if name else None
    if not found:
        return None
    data, content_type = found
    return f"data:{content_type};base64,{base64.b64encode(data).decode()}"


def certificate_qr_token(record: PracticeRecord, document) -> str:
    """The signed token of the certificate's QR: which document, whose, what, issued when."""
    # Level and category as their codes (physician, clinical …): short, and the check page names them.
    payload = certificate_payload(
        code=document.code,
        certificate_number=record.certificate_number,
        real_name=record.real_name,
        level=record.level,
        category=record.category,
        issued=timezone.localdate(document.created_at).isoformat(),
    )
    return certificate_token(payload)


def certificate_institutions_at(documents) -> dict[int, str]:
    """{document pk: the 主要执业机构 the certificate showed when it was made} in one query.

    A 变更 changes the record in place, so a superseded certificate's institution is the record's as of the
    certificate's making (its history), not the record's today; without a history row that old, today's.
    """
    documents = [document for document in documents if document.record_id]
    if not documents:
        return {}
    rows = (
        PracticeRecord.history.filter(
            id__in={document.record_id for document in documents},
            history_date__lte=max(document.created_at for document in documents),
        )
        .order_by("history_date", "history_id")
        .values_list("id", "history_date", "main_institution__name")
    )
    found: dict[int, str] = {}
    for document in documents:
        for record_id, at, name in rows:
            if record_id == document.record_id and at <= document.created_at:
                found[document.pk] = name
        if document.pk not in found:
            found[document.pk] = document.record.main_institution.name
    return found


def _inline_svg(markup: str) -> str:
    """The QR as markup for a page: without the XML declaration, sized by CSS (no style attribute: CSP)."""
    start = markup.find("<svg")
    return markup[start:] if start >= 0 else markup


def certificate_live_data(record: PracticeRecord, document) -> dict:
    """What the doctor shows a verifier: the QR of the verify URL with the 30-second code, the code itself
    and the seconds it has left (the page and the API ask again when they run out)."""
    otp, seconds_left = live_code(document.code)
    url = verify_url(certificate_qr_token(record, document), otp=otp)
    return {
        "code": otp,
        "seconds_left": seconds_left,
        "url": url,
        "qr_svg": _inline_svg(qr_svg(url)),
        "certificate_code": document.code_display,
    }


def _context(record: PracticeRecord, document) -> dict:
    data = _data(record)
    url = verify_url(certificate_qr_token(record, document))
    return {
        **data,
        "scopes_text": "、".join(data["scopes"]) or "—",
        "document": document,
        "issued": timezone.localdate(document.created_at),
        "qr": qr_data_uri(url),
        "photo_uri": _photo_uri(record.photo),
        "note": ISSUER_NOTE,
    }


def _still_valid(record: PracticeRecord, document) -> bool:
    return record.state == PracticeRecord.State.VALID


def _public(record: PracticeRecord, document) -> dict:
    """PUB-1: name, level, category, scopes, main institution, 执业地点 and state; never ID, phone or birth date.

    The title is the printed document's (Chinese, as on paper); labels and choice names follow the language.
    """
    return {
        "title": "医师执业证书（电子证照）",
        "rows": [
            (gettext("姓名"), record.real_name),
            (gettext("医师级别"), str(record.get_level_display())),
            (gettext("医师类别"), str(record.get_category_display())),
            (gettext("执业范围"), "、".join(_scopes(record)) or "—"),
            (gettext("主要执业机构"), record.main_institution.name),
            (gettext("执业地点"), record.location.full_name),
            (gettext("注册状态"), str(record.get_state_display())),
        ],
    }


def certificate_invalid_reason(record: PracticeRecord) -> str:
    """Why a certificate of this record no longer verifies (empty while the record is 有效)."""
    if record.state == PracticeRecord.State.VALID:
        return ""
    return gettext("该执业注册当前状态为“%(state)s”，电子证照已失效。") % {
        "state": record.get_state_display()
    }


CERTIFICATE = register(
    DocumentKind(
        kind="certificate",
        subject_field="record",
        template="printing/pdf/certificate.html",
        stylesheet="certificate.css",
        data=_data,
        context=_context,
        public=_public,
        still_valid=_still_valid,
        reason=lambda document: f"医师执业证书电子证照（证照编号 {document.code_display}）",
        filename=lambda document: f"certificate-{document.code}.pdf",
    )
)
