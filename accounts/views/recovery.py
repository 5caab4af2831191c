"""Placeholder: filled in by the recovery work of issue 4."""

from django.http import Http404
from django.urls import path


def _todo(request, *args, **kwargs):
    raise Http404


urlpatterns = [
    path("recover/", _todo, name="recover"),
]
