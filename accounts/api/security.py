"""/api/v1/accounts/: phone and e-mail verification (ACC-4), password/phone/e-mail change (ACC-7).

Each endpoint parses its input, calls the service of the web page and answers JSON; refusals come
back through the exception handler as {"errors": [{"field", "code", "message"}]} (429 for quotas).
"""

from django.conf import settings
from django.contrib.auth import update_session_auth_hash
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from docregsys.identity.validators import PASSWORD_MAX_LENGTH
from docregsys.openapi import refusals

from ..channels import CHANNELS, ContactChannel
from ..forms.security import code_validator
from ..selectors import activation_next_step
from ..services import security as services
from ..services.codes import client_ip


class IsAccountHolder(BasePermission):
    """Doctors (activated or not) and institution officers, as on the web pages."""

    def has_permission(self, request, view):
        user = request.user
        return bool(
            user and user.is_authenticated and not user.is_superuser and (user.is_doctor or user.is_officer)
        )


def _contact_serializers(channel: ContactChannel) -> dict[str, type[serializers.Serializer]]:
    """The request bodies of one channel: {phone} / {phone, code} / {phone, password} (and the same for email).

    Named as before (SecurityPhoneSerializer …) so the OpenAPI components keep their names.
    """
    title = channel.name.title()
    value = {channel.name: serializers.CharField(label=channel.label, max_length=channel.max_length)}
    code = {"code": serializers.CharField(label=_("校验码"), max_length=6, validators=[code_validator])}
    password = {
        "password": serializers.CharField(
            label=_("当前登录密码"), max_length=PASSWORD_MAX_LENGTH, trim_whitespace=False
        )
    }
    return {
        kind: type(f"Security{title}{kind}Serializer", (serializers.Serializer,), {**value, **extra})
        for kind, extra in (("", {}), ("Code", code), ("Change", password))
    }


class SecurityPasswordSerializer(serializers.Serializer):
    old_password = serializers.CharField(
        label=_("当前登录密码"), max_length=PASSWORD_MAX_LENGTH, trim_whitespace=False
    )
    new_password = serializers.CharField(label=_("新密码"), max_length=PASSWORD_MAX_LENGTH, trim_whitespace=False)


class SecuritySentSerializer(serializers.Serializer):
    sent_to = serializers.CharField(help_text=_("接收方（已遮蔽）"))
    expires_in = serializers.IntegerField(help_text=_("有效秒数"))


class SecurityDoneSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text=_("给用户看的结果说明"))


class SecurityStatusSerializer(serializers.Serializer):
    phone = serializers.CharField()
    phone_verified = serializers.BooleanField()
    email = serializers.CharField()
    email_verified = serializers.BooleanField()
    next_step = serializers.DictField(allow_null=True)


def _status(user):
    step = activation_next_step(user)
    return {
        "phone": user.phone_masked,
        "phone_verified": user.phone_verified,
        "email": user.email_masked,
        "email_verified": user.email_verified,
        "next_step": None if step is None else {"label": str(step.label), "url": step.url},
    }


class _Endpoint(APIView):
    permission_classes = [IsAuthenticated, IsAccountHolder]
    # "Verify your phone first" is a plain refusal on these pages, not the activation conflict.
    refusal_status = {"not_verified": 400}
    input_class: type[serializers.Serializer]

    def post(self, request):
        data = self.input_class(data=request.data)
        data.is_valid(raise_exception=True)
        return self.act(request, **data.validated_data)


class _Send(_Endpoint):
    channel: ContactChannel
    send = None  # the service, set per route

    def act(self, request, **data):
        value = data.pop(self.channel.name)
        sent = self.send(
            channel=self.channel, user=request.user, value=value, client=client_ip(request), **data
        )
        return Response(
            {"sent_to": self.channel.mask(sent), "expires_in": settings.CODE_TTL_SECONDS}, status=202
        )


class _Confirm(_Endpoint):
    channel: ContactChannel
    confirm = None  # the service, set per route

    def act(self, request, *, code, **data):
        self.confirm(channel=self.channel, user=request.user, value=data[self.channel.name], code=code)
        return Response(_status(request.user))


# What each endpoint does, per mode; the docstring becomes the operation's description.
_MODES = {
    "verify": (
        services.contact_verify_send,
        services.contact_verify_confirm,
        "",
        "ACC-4: send a verification code to the account's (still unverified) {noun}.",
        "ACC-4: the code received; the {noun} becomes verified.",
    ),
    "change": (
        services.contact_change_send,
        services.contact_change_confirm,
        "Change",
        "ACC-7: current password + new {noun}; a code goes to the new one.",
        "ACC-7: the code from the new {noun}; it replaces the old one.",
    ),
}
_NOUNS = {"phone": "phone", "email": "e-mail address"}


def _contact_routes():
    for channel in CHANNELS.values():
        bodies = _contact_serializers(channel)
        for mode, (send, confirm, kind, send_doc, confirm_doc) in _MODES.items():
            noun = _NOUNS[channel.name]
            sender = extend_schema(
                request=bodies[kind], responses={202: SecuritySentSerializer, **refusals(429)}, tags=["accounts"]
            )(
                type(
                    f"{channel.name.title()}{mode.title()}Send",
                    (_Send,),
                    {
                        "__doc__": send_doc.format(noun=noun),
                        "channel": channel,
                        "input_class": bodies[kind],
                        "send": staticmethod(send),
                    },
                )
            )
            confirmer = extend_schema(
                request=bodies["Code"], responses={200: SecurityStatusSerializer}, tags=["accounts"]
            )(
                type(
                    f"{channel.name.title()}{mode.title()}Confirm",
                    (_Confirm,),
                    {
                        "__doc__": confirm_doc.format(noun=noun),
                        "channel": channel,
                        "input_class": bodies["Code"],
                        "confirm": staticmethod(confirm),
                    },
                )
            )
            prefix = f"{channel.name}/" if mode == "verify" else f"{channel.name}/change/"
            name = channel.name if mode == "verify" else f"{channel.name}_change"
            yield path(f"{prefix}send/", sender.as_view(), name=f"{name}_send")
            yield path(f"{prefix}confirm/", confirmer.as_view(), name=f"{name}_confirm")


@extend_schema(
    request=SecurityPasswordSerializer,
    responses={200: SecurityDoneSerializer, **refusals(429)},
    tags=["accounts"],
)
class PasswordChange(_Endpoint):
    """ACC-7: change the password; other sessions and other API tokens stop working, this one stays."""

    input_class = SecurityPasswordSerializer

    def act(self, request, *, old_password, new_password):
        token = request.auth.key if isinstance(request.auth, Token) else None
        services.password_change(
            user=request.user, old_password=old_password, new_password=new_password, keep_token=token
        )
        if token is None:
            update_session_auth_hash(request, request.user)  # logged in by session: keep this one
        return Response({"detail": str(_("登录密码修改成功。"))}, status=status.HTTP_200_OK)


urlpatterns = [
    *_contact_routes(),
    path("password/", PasswordChange.as_view(), name="password_change"),
]
