"""Reads of practice records (SPEC §6)."""

import datetime as dt

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from docregsys.reference.models import Category, Level, PracticeScope
from docregsys.reference.selectors import is_officer, is_reviewer, region_prefix_for, within_reach
from institutions.models import Institution, InstitutionAuthority

from .models import (
    Application,
    ApplicationEvent,
    Attachment,
    DoctorLookup,
    ExtraLocation,
    Kind,
    MultiInstitutionFiling,
    PracticeRecord,
    ProfileChange,
    RecordChange,
)
from .models import State as AppState
from .private_files import attachments


def practice_records_for_digest(digest: str) -> QuerySet[PracticeRecord]:
    """Every practice record of one person, valid ones first, with what the pages show (2 queries)."""
    if not digest:
        return PracticeRecord.objects.none()
    return (
        PracticeRecord.objects.filter(id_number_digest=digest)
        .select_related("location", "main_institution", "authority")
        .prefetch_related(Prefetch("scopes", queryset=PracticeScope.objects.order_by("order", "code")))
        .order_by(
            Case(When(state=PracticeRecord.State.VALID, then=0), default=1), "-approval_date", "pk"
        )  # valid locations first
    )


def practice_record_list_for(*, user) -> QuerySet[PracticeRecord]:
    """Records whose main institution lies in the reviewer's region (all for a superuser), or the officer's
    institution; none for anyone else. A doctor's own records are `practice_records_for_digest`."""
    qs = within_reach(
        PracticeRecord.objects.all(), user=user, region_code_field="main_institution__region__code"
    )
    if qs is not None:
        return qs
    if is_officer(user):
        return PracticeRecord.objects.filter(main_institution_id=user.institution_id)
    return PracticeRecord.objects.none()


# ---------------------------------------------------------------- REG-8 / INS-7 信息维护 and its review


def doctor_valid_records(*, doctor) -> QuerySet[PracticeRecord]:
    """The doctor's own valid practice records: name *and* ID-number digest match (what approval updates)."""
    if not getattr(doctor, "id_number_digest", ""):
        return PracticeRecord.objects.none()
    return PracticeRecord.objects.filter(
        id_number_digest=doctor.id_number_digest, real_name=doctor.real_name, state=PracticeRecord.State.VALID
    ).order_by("-approval_date", "pk")


def profile_review_institution_for(*, doctor):
    """REG-8: who reviews the doctor's changes — the main institution of the valid record (None without one)."""
    record = doctor_valid_records(doctor=doctor).select_related("main_institution").first()
    return record.main_institution if record is not None else None


def profile_changes_of(*, doctor) -> QuerySet[ProfileChange]:
    """The doctor's own changes, newest first (the pending one, then the outcomes)."""
    return ProfileChange.objects.filter(doctor=doctor).order_by("-updated_at", "-pk")


def profile_change_list_for(*, user) -> QuerySet[ProfileChange]:
    """INS-7: the changes the officer's institution reviews; none for anyone else (reviewers: not yet)."""
    if is_officer(user):
        return ProfileChange.objects.filter(institution_id=user.institution_id)
    return ProfileChange.objects.none()


# ------------------------------------------------------------------ the console: INS-8, INS-11, 外省注册


def doctor_lookup_list_for(*, user) -> QuerySet:
    """INS-8: the audit of 医师验证 lookups is the superuser's to read; nobody else sees any of it."""
    if user is not None and getattr(user, "is_superuser", False) and user.is_active:
        return DoctorLookup.objects.select_related("user", "institution")
    return DoctorLookup.objects.none()


def institution_doctor_list_for(*, user) -> QuerySet[PracticeRecord]:
    """The officer's doctors: valid records whose main institution is the officer's (INS-5, INS-11)."""
    if not is_officer(user):
        return PracticeRecord.objects.none()
    return PracticeRecord.objects.filter(
        main_institution_id=user.institution_id, state=PracticeRecord.State.VALID
    )


