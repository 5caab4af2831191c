"""The reviewers' admin (APP-3, APP-4): permissions from role data, querysets from scoped selectors.

Reviewers are staff users with role ``reviewer`` and an authority; they get no Django groups or
permissions. ``ReviewerScopedAdmin`` grants what they may do in code and starts every queryset
from its family's ``<entity>_list_for(*, user)`` selector, so an object outside scope is a 404 wherever
it is asked for.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from docregsys.exceptions import TransitionRefused
from docregsys.reference.models import Announcement, Authority, Region
from docregsys.reference.selectors import (
    announcement_list_for,
    authority_list_for,
    is_reviewer,
    province_code_for,
    region_list_for,
)

from .services import (
    announcement_create,
    announcement_delete,
    announcement_editable_by,
    announcement_update,
)

ACTIONS = ("view", "add", "change", "delete")
ANNOUNCEMENT_FIELDS = ("region", "title", "body", "is_active", "publish_from", "publish_until", "authority")


def _reviewer_may(admin_obj, request, action: str, obj=None) -> bool | None:
    """True/False for reviewers, None to let Django decide (superusers); deny everyone else."""
    user = request.user
    if user.is_superuser and user.is_active:
        return None
    if not is_reviewer(user):
        return False
    if action not in admin_obj.reviewer_actions:
        return False
    return admin_obj.reviewer_may(request, action, obj)


class ReviewerPermissionsMixin:
    """Permissions in code: superusers as Django says, reviewers per ``reviewer_actions``, others nothing."""

    reviewer_actions: tuple[str, ...] = ("view",)

    def reviewer_may(self, request, action: str, obj=None) -> bool:
        """Hook for object-level rules (e.g. no deleting institutions with history)."""
        return True

    def has_module_permission(self, request):
        verdict = _reviewer_may(self, request, "view")
        return super().has_module_permission(request) if verdict is None else verdict

    def has_view_permission(self, request, obj=None):
        verdict = _reviewer_may(self, request, "view", obj)
        if verdict is None:
            return super().has_view_permission(request, obj)
        # Change implies view, as in Django.
        return verdict or bool(_reviewer_may(self, request, "change", obj))

    def has_add_permission(self, request, *args):
        verdict = _reviewer_may(self, request, "add")
        return super().has_add_permission(request, *args) if verdict is None else verdict

    def has_change_permission(self, request, obj=None):
        verdict = _reviewer_may(self, request, "change", obj)
        return super().has_change_permission(request, obj) if verdict is None else verdict

    def has_delete_permission(self, request, obj=None):
        verdict = _reviewer_may(self, request, "delete", obj)
        return super().has_delete_permission(request, obj) if verdict is None else verdict

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history saves a posted "revert" form after checking only the view-history permission:
        # reverting is changing, so a POST needs the change permission (a view-only reviewer could
        # otherwise rewrite a practice record, and a read-only model's save_model failed with a 500).
        if request.method == "POST":
            obj = self.get_object(request, unquote(object_id))
            if not self.has_change_permission(request, obj):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class ReviewerScopedAdmin(ReviewerPermissionsMixin, admin.ModelAdmin):
    """A ModelAdmin whose queryset starts from a scoped selector; outside scope is 404, saving out of scope refused.

    Combine with ``SimpleHistoryAdmin`` for models with history: ``class X(ReviewerScopedAdmin, SimpleHistoryAdmin)``.
    """

    def get_queryset(self, request):
        # Deny by default: a subclass that forgets its selector shows nothing rather than everything.
        return self.model._default_manager.none()

    def ordered(self, request, qs):
        """Apply the admin's ordering to the queryset a selector returned."""
        ordering = self.get_ordering(request)
        return qs.order_by(*ordering) if ordering else qs

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Django redirects to the index for a missing object; out of scope must look like "no such page".
        raise Http404(_("对象不存在或不在您的管辖范围内。"))

    def _require_in_scope(self, request, object_id):
        if not self.get_queryset(request).filter(pk=unquote(object_id)).exists():
            raise Http404(_("对象不存在或不在您的管辖范围内。"))

    def history_view(self, request, object_id, extra_context=None):
        # simple-history falls back to the last historical row of an object it cannot find; don't.
        self._require_in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history reads this one straight from the historical table, bypassing get_queryset.
        self._require_in_scope(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Whatever the form let through, the saved object must still be ours (STYLE §2): else roll back.
        if not request.user.is_superuser and not self.get_queryset(request).filter(pk=obj.pk).exists():
            raise PermissionDenied(_("保存后的对象将超出您的管辖范围，已拒绝。"))


class ServiceWritesAdmin(ReviewerScopedAdmin):
    """A scoped admin whose writes go through the services the API calls, so each rule exists once (STYLE §1).

    Subclasses implement ``service_save(request, obj, form, change)`` (returns the saved object) and
    ``service_delete(request, obj)``. A ``TransitionRefused`` rolls the whole request back (the change form
    and the delete page run in a transaction; a revert runs the service's own) and comes back as an error
    message on the page it came from. History rows are the services' (``_history_user``); LogEntry rows are
    Django's, written after a save succeeded.
    """

    def service_save(self, request, obj, form, change):
        raise NotImplementedError

    def service_delete(self, request, obj) -> None:
        raise NotImplementedError

    def save_model(self, request, obj, form, change):
        saved = self.service_save(request, obj, form, change)
        # The form's instance becomes the saved row (pk, normalised values): the inlines, save_m2m and the
        # LogEntry that follow all hold it.
        if saved is not obj:
            obj.__dict__.update(saved.__dict__)

    def delete_model(self, request, obj):
        self.service_delete(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                self.service_delete(request, obj)

    def _refusable(self, request, view, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except TransitionRefused as refused:
            self.message_user(request, refused.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return self._refusable(request, super().changeform_view, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        return self._refusable(request, super().delete_view, object_id, extra_context)

    def changelist_view(self, request, extra_context=None):
        return self._refusable(request, super().changelist_view, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        return self._refusable(request, super().history_form_view, object_id, version_id, extra_context)


class ReviewerScopedInline(ReviewerPermissionsMixin, admin.TabularInline):
    """An inline of a scoped parent: reviewers act on it when they may change the parent."""

    reviewer_actions = ACTIONS


class ReadOnlyAdmin(ReviewerScopedAdmin):
    """Reference data: everyone who may enter the admin views it; nobody edits it here."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin):
    def get_queryset(self, request):
        return self.ordered(request, region_list_for(user=request.user))

    list_display = ("code", "full_name", "level", "is_grouping")
    list_filter = ("level",)
    search_fields = ("code", "name", "full_name")
    show_full_result_count = False


@admin.register(Authority)
class AuthorityAdmin(ReviewerScopedAdmin, SimpleHistoryAdmin):
    """Read-only for reviewers; the superuser sets names, time limits and activity."""

    def get_queryset(self, request):
        return self.ordered(request, authority_list_for(user=request.user))

    list_display = ("name", "kind", "level", "region", "statutory_days", "is_active")
    list_filter = ("kind", "level", "is_active")
    list_select_related = ("region",)
    search_fields = ("name", "region__code")
    autocomplete_fields = ("region",)

    def get_readonly_fields(self, request, obj=None):
        # Kind, level and region identify an authority (unique per kind and region): fixed once created.
        return ("kind", "level", "region") if obj is not None else ()


@admin.register(Announcement)
class AnnouncementAdmin(ServiceWritesAdmin, SimpleHistoryAdmin):
    """通告 of the reviewer's province; the publishing authority is the reviewer's own."""

    def get_queryset(self, request):
        return self.ordered(request, announcement_list_for(user=request.user))

    reviewer_actions = ACTIONS
    list_display = ("title", "region", "authority", "is_active", "publish_from", "publish_until")
    list_filter = ("is_active",)
    list_select_related = ("region", "authority")
    search_fields = ("title",)
    date_hierarchy = "publish_from"

    def reviewer_may(self, request, action, obj=None):
        # A province's notice is the province's word: county and city bureaus edit only their own.
        if action in ("change", "delete") and obj is not None:
            return announcement_editable_by(actor=request.user, announcement=obj)
        return True

    def get_readonly_fields(self, request, obj=None):
        return () if request.user.is_superuser else ("authority",)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "region":
            province = province_code_for(request.user)
            if province is None:
                kwargs["queryset"] = Region.objects.none()
            elif province == "":  # national level and superusers: any province, or nationwide
                kwargs["queryset"] = Region.objects.filter(level=Region.Level.PROVINCE)
            else:
                # A provincial or lower reviewer: their own province, never a nationwide notice.
                kwargs["queryset"] = Region.objects.filter(code=province)
                kwargs["initial"] = province
                kwargs["required"] = True
                kwargs["empty_label"] = None
        elif db_field.name == "authority":
            kwargs["queryset"] = authority_list_for(user=request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def service_save(self, request, obj, form, change):
        # The publisher is the reviewer's own authority (the service sets it); a superuser may name one.
        values = {name: form.cleaned_data[name] for name in form.fields if name in ANNOUNCEMENT_FIELDS}
        if change:
            return announcement_update(actor=request.user, announcement=obj, **values)
        return announcement_create(actor=request.user, **values)

    def service_delete(self, request, obj):
        announcement_delete(actor=request.user, announcement=obj)


# The applications' admin (APP-1, APP-2) lives in its own module; importing it registers it.
from . import admin_applications  # noqa: E402, F401
