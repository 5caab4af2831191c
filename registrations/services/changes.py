"""API-3 change feed, the writing side: a ``RecordChange`` row per change, and the sequencer that numbers them.

Services that change a practice record, a 多执业机构备案 or a 多地点 call ``record_change_write`` in their own
transaction, after the change (STYLE §7: written explicitly, not from signals), so the row commits or rolls
back with the change itself.

Why a sequencer: ids are handed out when a row is inserted, not when its transaction commits. A row with
id 7 may commit a second after a reader has already been given id 8 and moved its cursor past 7: paging by
id would lose it for good. So rows are inserted with ``seq`` NULL and numbered later, by whoever reads the
feed: ``record_changes_sequence`` takes one lock that serialises sequencers (a PostgreSQL transaction-level
advisory lock; SQLite serialises writers anyway), then in one UPDATE gives every *committed* unnumbered row
the next numbers after the highest, in id order. A row that commits later is numbered by a later call,
after every number handed out before: a client that resumes after the last ``seq`` it saw never misses one.
This relies on READ COMMITTED (Django's default on PostgreSQL): each statement sees what committed before
it started, so the UPDATE, run after the lock is granted, sees the previous sequencer's numbers.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction

from ..models import ExtraLocation, MultiInstitutionFiling, PracticeRecord, RecordChange

Kind = RecordChange.Kind

# pg_advisory_xact_lock(namespace, key): apart from effects.py's per-person locks (namespace 7001).
SEQUENCER_LOCK = (7002, 1)

_TABLE = RecordChange._meta.db_table
# UPDATE … FROM and window functions: PostgreSQL, and SQLite ≥ 3.33.
_SEQUENCE_SQL = f"""
UPDATE {_TABLE} SET seq = numbered.n
FROM (
    SELECT id, ROW_NUMBER() OVER (ORDER BY id) + (SELECT COALESCE(MAX(seq), 0) FROM {_TABLE}) AS n
    FROM {_TABLE} WHERE seq IS NULL
) AS numbered
WHERE {_TABLE}.id = numbered.id
"""


def record_changes_sequence() -> int:
    """Number the committed, not yet numbered changes after the highest number, in id order; returns how many."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", list(SEQUENCER_LOCK))
        cursor.execute(_SEQUENCE_SQL)
        return cursor.rowcount


# ------------------------------------------------------------------------------------ snapshots


def _named(obj) -> dict | None:
    return None if obj is None else {"id": obj.pk, "name": obj.name}


def _date(value) -> str | None:
    return value.isoformat() if value else None


def _scopes(scopes) -> list[dict]:
    return [{"code": s.code, "name": s.name} for s in sorted(scopes, key=lambda s: s.code)]


def record_snapshot(record: PracticeRecord) -> dict:
    """The record's public fields as the feed shows them: no ID number, phone, birth date, sex or photo."""
    return {
        "record_id": record.pk,
        "certificate_number": record.certificate_number,
        "real_name": record.real_name,
        "level": record.level,
        "level_display": str(record.get_level_display()),
        "category": record.category,
        "category_display": str(record.get_category_display()),
        "scopes": _scopes(record.scopes.all()),
        "main_institution": _named(record.main_institution),
        "department": record.department.name if record.department_id else None,
        "location": {"code": record.location_id, "name": record.location.full_name},
        "authority": _named(record.authority),
        "state": record.state,
        "state_display": str(record.get_state_display()),
        "approval_date": _date(record.approval_date),
        "title": record.title,
        "education": record.education,
        "school": record.school,
        "major": record.major,
        "info_reviewed_at": record.info_reviewed_at.isoformat() if record.info_reviewed_at else None,
    }


def _filing_snapshot(filing: MultiInstitutionFiling) -> dict:
    return {
        "id": filing.pk,
        "institution": _named(filing.institution),
        "scopes": _scopes(filing.scopes.all()),
        "state": filing.state,
        "filed_on": _date(filing.filed_on),
        "cancelled_on": _date(filing.cancelled_on),
    }


def _place_snapshot(place: ExtraLocation) -> dict:
    return {
        "id": place.pk,
        "institution": _named(place.institution),
        "location": {"code": place.location_id, "name": place.location.full_name},
        "state": place.state,
        "approved_on": _date(place.approved_on),
        "cancelled_on": _date(place.cancelled_on),
    }


# ------------------------------------------------------------------------------------ writing


def record_change_write(
    *,
    record: PracticeRecord,
    kind: str,
    application=None,
    institution_id: int | None = None,
    other_institution_id: int | None = None,
    filing: MultiInstitutionFiling | None = None,
    extra_location: ExtraLocation | None = None,
) -> RecordChange:
    """Append one change of `record` (in the caller's transaction), with the record's state after it.

    It concerns the record's main institution unless told otherwise, and the filing's or 多地点's
    institution when there is one; reviewers see it through the region of the authority that holds it.
    """
    snapshot = record_snapshot(record)
    authority = record.authority
    satellite = filing or extra_location
    if filing is not None:
        snapshot["filing"] = _filing_snapshot(filing)
        authority = filing.authority or authority
    if extra_location is not None:
        snapshot["extra_location"] = _place_snapshot(extra_location)
    if other_institution_id is None and satellite is not None:
        other_institution_id = satellite.institution_id
    institution_id = institution_id or record.main_institution_id
    if other_institution_id == institution_id:
        other_institution_id = None
    return RecordChange.objects.create(
        record=record,
        kind=kind,
        institution_id=institution_id,
        other_institution_id=other_institution_id,
        region_code=authority.region_id or "",
        application=application,
        filing=filing,
        extra_location=extra_location,
        snapshot=snapshot,
    )


def record_changes_write(*, records: Iterable[PracticeRecord], kind: str, application=None) -> int:
    """Append one change per record (many at once: an institution's rename reaches all its doctors)."""
    rows = [
        RecordChange(
            record=record,
            kind=kind,
            institution_id=record.main_institution_id,
            region_code=record.authority.region_id or "",
            application=application,
            snapshot=record_snapshot(record),
        )
        for record in records
    ]
    RecordChange.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def record_changes_backfill() -> int:
    """Give the feed the records loaded without going through a service (imports, the demo): one 新增 row per
    record with no change yet, one per valid 备案 / 多地点 with none; idempotent. Returns how many rows."""
    written = 0
    with transaction.atomic():
        records = (
            PracticeRecord.objects.filter(changes__isnull=True)
            .select_related("main_institution", "department", "location", "authority")
            .prefetch_related("scopes")
            .order_by("pk")
        )
        written += record_changes_write(records=records, kind=Kind.CREATED)
        seen_filings = RecordChange.objects.filter(filing__isnull=False).values("filing_id")
        for filing in (
            MultiInstitutionFiling.objects.filter(state=MultiInstitutionFiling.State.VALID)
            .exclude(pk__in=seen_filings)
            .select_related("record", "institution", "authority")
            .order_by("pk")
        ):
            record_change_write(record=filing.record, kind=Kind.FILING_ADDED, filing=filing)
            written += 1
        seen_places = RecordChange.objects.filter(extra_location__isnull=False).values("extra_location_id")
        for place in (
            ExtraLocation.objects.filter(state=ExtraLocation.State.VALID)
            .exclude(pk__in=seen_places)
            .select_related("record", "institution", "location")
            .order_by("pk")
        ):
            record_change_write(record=place.record, kind=Kind.LOCATION_LISTED, extra_location=place)
            written += 1
    return written
