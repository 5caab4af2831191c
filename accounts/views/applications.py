"""The doctor's 业务申请 (guided start, one form per type), 业务查询 (timeline, withdraw, amend) and 证书补办 (REG-2 … REG-9).

Every page starts from the doctor's own applications (``application_list_for``): another doctor's
application or attachment is a 404. Before activation only ACC-5d's doctors come in, for 注册 and 变更.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from docregsys.downloads import private_file_response
from docregsys.exceptions import TransitionRefused
from docregsys.identity.normalize import normalize_text
from institutions.models import Institution
from registrations.guide import IN_PERSON, WANTS, guide_suggest
from registrations.models import DOCTOR_KINDS, OPEN_STATES, Attachment, Initiator, Kind, State
from registrations.rules import FORM, Person, application_refusals
from registrations.selectors import application_events_of, attachment_content, institution_options_for
from registrations.services.applications import (
    MOVES,
    ApplicationRefused,
    application_submit,
    application_withdraw,
)
from registrations.services.attachments import application_apply, application_attachment_remove

from ..decorators import activated_required, applicant_required
from ..forms.applications import (
    ASKS_INSTITUTION,
    ASKS_RECORD,
    HAS_LOCATION,
    ApplicationForm,
    GuideForm,
    InstitutionSearchForm,
    WithdrawForm,
    attachment_field_name,
    attachment_kinds,
    draft_for,
    initial_of,
)
from ..selectors import (
    PATH_D_KINDS,
    activation_next_step,
    applicant_valid_records,
    applications_of,
    assessments_for,
    practice_records_for,
)

PAGE_SIZE = 20
EDITABLE = (State.DRAFT, State.RETURNED)
WITHDRAWABLE = MOVES["withdraw"].sources

# 业务说明 (seed 002 §2.4), word for word: the nine types in the seed's order, with what each is for.
EXPLANATIONS = (
    (
        Kind.REGISTER,
        _("1、注册"),
        _(
            "凡取得国内医师资格的，均可申请医师执业注册。执业医师的执业地点为执业医师执业的医疗、预防、保健机构所在的"
            "省级行政区划，执业助理医师的执业地点为执业助理医师执业的医疗、预防、保健机构所在的县级行政区划。"
            "执业医师可以在不同省份同时注册执业地点。一个执业地点下，有并且只有一个主要执业机构。"
        ),
    ),
    (
        Kind.UPGRADE,
        _("2、助理医师升执业医师"),
        _(
            "在医师类别相同并且主要执业机构不变的情况下，由助理注册升级为执业医师注册。"
            "助师升医师完成后，助理医师注册信息自动失效。"
        ),
    ),
    (
        Kind.MILITARY_IN,
        _("3、军队变更入"),
        _("军队的医师要变更到本卫生计生委下的医疗机构进行执业，请在此处操作"),
    ),
    (
        Kind.TO_MILITARY,
        _("4、变更到军队"),
        _(
            "地方注册的医师，要变更到军队，请在此操作。重要提示，变更到军队业务完成后，地方的注册信息全部失效。"
        ),
    ),
    (
        Kind.CHANGE,
        _("5、变更"),
        _(
            "可进行执业地点变更、执业范围变更、执业类别变更，并可变更主要执业机构。"
            "医师提交变更申请后，直接到拟执业机构进行确认，然后由拟执业机构所属卫生计生委审批。"
        ),
    ),
    (
        Kind.DEREGISTER,
        _("6、注销"),
        _("医师注册后有下列情形之一的，医师个人或所在机构，可申请办理注销注册："),
    ),
    (
        Kind.FILING,
        _("7、多执业机构备案"),
        _(
            "医师注册了一个执业地点并有了一个主要执业机构后，如果要到其他机构执业，需到批准该机构执业的卫生计生委"
            "分别申请备案。医师提交多执业机构备案申请后，直接到拟执业机构进行备案确认，然后由拟执业机构所属卫生计生委审批。"
        ),
    ),
    (
        Kind.FILING_CANCEL,
        _("8、多执业机构取消备案"),
        _("在主要执业机构之外的其他机构备案的注册信息，可申请取消。"),
    ),
    (
        Kind.LOCATION_CANCEL,
        _("9、申请取消“多地点执业”"),
        _(
            "按原医师多地点注册政策办理的医师多地点注册信息，可以查询和取消。不可新增。"
            "如果要在本省多个机构执业，可按“多执业机构备案”业务办理。"
        ),
    ),
)
DEREGISTRATION_GROUNDS = (
    _("(1)、死亡或者被宣告失踪的；"),
    _("(2)、受刑事处罚的；"),
    _("(3)、受吊销《医师执业证书》行政处罚的；"),
    _("(4)、医师定期考核不合格，并经培训后再次考核仍不合格的；"),
    _("(5)、连续两个考核周期未参加医师定期考核的。"),
    _("(6)、中止医师执业活动满两年的；"),
    _("(7)、身体健康状况不适宜继续执业的；"),
    _("(8)、有出借、出租、抵押、转让、涂改《医师执业证书》行为的；"),
    _("(9)、在医师资格考试中参与有组织作弊的；"),
    _("(10)、本人主动申请的"),
)
REISSUE_KINDS = (Kind.REISSUE, Kind.E_CERTIFICATE)


def institution_options(*, user, query: str, kind: str | None = None, limit: int = 20) -> list[Institution]:
    """The institution picker's results: name, 登记号 or pinyin initials, in regions that fit the type."""
    query = normalize_text(query or "").strip()
    if not query:
        return []
    return list(
        institution_options_for(
            kind=kind or Kind.REGISTER, person_records=practice_records_for(user), query=query, limit=limit
        ).select_related("region")
    )


