"""REG-7: what an approved application does to the practice records, applied inside the approval's transaction.

``application_effects_apply`` dispatches on the business type (``EFFECTS``); each effect locks the rows it
changes with ``select_for_update``, checks under that lock that they are still what the application was
filed against (the rules read without locks: a record deregistered a second before the approval must not
be changed again), writes them with the reviewer as the history's author, and returns the record the
doctor now holds (or None). Any refusal raises ``TransitionRefused`` and the caller's transaction rolls
everything back.

The certificate number (执业证书编码) is one for life: a person who ever held one keeps it on every new
record (注册 again, 变更 to another location, 助理升执业, 军队变更入); only a first registration draws a
new one.

Decisions where the SPEC is silent:
- 变更 that moves the location (a province for a 执业医师, a county for an assistant): the old record
  becomes 变更出 and a new record is created at the target. The old record's valid 多执业机构备案 and
  多地点 are cancelled: a filing is made with the old location's authority, and there is no main
  practice left there for it to hang on. A 变更 within the location changes the record in place
  (the history keeps the before); a filing at the institution that becomes the main one is cancelled,
  since one institution cannot be both.
- 助理医师升执业医师: the assistant record lapses (失效) and the doctor keeps practising where they did,
  so its valid filings and 多地点 move to the new 执业医师 record instead of being cancelled.
- 注销, 注册备案 and 变更到军队: a record that is no longer valid keeps no valid filings or 多地点.
"""

from __future__ import annotations

import hashlib

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from docregsys.exceptions import TransitionRefused
from docregsys.reference.models import Level, Region
from institutions.models import Institution

from ..models import Application, ExtraLocation, Kind, MultiInstitutionFiling, PracticeRecord
from ..numbers import certificate_number_new
from .changes import Kind as Change
from .changes import record_change_write, record_changes_write

RECORD_CHANGED = _(
    "该申请涉及的执业注册已发生变化（当前状态：%(state)s），不能按原申请批准。请退回申请，由申请人重新核实。"
)
FILING_CHANGED = _("该申请涉及的多执业机构备案已不是有效状态，不能批准。请退回申请。")
LOCATION_CHANGED = _("该申请涉及的多地点执业已不是有效状态，不能批准。请退回申请。")
NO_RECORD = _("该申请没有指明要办理的执业注册，不能批准。请退回申请。")
FILING_EXISTS = _("该医师在该机构已有有效的多执业机构备案，不能重复备案。请退回申请。")
NAME_UNCHANGED = _("变更后的机构名称与现名称相同，不能批准。请退回申请。")

# django-simple-history's history_change_reason is a CharField(max_length=100).
CHANGE_REASON_LENGTH = 100
# pg_advisory_xact_lock(namespace, key): the namespace keeps these locks apart from any other use.
ADVISORY_NAMESPACE = 7001

# The person's details that travel with them from record to record (ACC-3 / REG-8 keep them current).
PERSONAL_FIELDS = ("ethnicity", "education", "school", "major", "title", "photo")
IDENTITY_FIELDS = ("id_type", "id_number_cipher", "id_number_digest", "id_number_masked", "sex", "birth_date")


# ------------------------------------------------------------------------------------ numbers


def _person_lock(digest: str) -> None:
    """Serialise number look-ups per person (PostgreSQL): two applications of one new person approved at
    the same moment by two authorities (a 注册 here, a 军队变更入 there) must not draw two numbers. A
    transaction-scoped advisory lock keyed by the ID-number digest: other people never wait."""
    if connection.vendor != "postgresql" or not digest:
        return
    key = int(hashlib.sha256(digest.encode()).hexdigest()[:8], 16) % 2**31  # an int4, stable across processes
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [ADVISORY_NAMESPACE, key])


def certificate_number_for(application: Application) -> str:
    """The person's 执业证书编码: the one they hold already, else a new one (first registration)."""
    _person_lock(application.id_number_digest)
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


# ------------------------------------------------------------------------------------ helpers


