"""/api/v1/institution/notices/: the console's 综合信息 → 通知公告 for REST clients (APP-3 通告, read)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers

from docregsys.reference.models import Announcement
from docregsys.reference.selectors import announcement_list_current

from ..selectors import institution_list_for
from .officers import ConsoleOfficer


class ConsoleNoticeSerializer(serializers.ModelSerializer):
    """A notice in force: nationwide, or of the institution's province."""

    province_name = serializers.SerializerMethodField(help_text=_("省份；全国通告为“全国”"))

    class Meta:
        model = Announcement
        fields = ("id", "title", "body", "province_name", "publish_from", "publish_until")
        read_only_fields = fields

    def get_province_name(self, obj) -> str:
        return obj.region.name if obj.region_id else str(_("全国"))


@extend_schema(tags=["institution"])
class NoticeList(generics.ListAPIView):
    """通知公告: the notices in force for the officer's province and nationwide, newest first (as the page)."""

    serializer_class = ConsoleNoticeSerializer
    permission_classes = [ConsoleOfficer]
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Announcement.objects.none()
        institution = institution_list_for(user=self.request.user).get(pk=self.request.user.institution_id)
        province = f"{institution.region_id[:2]}0000" if institution.region_id else None
        return announcement_list_current(province_code=province).order_by("-publish_from", "-pk")


urlpatterns = [path("notices/", NoticeList.as_view(), name="notices")]
