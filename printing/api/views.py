"""/api/v1/public/: PUB-1 for REST clients — a doctor by name + 执业证书编码, a printed code.

No captcha here (a client program cannot solve one), so the API is counted harder than the page: an
anonymous client gets API_ANONYMOUS_LIMITS per IP address; a client that sends an API token of any
account is counted per account (API_ACCOUNT_LIMITS) instead. A lookup by name + number is also counted
per person looked up, whoever asks. Over a limit: 429 with Retry-After, in the error shape.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import APIException, NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from accounts.services.codes import client_ip
from docregsys.api import django_validator
from docregsys.identity.validators import validate_real_name
from docregsys.openapi import refusals

from ..public_forms import clean_certificate_number, clean_document_code
from ..selectors import document_check
from ..throttle import (
    API_ACCOUNT_LIMITS,
    API_ANONYMOUS_LIMITS,
    PAGE_LIMITS,
    LookupThrottled,
    lookup_key,
    lookup_take,
)
from ..verification import practice_lookup


class LookupRateLimited(APIException):
    """429 with Retry-After (DRF's handler sets the header from `wait`)."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "rate_limited"

    def __init__(self, refused: LookupThrottled):
        super().__init__(detail=refused.message, code="rate_limited")
        self.wait = refused.retry_after


def _take(request, *extra_keys: str) -> None:
    user = request.user
    if user.is_authenticated:
        keys, limits = [lookup_key("account", str(user.pk))], API_ACCOUNT_LIMITS
    else:
        keys, limits = [lookup_key("api-client", client_ip(request))], API_ANONYMOUS_LIMITS
    try:
        lookup_take(*keys, limits=limits)
        if extra_keys:
            lookup_take(*extra_keys, limits=PAGE_LIMITS)
    except LookupThrottled as refused:
        raise LookupRateLimited(refused) from None


class PublicLookupInputSerializer(serializers.Serializer):
    """姓名 + 执业证书编码 (15 digits; full-width digits accepted, invisible characters refused)."""

    real_name = serializers.CharField(max_length=40, help_text=_("医师姓名"))
    certificate_number = serializers.CharField(max_length=40, help_text=_("15位执业证书编码"))

    def validate_real_name(self, value):
        return django_validator(validate_real_name)(value)

    def validate_certificate_number(self, value):
        return django_validator(clean_certificate_number)(value)


class PublicRecordSerializer(serializers.Serializer):
    """One practice record as the public sees it: no ID number, phone, birth date, sex or photo."""

    real_name = serializers.CharField(help_text=_("姓名"))
    level = serializers.CharField(help_text=_("医师级别"))
    category = serializers.CharField(help_text=_("医师类别"))
    scopes = serializers.CharField(help_text=_("执业范围（以“、”分隔）"))
    main_institution = serializers.CharField(help_text=_("主要执业机构"))
    location = serializers.CharField(help_text=_("执业地点"))
    state = serializers.ChoiceField(
        choices=["valid", "filed", "deregistered", "transferred_out", "military", "lapsed"],
        help_text=_("注册状态代码"),
    )
    state_label = serializers.CharField(help_text=_("注册状态"))
    note = serializers.CharField(help_text=_("注册状态的说明"))


class PublicLookupResultSerializer(serializers.Serializer):
    """The matching records, the valid one first; empty when nothing matches (no hint which field was wrong)."""

    results = PublicRecordSerializer(many=True)


class PublicFactSerializer(serializers.Serializer):
    label = serializers.CharField()
    value = serializers.CharField()


class PublicCodeCheckSerializer(serializers.Serializer):
    """A printed code's check: valid, or why not, and what the document shows the public."""

    code = serializers.CharField(help_text=_("核验编码（XXXX-XXXX-XXXX-XXXX）"))
    kind = serializers.ChoiceField(
        choices=["form", "certificate", "score_report"], help_text=_("文档类型代码")
    )
    kind_label = serializers.CharField(help_text=_("文档类型"))
    valid = serializers.BooleanField(help_text=_("是否有效"))
    superseded = serializers.BooleanField(help_text=_("是否已被新版本替代"))
    message = serializers.CharField(help_text=_("核验结论"))
    institution = serializers.CharField(allow_null=True, help_text=_("打印机构"))
    generated_on = serializers.DateField(help_text=_("生成日期"))
    title = serializers.CharField(help_text=_("文档标题"))
    facts = PublicFactSerializer(many=True)


@extend_schema(
    request=PublicLookupInputSerializer,
    responses={200: PublicLookupResultSerializer, **refusals(429)},
    tags=["public"],
)
@api_view(["POST"])
@permission_classes([AllowAny])
def verify(request):
    """医师执业信息查询: name + 执业证书编码 → the person's practice records (PUB-1)."""
    serializer = PublicLookupInputSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    _take(request, lookup_key("person", f"{data['real_name']}\n{data['certificate_number']}"))
    records = practice_lookup(real_name=data["real_name"], certificate_number=data["certificate_number"])
    return Response(PublicLookupResultSerializer({"results": records}).data)


@extend_schema(responses={200: PublicCodeCheckSerializer, **refusals(429)}, tags=["public"])
@api_view(["GET"])
@permission_classes([AllowAny])
def code(request, code: str):
    """核验编码: a printed code (行政审批编码, 成绩单验证码, 证照编号) → valid or not; 404 when unknown."""
    _take(request)
    try:
        check = document_check(clean_document_code(code))
    except ValidationError:
        check = None
    if check is None:
        raise NotFound(_("未找到此编码对应的文档。"))
    document = check.document
    if check.valid:
        message = _("此编码对应的文档真实有效，内容与系统记录一致。")
    elif check.superseded:
        message = _("此编码对应的文档已被新版本替代")
    else:
        message = _("此编码已失效")
    body = {
        "code": document.code_display,
        "kind": document.kind,
        "kind_label": document.get_kind_display(),
        "valid": check.valid,
        "superseded": check.superseded,
        "message": message,
        "institution": document.institution.name if document.institution_id else None,
        "generated_on": (document.rendered_at or document.created_at).date(),
        "title": check.facts.get("title", ""),
        "facts": [{"label": label, "value": value} for label, value in check.facts.get("rows", [])],
    }
    return Response(PublicCodeCheckSerializer(body).data)
