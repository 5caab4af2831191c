"""/api/v1/accounts/certificates/ and score-reports/: PRN-3 电子证照 and PRN-4 成绩单 for REST clients.

The doctor's own records and exam results only (name and ID number both match, as on the pages): another
doctor's id is a 404. POST asks for the document (it renders in the worker); GET answers its job's state;
pdf/ downloads it once rendered.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from docregsys.api import error_response
from docregsys.openapi import refusals
from printing.certificates import certificate_live_data
from printing.kinds import kind_of
from printing.models import Document
from printing.selectors import documents_current_of
from printing.services import document_request
from printing.views import document_download_response, document_status_data
from qualifications.models import ExamResult
from registrations.models import PracticeRecord

from ..selectors import activation_next_step, practice_records_for

CERTIFICATE = "certificate"
SCORE_REPORT = "score_report"
TAGS = ["certificates"]
_PDF = OpenApiResponse(OpenApiTypes.BINARY, description=_("已生成的 PDF（经电子签名）"))


def _activated_doctor(request):
    user = request.user
    if not user.is_doctor or user.is_superuser or activation_next_step(user) is not None:
        raise PermissionDenied
    return user


def _own_records(user) -> list[PracticeRecord]:
    return practice_records_for(user)


def _own_record(user, record_id: int) -> PracticeRecord:
    for record in _own_records(user):
        if record.pk == record_id:
            return record
    raise Http404


def _own_results(user):
    if not user.id_number_digest:
        return ExamResult.objects.none()
    return (
        ExamResult.objects.select_related("exam_category")
        .filter(id_number_digest=user.id_number_digest, real_name=user.real_name)
        .order_by("-year", "pk")
    )


def _own_result(user, result_id: int) -> ExamResult:
    result = _own_results(user).filter(pk=result_id).first()
    if result is None:
        raise Http404
    return result


def _current(kind: str, subject_id: int) -> Document:
    document = documents_current_of(kind=kind, subject_ids=[subject_id]).get(subject_id)
    if document is None:
        raise Http404
    return document


# ------------------------------------------------------------------------------------------ serializers


class DoctorDocumentJobSerializer(serializers.Serializer):
    """A document's job as the progress widget polls it."""

    state = serializers.ChoiceField(choices=Document.State.choices, read_only=True)
    message = serializers.CharField(read_only=True)
    position = serializers.IntegerField(
        read_only=True, allow_null=True, help_text=_("前面还在排队的份数（列表中为 null：每行不另查）")
    )
    code = serializers.CharField(read_only=True, help_text=_("证照编号 / 验证码（XXXX-XXXX-XXXX-XXXX）"))
    download_url = serializers.CharField(read_only=True, allow_null=True, help_text=_("生成后可下载的地址"))


class DoctorCertificateSerializer(serializers.Serializer):
    """One practice record and its current electronic certificate (null when none was issued yet)."""

    id = serializers.IntegerField(read_only=True, help_text=_("执业记录编号"))
    certificate_number = serializers.CharField(read_only=True)
    level_display = serializers.CharField(read_only=True)
    category_display = serializers.CharField(read_only=True)
    main_institution = serializers.CharField(read_only=True)
    state = serializers.CharField(read_only=True)
    state_display = serializers.CharField(read_only=True)
    certificate = DoctorDocumentJobSerializer(read_only=True, allow_null=True)


class DoctorCertificateLiveSerializer(serializers.Serializer):
    """The QR a verifier scans and the 动态验证码 beside it, valid for the seconds left (30-second steps)."""

    code = serializers.CharField(read_only=True, help_text=_("6 位动态验证码"))
    seconds_left = serializers.IntegerField(read_only=True)
    url = serializers.CharField(read_only=True, help_text=_("二维码内容：公开核验地址（含动态验证码）"))
    qr_svg = serializers.CharField(read_only=True, help_text=_("二维码 SVG"))
    certificate_code = serializers.CharField(read_only=True, help_text=_("证照编号"))


