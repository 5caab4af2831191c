"""/api/v1/approvals/institutions/: the admin's 医疗机构 for REST clients (APP-3, INS-1, INS-2).

Same scope as InstitutionAdmin (``institution_list_for``: another region's institution is a 404), same
services: ``institution_create`` / ``institution_update`` (history rows by the reviewer), INS-2
``institution_authority_set`` and INS-1 ``officer_create`` (the initial password goes by SMS to the officer;
nobody sees it here either).
"""

import datetime as dt

import django_filters
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.response import Response

from accounts.models import User
from accounts.selectors import user_list_for
from accounts.services.officers import officer_create
from docregsys.identity.normalize import normalize_text
from docregsys.openapi import refusals
from docregsys.reference.models import Authority, Category, Region, TreatmentSubject
from docregsys.reference.selectors import authority_list_for
from institutions.models import Institution
from institutions.selectors import authority_settings_of, institution_list_for
from institutions.services import institution_authority_set, institution_create, institution_update

from .views import IsReviewer

TAGS = ["approvals"]


# ---------------------------------------------------------------------------------------------- serializers


class ReviewRegionSerializer(serializers.Serializer):
    code = serializers.CharField(read_only=True)
    full_name = serializers.CharField(read_only=True)


class ReviewSubjectSerializer(serializers.Serializer):
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class ReviewInstitutionSerializer(serializers.ModelSerializer):
    """A row of the admin's list and its detail: 机构标准名称, 登记号, 所在区划, 许可证, 诊疗科目, 启用."""

    region = ReviewRegionSerializer(read_only=True)
    subjects = ReviewSubjectSerializer(many=True, read_only=True)

    class Meta:
        model = Institution
        fields = (
            "id",
            "name",
            "registration_number",
            "region",
            "address",
            "postcode",
            "licence_number",
            "licence_valid_until",
            "subjects",
            "is_active",
            "created_at",
        )
        read_only_fields = fields


class ReviewInstitutionInputSerializer(serializers.Serializer):
    """What a reviewer sets (PATCH: any of them). Region and subjects by code."""

    name = serializers.CharField(max_length=100, help_text=_("机构标准名称"))
    registration_number = serializers.CharField(max_length=40, help_text=_("登记号（唯一）"))
    region = serializers.SlugRelatedField(
        slug_field="code", queryset=Region.objects.all(), help_text=_("所在区划代码（须在您的管辖范围内）")
    )
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    postcode = serializers.CharField(max_length=6, required=False, allow_blank=True, help_text=_("6位数字"))
    licence_number = serializers.CharField(max_length=40, required=False, allow_blank=True)
    licence_valid_until = serializers.DateField(required=False, allow_null=True)
    is_active = serializers.BooleanField(required=False)
    subjects = serializers.SlugRelatedField(
        slug_field="code",
        queryset=TreatmentSubject.objects.all(),
        many=True,
        required=False,
        help_text=_("诊疗科目代码列表"),
    )


class ReviewAuthorityOptionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class ReviewAuthoritySettingSerializer(serializers.Serializer):
    """INS-2, one category: the current authority and those it may be changed to."""

    category = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)
    current = ReviewAuthorityOptionSerializer(read_only=True, allow_null=True)
    choices = ReviewAuthorityOptionSerializer(many=True, read_only=True)


class ReviewAuthoritySetSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=Category.choices, help_text=_("医师类别"))
    authority = serializers.IntegerField(min_value=1, max_value=2**31 - 1, help_text=_("审批机关编号"))


class ReviewOfficerSerializer(serializers.ModelSerializer):
    """An officer account (手机号码 masked)."""

    phone_masked = serializers.CharField(read_only=True)

    class Meta:
        model = User
        fields = ("id", "username", "real_name", "phone_masked", "is_active", "date_joined", "last_login")
        read_only_fields = fields


class ReviewOfficerInputSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=12, help_text=_("以字母开头，6–12位字母和数字"))
    real_name = serializers.CharField(max_length=28)
    phone = serializers.CharField(max_length=20, help_text=_("初始密码以短信发送到该号码"))


