"""Reads of practice records (SPEC §6)."""

from django.db.models import Case, Exists, OuterRef, Prefetch, Q, QuerySet, When

from docregsys.reference.models import PracticeScope
from docregsys.reference.selectors import is_officer, within_reach

from .models import ExtraLocation, MultiInstitutionFiling, PracticeRecord


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
