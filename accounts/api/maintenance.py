"""/api/v1/accounts/maintenance/: REG-8 信息维护 for REST clients — what is pending, 信息修改, 上传相片."""

from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from docregsys.openapi import refusals
from registrations.selectors import profile_changes_of, profile_review_institution_for
from registrations.services.profile import (
    EDUCATION_LEVELS,
    FIELD_LIMITS,
    profile_change_submit,
    profile_photo_submit,
)

from ..selectors import activation_next_step, doctor_basic_info, doctor_records

NO_RECORD_CONFLICT = {"no_valid_record": 409}


def _activated_doctor(request):
    user = request.user
    if not user.is_doctor or user.is_superuser or activation_next_step(user) is not None:
        raise PermissionDenied
    return user


class CurrentInfoSerializer(serializers.Serializer):
    """The values the valid practice record holds (then the qualification certificate)."""

    real_name = serializers.CharField(read_only=True)
    sex = serializers.CharField(read_only=True)
    birth_date = serializers.DateField(read_only=True, allow_null=True)
    school = serializers.CharField(read_only=True)
    education = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)
    major = serializers.CharField(read_only=True)
    photo_url = serializers.CharField(read_only=True, allow_null=True)


class ChangeSerializer(serializers.Serializer):
    """One request and where it stands (待审核 / 审核通过 / 审核不通过, with the reason)."""

    id = serializers.IntegerField(read_only=True)
    state = serializers.CharField(read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    institution = serializers.CharField(source="institution.name", read_only=True)
    info_changed = serializers.BooleanField(read_only=True)
    education = serializers.CharField(read_only=True)
    school = serializers.CharField(read_only=True)
    major = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)
    photo_url = serializers.SerializerMethodField()
    reason = serializers.CharField(read_only=True)
    submitted_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)
    reviewed_at = serializers.DateTimeField(read_only=True, allow_null=True)

    def get_photo_url(self, change) -> str | None:
        return reverse("accounts:photo", args=[change.pk]) if change.photo else None


class MaintenanceSerializer(serializers.Serializer):
    current = CurrentInfoSerializer(read_only=True)
    may_submit = serializers.BooleanField(read_only=True, help_text="有有效执业注册（主要执业机构审核）")
    info_change = ChangeSerializer(
        read_only=True, allow_null=True, help_text="最近的信息修改（待审核或最后结果）"
    )
    photo_change = ChangeSerializer(
        read_only=True, allow_null=True, help_text="最近上传的相片（待审核或最后结果）"
    )


class InfoChangeInputSerializer(serializers.Serializer):
    school = serializers.CharField(max_length=FIELD_LIMITS["school"])
    education = serializers.ChoiceField(choices=EDUCATION_LEVELS)
    major = serializers.CharField(max_length=FIELD_LIMITS["major"])
    title = serializers.CharField(
        max_length=FIELD_LIMITS["title"], required=False, allow_blank=True, default=""
    )


class PhotoInputSerializer(serializers.Serializer):
    photo = serializers.FileField(help_text="354×472 像素 JPG/PNG，不超过 80KB")


def _state(user) -> dict:
    info = doctor_basic_info(user, doctor_records(user))
    changes = profile_changes_of(doctor=user).select_related("institution")
    return {
        "current": {
            "real_name": user.real_name,
            "sex": info.sex,
            "birth_date": info.birth_date,
            "school": info.school,
            "education": info.education,
            "title": info.title,
            "major": info.major,
            "photo_url": reverse("accounts:current_photo") if info.photo else None,
        },
        "may_submit": info.record is not None,
        "info_change": changes.filter(info_changed=True).first(),
        "photo_change": changes.exclude(photo="").first(),
    }


class MaintenanceView(APIView):
    """REG-8: GET what the record holds and what is pending; POST a 信息修改 (pending the institution's review)."""

    refusal_status = NO_RECORD_CONFLICT

    @extend_schema(responses=MaintenanceSerializer, tags=["accounts"])
    def get(self, request):
        return Response(MaintenanceSerializer(_state(_activated_doctor(request))).data)

    @extend_schema(
        request=InfoChangeInputSerializer,
        responses={200: MaintenanceSerializer, **refusals(409)},
        tags=["accounts"],
    )
    def post(self, request):
        """{"school", "education", "major", "title"} → the new state; 409 without a valid practice record."""
        user = _activated_doctor(request)
        serializer = InfoChangeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        profile_change_submit(
            doctor=user, institution=profile_review_institution_for(doctor=user), **serializer.validated_data
        )
        return Response(MaintenanceSerializer(_state(user)).data)


class MaintenancePhotoView(APIView):
    """REG-8 上传相片: multipart {"photo"}; decoded, checked (ID-6) and re-encoded without metadata."""

    refusal_status = NO_RECORD_CONFLICT
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": PhotoInputSerializer},
        responses={200: MaintenanceSerializer, **refusals(409)},
        tags=["accounts"],
    )
    def post(self, request):
        user = _activated_doctor(request)
        serializer = PhotoInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        profile_photo_submit(
            doctor=user,
            institution=profile_review_institution_for(doctor=user),
            data=serializer.validated_data["photo"],
        )
        return Response(MaintenanceSerializer(_state(user)).data)


urlpatterns = [
    path("maintenance/", MaintenanceView.as_view(), name="maintenance"),
    path("maintenance/photo/", MaintenancePhotoView.as_view(), name="maintenance_photo"),
]
