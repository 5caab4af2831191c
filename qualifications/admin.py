"""Admin of the exam centre's records (QUA-1/2), the imports (QUA-3), exact lookups and their audit (APP-5).

A reviewer browses the records of their own region (``qualifications.selectors``); any other record
is reached only through the exact lookup, a POST that is audited (``services.record_lookup_run``).
ID numbers and 资格证书编码 never appear in clear, and never in a URL (X-3).
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import display_for_field, label_for_field, lookup_field
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from approvals.admin import ReviewerPermissionsMixin, ReviewerScopedAdmin
from docregsys.adminsearch import looks_personal
from docregsys.exceptions import TransitionRefused
from docregsys.reference.models import ExamCategory
from docregsys.reference.selectors import code_list_for

from .models import AssessmentResult, ExamResult, ImportBatch, QualificationCertificate, RecordLookup
from .selectors import import_allowed_for, import_batch_list_for, record_list_for, record_lookup_list_for
from .services import import_batch_enqueue, record_lookup_run

_IDENTITY_READONLY = ("id_type", "id_number_masked")
_NEVER_IN_FORMS = ("id_number_cipher", "id_number_digest", "region_code")


@admin.register(ExamCategory)
class ExamCategoryAdmin(ReviewerPermissionsMixin, admin.ModelAdmin):
    list_display = ("code", "name", "level", "category")

    def get_queryset(self, request):
        return code_list_for(user=request.user, model=ExamCategory)


class LookupForm(forms.Form):
    by = forms.ChoiceField(label=_("查找方式"), choices=RecordLookup.By.choices)
    value = forms.CharField(label=_("完整号码"), max_length=32, strip=True)


class RecordAdmin(ReviewerScopedAdmin, SimpleHistoryAdmin):
    """An exam-centre record family: scoped list, exact audited lookup, no personal ``?q=``."""

    record_kind = ""  # ImportBatch.Kind of the model
    lookup_by = (RecordLookup.By.ID_NUMBER,)
    change_list_template = "admin/qualifications/record_change_list.html"

    def get_queryset(self, request):
        qs = record_list_for(self.model, user=request.user)
        ordering = self.get_ordering(request)
        return qs.order_by(*ordering) if ordering else qs

    def get_exclude(self, request, obj=None):
        return (*(super().get_exclude(request, obj) or ()), *_NEVER_IN_FORMS)

    def _changelist_url(self):
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")

    def _lookup_form(self, data=None):
        form = LookupForm(data)
        form.fields["by"].choices = [(b, RecordLookup.By(b).label) for b in self.lookup_by]
        return form

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_lookup"
        own = [path("lookup/", self.admin_site.admin_view(self.lookup_view), name=name)]
        return own + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        term = request.GET.get("q", "")
        if term and looks_personal(term):
            self.message_user(
                request, _("证件号码和资格证书编码请用“精确查找”，不要放在搜索框里。"), messages.WARNING
            )
            return redirect(self._changelist_url())
        extra = {
            "lookup_url": reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_lookup"),
            "lookup_form": self._lookup_form(),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra)

    def lookup_view(self, request):
        """APP-5: POST a full number, see every matching record (in region or not); the lookup is audited."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return redirect(self._changelist_url())
        form = self._lookup_form(request.POST)
        found = None
        if form.is_valid():
            try:
                found = record_lookup_run(
                    user=request.user,
                    record_kind=self.record_kind,
                    by=form.cleaned_data["by"],
                    value=form.cleaned_data["value"],
                )
            except TransitionRefused as exc:
                if exc.code == "lookup_forbidden":
                    raise PermissionDenied from None
                form.add_error("value" if exc.field == "value" else None, exc.message)
        columns = [name for name in self.list_display if name != "__str__"]
        rows = []
        for record in found or ():
            cells = []
            for name in columns:
                field, _attr, value = lookup_field(name, record, self)
                cells.append(display_for_field(value, field, "-") if field is not None else value)
            url = (
                reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[record.pk])
                if record.in_region
                else None
            )
            rows.append({"cells": cells, "url": url, "in_region": record.in_region})
        # The template never echoes the typed value back: the page shows what was found, masked.
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("精确查找：%(name)s") % {"name": self.opts.verbose_name_plural},
            "lookup_form": form,
            "lookup_url": request.path,
            "searched": found is not None,
            "headers": [label_for_field(name, self.model, self) for name in columns],
            "rows": rows,
        }
        return TemplateResponse(request, "admin/qualifications/lookup.html", context)


