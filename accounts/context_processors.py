"""Template context: who is logged in, in which role, and that role's navigation."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def navigation(request):
    """nav_items is a list of (label, url, current); only pages that exist are listed (no dead entries)."""
    user = getattr(request, "user", None)
    items = [(_("首页"), reverse("home"))]
    role_label = ""
    tenant = ""
    if user is not None and user.is_authenticated:
        role_label = user.get_role_display() if not user.is_superuser else _("系统管理员")
        if user.is_officer and user.institution_id:
            tenant = user.institution.name
        elif user.is_reviewer and user.authority_id:
            tenant = user.authority.name
        if user.is_staff:
            items.append((_("审批管理"), reverse("admin:index")))
    items.append((_("资格补改指南"), reverse("qualifications:guides")))
    path = request.path
    # An entry is current on its own page and on the pages under it (the guides under 资格补改指南).
    nav = [(label, url, path == url or (url != "/" and path.startswith(url))) for label, url in items]
    return {"nav_items": nav, "nav_role_label": role_label, "nav_tenant": tenant}