def _wants_for(user):
    """The guided start's first question; before activation (ACC-5d) only what leads to 注册 and 变更."""
    if user.is_activated:
        return WANTS
    return tuple(want for want in WANTS if want[2] in PATH_D_KINDS)


def _may_file(user, kind: str) -> bool:
    return kind in DOCTOR_KINDS and (user.is_activated or kind in PATH_D_KINDS)


def _not_yet(request):
    """An unactivated doctor (ACC-5d) asking for a type other than 注册 or 变更."""
    step = activation_next_step(request.user)
    return render(request, "accounts/activation_needed.html", {"step": step}, status=403)


def _form_url(kind: str, **params) -> str:
    url = reverse("accounts:apply_form", args=[kind])
    params = {key: value for key, value in params.items() if value}
    return f"{url}?{urlencode(params)}" if params else url


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# ------------------------------------------------------------------------------------ 业务申请: 智能引导


@require_GET
@applicant_required
def apply(request):
    """业务申请 (智能引导): what, where, at which institution → the type, the rules that stand in the way and
    the materials to bring; then 业务说明 and what must be done in person. A GET form: works without JS."""
    user = request.user
    wants = _wants_for(user)
    query = normalize_text(request.GET.get("q", ""))[:50].strip()
    options = institution_options(user=user, query=query)
    searching = request.GET.get("action") == "search" or "want" not in request.GET
    guidance = None
    if searching:
        form = GuideForm(initial=request.GET.dict(), wants=wants, options=options)
    else:
        form = GuideForm(request.GET, wants=wants, options=options)
        if form.is_valid():
            institution = form.cleaned_data["institution"]
            suggestion = guide_suggest(
                person=Person.of_user(user), want=form.cleaned_data["want"], institution=institution
            )
            needs_institution = suggestion.kind in ASKS_INSTITUTION
            guidance = {
                "kind": suggestion.kind,
                "label": Kind(suggestion.kind).label,
                "why": suggestion.why,
                "refusals": suggestion.refusals,
                "materials": suggestion.materials,
                "offered": _may_file(user, suggestion.kind),
                "needs_institution": needs_institution,
                "institution": institution,
                "form_url": _form_url(
                    suggestion.kind, institution=institution.pk if institution and needs_institution else ""
                ),
            }
    explanations = [(kind, title, text, _may_file(user, kind)) for kind, title, text in EXPLANATIONS]
    return render(
        request,
        "accounts/applications/apply.html",
        {
            "form": form,
            "query": query,
            "searched": bool(query),
            "options": options,
            "guidance": guidance,
            "explanations": explanations,
            "grounds": DEREGISTRATION_GROUNDS,
            "in_person": IN_PERSON,
            "before_activation": not user.is_activated,
        },
        status=400 if not searching and form.errors else 200,
    )


# ------------------------------------------------------------------------------------ one form per type