def _save(obj, *, by, reason: str, fields: list[str] | None = None) -> None:
    """Save with the reviewer and the reason in the history row (django-simple-history)."""
    obj._history_user = by
    obj._change_reason = reason[:CHANGE_REASON_LENGTH]
    if fields is None:
        obj.save()
    else:
        obj.save(update_fields=fields)


def _reason(application: Application) -> str:
    return gettext("%(kind)s审批通过（申请编号%(id)s）") % {
        "kind": application.get_kind_display(),
        "id": application.pk,
    }


def location_for(level: str, institution: Institution) -> Region:
    """REG-1: a 执业医师's location is the institution's province, an assistant's its county."""
    if level == Level.ASSISTANT:
        return institution.region
    return Region.objects.get(code=institution.region_id[:2] + "0000")


def _locked_record(application: Application, *, states=(PracticeRecord.State.VALID,)) -> PracticeRecord:
    """The record the application acts on, row-locked, refused unless it is still in one of `states`."""
    if not application.record_id:
        raise TransitionRefused(NO_RECORD, code="no_record")
    record = PracticeRecord.objects.select_for_update().get(pk=application.record_id)
    if record.state not in states:
        raise TransitionRefused(RECORD_CHANGED % {"state": record.get_state_display()}, code="record_changed")
    return record


def _set_state(obj, state: str, *, by, reason: str, **extra) -> None:
    obj.state = state
    for name, value in extra.items():
        setattr(obj, name, value)
    _save(obj, by=by, reason=reason, fields=["state", *extra])


def _end_satellites(record: PracticeRecord, application: Application, *, by, reason: str) -> None:
    """Cancel the record's valid 多执业机构备案 and 多地点 (the record itself is no longer valid)."""
    today = timezone.localdate()
    filings = MultiInstitutionFiling.objects.select_for_update().filter(
        record=record, state=MultiInstitutionFiling.State.VALID
    )
    for filing in filings:
        _set_state(filing, MultiInstitutionFiling.State.CANCELLED, by=by, reason=reason, cancelled_on=today)
        record_change_write(
            record=record, kind=Change.FILING_CANCELLED, application=application, filing=filing
        )
    places = ExtraLocation.objects.select_for_update().filter(record=record, state=ExtraLocation.State.VALID)
    for place in places:
        _set_state(place, ExtraLocation.State.CANCELLED, by=by, reason=reason, cancelled_on=today)
        record_change_write(
            record=record, kind=Change.LOCATION_CANCELLED, application=application, extra_location=place
        )


def _cancel_filing_at(
    record: PracticeRecord, institution_id, application: Application, *, by, reason: str
) -> None:
    """A filing at the institution that becomes the main one is redundant: cancel it."""
    for filing in MultiInstitutionFiling.objects.select_for_update().filter(
        record=record, institution_id=institution_id, state=MultiInstitutionFiling.State.VALID
    ):
        _set_state(
            filing,
            MultiInstitutionFiling.State.CANCELLED,
            by=by,
            reason=reason,
            cancelled_on=timezone.localdate(),
        )
        record_change_write(
            record=record, kind=Change.FILING_CANCELLED, application=application, filing=filing
        )


def _successor(
    record: PracticeRecord, application: Application, *, by, reason: str, **values
) -> PracticeRecord:
    """A new valid record for the same person, carrying the number and personal details of `record`."""
    new = PracticeRecord(
        real_name=record.real_name,
        certificate_number=record.certificate_number or certificate_number_for(application),
        qualification_number=record.qualification_number,
        level=record.level,
        category=record.category,
        location=record.location,
        main_institution=record.main_institution,
        authority=application.authority or record.authority,
        approval_date=timezone.localdate(),
        state=PracticeRecord.State.VALID,
        **{name: getattr(record, name) for name in IDENTITY_FIELDS + PERSONAL_FIELDS},
    )
    for name, value in values.items():
        setattr(new, name, value)
    if new.main_institution_id == record.main_institution_id:
        new.department_id = record.department_id
    _save(new, by=by, reason=reason)
    return new


def _scopes_of(application: Application, fallback: PracticeRecord | None = None) -> list:
    scopes = list(application.scopes.all())
    if not scopes and fallback is not None:
        scopes = list(fallback.scopes.all())
    return scopes


