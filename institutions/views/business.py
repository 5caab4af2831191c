"""业务办理 (INS-6): 医师申请业务办理, 医师正在申办的业务列表, 已完成审批业务列表, and 打印申请表 (PRN-1).

The queue holds the applications routed to the officer's institution that wait for it (机构审核中); one
application shows the doctor's practice record, the requested change in words, the attachments and the
rules that fail now, with 同意 / 不同意. The ID-number search is POSTed: the view keeps the number's
digest in the session under a random token (``docregsys.adminsearch``) and only the token reaches a URL.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from docregsys.adminsearch import TOKEN_PARAM, digest_for, token_for
from docregsys.downloads import private_file_response
from docregsys.exceptions import TransitionRefused
from docregsys.identity.crypto import id_number_digest
from docregsys.identity.normalize import normalize_id_number, normalize_text, refuse_invisible
from printing.application_forms import (
    FORM,
    NOT_PRINTABLE,
    form_current,
    form_printable,
    form_request,
    form_title,
)
from printing.views import document_download_response, document_status_response
from registrations.models import (
    Application,
    ApplicationEvent,
    Initiator,
    State,
)
from registrations.rules import SUBMIT, Draft, Person, application_refusals
from registrations.selectors import application_events_of, application_list_for, attachment_content
from registrations.services.applications import (
    REASON_MAX_LENGTH,
    application_agree,
    application_disagree,
    application_revoke,
)
from registrations.wording import qualification_masked, record_shown, requested_lines, scope_names

from . import officer_required
from .tables import export_format, export_response, paginate

DONE_STATES = (State.APPROVED, State.RETURNED, State.DISAGREED, State.WITHDRAWN)
PERIODS = (
    ("", _("全部")),
    ("7", _("最近一周")),
    ("30", _("最近一个月")),
    ("90", _("最近三个月")),
    ("365", _("最近一年")),
)


# ------------------------------------------------------------------------------------------ reading


def application_scope(officer):
    """What the officer's institution confirms (any state but the doctor's drafts), by APP scope."""
    return application_list_for(user=officer).filter(institution_id=officer.institution_id)


def queue_for(officer, *, name: str = "", digest: str = "", start=None, end=None):
    """医师申请业务办理: the institution's applications waiting for it (机构审核中), newest first."""
    qs = application_scope(officer).filter(state=State.SUBMITTED).order_by("-submitted_at", "-pk")
    return _filtered(qs, name=name, digest=digest, start=start, end=end)


def open_for(officer, *, name: str = "", digest: str = "", start=None, end=None):
    """医师正在申办的业务列表: agreed, waiting for the authority; the due date nearest first."""
    qs = (
        application_scope(officer)
        .filter(state=State.AGREED)
        .select_related("authority")
        .order_by("due_date", "-submitted_at", "-pk")
    )
    return _filtered(qs, name=name, digest=digest, start=start, end=end)


def done_for(officer, *, name: str = "", digest: str = "", start=None, end=None, state: str = ""):
    """已完成审批业务列表: approved, returned, disagreed or withdrawn; each with its last step's reason."""
    last = ApplicationEvent.objects.filter(application=OuterRef("pk")).order_by("-at", "-pk")
    qs = (
        application_scope(officer)
        .filter(state__in=[state] if state in DONE_STATES else DONE_STATES)
        .select_related("authority")
        .annotate(last_reason=Subquery(last.values("reason")[:1]), last_at=Subquery(last.values("at")[:1]))
        .order_by("-last_at", "-pk")
    )
    return _filtered(qs, name=name, digest=digest, start=start, end=end)


def _filtered(qs, *, name, digest, start, end):
    if name:
        qs = qs.filter(real_name__contains=name)
    if digest:
        qs = qs.filter(id_number_digest=digest)
    if start:
        qs = qs.filter(submitted_at__date__gte=start)
    if end:
        qs = qs.filter(submitted_at__date__lte=end)
    return qs


# ------------------------------------------------------------------------------------------ the search


