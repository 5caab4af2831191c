"""/api/v1/institution/reviews/: INS-7 本院医师信息审核 for REST clients — the queue, one request, the decision."""

from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.selectors import doctor_basic_info, doctor_records
from docregsys.identity.normalize import normalize_text
from docregsys.openapi import refusals
from registrations.models import ProfileChange
from registrations.selectors import profile_change_list_for
from registrations.services.profile import REASON_MAX_LENGTH, profile_change_approve, profile_change_reject

from ..views.review import pending_changes_for
from .officers import console_officer

NOT_PENDING_CONFLICT = {"not_pending": 409, "no_valid_record_here": 409}


class ReviewItemSerializer(serializers.Serializer):
    """A row of the queue: 姓名, masked 身份证号, 注册时间, 信息有更新 / 相片有更新."""

    id = serializers.IntegerField(read_only=True)
    real_name = serializers.CharField(source="doctor.real_name", read_only=True)
    id_number_masked = serializers.CharField(source="doctor.id_number_masked", read_only=True)
    registered_at = serializers.DateTimeField(source="doctor.date_joined", read_only=True)
    info_changed = serializers.BooleanField(read_only=True)
    photo_changed = serializers.BooleanField(read_only=True)
    state = serializers.CharField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)


class OriginalSerializer(serializers.Serializer):
    sex = serializers.CharField(read_only=True)
    birth_date = serializers.DateField(read_only=True, allow_null=True)
    school = serializers.CharField(read_only=True)
    education = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)
    major = serializers.CharField(read_only=True)


class ReviewDetailSerializer(ReviewItemSerializer):
    """One request: the values the registration holds next to what the doctor asks for."""

    original = serializers.SerializerMethodField()
    education = serializers.CharField(read_only=True)
    school = serializers.CharField(read_only=True)
    major = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)
    photo_url = serializers.SerializerMethodField()
    reason = serializers.CharField(read_only=True)
    reviewed_at = serializers.DateTimeField(read_only=True, allow_null=True)

    def get_original(self, change) -> dict:
        info = doctor_basic_info(change.doctor, doctor_records(change.doctor))
        return OriginalSerializer(info).data

    def get_photo_url(self, change) -> str | None:
        return reverse("console:info_review_photo", args=[change.pk]) if change.photo else None


class RejectInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=REASON_MAX_LENGTH, help_text="不通过原因（必填）")


class ReviewList(ListAPIView):
    """INS-7: the institution's pending requests, newest first; ?name= filters by the doctor's name."""

    serializer_class = ReviewItemSerializer

    @extend_schema(
        parameters=[OpenApiParameter("name", str, description="医师姓名（包含）")], tags=["institution"]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no officer
            return ProfileChange.objects.none()
        name = normalize_text(self.request.query_params.get("name", ""))[:28]
        return pending_changes_for(console_officer(self.request), name=name)


def _change(request, pk):
    return get_object_or_404(
        profile_change_list_for(user=console_officer(request)).select_related("doctor"), pk=pk
    )


class ReviewDetail(APIView):
    @extend_schema(responses=ReviewDetailSerializer, tags=["institution"])
    def get(self, request, pk: int):
        """One request of the institution (any state)."""
        return Response(ReviewDetailSerializer(_change(request, pk)).data)


class ReviewApprove(APIView):
    refusal_status = NOT_PENDING_CONFLICT

    @extend_schema(
        request=None, responses={200: ReviewDetailSerializer, **refusals(409)}, tags=["institution"]
    )
    def post(self, request, pk: int):
        """审核通过: the values and photo go onto the doctor's valid practice records; 409 once decided."""
        change = profile_change_approve(officer=request.user, change=_change(request, pk))
        return Response(ReviewDetailSerializer(change).data)


class ReviewReject(APIView):
    refusal_status = NOT_PENDING_CONFLICT

    @extend_schema(
        request=RejectInputSerializer,
        responses={200: ReviewDetailSerializer, **refusals(409)},
        tags=["institution"],
    )
    def post(self, request, pk: int):
        """不通过 with {"reason"}; the practice records stay as they are; 409 once decided."""
        change = _change(request, pk)
        serializer = RejectInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        change = profile_change_reject(
            officer=request.user, change=change, reason=serializer.validated_data["reason"]
        )
        return Response(ReviewDetailSerializer(change).data)


urlpatterns = [
    path("reviews/", ReviewList.as_view(), name="reviews"),
    path("reviews/<int:pk>/", ReviewDetail.as_view(), name="review"),
    path("reviews/<int:pk>/approve/", ReviewApprove.as_view(), name="review_approve"),
    path("reviews/<int:pk>/reject/", ReviewReject.as_view(), name="review_reject"),
]
