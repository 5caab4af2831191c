"""/api/v1/accounts/: captcha, sign-up (ACC-1), token login and logout (ACC-2), the check and identity (ACC-3)."""

from captcha.helpers import captcha_image_url
from captcha.models import CaptchaStore
from django.conf import settings
from django.contrib.auth import authenticate, password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from docregsys.api import error_response
from docregsys.authentication import token_expires_at, token_issue
from docregsys.exceptions import TransitionRefused
from docregsys.identity import validators as rules
from docregsys.identity.crypto import mask_email, mask_phone
from docregsys.openapi import refusals

from ..forms.security import code_validator
from ..forms.signup import CAPTCHA_INVALID, captcha_field
from ..models import User
from ..selectors import doctor_records
from ..services.codes import client_ip
from ..services.officer_login import (
    officer_login_code_confirm,
    officer_login_code_send,
    officer_login_refusal,
)
from ..services.signup import account_identity_update, account_signup, qualification_check_run
from ..views.signup import mask_username
from .security import SecuritySentSerializer


def _django_rule(rule):
    """An docregsys.identity.validators validator as a DRF field validator that keeps the rule's code and message."""

    def run(value):
        try:
            return rule(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages[0], code=exc.code) from None

    return run


class CaptchaFieldsMixin(serializers.Serializer):
    captcha_key = serializers.CharField(
        max_length=rules.CAPTCHA_KEY_MAX_LENGTH, help_text=_("GET captcha/ 返回的 key")
    )
    captcha_value = serializers.CharField(
        max_length=rules.CAPTCHA_VALUE_MAX_LENGTH, help_text=_("图片中的字符")
    )

    def validate_captcha(self, attrs):
        # Single use, as on the web form: the key is spent whether the answer is right or wrong.
        try:
            captcha_field().clean([attrs["captcha_key"], attrs["captcha_value"]])
        except DjangoValidationError:
            raise serializers.ValidationError(
                {"captcha_value": [serializers.ErrorDetail(str(CAPTCHA_INVALID), code="captcha_invalid")]}
            ) from None


class IdentitySerializer(serializers.Serializer):
    real_name = serializers.CharField(label=_("您的姓名"), max_length=40)
    id_number = serializers.CharField(label=_("身份证号"), max_length=30)

    def validate_real_name(self, value):
        return _django_rule(rules.validate_real_name)(value)

    def validate_id_number(self, value):
        return _django_rule(lambda v: rules.validate_resident_id(v).number)(value)


class SignupSerializer(CaptchaFieldsMixin, IdentitySerializer):
    phone = serializers.CharField(label=_("手机号码"), max_length=20)
    email = serializers.CharField(label=_("电子邮箱"), max_length=60)
    username = serializers.CharField(label=_("用户名称"), max_length=12)
    password = serializers.CharField(
        label=_("登录密码"), max_length=rules.PASSWORD_MAX_LENGTH, write_only=True, trim_whitespace=False
    )
    password_confirm = serializers.CharField(
        label=_("确认密码"), max_length=rules.PASSWORD_MAX_LENGTH, write_only=True, trim_whitespace=False
    )
    agree_privacy = serializers.BooleanField(label=_("我同意《隐私政策》"))

    def validate_phone(self, value):
        return _django_rule(rules.validate_mobile)(value)

    def validate_email(self, value):
        return _django_rule(rules.validate_email_address)(value)

    def validate_username(self, value):
        return _django_rule(rules.validate_username)(value)

    def validate_agree_privacy(self, value):
        if not value:
            raise serializers.ValidationError(_("请阅读并同意《隐私政策》后继续。"), code="privacy_required")
        return value

    def validate(self, attrs):
        self.validate_captcha(attrs)
        if attrs["password"] != attrs["password_confirm"]:
            raise serializers.ValidationError(
                {
                    "password_confirm": [
                        serializers.ErrorDetail(str(_("两次输入的密码不一致。")), code="password_mismatch")
                    ]
                }
            )
        probe = User(username=attrs["username"], email=attrs["email"], real_name=attrs["real_name"])
        try:
            password_validation.validate_password(attrs["password"], probe)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(
                {"password": [serializers.ErrorDetail(m.messages[0], code=m.code) for m in exc.error_list]}
            ) from None
        return attrs


class AccountSummarySerializer(serializers.Serializer):
    username = serializers.CharField(help_text=_("用户名（部分隐藏）"))
    real_name = serializers.CharField()
    id_number = serializers.CharField(help_text=_("身份证号码（部分隐藏）"))
    phone = serializers.CharField(help_text=_("手机号码（部分隐藏）"))
    email = serializers.CharField(help_text=_("电子邮箱（部分隐藏）"))