class DoctorScoreReportSerializer(serializers.Serializer):
    """One exam result of the doctor and its current score report (null when not asked for yet)."""

    id = serializers.IntegerField(read_only=True, help_text=_("考试成绩编号"))
    year = serializers.IntegerField(read_only=True)
    exam_category = serializers.CharField(read_only=True)
    admission_ticket = serializers.CharField(read_only=True)
    passed = serializers.BooleanField(read_only=True)
    report = DoctorDocumentJobSerializer(read_only=True, allow_null=True)


def _job(document: Document | None, download_url: str, *, listed: bool) -> dict | None:
    """The job's state; in a list without the queue position (one COUNT per queued row otherwise)."""
    if document is None:
        return None
    if not listed:
        return document_status_data(document, download_url=download_url)
    return {
        "state": document.state,
        "message": document.get_state_display(),
        "position": None,
        "code": document.code_display,
        "download_url": download_url if document.state == Document.State.DONE else None,
    }


def _certificate_job(record: PracticeRecord, document: Document | None, *, listed=False) -> dict | None:
    url = reverse("accounts-api:certificate_pdf", args=[record.pk])
    return _job(document, url, listed=listed)


def _report_job(result: ExamResult, document: Document | None, *, listed=False) -> dict | None:
    return _job(document, reverse("accounts-api:score_report_pdf", args=[result.pk]), listed=listed)


def _certificate_row(record: PracticeRecord, document: Document | None, *, listed=False) -> dict:
    return {
        "id": record.pk,
        "certificate_number": record.certificate_number,
        "level_display": record.get_level_display(),
        "category_display": record.get_category_display(),
        "main_institution": record.main_institution.name,
        "state": record.state,
        "state_display": record.get_state_display(),
        "certificate": _certificate_job(record, document, listed=listed),
    }


def _report_row(result: ExamResult, document: Document | None, *, listed=False) -> dict:
    return {
        "id": result.pk,
        "year": result.year,
        "exam_category": result.exam_category.name,
        "admission_ticket": result.admission_ticket,
        "passed": result.passed,
        "report": _report_job(result, document, listed=listed),
    }


# ------------------------------------------------------------------------------------------ certificates


class CertificateList(APIView):
    @extend_schema(responses=DoctorCertificateSerializer(many=True), tags=TAGS)
    def get(self, request):
        """The doctor's practice records, each with its current electronic certificate's state and code."""
        user = _activated_doctor(request)
        records = _own_records(user)
        current = documents_current_of(kind=CERTIFICATE, subject_ids=[r.pk for r in records])
        rows = [_certificate_row(record, current.get(record.pk), listed=True) for record in records]
        return Response(DoctorCertificateSerializer(rows, many=True).data)


class CertificateDetail(APIView):
    @extend_schema(responses=DoctorCertificateSerializer, tags=TAGS)
    def get(self, request, pk: int):
        """One record's certificate state (certificate is null until one was asked for)."""
        user = _activated_doctor(request)
        record = _own_record(user, pk)
        current = documents_current_of(kind=CERTIFICATE, subject_ids=[record.pk]).get(record.pk)
        return Response(DoctorCertificateSerializer(_certificate_row(record, current)).data)

    @extend_schema(request=None, responses={202: DoctorCertificateSerializer, **refusals(409)}, tags=TAGS)
    def post(self, request, pk: int):
        """Ask for the record's certificate: the current one while the record is unchanged, else a new one
        (the old one is superseded). 409 for a record that is not 有效."""
        user = _activated_doctor(request)
        record = _own_record(user, pk)
        if record.state != PracticeRecord.State.VALID:
            return error_response(
                _("该执业注册当前不是有效状态，不能生成电子证照。"),
                code="record_not_valid",
                status_code=status.HTTP_409_CONFLICT,
            )
        document = document_request(kind=CERTIFICATE, subject=record, requested_by=user)
        data = DoctorCertificateSerializer(_certificate_row(record, document)).data
        return Response(data, status=status.HTTP_202_ACCEPTED)