class ReviewOfficerCreatedSerializer(ReviewOfficerSerializer):
    sent_to = serializers.CharField(
        source="phone_masked", read_only=True, help_text=_("初始密码已发送到的手机")
    )

    class Meta(ReviewOfficerSerializer.Meta):
        fields = (*ReviewOfficerSerializer.Meta.fields, "sent_to")
        read_only_fields = fields


# ------------------------------------------------------------------------------------------------ filters

LICENCE_CHOICES = (
    ("expired", _("已过期")),
    ("soon", _("90天内到期")),
    ("valid", _("有效")),
    ("unknown", _("未填写")),
)


class ReviewInstitutionFilter(django_filters.FilterSet):
    """The admin's search and filters: name or 登记号, 所在区划, 启用, 许可证有效期."""

    q = django_filters.CharFilter(
        method="by_text", max_length=100, label=_("机构名称、拼音首字母或登记号（包含）")
    )
    region = django_filters.CharFilter(method="by_region", max_length=6, label=_("区划代码前缀（如 4301）"))
    is_active = django_filters.BooleanFilter(label=_("启用"))
    licence = django_filters.ChoiceFilter(
        choices=LICENCE_CHOICES, method="by_licence", label=_("许可证有效期")
    )

    class Meta:
        model = Institution
        fields: list = []

    def by_text(self, queryset, name, value):
        text = normalize_text(value)
        if not text:
            return queryset
        return queryset.filter(
            Q(name__icontains=text)
            | Q(registration_number__icontains=text)
            | Q(name_initials__startswith=text.lower())
        )

    def by_region(self, queryset, name, value):
        value = normalize_text(value)
        if not value.isdigit() or not value.isascii():
            return queryset.none()
        return queryset.filter(region__code__startswith=value)

    def by_licence(self, queryset, name, value):
        today = timezone.localdate()
        soon = today + dt.timedelta(days=90)
        return {
            "expired": lambda: queryset.filter(licence_valid_until__lt=today),
            "soon": lambda: queryset.filter(licence_valid_until__gte=today, licence_valid_until__lte=soon),
            "valid": lambda: queryset.filter(licence_valid_until__gte=today),
            "unknown": lambda: queryset.filter(licence_valid_until__isnull=True),
        }.get(value, lambda: queryset)()


# ---------------------------------------------------------------------------------------------------- views

# A taken 登记号 conflicts with another institution; a refusal of scope on a found object is a 404.
REFUSALS = {
    "registration_number_taken": status.HTTP_409_CONFLICT,
    "username_taken": status.HTTP_409_CONFLICT,
    "not_your_institution": status.HTTP_404_NOT_FOUND,
    "not_reviewer": status.HTTP_403_FORBIDDEN,
}


class ReviewerInstitutionAPI(GenericAPIView):
    permission_classes = [IsReviewer]
    refusal_status = REFUSALS

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Institution.objects.none()
        return (
            institution_list_for(user=self.request.user)
            .select_related("region")
            .prefetch_related("subjects")
            .order_by("region_id", "name", "pk")
        )

    def institution(self, pk: int) -> Institution:
        return get_object_or_404(self.get_queryset(), pk=pk)

    def answer(self, institution, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=institution.pk)
        return Response(ReviewInstitutionSerializer(fresh).data, status=code)


class InstitutionList(ReviewerInstitutionAPI, ListAPIView):
    serializer_class = ReviewInstitutionSerializer
    filterset_class = ReviewInstitutionFilter

    @extend_schema(tags=TAGS)
    def get(self, request):
        """APP-3: the institutions of the reviewer's region (all for the superuser), by region and name."""
        return self.list(request)

    @extend_schema(
        request=ReviewInstitutionInputSerializer,
        responses={201: ReviewInstitutionSerializer, **refusals(409)},
        filters=False,
        tags=TAGS,
    )
    def post(self, request):
        """APP-3 增加医疗机构 in the reviewer's region; 409 when the 登记号 is taken."""
        serializer = ReviewInstitutionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        institution = institution_create(actor=request.user, **serializer.validated_data)
        return self.answer(institution, status.HTTP_201_CREATED)


