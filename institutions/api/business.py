"""/api/v1/institution/applications/: the console's 业务办理 for REST clients (INS-6, INS-10, API-1).

The same selectors and services as the pages: the list of what is routed to the officer's institution
(filters state, kind, name, date; the ID number only by POST ``search/``), one application, 同意,
不同意, 撤销, 打印申请表 (PRN-1), the institution's own filings (申请备案 / 申请注销 / 机构更名变更) and their resubmission.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from docregsys.downloads import private_file_response
from docregsys.identity.crypto import id_number_digest
from docregsys.identity.normalize import normalize_id_number, normalize_text
from docregsys.openapi import refusals
from docregsys.reference.models import DeregistrationReason, FilingReason
from printing.application_forms import (
    FORM,
    NOT_PRINTABLE,
    form_current,
    form_printable,
    form_request,
    form_title,
)
from printing.models import Document
from printing.views import document_download_response, document_status_data
from registrations.models import Application, Kind, State
from registrations.rules import Draft
from registrations.selectors import attachment_content
from registrations.services.applications import (
    REASON_MAX_LENGTH,
    application_agree,
    application_disagree,
    application_revoke,
)
from registrations.services.institution import (
    application_institution_file,
    application_institution_resubmit,
    application_institution_withdraw,
    institution_filing_list_for,
    institution_record_for,
)

from ..views.business import (
    application_for,
    application_scope,
    current_refusals,
    detail_context,
)
from .officers import console_officer

# A refusal after the object was found in scope is a conflict with its state (or the institution's setup).
CONFLICTS = {
    "not_found": 409,
    "wrong_state": 409,
    "no_authority": 409,
    "open_application_exists": 409,
    "record_not_here": 409,
}
PAGE = OpenApiParameter("page", int, description="页码（每页50条；超出范围为404）")
FILED_KINDS = ((Kind.ARCHIVE, "注册备案"), (Kind.DEREGISTER, "注销"), (Kind.RENAME, "机构更名变更"))


class BusinessApplicationItemSerializer(serializers.Serializer):
    """A row of the lists: 姓名, masked 身份证号, 业务类型, 申请日期, state, due date."""

    id = serializers.IntegerField(read_only=True)
    kind = serializers.CharField(read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    initiator = serializers.CharField(read_only=True)
    real_name = serializers.CharField(read_only=True)
    id_number_masked = serializers.CharField(read_only=True)
    state = serializers.CharField(read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    submitted_at = serializers.DateTimeField(read_only=True, allow_null=True)
    agreed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    due_date = serializers.DateField(read_only=True, allow_null=True)
    is_overdue = serializers.BooleanField(read_only=True)
    decided_at = serializers.DateTimeField(read_only=True, allow_null=True)


class BusinessApplicationPageSerializer(serializers.Serializer):
    """One page of a list (DRF's page-number pagination)."""

    count = serializers.IntegerField(read_only=True)
    next = serializers.URLField(read_only=True, allow_null=True)
    previous = serializers.URLField(read_only=True, allow_null=True)
    results = BusinessApplicationItemSerializer(many=True, read_only=True)


class BusinessRecordSerializer(serializers.Serializer):
    """医师的执业信息 (masked where the page masks)."""

    main_institution = serializers.CharField(source="main_institution.name", read_only=True)
    level = serializers.CharField(source="get_level_display", read_only=True)
    category = serializers.CharField(source="get_category_display", read_only=True)
    certificate_number = serializers.CharField(read_only=True)
    authority = serializers.CharField(source="authority.name", read_only=True)
    state = serializers.CharField(source="get_state_display", read_only=True)


class BusinessEventSerializer(serializers.Serializer):
    action = serializers.CharField(read_only=True)
    action_display = serializers.CharField(source="get_action_display", read_only=True)
    role = serializers.CharField(read_only=True)
    from_state = serializers.CharField(read_only=True)
    to_state = serializers.CharField(read_only=True)
    reason = serializers.CharField(read_only=True)
    at = serializers.DateTimeField(read_only=True)


class BusinessAttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    kind = serializers.CharField(read_only=True)
    original_name = serializers.CharField(read_only=True)
    size = serializers.IntegerField(read_only=True)
    url = serializers.SerializerMethodField()

    def get_url(self, attachment) -> str:
        return reverse(
            "institution-api:application_attachment", args=[attachment.application_id, attachment.pk]
        )


class BusinessApplicationDetailSerializer(BusinessApplicationItemSerializer):
    """One application: the record, the requested change in words, the statement, attachments, failing rules,
    the timeline."""

    record = serializers.SerializerMethodField()
    qualification_number_masked = serializers.SerializerMethodField()
    requested = serializers.SerializerMethodField()
    statement = serializers.CharField(read_only=True)
    authority = serializers.CharField(source="authority.name", read_only=True, allow_null=True, default=None)
    attachments = BusinessAttachmentSerializer(many=True, read_only=True, source="attachments.all")
    warnings = serializers.SerializerMethodField()
    events = serializers.SerializerMethodField()

    def _shown(self, application) -> dict:
        cache = self.context.setdefault("detail", {})
        if application.pk not in cache:
            cache[application.pk] = detail_context(application)
        return cache[application.pk]

    def get_record(self, application) -> dict | None:
        record = self._shown(application)["record"]
        if record is None:
            return None
        data = BusinessRecordSerializer(record).data
        data["scopes"] = self._shown(application)["record_scopes"]
        return data

    def get_qualification_number_masked(self, application) -> str:
        return self._shown(application)["qualification_masked"]

    def get_requested(self, application) -> list[str]:
        return self._shown(application)["lines"]

    def get_warnings(self, application) -> list[dict]:
        if application.state != State.SUBMITTED:
            return []
        return [{"code": r.code, "message": str(r.message)} for r in current_refusals(application)]

    def get_events(self, application) -> list[dict]:
        return BusinessEventSerializer(self._shown(application)["events"], many=True).data


STATE_CHOICES = [s for s in State.values if s != State.DRAFT]


class BusinessFilterSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=STATE_CHOICES, required=False, help_text="办理状态")
    kind = serializers.ChoiceField(choices=Kind.values, required=False, help_text="业务类型")
    name = serializers.CharField(max_length=28, required=False, allow_blank=True, help_text="姓名（包含）")
    date_from = serializers.DateField(required=False, help_text="申请日期起")
    date_to = serializers.DateField(required=False, help_text="申请日期止")