# The form field a rule's refusal belongs next to: the 执业地点 follows the institution; a missing
# attachment (REG-6's 医师执业培训合格证书) goes by its file input.
FIELD_MAP = {
    "location": "institution",
    "attachments": attachment_field_name(Attachment.Kind.TRAINING),
    **{k: attachment_field_name(k) for k in Attachment.Kind.values},
}


def _refusal_field(name: str | None) -> str | None:
    return FIELD_MAP.get(name, name)


def _initial(user, kind: str, application, request) -> dict:
    """What the form starts with: the application being amended, else the guide's institution and the
    doctor's one valid record (an assistant upgrading keeps institution, category and scope)."""
    if application is not None:
        return initial_of(application)
    initial = {}
    if kind in ASKS_INSTITUTION:
        institution = Institution.objects.filter(
            is_active=True, pk=_int(request.GET.get("institution"))
        ).first()
        if institution is not None:
            initial["institution"] = institution
    if kind in ASKS_RECORD:
        records = list(applicant_valid_records(user).prefetch_related("scopes")[:2])
        if kind == Kind.UPGRADE:
            records = [r for r in records if r.level == "assistant"]
        if len(records) == 1:
            record = initial["record"] = records[0]
            if kind == Kind.UPGRADE:
                initial.setdefault("institution", record.main_institution)
                initial["category"] = record.category
                initial["scopes"] = list(record.scopes.all())
            elif kind == Kind.CHANGE:
                initial["category"] = record.category
    return initial


@require_http_methods(["GET", "POST"])
@applicant_required
def apply_form(request, kind: str):
    """One business type's form: what applies to it, the rules that fail (before filing and on 提交),
    保存草稿 / 提交申请, and for a returned application 修改 and 重新提交."""
    if kind not in DOCTOR_KINDS:
        raise Http404
    user = request.user
    if not _may_file(user, kind):
        return _not_yet(request)
    application = None
    application_id = _int(request.POST.get("application") or request.GET.get("application"))
    if application_id is not None:
        application = get_object_or_404(
            applications_of(user).filter(kind=kind, state__in=EDITABLE, initiator=Initiator.DOCTOR),
            pk=application_id,
        )
    search = InstitutionSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_bound and search.is_valid() else ""
    options = institution_options(user=user, query=query, kind=kind)
    person = Person.of_user(user)
    refusals = []
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "submit")
        form = ApplicationForm(
            request.POST, request.FILES, kind=kind, doctor=user, options=options, application=application
        )
        if form.is_valid():
            draft = form.draft()
            if action == "check":
                refusals = application_refusals(
                    person=person, draft=draft, stage=FORM, application_id=application_id
                )
                for refusal in refusals:
                    refusal.add_to_form(form, fields=FIELD_MAP)
                if not refusals:
                    messages.success(request, _("检查通过：您填写的内容符合办理条件，可以提交申请。"))
            else:
                try:
                    filed = application_apply(
                        doctor=user,
                        draft=draft,
                        uploads=form.uploads(),
                        application_id=application_id,
                        submit=action != "save",
                        field_of=attachment_field_name,
                    )
                except ApplicationRefused as refused:
                    refusals = refused.refusals
                    refused.add_to_form(form, fields=FIELD_MAP)
                except TransitionRefused as refused:
                    refusals = [refused]
                    refused.add_to_form(form, fields=FIELD_MAP)
                else:
                    if action == "save":
                        messages.success(
                            request, _("草稿已保存。草稿不会提交给医疗机构，请在确认无误后提交申请。")
                        )
                    else:
                        messages.success(
                            request,
                            _(
                                "申请已提交，请等待%(inst)s确认。确认后由卫生健康行政部门审批，办理进度可在“业务查询”中查看。"
                            )
                            % {"inst": filed.institution.name},
                        )
                    return redirect("accounts:application", pk=filed.pk)
        status = 400 if form.errors else 200
    else:
        initial = _initial(user, kind, application, request)
        form = ApplicationForm(
            initial=initial, kind=kind, doctor=user, options=options, application=application
        )
        # Before filing (REG-2): the rules that already fail for what is known — the person's own, and
        # those about an answer the form starts with; the rest shows on 检查 or 提交.
        refusals = [
            refusal
            for refusal in application_refusals(
                person=person,
                draft=draft_for(kind, initial, doctor=user),
                stage=FORM,
                application_id=application_id,
            )
            if refusal.field is None
            or initial.get(_refusal_field(refusal.field))
            or _refusal_field(refusal.field).startswith("file_")  # a material to upload: say so now
        ]
    upgrade_is_change = any(refusal.code == "upgrade_is_change" for refusal in refusals)
    chosen = form["institution"].value() if "institution" in form.fields else None
    return render(
        request,
        "accounts/applications/form.html",
        {
            "kind": kind,
            "kind_label": Kind(kind).label,
            "form": form,
            "search": search if kind in ASKS_INSTITUTION else None,
            "query": query,
            "options": options,
            "application": application,
            "refusals": refusals if request.method == "GET" else [],
            "failed": request.method == "POST" and bool(form.errors),
            "checking": request.method == "POST" and request.POST.get("action") == "check",
            "fixed_level": "physician" if kind == Kind.UPGRADE else "",
            "change_url": _form_url(Kind.CHANGE, institution=chosen) if upgrade_is_change else "",
            "location": form.location_preview(),
            "location_applies": kind in HAS_LOCATION,
            "attachment_fields": [form[attachment_field_name(k)] for k in attachment_kinds(kind)],
            "attachments": list(application.attachments.all()) if application is not None else [],
            "assessments": assessments_for(user) if kind == Kind.DEREGISTER else [],
            "explanation": next((text for k, _title, text in EXPLANATIONS if k == kind), ""),
            "grounds": DEREGISTRATION_GROUNDS if kind == Kind.DEREGISTER else (),
            "returned_reason": _returned_reason(application),
        },
        status=status,
    )


