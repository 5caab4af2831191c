"""QUA-4: verification lookups of the exam centre's records, by ID number or certificate number."""

from docregsys.identity.crypto import id_number_digest
from docregsys.identity.normalize import normalize_code, normalize_id_number

from .models import ExamResult, QualificationCertificate


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
