"""Admin of the exam centre's records (QUA-1/2), the imports (QUA-3) and their reports."""

import re

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from approvals.admin import ReviewerPermissionsMixin
from docregsys.identity.crypto import id_number_digest, normalize_id_number
from docregsys.reference.models import Authority, ExamCategory
from docregsys.reference.selectors import is_reviewer

from .importing import ImportRefused, check_upload
from .models import AssessmentResult, ExamResult, ImportBatch, QualificationCertificate
from .services import import_batch_enqueue

_RESIDENT_ID = re.compile(r"^\d{17}[\dX]$")
_IDENTITY_READONLY = ("id_type", "id_number_masked")


def may_import(user) -> bool:
    """QUA-3: the exam centre's files are imported by the superuser and national/provincial reviewers."""
    if user.is_active and user.is_superuser:
        return True
    return is_reviewer(user) and user.authority.level in (
        Authority.Level.NATIONAL,
        Authority.Level.PROVINCE,
    )


class IdNumberSearchMixin:
    """A typed 18-character ID number is searched through its digest: lists never decrypt."""

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = normalize_id_number(search_term)
        if _RESIDENT_ID.match(term):
            results = results | queryset.filter(id_number_digest=id_number_digest(term))
        return results, may_have_duplicates


@admin.register(ExamCategory)
class ExamCategoryAdmin(ReviewerPermissionsMixin, admin.ModelAdmin):
    list_display = ("code", "name", "level", "category")


@admin.register(ExamResult)
class ExamResultAdmin(ReviewerPermissionsMixin, IdNumberSearchMixin, SimpleHistoryAdmin):
    list_display = (
        "year", "exam_category", "admission_ticket", "real_name", "id_number_masked",
        "written_score", "pass_line", "passed",
    )  # fmt: skip
    list_filter = ("year", "exam_category", "passed")
    list_select_related = ("exam_category",)
    search_fields = ("real_name", "admission_ticket")
    search_help_text = "按姓名、准考证号或完整的18位身份证号码查找"
    readonly_fields = (*_IDENTITY_READONLY, "batch")


@admin.register(QualificationCertificate)
class QualificationCertificateAdmin(ReviewerPermissionsMixin, IdNumberSearchMixin, SimpleHistoryAdmin):
    list_display = ("number", "real_name", "id_number_masked", "level", "category", "year_obtained", "origin")
    list_filter = ("level", "category", "origin", "year_obtained")
    search_fields = ("real_name", "number", "admission_ticket")
    search_help_text = "按姓名、资格证书编码、准考证号或完整的18位身份证号码查找"
    readonly_fields = (*_IDENTITY_READONLY, "batch")


@admin.register(AssessmentResult)
class AssessmentResultAdmin(ReviewerPermissionsMixin, IdNumberSearchMixin, SimpleHistoryAdmin):
    list_display = (
        "cycle",
        "real_name",
        "id_number_masked",
        "assessing_body",
        "result",
        "certificate_number",
    )
    list_filter = ("cycle", "result")
    search_fields = ("real_name", "certificate_number")
    search_help_text = "按姓名、执业证书编码或完整的18位身份证号码查找"
    readonly_fields = (*_IDENTITY_READONLY, "batch")


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(label="数据类型", choices=ImportBatch.Kind.choices)
    file = forms.FileField(label="文件", help_text="CSV（UTF-8或GB18030编码）或XLSX，第1行为表头。")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.IMPORT_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(f"文件不能超过{limit // (1024 * 1024)}MB。")
        try:
            check_upload(upload)
        except ImportRefused as exc:
            raise forms.ValidationError(str(exc)) from None
        return upload


@admin.register(ImportBatch)
class ImportBatchAdmin(ReviewerPermissionsMixin, admin.ModelAdmin):
    list_display = (
        "started_at", "kind", "filename", "status", "total_rows",
        "created", "updated", "unchanged", "rejected", "started_by", "report_link",
    )  # fmt: skip
    list_filter = ("kind", "status")
    list_select_related = ("started_by",)
    search_fields = ("filename",)
    change_list_template = "admin/qualifications/importbatch/change_list.html"

    def has_add_permission(self, request):
        return False  # batches are made by imports only

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        # A reviewer sees the batches of their own authority's reviewers.
        return qs.filter(started_by__authority_id=request.user.authority_id)

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(
            request, {"may_import": may_import(request.user), **(extra_context or {})}
        )

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="报告")
    def report_link(self, obj):
        return format_html(
            '<a href="{}">查看</a>', reverse("admin:qualifications_importbatch_report", args=[obj.pk])
        )

    def get_urls(self):
        own = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="qualifications_importbatch_import",
            ),
            path(
                "<int:batch_id>/report/",
                self.admin_site.admin_view(self.report_view),
                name="qualifications_importbatch_report",
            ),
        ]
        return own + super().get_urls()

    def import_view(self, request):
        if not may_import(request.user):
            raise PermissionDenied
        form = ImportUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            batch = import_batch_enqueue(
                kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"], user=request.user
            )
            if batch.status == ImportBatch.Status.FAILED:
                messages.error(request, f"导入失败：{batch.failure}")
            elif batch.status == ImportBatch.Status.DONE:
                messages.success(
                    request,
                    f"导入完成：新增{batch.created}，更新{batch.updated}，未变化{batch.unchanged}，错误行{batch.rejected}。",
                )
            else:
                messages.info(request, "文件已上传，正在后台导入；本页会自动刷新显示结果。")
            return redirect("admin:qualifications_importbatch_report", batch_id=batch.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "导入数据",
            "form": form,
            "max_mb": settings.IMPORT_MAX_UPLOAD_BYTES // (1024 * 1024),
        }
        return TemplateResponse(request, "admin/qualifications/importbatch/import_form.html", context)

    def report_view(self, request, batch_id):
        if not self.has_view_permission(request):
            raise PermissionDenied
        batch = get_object_or_404(self.get_queryset(request), pk=batch_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"导入报告：{batch.filename}",
            "batch": batch,
            "errors_truncated": len(batch.errors) >= ImportBatch.ERRORS_KEPT,
            "errors_kept": ImportBatch.ERRORS_KEPT,
        }
        return TemplateResponse(request, "admin/qualifications/importbatch/report.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return redirect("admin:qualifications_importbatch_report", batch_id=object_id)
