"""/api/v1/approvals/imports/: the exam centre's files (QUA-3) for REST clients — upload, poll, report.

The same service as the admin's 导入数据 page (``import_batch_enqueue``: who may import, file checks, the
batch queued after commit); batches listed as the admin lists them (``import_batch_list_for``: the
reviewer's authority's, every batch for the superuser). Importing is for national and provincial reviewers
and the superuser (403 for the others, who still read their authority's batches).
"""

import django_filters
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.response import Response

from docregsys.openapi import refusals
from qualifications.models import ImportBatch
from qualifications.selectors import import_allowed_for, import_batch_list_for
from qualifications.services import import_batch_enqueue

from .views import IsReviewer

TAGS = ["approvals"]


class ReviewImportRowErrorSerializer(serializers.Serializer):
    line = serializers.IntegerField(read_only=True, help_text=_("文件中的行号"))
    column = serializers.CharField(read_only=True, allow_blank=True, required=False)
    message = serializers.CharField(read_only=True)


class ReviewImportBatchSerializer(serializers.ModelSerializer):
    """A batch: its state (running → done / failed) and its counts; poll it until it is no longer running."""

    kind = serializers.CharField(read_only=True, help_text=_("数据类型代码"))
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status = serializers.CharField(read_only=True, help_text=_("running、done 或 failed"))
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    started_by = serializers.SerializerMethodField()

    class Meta:
        model = ImportBatch
        fields = (
            "id",
            "kind",
            "kind_display",
            "filename",
            "status",
            "status_display",
            "started_by",
            "started_at",
            "finished_at",
            "total_rows",
            "created",
            "updated",
            "unchanged",
            "rejected",
            "failure",
        )
        read_only_fields = fields

    def get_started_by(self, obj) -> str:
        user = obj.started_by
        return (user.real_name or user.username) if user is not None else ""


class ReviewImportReportSerializer(ReviewImportBatchSerializer):
    """The report: the batch and its refused rows with line numbers (the first ERRORS_KEPT of them)."""

    errors = ReviewImportRowErrorSerializer(many=True, read_only=True)
    errors_truncated = serializers.SerializerMethodField(help_text=_("错误行超过保留上限，仅列出前面部分"))

    class Meta(ReviewImportBatchSerializer.Meta):
        fields = (*ReviewImportBatchSerializer.Meta.fields, "errors", "errors_truncated")
        read_only_fields = fields

    def get_errors_truncated(self, obj) -> bool:
        return len(obj.errors) >= ImportBatch.ERRORS_KEPT


class ReviewImportUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ImportBatch.Kind.choices, help_text=_("数据类型"))
    file = serializers.FileField(help_text=_("CSV（UTF-8或GB18030编码）或XLSX，第1行为表头"))


class ReviewImportFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=ImportBatch.Kind.choices, label=_("数据类型"))
    status = django_filters.ChoiceFilter(choices=ImportBatch.Status.choices, label=_("状态"))

    class Meta:
        model = ImportBatch
        fields: list = []


class ReviewerImportAPI(GenericAPIView):
    permission_classes = [IsReviewer]
    refusal_status = {
        "import_forbidden": status.HTTP_403_FORBIDDEN,
        "import_too_large": status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
    }

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ImportBatch.objects.none()
        return (
            import_batch_list_for(user=self.request.user)
            .select_related("started_by")
            .order_by("-started_at", "-pk")
        )


class ImportList(ReviewerImportAPI, ListAPIView):
    serializer_class = ReviewImportBatchSerializer
    filterset_class = ReviewImportFilter

    @extend_schema(tags=TAGS)
    def get(self, request):
        """QUA-3: the batches of the reviewer's authority, newest first."""
        return self.list(request)

    @extend_schema(
        request={"multipart/form-data": ReviewImportUploadSerializer},
        responses={202: ReviewImportBatchSerializer, **refusals(403, 413)},
        filters=False,
        tags=TAGS,
    )
    def post(self, request):
        """QUA-3 导入数据: upload a file; the batch is imported in the worker (poll GET imports/{id}/).

        Without a task queue the import runs at once and the answer is already done (or failed)."""
        if not import_allowed_for(user=request.user):  # the role before the body (the service checks again)
            raise PermissionDenied
        serializer = ReviewImportUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        batch = import_batch_enqueue(
            kind=serializer.validated_data["kind"],
            upload=serializer.validated_data["file"],
            user=request.user,
        )
        batch = self.get_queryset().filter(pk=batch.pk).first() or batch
        return Response(ReviewImportBatchSerializer(batch).data, status=status.HTTP_202_ACCEPTED)


class ImportDetail(ReviewerImportAPI):
    serializer_class = ReviewImportReportSerializer

    @extend_schema(tags=TAGS)
    def get(self, request, pk: int):
        """QUA-3 导入报告: the batch's state, counts and refused rows (another authority's batch is a 404)."""
        return Response(ReviewImportReportSerializer(get_object_or_404(self.get_queryset(), pk=pk)).data)


urlpatterns = [
    path("imports/", ImportList.as_view(), name="imports"),
    path("imports/<int:pk>/", ImportDetail.as_view(), name="import"),
]
