"""API error shape (API-1): every error is {"errors": [{"field", "code", "message"}]} in Chinese."""

from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .exceptions import TransitionRefused
from .parsers import RequestTooLarge


def django_validator(validator):
    """A Django field validator (raises ValidationError, may return the cleaned value) as a DRF one:
    ``def validate_x(self, value): return django_validator(clean_x)(value)``."""

    def run(value):
        try:
            return validator(value)
        except ValidationError as exc:
            raise serializers.ValidationError(exc.messages, code=exc.code) from None

    return run


def _flatten(detail, field=None):
    """DRF's nested error detail → a flat list of {"field", "code", "message"}."""
    if isinstance(detail, dict):
        items = []
        for key, value in detail.items():
            name = None if key in ("non_field_errors", "detail") else (f"{field}.{key}" if field else key)
            items.extend(_flatten(value, name if name is not None else field))
        return items
    if isinstance(detail, list):
        items = []
        for value in detail:
            items.extend(_flatten(value, field))
        return items
    return [{"field": field, "code": getattr(detail, "code", "invalid"), "message": str(detail)}]


# A refusal's HTTP status, by its code: the one place where the API decides (400 for any code not listed).
REFUSAL_STATUS = {
    # The state of the account (or of someone else's) conflicts with the request.
    "id_number_taken": status.HTTP_409_CONFLICT,
    "username_taken": status.HTTP_409_CONFLICT,
    "already_activated": status.HTTP_409_CONFLICT,
    "not_checked": status.HTTP_409_CONFLICT,
    "not_verified": status.HTTP_409_CONFLICT,
    "has_valid_record": status.HTTP_409_CONFLICT,
    "not_registered_here": status.HTTP_409_CONFLICT,
    # Counters: codes, guesses and attempts per minute or day.
    "too_soon": status.HTTP_429_TOO_MANY_REQUESTS,
    "daily_limit": status.HTTP_429_TOO_MANY_REQUESTS,
    "attempts_exhausted": status.HTTP_429_TOO_MANY_REQUESTS,
    "password_locked": status.HTTP_429_TOO_MANY_REQUESTS,
    # Not this kind of account.
    "not_doctor": status.HTTP_403_FORBIDDEN,
}


def refusal_status(exc: TransitionRefused, view=None) -> int:
    """The HTTP status of a refusal; a view may answer a code differently (`refusal_status` attribute)."""
    overrides = getattr(view, "refusal_status", None) or {}
    return overrides.get(exc.code) or REFUSAL_STATUS.get(exc.code, status.HTTP_400_BAD_REQUEST)


def exception_handler(exc, context):
    if isinstance(exc, TransitionRefused):
        return Response(
            {"errors": [{"field": exc.field, "code": exc.code, "message": str(exc.message)}]},
            status=refusal_status(exc, context.get("view")),
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig):
        exc = RequestTooLarge()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.AuthenticationFailed) and exc.get_codes() == "token_expired":
        # DRF turns a failed authentication into 403 when session authentication comes first; an expired
        # token is a 401 that tells the client which scheme to renew (API-1, docregsys.authentication).
        response.status_code = status.HTTP_401_UNAUTHORIZED
        response["WWW-Authenticate"] = 'Token realm="api"'

    response.data = {
        "errors": _flatten(exc.detail if isinstance(exc, exceptions.APIException) else response.data)
    }
    return response


def error_response(
    message, *, code: str, field: str | None = None, status_code: int = status.HTTP_400_BAD_REQUEST
):
    return Response({"errors": [{"field": field, "code": code, "message": str(message)}]}, status=status_code)


def not_found(request, exception=None):
    """handler404: under /api/ a JSON answer in the error shape (a path converter that does not match, such
    as ``/departments/1.5/``, never reaches DRF); elsewhere Django's page."""
    if request.path.startswith("/api/"):
        error = {"field": None, "code": "not_found", "message": _("未找到。")}
        return JsonResponse({"errors": [error]}, status=404, json_dumps_params={"ensure_ascii": False})
    return defaults.page_not_found(request, exception)
