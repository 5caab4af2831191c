"""/api/v1/approvals/announcements/: 通告 (APP-3) for REST clients — list, publish, change, delete.

Scope as the admin's AnnouncementAdmin (``announcement_list_for``: the reviewer's province; nationwide
ones for the national level and the superuser; another province's is a 404). County and city bureaus change
and delete only their own authority's notices (403 otherwise), through the services in approvals.services.
"""

import django_filters
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.response import Response

from docregsys.identity.normalize import normalize_text
from docregsys.reference.models import Announcement, Region
from docregsys.reference.selectors import announcement_list_for

from ..services import announcement_create, announcement_delete, announcement_update
from .serializers import ApprovalNamedSerializer
from .views import IsReviewer

TAGS = ["approvals"]


class ReviewAnnouncementSerializer(serializers.ModelSerializer):
    province = serializers.CharField(
        source="region_id", read_only=True, allow_null=True, help_text=_("省份代码；全国为 null")
    )
    province_name = serializers.SerializerMethodField()
    authority = ApprovalNamedSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Announcement
        fields = (
            "id",
            "title",
            "body",
            "province",
            "province_name",
            "authority",
            "is_active",
            "publish_from",
            "publish_until",
        )
        read_only_fields = fields

    def get_province_name(self, obj) -> str:
        return obj.region.name if obj.region_id else str(_("全国"))


class ReviewAnnouncementInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=100)
    body = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    region = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Region.objects.filter(level=Region.Level.PROVINCE),
        required=False,
        allow_null=True,
        help_text=_("省份代码；省级及以下只能是本省（省略即本省）；null 为全国（国家级）"),
    )
    is_active = serializers.BooleanField(required=False)
    publish_from = serializers.DateTimeField(required=False)
    publish_until = serializers.DateTimeField(required=False, allow_null=True)


class ReviewAnnouncementFilter(django_filters.FilterSet):
    is_active = django_filters.BooleanFilter(label=_("发布"))
    q = django_filters.CharFilter(method="by_title", max_length=100, label=_("标题（包含）"))

    class Meta:
        model = Announcement
        fields: list = []

    def by_title(self, queryset, name, value):
        text = normalize_text(value)
        return queryset.filter(title__icontains=text) if text else queryset


class ReviewerAnnouncementAPI(GenericAPIView):
    permission_classes = [IsReviewer]
    serializer_class = ReviewAnnouncementSerializer
    refusal_status = {
        "announcement_not_yours": status.HTTP_403_FORBIDDEN,
        "not_found": status.HTTP_404_NOT_FOUND,
    }

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Announcement.objects.none()
        return (
            announcement_list_for(user=self.request.user)
            .select_related("region", "authority")
            .order_by("-publish_from", "-pk")
        )

    def answer(self, announcement, code=status.HTTP_200_OK):
        return Response(self.get_serializer(self.get_queryset().get(pk=announcement.pk)).data, status=code)


class AnnouncementList(ReviewerAnnouncementAPI, ListAPIView):
    filterset_class = ReviewAnnouncementFilter

    @extend_schema(tags=TAGS)
    def get(self, request):
        """APP-3: the notices of the reviewer's province, newest first."""
        return self.list(request)

    @extend_schema(
        request=ReviewAnnouncementInputSerializer,
        responses={201: ReviewAnnouncementSerializer},
        filters=False,
        tags=TAGS,
    )
    def post(self, request):
        """APP-3 发布通告 (e.g. whether new-passer registration has opened in the province)."""
        serializer = ReviewAnnouncementInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        announcement = announcement_create(actor=request.user, **serializer.validated_data)
        return self.answer(announcement, status.HTTP_201_CREATED)


class AnnouncementDetail(ReviewerAnnouncementAPI):
    def announcement(self, pk: int) -> Announcement:
        return get_object_or_404(self.get_queryset(), pk=pk)

    @extend_schema(tags=TAGS)
    def get(self, request, pk: int):
        """One notice in scope (another province's is a 404)."""
        return Response(self.get_serializer(self.announcement(pk)).data)

    @extend_schema(request=ReviewAnnouncementInputSerializer(partial=True), tags=TAGS)
    def patch(self, request, pk: int):
        """APP-3 修改 (停止发布: is_active false); county and city bureaus only their own (403)."""
        announcement = self.announcement(pk)
        serializer = ReviewAnnouncementInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        announcement_update(actor=request.user, announcement=announcement, **serializer.validated_data)
        return self.answer(announcement)

    @extend_schema(responses={204: None}, tags=TAGS)
    def delete(self, request, pk: int):
        """APP-3 删除; county and city bureaus only their own (403)."""
        announcement_delete(actor=request.user, announcement=self.announcement(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


urlpatterns = [
    path("announcements/", AnnouncementList.as_view(), name="announcements"),
    path("announcements/<int:pk>/", AnnouncementDetail.as_view(), name="announcement"),
]