class BusinessSearchSerializer(BusinessFilterSerializer):
    id_number = serializers.CharField(max_length=32, help_text="身份证号（完整，只用于匹配，不保存）")

    def validate_id_number(self, value):
        number = normalize_id_number(value)
        if len(number) < 6:
            raise serializers.ValidationError("请输入完整的身份证号。")
        return number


def _listed(officer, data: dict, digest: str = ""):
    qs = application_scope(officer).select_related("authority").order_by("-submitted_at", "-pk")
    if data.get("state"):
        qs = qs.filter(state=data["state"])
    if data.get("kind"):
        qs = qs.filter(kind=data["kind"])
    if name := normalize_text(data.get("name", "")).strip():
        qs = qs.filter(real_name__contains=name)
    if data.get("date_from"):
        qs = qs.filter(submitted_at__date__gte=data["date_from"])
    if data.get("date_to"):
        qs = qs.filter(submitted_at__date__lte=data["date_to"])
    if digest:
        qs = qs.filter(id_number_digest=digest)
    return qs


class ApplicationList(GenericAPIView):
    """INS-6: what is routed to the officer's institution (the doctors' drafts excepted), newest first."""

    serializer_class = BusinessApplicationItemSerializer
    queryset = Application.objects.none()  # the schema's model; the rows come from the officer's scope

    @extend_schema(
        operation_id="v1_institution_applications_list",
        parameters=[BusinessFilterSerializer, PAGE],
        responses={200: BusinessApplicationPageSerializer, **refusals(400)},
        tags=["institution"],
    )
    def get(self, request):
        officer = console_officer(request)
        filters = BusinessFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        page = self.paginate_queryset(_listed(officer, filters.validated_data))
        return self.get_paginated_response(BusinessApplicationItemSerializer(page, many=True).data)