class SearchForm(forms.Form):
    """姓名, 身份证号 (POST only), 时间段; the queue's and the lists' filter."""

    name = forms.CharField(label=_("姓名"), max_length=28, required=False)
    id_number = forms.CharField(label=_("身份证号"), max_length=32, required=False)
    period = forms.ChoiceField(label=_("时间段"), choices=PERIODS, required=False)
    date_from = forms.DateField(
        label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_name(self):
        name = normalize_text(self.cleaned_data["name"]).strip()
        refuse_invisible(name, label=_("姓名"))
        return name

    def clean_id_number(self):
        number = normalize_id_number(self.cleaned_data["id_number"])
        if number and len(number) < 6:
            raise forms.ValidationError(_("请输入完整的身份证号。"))
        return number

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("截止日期不能早于起始日期。"))
        return data

    def dates(self) -> tuple[dt.date | None, dt.date | None]:
        """(from, to): the typed dates, else the period counted back from today."""
        data = self.cleaned_data
        start, end = data.get("date_from"), data.get("date_to")
        if not start and data.get("period"):
            start = timezone.localdate() - dt.timedelta(days=int(data["period"]))
        return start, end


class Search:
    """A list's filter as read from the query string, with the ID-number digest behind the ``idq`` token."""

    def __init__(self, request):
        params = request.GET.copy()
        params.pop("id_number", None)  # an ID number typed into a URL is ignored, never searched
        self.form = SearchForm(params or None)
        self.valid = self.form.is_valid() if self.form.is_bound else True
        data = self.form.cleaned_data if self.form.is_bound and self.valid else {}
        self.name = data.get("name", "")
        self.start, self.end = self.form.dates() if data else (None, None)
        self.token = request.GET.get(TOKEN_PARAM, "")
        self.digest = (digest_for(request, self.token) or "-") if self.token else ""

    def kwargs(self) -> dict:
        return {"name": self.name, "digest": self.digest, "start": self.start, "end": self.end}


def _search_redirect(request, url_name: str):
    """POST of the search form: the filters to the query string, the ID number to a session token."""
    form = SearchForm(request.POST)
    if not form.is_valid():
        return form
    params = {
        key: value
        for key, value in (
            ("name", form.cleaned_data["name"]),
            ("period", form.cleaned_data["period"]),
            ("date_from", form.cleaned_data["date_from"] or ""),
            ("date_to", form.cleaned_data["date_to"] or ""),
        )
        if value
    }
    if form.cleaned_data["id_number"]:
        params[TOKEN_PARAM] = token_for(request, id_number_digest(form.cleaned_data["id_number"]))
    query = urlencode(params)
    return redirect(reverse(url_name) + (f"?{query}" if query else ""))


def _list_page(request, *, url_name: str, rows, template: str, export_name: str, headers, cells, extra=None):
    """The shared shape of the three lists: POST search → redirect; GET → page or export."""
    status = 200
    search = Search(request)
    form = search.form
    if request.method == "POST":
        outcome = _search_redirect(request, url_name)
        if not isinstance(outcome, SearchForm):
            return outcome
        form, status = outcome, 400
    qs = rows(search)
    if status == 200 and (fmt := export_format(request)) is not None:
        return export_response(fmt, name=export_name, headers=headers, rows=(cells(a) for a in qs))
    context = {
        "form": form,
        "page": paginate(request, qs),
        "by_id_number": bool(search.token),
        "clear_url": reverse(url_name),
        **(extra or {}),
    }
    return render(request, template, context, status=status)


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if value else ""


QUEUE_HEADERS = (_("姓名"), _("身份证号"), _("业务类型"), _("申请日期"))


@require_http_methods(["GET", "POST"])
@officer_required
def business_queue(request):
    """医师申请业务办理: 姓名, 身份证号, 时间段 [查询]; 姓名, 身份证号, 业务类型, 申请日期, 操作 [办理业务]."""
    return _list_page(
        request,
        url_name="console:business_queue",
        rows=lambda s: queue_for(request.user, **s.kwargs()),
        template="institutions/business/queue.html",
        export_name="医师申请业务办理",
        headers=QUEUE_HEADERS,
        cells=lambda a: (a.real_name, a.id_number_masked, a.get_kind_display(), _when(a.submitted_at)),
    )


OPEN_HEADERS = (
    _("姓名"),
    _("身份证号"),
    _("业务类型"),
    _("申请日期"),
    _("机构同意时间"),
    _("审批机关"),
    _("办理时限"),
)


