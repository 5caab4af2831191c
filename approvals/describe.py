"""An application in words (APP-1): the record before, the requested change after, as seed 002 §8 shows them.

"执业范围请求变更为：外科专业；提交本次业务的缘由：变更执业范围" — the admin's detail page and the
reviewer API both read these lines; nothing here writes.

registrations.wording words the same application for the institution's console and the printed form, but
as sentences ("…请求变更为：外科专业；") over the five practice columns; the reviewers read (label, value)
pairs over every requested column (资格证书, 考试成绩, 备案, reasons, 缘由) with the model's labels, so only
the small pieces (scope_names) are shared.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from docregsys.identity.crypto import mask_id_number
from registrations.models import Application, Kind, PracticeRecord
from registrations.wording import scope_names

# The requested columns, in the order the form lists them (label from the model's verbose_name).
REQUEST_FIELDS = (
    "institution",
    "level",
    "category",
    "location",
    "scopes",
    "qualification",
    "exam_result",
    "filing",
    "extra_location",
    "deregistration_reason",
    "filing_reason",
    "military_unit",
    "new_institution_name",
)
# Columns the record holds under the same meaning: a 变更 says "请求变更为" where they differ.
RECORD_COUNTERPART = {
    "institution": "main_institution",
    "level": "level",
    "category": "category",
    "location": "location",
    "scopes": "scopes",
}
CHANGING_KINDS = (Kind.CHANGE, Kind.UPGRADE)
# What the confirming institution is to the doctor, by type (else simply 确认机构).
INSTITUTION_LABELS = {
    Kind.REGISTER: _("主要执业机构"),
    Kind.MILITARY_IN: _("主要执业机构"),
    Kind.CHANGE: _("主要执业机构"),
    Kind.UPGRADE: _("主要执业机构"),
    Kind.FILING: _("备案执业机构"),
}


def _label(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def _text(obj, name: str) -> str:
    """A column in words: choices by their label, relations by their name, scopes joined."""
    if name == "scopes":
        return scope_names(obj.scopes.all())
    value = getattr(obj, name)
    if value is None or value == "":
        return ""
    display = getattr(obj, f"get_{name}_display", None)
    if display is not None:
        return str(display())
    if name == "institution" or name == "main_institution":
        return value.name
    if name == "location":
        return value.full_name or value.name
    if name == "qualification":
        return mask_id_number(value.number)  # it holds the holder's ID number
    if name == "exam_result":
        return f"{value.year} {value.exam_category}"
    if name in ("filing", "extra_location"):
        return f"{value.institution.name}"
    return str(getattr(value, "name", value))


def record_lines(record: PracticeRecord | None) -> list[tuple[str, str]]:
    """The practice record as the registration holds it: (label, text) pairs; [] without a record."""
    if record is None:
        return []
    names = (
        "certificate_number",
        "level",
        "category",
        "scopes",
        "location",
        "main_institution",
        "authority",
        "approval_date",
        "state",
    )
    lines = []
    for name in names:
        value = getattr(record, name) if name != "scopes" else None
        if name == "authority":
            text = value.name if value else ""
        elif name == "approval_date":
            text = value.isoformat() if value else ""
        else:
            text = _text(record, name)
        lines.append((_label(PracticeRecord, name), text or "—"))
    return lines


def requested_lines(application: Application) -> list[tuple[str, str]]:
    """What the application asks for, in words; for a 变更 a column that differs from the record
    reads "…请求变更为", one that stays the same is left out."""
    record = application.record
    lines = []
    for name in REQUEST_FIELDS:
        text = _text(application, name)
        if not text:
            continue
        label = _label(Application, name)
        if name == "institution":
            label = INSTITUTION_LABELS.get(application.kind, label)
        counterpart = RECORD_COUNTERPART.get(name)
        if application.kind in CHANGING_KINDS and record is not None and counterpart:
            if _text(record, counterpart) == text:
                continue
            label = _("%(field)s请求变更为") % {"field": _label(PracticeRecord, counterpart)}
        lines.append((str(label), text))
    if application.statement:
        lines.append((_label(Application, "statement"), application.statement))
    return lines