class ApplicationSearch(GenericAPIView):
    """The same list searched by ID number: POSTed (X-3), matched through the keyed digest, never in a URL."""

    serializer_class = BusinessApplicationItemSerializer
    queryset = Application.objects.none()  # the schema's model; the rows come from the officer's scope

    @extend_schema(
        request=BusinessSearchSerializer,
        parameters=[PAGE],
        responses={200: BusinessApplicationPageSerializer, **refusals(404)},
        tags=["institution"],
    )
    def post(self, request):
        officer = console_officer(request)
        search = BusinessSearchSerializer(data=request.data)
        search.is_valid(raise_exception=True)
        data = search.validated_data
        page = self.paginate_queryset(_listed(officer, data, digest=id_number_digest(data["id_number"])))
        return self.get_paginated_response(BusinessApplicationItemSerializer(page, many=True).data)


def _application(request, pk: int) -> Application:
    return application_for(console_officer(request), pk)


class ApplicationDetail(APIView):
    @extend_schema(responses=BusinessApplicationDetailSerializer, tags=["institution"])
    def get(self, request, pk: int):
        """One application routed to the institution (any state): record, request, attachments, warnings, log."""
        return Response(BusinessApplicationDetailSerializer(_application(request, pk)).data)


_FILE = OpenApiResponse(OpenApiTypes.BINARY, description="附件内容（JPG、PNG或PDF）")


class AttachmentDownload(APIView):
    @extend_schema(
        responses={(200, "image/jpeg"): _FILE, (200, "image/png"): _FILE, (200, "application/pdf"): _FILE},
        tags=["institution"],
    )
    def get(self, request, pk: int, attachment_id: int):
        """ID-7: one attachment of an application routed to the institution (another's is a 404), never cached."""
        application = _application(request, pk)
        found = attachment_content(user=request.user, attachment_id=attachment_id)
        return private_file_response(found, application_id=application.pk, as_attachment=True)


class BusinessNoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=REASON_MAX_LENGTH, required=False, allow_blank=True)


class BusinessReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=REASON_MAX_LENGTH, help_text="原因（必填）")


class BusinessOptionalReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=REASON_MAX_LENGTH, required=False, allow_blank=True)


def _detail(officer, pk: int) -> Response:
    return Response(BusinessApplicationDetailSerializer(application_for(officer, pk)).data)


class ApplicationAgree(APIView):
    refusal_status = CONFLICTS

    @extend_schema(
        request=BusinessNoteSerializer,
        responses={200: BusinessApplicationDetailSerializer, **refusals(409)},
        tags=["institution"],
    )
    def post(self, request, pk: int):
        """同意: forwarded to the authority of the institution's 审批机关设置; 409 once decided or without one."""
        application = _application(request, pk)
        body = BusinessNoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        application_agree(
            officer=request.user, application_id=application.pk, note=body.validated_data.get("note", "")
        )
        return _detail(request.user, pk)


class ApplicationDisagree(APIView):
    refusal_status = CONFLICTS

    @extend_schema(
        request=BusinessReasonSerializer,
        responses={200: BusinessApplicationDetailSerializer, **refusals(409)},
        tags=["institution"],
    )
    def post(self, request, pk: int):
        """不同意 with {"reason"} (required); 409 once decided."""
        application = _application(request, pk)
        body = BusinessReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        application_disagree(
            officer=request.user, application_id=application.pk, reason=body.validated_data["reason"]
        )
        return _detail(request.user, pk)


class ApplicationRevoke(APIView):
    refusal_status = CONFLICTS

    @extend_schema(
        request=BusinessOptionalReasonSerializer,
        responses={200: BusinessApplicationDetailSerializer, **refusals(409)},
        tags=["institution"],
    )
    def post(self, request, pk: int):
        """撤销 the agreement before the authority acts (the institution's own filing is withdrawn); 409 after."""
        application = _application(request, pk)
        body = BusinessOptionalReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        application_revoke(
            officer=request.user, application_id=application.pk, reason=body.validated_data.get("reason", "")
        )
        return _detail(request.user, pk)


class BusinessFileSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=[k for k, _label in FILED_KINDS], help_text="archive / deregister / rename"
    )
    record = serializers.IntegerField(required=False, help_text="执业注册 id（申请备案、申请注销）")
    filing_reason = serializers.PrimaryKeyRelatedField(
        queryset=FilingReason.objects.all(), required=False, allow_null=True, help_text="备案情形代码"
    )
    deregistration_reason = serializers.PrimaryKeyRelatedField(
        queryset=DeregistrationReason.objects.all(), required=False, allow_null=True, help_text="注销情形代码"
    )
    new_institution_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    statement = serializers.CharField(max_length=500, required=False, allow_blank=True)


