"""PUB-1: what the public may learn of a doctor — by name + 执业证书编码, and from a certificate's QR code.

Only 姓名, 医师级别, 医师类别, 执业范围, 主要执业机构, 执业地点 and the state ever leave this module:
never the ID number, phone, birth date, sex or photo (SPEC §10).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, F, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _

from docregsys.reference.models import Category, Level
from registrations.models import PracticeRecord

from .kinds import KINDS, content_hash
from .models import Document

State = PracticeRecord.State

# The state of a record in plain words for someone who is not a registrar.
STATE_NOTES = {
    State.VALID: _("执业注册有效"),
    State.FILED: _("该执业注册为多机构备案，不是主要执业机构"),
    State.DEREGISTERED: _("该执业注册已注销"),
    State.TRANSFERRED_OUT: _("该医师已变更至其他执业地点，此执业注册不再有效"),
    State.MILITARY: _("该医师已变更至军队"),
    State.LAPSED: _("该执业注册已失效（助理医师已注册为执业医师）"),
}


@dataclass(frozen=True)
class PublicRecord:
    """One practice record as the public sees it."""

    real_name: str
    level: str
    category: str
    scopes: str
    main_institution: str
    location: str
    state: str
    state_label: str
    note: str

    @property
    def valid(self) -> bool:
        return self.state == State.VALID


def public_record(record: PracticeRecord) -> PublicRecord:
    scopes = "、".join(scope.name for scope in record.scopes.all())
    return PublicRecord(
        real_name=record.real_name,
        level=record.get_level_display(),
        category=record.get_category_display(),
        scopes=scopes or "—",
        main_institution=record.main_institution.name,
        location=record.location.full_name or record.location.name,
        state=record.state,
        state_label=record.get_state_display(),
        note=str(STATE_NOTES.get(record.state, record.get_state_display())),
    )


def _records():
    return (
        PracticeRecord.objects.select_related("main_institution", "location")
        .prefetch_related("scopes")
        .annotate(
            _valid_first=Case(
                When(state=State.VALID, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("_valid_first", F("approval_date").desc(nulls_last=True), "pk")
    )


def practice_lookup(*, real_name: str, certificate_number: str) -> list[PublicRecord]:
    """The practice records of the person with this name and 执业证书编码, the valid one first.

    Both must match: a number alone never reveals whose it is. Two queries (records, their scopes)."""
    if not real_name or not certificate_number:
        return []
    found = _records().filter(real_name=real_name, certificate_number=certificate_number)
    return [public_record(record) for record in found]


@dataclass(frozen=True)
class QrCheck:
    """A certificate QR: what its signed payload said, and the record as it stands now."""

    payload: dict
    status: str  # "valid" | "superseded" | "changed" | "record_state" | "unknown"
    message: str
    document: Document | None
    record: PublicRecord | None

    @property
    def valid(self) -> bool:
        return self.status == "valid"

    @property
    def shown(self) -> list[tuple[str, str]]:
        """The payload's facts with their labels (codes of level/category as their names)."""
        payload = self.payload
        return [
            (str(_("姓名")), payload.get("name") or "—"),
            (str(_("执业证书编码")), payload.get("no") or "—"),
            (
                str(_("医师级别")),
                str(dict(Level.choices).get(payload.get("level"), payload.get("level") or "—")),
            ),
            (
                str(_("医师类别")),
                str(dict(Category.choices).get(payload.get("category"), payload.get("category") or "—")),
            ),
            (str(_("发证日期")), payload.get("issued") or "—"),
        ]


QR_MESSAGES = {
    "valid": _("电子证照有效"),
    "superseded": _("此电子证照已被新版本替代，请以医师出示的最新电子证照为准"),
    "changed": _("此电子证照的信息已变更，请以医师出示的最新电子证照为准"),
    "unknown": _("未找到该电子证照，请向发证机关核实"),
}


def certificate_qr_check(payload: dict) -> QrCheck:
    """The certificate document named by a verified QR payload, and its record now (3 queries at most)."""
    document = (
        Document.objects.select_related("record")
        .filter(kind=Document.Kind.CERTIFICATE, code=str(payload.get("code") or "")[:16])
        .first()
    )
    if document is None or document.record_id is None:
        return QrCheck(payload, "unknown", str(QR_MESSAGES["unknown"]), None, None)
    record = _records().get(pk=document.record_id)
    shown = public_record(record)
    if record.state != State.VALID:
        status, message = "record_state", shown.note
    elif not document.is_current:
        status, message = "superseded", str(QR_MESSAGES["superseded"])
    elif document.kind in KINDS and (
        content_hash(KINDS[document.kind], record) != document.content_hash
        or not KINDS[document.kind].still_valid(record, document)
    ):
        status, message = "changed", str(QR_MESSAGES["changed"])
    else:
        status, message = "valid", str(QR_MESSAGES["valid"])
    return QrCheck(payload, status, message, document, shown)
