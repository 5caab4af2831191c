"""Registrations in the admin: reference lists and practice records, read-only for reviewers."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from approvals.admin import ReadOnlyAdmin, ReviewerScopedAdmin
from docregsys.adminsearch import IdNumberSearchMixin
from docregsys.reference.models import DeregistrationReason, FilingReason, PracticeScope, Title
from docregsys.reference.selectors import code_list_for

from .models import PracticeRecord
from .selectors import practice_record_list_for


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
