"""PUB-1 public verification pages: by QR code, by name + 执业证书编码, by a printed code (issue 11)."""

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from .keys import signing_identity


@require_GET
def public_key(request):
    """The public key that checks QR payloads and PDF signatures offline (PEM)."""
    return HttpResponse(signing_identity().public_key_pem, content_type="application/x-pem-file")


@require_GET
def index(request):
    raise Http404


@require_GET
def qr(request, token: str):
    raise Http404


@require_GET
def code(request, code: str):
    raise Http404
