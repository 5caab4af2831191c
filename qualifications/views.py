"""Correction guide pages (资格补改指南, QUA-5)."""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from accounts.views import layout_for

# origin → (template with the guide's text, page title, breadcrumb label)
GUIDES = {
    "exam": ("qualifications/guides/exam.html", _("新人新办法医师资格信息修改及补录指南"), _("新人新办法")),
    "legacy": (
        "qualifications/guides/legacy.html",
        _("老人老办法医师资格信息修改及补录指南"),
        _("老人老办法"),
    ),
    "military": (
        "qualifications/guides/military.html",
        _("军队离休及复转退人员医师资格信息补录指南"),
        _("军队人员"),
    ),
}


def guides(request):
    # A doctor reads the guides inside the doctor's frame (资格补改指南 is in the left menu); anyone else
    # in theirs.
    return render(request, "qualifications/guides/index.html", {"layout": layout_for(request.user)})


def guide(request, origin):
    if origin not in GUIDES:
        raise Http404
    template, title, crumb = GUIDES[origin]
    context = {
        "origin": origin,
        "guide_title": title,
        "guide_crumb": crumb,
        "layout": layout_for(request.user),
    }
    return render(request, template, context)
