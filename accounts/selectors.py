"""Reads about a doctor's account: their records (ACC-3, ACC-8) and where activation stands (ACC-5)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Case, CharField, Exists, OuterRef, Prefetch, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from docregsys.identity.crypto import IdType
from docregsys.identity.validators import validate_resident_id
from docregsys.reference.models import PracticeScope, TreatmentSubject
from docregsys.reference.selectors import is_officer, within_reach
from institutions.selectors import institution_list_for
from qualifications.models import AssessmentResult, ExamResult, QualificationCertificate
from registrations.models import (
    OPEN_STATES,
    Application,
    ExtraLocation,
    MultiInstitutionFiling,
    PracticeRecord,
)
from registrations.selectors import (
    application_list_for,
    practice_record_list_for,
    practice_records_for_digest,
)

from .models import ActivationCode, ActivationPath, Question, User


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


# ACC-5d: the business a doctor from a region without e-registration may file before activation.
PATH_D_KINDS = ("register", "change")


def may_file_before_activation(user) -> bool:
    """ACC-5d: an unactivated doctor who passed the qualification check (医师信息校验) and holds no valid practice
    registration here may file 注册 and 变更 now; the approval activates the account.

    A doctor from a region without e-registration has nothing here an institution could issue a code for
    (path a); whatever else our records hold (a certificate, a passing result, a registration that ended),
    path d is open beside b and c, as the activation page says (``ActivationRoute.paths``): the demo's
    zhaoxue01 holds a 西藏 certificate and files 注册 at once. Whether the filing succeeds is the rules'
    answer. Remembered on the user object for the request (the menu asks on every page).
    """
    cached = getattr(user, "_may_file_before_activation", None)
    if cached is not None:
        return cached
    answer = bool(
        getattr(user, "is_doctor", False)
        and not user.is_superuser
        and not user.is_activated
        and user.checked_at is not None
        and user.id_number_digest
        and activation_route_for(user=user).path != ActivationPath.INSTITUTION_CODE
    )
    user._may_file_before_activation = answer
    return answer


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


# ------------------------------------------------------------------ the console's doctor accounts (INS-4, INS-9)


def doctor_account_list_for(*, user) -> QuerySet[User]:
    """An officer's doctors: accounts whose name + ID number match a valid practice record with the officer's
    institution as main institution (activated or not); none for anyone else. One query, with the latest
    activation code this institution issued to each (``code_*``) and the matching record's id (``record_id``).
    """
    if not is_officer(user):
        return User.objects.none()
    records = PracticeRecord.objects.filter(
        state=PracticeRecord.State.VALID,
        main_institution_id=user.institution_id,
        id_number_digest=OuterRef("id_number_digest"),
        real_name=OuterRef("real_name"),
    )
    latest = ActivationCode.objects.filter(
        doctor=OuterRef("pk"), institution_id=user.institution_id
    ).order_by("-created_at", "-pk")
    return (
        User.objects.filter(role=User.Role.DOCTOR)
        .exclude(id_number_digest="")
        .filter(Exists(records))
        .annotate(
            record_id=Subquery(records.order_by("-approval_date", "pk").values("pk")[:1]),
            code_value=Subquery(latest.values("code")[:1]),
            code_created_at=Subquery(latest.values("created_at")[:1]),
            code_expires_at=Subquery(latest.values("expires_at")[:1]),
            code_used_at=Subquery(latest.values("used_at")[:1]),
        )
        .order_by("real_name", "pk")
    )


def mask_activation_code(code: str | None) -> str:
    """5P...K: enough to tell two codes apart on the phone, useless to anyone who reads the screen."""
    if not code:
        return ""
    return f"{code[:2]}...{code[-1:]}"


@dataclass
class ActivationRow:
    """One line of 医师账户激活 (INS-4): the doctor, their latest code (masked) and what the officer may do."""

    doctor: User
    code_masked: str
    code_created_at: object
    issuable: bool  # the 生成激活码 button: activation_code_issue_refusal would allow it
    state: str  # 操作 column text when there is no button (and beside 重新生成)
    outstanding: bool  # an unused, unexpired code is out: the button reads 重新生成激活码

    @property
    def checked_label(self) -> str:
        return str(_("资格已验证") if self.doctor.checked_at else _("未验证"))

    @property
    def activated_label(self) -> str:
        return str(_("已激活") if self.doctor.is_activated else _("未激活"))


def activation_rows(doctors, *, now=None) -> list[ActivationRow]:
    """The rows of the INS-4 table for doctors from `doctor_account_list_for` (no query of its own)."""
    now = now or timezone.now()
    rows = []
    for doctor in doctors:
        code = getattr(doctor, "code_value", None)
        outstanding = bool(code) and doctor.code_used_at is None and doctor.code_expires_at > now
        issuable = (
            not doctor.is_activated
            and doctor.checked_at is not None
            and (doctor.phone_verified or doctor.email_verified)
        )
        if doctor.is_activated:
            state = _("正常激活")
        elif doctor.checked_at is None:
            state = _("尚未通过医师信息校验")
        elif not issuable:
            state = _("医师尚未验证手机或邮箱")
        elif outstanding:
            state = _("激活码已发送到手机") if doctor.phone_verified else _("激活码已发送到邮箱")
        elif code:
            state = _("激活码已失效")
        else:
            state = _("尚未发送")
        rows.append(
            ActivationRow(
                doctor=doctor,
                code_masked=mask_activation_code(code),
                code_created_at=getattr(doctor, "code_created_at", None),
                issuable=issuable,
                state=str(state),
                outstanding=outstanding,
            )
        )
    return rows


def doctor_account_records(doctors) -> dict[int, PracticeRecord]:
    """The valid record here of each doctor (by user pk) with its scopes: 2 queries for a whole page."""
    ids = {d.record_id: d.pk for d in doctors if getattr(d, "record_id", None)}
    records = PracticeRecord.objects.filter(pk__in=ids).prefetch_related(
        Prefetch("scopes", queryset=PracticeScope.objects.order_by("order", "code"))
    )
    return {ids[r.pk]: r for r in records}


def department_member_list_for(*, user) -> QuerySet[PracticeRecord]:
    """INS-3 本院医师所在科室信息维护: the institution's valid records, each with its doctor's account state.

    ``has_account`` and ``activated`` are subqueries (an account with the record's name and ID number), so
    a page of rows costs the same few queries however many rows it has.
    """
    doctors = User.objects.filter(
        role=User.Role.DOCTOR, id_number_digest=OuterRef("id_number_digest"), real_name=OuterRef("real_name")
    )
    return (
        practice_record_list_for(user=user)
        .filter(state=PracticeRecord.State.VALID)
        .annotate(
            has_account=Exists(doctors),
            activated=Exists(doctors.filter(activated_at__isnull=False)),
        )
        .select_related("department")
        .prefetch_related(
            Prefetch("scopes", queryset=PracticeScope.objects.order_by("order", "code")),
            Prefetch("department__subjects", queryset=TreatmentSubject.objects.order_by("code")),
        )
        .order_by("real_name", "pk")
    )


def department_record_for(user: User) -> PracticeRecord | None:
    """我的科室: the doctor's valid record whose main institution's departments they pick from (2 queries)."""
    for record in practice_records_for(user):
        if record.state == PracticeRecord.State.VALID:
            return record
    return None


def question_list_for(*, user) -> QuerySet[Question]:
    """INS-12 questions: a doctor's or officer's own; a reviewer's region's; all for superusers; else none."""
    qs = Question.objects.select_related("asker__institution", "region").order_by("-created_at", "-pk")
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    if not user.is_superuser and (user.is_doctor or user.is_officer):
        return qs.filter(asker=user)
    scoped = within_reach(qs, user=user, region_code_field="region__code")
    return qs.none() if scoped is None else scoped


# ---------------------------------------------------------------- 基本信息 (ACC-8) and 信息维护 (REG-8)


@dataclass
class BasicInfo:
    """基本信息 of seed 002 §2.1: the valid practice record's values, then the qualification certificate's."""

    sex: str = ""
    birth_date: object = None
    ethnicity: str = ""
    education: str = ""
    school: str = ""
    major: str = ""
    title: str = ""
    practice_certificate_number: str = ""
    photo: str = ""  # private storage name of the approved photo (REG-8)
    record: PracticeRecord | None = None  # the valid record the values come from


def main_certificate(records: DoctorRecords) -> QualificationCertificate | None:
    """The certificate the valid registration rests on, else the most recent one."""
    if not records.certificates:
        return None
    linked = {r.qualification_number for r in records.valid_records if r.qualification_number}
    for certificate in records.certificates:
        if certificate.number in linked:
            return certificate
    return max(records.certificates, key=lambda c: (c.year_obtained, c.number))


def doctor_basic_info(user: User, records: DoctorRecords) -> BasicInfo:
    """What 首页 and 信息维护 show: sex and birth date from the resident ID, the rest from the records."""
    info = BasicInfo()
    if user.id_type == IdType.RESIDENT and user.id_number_cipher:
        try:
            resident = validate_resident_id(user.id_number)
        except ValidationError:
            resident = None
        if resident is not None:
            info.sex = str(_("男") if resident.sex == "M" else _("女"))
            info.birth_date = resident.birth_date
    certificate = main_certificate(records)
    if certificate is not None:
        info.school, info.major = certificate.school, certificate.major
    valid = records.valid_records
    if valid:
        record = info.record = valid[0]
        info.practice_certificate_number = record.certificate_number
        info.ethnicity, info.education, info.title, info.photo = (
            record.ethnicity,
            record.education,
            record.title,
            record.photo,
        )
        info.school = record.school or info.school
        info.major = record.major or info.major
    return info


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


# ---------------------------------------------------------------- 业务申请 and 业务查询 (REG-2 … REG-9)


def applicant_valid_records(user: User) -> QuerySet[PracticeRecord]:
    """The doctor's valid practice records (name and ID number both match): what an application acts on."""
    if not user.id_number_digest:
        return PracticeRecord.objects.none()
    return (
        PracticeRecord.objects.filter(
            id_number_digest=user.id_number_digest, real_name=user.real_name, state=PracticeRecord.State.VALID
        )
        .select_related("location", "main_institution")
        .order_by("-approval_date", "pk")
    )


def applicant_filings(user: User) -> QuerySet[MultiInstitutionFiling]:
    """The doctor's valid 多执业机构备案 (what 多执业机构取消备案 may cancel)."""
    if not user.id_number_digest:
        return MultiInstitutionFiling.objects.none()
    return MultiInstitutionFiling.objects.filter(
        record__id_number_digest=user.id_number_digest,
        record__real_name=user.real_name,
        state=MultiInstitutionFiling.State.VALID,
    ).select_related("institution", "record__location")


def applicant_extra_locations(user: User) -> QuerySet[ExtraLocation]:
    """The doctor's valid old-policy 多地点 (what 取消多地点 may cancel, one per application)."""
    if not user.id_number_digest:
        return ExtraLocation.objects.none()
    return ExtraLocation.objects.filter(
        record__id_number_digest=user.id_number_digest,
        record__real_name=user.real_name,
        state=ExtraLocation.State.VALID,
    ).select_related("institution", "location")


def applications_of(user: User) -> QuerySet[Application]:
    """业务查询: the doctor's applications (their own and what an institution filed about them), newest first,
    with what the list shows (one query per page)."""
    return (
        application_list_for(user=user)
        .select_related("institution", "authority")
        .order_by("-created_at", "-pk")
    )


def open_application_count(user: User) -> int:
    """首页's notice: how many of the doctor's applications are still being handled (1 query)."""
    return application_list_for(user=user).filter(state__in=OPEN_STATES).count()
