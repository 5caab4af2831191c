"""Reads of institutions: the caller's scope (`institution_list_for`) and the INS-2 authority rules."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from docregsys.reference.models import Authority, Category, TreatmentSubject
from docregsys.reference.selectors import is_officer, within_reach

from .models import Department, Institution, InstitutionAuthority
from .pinyin import pinyin_initials

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


def department_list_for(*, user) -> QuerySet[Department]:
    """INS-3: an officer's own institution's departments, the reviewer's region's; none for anyone else."""
    return Department.objects.filter(institution__in=institution_list_for(user=user))


def departments_of(institution_id) -> QuerySet[Department]:
    """The departments of one institution with their subjects, by name (2 queries): what a doctor picks from."""
    if not institution_id:
        return Department.objects.none()
    return (
        Department.objects.filter(institution_id=institution_id)
        .prefetch_related(Prefetch("subjects", queryset=TreatmentSubject.objects.order_by("code")))
        .order_by("name", "pk")
    )


@dataclass(frozen=True)
class SubjectOption:
    """One row of the 诊疗科目 picker: code, name and the initials the filter box matches."""

    code: str
    name: str
    initials: str


def treatment_subject_options() -> list[SubjectOption]:
    """The catalogue of treatment subjects (诊疗科目), by code, with pinyin initials (1 query)."""
    return [
        SubjectOption(code, name, pinyin_initials(name))
        for code, name in TreatmentSubject.objects.order_by("code").values_list("code", "name")
    ]


@dataclass
class AuthoritySetting:
    """INS-2, one category: the current setting and the authorities it may be changed to."""

    category: str
    label: str
    current: Authority | None
    choices: list[Authority]


def authority_settings_of(institution: Institution) -> list[AuthoritySetting]:
    """The four categories (临床, 口腔, 公卫, 中医) with their current authority and choices (2 queries)."""
    current = {
        s.category: s.authority
        for s in InstitutionAuthority.objects.filter(institution=institution).select_related("authority")
    }
    candidates = list(authority_choices_for(region_code=institution.region_id).order_by("-region_id", "kind"))
    settings = []
    for category, label in Category.choices:
        kinds = _KINDS_FOR_CATEGORY.get(category, [])
        settings.append(
            AuthoritySetting(
                category=category,
                label=label,
                current=current.get(category),
                choices=[a for a in candidates if a.kind in kinds],
            )
        )
    return settings
