"""The home page for everyone, and the doctor's own pages (ACC-8) — placeholders until filled in."""

from django.http import Http404
from django.shortcuts import render
from django.urls import path

from approvals.selectors import announcement_list_current

from . import layout_for


def home(request):
    announcements = list(announcement_list_current())
    return render(request, "home.html", {"announcements": announcements, "layout": layout_for(request.user)})


def _todo(request, *args, **kwargs):
    raise Http404


urlpatterns = [
    path("help/", _todo, name="help"),
]
