"""Template context: who is logged in, in which role, and that role's navigation."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from institutions.views.menu import console_menu

from .selectors import may_file_before_activation


def _existing(*entries):
    """(label, url) of the entries whose page exists (no dead entry while a page is being built)."""
    items = []
    for label, name in entries:
        try:
            items.append((label, reverse(name)))
        except NoReverseMatch:
            pass
    return items


def _doctor_items(user):
    """The left menu of seed 002, in its order, with only the pages that exist (ACC-8).

    Before activation only what activation needs is listed (ACC-5), and 业务申请/业务查询 for the doctors
    ACC-5d lets file. Reads nothing but the user row the auth middleware already loaded (except for a
    checked, unactivated doctor, whose records say whether ACC-5d applies): this runs on every page.
    """
    if user.is_activated:
        return [
            (_("首页"), reverse("home")),
            (_("资格信息"), reverse("accounts:qualification")),
            (_("执业信息"), reverse("accounts:practice")),
            (_("考核信息"), reverse("accounts:assessment")),
            (_("信息维护"), reverse("accounts:maintenance")),
            *_existing(
                (_("业务申请"), "accounts:apply"),
                (_("业务查询"), "accounts:applications"),
                (_("证书补办"), "accounts:reissue"),
            ),
            # Seed 003: 电子证照查看与验证 comes after the applications and their progress.
            (_("电子证照"), reverse("accounts:certificates")),
            (_("安全设置"), reverse("accounts:security")),
            (_("资格补改指南"), reverse("qualifications:guides")),
            (_("帮助中心"), reverse("accounts:help")),
        ]
    items = [(_("医师账户激活"), reverse("accounts:activation"))]
    if user.checked_at is not None and may_file_before_activation(user):
        # ACC-5d: 注册 and 变更 may be filed before activation (a few queries, for these doctors only).
        items += _existing((_("业务申请"), "accounts:apply"), (_("业务查询"), "accounts:applications"))
    try:
        items.append((_("身份信息更新"), reverse("accounts:identity_update")))
    except NoReverseMatch:  # the page comes with the sign-up work; no dead entry meanwhile
        pass
    # 资格补改指南 in both menus: seeds 001 and 002 send a doctor whose check failed to "the menu".
    items += [
        (_("资格补改指南"), reverse("qualifications:guides")),
        (_("安全设置"), reverse("accounts:security")),
        (_("帮助中心"), reverse("accounts:help")),
    ]
    return items


def navigation(request):
    """nav_items is a list of (label, url, current); only pages that exist are listed (no dead entries)."""
    user = getattr(request, "user", None)
    role_label = ""
    tenant = ""
    if user is not None and user.is_authenticated and user.is_doctor and not user.is_superuser:
        items = _doctor_items(user)
        role_label = user.get_role_display()
    elif user is not None and user.is_authenticated and user.is_officer and not user.is_superuser:
        # The console's seven menus (seed 002 chapter 3); the band below lists the current menu's pages.
        top, sub = console_menu(request.path)
        tenant = user.institution.name if user.institution_id else ""
        return {
            "nav_items": top,
            "console_submenu": sub,
            "nav_role_label": user.get_role_display(),
            "nav_tenant": tenant,
        }
    else:
        items = [(_("首页"), reverse("home"))]
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