# ------------------------------------------------------------------------------------ the effects


def _register(application: Application, reviewer) -> PracticeRecord:
    """注册 (and 军队变更入): a new valid record at the institution, in the requested location and scopes.

    The person's details come from their latest earlier record (kept current by 信息维护) where there is
    one, else school and major from the qualification certificate.
    """
    source = application.qualification or application.exam_result
    earlier = (
        PracticeRecord.objects.filter(id_number_digest=application.id_number_digest)
        .order_by("-approval_date", "-pk")
        .first()
        if application.id_number_digest
        else None
    )
    # A 军队变更入 form may leave level and category to the qualification (or the record before the army).
    level = application.level or getattr(source, "level", "") or getattr(earlier, "level", "")
    category = application.category or getattr(source, "category", "") or getattr(earlier, "category", "")
    record = PracticeRecord(
        real_name=application.real_name,
        certificate_number=certificate_number_for(application),
        qualification_number=getattr(application.qualification, "number", "") or "",
        level=level,
        category=category,
        location=application.location or location_for(level, application.institution),
        main_institution=application.institution,
        authority=application.authority,
        approval_date=timezone.localdate(),
        state=PracticeRecord.State.VALID,
    )
    if earlier is not None:
        for name in PERSONAL_FIELDS:
            setattr(record, name, getattr(earlier, name))
        if not record.qualification_number:
            record.qualification_number = earlier.qualification_number
    if application.qualification is not None:
        record.school = record.school or application.qualification.school
        record.major = record.major or application.qualification.major
    identity = source or earlier or application.doctor
    if identity is not None:
        for name in ("id_type", "id_number_cipher", "id_number_digest", "id_number_masked"):
            setattr(record, name, getattr(identity, name))
    _save(record, by=reviewer, reason=_reason(application))
    record.scopes.set(_scopes_of(application))
    record_change_write(record=record, kind=Change.CREATED, application=application)
    return record


def _upgrade(application: Application, reviewer) -> PracticeRecord:
    """助理医师升执业医师: a new 执业医师 record (same institution, scopes, category; the province as location);
    the assistant record lapses (失效); its filings and 多地点 follow the doctor to the new record."""
    reason = _reason(application)
    old = _locked_record(application)
    institution = application.institution or old.main_institution
    new = _successor(
        old,
        application,
        by=reviewer,
        reason=reason,
        level=Level.PHYSICIAN,
        category=application.category or old.category,
        main_institution=institution,
        location=location_for(Level.PHYSICIAN, institution),
        qualification_number=getattr(application.qualification, "number", "") or old.qualification_number,
    )
    new.scopes.set(_scopes_of(application, fallback=old))
    record_change_write(record=new, kind=Change.CREATED, application=application)
    _set_state(old, PracticeRecord.State.LAPSED, by=reviewer, reason=reason)
    record_change_write(record=old, kind=Change.LAPSED, application=application)
    for filing in MultiInstitutionFiling.objects.select_for_update().filter(
        record=old, state=MultiInstitutionFiling.State.VALID
    ):
        filing.record = new
        _save(filing, by=reviewer, reason=reason, fields=["record"])
        record_change_write(record=new, kind=Change.FILING_MOVED, application=application, filing=filing)
    for place in ExtraLocation.objects.select_for_update().filter(
        record=old, state=ExtraLocation.State.VALID
    ):
        place.record = new
        _save(place, by=reviewer, reason=reason, fields=["record"])
        record_change_write(
            record=new, kind=Change.LOCATION_MOVED, application=application, extra_location=place
        )
    return new