def _returned_reason(application) -> str:
    if application is None or application.state != State.RETURNED:
        return ""
    event = application.events.filter(to_state=State.RETURNED).order_by("-at", "-pk").first()
    return event.reason if event is not None else ""


# ------------------------------------------------------------------------------------ 业务查询


@require_GET
@applicant_required
def applications(request):
    """业务查询: the doctor's applications with type, dates, state and the authority's due date."""
    page = Paginator(applications_of(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/applications/list.html", {"page": page})


def _requested(application) -> list[tuple[str, str]]:
    """业务申请内容: the requested change as the institution reads it (only what the type uses)."""
    rows = []

    def add(label, value):
        if value:
            rows.append((label, value))

    add(_("确认机构"), application.institution.name)
    if application.record_id:
        record = application.record
        add(
            _("原执业注册"),
            f"{record.location.full_name or record.location.name} · {record.main_institution.name}"
            f"{' · ' + record.certificate_number if record.certificate_number else ''}",
        )
    add(_("医师级别"), application.get_level_display() if application.level else "")
    add(_("医师类别"), application.get_category_display() if application.category else "")
    if application.location_id:
        add(_("执业地点"), application.location.full_name or application.location.name)
    add(_("执业范围"), "、".join(scope.name for scope in application.scopes.all()))
    if application.filing_id:
        add(_("取消备案的机构"), application.filing.institution.name)
    if application.extra_location_id:
        extra = application.extra_location
        add(
            _("取消的多地点"), f"{extra.location.full_name or extra.location.name} · {extra.institution.name}"
        )
    if application.deregistration_reason_id:
        add(_("注销情形"), application.deregistration_reason.name)
    if application.filing_reason_id:
        add(_("备案情形"), application.filing_reason.name)
    add(_("军队单位"), application.military_unit)
    add(_("变更后机构名称"), application.new_institution_name)
    add(_("提交本次业务的缘由"), application.statement)
    return rows


@require_GET
@applicant_required
def application(request, pk: int):
    """One application: its state and dates, the requested change, the attachments and the timeline
    (date, the actor's role, the action and the reason — never an officer's or reviewer's name)."""
    found = get_object_or_404(
        applications_of(request.user).select_related(
            "record__location",
            "record__main_institution",
            "location",
            "filing__institution",
            "extra_location__location",
            "extra_location__institution",
            "deregistration_reason",
            "filing_reason",
            "result_record",
        ),
        pk=pk,
    )
    own = found.initiator == Initiator.DOCTOR
    return render(
        request,
        "accounts/applications/detail.html",
        {
            "application": found,
            "requested": _requested(found),
            "events": list(application_events_of(found)),
            "attachments": list(found.attachments.all()),
            "may_withdraw": own and found.state in WITHDRAWABLE,
            "may_edit": own and found.state in EDITABLE and _may_file(request.user, found.kind),
            "edit_url": _form_url(found.kind, application=found.pk),
        },
    )


@require_http_methods(["GET", "POST"])
@applicant_required
def withdraw(request, pk: int):
    """撤回 (REG-4): a confirmation page, then the service; refused once the institution has acted."""
    found = get_object_or_404(applications_of(request.user).select_related("institution"), pk=pk)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            application_withdraw(
                doctor=request.user, application_id=found.pk, reason=form.cleaned_data["reason"]
            )
        except TransitionRefused as refusal:
            refusal.add_to_form(form)
        else:
            messages.success(request, _("申请已撤回。"))
            return redirect("accounts:application", pk=found.pk)
    may = found.initiator == Initiator.DOCTOR and found.state in WITHDRAWABLE
    return render(
        request,
        "accounts/applications/withdraw.html",
        {"application": found, "form": form, "may_withdraw": may},
        status=400 if form.errors else 200,
    )


@require_POST
@applicant_required
def submit(request, pk: int):
    """提交 a draft, or 重新提交 a returned application as it stands (the rules are checked again)."""
    found = get_object_or_404(applications_of(request.user).filter(initiator=Initiator.DOCTOR), pk=pk)
    try:
        application_submit(doctor=request.user, application_id=found.pk)
    except ApplicationRefused as refused:
        for refusal in refused.refusals:
            messages.error(request, refusal.message)
    except TransitionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("申请已提交，请等待医疗机构确认。"))
    return redirect("accounts:application", pk=found.pk)


@require_GET
@applicant_required
def attachment(request, pk: int, attachment_pk: int):
    """One attachment of the doctor's own application: never cached, never sniffed, never scripted."""
    return private_file_response(
        attachment_content(user=request.user, attachment_id=attachment_pk), application_id=pk
    )


@require_POST
@applicant_required
def attachment_remove(request, pk: int, attachment_pk: int):
    """Remove an attachment of a draft or returned application (the form page lists them)."""
    found = get_object_or_404(applications_of(request.user), pk=pk)
    try:
        application_attachment_remove(user=request.user, application_id=found.pk, attachment_id=attachment_pk)
    except TransitionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("附件已删除。"))
    return redirect(_form_url(found.kind, application=found.pk))


