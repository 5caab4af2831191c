"""The institution console (医疗机构版) in the browser: one module per menu of seed 002 chapter 3.

Every console page is an officer's and shows only the officer's own institution: views fetch through the
scoping selectors (`institution_list_for`, `practice_record_list_for`, …), so another institution's
object is a 404. `officer_required` guards them all.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse


def _login_url() -> str:
    try:
        return reverse("console:login")
    except (
        NoReverseMatch
    ):  # a branch without the console's entrance (issue 9 merge order): the portal's login
        return reverse("accounts:login")


def officer_required(view):
    """Logged-in officers of an institution: anonymous visitors go to the console's login, others get 403.

    An officer who still holds the initial password (INS-1) is sent to change it before anything else.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect(f"{_login_url()}?next={request.path}")
        if not user.is_officer or user.is_superuser or not user.institution_id:
            raise PermissionDenied
        if user.must_change_password:
            return redirect("console:password")
        return view(request, *args, **kwargs)

    return wrapped
