"""The authority's side in the admin (APP-1, APP-2): the queue of applications, the detail, 批准 and 退回.

The queryset starts from ``application_list_for`` (what is routed to the reviewer's authority, and read-only
what the authorities of their region decide); only ``application_decidable_for`` may approve or return,
each after an explicit confirmation page that calls ``approvals.services``. Nobody adds, edits or deletes
an application here: the state moves only through the services. ``ApplicationEvent`` is registered
nowhere; the detail page shows the log read-only.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from docregsys.adminsearch import IdNumberSearchMixin
from docregsys.downloads import private_file_response
from docregsys.exceptions import TransitionRefused
from docregsys.reference.models import Category, Region
from docregsys.reference.selectors import province_code_for
from registrations.models import Application, MaterialList, State
from registrations.selectors import application_decidable_for, application_events_of, attachment_content
from registrations.services.applications import REASON_MAX_LENGTH

from .admin import ACTIONS, ReviewerScopedAdmin, ServiceWritesAdmin
from .describe import record_lines, requested_lines
from .selectors import (
    ROW_RELATED,
    application_approval_refusals,
    application_queue_for,
    category_q,
    material_list_list_for,
    overdue_q,
)
from .services import (
    application_approve,
    application_return,
    material_list_delete,
    material_list_set,
    material_list_writable_by,
)

CSS = {"all": ("css/admin-applications.css",)}


class OverdueFilter(admin.SimpleListFilter):
    """办理时限: awaiting the authority past the due date, or still within it."""

    title = _("办理时限")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("已超期")), ("no", _("未超期"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(overdue_q())
        if self.value() == "no":
            return queryset.exclude(overdue_q())
        return queryset


class CategoryFilter(admin.SimpleListFilter):
    """医师类别: the requested category, else the record's (注销 and 备案 ask for none)."""

    title = _("医师类别")
    parameter_name = "category"

    def lookups(self, request, model_admin):
        return Category.choices

    def queryset(self, request, queryset):
        return queryset.filter(category_q(self.value())) if self.value() else queryset


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("退回原因"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text=_("医师（或申请机构）将看到这段原因，并据此修改后重新提交。"),
    )


def refusal_messages(refused: TransitionRefused) -> list[str]:
    """Every failed rule of a refusal (ApplicationRefused carries them all), as the reviewer reads them."""
    refusals = getattr(refused, "refusals", None) or [refused]
    return [str(refusal.message) for refusal in refusals]