def outside_record_list_for(*, user) -> QuerySet[PracticeRecord]:
    """医师在外省注册情况: the other-province practice records of the officer's doctors, one query with what
    the list shows (``home_location``: the doctor's location here, ``home_certificate_number``)."""
    mine = institution_doctor_list_for(user=user)  # none for anyone but an officer: so is the answer
    home = mine.filter(id_number_digest=OuterRef("id_number_digest")).order_by("pk")
    return (
        PracticeRecord.objects.filter(
            id_number_digest__in=mine.exclude(id_number_digest="").values("id_number_digest")
        )
        .annotate(
            province=Substr("location_id", 1, 2),
            home_province=Substr(Subquery(home.values("location_id")[:1]), 1, 2),
            home_location=Subquery(home.values("location__full_name")[:1]),
            home_certificate_number=Subquery(home.values("certificate_number")[:1]),
        )
        .exclude(province=F("home_province"))
        .select_related("location", "main_institution", "authority")
        .order_by(Case(When(state=PracticeRecord.State.VALID, then=0), default=1), "real_name", "pk")
    )


AGE_BANDS = (  # (label, highest age or None): INS-11's 年龄段
    ("30岁以下", 29),
    ("30–39岁", 39),
    ("40–49岁", 49),
    ("50–59岁", 59),
    ("60岁及以上", None),
)
UNKNOWN = _("未填写")


def _birth_cutoff(today: dt.date, years: int) -> dt.date:
    """The day someone born `years` years ago was born: born after it, one is younger than `years` today
    (29 Feb → 28 Feb in other years)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def _counts(qs, expression, labels=None) -> list[tuple[str, int]]:
    """One GROUP BY query: [(label, count)], biggest first, the unknown last."""
    rows = qs.annotate(_key=expression).values("_key").annotate(n=Count("pk", distinct=True)).order_by()
    known, unknown = {}, 0
    for row in rows:
        key = row["_key"]
        if key in (None, ""):
            unknown += row["n"]
            continue
        label = str((labels or {}).get(key, key))
        known[label] = known.get(label, 0) + row["n"]
    pairs = sorted(known.items(), key=lambda kv: (-kv[1], kv[0]))
    return [*pairs, (str(UNKNOWN), unknown)] if unknown else pairs


def _sex_counts(qs) -> list[tuple[str, int]]:
    """性别: the ``sex`` column, filled from the resident ID number when the record's ID is set."""
    return _counts(qs, F("sex"), dict(PracticeRecord.Sex.choices))


def _age_band_counts(qs, today: dt.date) -> list[tuple[str, int]]:
    """年龄段 on the day, from the ``birth_date`` column (filled like ``sex``)."""
    whens = [When(birth_date__isnull=True, then=Value(""))]
    oldest = ""
    for label, highest in AGE_BANDS:
        if highest is None:
            oldest = str(label)  # born on or before the last cutoff: the default
        else:
            whens.append(When(birth_date__gt=_birth_cutoff(today, highest + 1), then=Value(str(label))))
    band = Case(*whens, default=Value(oldest), output_field=CharField())
    counts = dict(_counts(qs, band))
    order = [str(label) for label, _h in AGE_BANDS] + [str(UNKNOWN)]
    return [(label, counts[label]) for label in order if label in counts]


STATISTICS_DIMENSIONS = (  # (key, title): INS-11, in seed 002's words
    ("category", _("医师类别")),
    ("level", _("医师级别")),
    ("scope", _("执业范围")),
    ("title", _("任职资格")),
    ("department", _("所在科室")),
    ("sex", _("性别")),
    ("age", _("年龄段")),
)


def institution_statistics_for(*, user, today: dt.date | None = None) -> dict:
    """INS-11: the officer's doctors counted by each dimension: one GROUP BY query each, whatever their number.

    Returns {"total": n, "dimensions": [(key, title, [(label, count)])]}.
    """
    qs = institution_doctor_list_for(user=user)
    today = today or timezone.localdate()
    counts = {
        "category": lambda: _counts(qs, F("category"), dict(Category.choices)),
        "level": lambda: _counts(qs, F("level"), dict(Level.choices)),
        "scope": lambda: _counts(qs, F("scopes__name")),
        "title": lambda: _counts(qs, F("title")),
        "department": lambda: _counts(qs, F("department__name")),
        "sex": lambda: _sex_counts(qs),
        "age": lambda: _age_band_counts(qs, today),
    }
    return {
        "total": qs.count(),
        "dimensions": [(key, title, counts[key]()) for key, title in STATISTICS_DIMENSIONS],
    }


