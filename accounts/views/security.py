"""Placeholder: filled in by the security work of issue 4."""

from django.http import Http404
from django.urls import path


def _todo(request, *args, **kwargs):
    raise Http404


urlpatterns = [
    path("security/", _todo, name="security"),
    path("security/phone/", _todo, name="verify_phone"),
    path("security/email/", _todo, name="verify_email"),
    path("security/password/", _todo, name="password_change"),
]