@require_http_methods(["GET", "POST"])
@officer_required
def business_open(request):
    """医师正在申办的业务列表: 卫健委审批中, with the due date (overdue ones stand out) and 撤销."""
    return _list_page(
        request,
        url_name="console:business_open",
        rows=lambda s: open_for(request.user, **s.kwargs()),
        template="institutions/business/open.html",
        export_name="医师正在申办的业务列表",
        headers=OPEN_HEADERS,
        cells=lambda a: (
            a.real_name,
            a.id_number_masked,
            a.get_kind_display(),
            _when(a.submitted_at),
            _when(a.agreed_at),
            a.authority.name if a.authority else "",
            a.due_date.isoformat() if a.due_date else "",
        ),
        extra={"today": timezone.localdate()},
    )


DONE_HEADERS = (
    _("姓名"),
    _("身份证号"),
    _("业务类型"),
    _("申请日期"),
    _("办理状态"),
    _("办结时间"),
    _("意见或原因"),
)


@require_http_methods(["GET", "POST"])
@officer_required
def business_done(request):
    """已完成审批业务列表: 已办结 / 已退回 / 机构不同意 / 已撤回, with the date and the reason of the last step."""
    state = request.GET.get("state", "")
    return _list_page(
        request,
        url_name="console:business_done",
        rows=lambda s: done_for(request.user, state=state, **s.kwargs()),
        template="institutions/business/done.html",
        export_name="已完成审批业务列表",
        headers=DONE_HEADERS,
        cells=lambda a: (
            a.real_name,
            a.id_number_masked,
            a.get_kind_display(),
            _when(a.submitted_at),
            a.get_state_display(),
            _when(a.last_at),
            a.last_reason or "",
        ),
        extra={"states": [(s, State(s).label) for s in DONE_STATES], "state": state},
    )


# ------------------------------------------------------------------------------------------ one application


def application_for(officer, pk: int) -> Application:
    """One application routed to the officer's institution, with what its page shows; 404 otherwise."""
    return get_object_or_404(
        application_scope(officer)
        .select_related(
            "doctor",
            "institution",
            "authority",
            "location",
            "qualification",
            "record__main_institution",
            "record__authority",
            "record__location",
            "filing__institution",
            "extra_location__institution",
            "extra_location__location",
            "deregistration_reason",
            "filing_reason",
        )
        .prefetch_related("scopes", "attachments", "record__scopes"),
        pk=pk,
    )


def current_refusals(application: Application) -> list[TransitionRefused]:
    """The rules that fail for this application now (shown as warnings while the institution decides)."""
    return application_refusals(
        person=Person.of_application(application),
        draft=Draft.of(application),
        stage=SUBMIT,
        application_id=application.pk,
    )