def _summary(user: User) -> dict:
    return {
        "username": mask_username(user.username),
        "real_name": user.real_name,
        "id_number": user.id_number_masked,
        "phone": mask_phone(user.phone),
        "email": mask_email(user.email),
    }


class CheckSerializer(serializers.Serializer):
    passed = serializers.BooleanField(help_text=_("是否通过医师信息校验"))
    qualified = serializers.BooleanField(help_text=_("是否查询到医师资格信息"))
    registered = serializers.BooleanField(help_text=_("是否查询到医师执业注册信息"))
    real_name = serializers.CharField()
    id_number = serializers.CharField(help_text=_("身份证号码（部分隐藏）"))


def _check(user: User, records=None) -> dict:
    """The outcome of the check as the records say it now (a read unless `records` come from a run)."""
    records = doctor_records(user) if records is None else records
    return {
        "passed": records.passed,
        "qualified": records.qualified,
        "registered": records.registered,
        "real_name": user.real_name,
        "id_number": user.id_number_masked,
    }


class CaptchaApi(APIView):
    """A new image captcha: show image_url, send key and the characters with the form."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        responses=inline_serializer(
            "CaptchaChallenge", {"key": serializers.CharField(), "image_url": serializers.CharField()}
        ),
        tags=["accounts"],
    )
    def get(self, request):
        key = CaptchaStore.generate_key()
        return Response({"key": key, "image_url": request.build_absolute_uri(captcha_image_url(key))})


class SignupApi(APIView):
    """ACC-1 in one request: both steps' fields plus the captcha; answers the masked summary."""

    permission_classes = [AllowAny]

    @extend_schema(
        request=SignupSerializer,
        responses={201: AccountSummarySerializer, **refusals(409)},
        tags=["accounts"],
    )
    def post(self, request):
        serializer = SignupSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = account_signup(
            real_name=data["real_name"],
            id_number=data["id_number"],
            phone=data["phone"],
            email=data["email"],
            username=data["username"],
            password=data["password"],
        )
        return Response(_summary(user), status=status.HTTP_201_CREATED)


class TokenSerializer(CaptchaFieldsMixin, serializers.Serializer):
    # Bounded before authenticate(): django-axes stores the username in a varchar(255).
    username = serializers.CharField(
        label=_("登录账号"), max_length=150, help_text=_("用户名、已验证的手机号码或医师资格证书编码")
    )
    password = serializers.CharField(
        label=_("登录密码"), max_length=rules.PASSWORD_MAX_LENGTH, trim_whitespace=False, write_only=True
    )

    def validate(self, attrs):
        self.validate_captcha(attrs)
        return attrs


class TokenRequestSerializer(TokenSerializer):
    # INS-1: an institution officer's token also needs the code that token/code/ sent to their phone.
    code = serializers.CharField(
        label=_("登录校验码"),
        max_length=6,
        required=False,
        validators=[code_validator],
        help_text=_("医疗机构注册管理员必填：POST token/code/ 发送到登记手机的6位校验码；医师无需填写"),
    )


class TokenApi(APIView):
    """ACC-2: a token for REST clients; the same captcha and the same axes lockout as the login page."""

    permission_classes = [AllowAny]
    authentication_classes = []  # no session: nothing for CSRF to protect

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: inline_serializer(
                "TokenIssued",
                {
                    "token": serializers.CharField(),
                    "expires_at": serializers.DateTimeField(
                        help_text=_("令牌失效时间（签发后 API_TOKEN_TTL_HOURS 小时）")
                    ),
                },
            ),
            **refusals(429),
        },
        tags=["accounts"],
        description=str(
            _(
                "医疗机构注册管理员（INS-1）：每次获取令牌都须先调用 POST token/code/ 获取短信校验码，"
                "并在 code 中提交；首次登录须先在医疗机构版系统修改初始密码（否则 400 password_change_required）。"
            )
        ),
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = _authenticated(request, serializer.validated_data)
        if not isinstance(user, User):
            return user  # the refusal
        if user.is_officer and not user.is_superuser:
            # An API client has no known-device cookie: every officer token needs the SMS code.
            _officer_token_refusal(user)
            code = serializer.validated_data.get("code")
            if not code:
                raise TransitionRefused(LOGIN_CODE_REQUIRED, code="login_code_required", field="code")
            officer_login_code_confirm(user=user, code=code)
        token = token_issue(user=user)
        return Response({"token": token.key, "expires_at": token_expires_at(token)})


LOGIN_CODE_REQUIRED = _("医疗机构注册管理员须提交发送到登记手机的登录校验码（先调用 token/code/ 获取）。")
PASSWORD_CHANGE_REQUIRED = _("首次登录须先在医疗机构版系统（/institution/）修改初始密码。")
CODE_NOT_NEEDED = _("该账户登录无需短信校验码。")


