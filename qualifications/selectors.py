"""Reads of the exam centre's records: QUA-4 verification lookups, APP-5 reviewer scopes."""

from django.db.models import QuerySet

from docregsys.identity.crypto import id_number_digest
from docregsys.identity.normalize import normalize_code, normalize_id_number
from docregsys.reference.models import Authority
from docregsys.reference.selectors import is_reviewer, region_prefix_for, within_reach

from .models import AssessmentResult, ExamResult, ImportBatch, QualificationCertificate, RecordLookup


def exam_results_for_id_number(id_number: str) -> list[ExamResult]:
    """Every exam result of one person, newest first (one query on the digest index)."""
    if not normalize_id_number(id_number):
        return []
    return list(
        ExamResult.objects.filter(id_number_digest=id_number_digest(id_number)).select_related(
            "exam_category"
        )
    )


def certificates_for_id_number(id_number: str) -> list[QualificationCertificate]:
    """Every qualification certificate of one person (one query on the digest index)."""
    if not normalize_id_number(id_number):
        return []
    return list(QualificationCertificate.objects.filter(id_number_digest=id_number_digest(id_number)))


def certificate_by_number(number: str) -> QualificationCertificate | None:
    """The certificate with this number, or None (one query on the unique index)."""
    number = normalize_code(number)
    if not number:
        return None
    return QualificationCertificate.objects.filter(number=number).first()


# ------------------------------------------------------------------ APP-5: what a reviewer may browse


def _in_region(qs: QuerySet, *, user) -> QuerySet:
    """Records whose region lies in the user's (reviewer's) region; all for the superuser; none otherwise."""
    scoped = within_reach(qs, user=user, region_code_field="region_code")
    return qs.none() if scoped is None else scoped


def exam_result_list_for(*, user) -> QuerySet[ExamResult]:
    """Exam results of the exams sat in the reviewer's region (考区 / 考点), deny by default."""
    return _in_region(ExamResult.objects.select_related("exam_category"), user=user)


def certificate_list_for(*, user) -> QuerySet[QualificationCertificate]:
    """Qualification certificates of holders from the reviewer's region (resident ID), deny by default."""
    return _in_region(QualificationCertificate.objects.all(), user=user)


def assessment_list_for(*, user) -> QuerySet[AssessmentResult]:
    """Periodic assessment results of doctors from the reviewer's region (resident ID), deny by default."""
    return _in_region(AssessmentResult.objects.all(), user=user)


def import_batch_list_for(*, user) -> QuerySet[ImportBatch]:
    """Every batch for the superuser; a reviewer those started at their own authority; nobody else any."""
    prefix = region_prefix_for(user)
    if prefix is None:
        return ImportBatch.objects.none()
    if user.is_superuser:
        return ImportBatch.objects.all()
    return ImportBatch.objects.filter(started_by__authority_id=user.authority_id)


def import_allowed_for(*, user) -> bool:
    """QUA-3: the exam centre's files are imported by the superuser and national/provincial reviewers."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return is_reviewer(user) and user.authority.level in (Authority.Level.NATIONAL, Authority.Level.PROVINCE)


def record_list_for(model, *, user) -> QuerySet:
    """The scoped list of one exam-centre model (for code that handles the three alike)."""
    return {
        ExamResult: exam_result_list_for,
        QualificationCertificate: certificate_list_for,
        AssessmentResult: assessment_list_for,
    }[model](user=user)


def record_lookup_list_for(*, user) -> QuerySet[RecordLookup]:
    """APP-5: the audit of exact lookups is the superuser's to read; nobody else sees any of it."""
    if user is not None and getattr(user, "is_superuser", False) and user.is_active:
        return RecordLookup.objects.select_related("user")
    return RecordLookup.objects.none()
