"""Who sees which reference rows, and the reviewer's reach every scoped selector starts from (APP-1, APP-3).

A reviewer's reach is the region of their authority, as a code prefix: a county bureau (430102)
sees 430102 only, a city commission (4301…) its counties, a province (43…) the whole province,
the national level and superusers everything (''). Anyone else gets ``None`` and empty querysets:
every ``<entity>_list_for(*, user)`` selector of every app denies by default.
"""

from __future__ import annotations

from django.db.models import Model, Q, QuerySet

from .models import Announcement, Authority, Region

# This layer sits below accounts: it reads the user's own attributes (is_reviewer, is_officer, authority_id …).
_CACHE_ATTR = "_scoping_region_prefix"


def region_prefix_for(user) -> str | None:
    """'' for everything, a region-code prefix for a reviewer, None (nothing) for anyone else."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.is_superuser:
        return ""
    if not (user.is_staff and user.is_reviewer and user.authority_id):
        return None
    # request.user lives for one request: the authority is read once, not once per permission check.
    if not hasattr(user, _CACHE_ATTR):
        authority = user.authority
        setattr(user, _CACHE_ATTR, authority.region_prefix if authority.is_active else None)
    return getattr(user, _CACHE_ATTR)


def is_reviewer(user) -> bool:
    """A reviewer in good standing (staff, active authority); superusers are not reviewers."""
    return not getattr(user, "is_superuser", False) and region_prefix_for(user) is not None


def is_officer(user) -> bool:
    """An active institution officer tied to an institution."""
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and user.is_officer
        and user.institution_id
    )


def province_code_for(user) -> str | None:
    """The reviewer's province ('430000'); '' for national level and superusers; None for others."""
    prefix = region_prefix_for(user)
    if prefix is None or prefix == "":
        return prefix
    return prefix[:2] + "0000"


def region_code_in_scope(user, code: str | None) -> bool:
    """Whether a region code lies inside the user's scope (for checks on data not yet saved)."""
    prefix = region_prefix_for(user)
    return prefix is not None and code is not None and code.startswith(prefix)


def within_reach(qs: QuerySet, *, user, region_code_field: str) -> QuerySet | None:
    """``qs`` limited to the reviewer's region through a region-code path (``"region__code"`` …);
    the whole of it for superusers and the national level, ``None`` for anyone with no reach."""
    prefix = region_prefix_for(user)
    if prefix is None:
        return None
    return qs.filter(**{f"{region_code_field}__startswith": prefix}) if prefix else qs


def _ancestor_codes(prefix: str) -> list[str]:
    """Codes of the province and city above a prefix (the county's own code is the prefix itself)."""
    codes = [prefix[:2] + "0000"]
    if len(prefix) >= 4:
        codes.append(prefix[:4] + "00")
    return codes


def region_list_for(*, user) -> QuerySet[Region]:
    """Regions under the reviewer's authority; all for superusers; none for anyone else."""
    qs = within_reach(Region.objects.all(), user=user, region_code_field="code")
    return Region.objects.none() if qs is None else qs


def authority_list_for(*, user) -> QuerySet[Authority]:
    """Authorities in the reviewer's region plus those above it (their own chain)."""
    prefix = region_prefix_for(user)
    if prefix is None:
        return Authority.objects.none()
    qs = Authority.objects.all()
    if not prefix:
        return qs
    return qs.filter(Q(region__code__startswith=prefix) | Q(region_id__in=_ancestor_codes(prefix)))


def announcement_list_for(*, user) -> QuerySet[Announcement]:
    """A reviewer's province's announcements; nationwide ones only for the national level and superusers."""
    province = province_code_for(user)
    if province is None:
        return Announcement.objects.none()
    qs = Announcement.objects.all()
    return qs.filter(region_id=province) if province else qs


def code_list_for(*, user, model: type[Model]) -> QuerySet:
    """A code list (scopes, subjects, titles, reasons …) in the admin: whole for reviewers, none for others."""
    return model.objects.all() if region_prefix_for(user) is not None else model.objects.none()


def announcement_list_current(*, province_code: str | None = None) -> QuerySet[Announcement]:
    """Announcements in force, for everyone: nationwide ones and, given a province, that province's."""
    qs = Announcement.objects.current().select_related("region")
    if province_code:
        qs = qs.filter(region__isnull=True) | qs.filter(region_id=province_code)
    return qs
