"""The console's menus, in seed 002 chapter 3's order and wording; only pages that exist are listed."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# (top menu, [(sub menu, url name)]).
MENU = [
    (
        _("本院执业医师信息"),
        [
            (_("主执业机构在本院医师"), "console:doctors_main"),
            (_("本院多执业机构备案医师"), "console:doctors_filed_out"),
            (_("外院在本院多执业机构医师"), "console:doctors_filed_in"),
            (_("本院多地点医师"), "console:doctors_locations_out"),
            (_("多地点执业在本院医师"), "console:doctors_locations_in"),
            (_("本院备案医师"), "console:doctors_archived"),
            (_("医师账户激活"), "console:activation"),
            (_("撤销医师账户"), "console:revoke"),
            (_("本院医师账户管理"), "console:accounts"),
        ],
    ),
    (
        _("业务办理"),
        [
            (_("本院医师信息审核"), "console:info_reviews"),
            (_("医师申请业务办理"), "console:business_queue"),
            (_("医师正在申办的业务列表"), "console:business_open"),
            (_("已完成审批业务列表"), "console:business_done"),
            (_("机构更名变更"), "console:rename"),
            (_("申请备案"), "console:archive"),
            (_("申请注销"), "console:deregister"),
            (_("备案注销申请情况列表"), "console:filings_status"),
        ],
    ),
    (
        _("医师验证"),
        [
            (_("医师资格信息验证"), "console:verify_qualification"),
            (_("医师注册信息验证"), "console:verify_registration"),
            (_("医师信用验证"), "console:verify_credit"),
        ],
    ),
    (_("综合信息"), [(_("通知公告"), "console:notices"), (_("客服中心"), "console:help")]),
    (
        _("系统功能"),
        [
            (_("设置本院科室信息"), "console:departments"),
            (_("本院医师所在科室信息维护"), "console:department_members"),
            (_("审批机关设置"), "console:authorities"),
            (_("安全设置"), "console:security"),
        ],
    ),
    (_("统计信息"), [(_("统计信息"), "console:statistics")]),
    (_("医师在外省注册情况"), [(_("医师在外省注册情况"), "console:outside")]),
]


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:  # a page still being built: no dead entry meanwhile
        return None


def _section(url: str) -> str:
    """/institution/doctors/main/ → /institution/doctors/: the first two segments of a console URL."""
    return "/".join(url.split("/")[:3]) + "/"


def console_menu(path: str):
    """(top items, sub items of the current top menu) as lists of (label, url, current)."""
    top, sub = [], []
    for label, entries in MENU:
        links = [(sub_label, url) for sub_label, name in entries if (url := _url(name))]
        if not links:
            continue
        # A menu is current on its pages and on the pages under the same section (a doctor's detail page
        # /institution/doctors/5/ belongs to 本院执业医师信息 like /institution/doctors/main/).
        current = any(path.startswith(url) or path.startswith(_section(url)) for _label, url in links)
        top.append((label, links[0][1], current))
        if current:
            # The longest matching URL is the current page (业务办理's /institution/business/ holds the
            # pages of /institution/business/open/ …, which are entries of their own).
            best = max((url for _label, url in links if path.startswith(url)), key=len, default=None)
            sub = [(sub_label, url, url == best) for sub_label, url in links]
    return top, sub
