"""PUB-1 public verification pages: by QR code, by name + 执业证书编码, by a printed code (issue 11).

No login: anonymous visitors and logged-in users see the same pages. Every lookup that reaches the data
is counted per client (and, by name + number, per person looked up): over the limit the page answers
429 with Retry-After and the form kept.
"""

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts.services.codes import client_ip

from .keys import signing_identity
from .links import live_code_valid, token_payload
from .public_forms import CodeCheckForm, PracticeLookupForm, clean_document_code
from .selectors import document_check
from .throttle import LookupThrottled, lookup_key, lookup_take
from .verification import certificate_qr_check, practice_lookup


@require_GET
def public_key(request):
    """The public key that checks QR payloads and PDF signatures offline (PEM)."""
    return HttpResponse(signing_identity().public_key_pem, content_type="application/x-pem-file")


def _throttled(response: HttpResponse, refused: LookupThrottled) -> HttpResponse:
    response.status_code = 429
    response["Retry-After"] = str(refused.retry_after)
    return response


def _client_key(request) -> str:
    return lookup_key("client", client_ip(request))


@never_cache
@require_http_methods(["GET", "POST"])
def index(request):
    """医师执业信息查询: name + 执业证书编码 (POST, captcha), or a printed code (GET ?code= → its page)."""
    lookup_form = PracticeLookupForm(request.POST or None)
    code_form = CodeCheckForm(request.GET if "code" in request.GET else None)
    if code_form.is_bound and code_form.is_valid():
        return redirect("verify:code", code=code_form.cleaned_data["code"])
    context = {"lookup_form": lookup_form, "code_form": code_form, "searched": False}
    if request.method == "POST" and lookup_form.is_valid():
        data = lookup_form.cleaned_data
        try:
            # The captcha and the formats passed: only now is a lookup counted (and the data read).
            lookup_take(
                _client_key(request),
                lookup_key("person", f"{data['real_name']}\n{data['certificate_number']}"),
            )
        except LookupThrottled as refused:
            # The form stays as typed; its captcha renders as a new image (the one just used is spent).
            context["throttled"] = refused.message
            return _throttled(render(request, "printing/public/index.html", context), refused)
        context.update(
            searched=True,
            records=practice_lookup(
                real_name=data["real_name"], certificate_number=data["certificate_number"]
            ),
        )
    return render(request, "printing/public/index.html", context)


def _check(code: str):
    """document_check of a code as typed (hyphens, lower case, O for 0 …); None when it cannot be a code."""
    try:
        return document_check(clean_document_code(code))
    except ValidationError:
        return None


@never_cache
@require_GET
def code(request, code: str):
    """A printed code: 有效 / 已失效 / 未找到, with what the document's kind shows the public."""
    context = {"code": code}
    try:
        lookup_take(_client_key(request))
    except LookupThrottled as refused:
        context["throttled"] = refused.message
        return _throttled(render(request, "printing/public/code.html", context), refused)
    check = _check(code)
    context["check"] = check
    if check is not None:
        context["institution"] = check.document.institution.name if check.document.institution_id else ""
    response = render(request, "printing/public/code.html", context)
    if check is None:
        response.status_code = 404
    return response


@never_cache
@require_GET
def qr(request, token: str):
    """A certificate's QR: what the signed payload said, the record now, and the doctor's live code if any."""
    payload = token_payload(token)
    if payload is None:
        return render(request, "printing/public/qr.html", {"bad_token": True}, status=404)
    context = {"otp_given": "otp" in request.GET}
    try:
        lookup_take(_client_key(request))
    except LookupThrottled as refused:
        context["throttled"] = refused.message
        return _throttled(render(request, "printing/public/qr.html", context), refused)
    check = certificate_qr_check(payload)
    context["check"] = check
    if context["otp_given"]:
        context["otp_valid"] = live_code_valid(
            str(payload.get("code") or ""), request.GET.get("otp", "")[:12]
        )
    context["index_url"] = reverse("verify:index")
    return render(request, "printing/public/qr.html", context)


@require_GET
def offline(request):
    """How to check a certificate QR without this site: the token format and the public key."""
    return render(request, "printing/public/offline.html")
