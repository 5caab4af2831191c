"""Placeholder: filled in by the activation work of issue 4."""

from django.http import Http404
from django.urls import path


def _todo(request, *args, **kwargs):
    raise Http404


urlpatterns = [
    path("activation/", _todo, name="activation"),
]