# ------------------------------------------------------------------------------ INS-5: the console's lists
# Each list starts from the officer's institution and is empty for anyone else (deny by default). The
# record lists (main, archived) hold PracticeRecords; the filing and 多地点 lists hold one row per
# filing or location, with its record.


def _officer_institution_id(user) -> int | None:
    return user.institution_id if is_officer(user) else None


def _scopes_prefetch(prefix: str = "") -> Prefetch:
    return Prefetch(f"{prefix}scopes", queryset=PracticeScope.objects.order_by("order", "code"))


def _records(institution_id: int | None, state: str) -> QuerySet[PracticeRecord]:
    if institution_id is None:
        return PracticeRecord.objects.none()
    return (
        PracticeRecord.objects.filter(main_institution_id=institution_id, state=state)
        .select_related("department", "main_institution")
        .prefetch_related(_scopes_prefetch())
        .order_by("real_name", "pk")
    )


def main_doctor_list_for(*, user) -> QuerySet[PracticeRecord]:
    """主执业机构在本院医师: valid records whose main institution is the officer's."""
    return _records(_officer_institution_id(user), PracticeRecord.State.VALID)


def archived_doctor_list_for(*, user) -> QuerySet[PracticeRecord]:
    """本院备案医师: records of the officer's institution in state 备案 (调离, 退休 …)."""
    return _records(_officer_institution_id(user), PracticeRecord.State.FILED)


def _filings(**scope) -> QuerySet[MultiInstitutionFiling]:
    return (
        MultiInstitutionFiling.objects.filter(
            state=MultiInstitutionFiling.State.VALID, record__state=PracticeRecord.State.VALID, **scope
        )
        .select_related("record", "institution", "record__main_institution")
        .prefetch_related(_scopes_prefetch(), _scopes_prefetch("record__"))
        .order_by("record__real_name", "pk")
    )


def filed_out_doctor_list_for(*, user) -> QuerySet[MultiInstitutionFiling]:
    """本院多执业机构备案医师: valid filings elsewhere of the officer's institution's own doctors."""
    mine = _officer_institution_id(user)
    if mine is None:
        return MultiInstitutionFiling.objects.none()
    return _filings(record__main_institution_id=mine).exclude(institution_id=mine)


def filed_in_doctor_list_for(*, user) -> QuerySet[MultiInstitutionFiling]:
    """外院在本院多执业机构医师: valid filings at the officer's institution of other institutions' doctors."""
    mine = _officer_institution_id(user)
    if mine is None:
        return MultiInstitutionFiling.objects.none()
    return _filings(institution_id=mine).exclude(record__main_institution_id=mine)


def _locations(**scope) -> QuerySet[ExtraLocation]:
    return (
        ExtraLocation.objects.filter(
            state=ExtraLocation.State.VALID, record__state=PracticeRecord.State.VALID, **scope
        )
        .select_related("record", "institution", "location", "record__main_institution")
        .prefetch_related(_scopes_prefetch("record__"))
        .order_by("record__real_name", "pk")
    )


def locations_out_doctor_list_for(*, user) -> QuerySet[ExtraLocation]:
    """本院多地点医师: valid 多地点 elsewhere of the officer's institution's own doctors."""
    mine = _officer_institution_id(user)
    if mine is None:
        return ExtraLocation.objects.none()
    return _locations(record__main_institution_id=mine).exclude(institution_id=mine)


def locations_in_doctor_list_for(*, user) -> QuerySet[ExtraLocation]:
    """多地点执业在本院医师: valid 多地点 at the officer's institution of other institutions' doctors."""
    mine = _officer_institution_id(user)
    if mine is None:
        return ExtraLocation.objects.none()
    return _locations(institution_id=mine).exclude(record__main_institution_id=mine)


