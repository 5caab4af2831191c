"""PRN-1 coded application forms: 《医师执业、变更执业、多机构备案申请审核表》, 《医师注销注册申请审核表》,
《医师注册备案申请审核表》 and the institution's 更名 form, printed from the institution console only.

The form carries its 行政审批编码 (the document's code) along the page edge of every page and as a QR
code of the public check page. `data` holds only what the application itself says (and the record it
acts on: its certificate number and photo), so approving a 变更 — which changes the record in place —
leaves the printed form verifiable; amending the application bumps its version and makes a new code.
"""

from __future__ import annotations

import base64
import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from docregsys.exceptions import TransitionRefused
from registrations.models import Action, Application, ApplicationEvent, Kind, State
from registrations.photos import photo_read
from registrations.wording import application_sex, qualification_masked, requested_rows

from .kinds import DocumentKind, content_hash, register
from .models import Document
from .qr import qr_data_uri

FORM_TITLE = "医师执业、变更执业、多机构备案申请审核表"
TITLES = {
    Kind.DEREGISTER: "医师注销注册申请审核表",
    Kind.ARCHIVE: "医师注册备案申请审核表",
    Kind.RENAME: "医疗机构更名变更申请表",
}
# The states in which the institution's agreement stands: the form may be printed and its code verifies.
PRINTABLE_STATES = (State.AGREED, State.APPROVED)


def form_title(application: Application) -> str:
    return TITLES.get(application.kind, FORM_TITLE)


def form_printable(application: Application) -> bool:
    """After 同意 (卫健委审批中, which is also where the institution's own filings start) or approved."""
    return application.state in PRINTABLE_STATES


NOT_PRINTABLE = _(
    "该申请尚未经本机构同意（或已被撤销、退回、撤回），不能打印申请表。申请表在同意后、办结前后均可打印。"
)


def form_current(application: Application) -> Document | None:
    """The application's current form for its data as it stands now (the caller scoped the application
    first), or None: a form printed before an amendment or a new agreement is not offered any more."""
    document = Document.objects.filter(
        kind=Document.Kind.FORM, application=application, superseded_at__isnull=True
    ).first()
    if document is None or document.content_hash != content_hash(FORM, application):
        return None
    return document


def form_request(*, officer, application: Application) -> Document:
    """Print the coded form from the institution console: the current document, or a new one queued.

    The caller scoped `application` to the officer's institution. Refused (nothing written) unless the
    institution's agreement stands: 卫健委审批中 or 已办结.
    """
    from .services import document_request

    if not form_printable(application):
        raise TransitionRefused(NOT_PRINTABLE, code="wrong_state")
    return document_request(
        kind="form", subject=application, requested_by=officer, institution=officer.institution
    )


def _date(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localdate(value)
    return value.isoformat()


def _agreement(application: Application) -> ApplicationEvent | None:
    """The institution's latest 同意 (after a 撤销 and a new 同意, the new one)."""
    return (
        ApplicationEvent.objects.filter(application=application, action=Action.AGREE)
        .order_by("-at", "-pk")
        .first()
    )


def _institution_name(application: Application, agreement: ApplicationEvent | None) -> str:
    """The institution's name when it agreed: a 机构更名变更 approved later leaves the printed form valid."""
    institution = application.institution
    if agreement is not None:
        try:
            return institution.history.as_of(agreement.at).name
        except institution.DoesNotExist:  # no history row that old (rows written in bulk)
            pass
    return institution.name


def _data(application: Application) -> dict:
    record = application.record if application.record_id else None
    agreement = _agreement(application)
    return {
        "title": form_title(application),
        "kind": application.kind,
        "kind_display": str(application.get_kind_display()),
        "is_rename": application.kind == Kind.RENAME,
        "number": f"{application.pk}-{application.version}",
        "version": application.version,
        "initiator": str(application.get_initiator_display()),
        "real_name": application.real_name,
        "sex": application_sex(application),
        "id_number_masked": application.id_number_masked,
        "qualification_masked": qualification_masked(record, application),
        "certificate_number": record.certificate_number if record else "",
        "institution": _institution_name(application, agreement),
        "requested": [list(row) for row in requested_rows(application)],
        "statement": application.statement,
        "submitted_on": _date(application.submitted_at),
        "agreed_on": _date(agreement.at if agreement else application.agreed_at),
        "agreed_reason": agreement.reason if agreement else "",
        # The moment of the agreement: a 撤销 and a new 同意 make a new code even on the same day.
        "agreement": agreement.at.isoformat() if agreement else "",
        "authority": application.authority.name if application.authority_id else "",
        "photo": record.photo if record else "",
    }


def check_url(document) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + reverse("verify:code", args=[document.code])


def _photo_uri(name: str) -> str:
    found = photo_read(name) if name else None
    if not found:
        return ""
    content, content_type = found
    return f"data:{content_type};base64," + base64.b64encode(content).decode()


def _context(application: Application, document) -> dict:
    data = _data(application)
    url = check_url(document)
    return {
        **data,
        "document": document,
        "check_url": url,
        "qr": qr_data_uri(url),
        "photo_uri": _photo_uri(data["photo"]),
        "printed_on": _date(document.created_at),
    }


def _still_valid(application: Application, document) -> bool:
    """A revoked, returned, withdrawn or disagreed application's form no longer verifies."""
    return form_printable(application)


def _public(application: Application, document) -> dict:
    """The public check page: the form's title, type, institution, dates and the doctor's name only."""
    agreement = _agreement(application)
    rows = [
        (gettext("业务类型"), str(application.get_kind_display())),
        (gettext("医疗机构"), _institution_name(application, agreement)),
        (gettext("打印日期"), _date(document.created_at)),
        (gettext("同意日期"), _date(agreement.at if agreement else application.agreed_at) or "—"),
    ]
    if application.kind != Kind.RENAME:
        rows.append((gettext("医师姓名"), application.real_name))
    return {"title": f"《{form_title(application)}》", "rows": rows}


FORM = register(
    DocumentKind(
        kind="form",
        subject_field="application",
        template="printing/pdf/form.html",
        stylesheet="form.css",
        data=_data,
        context=_context,
        public=_public,
        still_valid=_still_valid,
        reason=lambda document: f"{form_title(document.application)}（行政审批编码 {document.code_display}）",
        filename=lambda document: f"application-form-{document.code}.pdf",
    )
)
