"""The printed documents in the admin (PRN-2): read-only, for the superuser and, within their scope, reviewers.

A document is listed by kind, state, code, subject, printing institution and dates; the PDF itself is
never shown here (it is personal data, downloaded only where its subject is: the console, the doctor's
pages). The queryset starts from `document_list_for`, which follows the subjects' own selectors.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from approvals.admin import ReadOnlyAdmin

from .models import Document
from .selectors import document_list_for


class CurrentFilter(admin.SimpleListFilter):
    title = _("是否现行")
    parameter_name = "current"

    def lookups(self, request, model_admin):
        return (("yes", _("现行")), ("no", _("已作废")))

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(superseded_at__isnull=True)
        if self.value() == "no":
            return queryset.filter(superseded_at__isnull=False)
        return queryset


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = (
        "code_column",
        "kind",
        "state",
        "subject_column",
        "institution",
        "created_at",
        "rendered_at",
        "render_ms",
        "superseded_at",
    )
    list_filter = ("kind", "state", CurrentFilter)
    list_select_related = ("application", "record", "exam_result", "institution")
    search_fields = ("code",)
    search_help_text = _("按编码查找（可带短横线，不区分大小写）")
    date_hierarchy = "created_at"
    show_full_result_count = False
    fields = (
        "kind",
        "code_column",
        "state",
        "subject_column",
        "institution",
        "requested_by",
        "created_at",
        "rendered_at",
        "render_ms",
        "size",
        "failure",
        "superseded_at",
        "content_hash",
    )
    readonly_fields = fields

    class Media:
        css = {"all": ("css/admin-documents.css",)}

    def get_queryset(self, request):
        return self.ordered(request, document_list_for(user=request.user)).select_related(
            "application", "record", "exam_result", "institution", "requested_by"
        )

    def get_search_results(self, request, queryset, search_term):
        # The code as printed (XXXX-XXXX-XXXX-XXXX) or typed in lower case: one exact code.
        code = "".join(ch for ch in search_term.upper() if ch.isalnum())
        if not code:
            return queryset, False
        return queryset.filter(code=code[:16]), False

    @admin.display(description=_("编码"), ordering="code")
    def code_column(self, document):
        return document.code_display

    @admin.display(description=_("对象"))
    def subject_column(self, document):
        if document.application_id:
            application = document.application
            return f"{application.get_kind_display()} #{application.pk} {application.real_name}"
        if document.record_id:
            record = document.record
            return f"{record.real_name} {record.certificate_number}".strip()
        if document.exam_result_id:
            result = document.exam_result
            return f"{result.year} {result.admission_ticket} {result.real_name}"
        return "—"
