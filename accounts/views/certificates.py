"""PRN-3 电子证照 and PRN-4 成绩单 on the doctor's side: the page, each job's status, the download, the live QR.

Every object is found through the doctor's own records (name *and* ID number, as 执业信息 and 资格信息 do):
another doctor's record or exam result is a 404, like a missing one.
"""

from __future__ import annotations

from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods

from printing.certificates import (
    certificate_institutions_at,
    certificate_invalid_reason,
    certificate_live_data,
)
from printing.kinds import kind_of
from printing.models import Document
from printing.selectors import documents_current_of, documents_superseded_of
from printing.services import document_request
from printing.views import document_download_response, document_status_response
from qualifications.models import ExamResult
from registrations.models import PracticeRecord

from ..decorators import activated_required
from ..selectors import practice_records_for

CERTIFICATE = "certificate"
SCORE_REPORT = "score_report"


def _own_record(user, record_id: int) -> PracticeRecord:
    for record in practice_records_for(user):
        if record.pk == record_id:
            return record
    raise Http404


def _own_exam_result(user, result_id: int) -> ExamResult:
    if not user.id_number_digest:
        raise Http404
    result = (
        ExamResult.objects.select_related("exam_category")
        .filter(pk=result_id, id_number_digest=user.id_number_digest, real_name=user.real_name)
        .first()
    )
    if result is None:
        raise Http404
    return result


def _current_certificate(record: PracticeRecord) -> Document:
    found = documents_current_of(kind=CERTIFICATE, subject_ids=[record.pk]).get(record.pk)
    if found is None:
        raise Http404
    return found


@activated_required
@require_GET
def certificates(request):
    """电子证照: each valid record's current certificate (asked for again here, so a record changed by any
    path is reissued on the next view), its live QR and code; superseded and lapsed ones listed below."""
    user = request.user
    records = practice_records_for(user)
    valid = [record for record in records if record.state == PracticeRecord.State.VALID]
    entries = []
    for record in valid:
        document = document_request(kind=CERTIFICATE, subject=record, requested_by=user)
        entries.append(
            {
                "record": record,
                "document": document,
                "status_url": reverse("accounts:certificate_status", args=[record.pk]),
                "download_url": reverse("accounts:certificate_pdf", args=[record.pk]),
                "live_url": reverse("accounts:certificate_live", args=[record.pk]),
                "live": certificate_live_data(record, document),
            }
        )
    by_id = {record.pk: record for record in records}
    lapsed = [
        {
            "record": by_id[record_id],
            "document": document,
            "reason": certificate_invalid_reason(by_id[record_id]),
        }
        for record_id, document in documents_current_of(
            kind=CERTIFICATE, subject_ids=[r.pk for r in records if r.state != PracticeRecord.State.VALID]
        ).items()
    ]
    superseded_documents = documents_superseded_of(kind=CERTIFICATE, subject_ids=list(by_id))
    for document in superseded_documents:
        document.record = by_id[document.record_id]
    # A 变更 changed the record in place: each old certificate is listed with the institution it showed.
    institutions = certificate_institutions_at(superseded_documents)
    superseded = [
        {"record": document.record, "document": document, "institution": institutions[document.pk]}
        for document in superseded_documents
    ]
    return render(
        request,
        "accounts/doctor/certificates.html",
        {"entries": entries, "lapsed": lapsed, "superseded": superseded, "has_records": bool(records)},
    )


@activated_required
@require_GET
def certificate_status(request, record_id: int):
    """The certificate job's state, polled by the progress widget."""
    record = _own_record(request.user, record_id)
    document = _current_certificate(record)
    return document_status_response(
        document, download_url=reverse("accounts:certificate_pdf", args=[record.pk])
    )


@activated_required
@require_GET
def certificate_pdf(request, record_id: int):
    """下载电子证照: the current certificate of one of the doctor's valid records."""
    record = _own_record(request.user, record_id)
    if record.state != PracticeRecord.State.VALID:
        raise Http404
    document = _current_certificate(record)
    return document_download_response(document, filename=kind_of(CERTIFICATE).filename(document))


@activated_required
@require_GET
def certificate_live(request, record_id: int):
    """A fresh QR and 动态验证码 (certificate-live.js asks every 30 seconds)."""
    record = _own_record(request.user, record_id)
    if record.state != PracticeRecord.State.VALID:
        raise Http404
    response = JsonResponse(certificate_live_data(record, _current_certificate(record)))
    response["Cache-Control"] = "no-store"
    return response


@activated_required
@require_http_methods(["GET", "POST"])
def score_report(request, result_id: int):
    """POST: 下载成绩单 asks for the report (back to 资格信息, where it shows progress). GET: the job's state."""
    result = _own_exam_result(request.user, result_id)
    download_url = reverse("accounts:score_report_pdf", args=[result.pk])
    if request.method == "POST":
        document_request(kind=SCORE_REPORT, subject=result, requested_by=request.user)
        return redirect(reverse("accounts:qualification") + f"#exam-{result.pk}")
    document = documents_current_of(kind=SCORE_REPORT, subject_ids=[result.pk]).get(result.pk)
    if document is None:
        raise Http404
    return document_status_response(document, download_url=download_url)


@activated_required
@require_GET
def score_report_pdf(request, result_id: int):
    """The rendered 成绩单 of one of the doctor's own exam results."""
    result = _own_exam_result(request.user, result_id)
    document = documents_current_of(kind=SCORE_REPORT, subject_ids=[result.pk]).get(result.pk)
    if document is None:
        raise Http404
    return document_download_response(document, filename=kind_of(SCORE_REPORT).filename(document))


urlpatterns = [
    path("certificates/", certificates, name="certificates"),
    path("certificates/<int:record_id>/status/", certificate_status, name="certificate_status"),
    path("certificates/<int:record_id>/pdf/", certificate_pdf, name="certificate_pdf"),
    path("certificates/<int:record_id>/live/", certificate_live, name="certificate_live"),
    path("score-reports/<int:result_id>/", score_report, name="score_report"),
    path("score-reports/<int:result_id>/pdf/", score_report_pdf, name="score_report_pdf"),
]
