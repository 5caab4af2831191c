"""Reads of practice records (SPEC §6)."""

from django.db.models import Case, Prefetch, QuerySet, When

from docregsys.reference.models import PracticeScope
from docregsys.reference.selectors import is_officer, within_reach

from .models import PracticeRecord, ProfileChange


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
    qs = within_reach(PracticeRecord.objects.all(), user=user, region_code_field="main_institution__region__code")
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
