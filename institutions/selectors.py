"""Reads of institutions: the caller's scope (`institution_list_for`) and the INS-2 authority rules."""

from django.db.models import QuerySet

from docregsys.reference.models import Authority, Category
from docregsys.reference.selectors import is_officer, within_reach

from .models import Institution

# Doctors of these categories are approved by a health commission; 中医 also by a TCM administration.
_KINDS_FOR_CATEGORY = {
    Category.CLINICAL: [Authority.Kind.HEALTH],
    Category.DENTAL: [Authority.Kind.HEALTH],
    Category.PUBLIC_HEALTH: [Authority.Kind.HEALTH],
    Category.TCM: [Authority.Kind.HEALTH, Authority.Kind.TCM],
}


def region_chain_codes(region_code: str) -> list[str]:
    """The codes of a region and the city and province above it: 430102 → 430000, 430100, 430102."""
    codes = {region_code[:2] + "0000", region_code[:4] + "00", region_code}
    return sorted(codes)


def authority_choices_for(*, region_code: str | None, category: str | None = None) -> QuerySet[Authority]:
    """INS-2: active authorities of the institution's county, city and province, of the kinds the category allows."""
    if not region_code:
        return Authority.objects.none()
    qs = Authority.objects.filter(region_id__in=region_chain_codes(region_code), is_active=True)
    if category:
        qs = qs.filter(kind__in=_KINDS_FOR_CATEGORY.get(category, []))
    return qs.select_related("region")


def authority_allowed_for(*, authority: Authority, region_code: str | None, category: str) -> bool:
    """Whether an INS-2 setting (category → authority) is valid for an institution in region_code."""
    return (
        bool(region_code)
        and authority.is_active
        and authority.region_id in region_chain_codes(region_code)
        and authority.kind in _KINDS_FOR_CATEGORY.get(category, [])
    )


def institution_list_for(*, user) -> QuerySet[Institution]:
    """Institutions in the reviewer's region, all for superusers, the officer's own; none for anyone else."""
    qs = within_reach(Institution.objects.all(), user=user, region_code_field="region__code")
    if qs is not None:
        return qs
    if is_officer(user):
        return Institution.objects.filter(pk=user.institution_id)
    return Institution.objects.none()