@admin.register(Application)
class ApplicationAdmin(IdNumberSearchMixin, ReviewerScopedAdmin):
    """业务申请 routed to the reviewer's authority (APP-1), read-only; 批准 / 退回 on confirmation pages (APP-2)."""

    list_display = (
        "kind",
        "real_name",
        "id_number_masked",
        "category_display",
        "institution",
        "authority_display",
        "state",
        "submitted_display",
        "due_display",
    )
    list_display_links = ("kind", "real_name")
    list_filter = (
        "kind",
        CategoryFilter,
        ("institution", admin.RelatedOnlyFieldListFilter),
        ("submitted_at", admin.DateFieldListFilter),
        "state",
        OverdueFilter,
    )
    list_select_related = ROW_RELATED
    search_fields = ("real_name", "record__certificate_number")
    search_help_text = _("按姓名或执业证书编码查找；证件号码请用下方的“按证件号码查找”。")
    show_full_result_count = False
    list_per_page = 50
    fieldsets = (
        (
            _("申请"),
            {
                "fields": (
                    ("kind", "initiator"),
                    ("state", "version"),
                    ("institution", "authority"),
                    ("created_at", "submitted_at"),
                    ("agreed_at", "due_date"),
                    "decided_at",
                    "result_record",
                )
            },
        ),
    )
    readonly_fields = (
        "kind",
        "initiator",
        "state",
        "version",
        "institution",
        "authority",
        "created_at",
        "submitted_at",
        "agreed_at",
        "due_date",
        "decided_at",
        "result_record",
    )

    class Media:
        css = CSS

    def get_queryset(self, request):
        return self.ordered(request, application_queue_for(user=request.user))

    # ---- nobody writes through the admin: the state moves only through the services (STYLE §7)

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    # ---- the changelist's columns

    @admin.display(description=_("医师类别"), ordering="category")
    def category_display(self, obj):
        if obj.category:
            return obj.get_category_display()
        return obj.record.get_category_display() if obj.record_id else "—"

    @admin.display(description=_("审批机关"), ordering="authority__name")
    def authority_display(self, obj):
        # "湖南省长沙市芙蓉区卫生健康委" reads "芙蓉区卫生健康委" in a narrow column; the full name on hover.
        authority = obj.authority
        if authority is None:
            return "—"
        region = authority.region
        short = authority.name
        if region is not None and region.full_name.endswith(region.name):
            above = region.full_name[: -len(region.name)]
            if above and short.startswith(above):
                short = short[len(above) :]
        return format_html('<span title="{}">{}</span>', authority.name, short)

    @admin.display(description=_("申请时间"), ordering="submitted_at")
    def submitted_display(self, obj):
        if obj.submitted_at is None:
            return "—"
        at = timezone.localtime(obj.submitted_at)
        return format_html(
            '<span title="{}">{}</span>', at.strftime("%Y-%m-%d %H:%M"), at.strftime("%Y-%m-%d")
        )

    @admin.display(description=_("办理时限"), ordering="due_date")
    def due_display(self, obj):
        if obj.due_date is None:
            return "—"
        if obj.is_overdue:
            return format_html(
                '<span class="due-overdue"><span class="nowrap">{}</span> {}</span>',
                obj.due_date,
                gettext("已超期"),
            )
        return format_html('<span class="due">{}</span>', obj.due_date)

    # ---- the detail and the decisions

    def _name(self, suffix: str) -> str:
        return f"{self.opts.app_label}_{self.opts.model_name}_{suffix}"

    def get_urls(self):
        view = self.admin_site.admin_view
        own = [
            path("<path:object_id>/approve/", view(self.approve_view), name=self._name("approve")),
            path("<path:object_id>/return/", view(self.return_view), name=self._name("return")),
            path(
                "<path:object_id>/attachments/<int:attachment_id>/",
                view(self.attachment_view),
                name=self._name("attachment"),
            ),
        ]
        return own + super().get_urls()

    def _in_scope(self, request, object_id) -> Application:
        """The application if the reviewer may see it; 404 otherwise (as for a missing one)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        application = self.get_object(request, unquote(object_id))  # a malformed id is "none" too
        if application is None:
            raise Http404(_("对象不存在或不在您的管辖范围内。"))
        return application

    def _may_decide(self, request, application) -> bool:
        return application_decidable_for(user=request.user).filter(pk=application.pk).exists()

    def _decidable(self, request, object_id) -> Application:
        """In scope (else 404) and routed to the reviewer's own authority (else 403: read-only here)."""
        application = self._in_scope(request, object_id)
        if not self._may_decide(request, application):
            raise PermissionDenied
        return application

    def _change_url(self, application) -> str:
        return reverse(f"admin:{self._name('change')}", args=[application.pk])

    def _changelist_url(self):
        return reverse(f"admin:{self._name('changelist')}")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        application = self.get_object(request, unquote(object_id))
        extra = dict(extra_context or {})
        if application is not None and self.has_view_permission(request, application):
            decidable = application.state == State.AGREED and self._may_decide(request, application)
            extra.update(
                {
                    "doctor_lines": [
                        (gettext("姓名"), application.real_name),
                        (gettext("证件号码"), application.id_number_masked or "—"),
                        (gettext("申请方"), application.get_initiator_display()),
                    ],
                    "record_before": record_lines(application.record),
                    "record_after": record_lines(application.result_record)
                    if application.result_record_id
                    else [],
                    "requested": requested_lines(application),
                    "attachments": [
                        (
                            attachment,
                            reverse(
                                f"admin:{self._name('attachment')}", args=[application.pk, attachment.pk]
                            ),
                        )
                        for attachment in application.attachments.all()
                    ],
                    "events": application_events_of(application),
                    "due_date": application.due_date,
                    "is_overdue": application.is_overdue,
                    "decidable": decidable,
                    "approve_url": reverse(f"admin:{self._name('approve')}", args=[application.pk]),
                    "return_url": reverse(f"admin:{self._name('return')}", args=[application.pk]),
                }
            )
        return super().change_view(request, object_id, form_url, extra)

    def _confirmation(self, request, application, *, template: str, title, **context):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": application,
            "title": title,
            "requested": requested_lines(application),
            "record_before": record_lines(application.record),
            "change_url": self._change_url(application),
            **context,
        }
        return TemplateResponse(request, f"admin/registrations/application/{template}", context)

    def _refused(self, request, application, refused: TransitionRefused):
        for message in refusal_messages(refused):
            self.message_user(request, message, messages.ERROR)
        return redirect(self._change_url(application))

    def approve_view(self, request, object_id):
        """APP-2 批准: a confirmation page; its POST applies every effect in one transaction (REG-7)."""
        application = self._decidable(request, object_id)
        if application.state != State.AGREED:
            return self._refused(
                request, application, TransitionRefused(_("只有卫健委审批中的申请可以批准。"))
            )
        if request.method == "POST":
            try:
                application_approve(reviewer=request.user, application_id=application.pk)
            except TransitionRefused as refused:
                return self._refused(request, application, refused)
            self.message_user(
                request,
                _("已批准%(name)s的“%(kind)s”申请，业务已办结，已通知医师。")
                % {"name": application.real_name, "kind": application.get_kind_display()},
                messages.SUCCESS,
            )
            return redirect(self._changelist_url())
        return self._confirmation(
            request,
            application,
            template="approve_confirmation.html",
            title=_("确认批准"),
            refusals=[str(refusal.message) for refusal in application_approval_refusals(application)],
        )

    def return_view(self, request, object_id):
        """APP-2 退回: a confirmation page with the reason (required); its POST sends the application back."""
        application = self._decidable(request, object_id)
        if application.state != State.AGREED:
            return self._refused(
                request, application, TransitionRefused(_("只有卫健委审批中的申请可以退回。"))
            )
        form = ReturnForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                application_return(
                    reviewer=request.user, application_id=application.pk, reason=form.cleaned_data["reason"]
                )
            except TransitionRefused as refused:
                if refused.field != "reason":
                    return self._refused(request, application, refused)
                refused.add_to_form(form)
            else:
                self.message_user(
                    request,
                    _("已退回%(name)s的“%(kind)s”申请，已通知医师。")
                    % {"name": application.real_name, "kind": application.get_kind_display()},
                    messages.SUCCESS,
                )
                return redirect(self._changelist_url())
        return self._confirmation(
            request, application, template="return_confirmation.html", title=_("确认退回"), form=form
        )

    def attachment_view(self, request, object_id, attachment_id: int):
        """ID-7: one attachment of an application in scope, served from private storage, never cached."""
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        application = self._in_scope(request, object_id)
        found = attachment_content(user=request.user, attachment_id=attachment_id)
        return private_file_response(found, application_id=application.pk)


