"""/api/v1/approvals/materials/: 申请材料清单 per province and business type (SPEC §12) for REST clients.

Read as the admin's MaterialListAdmin lists them (``material_list_list_for``: the reviewer's province; every
province for the national level); written by the province's (or the national) level only, through
``material_list_set`` / ``material_list_delete``. Without a list the default of registrations.materials applies.
"""

import django_filters
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.response import Response

from registrations.models import Kind, MaterialList

from ..selectors import material_list_list_for
from ..services import MATERIAL_ITEM_MAX, material_list_delete, material_list_set
from .views import IsReviewer

TAGS = ["approvals"]


class ReviewMaterialListSerializer(serializers.ModelSerializer):
    province = serializers.CharField(source="province_id", read_only=True, help_text=_("省份区划代码"))
    province_name = serializers.CharField(source="province.name", read_only=True)
    kind = serializers.CharField(read_only=True, help_text=_("业务类型代码"))
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    items = serializers.ListField(child=serializers.CharField(), source="item_list", read_only=True)

    class Meta:
        model = MaterialList
        fields = ("id", "province", "province_name", "kind", "kind_display", "items", "updated_at")
        read_only_fields = fields


class ReviewMaterialListInputSerializer(serializers.Serializer):
    province = serializers.CharField(max_length=6, help_text=_("省份区划代码（如 430000）"))
    kind = serializers.ChoiceField(choices=Kind.choices, help_text=_("业务类型"))
    items = serializers.ListField(
        child=serializers.CharField(max_length=MATERIAL_ITEM_MAX, allow_blank=True),
        max_length=50,
        help_text=_("材料，每项一条（顺序即展示顺序）"),
    )


class ReviewMaterialFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Kind.choices, label=_("业务类型"))
    province = django_filters.CharFilter(field_name="province_id", max_length=6, label=_("省份区划代码"))

    class Meta:
        model = MaterialList
        fields: list = []


class ReviewerMaterialAPI(GenericAPIView):
    permission_classes = [IsReviewer]
    serializer_class = ReviewMaterialListSerializer
    refusal_status = {"materials_forbidden": status.HTTP_403_FORBIDDEN}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return MaterialList.objects.none()
        return material_list_list_for(user=self.request.user).order_by("province_id", "kind")


class MaterialListList(ReviewerMaterialAPI, ListAPIView):
    filterset_class = ReviewMaterialFilter

    @extend_schema(tags=TAGS)
    def get(self, request):
        """SPEC §12: the lists the province set (types without one use the default list)."""
        return self.list(request)

    @extend_schema(
        request=ReviewMaterialListInputSerializer,
        responses=ReviewMaterialListSerializer,
        filters=False,
        tags=TAGS,
    )
    def post(self, request):
        """SPEC §12: set (create or replace) the province's list for one business type."""
        serializer = ReviewMaterialListInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        materials = material_list_set(
            actor=request.user, province_code=data["province"], kind=data["kind"], items=data["items"]
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=materials.pk)).data)


class MaterialListDetail(ReviewerMaterialAPI):
    @extend_schema(tags=TAGS)
    def get(self, request, pk: int):
        """One list of the reviewer's province (another province's is a 404)."""
        return Response(self.get_serializer(get_object_or_404(self.get_queryset(), pk=pk)).data)

    @extend_schema(responses={204: None}, tags=TAGS)
    def delete(self, request, pk: int):
        """Drop the list: the default applies again (province and national level only)."""
        material_list_delete(actor=request.user, materials=get_object_or_404(self.get_queryset(), pk=pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


urlpatterns = [
    path("materials/", MaterialListList.as_view(), name="materials"),
    path("materials/<int:pk>/", MaterialListDetail.as_view(), name="material"),
]
