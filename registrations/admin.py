"""Registrations in the admin: reference lists and practice records, read-only for reviewers."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from approvals.admin import ReadOnlyAdmin, ReviewerPermissionsMixin, ReviewerScopedAdmin
from docregsys.adminsearch import IdNumberSearchMixin
from docregsys.reference.models import DeregistrationReason, FilingReason, PracticeScope, Title
from docregsys.reference.selectors import code_list_for

from .models import DoctorLookup, PracticeRecord
from .selectors import doctor_lookup_list_for, practice_record_list_for


class ReferenceListAdmin(ReviewerScopedAdmin):
    """Reviewers view the list (reviewer_actions = view only); the superuser edits it."""

    list_display = ("code", "name", "order")
    search_fields = ("code", "name")

    def get_queryset(self, request):
        qs = code_list_for(user=request.user, model=self.model)
        ordering = self.get_ordering(request)
        return qs.order_by(*ordering) if ordering else qs


@admin.register(PracticeScope)
class PracticeScopeAdmin(ReferenceListAdmin):
    list_display = ("code", "name", "category", "order")
    list_filter = ("category",)


@admin.register(Title)
class TitleAdmin(ReferenceListAdmin):
    pass


@admin.register(DeregistrationReason)
class DeregistrationReasonAdmin(ReferenceListAdmin):
    pass


@admin.register(FilingReason)
class FilingReasonAdmin(ReferenceListAdmin):
    pass


@admin.register(PracticeRecord)
class PracticeRecordAdmin(IdNumberSearchMixin, ReadOnlyAdmin, SimpleHistoryAdmin):
    """执业注册 of the institutions in scope. Read-only: records change only through approved applications.

    ``?q=`` searches names and the 执业证书编码 (public, X-3); ID numbers go through the POST search.
    """

    list_display = (
        "real_name",
        "id_number_masked",
        "certificate_number",
        "level",
        "category",
        "location",
        "main_institution",
        "state",
        "approval_date",
    )
    list_filter = ("state", "level", "category")
    list_select_related = ("location", "main_institution")
    search_fields = ("real_name", "certificate_number")
    readonly_fields = ("id_number_masked",)
    exclude = ("id_number_cipher", "id_number_digest")

    def get_queryset(self, request):
        return practice_record_list_for(user=request.user).select_related(
            "location", "main_institution", "authority"
        )


@admin.register(DoctorLookup)
class DoctorLookupAdmin(ReviewerPermissionsMixin, admin.ModelAdmin):
    """INS-8: the audit of the console's 医师验证 lookups, for the superuser only (reviewers have no action here)."""

    reviewer_actions = ()
    list_display = ("at", "user", "institution", "kind", "value_masked", "found")
    list_filter = ("kind",)
    list_select_related = ("user", "institution")
    search_fields = ("user__username", "institution__name")
    date_hierarchy = "at"
    readonly_fields = [f.name for f in DoctorLookup._meta.fields]

    def get_queryset(self, request):
        return doctor_lookup_list_for(user=request.user)

    def history_view(self, request, object_id, extra_context=None):
        # Reviewers may not read the audit at all: say so (403) before looking the entry up.
        if not self.has_view_permission(request):
            raise PermissionDenied
        return super().history_view(request, object_id, extra_context)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
