"""Placeholder: filled in by the signup work of issue 4."""

from django.http import Http404
from django.urls import path


def _todo(request, *args, **kwargs):
    raise Http404


urlpatterns = [
    path("signup/", _todo, name="signup"),
    path("check/", _todo, name="check"),
    path("privacy/", _todo, name="privacy"),
]
