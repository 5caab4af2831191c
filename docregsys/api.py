"""API error shape (API-1): every error is {"errors": [{"field", "code", "message"}]} in Chinese."""

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .exceptions import TransitionRefused
from .parsers import RequestTooLarge


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


def exception_handler(exc, context):
    if isinstance(exc, TransitionRefused):
        return Response(
            {"errors": [{"field": exc.field, "code": exc.code, "message": str(exc.message)}]},
            status=exc.status,
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
    response.data = {
        "errors": _flatten(exc.detail if isinstance(exc, exceptions.APIException) else response.data)
    }
    return response


def error_response(
    message, *, code: str, field: str | None = None, status_code: int = status.HTTP_400_BAD_REQUEST
):
    return Response({"errors": [{"field": field, "code": code, "message": str(message)}]}, status=status_code)
