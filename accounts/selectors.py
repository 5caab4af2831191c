"""Reads about a doctor's account: their records (ACC-3, ACC-8) and where activation stands (ACC-5)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Case, CharField, Exists, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from docregsys.reference.selectors import within_reach
from institutions.selectors import institution_list_for
from qualifications.models import AssessmentResult, ExamResult, QualificationCertificate
from registrations.models import PracticeRecord
from registrations.selectors import practice_records_for_digest

from .models import ActivationCode, ActivationPath, User


@dataclass
class DoctorRecords:
    """What the exam centre and the registration system hold under this doctor's name + ID number."""

    certificates: list[QualificationCertificate] = field(default_factory=list)
    passed_exams: list[ExamResult] = field(default_factory=list)
    practice_records: list[PracticeRecord] = field(default_factory=list)

    @property
    def qualified(self) -> bool:
        """未查询到医师资格信息 when False: no certificate and no passing exam result."""
        return bool(self.certificates or self.passed_exams)

    @property
    def registered(self) -> bool:
        """未查询到医师执业注册信息 when False."""
        return bool(self.practice_records)

    @property
    def passed(self) -> bool:
        """ACC-3: the check passes on a qualification or a practice record."""
        return self.qualified or self.registered

    @property
    def valid_records(self) -> list[PracticeRecord]:
        return [r for r in self.practice_records if r.state == PracticeRecord.State.VALID]


def doctor_records(user: User) -> DoctorRecords:
    """The records matching the account's name *and* ID number (4 queries; none without an ID number)."""
    digest = user.id_number_digest
    if not digest:
        return DoctorRecords()
    name = user.real_name
    return DoctorRecords(
        certificates=list(QualificationCertificate.objects.filter(id_number_digest=digest, real_name=name)),
        passed_exams=list(
            ExamResult.objects.filter(id_number_digest=digest, real_name=name, passed=True).select_related(
                "exam_category"
            )
        ),
        practice_records=practice_records_for(user),
    )


def practice_records_for(user: User) -> list[PracticeRecord]:
    """执业信息: the account's practice records (name and ID number both match), valid first (2 queries)."""
    if not user.id_number_digest:
        return []
    return list(practice_records_for_digest(user.id_number_digest).filter(real_name=user.real_name))


def assessments_for(user: User) -> list[AssessmentResult]:
    """考核信息 (REG-10): the doctor's periodic assessment results, newest cycle first (1 query)."""
    if not user.id_number_digest:
        return []
    return list(AssessmentResult.objects.filter(id_number_digest=user.id_number_digest).order_by("-cycle"))


@dataclass(frozen=True)
class ActivationRoute:
    """ACC-5: the one path (a, b or c) that applies to a doctor now, and for path a where to ask for the code."""

    path: (
        str | None
    )  # ActivationPath.INSTITUTION_CODE, CERTIFICATE, ADMISSION_TICKET; None: no record allows one
    institution: object = None  # path a: the main institution of the valid practice record

    @property
    def paths(self) -> list[str]:
        """Every path open to this doctor: this one, and ACC-5d (an approved 注册/变更) always."""
        return [*([self.path] if self.path else []), ActivationPath.APPROVAL.value]


def activation_route_for(*, user: User, records: DoctorRecords | None = None) -> ActivationRoute:
    """Seed 002 FAQ: a valid registration → the institution's code; else the certificate; else the ticket."""
    records = doctor_records(user) if records is None else records
    if valid := records.valid_records:
        return ActivationRoute(ActivationPath.INSTITUTION_CODE.value, valid[0].main_institution)
    if records.certificates:
        return ActivationRoute(ActivationPath.CERTIFICATE.value)
    if records.passed_exams:
        return ActivationRoute(ActivationPath.ADMISSION_TICKET.value)
    return ActivationRoute(None)


@dataclass
class NextStep:
    label: str
    url: str
    reason: str


def activation_next_step(user: User) -> NextStep | None:
    """For a doctor who is not activated yet: what to do next, and why (None when activated)."""
    if not user.is_doctor or user.is_activated:
        return None
    if user.checked_at is None:
        return NextStep(_("医师信息校验"), reverse("accounts:check"), _("您的账户尚未通过医师信息校验。"))
    if not (user.phone_verified or user.email_verified):
        return NextStep(
            _("验证手机"), reverse("accounts:verify_phone"), _("激活账户前需要验证您的手机号码（或邮箱）。")
        )
    return NextStep(
        _("激活我的账户"), reverse("accounts:activation"), _("您的账户尚未激活，激活后才能使用全部功能。")
    )


def officer_list_for(*, user) -> QuerySet[User]:
    """Officer accounts of the institutions in the reviewer's scope; never reviewers or doctors."""
    officers = User.objects.filter(role=User.Role.OFFICER)
    qs = within_reach(officers, user=user, region_code_field="institution__region__code")
    return User.objects.none() if qs is None else qs


def user_list_for(*, user) -> QuerySet[User]:
    """All accounts for a superuser; a reviewer only the officer accounts in scope; nobody else any."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return User.objects.all()
    return officer_list_for(user=user)


def activation_code_list_for(*, user) -> QuerySet[ActivationCode]:
    """INS-4 codes of the institutions in the user's scope (none for anyone without a scope)."""
    return ActivationCode.objects.filter(institution__in=institution_list_for(user=user))


def activation_issuable_doctor_list_for(*, user) -> QuerySet[User]:
    """Checked, not yet activated doctors whose valid record's main institution is in the user's scope."""
    records = PracticeRecord.objects.filter(
        state=PracticeRecord.State.VALID,
        main_institution__in=institution_list_for(user=user),
        id_number_digest=OuterRef("id_number_digest"),
        real_name=OuterRef("real_name"),
    )
    return (
        User.objects.filter(role=User.Role.DOCTOR, activated_at__isnull=True, checked_at__isnull=False)
        .exclude(id_number_digest="")
        .filter(Exists(records))
        .order_by("real_name", "pk")
    )


class AccountState:
    """医师账户状态 in the console's doctor lists (INS-5), as `with_account_state` annotates it."""

    ACTIVATED = "activated"
    UNACTIVATED = "unactivated"
    NONE = "none"
    LABELS = {ACTIVATED: _("已激活"), UNACTIVATED: _("未激活"), NONE: _("尚未注册账户")}


def with_account_state(queryset: QuerySet, *, record: str = "") -> QuerySet:
    """``account_state`` on each row: the doctor account matching the record's ID digest and name, if any.

    `record` is the path from the rows to their practice record ("record__" for filings). One subquery in
    the list's own query: the unique doctor account per ID digest makes it one row at most.
    """
    accounts = (
        User.objects.filter(
            role=User.Role.DOCTOR,
            id_number_digest=OuterRef(f"{record}id_number_digest"),
            real_name=OuterRef(f"{record}real_name"),
        )
        .exclude(id_number_digest="")
        .annotate(
            state=Case(
                When(activated_at__isnull=False, then=Value(AccountState.ACTIVATED)),
                default=Value(AccountState.UNACTIVATED),
            )
        )
        .values("state")[:1]
    )
    return queryset.annotate(
        account_state=Coalesce(Subquery(accounts, output_field=CharField()), Value(AccountState.NONE))
    )
