"""Registration reference lists in the admin: read-only for reviewers, maintained by the superuser."""

from django.contrib import admin

from approvals import scoping
from approvals.admin import ReviewerScopedAdmin

from .models import DeregistrationReason, FilingReason, PracticeScope, Title


class ReferenceListAdmin(ReviewerScopedAdmin):
    """Reviewers view the list (reviewer_actions = view only); the superuser edits it."""

    list_display = ("code", "name", "order")
    search_fields = ("code", "name")

    def get_queryset(self, request):
        qs = scoping.reference_for(request.user, self.model)
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