def doctor_record_list_for(*, user) -> QuerySet[PracticeRecord]:
    """Records an officer may open (查看详细信息): main institution theirs, or a valid filing or 多地点 there."""
    mine = _officer_institution_id(user)
    if mine is None:
        return PracticeRecord.objects.none()
    filed_here = MultiInstitutionFiling.objects.filter(
        record=OuterRef("pk"), institution_id=mine, state=MultiInstitutionFiling.State.VALID
    )
    located_here = ExtraLocation.objects.filter(
        record=OuterRef("pk"), institution_id=mine, state=ExtraLocation.State.VALID
    )
    return PracticeRecord.objects.filter(
        Q(main_institution_id=mine) | Exists(filed_here) | Exists(located_here)
    )


# ------------------------------------------------------------------------ applications (REG-4, APP-1)


def application_list_for(*, user) -> QuerySet[Application]:
    """Deny by default (STYLE §2): a doctor their own; an officer what is routed to their institution (drafts
    are the doctor's alone); a reviewer what is routed to their authority, and read-only what the
    authorities of their region decide (a higher level sees its region); a superuser everything."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Application.objects.none()
    if user.is_superuser:
        return Application.objects.all()
    if is_officer(user):
        return Application.objects.filter(institution_id=user.institution_id).exclude(state=AppState.DRAFT)
    prefix = region_prefix_for(user)
    if prefix is not None and user.is_reviewer:
        seen = Q(authority_id=user.authority_id)
        if prefix:
            seen |= Q(authority__region__code__startswith=prefix)
        return Application.objects.filter(seen, authority__isnull=False).exclude(state=AppState.DRAFT)
    if user.is_doctor and user.id_number_digest:
        # Their own filings, and what their institution filed about them (INS-10), by name and digest.
        return Application.objects.filter(
            Q(doctor=user) | Q(id_number_digest=user.id_number_digest, real_name=user.real_name)
        )
    if user.is_doctor:
        return Application.objects.filter(doctor=user)
    return Application.objects.none()


def application_decidable_for(*, user) -> QuerySet[Application]:
    """APP-2: what the reviewer may approve or return — routed to their own authority only."""
    if not is_reviewer(user):
        return Application.objects.none()
    return application_list_for(user=user).filter(authority_id=user.authority_id)


def application_authority_for(application: Application):
    """The authority an application goes to: the confirming institution's 审批机关设置 (INS-2) for the
    doctor's category (the requested one, else the record's); None when the institution has not set one."""
    # A 取消备案 / 取消多地点 names the filing or the extra location, not the record: the category is its record's.
    acted_on = (
        application.record
        if application.record_id
        else application.filing.record
        if application.filing_id
        else application.extra_location.record
        if application.extra_location_id
        else None
    )
    category = application.category or (acted_on.category if acted_on is not None else "")
    if not category:
        return None
    setting = (
        InstitutionAuthority.objects.filter(institution_id=application.institution_id, category=category)
        .select_related("authority")
        .first()
    )
    if setting is None or not setting.authority.is_active:
        return None
    return setting.authority


def application_events_of(application: Application) -> QuerySet[ApplicationEvent]:
    """The application's timeline (REG-4), oldest first, with who acted."""
    return application.events.select_related("actor").order_by("at", "pk")


# ------------------------------------------------------------------------------------ institution picker

INSTITUTION_QUERY_MAX = 40
# The institution follows from the person's own records for these types (the main institution confirms).
_MAIN_INSTITUTION_KINDS = (Kind.DEREGISTER, Kind.REISSUE, Kind.E_CERTIFICATE, Kind.TO_MILITARY)
# Any active institution may be chosen: a new location, a target of 变更, a return from the army.
_OPEN_KINDS = (Kind.REGISTER, Kind.CHANGE, Kind.MILITARY_IN)