def _change(application: Application, reviewer) -> PracticeRecord:
    """变更: another location → the old record 变更出 and a new one at the target; else changed in place."""
    reason = _reason(application)
    record = _locked_record(application)
    target = application.institution
    category = application.category or record.category
    location = application.location or location_for(record.level, target)
    scopes = _scopes_of(application, fallback=record)
    if location.pk != record.location_id:
        new = _successor(
            record,
            application,
            by=reviewer,
            reason=reason,
            category=category,
            location=location,
            main_institution=target,
        )
        new.scopes.set(scopes)
        _set_state(record, PracticeRecord.State.TRANSFERRED_OUT, by=reviewer, reason=reason)
        record_change_write(record=record, kind=Change.TRANSFERRED_OUT, application=application)
        _end_satellites(record, application, by=reviewer, reason=reason)
        record_change_write(record=new, kind=Change.CREATED, application=application)
        return new
    left = record.main_institution_id  # the institution the doctor leaves, if it changes: it hears of it too
    if target.pk != record.main_institution_id:
        _cancel_filing_at(record, target.pk, application, by=reviewer, reason=reason)
        record.department = None
    before = sorted(scope.name for scope in record.scopes.all())
    if before != sorted(scope.name for scope in scopes):
        # The record's history does not follow its scopes (a many-to-many): keep the before in the reason.
        reason += gettext("；原执业范围：%(scopes)s") % {"scopes": "、".join(before) or gettext("无")}
    record.category = category
    record.main_institution = target
    record.authority = application.authority or record.authority
    record.approval_date = timezone.localdate()
    _save(record, by=reviewer, reason=reason)
    record.scopes.set(scopes)
    record_change_write(
        record=record, kind=Change.CHANGED, application=application, other_institution_id=left
    )
    return record


def _filing(application: Application, reviewer) -> PracticeRecord:
    """多执业机构备案: a valid filing of the record at the confirming institution, with its scopes."""
    reason = _reason(application)
    record = _locked_record(application)
    if MultiInstitutionFiling.objects.filter(
        record=record, institution=application.institution, state=MultiInstitutionFiling.State.VALID
    ).exists():
        raise TransitionRefused(FILING_EXISTS, code="filing_exists")
    filing = MultiInstitutionFiling(
        record=record,
        institution=application.institution,
        authority=application.authority,
        filed_on=timezone.localdate(),
        state=MultiInstitutionFiling.State.VALID,
    )
    _save(filing, by=reviewer, reason=reason)
    filing.scopes.set(_scopes_of(application, fallback=record))
    record_change_write(record=record, kind=Change.FILING_ADDED, application=application, filing=filing)
    return record


def _filing_cancel(application: Application, reviewer) -> PracticeRecord | None:
    """多执业机构取消备案: the filing is cancelled today."""
    filing = (
        MultiInstitutionFiling.objects.select_for_update().filter(pk=application.filing_id).first()
        if application.filing_id
        else None
    )
    if filing is None or filing.state != MultiInstitutionFiling.State.VALID:
        raise TransitionRefused(FILING_CHANGED, code="filing_changed")
    _set_state(
        filing,
        MultiInstitutionFiling.State.CANCELLED,
        by=reviewer,
        reason=_reason(application),
        cancelled_on=timezone.localdate(),
    )
    record_change_write(
        record=filing.record, kind=Change.FILING_CANCELLED, application=application, filing=filing
    )
    return filing.record


def _ending(state: str, change: str, *, sources=(PracticeRecord.State.VALID,)):
    """注销 / 注册备案: the record takes `state`; its filings and 多地点 end with it."""

    def effect(application: Application, reviewer) -> PracticeRecord:
        reason = _reason(application)
        record = _locked_record(application, states=sources)
        _set_state(record, state, by=reviewer, reason=reason)
        record_change_write(record=record, kind=change, application=application)
        _end_satellites(record, application, by=reviewer, reason=reason)
        return record

    return effect


def _to_military(application: Application, reviewer) -> PracticeRecord | None:
    """变更到军队: every valid local record of the person becomes 军队; their filings and 多地点 end."""
    reason = _reason(application)
    records = list(
        PracticeRecord.objects.select_for_update()
        .filter(
            id_number_digest=application.id_number_digest,
            real_name=application.real_name,
            state=PracticeRecord.State.VALID,
        )
        .order_by("pk")
    )
    if not records:
        raise TransitionRefused(RECORD_CHANGED % {"state": gettext("无有效执业注册")}, code="record_changed")
    for record in records:
        _set_state(record, PracticeRecord.State.MILITARY, by=reviewer, reason=reason)
        record_change_write(record=record, kind=Change.MILITARY, application=application)
        _end_satellites(record, application, by=reviewer, reason=reason)
    chosen = [record for record in records if record.pk == application.record_id]
    return (chosen or records)[0]


