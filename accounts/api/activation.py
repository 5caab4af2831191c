"""/api/v1/accounts/activation/: where activation stands (GET) and paths a, b, c (POST) — ACC-5, API-1."""

from django.core.exceptions import PermissionDenied
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

from docregsys.openapi import refusals

from ..selectors import activation_next_step, activation_route_for
from ..services.activation import (
    account_activate_with_certificate,
    account_activate_with_code,
    account_activate_with_ticket,
    activation_refusal,
)


def _doctor(request):
    if not request.user.is_doctor or request.user.is_superuser:
        raise PermissionDenied
    return request.user


def _state(user) -> dict:
    data = {
        "activated": user.is_activated,
        "activated_at": user.activated_at,
        "activation_path": user.activation_path or None,
        "checked": user.checked_at is not None,
        "phone_verified": user.phone_verified,
        "email_verified": user.email_verified,
        "may_activate": False,
        "paths": [],
        "institution": None,
        "next_step": None,
    }
    if user.is_activated:
        return data
    route = activation_route_for(user=user)
    data["paths"] = route.paths
    data["institution"] = route.institution.name if route.institution else None
    data["may_activate"] = activation_refusal(user) is None
    if step := activation_next_step(user):
        data["next_step"] = {"label": str(step.label), "url": step.url, "reason": str(step.reason)}
    return data


class ActivationNextStepSerializer(serializers.Serializer):
    label = serializers.CharField()
    url = serializers.CharField()
    reason = serializers.CharField()


class ActivationStateSerializer(serializers.Serializer):
    """Where activation stands (the answer of every endpoint here)."""

    activated = serializers.BooleanField()
    activated_at = serializers.DateTimeField(allow_null=True)
    activation_path = serializers.ChoiceField(
        choices=["code", "certificate", "ticket", "approval"], allow_null=True
    )
    checked = serializers.BooleanField()
    phone_verified = serializers.BooleanField()
    email_verified = serializers.BooleanField()
    may_activate = serializers.BooleanField(
        help_text="checked and phone (or e-mail) verified: paths a/b/c may be tried"
    )
    paths = serializers.ListField(
        child=serializers.CharField(), help_text="the paths that apply, 'approval' always"
    )
    institution = serializers.CharField(allow_null=True, help_text="path a: where to ask for the code")
    next_step = ActivationNextStepSerializer(allow_null=True)


@extend_schema(responses={200: ActivationStateSerializer}, tags=["accounts"])
@api_view(["GET"])
def activation_state(request):
    """ACC-5: activated or not, what is missing, and which paths apply (with the institution for path a)."""
    return Response(_state(_doctor(request)))


class ActivationCodeInputSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=20)


class ActivationCertificateInputSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=40)


class ActivationTicketInputSerializer(serializers.Serializer):
    ticket = serializers.CharField(max_length=40)


def _activate(request, serializer_class, service, field):
    user = _doctor(request)
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    service(user, serializer.validated_data[field])
    user.refresh_from_db()
    return Response(_state(user))


@extend_schema(
    request=ActivationCodeInputSerializer,
    responses={200: ActivationStateSerializer, **refusals(409, 429)},
    tags=["accounts"],
)
@api_view(["POST"])
def activate_with_code(request):
    """ACC-5a: {"code"} → the new state, or 400/409/429 with the reason."""
    return _activate(
        request,
        ActivationCodeInputSerializer,
        lambda u, v: account_activate_with_code(user=u, code=v),
        "code",
    )


@extend_schema(
    request=ActivationCertificateInputSerializer,
    responses={200: ActivationStateSerializer, **refusals(409, 429)},
    tags=["accounts"],
)
@api_view(["POST"])
def activate_with_certificate(request):
    """ACC-5b: {"number"} (qualification-certificate number)."""
    return _activate(
        request,
        ActivationCertificateInputSerializer,
        lambda u, v: account_activate_with_certificate(user=u, number=v),
        "number",
    )


@extend_schema(
    request=ActivationTicketInputSerializer,
    responses={200: ActivationStateSerializer, **refusals(409, 429)},
    tags=["accounts"],
)
@api_view(["POST"])
def activate_with_ticket(request):
    """ACC-5c: {"ticket"} (written-exam admission ticket number of a passing result)."""
    return _activate(
        request,
        ActivationTicketInputSerializer,
        lambda u, v: account_activate_with_ticket(user=u, ticket=v),
        "ticket",
    )


urlpatterns = [
    path("activation/", activation_state, name="activation"),
    path("activation/code/", activate_with_code, name="activation_code"),
    path("activation/certificate/", activate_with_certificate, name="activation_certificate"),
    path("activation/ticket/", activate_with_ticket, name="activation_ticket"),
]
