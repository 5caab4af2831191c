"""Who may call /api/v1/institution/: the same officers the console's pages let in (`officer_required`)."""

from django.core.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission

from docregsys.reference.selectors import is_officer


def is_console_officer(user) -> bool:
    """An active officer of an institution who has replaced the initial password (INS-1); not the superuser."""
    return is_officer(user) and not user.is_superuser and not user.must_change_password


def console_officer(request):
    """The calling officer; anyone else is refused with 403 before any query of the institution's data."""
    if not is_console_officer(request.user):
        raise PermissionDenied
    return request.user


class ConsoleOfficer(BasePermission):
    """DRF permission form of `console_officer`."""

    def has_permission(self, request, view):
        return is_console_officer(request.user)
