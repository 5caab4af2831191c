"""Institutions in the reviewers' admin (APP-3): scoped list, INS-2 settings inline, deactivation."""

import datetime as dt

from django import forms
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from approvals.admin import ReadOnlyAdmin, ReviewerScopedInline, ServiceWritesAdmin
from docregsys.identity.normalize import normalize_text
from docregsys.reference.models import Region, TreatmentSubject
from docregsys.reference.selectors import (
    authority_list_for,
    code_list_for,
    region_list_for,
    region_prefix_for,
)

from .models import Institution, InstitutionAuthority
from .selectors import authority_allowed_for, authority_choices_for, institution_list_for
from .services import INSTITUTION_FIELDS, institution_create, institution_deactivate, institution_update


class RegionPrefixFilter(admin.SimpleListFilter):
    """The regions one level below the caller's own: cities for a province, counties for a city."""

    title = _("所在区划")
    parameter_name = "region"

    def lookups(self, request, model_admin):
        prefix = region_prefix_for(request.user)
        if prefix is None:
            return []
        if prefix == "":
            qs = Region.objects.filter(level=Region.Level.PROVINCE)
        elif len(prefix) == 2:
            qs = Region.objects.filter(code__startswith=prefix, level=Region.Level.CITY)
        elif len(prefix) == 4:
            qs = Region.objects.filter(code__startswith=prefix, level=Region.Level.COUNTY)
        else:
            return []
        return [(r.prefix, r.full_name) for r in qs.only("code", "level", "full_name")]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(region__code__startswith=value)
        return queryset


class LicenceValidityFilter(admin.SimpleListFilter):
    title = _("许可证有效期")
    parameter_name = "licence"

    def lookups(self, request, model_admin):
        return [
            ("expired", _("已过期")),
            ("soon", _("90天内到期")),
            ("valid", _("有效")),
            ("unknown", _("未填写")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        soon = today + dt.timedelta(days=90)
        match self.value():
            case "expired":
                return queryset.filter(licence_valid_until__lt=today)
            case "soon":
                return queryset.filter(licence_valid_until__gte=today, licence_valid_until__lte=soon)
            case "valid":
                return queryset.filter(licence_valid_until__gte=today)
            case "unknown":
                return queryset.filter(licence_valid_until__isnull=True)
        return queryset


class InstitutionAuthorityForm(forms.ModelForm):
    """INS-2 row: the authority must be in the institution's county/city/province chain and fit the category."""

    class Meta:
        model = InstitutionAuthority
        fields = ("category", "authority")

    def clean(self):
        cleaned = super().clean()
        authority, category = cleaned.get("authority"), cleaned.get("category")
        institution = getattr(self.instance, "institution", None)
        region_code = institution.region_id if institution is not None else None
        if (
            authority
            and category
            and not authority_allowed_for(authority=authority, region_code=region_code, category=category)
        ):
            self.add_error(
                "authority",
                _(
                    "审批机关须为本机构所在县（区）、市、省的机关；临床、口腔、公共卫生类别须为卫生健康委，中医类别可为卫生健康委或中医药管理局。"
                ),
            )
        return cleaned


class InstitutionAuthorityInline(ReviewerScopedInline):
    model = InstitutionAuthority
    form = InstitutionAuthorityForm
    extra = 0
    max_num = 4  # one per doctor category

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # Choices: the chain of the institution being edited; on add, any authority the reviewer may see.
        if obj is not None:
            choices = authority_choices_for(region_code=obj.region_id)
        else:
            choices = authority_list_for(user=request.user).filter(is_active=True).select_related("region")
        formset.form.base_fields["authority"].queryset = choices
        return formset


class InstitutionAdminForm(forms.ModelForm):
    """Identifiers NFKC-normalised before the model's own checks: on PostgreSQL the constraints' regular
    expressions see ASCII digits only, so full-width input must be what the service would store."""

    class Meta:
        model = Institution
        fields = INSTITUTION_FIELDS

    def clean_registration_number(self):
        return normalize_text(self.cleaned_data.get("registration_number"))

    def clean_postcode(self):
        return normalize_text(self.cleaned_data.get("postcode"))

    def clean_licence_number(self):
        return normalize_text(self.cleaned_data.get("licence_number"))


@admin.register(Institution)
class InstitutionAdmin(ServiceWritesAdmin, SimpleHistoryAdmin):
    form = InstitutionAdminForm
    """Reviewers manage the institutions of their region; institutions with history are deactivated, not deleted."""

    def get_queryset(self, request):
        return self.ordered(request, institution_list_for(user=request.user))

    reviewer_actions = ("view", "add", "change", "delete")
    list_display = ("name", "registration_number", "region_full_name", "licence_valid_until", "is_active")
    list_select_related = ("region",)
    list_filter = ("is_active", LicenceValidityFilter, RegionPrefixFilter)
    search_fields = ("name", "registration_number")
    autocomplete_fields = ("region",)
    filter_horizontal = ("subjects",)
    inlines = (InstitutionAuthorityInline,)
    actions = ("deactivate",)
    readonly_fields = ("created_at",)
    fieldsets = (
        (None, {"fields": ("name", "registration_number", "region", "address", "postcode", "is_active")}),
        (_("执业许可证"), {"fields": ("licence_number", "licence_valid_until")}),
        (_("诊疗科目"), {"fields": ("subjects",)}),
        (_("记录"), {"fields": ("created_at",)}),
    )

    @admin.display(description=_("所在区划"), ordering="region__full_name")
    def region_full_name(self, obj):
        return obj.region.full_name

    def reviewer_may(self, request, action, obj=None):
        # An institution that was ever changed, or has officers, has a past: deactivate it instead.
        if action == "delete" and obj is not None:
            return obj.history.count() <= 1 and not obj.officers.exists()
        return True

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.is_superuser:
            actions.pop("delete_selected", None)
        return actions

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "region":
            kwargs["queryset"] = region_list_for(user=request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def service_save(self, request, obj, form, change):
        # APP-3's rules (NFKC, lengths, postcode, region in scope, unique 登记号) are the API's: one copy.
        values = {name: form.cleaned_data[name] for name in INSTITUTION_FIELDS if name in form.cleaned_data}
        if change:
            return institution_update(actor=request.user, institution=obj, **values)
        return institution_create(actor=request.user, **values)

    def service_delete(self, request, obj):
        # No service deletes an institution: the admin allows it only for one without a past (reviewer_may).
        obj.delete()

    @admin.action(description=_("停用所选医疗机构"), permissions=["change"])
    def deactivate(self, request, queryset):
        changed = institution_deactivate(institutions=queryset, actor=request.user)
        self.message_user(
            request,
            ngettext("已停用%(n)d个医疗机构。", "已停用%(n)d个医疗机构。", changed) % {"n": changed},
            messages.SUCCESS,
        )


@admin.register(TreatmentSubject)
class TreatmentSubjectAdmin(ReadOnlyAdmin):
    def get_queryset(self, request):
        return self.ordered(request, code_list_for(user=request.user, model=TreatmentSubject))

    list_display = ("code", "name", "parent")
    search_fields = ("code", "name")