@admin.register(MaterialList)
class MaterialListAdmin(ServiceWritesAdmin, SimpleHistoryAdmin):
    """申请材料清单 per province and type (SPEC §12): the province's health commission edits its own
    province's lists, city and county bureaus read them; without a list the default applies."""

    reviewer_actions = ACTIONS
    list_display = ("province", "kind", "updated_at")
    list_filter = ("kind",)
    list_select_related = ("province",)

    def get_queryset(self, request):
        return self.ordered(request, material_list_list_for(user=request.user))

    def get_readonly_fields(self, request, obj=None):
        # Province and type name the list (one per pair): fixed once it exists, as in the API.
        return ("province", "kind", "updated_at") if obj is not None else ("updated_at",)

    def reviewer_may(self, request, action, obj=None):
        # Reading is for every reviewer of the province; writing as the service allows (province or national level).
        if action == "view":
            return True
        province = obj.province_id if obj is not None else province_code_for(request.user)
        return material_list_writable_by(actor=request.user, province_code=province or "")

    def service_save(self, request, obj, form, change):
        province = obj.province_id if change else form.cleaned_data["province"].code
        kind = obj.kind if change else form.cleaned_data["kind"]
        items = form.cleaned_data["items"].splitlines()
        return material_list_set(actor=request.user, province_code=province, kind=kind, items=items)

    def service_delete(self, request, obj):
        material_list_delete(actor=request.user, materials=obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "province":
            province = province_code_for(request.user)
            provinces = Region.objects.filter(level=Region.Level.PROVINCE)
            if province:
                kwargs["queryset"] = provinces.filter(code=province)
                kwargs["initial"] = province
                kwargs["empty_label"] = None
            else:
                kwargs["queryset"] = provinces if province == "" else Region.objects.none()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