def _authenticated(request, data):
    """The account of username + password (axes counting failures), or the error response to give."""
    http_request = request._request  # axes reads and marks the Django request
    user = authenticate(http_request, username=data["username"], password=data["password"])
    if getattr(http_request, "axes_locked_out", False):
        # AxesMiddleware would swap this answer for the HTML lockout page: answer in JSON ourselves.
        http_request.axes_locked_out = False
        return error_response(_locked_message(http_request), code="locked_out", status_code=429)
    if user is None:
        return error_response(
            _("登录账号或密码不正确，请重新输入。注意密码区分大小写。"),
            code="invalid_login",
            status_code=status.HTTP_400_BAD_REQUEST,
        )
    return user


def _officer_token_refusal(user) -> None:
    refusal = officer_login_refusal(user)
    if refusal is not None:
        raise refusal
    if user.must_change_password:
        raise TransitionRefused(PASSWORD_CHANGE_REQUIRED, code="password_change_required")


class TokenCodeApi(APIView):
    """INS-1: send an institution officer the SMS code that POST token/ then needs (same captcha and lockout)."""

    permission_classes = [AllowAny]
    authentication_classes = []  # no session: nothing for CSRF to protect

    @extend_schema(
        request=TokenSerializer,
        responses={202: SecuritySentSerializer, **refusals(429)},
        tags=["accounts"],
    )
    def post(self, request):
        serializer = TokenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = _authenticated(request, serializer.validated_data)
        if not isinstance(user, User):
            return user
        if not user.is_officer or user.is_superuser:
            raise TransitionRefused(CODE_NOT_NEEDED, code="code_not_needed")
        _officer_token_refusal(user)
        phone = officer_login_code_send(user=user, client=client_ip(request._request))
        return Response(
            {"sent_to": user.phone_masked if phone else "", "expires_in": settings.CODE_TTL_SECONDS},
            status=status.HTTP_202_ACCEPTED,
        )


def _locked_message(request) -> str:
    from axes.helpers import get_cool_off

    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else None
    if minutes:
        return str(
            _("连续多次登录失败，该账号在当前网络下已被暂时锁定，请在 %(minutes)d 分钟后再试。")
            % {"minutes": minutes}
        )
    return str(_("连续多次登录失败，该账号在当前网络下已被暂时锁定。"))


class LogoutApi(APIView):
    """Delete the caller's token (ACC-2)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None}, tags=["accounts"])
    def post(self, request):
        Token.objects.filter(user=request.user).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class DoctorOnly(IsAuthenticated):
    def has_permission(self, request, view):
        return (
            super().has_permission(request, view) and request.user.is_doctor and not request.user.is_superuser
        )


class CheckApi(APIView):
    """ACC-3: GET says what the records hold (a pure read); POST runs the check and records its outcome."""

    permission_classes = [DoctorOnly]

    @extend_schema(responses=CheckSerializer, tags=["accounts"])
    def get(self, request):
        return Response(_check(request.user))

    # No body is needed, but one that is sent is parsed (and a malformed one refused) like everywhere else.
    @extend_schema(
        request=None, responses={200: CheckSerializer, **refusals(400, 413, 415)}, tags=["accounts"]
    )
    def post(self, request):
        request.data  # noqa: B018 - a malformed body is refused here as on every JSON endpoint (X-4)
        return Response(_check(request.user, qualification_check_run(user=request.user)))


class IdentityApi(APIView):
    """检查和更新我的身份信息: correct name/ID before activation; answers the new check at once."""

    permission_classes = [DoctorOnly]
    # After activation the identity is no longer the doctor's to change: forbidden here, not a conflict.
    refusal_status = {"already_activated": status.HTTP_403_FORBIDDEN}

    @extend_schema(
        request=IdentitySerializer, responses={200: CheckSerializer, **refusals(409)}, tags=["accounts"]
    )
    def put(self, request):
        serializer = IdentitySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        account_identity_update(
            user=request.user,
            real_name=serializer.validated_data["real_name"],
            id_number=serializer.validated_data["id_number"],
        )
        return Response(_check(request.user))


urlpatterns = [
    path("captcha/", CaptchaApi.as_view(), name="captcha"),
    path("signup/", SignupApi.as_view(), name="signup"),
    path("token/", TokenApi.as_view(), name="token"),
    path("token/code/", TokenCodeApi.as_view(), name="token_code"),
    path("logout/", LogoutApi.as_view(), name="logout"),
    path("check/", CheckApi.as_view(), name="check"),
    path("identity/", IdentityApi.as_view(), name="identity"),
]
