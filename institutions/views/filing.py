"""业务办理 (INS-10): 申请备案, 申请注销, 机构更名变更 and 备案注销申请情况列表 — what the institution files itself.

申请备案 and 申请注销 list the institution's doctors with a valid record here (姓名 性别 年龄 类别 级别 操作, seed
002 ch.3 §8.2–8.3); the button opens a form with the 情形 and the statement. Filing goes straight to the
authority (registrations.services.institution); a returned one is amended and resubmitted here.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from docregsys.exceptions import TransitionRefused
from docregsys.identity.normalize import normalize_text, refuse_invisible
from docregsys.reference.models import DeregistrationReason, FilingReason
from registrations.models import Action, ApplicationEvent, Kind, PracticeRecord, State
from registrations.rules import Draft
from registrations.selectors import main_doctor_list_for
from registrations.services.institution import (
    application_institution_file,
    application_institution_resubmit,
    application_institution_withdraw,
    institution_filing_list_for,
    institution_record_for,
)

from . import officer_required
from .tables import export_format, export_response, paginate

STATEMENT_MAX = 500


class DoctorFilterForm(forms.Form):
    name = forms.CharField(label=_("医师姓名"), max_length=28, required=False)

    def clean_name(self):
        name = normalize_text(self.cleaned_data["name"]).strip()
        refuse_invisible(name, label=_("医师姓名"))
        return name


def _statement_field():
    return forms.CharField(
        label=_("提交本次业务的缘由"),
        max_length=STATEMENT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ArchiveForm(forms.Form):
    filing_reason = forms.ModelChoiceField(
        label=_("备案情形"),
        queryset=FilingReason.objects.all(),
        empty_label=_("请选择"),
        error_messages={"required": _("请选择备案情形。"), "invalid_choice": _("请选择备案情形。")},
    )
    statement = _statement_field()


class DeregisterForm(forms.Form):
    deregistration_reason = forms.ModelChoiceField(
        label=_("注销情形"),
        queryset=DeregistrationReason.objects.all(),
        empty_label=_("请选择"),
        error_messages={"required": _("请选择注销情形。"), "invalid_choice": _("请选择注销情形。")},
    )
    statement = _statement_field()


class RenameForm(forms.Form):
    new_institution_name = forms.CharField(
        label=_("变更后机构名称"),
        max_length=100,
        error_messages={"required": _("请填写变更后的机构名称。")},
    )
    statement = _statement_field()


# (kind, page title, button, form, the draft's reason field)
FILINGS = {
    Kind.ARCHIVE: (_("申请备案"), _("注册备案"), ArchiveForm, "filing_reason"),
    Kind.DEREGISTER: (_("申请注销"), _("申请注销"), DeregisterForm, "deregistration_reason"),
}
ARCHIVE_TIP = _(
    "以下情形，医师所在医疗机构可申请为该医师做“注册备案”：医师调离、退休、退职、被辞退、被开除。"
    "注册备案的医师，归入不在册的医师序列。"
)
DEREGISTER_TIP = _(
    "以下情形，医师所在医疗机构可申请为该医师做“注销注册”：死亡或失踪、吊销医师执业证书的、"
    "两次考核不合格的、终止医师执业活动满两年的等情形。"
)
DOCTOR_HEADERS = (_("姓名"), _("性别"), _("年龄"), _("类别"), _("级别"))


def _doctor_list(request, kind: str, url_name: str, form_url_name: str):
    title, button, _form, _field = FILINGS[kind]
    form = DoctorFilterForm(request.GET or None)
    name = form.cleaned_data["name"] if form.is_bound and form.is_valid() else ""
    records = main_doctor_list_for(user=request.user)
    if name:
        records = records.filter(real_name__contains=name)
    if (fmt := export_format(request)) is not None:
        rows = (
            (
                r.real_name,
                r.get_sex_display(),
                r.age if r.age is not None else "",
                r.get_category_display(),
                r.get_level_display(),
            )
            for r in records
        )
        return export_response(fmt, name=str(title), headers=DOCTOR_HEADERS, rows=rows)
    return render(
        request,
        "institutions/business/doctors.html",
        {
            "form": form,
            "page": paginate(request, records),
            "title": title,
            "button": button,
            "form_url_name": form_url_name,
            "tip": ARCHIVE_TIP if kind == Kind.ARCHIVE else DEREGISTER_TIP,
        },
    )


@require_GET
@officer_required
def archive(request):
    """申请备案: 医师姓名 [查询]; 姓名 性别 年龄 类别 级别 操作 [注册备案]."""
    return _doctor_list(request, Kind.ARCHIVE, "console:archive", "console:archive_file")


@require_GET
@officer_required
def deregister(request):
    """申请注销: 医师姓名 [查询]; 姓名 性别 年龄 类别 级别 操作 [申请注销]."""
    return _doctor_list(request, Kind.DEREGISTER, "console:deregister", "console:deregister_file")


def _file(request, record_pk: int, kind: str):
    record = institution_record_for(officer=request.user, record_id=record_pk)
    if record is None:
        raise Http404
    title, button, form_class, reason_field = FILINGS[kind]
    form = form_class(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            draft = Draft(
                kind=kind,
                statement=form.cleaned_data["statement"],
                **{reason_field: form.cleaned_data[reason_field]},
            )
            try:
                application_institution_file(officer=request.user, draft=draft, record=record)
            except TransitionRefused as refusal:
                refusal.add_to_form(form)
            else:
                messages.success(request, _("已提交卫生健康行政部门审批。"))
                return redirect("console:filings_status")
        status = 400
    return render(
        request,
        "institutions/business/file.html",
        {"record": record, "form": form, "title": title, "button": button},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@officer_required
def archive_file(request, record_pk: int):
    """注册备案 for one doctor of this institution: 备案情形 (调离, 退休, 退职, 被辞退, 被开除) and the statement."""
    return _file(request, record_pk, Kind.ARCHIVE)


@require_http_methods(["GET", "POST"])
@officer_required
def deregister_file(request, record_pk: int):
    """申请注销 for one doctor of this institution: one of the ten 注销情形 and the statement."""
    return _file(request, record_pk, Kind.DEREGISTER)


@require_http_methods(["GET", "POST"])
@officer_required
def rename(request):
    """机构更名变更: the new standard name; on approval every record of the institution follows it."""
    institution = request.user.institution
    form = RenameForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            draft = Draft(
                kind=Kind.RENAME,
                new_institution_name=form.cleaned_data["new_institution_name"],
                statement=form.cleaned_data["statement"],
            )
            try:
                application_institution_file(officer=request.user, draft=draft)
            except TransitionRefused as refusal:
                refusal.add_to_form(form)
            else:
                messages.success(request, _("机构更名变更已提交卫生健康行政部门审批。"))
                return redirect("console:filings_status")
        status = 400
    return render(
        request,
        "institutions/business/rename.html",
        {
            "institution": institution,
            "form": form,
            "record_count": PracticeRecord.objects.filter(
                main_institution=institution, state=PracticeRecord.State.VALID
            ).count(),
        },
        status=status,
    )


FILINGS_HEADERS = (
    _("姓名"),
    _("业务类型"),
    _("情形"),
    _("申请日期"),
    _("办理状态"),
    _("办理时限"),
    _("意见或原因"),
)


def filings_for(officer):
    """The institution's own filings with what the list shows and the authority's last 退回 reason (one query
    a page)."""
    returned = ApplicationEvent.objects.filter(application=OuterRef("pk"), action=Action.RETURN).order_by(
        "-at", "-pk"
    )
    return (
        institution_filing_list_for(user=officer)
        .select_related("institution", "filing_reason", "deregistration_reason", "authority")
        .annotate(return_reason=Subquery(returned.values("reason")[:1]))
        .order_by("-submitted_at", "-pk")
    )


def _reason(application) -> str:
    if application.kind == Kind.RENAME:
        return application.new_institution_name
    reason = application.filing_reason or application.deregistration_reason
    return reason.name if reason else ""


@require_GET
@officer_required
def filings_status(request):
    """备案注销申请情况列表: the institution's filings with state, due date and the authority's reason."""
    qs = filings_for(request.user)
    if (fmt := export_format(request)) is not None:
        rows = (
            (
                a.real_name if a.kind != Kind.RENAME else a.institution.name,
                a.get_kind_display(),
                _reason(a),
                a.submitted_at.date().isoformat() if a.submitted_at else "",
                a.get_state_display(),
                a.due_date.isoformat() if a.due_date else "",
                a.return_reason or "",
            )
            for a in qs
        )
        return export_response(fmt, name="备案注销申请情况列表", headers=FILINGS_HEADERS, rows=rows)
    page = paginate(request, qs)
    for application in page:
        application.reason_shown = _reason(application)
    return render(request, "institutions/business/filings.html", {"page": page})


def _amend_form(application, data=None):
    if application.kind == Kind.RENAME:
        form_class, initial = RenameForm, {"new_institution_name": application.new_institution_name}
    elif application.kind == Kind.ARCHIVE:
        form_class, initial = ArchiveForm, {"filing_reason": application.filing_reason_id}
    else:
        form_class, initial = DeregisterForm, {"deregistration_reason": application.deregistration_reason_id}
    initial["statement"] = application.statement
    return form_class(data, initial=initial)


@require_http_methods(["GET", "POST"])
@officer_required
def filing_resubmit(request, pk: int):
    """A returned filing of the institution: amend the 情形 or the statement and resubmit it to the authority."""
    application = get_object_or_404(filings_for(request.user).select_related("record"), pk=pk)
    form = _amend_form(application, request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            draft = Draft(
                kind=application.kind,
                filing_reason=data.get("filing_reason"),
                deregistration_reason=data.get("deregistration_reason"),
                new_institution_name=data.get("new_institution_name", ""),
                statement=data.get("statement", ""),
            )
            try:
                application_institution_resubmit(
                    officer=request.user, application_id=application.pk, draft=draft
                )
            except TransitionRefused as refusal:
                refusal.add_to_form(form)
            else:
                messages.success(request, _("已修改并重新提交卫生健康行政部门审批。"))
                return redirect("console:filings_status")
        status = 400
    return render(
        request,
        "institutions/business/resubmit.html",
        {"application": application, "form": form, "returnable": application.state == State.RETURNED},
        status=status,
    )


@require_POST
@officer_required
def filing_withdraw(request, pk: int):
    """A returned filing the institution gives up instead of resubmitting (INS-10)."""
    application = get_object_or_404(filings_for(request.user), pk=pk)
    try:
        application_institution_withdraw(officer=request.user, application_id=application.pk)
    except TransitionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("已撤回该申请。"))
    return redirect("console:filings_status")


urlpatterns = [
    path("business/archive/", archive, name="archive"),
    path("business/archive/<int:record_pk>/", archive_file, name="archive_file"),
    path("business/deregister/", deregister, name="deregister"),
    path("business/deregister/<int:record_pk>/", deregister_file, name="deregister_file"),
    path("business/rename/", rename, name="rename"),
    path("business/filings/", filings_status, name="filings_status"),
    path("business/filings/<int:pk>/resubmit/", filing_resubmit, name="filing_resubmit"),
    path("business/filings/<int:pk>/withdraw/", filing_withdraw, name="filing_withdraw"),
]
