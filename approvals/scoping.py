"""Who sees what in the admin (APP-1, APP-3): every reviewer query starts here, and it denies by default.

A reviewer's reach is the region of their authority, as a code prefix: a county bureau (430102)
sees 430102 only, a city commission (4301…) its counties, a province (43…) the whole province,
the national level and superusers everything (''). Anyone else gets ``None`` and empty querysets.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts.models import User
from docregsys.reference.models import Announcement, Authority, Region
from institutions.models import Institution

_CACHE_ATTR = "_scoping_region_prefix"


def region_prefix_for(user) -> str | None:
    """'' for everything, a region-code prefix for a reviewer, None (nothing) for anyone else."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.is_superuser:
        return ""
    if not (user.is_staff and user.role == User.Role.REVIEWER and user.authority_id):
        return None
    # request.user lives for one request: the authority is read once, not once per permission check.
    if not hasattr(user, _CACHE_ATTR):
        authority = user.authority
        setattr(user, _CACHE_ATTR, authority.region_prefix if authority.is_active else None)
    return getattr(user, _CACHE_ATTR)


def is_reviewer(user) -> bool:
    """A reviewer in good standing (staff, active authority); superusers are not reviewers."""
    return not getattr(user, "is_superuser", False) and region_prefix_for(user) is not None


def province_code_for(user) -> str | None:
    """The reviewer's province ('430000'); '' for national level and superusers; None for others."""
    prefix = region_prefix_for(user)
    if prefix is None or prefix == "":
        return prefix
    return prefix[:2] + "0000"


def _ancestor_codes(prefix: str) -> list[str]:
    """Codes of the province and city above a prefix (the county's own code is the prefix itself)."""
    codes = [prefix[:2] + "0000"]
    if len(prefix) >= 4:
        codes.append(prefix[:4] + "00")
    return codes


def regions_for(user) -> QuerySet[Region]:
    prefix = region_prefix_for(user)
    if prefix is None:
        return Region.objects.none()
    qs = Region.objects.all()
    return qs.filter(code__startswith=prefix) if prefix else qs


def institutions_for(user) -> QuerySet[Institution]:
    prefix = region_prefix_for(user)
    if prefix is None:
        return Institution.objects.none()
    qs = Institution.objects.all()
    return qs.filter(region__code__startswith=prefix) if prefix else qs


def officers_for(user) -> QuerySet[User]:
    """Officer accounts of the institutions in scope; never reviewers or doctors."""
    prefix = region_prefix_for(user)
    if prefix is None:
        return User.objects.none()
    qs = User.objects.filter(role=User.Role.OFFICER)
    return qs.filter(institution__region__code__startswith=prefix) if prefix else qs


def users_for(user) -> QuerySet[User]:
    """All accounts for a superuser; a reviewer only the officer accounts in scope."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return User.objects.all()
    return officers_for(user)


def authorities_for(user) -> QuerySet[Authority]:
    """Authorities in the reviewer's region plus those above it (their own chain), read-only."""
    prefix = region_prefix_for(user)
    if prefix is None:
        return Authority.objects.none()
    qs = Authority.objects.all()
    if not prefix:
        return qs
    return qs.filter(Q(region__code__startswith=prefix) | Q(region_id__in=_ancestor_codes(prefix)))


def announcements_for(user) -> QuerySet[Announcement]:
    """A reviewer's province's announcements; nationwide ones only for the national level and superusers."""
    province = province_code_for(user)
    if province is None:
        return Announcement.objects.none()
    qs = Announcement.objects.all()
    return qs.filter(region_id=province) if province else qs


def reference_for(user, model) -> QuerySet:
    """Reference lists (scopes, titles, reasons …): the whole list for reviewers, nothing for others."""
    return model.objects.all() if region_prefix_for(user) is not None else model.objects.none()


def region_code_in_scope(user, code: str | None) -> bool:
    """Whether a region code lies inside the user's scope (for checks on data not yet saved)."""
    prefix = region_prefix_for(user)
    return prefix is not None and code is not None and code.startswith(prefix)


def practice_records_for(user) -> QuerySet:
    """Practice records whose main institution lies in the reviewer's region (all for a superuser)."""
    from registrations.models import PracticeRecord

    prefix = region_prefix_for(user)
    if prefix is None:
        return PracticeRecord.objects.none()
    qs = PracticeRecord.objects.all()
    return qs.filter(main_institution__region__code__startswith=prefix) if prefix else qs