@admin.register(ExamResult)
class ExamResultAdmin(RecordAdmin):
    record_kind = ImportBatch.Kind.EXAM_RESULTS
    list_display = (
        "year", "exam_category", "admission_ticket", "real_name", "id_number_masked",
        "exam_area", "exam_site", "written_score", "pass_line", "passed",
    )  # fmt: skip
    list_filter = ("year", "exam_category", "passed")
    list_select_related = ("exam_category",)
    search_fields = ("real_name", "admission_ticket")
    search_help_text = _("按姓名或准考证号查找；证件号码请用“精确查找”")
    readonly_fields = (*_IDENTITY_READONLY, "batch")


@admin.register(QualificationCertificate)
class QualificationCertificateAdmin(RecordAdmin):
    record_kind = ImportBatch.Kind.CERTIFICATES
    lookup_by = (RecordLookup.By.ID_NUMBER, RecordLookup.By.CERTIFICATE_NUMBER)
    list_display = (
        "number_masked", "real_name", "id_number_masked", "level", "category", "year_obtained", "origin",
    )  # fmt: skip
    list_filter = ("level", "category", "origin", "year_obtained")
    search_fields = ("real_name", "admission_ticket")
    search_help_text = _("按姓名或准考证号查找；证件号码和资格证书编码请用“精确查找”")
    readonly_fields = ("number_masked", *_IDENTITY_READONLY, "batch")

    def get_exclude(self, request, obj=None):
        # The 资格证书编码 holds the holder's full ID: typed once when adding, then shown masked.
        excluded = super().get_exclude(request, obj)
        return excluded if obj is None else (*excluded, "number")

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else (*_IDENTITY_READONLY, "batch")

    @admin.display(description=_("资格证书编码"), ordering="number")
    def number_masked(self, obj):
        return obj.number_masked


@admin.register(AssessmentResult)
class AssessmentResultAdmin(RecordAdmin):
    record_kind = ImportBatch.Kind.ASSESSMENTS
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
    search_help_text = _("按姓名或执业证书编码查找；证件号码请用“精确查找”")
    readonly_fields = (*_IDENTITY_READONLY, "batch")


@admin.register(RecordLookup)
class RecordLookupAdmin(ReviewerPermissionsMixin, admin.ModelAdmin):
    """APP-5: the audit of exact lookups, for the superuser only (reviewers have no action here)."""

    reviewer_actions = ()
    list_display = ("at", "user", "record_kind", "by", "value_masked", "found_summary")
    list_filter = ("record_kind", "by")
    list_select_related = ("user",)
    search_fields = ("user__username",)
    date_hierarchy = "at"
    readonly_fields = [f.name for f in RecordLookup._meta.fields]

    def get_queryset(self, request):
        return record_lookup_list_for(user=request.user)

    def history_view(self, request, object_id, extra_context=None):
        # Reviewers may not read the audit at all: say so (403) before looking the entry up.
        if not self.has_view_permission(request):
            raise PermissionDenied
        return super().history_view(request, object_id, extra_context)

    @admin.display(description=_("找到（辖区外）"))
    def found_summary(self, obj):
        return f"{obj.found}（{obj.outside_region}）"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(label="数据类型", choices=ImportBatch.Kind.choices)
    file = forms.FileField(label="文件", help_text="CSV（UTF-8或GB18030编码）或XLSX，第1行为表头。")


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
        qs = import_batch_list_for(user=request.user)
        ordering = self.get_ordering(request)
        return qs.order_by(*ordering) if ordering else qs

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(
            request, {"may_import": import_allowed_for(user=request.user), **(extra_context or {})}
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
        # The service decides who may import and which files (QUA-3); the page is only hidden early.
        if not import_allowed_for(user=request.user):
            raise PermissionDenied
        form = ImportUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                batch = import_batch_enqueue(
                    kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"], user=request.user
                )
            except TransitionRefused as exc:
                if exc.code == "import_forbidden":
                    raise PermissionDenied from None
                exc.add_to_form(form)
            else:
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
