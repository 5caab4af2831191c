"""ACC-6 under /api/v1/accounts/recover/: the same steps as the pages, for REST clients.

The reset uid + token travel in JSON bodies only, never in a URL.
"""

from captcha.validators import captcha_validate
from django.core.exceptions import ValidationError
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from docregsys.api import django_validator
from docregsys.identity.crypto import normalize_id_number
from docregsys.identity.validators import (
    CAPTCHA_KEY_MAX_LENGTH,
    CAPTCHA_VALUE_MAX_LENGTH,
    PASSWORD_MAX_LENGTH,
    validate_real_name,
)
from docregsys.openapi import refusals

from ..channels import CHANNELS, ContactChannel
from ..services import recovery as svc
from ..services.codes import client_ip
from ..services.passwords import password_errors

CAPTCHA_INVALID = _("验证码不正确，请重新输入。")


class CaptchaInput(serializers.Serializer):
    """The image captcha: key from /captcha/refresh/, value typed by the person."""

    captcha_key = serializers.CharField(max_length=CAPTCHA_KEY_MAX_LENGTH)
    captcha_value = serializers.CharField(max_length=CAPTCHA_VALUE_MAX_LENGTH)

    def validate(self, attrs):
        try:
            captcha_validate(attrs["captcha_key"], attrs["captcha_value"])
        except serializers.ValidationError:
            raise serializers.ValidationError(
                {"captcha_value": serializers.ErrorDetail(str(CAPTCHA_INVALID), code="captcha_invalid")}
            ) from None
        return attrs


def _contact_inputs(channel: ContactChannel) -> tuple[type, type]:
    """Step 1 ({phone} + captcha) and step 2 ({phone, code}) bodies of one channel, named as before."""
    title = channel.name.title()

    def validate_value(self, value):
        return django_validator(channel.validate)(value)

    send = type(
        f"{title}SendInput",
        (CaptchaInput,),
        {
            channel.name: serializers.CharField(max_length=channel.max_length),
            f"validate_{channel.name}": validate_value,
        },
    )
    confirm = type(
        f"{title}ConfirmInput",
        (serializers.Serializer,),
        {
            channel.name: serializers.CharField(max_length=channel.max_length),
            "code": serializers.RegexField(
                r"^\d{6}$", max_length=6, error_messages={"invalid": _("校验码为6位数字。")}
            ),
        },
    )
    return send, confirm


class PersonalInput(CaptchaInput):
    real_name = serializers.CharField(max_length=28)
    id_number = serializers.CharField(max_length=20)
    certificate_number = serializers.CharField(max_length=32)

    def validate_real_name(self, value):
        try:
            return validate_real_name(value)
        except ValidationError:
            return value.strip()  # any mismatch gets the one generic answer

    def validate_id_number(self, value):
        return normalize_id_number(value)


class PasswordInput(serializers.Serializer):
    uid = serializers.CharField(max_length=40)
    token = serializers.CharField(max_length=100)
    new_password = serializers.CharField(max_length=PASSWORD_MAX_LENGTH, trim_whitespace=False, write_only=True)


def _parse(serializer_class, request):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _grant_body(grant) -> dict:
    return {"username_masked": grant.username_masked, "uid": grant.uid, "token": grant.token}


class DetailOutput(serializers.Serializer):
    detail = serializers.CharField()


class GrantOutput(serializers.Serializer):
    username_masked = serializers.CharField()
    uid = serializers.CharField()
    token = serializers.CharField(help_text=_("重置密码凭据，30分钟内有效，仅可使用一次"))


class PersonalOutput(serializers.Serializer):
    username_masked = serializers.CharField()
    phone_masked = serializers.CharField(allow_blank=True)
    email_masked = serializers.CharField(allow_blank=True)
    can_reset = serializers.BooleanField()
    uid = serializers.CharField(required=False)
    token = serializers.CharField(required=False)
    detail = serializers.CharField(required=False)


def _public(request_serializer, response_serializer, *refused: int):
    def decorate(view):
        view = permission_classes([AllowAny])(view)
        # No session authentication: an anonymous JSON client has no CSRF token to send.
        view = authentication_classes([])(view)
        view = api_view(["POST"])(view)
        return extend_schema(
            request=request_serializer,
            responses={200: response_serializer, **refusals(*refused)},
            tags=["accounts"],
        )(view)

    return decorate


def _contact_views(channel: ContactChannel):
    """通过手机 / 邮箱找回 for REST clients: send (the same answer for any value), then confirm → the grant."""
    send_input, confirm_input = _contact_inputs(channel)

    def send(request):
        data = _parse(send_input, request)
        svc.account_recover_by_contact_send(
            channel=channel, value=data[channel.name], client=client_ip(request)
        )
        return Response({"detail": str(channel.recover_sent)})

    def confirm(request):
        data = _parse(confirm_input, request)
        grant = svc.account_recover_by_contact_confirm(
            channel=channel, value=data[channel.name], code=data["code"]
        )
        return Response(_grant_body(grant))

    noun = {"phone": "phone", "email": "e-mail"}[channel.name]
    send.__name__, confirm.__name__ = f"{channel.name}_send", f"{channel.name}_confirm"
    send.__doc__ = f"Send a recovery code to a verified {noun}; the same answer for any value."
    confirm.__doc__ = f"The code from the {noun} → masked username + uid + token for recover/password/."
    return _public(send_input, DetailOutput, 429)(send), _public(confirm_input, GrantOutput)(confirm)


@_public(PersonalInput, PersonalOutput, 429)
def personal(request):
    """Name + ID number + certificate number → the masked account; uid + token only if it may be reset here."""
    data = _parse(PersonalInput, request)
    match = svc.account_recover_by_personal_info(
        real_name=data["real_name"],
        id_number=data["id_number"],
        certificate_number=data["certificate_number"],
        client=client_ip(request),
    )
    body = {
        "username_masked": match.username_masked,
        "phone_masked": match.phone_masked,
        "email_masked": match.email_masked,
        "can_reset": match.grant is not None,
    }
    if match.grant is not None:
        body.update(uid=match.grant.uid, token=match.grant.token)
    else:
        body["detail"] = str(svc.PROTECTED)
    return Response(body)


@_public(PasswordInput, DetailOutput)
def password(request):
    """uid + token + new_password → the password is set; every session and API token of the account ends."""
    data = _parse(PasswordInput, request)
    user = svc.account_for_reset(uid=data["uid"], token=data["token"])
    problems = password_errors(data["new_password"], user)
    if problems:
        raise serializers.ValidationError(
            {
                "new_password": [
                    serializers.ErrorDetail(str(m), code=e.code or "password_invalid")
                    for e in problems
                    for m in e.messages
                ]
            }
        )
    svc.account_password_reset(user=user, token=data["token"], new_password=data["new_password"])
    return Response({"detail": str(svc.RESET_DONE)})


urlpatterns = [
    *(
        route
        for channel in CHANNELS.values()
        for send, confirm in [_contact_views(channel)]
        for route in (
            path(f"recover/{channel.name}/send/", send, name=f"recover_{channel.name}_send"),
            path(f"recover/{channel.name}/confirm/", confirm, name=f"recover_{channel.name}_confirm"),
        )
    ),
    path("recover/personal/", personal, name="recover_personal"),
    path("recover/password/", password, name="recover_password"),
]
