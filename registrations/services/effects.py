"""REG-7: what an approved application does to the practice records, applied inside the approval's transaction.

``application_effects_apply`` dispatches on the business type; each effect reads the rows it changes
with ``select_for_update`` and returns the record the doctor now holds (or None). The certificate number
is one for life: a person who ever held one keeps it; only a first registration draws a new one.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext

from ..models import Application, Kind, PracticeRecord
from ..numbers import certificate_number_new


def certificate_number_for(application: Application) -> str:
    """The person's 执业证书编码: the one they hold already, else a new one (first registration)."""
    existing = (
        PracticeRecord.objects.filter(id_number_digest=application.id_number_digest)
        .exclude(certificate_number="")
        .order_by("approval_date", "pk")
        .values_list("certificate_number", flat=True)
        .first()
    )
    if existing:
        return existing
    return certificate_number_new(
        province_code=application.institution.region_id, year=timezone.localdate().year
    )


def _save(record: PracticeRecord, *, by, reason: str, fields: list[str] | None = None) -> None:
    record._history_user = by
    record._change_reason = reason
    if fields is None:
        record.save()
    else:
        record.save(update_fields=fields)


def _register(application: Application, reviewer) -> PracticeRecord:
    """注册 (and 军队变更入): a new valid record at the institution, in the requested location and scopes."""
    source = application.qualification or application.exam_result
    record = PracticeRecord(
        real_name=application.real_name,
        certificate_number=certificate_number_for(application),
        qualification_number=getattr(application.qualification, "number", "") or "",
        level=application.level,
        category=application.category,
        location=application.location,
        main_institution=application.institution,
        authority=application.authority,
        approval_date=timezone.localdate(),
        state=PracticeRecord.State.VALID,
    )
    if source is not None:
        record.id_type = source.id_type
        record.id_number_cipher = source.id_number_cipher
        record.id_number_digest = source.id_number_digest
        record.id_number_masked = source.id_number_masked
    elif application.doctor_id:
        doctor = application.doctor
        record.id_type = doctor.id_type
        record.id_number_cipher = doctor.id_number_cipher
        record.id_number_digest = doctor.id_number_digest
        record.id_number_masked = doctor.id_number_masked
    _save(record, by=reviewer, reason=gettext("注册审批通过"))
    record.scopes.set(application.scopes.all())
    return record


# One effect per business type; each returns the record the doctor now holds (or None).
EFFECTS = {
    Kind.REGISTER: _register,
}


def application_effects_apply(*, application: Application, reviewer) -> PracticeRecord | None:
    """Apply the approved application's effect (in the caller's transaction); returns the resulting record."""
    effect = EFFECTS[application.kind]
    return effect(application, reviewer)