def _institutions_fitting(kind: str, records: list[PracticeRecord]) -> Q | None:
    """Which institutions fit the business type for a person with these valid records (None: none do)."""
    if kind in _OPEN_KINDS:
        return Q()
    if kind == Kind.UPGRADE:  # the assistant record's own institution (else it is a 变更)
        ids = [r.main_institution_id for r in records if r.level == Level.ASSISTANT]
        return Q(pk__in=ids) if ids else None
    if kind in _MAIN_INSTITUTION_KINDS:
        ids = [r.main_institution_id for r in records]
        return Q(pk__in=ids) if ids else None
    if kind == Kind.FILING:  # inside a record's location, not its main institution
        fits = Q(pk__in=[])
        for record in records:
            prefix = record.location_id if record.level == Level.ASSISTANT else record.location_id[:2]
            fits |= Q(region__code__startswith=prefix) & ~Q(pk=record.main_institution_id)
        return fits if records else None
    if kind == Kind.FILING_CANCEL:
        ids = list(
            MultiInstitutionFiling.objects.filter(
                record__in=records, state=MultiInstitutionFiling.State.VALID
            ).values_list("institution_id", flat=True)
        )
        return Q(pk__in=ids) if ids else None
    if kind == Kind.LOCATION_CANCEL:
        ids = list(
            ExtraLocation.objects.filter(record__in=records, state=ExtraLocation.State.VALID).values_list(
                "institution_id", flat=True
            )
        )
        return Q(pk__in=ids) if ids else None
    return None  # the institution's own types (INS-10): the officer's institution, never picked


def institution_options_for(
    *, kind: str, person_records, query: str = "", limit: int = 20
) -> QuerySet[Institution]:
    """The institution picker: active institutions that fit the business type and match `query`.

    `person_records` are the person's practice records (only the valid ones count). `query` matches the
    name (anywhere), the 登记号 (from its start) or the name's pinyin initials (from their start, through
    the indexed ``Institution.name_initials``: "frry" finds 芙蓉人民医院). Regions follow the type:
    多执业机构备案 only inside a record's location (province; county for an assistant), the main
    institution's own types only the person's main institutions, 注册 / 变更 / 军队变更入 anywhere.
    At most `limit` rows, by name.
    """
    records = [r for r in person_records if r.state == PracticeRecord.State.VALID]
    fits = _institutions_fitting(kind, records)
    if fits is None:
        return Institution.objects.none()
    qs = Institution.objects.filter(fits, is_active=True)
    query = (query or "").strip()[:INSTITUTION_QUERY_MAX]
    if query:
        qs = qs.filter(
            Q(name__icontains=query)
            | Q(registration_number__istartswith=query)
            | Q(name_initials__startswith=query.lower())
        )
    return qs.select_related("region").order_by("name", "pk")[: max(0, min(limit, 100))]


def attachment_content(*, user, attachment_id: int) -> tuple[Attachment, bytes] | None:
    """An attachment the user may see (through the application's scope) with its bytes; None otherwise."""
    attachment = (
        Attachment.objects.filter(pk=attachment_id, application__in=application_list_for(user=user))
        .select_related("application")
        .first()
    )
    if attachment is None:
        return None
    found = attachments.read(attachment.stored_name)
    if found is None:
        return None
    return attachment, found[0]


# ------------------------------------------------------------------ API-3 change feed


def record_change_list_for(*, user) -> QuerySet[RecordChange]:
    """API-3: an officer the changes concerning their institution (main or filing/多地点 institution); a
    reviewer those held by the authorities of their region; national level and superusers all; else none."""
    if is_officer(user):
        return RecordChange.objects.filter(
            Q(institution_id=user.institution_id) | Q(other_institution_id=user.institution_id)
        )
    prefix = region_prefix_for(user)
    if prefix is None:
        return RecordChange.objects.none()
    return (
        RecordChange.objects.filter(region_code__startswith=prefix) if prefix else RecordChange.objects.all()
    )


def record_change_page(changes: QuerySet[RecordChange], *, since: int, limit: int) -> tuple[list, bool]:
    """Up to `limit` numbered changes after `since`, in feed order, and whether more follow (one query).

    Call ``record_changes_sequence`` first: rows not numbered yet are not in the feed."""
    rows = list(changes.filter(seq__gt=since).order_by("seq")[: limit + 1])
    return rows[:limit], len(rows) > limit