# ------------------------------------------------------------------------------------ 证书补办 (REG-9)


@require_GET
@activated_required
def reissue(request):
    """证书补办 and 申领电子证照 (REG-9): what each is, and a form each (record, statement, attachments)."""
    user = request.user
    records = list(applicant_valid_records(user)[:2])
    initial = {"record": records[0]} if len(records) == 1 else {}
    forms = [
        (
            kind,
            Kind(kind).label,
            ApplicationForm(initial=initial, kind=kind, doctor=user, auto_id=f"{kind}_%s"),
        )
        for kind in REISSUE_KINDS
    ]
    open_ones = {
        app.kind: app for app in applications_of(user).filter(kind__in=REISSUE_KINDS, state__in=OPEN_STATES)
    }
    blocks = [
        {
            "kind": kind,
            "label": label,
            "form": form,
            "attachment_fields": [form[attachment_field_name(k)] for k in attachment_kinds(kind)],
            "open": open_ones.get(kind),
        }
        for kind, label, form in forms
    ]
    return render(
        request, "accounts/applications/reissue.html", {"blocks": blocks, "has_record": bool(records)}
    )


urlpatterns = [
    path("apply/", apply, name="apply"),
    path("apply/<str:kind>/", apply_form, name="apply_form"),
    path("applications/", applications, name="applications"),
    path("applications/<int:pk>/", application, name="application"),
    path("applications/<int:pk>/withdraw/", withdraw, name="application_withdraw"),
    path("applications/<int:pk>/submit/", submit, name="application_submit"),
    path("applications/<int:pk>/attachments/<int:attachment_pk>/", attachment, name="application_attachment"),
    path(
        "applications/<int:pk>/attachments/<int:attachment_pk>/remove/",
        attachment_remove,
        name="application_attachment_remove",
    ),
    path("reissue/", reissue, name="reissue"),
]