class BusinessAmendSerializer(serializers.Serializer):
    filing_reason = serializers.PrimaryKeyRelatedField(
        queryset=FilingReason.objects.all(), required=False, allow_null=True
    )
    deregistration_reason = serializers.PrimaryKeyRelatedField(
        queryset=DeregistrationReason.objects.all(), required=False, allow_null=True
    )
    new_institution_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    statement = serializers.CharField(max_length=500, required=False, allow_blank=True)


class FilingList(GenericAPIView):
    """INS-10: the institution's own filings (备案注销申请情况列表), and a new one."""

    serializer_class = BusinessApplicationItemSerializer
    queryset = Application.objects.none()  # the schema's model; the rows come from the officer's scope
    refusal_status = CONFLICTS

    @extend_schema(
        operation_id="v1_institution_applications_filings_list",
        parameters=[PAGE],
        responses=BusinessApplicationPageSerializer,
        tags=["institution"],
    )
    def get(self, request):
        officer = console_officer(request)
        qs = institution_filing_list_for(user=officer).order_by("-submitted_at", "-pk")
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(BusinessApplicationItemSerializer(page, many=True).data)

    @extend_schema(
        request=BusinessFileSerializer,
        responses={201: BusinessApplicationDetailSerializer, **refusals(404, 409)},
        tags=["institution"],
    )
    def post(self, request):
        """申请备案 / 申请注销 (a valid record of this institution) or 机构更名变更: straight to the authority."""
        officer = console_officer(request)
        body = BusinessFileSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        record = None
        if data["kind"] != Kind.RENAME:
            if "record" not in data:
                raise serializers.ValidationError({"record": ["请选择医师。"]})
            record = institution_record_for(officer=officer, record_id=data["record"])
            if record is None:  # another institution's doctor, or no valid record here
                raise Http404
        draft = Draft(
            kind=data["kind"],
            filing_reason=data.get("filing_reason"),
            deregistration_reason=data.get("deregistration_reason"),
            new_institution_name=data.get("new_institution_name", ""),
            statement=data.get("statement", ""),
        )
        application = application_institution_file(officer=officer, draft=draft, record=record)
        return Response(
            BusinessApplicationDetailSerializer(application_for(officer, application.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class FilingResubmit(APIView):
    refusal_status = CONFLICTS

    @extend_schema(
        request=BusinessAmendSerializer,
        responses={200: BusinessApplicationDetailSerializer, **refusals(409)},
        tags=["institution"],
    )
    def post(self, request, pk: int):
        """A returned filing of the institution, amended (fields left out stay) and resubmitted; 409 otherwise."""
        officer = console_officer(request)
        application = get_object_or_404(institution_filing_list_for(user=officer), pk=pk)
        body = BusinessAmendSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        draft = Draft(
            kind=application.kind,
            filing_reason=data.get("filing_reason", application.filing_reason),
            deregistration_reason=data.get("deregistration_reason", application.deregistration_reason),
            new_institution_name=data.get("new_institution_name", application.new_institution_name),
            statement=data.get("statement", application.statement),
        )
        application_institution_resubmit(officer=officer, application_id=application.pk, draft=draft)
        return _detail(officer, pk)


class FilingWithdraw(APIView):
    refusal_status = CONFLICTS

    @extend_schema(
        request=BusinessOptionalReasonSerializer,
        responses={200: BusinessApplicationDetailSerializer, **refusals(409)},
        tags=["institution"],
    )
    def post(self, request, pk: int):
        """A returned filing the institution gives up instead of resubmitting (已撤回); 409 in any other state."""
        officer = console_officer(request)
        application = get_object_or_404(institution_filing_list_for(user=officer), pk=pk)
        body = BusinessOptionalReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        application_institution_withdraw(
            officer=officer, application_id=application.pk, reason=body.validated_data.get("reason", "")
        )
        return _detail(officer, pk)


class BusinessFormStatusSerializer(serializers.Serializer):
    """PRN-1 打印申请表: the coded form's job (PRN-2) — none yet, queued, rendering, done or failed."""

    printable = serializers.BooleanField(
        read_only=True, help_text=_("机构同意后（卫健委审批中或已办结）才能打印")
    )
    title = serializers.CharField(read_only=True, help_text=_("表单名称"))
    state = serializers.ChoiceField(
        choices=["none", *Document.State.values], read_only=True, help_text=_("none：尚未生成")
    )
    message = serializers.CharField(read_only=True, allow_blank=True)
    position = serializers.IntegerField(read_only=True, help_text=_("排队中时前面还有几份"))
    code = serializers.CharField(
        read_only=True, allow_null=True, help_text=_("行政审批编码（XXXX-XXXX-XXXX-XXXX）")
    )
    download_url = serializers.CharField(read_only=True, allow_null=True, help_text=_("生成后PDF的下载地址"))


def _form_status(application) -> dict:
    printable = form_printable(application)
    document = form_current(application) if printable else None
    body = {"printable": printable, "title": form_title(application)}
    if document is None:
        message = "" if printable else str(NOT_PRINTABLE)
        return {
            **body,
            "state": "none",
            "message": message,
            "position": 0,
            "code": None,
            "download_url": None,
        }
    download_url = reverse("institution-api:application_form_pdf", args=[application.pk])
    return {**body, **document_status_data(document, download_url=download_url)}


class ApplicationForm(APIView):
    refusal_status = CONFLICTS

    @extend_schema(
        operation_id="v1_institution_applications_form_retrieve",
        responses=BusinessFormStatusSerializer,
        tags=["institution"],
    )
    def get(self, request, pk: int):
        """PRN-1: the coded application form's state and 行政审批编码 (state "none" before it is asked for)."""
        response = Response(BusinessFormStatusSerializer(_form_status(_application(request, pk))).data)
        response["Cache-Control"] = "no-store"
        return response

    @extend_schema(
        operation_id="v1_institution_applications_form_create",
        request=None,
        responses={200: BusinessFormStatusSerializer, **refusals(409)},
        tags=["institution"],
    )
    def post(self, request, pk: int):
        """PRN-1: print the coded form (queued for the worker; unchanged data → the same document and code).
        409 unless the institution agreed (卫健委审批中) or the application is approved."""
        application = _application(request, pk)
        form_request(officer=request.user, application=application)
        return Response(BusinessFormStatusSerializer(_form_status(application)).data)


_PDF = OpenApiResponse(OpenApiTypes.BINARY, description=_("经电子签名的申请审核表PDF"))


class ApplicationFormPdf(APIView):
    @extend_schema(
        operation_id="v1_institution_applications_form_pdf",
        responses={(200, "application/pdf"): _PDF},
        tags=["institution"],
    )
    def get(self, request, pk: int):
        """PRN-1: the signed PDF of the coded form; 404 before it is rendered or once the agreement is gone."""
        application = _application(request, pk)
        document = form_current(application) if form_printable(application) else None
        if document is None or document.state != Document.State.DONE:
            raise Http404
        return document_download_response(document, filename=FORM.filename(document))


urlpatterns = [
    path("applications/", ApplicationList.as_view(), name="applications"),
    path("applications/search/", ApplicationSearch.as_view(), name="application_search"),
    path("applications/filings/", FilingList.as_view(), name="filings"),
    path("applications/<int:pk>/", ApplicationDetail.as_view(), name="application"),
    path(
        "applications/<int:pk>/attachments/<int:attachment_id>/",
        AttachmentDownload.as_view(),
        name="application_attachment",
    ),
    path("applications/<int:pk>/agree/", ApplicationAgree.as_view(), name="application_agree"),
    path("applications/<int:pk>/disagree/", ApplicationDisagree.as_view(), name="application_disagree"),
    path("applications/<int:pk>/revoke/", ApplicationRevoke.as_view(), name="application_revoke"),
    path("applications/<int:pk>/form/", ApplicationForm.as_view(), name="application_form"),
    path("applications/<int:pk>/form/pdf/", ApplicationFormPdf.as_view(), name="application_form_pdf"),
    path("applications/filings/<int:pk>/resubmit/", FilingResubmit.as_view(), name="filing_resubmit"),
    path("applications/filings/<int:pk>/withdraw/", FilingWithdraw.as_view(), name="filing_withdraw"),
]
