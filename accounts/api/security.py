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

from docregsys.exceptions import TransitionRefused
from docregsys.identity.crypto import mask_email, mask_phone
from docregsys.openapi import refusals

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


class SecurityPhoneSerializer(serializers.Serializer):
    phone = serializers.CharField(label=_("手机号码"), max_length=20)


class SecurityEmailSerializer(serializers.Serializer):
    email = serializers.CharField(label=_("电子邮箱"), max_length=254)


class SecurityPhoneCodeSerializer(SecurityPhoneSerializer):
    code = serializers.CharField(label=_("校验码"), max_length=6, validators=[code_validator])


class SecurityEmailCodeSerializer(SecurityEmailSerializer):
    code = serializers.CharField(label=_("校验码"), max_length=6, validators=[code_validator])


class SecurityPhoneChangeSerializer(SecurityPhoneSerializer):
    password = serializers.CharField(label=_("当前登录密码"), trim_whitespace=False)


class SecurityEmailChangeSerializer(SecurityEmailSerializer):
    password = serializers.CharField(label=_("当前登录密码"), trim_whitespace=False)


class SecurityPasswordSerializer(serializers.Serializer):
    old_password = serializers.CharField(label=_("当前登录密码"), trim_whitespace=False)
    new_password = serializers.CharField(label=_("新密码"), trim_whitespace=False)


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
    input_class: type[serializers.Serializer]

    def post(self, request):
        data = self.input_class(data=request.data)
        data.is_valid(raise_exception=True)
        return self.act(request, **data.validated_data)


def _sent(destination, mask):
    return Response({"sent_to": mask(destination), "expires_in": settings.CODE_TTL_SECONDS}, status=202)


@extend_schema(
    request=SecurityPhoneSerializer,
    responses={202: SecuritySentSerializer, **refusals(429)},
    tags=["accounts"],
)
class PhoneVerifySend(_Endpoint):
    """ACC-4: send a verification code to the account's (still unverified) phone."""

    input_class = SecurityPhoneSerializer

    def act(self, request, *, phone):
        return _sent(
            services.phone_verify_send(user=request.user, phone=phone, client=client_ip(request)), mask_phone
        )


@extend_schema(
    request=SecurityPhoneCodeSerializer, responses={200: SecurityStatusSerializer}, tags=["accounts"]
)
class PhoneVerifyConfirm(_Endpoint):
    """ACC-4: the code from the SMS; the phone becomes verified."""

    input_class = SecurityPhoneCodeSerializer

    def act(self, request, *, phone, code):
        services.phone_verify_confirm(user=request.user, phone=phone, code=code)
        return Response(_status(request.user))


@extend_schema(
    request=SecurityEmailSerializer,
    responses={202: SecuritySentSerializer, **refusals(429)},
    tags=["accounts"],
)
class EmailVerifySend(_Endpoint):
    """ACC-4: send a verification code to the account's (still unverified) e-mail address."""

    input_class = SecurityEmailSerializer

    def act(self, request, *, email):
        return _sent(
            services.email_verify_send(user=request.user, email=email, client=client_ip(request)), mask_email
        )


@extend_schema(
    request=SecurityEmailCodeSerializer, responses={200: SecurityStatusSerializer}, tags=["accounts"]
)
class EmailVerifyConfirm(_Endpoint):
    """ACC-4: the code from the e-mail; the address becomes verified."""

    input_class = SecurityEmailCodeSerializer

    def act(self, request, *, email, code):
        services.email_verify_confirm(user=request.user, email=email, code=code)
        return Response(_status(request.user))


@extend_schema(
    request=SecurityPhoneChangeSerializer,
    responses={202: SecuritySentSerializer, **refusals(429)},
    tags=["accounts"],
)
class PhoneChangeSend(_Endpoint):
    """ACC-7: current password + new phone; a code goes to the new phone."""

    input_class = SecurityPhoneChangeSerializer

    def act(self, request, *, phone, password):
        sent = services.phone_change_send(
            user=request.user, password=password, phone=phone, client=client_ip(request)
        )
        return _sent(sent, mask_phone)


@extend_schema(
    request=SecurityPhoneCodeSerializer, responses={200: SecurityStatusSerializer}, tags=["accounts"]
)
class PhoneChangeConfirm(_Endpoint):
    """ACC-7: the code from the new phone; it replaces the old one."""

    input_class = SecurityPhoneCodeSerializer

    def act(self, request, *, phone, code):
        services.phone_change_confirm(user=request.user, phone=phone, code=code)
        return Response(_status(request.user))


@extend_schema(
    request=SecurityEmailChangeSerializer,
    responses={202: SecuritySentSerializer, **refusals(429)},
    tags=["accounts"],
)
class EmailChangeSend(_Endpoint):
    """ACC-7: current password + new e-mail; a code goes to the new address."""

    input_class = SecurityEmailChangeSerializer

    def act(self, request, *, email, password):
        sent = services.email_change_send(
            user=request.user, password=password, email=email, client=client_ip(request)
        )
        return _sent(sent, mask_email)


@extend_schema(
    request=SecurityEmailCodeSerializer, responses={200: SecurityStatusSerializer}, tags=["accounts"]
)
class EmailChangeConfirm(_Endpoint):
    """ACC-7: the code from the new address; it replaces the old one."""

    input_class = SecurityEmailCodeSerializer

    def act(self, request, *, email, code):
        services.email_change_confirm(user=request.user, email=email, code=code)
        return Response(_status(request.user))


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
        try:
            services.password_change(
                user=request.user, old_password=old_password, new_password=new_password, keep_token=token
            )
        except TransitionRefused as exc:
            if exc.field == "new_password1":
                exc.field = "new_password"  # the web form's field name; here the input is new_password
            raise
        if token is None:
            update_session_auth_hash(request, request.user)  # logged in by session: keep this one
        return Response({"detail": str(_("登录密码修改成功。"))}, status=status.HTTP_200_OK)


urlpatterns = [
    path("phone/send/", PhoneVerifySend.as_view(), name="phone_send"),
    path("phone/confirm/", PhoneVerifyConfirm.as_view(), name="phone_confirm"),
    path("email/send/", EmailVerifySend.as_view(), name="email_send"),
    path("email/confirm/", EmailVerifyConfirm.as_view(), name="email_confirm"),
    path("phone/change/send/", PhoneChangeSend.as_view(), name="phone_change_send"),
    path("phone/change/confirm/", PhoneChangeConfirm.as_view(), name="phone_change_confirm"),
    path("email/change/send/", EmailChangeSend.as_view(), name="email_change_send"),
    path("email/change/confirm/", EmailChangeConfirm.as_view(), name="email_change_confirm"),
    path("password/", PasswordChange.as_view(), name="password_change"),
]