def _location_cancel(application: Application, reviewer) -> PracticeRecord | None:
    """取消多地点: the one extra location of the application is cancelled today."""
    place = (
        ExtraLocation.objects.select_for_update().filter(pk=application.extra_location_id).first()
        if application.extra_location_id
        else None
    )
    if place is None or place.state != ExtraLocation.State.VALID:
        raise TransitionRefused(LOCATION_CHANGED, code="location_changed")
    _set_state(
        place,
        ExtraLocation.State.CANCELLED,
        by=reviewer,
        reason=_reason(application),
        cancelled_on=timezone.localdate(),
    )
    record_change_write(
        record=place.record, kind=Change.LOCATION_CANCELLED, application=application, extra_location=place
    )
    return place.record


def _certificate(application: Application, reviewer) -> PracticeRecord:
    """证书补办 / 申领电子证照: the records do not change; the valid record is what gets printed."""
    return _locked_record(application)


def _rename(application: Application, reviewer) -> PracticeRecord | None:
    """机构更名变更: the institution takes its new name; its doctors' records reference it, so they follow."""
    institution = Institution.objects.select_for_update().get(pk=application.institution_id)
    new_name = application.new_institution_name.strip()
    if not new_name or new_name == institution.name:
        raise TransitionRefused(NAME_UNCHANGED, code="name_unchanged")
    institution.name = new_name
    _save(
        institution,
        by=reviewer,
        reason=gettext("机构更名变更审批通过：原名称“%(old)s”") % {"old": application.institution.name},
        fields=["name"],
    )
    application.institution = institution
    # Every valid record held there now shows the new name: each one's change goes to the feed.
    records = (
        PracticeRecord.objects.filter(main_institution=institution, state=PracticeRecord.State.VALID)
        .select_related("main_institution", "department", "location", "authority")
        .prefetch_related("scopes")
        .order_by("pk")
    )
    record_changes_write(records=records, kind=Change.CHANGED, application=application)
    # So does every valid 备案 and 多地点 held there by another institution's doctor.
    for filing in MultiInstitutionFiling.objects.filter(
        institution=institution, state=MultiInstitutionFiling.State.VALID
    ).select_related("record", "institution", "authority"):
        record_change_write(record=filing.record, kind=Change.CHANGED, application=application, filing=filing)
    for place in ExtraLocation.objects.filter(
        institution=institution, state=ExtraLocation.State.VALID
    ).select_related("record", "institution", "location"):
        record_change_write(
            record=place.record, kind=Change.CHANGED, application=application, extra_location=place
        )
    return application.record if application.record_id else None


# One effect per business type; each returns the record the doctor now holds (or None).
EFFECTS = {
    Kind.REGISTER: _register,
    Kind.MILITARY_IN: _register,
    Kind.UPGRADE: _upgrade,
    Kind.CHANGE: _change,
    Kind.FILING: _filing,
    Kind.FILING_CANCEL: _filing_cancel,
    # 注销 also ends a 备案 record: a doctor who left their institution may still deregister.
    Kind.DEREGISTER: _ending(
        PracticeRecord.State.DEREGISTERED,
        Change.DEREGISTERED,
        sources=(PracticeRecord.State.VALID, PracticeRecord.State.FILED),
    ),
    Kind.ARCHIVE: _ending(PracticeRecord.State.FILED, Change.ARCHIVED),
    Kind.TO_MILITARY: _to_military,
    Kind.LOCATION_CANCEL: _location_cancel,
    Kind.REISSUE: _certificate,
    Kind.E_CERTIFICATE: _certificate,
    Kind.RENAME: _rename,
}


def application_effects_apply(*, application: Application, reviewer) -> PracticeRecord | None:
    """Apply the approved application's effect (in the caller's transaction); returns the resulting record."""
    effect = EFFECTS[application.kind]
    return effect(application, reviewer)