class InstitutionDetail(ReviewerInstitutionAPI):
    serializer_class = ReviewInstitutionSerializer

    @extend_schema(tags=TAGS)
    def get(self, request, pk: int):
        """APP-3: one institution in scope (another region's is a 404)."""
        return self.answer(self.institution(pk))

    @extend_schema(
        request=ReviewInstitutionInputSerializer(partial=True),
        responses={200: ReviewInstitutionSerializer, **refusals(409)},
        tags=TAGS,
    )
    def patch(self, request, pk: int):
        """APP-3 修改: any of the fields; the institution must stay in the reviewer's region (停用: is_active false)."""
        institution = self.institution(pk)
        serializer = ReviewInstitutionInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        institution_update(actor=request.user, institution=institution, **serializer.validated_data)
        return self.answer(institution)


class InstitutionAuthorities(ReviewerInstitutionAPI):
    serializer_class = ReviewAuthoritySettingSerializer
    pagination_class = None  # always the four categories

    @extend_schema(responses=ReviewAuthoritySettingSerializer(many=True), tags=TAGS)
    def get(self, request, pk: int):
        """INS-2 审批机关设置: per doctor category, the current authority and the allowed ones."""
        settings = authority_settings_of(self.institution(pk))
        return Response(ReviewAuthoritySettingSerializer(settings, many=True).data)

    @extend_schema(
        request=ReviewAuthoritySetSerializer,
        responses=ReviewAuthoritySettingSerializer(many=True),
        tags=TAGS,
    )
    def put(self, request, pk: int):
        """INS-2: set the authority of one category (the institution's county, city or province; 中医 also TCM)."""
        institution = self.institution(pk)
        serializer = ReviewAuthoritySetSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        authority = (
            authority_list_for(user=request.user).filter(pk=serializer.validated_data["authority"]).first()
        )
        if authority is None:  # not one the reviewer may even see: refused like a disallowed one
            authority = Authority(pk=0, is_active=False)
        institution_authority_set(
            actor=request.user,
            institution=institution,
            category=serializer.validated_data["category"],
            authority=authority,
        )
        return Response(ReviewAuthoritySettingSerializer(authority_settings_of(institution), many=True).data)


class InstitutionOfficers(ReviewerInstitutionAPI):
    serializer_class = ReviewOfficerSerializer
    pagination_class = None  # an institution's few officer accounts

    @extend_schema(responses=ReviewOfficerSerializer(many=True), tags=TAGS)
    def get(self, request, pk: int):
        """INS-1: the officer accounts of one institution in scope."""
        institution = self.institution(pk)
        officers = user_list_for(user=request.user).filter(institution=institution, role=User.Role.OFFICER)
        return Response(ReviewOfficerSerializer(officers.order_by("username"), many=True).data)

    @extend_schema(
        request=ReviewOfficerInputSerializer,
        responses={201: ReviewOfficerCreatedSerializer, **refusals(409)},
        tags=TAGS,
    )
    def post(self, request, pk: int):
        """INS-1 注册管理员账户: the initial password goes to the officer's phone by SMS, never into the answer."""
        institution = self.institution(pk)
        serializer = ReviewOfficerInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        officer = officer_create(actor=request.user, institution=institution, **serializer.validated_data)
        return Response(ReviewOfficerCreatedSerializer(officer).data, status=status.HTTP_201_CREATED)


urlpatterns = [
    path("institutions/", InstitutionList.as_view(), name="institutions"),
    path("institutions/<int:pk>/", InstitutionDetail.as_view(), name="institution"),
    path(
        "institutions/<int:pk>/authorities/", InstitutionAuthorities.as_view(), name="institution_authorities"
    ),
    path("institutions/<int:pk>/officers/", InstitutionOfficers.as_view(), name="institution_officers"),
]
