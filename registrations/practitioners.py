"""Reads behind the FHIR interface (API-2): practitioners, their roles and institutions, scoped to the caller.

A practitioner is a person as the 执业证书编码 names them (one number for life, printed on the certificate
and public on PUB-1), that is every practice record carrying that number. A role is one valid practice
record (主要执业机构) or one valid multi-institution filing (多执业机构备案).

Scope (deny by default, STYLE §2), the same reach as the console and the admin:
- an officer: records whose main institution is theirs, and filings at their institution or of their own
  doctors (INS-5's lists); their own institution;
- a reviewer: the same through the region of their authority (main institution's or filing institution's
  region); institutions of that region;
- the superuser: everything; anyone else: nothing.
"""

from __future__ import annotations

from django.db.models import F, Prefetch, Q, QuerySet, Value

from docregsys.reference.models import PracticeScope
from docregsys.reference.selectors import is_officer, region_prefix_for
from institutions.models import Institution
from institutions.selectors import institution_list_for

from .models import MultiInstitutionFiling, PracticeRecord

RECORD, FILING = 0, 1  # the two kinds of role, in the order a practitioner's roles are listed


def fhir_reader(user) -> bool:
    """Who may read FHIR resources: officers (initial password replaced, INS-1), reviewers, the superuser."""
    if region_prefix_for(user) is not None:
        return True
    return is_officer(user) and not getattr(user, "must_change_password", False)


def _reach(user, *paths: str) -> Q | None:
    """A condition "any of these institution paths lies within the caller's reach"; None for no reach,
    an empty Q for everything."""
    prefix = region_prefix_for(user)
    if prefix == "":
        return Q()
    if prefix is not None:
        condition = Q()
        for path in paths:
            condition |= Q(**{f"{path}__region__code__startswith": prefix})
        return condition
    if fhir_reader(user):
        condition = Q()
        for path in paths:
            condition |= Q(**{f"{path}_id": user.institution_id})
        return condition
    return None


def _scopes() -> Prefetch:
    return Prefetch("scopes", queryset=PracticeScope.objects.order_by("order", "code"))


def _valid_filing_of(user) -> Q | None:
    reach = _reach(user, "filings__institution")
    if reach is None:
        return None
    return reach & Q(filings__state=MultiInstitutionFiling.State.VALID)


def practitioner_number_list_for(*, user) -> QuerySet:
    """The 执业证书编码 the caller may read, one row each ({"certificate_number"}), in number order."""
    main = _reach(user, "main_institution")
    filed = _valid_filing_of(user)
    if main is None or filed is None:
        return PracticeRecord.objects.none().values("certificate_number")
    condition = main if not main else main | filed  # an empty Q (everything) stays everything
    return (
        PracticeRecord.objects.filter(condition)
        .exclude(certificate_number="")
        .values("certificate_number")
        .distinct()
        .order_by("certificate_number")
    )


def practitioner_records(numbers: list[str]) -> QuerySet[PracticeRecord]:
    """Every practice record of these practitioners, with what the resources show (2 queries)."""
    return (
        PracticeRecord.objects.filter(certificate_number__in=numbers)
        .select_related("location", "authority")
        .prefetch_related(_scopes())
        .order_by("certificate_number", "-approval_date", "pk")
    )


def role_record_list_for(*, user) -> QuerySet[PracticeRecord]:
    """Valid practice records (roles at the main institution) within the caller's reach."""
    reach = _reach(user, "main_institution")
    if reach is None:
        return PracticeRecord.objects.none()
    return PracticeRecord.objects.filter(reach, state=PracticeRecord.State.VALID).exclude(
        certificate_number=""
    )


def role_filing_list_for(*, user) -> QuerySet[MultiInstitutionFiling]:
    """Valid filings of valid records, at an institution within reach or of a doctor whose main institution is."""
    reach = _reach(user, "institution", "record__main_institution")
    if reach is None:
        return MultiInstitutionFiling.objects.none()
    return MultiInstitutionFiling.objects.filter(
        reach, state=MultiInstitutionFiling.State.VALID, record__state=PracticeRecord.State.VALID
    ).exclude(record__certificate_number="")


def role_keys(records: QuerySet[PracticeRecord], filings: QuerySet[MultiInstitutionFiling]) -> QuerySet:
    """One ordered row (number, kind, key) per role of both querysets: one UNION query to count and to page."""
    # .order_by(): the models' default ordering is not allowed inside a compound statement.
    record_keys = (
        records.order_by()
        .annotate(number=F("certificate_number"), kind=Value(RECORD), key=F("pk"))
        .values_list("number", "kind", "key")
    )
    filing_keys = (
        filings.order_by()
        .annotate(number=F("record__certificate_number"), kind=Value(FILING), key=F("pk"))
        .values_list("number", "kind", "key")
    )
    return record_keys.union(filing_keys, all=True).order_by("number", "kind", "key")


def role_records(pks: list[int]) -> QuerySet[PracticeRecord]:
    """The records of one page of roles, with institution, location and scopes (2 queries)."""
    return (
        PracticeRecord.objects.filter(pk__in=pks)
        .select_related("main_institution", "location")
        .prefetch_related(_scopes())
    )


def role_filings(pks: list[int]) -> QuerySet[MultiInstitutionFiling]:
    """The filings of one page of roles, with their record, institution and scopes (2 queries)."""
    return (
        MultiInstitutionFiling.objects.filter(pk__in=pks)
        .select_related("institution", "record", "record__location")
        .prefetch_related(_scopes())
    )


def organization_list_for(*, user) -> QuerySet[Institution]:
    """Institutions the caller may read as FHIR Organizations (``institution_list_for``, FHIR readers only)."""
    if not fhir_reader(user):
        return Institution.objects.none()
    return institution_list_for(user=user).select_related("region")
