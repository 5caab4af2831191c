"""Correction guide pages (资格补改指南, QUA-5)."""

from django.http import Http404
from django.shortcuts import render

GUIDES = {
    "exam": "qualifications/guides/exam.html",
    "legacy": "qualifications/guides/legacy.html",
    "military": "qualifications/guides/military.html",
}


def guides(request):
    return render(request, "qualifications/guides/index.html")


def guide(request, origin):
    if origin not in GUIDES:
        raise Http404
    return render(request, GUIDES[origin], {"origin": origin})