class DisagreeForm(forms.Form):
    reason = forms.CharField(
        label=_("不同意的原因"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写不同意的原因。")},
    )


def detail_context(application: Application) -> dict:
    record = record_shown(application)
    return {
        "application": application,
        "record": record,
        "record_scopes": scope_names(record.scopes.all()) if record else "",
        "qualification_masked": qualification_masked(record, application),
        "lines": requested_lines(application, record),
        "events": application_events_of(application),
    }


@require_http_methods(["GET", "POST"])
@officer_required
def business_detail(request, pk: int):
    """办理业务: 医师的执业信息, 业务申请内容, 附件, the failing rules; 同意 / 不同意 (with a reason) / 关闭."""
    application = application_for(request.user, pk)
    disagree_form = DisagreeForm()
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "disagree":
            disagree_form = DisagreeForm(request.POST)
            if disagree_form.is_valid():
                try:
                    application_disagree(
                        officer=request.user,
                        application_id=application.pk,
                        reason=disagree_form.cleaned_data["reason"],
                    )
                except TransitionRefused as refusal:
                    refusal.add_to_form(disagree_form)
                else:
                    messages.success(request, _("已办理：不同意。医师将收到通知。"))
                    return redirect("console:business_queue")
        elif action == "agree":
            try:
                application_agree(officer=request.user, application_id=application.pk)
            except TransitionRefused as refusal:
                messages.error(request, refusal.message)
            else:
                messages.success(request, _("已同意，并已提交卫生健康行政部门审批。"))
                return redirect("console:business_queue")
        else:
            messages.error(request, _("请选择“同意”或“不同意”。"))
        status = 400
        application = application_for(request.user, pk)
    context = detail_context(application)
    context["disagree_form"] = disagree_form
    context["refusals"] = current_refusals(application) if application.state == State.SUBMITTED else []
    return render(request, "institutions/business/detail.html", context, status=status)


# ------------------------------------------------------------------------------------------ the coded form


def _form_urls(application: Application) -> dict:
    return {
        "status_url": reverse("console:business_print_status", args=[application.pk]),
        "download_url": reverse("console:business_print_pdf", args=[application.pk]),
    }


@require_http_methods(["GET", "POST"])
@officer_required
def business_print(request, pk: int):
    """打印申请表 (PRN-1): the coded form as a PDF rendered by the worker. GET shows its state and offers
    生成打印表单; POST (a state change: a code is issued) asks for it. Only after 同意 or once approved."""
    application = application_for(request.user, pk)
    status = 200
    if request.method == "POST":
        try:
            form_request(officer=request.user, application=application)
        except TransitionRefused as refusal:
            messages.error(request, refusal.message)
            status = 400
        else:
            return redirect("console:business_print", pk=application.pk)
    printable = form_printable(application)
    document = form_current(application) if printable else None
    context = {
        "application": application,
        "title": form_title(application),
        "printable": printable,
        "not_printable": NOT_PRINTABLE,
        "document": document,
        **_form_urls(application),
    }
    return render(request, "institutions/business/print.html", context, status=status)


def _printed_form(request, pk: int):
    application = application_for(request.user, pk)
    document = form_current(application) if form_printable(application) else None
    if document is None:
        raise Http404
    return application, document


@require_GET
@officer_required
def business_print_status(request, pk: int):
    """The form's job as JSON for the progress widget (PRN-2); 404 before it was asked for."""
    application, document = _printed_form(request, pk)
    return document_status_response(document, download_url=_form_urls(application)["download_url"])


@require_GET
@officer_required
def business_print_pdf(request, pk: int):
    """The signed PDF of the coded form; 404 while it renders or once the agreement no longer stands."""
    _application, document = _printed_form(request, pk)
    return document_download_response(document, filename=FORM.filename(document))


@require_GET
@officer_required
def business_attachment(request, pk: int, attachment_pk: int):
    """One attachment of an application routed to the officer's institution, never cached or sniffed."""
    application = application_for(request.user, pk)
    found = attachment_content(user=request.user, attachment_id=attachment_pk)
    return private_file_response(found, application_id=application.pk)


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("撤销原因"),
        max_length=REASON_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


@require_http_methods(["GET", "POST"])
@officer_required
def business_revoke(request, pk: int):
    """撤销: a confirmation page, then the agreement is taken back (a doctor's application returns to 机构审核中;
    the institution's own is withdrawn)."""
    application = application_for(request.user, pk)
    form = RevokeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                application_revoke(
                    officer=request.user, application_id=application.pk, reason=form.cleaned_data["reason"]
                )
            except TransitionRefused as refusal:
                refusal.add_to_form(form)
            else:
                messages.success(request, _("已撤销。"))
                if application.initiator == Initiator.INSTITUTION:
                    return redirect("console:filings_status")
                return redirect("console:business_open")
        status = 400
    return render(
        request,
        "institutions/business/revoke.html",
        {"application": application, "form": form, "revocable": application.state == State.AGREED},
        status=status,
    )


urlpatterns = [
    path("business/", business_queue, name="business_queue"),
    path("business/open/", business_open, name="business_open"),
    path("business/done/", business_done, name="business_done"),
    path("business/<int:pk>/", business_detail, name="business_detail"),
    path("business/<int:pk>/print/", business_print, name="business_print"),
    path("business/<int:pk>/print/status/", business_print_status, name="business_print_status"),
    path("business/<int:pk>/print/form.pdf", business_print_pdf, name="business_print_pdf"),
    path("business/<int:pk>/revoke/", business_revoke, name="business_revoke"),
    path(
        "business/<int:pk>/attachments/<int:attachment_pk>/",
        business_attachment,
        name="business_attachment",
    ),
]
