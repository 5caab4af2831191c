"""INS-8 医师验证: an officer looks a person up by ID number; every lookup is audited (DoctorLookup)."""

from __future__ import annotations

import dataclasses

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from docregsys.exceptions import TransitionRefused
from docregsys.identity.crypto import id_number_digest, mask_id_number
from docregsys.identity.validators import validate_resident_id
from qualifications.models import AssessmentResult, ExamResult, QualificationCertificate

from ..models import DoctorLookup, PracticeRecord
from ..selectors import practice_records_for_digest

# Lookups per officer and day: enough for a hospital's HR work, too few to walk the province's register.


@dataclasses.dataclass
class LookupResult:
    """What one lookup found: the rows of its kind (and, for credit, the deregistered records)."""

    kind: str
    id_number_masked: str
    real_name: str = ""
    certificates: list = dataclasses.field(default_factory=list)
    passed_exams: list = dataclasses.field(default_factory=list)
    practice_records: list = dataclasses.field(default_factory=list)
    assessments: list = dataclasses.field(default_factory=list)

    @property
    def found(self) -> int:
        return (
            len(self.certificates)
            + len(self.passed_exams)
            + len(self.practice_records)
            + len(self.assessments)
        )


def _officer_refusal(user) -> TransitionRefused | None:
    if not getattr(user, "is_authenticated", False) or user.is_superuser or not user.is_officer:
        return TransitionRefused(_("只有医疗机构的管理员可以进行医师验证。"), code="not_officer")
    if not user.institution_id:
        return TransitionRefused(_("您的账户未关联医疗机构，不能进行医师验证。"), code="not_officer")
    return None


def _find(kind: str, digest: str, masked: str) -> LookupResult:
    result = LookupResult(kind=kind, id_number_masked=masked)
    if kind == DoctorLookup.Kind.QUALIFICATION:
        result.certificates = list(
            QualificationCertificate.objects.filter(id_number_digest=digest).order_by(
                "-year_obtained", "number"
            )
        )
        if not result.certificates:  # passed the exam, certificate not issued yet
            result.passed_exams = list(
                ExamResult.objects.filter(id_number_digest=digest, passed=True)
                .select_related("exam_category")
                .order_by("-year")
            )
        names = [r.real_name for r in (*result.certificates, *result.passed_exams)]
    elif kind == DoctorLookup.Kind.REGISTRATION:
        result.practice_records = list(practice_records_for_digest(digest))
        names = [r.real_name for r in result.practice_records]
    else:
        result.assessments = list(AssessmentResult.objects.filter(id_number_digest=digest).order_by("-cycle"))
        result.practice_records = list(
            practice_records_for_digest(digest).filter(state=PracticeRecord.State.DEREGISTERED)
        )
        names = [r.real_name for r in (*result.assessments, *result.practice_records)]
    result.real_name = next((n for n in names if n), "")
    return result


def doctor_lookup(*, user, kind: str, id_number: str) -> LookupResult:
    """INS-8: the records of one person (by resident ID number) for an officer; audited, settings.DOCTOR_LOOKUP_DAILY_LIMIT a day."""
    if kind not in DoctorLookup.Kind.values:
        raise TransitionRefused(_("不支持的验证类型。"), code="invalid_kind")
    if (refusal := _officer_refusal(user)) is not None:
        raise refusal
    try:
        number = validate_resident_id(id_number).number
    except ValidationError as exc:
        raise TransitionRefused(exc.messages[0], code=exc.code or "invalid", field="id_number") from None
    digest, masked = id_number_digest(number), mask_id_number(number)
    with transaction.atomic():
        # The officer's row is the lock: two lookups at once cannot both take the last one of the day.
        get_user_model().objects.select_for_update().only("pk").get(pk=user.pk)
        start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        if (
            DoctorLookup.objects.filter(user=user, at__gte=start).count()
            >= settings.DOCTOR_LOOKUP_DAILY_LIMIT
        ):
            raise TransitionRefused(
                _("今天的医师验证次数已达上限（%(n)d次），请明天再试。")
                % {"n": settings.DOCTOR_LOOKUP_DAILY_LIMIT},
                code="daily_limit",
                field="id_number",
            )
        result = _find(kind, digest, masked)
        DoctorLookup.objects.create(
            user=user,
            institution_id=user.institution_id,
            kind=kind,
            value_digest=digest,
            value_masked=masked,
            found=min(result.found, 32767),
        )
    return result
