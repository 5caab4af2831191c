"""Reads of practice records (SPEC §6)."""

from django.db.models import Case, Prefetch, QuerySet, When

from docregsys.reference.models import PracticeScope
from docregsys.reference.selectors import is_officer, within_reach

from .models import PracticeRecord


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
