"""/api/v1/approvals/records/: 执业注册 of the reviewer's region for REST clients (APP-1, APP-3), read-only.

Same scope as the admin's PracticeRecordAdmin (``practice_record_list_for``: records whose main institution
lies in the region; another region's record is a 404). ``?q=`` searches names and the 执业证书编码 (public,
X-3); an ID number is sent in a POST body to records/search/ and compared by its keyed digest, as the
admin's ID-number search does. ID numbers are answered masked only.
"""

import django_filters
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.response import Response

from docregsys.identity.normalize import normalize_text
from docregsys.reference.models import Category, Level
from registrations.models import PracticeRecord
from registrations.selectors import practice_record_list_for

from .serializers import ApprovalNamedSerializer, ApprovalSearchInputSerializer
from .views import IsReviewer

TAGS = ["approvals"]
SEARCH_LIMIT = 100


class ReviewRecordSerializer(serializers.ModelSerializer):
    """A row of the admin's list: 姓名, masked 证件号码, 执业证书编码, 级别, 类别, 执业地点, 主要执业机构, 状态, 审批日期."""

    level = serializers.CharField(read_only=True)
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    category = serializers.CharField(read_only=True)
    category_display = serializers.CharField(source="get_category_display", read_only=True)
    state = serializers.CharField(read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    location = serializers.CharField(source="location.full_name", read_only=True)
    main_institution = ApprovalNamedSerializer(read_only=True)

    class Meta:
        model = PracticeRecord
        fields = (
            "id",
            "real_name",
            "id_number_masked",
            "certificate_number",
            "level",
            "level_display",
            "category",
            "category_display",
            "location",
            "main_institution",
            "state",
            "state_display",
            "approval_date",
        )
        read_only_fields = fields


class ReviewRecordDetailSerializer(ReviewRecordSerializer):
    """One record: the row plus 执业范围, 审批机关, 科室 and the personal details the admin shows."""

    scopes = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    authority = ApprovalNamedSerializer(read_only=True)
    department = serializers.SerializerMethodField()
    sex_display = serializers.CharField(source="get_sex_display", read_only=True)

    class Meta(ReviewRecordSerializer.Meta):
        fields = (
            *ReviewRecordSerializer.Meta.fields,
            "scopes",
            "authority",
            "department",
            "sex_display",
            "ethnicity",
            "education",
            "school",
            "major",
            "title",
            "info_reviewed_at",
        )
        read_only_fields = fields

    def get_department(self, obj) -> str:
        return obj.department.name if obj.department_id else ""


class ReviewRecordFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="by_text", max_length=32, label=_("姓名或执业证书编码（包含）"))
    certificate_number = django_filters.CharFilter(max_length=32, label=_("执业证书编码（完整）"))
    state = django_filters.ChoiceFilter(choices=PracticeRecord.State.choices, label=_("注册状态"))
    level = django_filters.ChoiceFilter(choices=Level.choices, label=_("医师级别"))
    category = django_filters.ChoiceFilter(choices=Category.choices, label=_("医师类别"))
    institution = django_filters.NumberFilter(
        field_name="main_institution_id", min_value=1, max_value=2**31 - 1, label=_("主要执业机构（编号）")
    )

    class Meta:
        model = PracticeRecord
        fields: list = []

    def by_text(self, queryset, name, value):
        text = normalize_text(value)
        if not text:
            return queryset
        return queryset.filter(real_name__icontains=text) | queryset.filter(
            certificate_number__icontains=text
        )


class ReviewerRecordAPI(GenericAPIView):
    permission_classes = [IsReviewer]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return PracticeRecord.objects.none()
        return (
            practice_record_list_for(user=self.request.user)
            .select_related("location", "main_institution")
            .order_by("-approval_date", "-pk")
        )


class RecordList(ReviewerRecordAPI, ListAPIView):
    serializer_class = ReviewRecordSerializer
    filterset_class = ReviewRecordFilter

    @extend_schema(tags=TAGS)
    def get(self, request):
        """APP-3: the practice records of the region, newest approval first; filters as in the admin."""
        return self.list(request)


class RecordSearch(ReviewerRecordAPI):
    serializer_class = ReviewRecordSerializer
    pagination_class = None  # one person's records: a short list

    @extend_schema(
        request=ApprovalSearchInputSerializer, responses=ReviewRecordSerializer(many=True), tags=TAGS
    )
    def post(self, request):
        """X-3: the records in scope of the person with this ID number (sent in the body, never in a URL)."""
        serializer = ApprovalSearchInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        found = self.get_queryset().filter(id_number_digest=serializer.digest)[:SEARCH_LIMIT]
        return Response(ReviewRecordSerializer(found, many=True).data)


class RecordDetail(ReviewerRecordAPI):
    serializer_class = ReviewRecordDetailSerializer

    @extend_schema(tags=TAGS)
    def get(self, request, pk: int):
        """APP-3: one practice record in scope (another region's is a 404)."""
        qs = self.get_queryset().select_related("authority", "department").prefetch_related("scopes")
        return Response(ReviewRecordDetailSerializer(get_object_or_404(qs, pk=pk)).data)


urlpatterns = [
    path("records/", RecordList.as_view(), name="records"),
    path("records/search/", RecordSearch.as_view(), name="record_search"),
    path("records/<int:pk>/", RecordDetail.as_view(), name="record"),
]