class CertificatePdf(APIView):
    @extend_schema(responses={(200, "application/pdf"): _PDF}, tags=TAGS)
    def get(self, request, pk: int):
        """下载电子证照 (404 until it is rendered, and for a record that is no longer 有效)."""
        user = _activated_doctor(request)
        record = _own_record(user, pk)
        if record.state != PracticeRecord.State.VALID:
            raise Http404
        document = _current(CERTIFICATE, record.pk)
        return document_download_response(document, filename=kind_of(CERTIFICATE).filename(document))


class CertificateLive(APIView):
    @extend_schema(responses=DoctorCertificateLiveSerializer, tags=TAGS)
    def get(self, request, pk: int):
        """The current QR address with its 30-second code, and the seconds it has left."""
        user = _activated_doctor(request)
        record = _own_record(user, pk)
        if record.state != PracticeRecord.State.VALID:
            raise Http404
        data = certificate_live_data(record, _current(CERTIFICATE, record.pk))
        response = Response(DoctorCertificateLiveSerializer(data).data)
        response["Cache-Control"] = "no-store"
        return response


# ------------------------------------------------------------------------------------------ score reports


class ScoreReportList(APIView):
    @extend_schema(responses=DoctorScoreReportSerializer(many=True), tags=TAGS)
    def get(self, request):
        """The doctor's exam results, each with its current score report's state."""
        user = _activated_doctor(request)
        results = list(_own_results(user))
        current = documents_current_of(kind=SCORE_REPORT, subject_ids=[r.pk for r in results])
        rows = [_report_row(result, current.get(result.pk), listed=True) for result in results]
        return Response(DoctorScoreReportSerializer(rows, many=True).data)


class ScoreReportDetail(APIView):
    @extend_schema(responses=DoctorScoreReportSerializer, tags=TAGS)
    def get(self, request, pk: int):
        """One exam result's report state (report is null until asked for)."""
        user = _activated_doctor(request)
        result = _own_result(user, pk)
        current = documents_current_of(kind=SCORE_REPORT, subject_ids=[result.pk]).get(result.pk)
        return Response(DoctorScoreReportSerializer(_report_row(result, current)).data)

    @extend_schema(request=None, responses={202: DoctorScoreReportSerializer}, tags=TAGS)
    def post(self, request, pk: int):
        """Ask for the score report (rendered in the worker; the same one while the result is unchanged)."""
        user = _activated_doctor(request)
        result = _own_result(user, pk)
        document = document_request(kind=SCORE_REPORT, subject=result, requested_by=user)
        data = DoctorScoreReportSerializer(_report_row(result, document)).data
        return Response(data, status=status.HTTP_202_ACCEPTED)


class ScoreReportPdf(APIView):
    @extend_schema(responses={(200, "application/pdf"): _PDF}, tags=TAGS)
    def get(self, request, pk: int):
        """The rendered score report (404 until it is rendered)."""
        user = _activated_doctor(request)
        result = _own_result(user, pk)
        document = _current(SCORE_REPORT, result.pk)
        return document_download_response(document, filename=kind_of(SCORE_REPORT).filename(document))


urlpatterns = [
    path("certificates/", CertificateList.as_view(), name="certificates"),
    path("certificates/<int:pk>/", CertificateDetail.as_view(), name="certificate"),
    path("certificates/<int:pk>/pdf/", CertificatePdf.as_view(), name="certificate_pdf"),
    path("certificates/<int:pk>/live/", CertificateLive.as_view(), name="certificate_live"),
    path("score-reports/", ScoreReportList.as_view(), name="score_reports"),
    path("score-reports/<int:pk>/", ScoreReportDetail.as_view(), name="score_report"),
    path("score-reports/<int:pk>/pdf/", ScoreReportPdf.as_view(), name="score_report_pdf"),
]
