"""The rules of every business type in one place (REG-1 … REG-6): may this person file this now, and if not, why.

One answer serves three moments: the form before filing (every failed rule shown, in Chinese), the
submission, and the approval (records may have changed meanwhile). A rule is a function of a
``Context`` that returns a ``TransitionRefused`` (code, message, field) or None; ``RULES`` lists them
per business type. Rules marked ``person_only`` need nothing but the person and their records: the
guided start (智能引导) shows them before any form.

Readings chosen where the SPEC and the seeds leave room (each rule's docstring has the detail):

- 执业范围: one to three scopes (the national rule; the seeds are silent), all of the requested category.
- REG-6: "obtained" is the certificate's issue date, else the last day of the year obtained (or of the
  exam year); "practice ended" is the decision date of the approved application that ended the record,
  else the first history row after its last 有效 one; an imported record with no known end is not
  counted. Only 注册 (重新注册 included) asks for the training certificate.
- REG-10: 注销情形 04 needs the two latest assessment results both 不合格; 05 needs two whole cycles
  ended after the latest result; with no results neither is offered (``deregistration_reasons_for``).
- 变更 keeps the record's level and category when the draft leaves them blank, but names the scopes
  it wants (the full new set); level and category may only move to a qualification held.
- 多执业机构备案: inside the record's location (its province; its county for an assistant), scopes
  within the record's scopes.
- 取消备案 / 取消多地点: confirmed by the filing's (多地点's) institution or by the main institution.
- 注销, 证书补办, 申领电子证照, 注册备案: the record's main institution confirms (or files, INS-10).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from docregsys.exceptions import TransitionRefused
from docregsys.reference.models import Category, DeregistrationReason, Level, Region
from qualifications.models import AssessmentResult, ExamResult, QualificationCertificate

from .models import (
    OPEN_STATES,
    Application,
    Attachment,
    ExtraLocation,
    Kind,
    MultiInstitutionFiling,
    PracticeRecord,
    State,
)

# The stage a rule is checked at: before the form, on the form, at submission, at approval.
GUIDE, FORM, SUBMIT, APPROVE = "guide", "form", "submit", "approve"


@dataclass(frozen=True)
class Person:
    """Whom an application concerns: an account when there is one; always the name and the ID-number digest."""

    real_name: str
    id_number_digest: str
    user: object = None

    @classmethod
    def of_user(cls, user) -> Person:
        return cls(real_name=user.real_name, id_number_digest=user.id_number_digest, user=user)

    @classmethod
    def of_application(cls, application: Application) -> Person:
        """The person an application concerns: its doctor's account, else (INS-10) its name and digest."""
        if application.doctor_id:
            return cls.of_user(application.doctor)
        return cls(real_name=application.real_name, id_number_digest=application.id_number_digest)

    @classmethod
    def of_record(cls, record: PracticeRecord) -> Person:
        return cls(real_name=record.real_name, id_number_digest=record.id_number_digest)


@dataclass
class Draft:
    """The requested change of an application, typed per business type (the columns of ``Application``)."""

    kind: str
    institution: object = None  # the institution that confirms (for 变更 and 备案: the target)
    record: PracticeRecord | None = None
    level: str = ""
    category: str = ""
    location: object = None  # reference.Region
    scopes: list = field(default_factory=list)
    qualification: QualificationCertificate | None = None
    exam_result: ExamResult | None = None
    filing: MultiInstitutionFiling | None = None
    extra_location: ExtraLocation | None = None
    deregistration_reason: object = None
    filing_reason: object = None
    military_unit: str = ""
    new_institution_name: str = ""
    statement: str = ""
    attachment_kinds: frozenset = frozenset()

    COLUMNS = (
        "institution",
        "record",
        "level",
        "category",
        "location",
        "qualification",
        "exam_result",
        "filing",
        "extra_location",
        "deregistration_reason",
        "filing_reason",
        "military_unit",
        "new_institution_name",
        "statement",
    )

    @classmethod
    def of(cls, application: Application) -> Draft:
        """The draft an application holds (scopes and attachment kinds read from the database)."""
        return cls(
            kind=application.kind,
            scopes=list(application.scopes.all()) if application.pk else [],
            attachment_kinds=frozenset(application.attachments.values_list("kind", flat=True))
            if application.pk
            else frozenset(),
            **{name: getattr(application, name) for name in cls.COLUMNS},
        )

    def columns(self) -> dict:
        """The Application columns this draft sets (scopes and attachments are saved apart)."""
        return {name: getattr(self, name) for name in self.COLUMNS}


@dataclass
class Context:
    """What the rules read: the person, the draft, the stage, and the person's records (each read once)."""

    person: Person
    draft: Draft
    stage: str = SUBMIT
    application_id: int | None = None  # the application being checked (not a duplicate of itself)
    today: dt.date = field(default_factory=timezone.localdate)

    @cached_property
    def records(self) -> list[PracticeRecord]:
        """Every practice record of the person (name and ID-number digest), valid ones first."""
        if not self.person.id_number_digest:
            return []
        return list(
            PracticeRecord.objects.filter(
                id_number_digest=self.person.id_number_digest, real_name=self.person.real_name
            )
            .select_related("location", "main_institution", "authority")
            .prefetch_related("scopes")
            .order_by("-approval_date", "pk")
        )

    @cached_property
    def valid_records(self) -> list[PracticeRecord]:
        return [record for record in self.records if record.state == PracticeRecord.State.VALID]

    @cached_property
    def certificates(self) -> list[QualificationCertificate]:
        if not self.person.id_number_digest:
            return []
        return list(
            QualificationCertificate.objects.filter(
                id_number_digest=self.person.id_number_digest, real_name=self.person.real_name
            )
        )

    @cached_property
    def passed_exams(self) -> list[ExamResult]:
        if not self.person.id_number_digest:
            return []
        return list(
            ExamResult.objects.filter(
                id_number_digest=self.person.id_number_digest, real_name=self.person.real_name, passed=True
            ).select_related("exam_category")
        )

    @cached_property
    def open_applications(self) -> list[Application]:
        if not self.person.id_number_digest:
            return []
        qs = Application.objects.filter(id_number_digest=self.person.id_number_digest, state__in=OPEN_STATES)
        if self.application_id:
            qs = qs.exclude(pk=self.application_id)
        return list(qs)

    @cached_property
    def assessments(self) -> list[AssessmentResult]:
        """The person's periodic assessment results (REG-10), newest cycle first."""
        if not self.person.id_number_digest:
            return []
        return sorted(
            AssessmentResult.objects.filter(
                id_number_digest=self.person.id_number_digest, real_name=self.person.real_name
            ),
            key=lambda result: cycle_years(result.cycle) or (0, 0),
            reverse=True,
        )

    @cached_property
    def valid_filings(self) -> list[MultiInstitutionFiling]:
        """The valid 多执业机构备案 of the person's valid records."""
        ids = [record.pk for record in self.valid_records]
        if not ids:
            return []
        return list(
            MultiInstitutionFiling.objects.filter(record_id__in=ids, state=MultiInstitutionFiling.State.VALID)
            .select_related("institution", "record")
            .order_by("pk")
        )

    @cached_property
    def valid_extra_locations(self) -> list[ExtraLocation]:
        """The valid old-policy 多地点 of the person's valid records."""
        ids = [record.pk for record in self.valid_records]
        if not ids:
            return []
        return list(
            ExtraLocation.objects.filter(record_id__in=ids, state=ExtraLocation.State.VALID)
            .select_related("institution", "record")
            .order_by("pk")
        )

    @cached_property
    def qualifications(self) -> list[Qualification]:
        """Every qualification the person holds: certificates, and passing exam results (a new passer)."""
        held = [
            Qualification(
                level=certificate.level,
                category=certificate.category,
                obtained_on=certificate.issue_date or dt.date(certificate.year_obtained, 12, 31),
            )
            for certificate in self.certificates
        ]
        held += [
            Qualification(
                level=result.exam_category.level,
                category=result.exam_category.category,
                obtained_on=dt.date(result.year, 12, 31),
            )
            for result in self.passed_exams
        ]
        return held

    def holds(self, level: str, category: str) -> Qualification | None:
        """The earliest qualification of this level and category the person holds, or None."""
        matching = [q for q in self.qualifications if q.level == level and q.category == category]
        return min(matching, key=lambda q: q.obtained_on) if matching else None

    @cached_property
    def practice_ended_on(self) -> dict[int, dt.date | None]:
        """When each ended record (注销, 备案, 变更出, 失效) stopped being valid, None where nobody knows.

        The date is, first, the decision date of the approved application that ended it; else the date of
        the first history row after the record's last 有效 row. A record imported already ended (no 有效
        row in its history) has no known end date.
        """
        ended = [record for record in self.records if record.state in ENDED_STATES]
        if not ended:
            return {}
        ids = [record.pk for record in ended]
        dates: dict[int, dt.date | None] = dict.fromkeys(ids)
        state_of = {record.pk: record.state for record in ended}
        decided = Application.objects.filter(
            record_id__in=ids, state=State.APPROVED, decided_at__isnull=False, kind__in=set(ENDED_BY.values())
        ).values_list("record_id", "kind", "decided_at")
        for record_id, kind, decided_at in decided:
            if ENDED_BY.get(state_of[record_id]) != kind:
                continue  # e.g. a 证书补办 about the record, or a 变更 that left it valid back then
            day = timezone.localdate(decided_at)
            if dates[record_id] is None or day > dates[record_id]:
                dates[record_id] = day
        rows = (
            PracticeRecord.history.filter(id__in=[pk for pk in ids if dates[pk] is None])
            .order_by("id", "history_id")  # the order rows were written in
            .values_list("id", "state", "history_date")
        )
        last_valid: dict[int, bool] = {}
        for record_id, state, at in rows:
            if state == PracticeRecord.State.VALID:
                last_valid[record_id] = True
                dates[record_id] = None
            elif last_valid.get(record_id) and dates[record_id] is None:
                dates[record_id] = timezone.localdate(at)
        return dates


@dataclass(frozen=True)
class Qualification:
    """A qualification held: level, category and when it was obtained (certificate date, else the year's end)."""

    level: str
    category: str
    obtained_on: dt.date


Rule = Callable[[Context], TransitionRefused | None]


@dataclass(frozen=True)
class RuleSpec:
    check: Rule
    person_only: bool = False  # needs only the person's records: shown by the guided start


def person_rule(check: Rule) -> RuleSpec:
    """A rule of the person alone (their qualifications and records): the guided start shows it.

    It may read the draft's institution and level when the guide knows them, and passes when it does not.
    """
    return RuleSpec(check, person_only=True)


def request_rule(check: Rule) -> RuleSpec:
    return RuleSpec(check)


# ------------------------------------------------------------------------------------------- helpers

# Records that no longer give a right to practise, and whose end starts REG-6's two-year clock.
ENDED_STATES = (
    PracticeRecord.State.DEREGISTERED,
    PracticeRecord.State.FILED,
    PracticeRecord.State.TRANSFERRED_OUT,
    PracticeRecord.State.LAPSED,
)
# The business type whose approval puts a record in each ended state (its decision date is the end).
ENDED_BY = {
    PracticeRecord.State.DEREGISTERED: Kind.DEREGISTER,
    PracticeRecord.State.FILED: Kind.ARCHIVE,
    PracticeRecord.State.TRANSFERRED_OUT: Kind.CHANGE,
    PracticeRecord.State.LAPSED: Kind.UPGRADE,
}
# The national rule (关于医师执业注册中执业范围的暂行规定) lets a doctor register at most three scopes
# of one category; the seeds and SPEC are silent, so the national number holds.
MAX_SCOPES = 3
# REG-6: a qualification unused, or a break from practice, of this many years asks for training.
TRAINING_YEARS = 2
# REG-10: the 注销 reasons that rest on periodic assessment results.
REASON_FAILED_TWICE, REASON_MISSED_TWO_CYCLES = "04", "05"
NAME_PATTERN = re.compile(r"^[\u4e00-\u9fff0-9A-Za-z（）()·\-—]+$")
CJK = re.compile(r"[\u4e00-\u9fff]")


def province_code(region_code: str) -> str:
    """430102 → 430000."""
    return region_code[:2] + "0000"


def location_code_for(*, institution, level: str) -> str:
    """REG-1: a 执业医师's location is the institution's province, an assistant's its county."""
    if level == Level.ASSISTANT:
        return institution.region_id
    return province_code(institution.region_id)


def location_for(*, institution, level: str) -> Region | None:
    """The 执业地点 a registration at `institution` has (forms show it; they never ask for it)."""
    if institution is None:
        return None
    return Region.objects.filter(pk=location_code_for(institution=institution, level=level)).first()


def qualification_source_for(*, person: Person, level: str, category: str):
    """(certificate, exam result) a 注册 of this level and category rests on: the person's certificate
    when there is one, else their passing exam result (a new passer); forms put them on the draft."""
    ctx = Context(person=person, draft=Draft(kind=Kind.REGISTER))
    certificate = next((c for c in ctx.certificates if (c.level, c.category) == (level, category)), None)
    if certificate is not None:
        return certificate, None
    exam = next(
        (
            e
            for e in ctx.passed_exams
            if (e.exam_category.level, e.exam_category.category) == (level, category)
        ),
        None,
    )
    return None, exam


# The types that ask where to practise: their 执业地点 follows the institution and the level (REG-1), and the
# record the approval creates or changes carries the qualification they rest on.
HAS_LOCATION = (Kind.REGISTER, Kind.UPGRADE, Kind.CHANGE, Kind.MILITARY_IN)
RESTS_ON_QUALIFICATION = HAS_LOCATION
# The types confirmed by the main institution of the record they act on (filing and 多地点 cancellations:
# the institution of the filing / extra location).
ACTS_ON_RECORD = (Kind.DEREGISTER, Kind.TO_MILITARY, Kind.REISSUE, Kind.E_CERTIFICATE)


def draft_complete(
    draft: Draft, *, person: Person | None = None, given: frozenset | set = frozenset()
) -> Draft:
    """Fill in what the type implies and the doctor is never asked (the form and the API share this):
    the confirming institution of what the application acts on, the record's level, category and scopes
    for 升执业 / 变更 (unless `given`), the 执业地点, and (given the person) the qualification it rests on."""
    if draft.record is None:
        # A 取消备案 / 取消多地点 acts on the record the filing or the extra location belongs to.
        draft.record = getattr(draft.filing, "record", None) or getattr(draft.extra_location, "record", None)
    record = draft.record
    if record is not None and draft.kind not in (Kind.REGISTER, Kind.MILITARY_IN, Kind.UPGRADE, Kind.CHANGE):
        # The types acting on a record are of its level and category (routing reads the category).
        draft.level = draft.level or record.level
        draft.category = draft.category or record.category
    if record is not None and draft.kind in (Kind.UPGRADE, Kind.CHANGE):
        if "category" not in given and not draft.category:
            draft.category = record.category
        if "level" not in given and not draft.level:
            draft.level = Level.PHYSICIAN if draft.kind == Kind.UPGRADE else record.level
        if "scopes" not in given and not draft.scopes:
            draft.scopes = list(record.scopes.all())
        if "institution" not in given and draft.institution is None:
            draft.institution = record.main_institution
    if draft.kind == Kind.UPGRADE:
        draft.level = Level.PHYSICIAN
    if draft.institution is None:
        if draft.kind == Kind.FILING_CANCEL and draft.filing is not None:
            draft.institution = draft.filing.institution
        elif draft.kind == Kind.LOCATION_CANCEL and draft.extra_location is not None:
            draft.institution = draft.extra_location.institution
        elif draft.kind in ACTS_ON_RECORD and record is not None:
            draft.institution = record.main_institution
    if draft.kind in HAS_LOCATION:
        draft.location = (
            location_for(institution=draft.institution, level=draft.level) if draft.level else None
        )
    if person is not None and draft.kind in RESTS_ON_QUALIFICATION and draft.qualification is None:
        if draft.exam_result is None and draft.level and draft.category:
            draft.qualification, draft.exam_result = qualification_source_for(
                person=person, level=draft.level, category=draft.category
            )
    return draft


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def cycle_years(cycle: str) -> tuple[int, int] | None:
    """The years of an assessment cycle: "2021-2023" → (2021, 2023); None for anything else."""
    match = re.fullmatch(r"\s*(\d{4})\s*[-–—至]\s*(\d{4})\s*", cycle or "")
    if not match:
        return None
    start, end = int(match[1]), int(match[2])
    return (start, end) if start <= end else None


def _kind(ctx: Context) -> str:
    return Kind(ctx.draft.kind).label


def _level(ctx: Context) -> str:
    """The level the request is for: the draft's, else the record's (变更 keeps it unless asked)."""
    if ctx.draft.kind == Kind.UPGRADE:
        return Level.PHYSICIAN
    return ctx.draft.level or (ctx.draft.record.level if ctx.draft.record else "")


def _category(ctx: Context) -> str:
    """The category the request is for: the draft's, else the record's."""
    return ctx.draft.category or (ctx.draft.record.category if ctx.draft.record else "")


def _is_valid_record_of_person(ctx: Context, record) -> bool:
    return record is not None and any(record.pk == own.pk for own in ctx.valid_records)


def _same_area(record: PracticeRecord, location_code: str) -> bool:
    """Whether a record's location lies in the province of `location_code` (one province, one main institution)."""
    return province_code(record.location_id) == province_code(location_code)


# ------------------------------------------------------------------------------------------- shared


def one_open_per_kind(ctx: Context) -> TransitionRefused | None:
    """REG-5: one open application per doctor and type."""
    if any(app.kind == ctx.draft.kind for app in ctx.open_applications):
        return TransitionRefused(
            _("您已有一件“%(kind)s”业务正在办理中，请在“业务查询”中查看，办结或撤回后才能再次申请。")
            % {"kind": _kind(ctx)},
            code="open_application_exists",
        )
    return None


def institution_required(ctx: Context) -> TransitionRefused | None:
    """The confirming institution is chosen and still active."""
    institution = ctx.draft.institution
    if institution is None:
        return TransitionRefused(_("请选择执业机构。"), code="institution_required", field="institution")
    if not institution.is_active:
        return TransitionRefused(
            _("“%(inst)s”已停用，不能办理业务，请选择其他机构。") % {"inst": institution.name},
            code="institution_inactive",
            field="institution",
        )
    return None


def level_required(ctx: Context) -> TransitionRefused | None:
    if not _level(ctx):
        return TransitionRefused(_("请选择医师级别。"), code="level_required", field="level")
    return None


def category_required(ctx: Context) -> TransitionRefused | None:
    if not _category(ctx):
        return TransitionRefused(_("请选择医师类别。"), code="category_required", field="category")
    return None


def scopes_fit_category(ctx: Context) -> TransitionRefused | None:
    """执业范围: at least one, at most MAX_SCOPES, every one of the requested category."""
    scopes = ctx.draft.scopes
    if not scopes:
        return TransitionRefused(_("请选择执业范围。"), code="scopes_required", field="scopes")
    if len(scopes) > MAX_SCOPES:
        return TransitionRefused(
            _("执业范围最多选择%(n)d项，请减少后再提交。") % {"n": MAX_SCOPES},
            code="too_many_scopes",
            field="scopes",
        )
    category = _category(ctx)
    wrong = [scope.name for scope in scopes if category and scope.category != category]
    if wrong:
        return TransitionRefused(
            _("执业范围须属于医师资格的类别（%(category)s）：“%(scopes)s”不属于该类别，请重新选择。")
            % {"category": Category(category).label, "scopes": "、".join(wrong)},
            code="scope_wrong_category",
            field="scopes",
        )
    return None


def location_follows_institution(ctx: Context) -> TransitionRefused | None:
    """REG-1: the location is the institution's province (执业医师) or county (执业助理医师)."""
    institution, level = ctx.draft.institution, _level(ctx)
    if institution is None or not level:
        return None
    expected = location_code_for(institution=institution, level=level)
    location = ctx.draft.location
    if location is None or location.pk != expected:
        if level == Level.ASSISTANT:
            message = _("执业助理医师的执业地点是执业机构所在的县级行政区划，请按所选机构填写。")
        else:
            message = _("执业医师的执业地点是执业机构所在的省级行政区划，请按所选机构填写。")
        return TransitionRefused(message, code="location_mismatch", field="location")
    return None


def record_required(ctx: Context) -> TransitionRefused | None:
    """The record acted upon is one of the person's valid records."""
    record = ctx.draft.record
    if record is None:
        return TransitionRefused(_("请选择要办理业务的执业注册。"), code="record_required", field="record")
    if not _is_valid_record_of_person(ctx, record):
        return TransitionRefused(
            _("所选执业注册不是本人当前有效的执业注册（可能已变更、注销或备案），请重新选择。"),
            code="record_invalid",
            field="record",
        )
    return None


def has_valid_record(ctx: Context) -> TransitionRefused | None:
    if not ctx.valid_records:
        return TransitionRefused(
            _("您目前没有有效的执业注册，不能办理“%(kind)s”。如需执业，请先办理“注册”。")
            % {"kind": _kind(ctx)},
            code="no_valid_record",
        )
    return None


def confirmed_by_main_institution(ctx: Context) -> TransitionRefused | None:
    """注销, 证书补办, 申领电子证照, 注册备案: the record's main institution confirms (or files, INS-10)."""
    record, institution = ctx.draft.record, ctx.draft.institution
    if record is None or institution is None or not _is_valid_record_of_person(ctx, record):
        return None
    if institution.pk != record.main_institution_id:
        return TransitionRefused(
            _("“%(kind)s”须由该执业注册的主要执业机构（%(inst)s）办理，请选择该机构。")
            % {"kind": _kind(ctx), "inst": record.main_institution.name},
            code="not_main_institution",
            field="institution",
        )
    return None


def has_qualification(ctx: Context) -> TransitionRefused | None:
    if not ctx.qualifications:
        return TransitionRefused(
            _(
                "未查到您的医师资格（医师资格证书或考试合格成绩），不能申请执业注册。请核对姓名和身份证号；"
                "资格信息有误或缺失的，请按“医师资格信息修改及补录指南”办理。"
            ),
            code="no_qualification",
        )
    return None


def qualification_matches(ctx: Context) -> TransitionRefused | None:
    """The requested level and category are those of a qualification held (and a chosen one is the person's)."""
    level, category = _level(ctx), _category(ctx)
    if not level or not category or not ctx.qualifications:
        return None
    record = ctx.draft.record
    if record is not None and (record.level, record.category) == (level, category):
        return None  # 变更 within the record's own level and category: the record shows the qualification
    chosen = ctx.draft.qualification
    if chosen is not None and not any(chosen.pk == own.pk for own in ctx.certificates):
        return TransitionRefused(
            _("所选医师资格证书不是您本人的，请重新选择。"),
            code="qualification_not_yours",
            field="qualification",
        )
    exam = ctx.draft.exam_result
    if exam is not None and not any(exam.pk == own.pk for own in ctx.passed_exams):
        return TransitionRefused(
            _("所选考试成绩不是您本人的合格成绩，请重新选择。"),
            code="qualification_not_yours",
            field="qualification",
        )
    if ctx.holds(level, category) is None:
        return TransitionRefused(
            _("您没有%(category)s类别%(level)s的医师资格，不能按此级别和类别申请。请按所持医师资格选择。")
            % {"category": Category(category).label, "level": Level(level).label},
            code="qualification_mismatch",
            field="category",
        )
    return None


def training_needed(ctx: Context) -> str | None:
    """REG-6: why this 注册 needs the 医师执业培训合格证书, or None.

    Two readings, as seed 000 words them: the qualification (of the requested level and category) was
    obtained more than two years ago and the person never registered (obtained: the certificate's issue
    date, else the last day of the year it was obtained — the reading kindest to the doctor); or the
    person holds no valid record and two years or more have passed since the last record ended (see
    ``Context.practice_ended_on``; records with an unknown end date do not count). A military record
    is practice, not a break.
    """
    if ctx.draft.kind != Kind.REGISTER:
        return None
    if any(
        record.state in (PracticeRecord.State.VALID, PracticeRecord.State.MILITARY) for record in ctx.records
    ):
        return None
    if not ctx.records:
        qualification = ctx.holds(_level(ctx), _category(ctx))
        if qualification and add_years(qualification.obtained_on, TRAINING_YEARS) < ctx.today:
            return str(_("您取得医师资格已超过两年且从未注册"))
        return None
    known = [day for day in ctx.practice_ended_on.values() if day is not None]
    if known and add_years(max(known), TRAINING_YEARS) <= ctx.today:
        return str(_("您中止执业活动已满两年（%(date)s起）")) % {"date": max(known).isoformat()}
    return None


def training_certificate_attached(ctx: Context) -> TransitionRefused | None:
    """REG-6: the training certificate is attached when the case asks for it (shown on the form before)."""
    why = training_needed(ctx)
    if why and Attachment.Kind.TRAINING not in ctx.draft.attachment_kinds:
        return TransitionRefused(
            _("%(why)s，须上传《医师执业培训合格证书》（材料类型：医师执业培训合格证书）后才能提交。")
            % {"why": why},
            code="training_required",
            field="attachments",
        )
    return None


def _pointer(record: PracticeRecord) -> str:
    return str(
        _("您在%(place)s已有有效的执业注册（主要执业机构：%(inst)s）。")
        % {"place": record.location.full_name, "inst": record.main_institution.name}
    )


def location_free(ctx: Context) -> TransitionRefused | None:
    """REG-1 for 注册 and 军队变更入: one location, one main institution; an assistant holds one location only."""
    institution, level = ctx.draft.institution, _level(ctx)
    if institution is None:
        return None
    assistant_records = [r for r in ctx.valid_records if r.level == Level.ASSISTANT]
    if assistant_records and level in (Level.ASSISTANT, Level.PHYSICIAN):
        record = assistant_records[0]
        if level == Level.PHYSICIAN and record.main_institution_id == institution.pk:
            advice = _(
                "取得执业医师资格后，主要执业机构、类别和执业范围都不变的，请办理“助理医师升执业医师”。"
            )
        else:
            advice = _(
                "执业助理医师只有一个执业地点：要换机构或地点请办理“变更”，取得执业医师资格的请办理"
                "“助理医师升执业医师”或“变更”。"
            )
        return TransitionRefused(_pointer(record) + str(advice), code="assistant_already_registered")
    if not level:
        return None
    target = location_code_for(institution=institution, level=level)
    taken = [r for r in ctx.valid_records if _same_area(r, target)]
    if taken:
        return TransitionRefused(
            _pointer(taken[0])
            + str(
                _(
                    "一个执业地点只有一个主要执业机构：要更换主要执业机构请办理“变更”，"
                    "要同时在该机构执业请办理“多执业机构备案”。"
                )
            ),
            code="location_taken",
            field="institution",
        )
    return None


# ------------------------------------------------------------------------------------------- 助师升医师


def has_assistant_record(ctx: Context) -> TransitionRefused | None:
    if not any(r.level == Level.ASSISTANT for r in ctx.valid_records):
        return TransitionRefused(
            _("您没有有效的执业助理医师注册，不能办理“助理医师升执业医师”。"), code="no_assistant_record"
        )
    return None


def holds_physician_qualification(ctx: Context) -> TransitionRefused | None:
    assistants = [r for r in ctx.valid_records if r.level == Level.ASSISTANT]
    record = ctx.draft.record if ctx.draft.record in assistants else (assistants[0] if assistants else None)
    if record is None:
        return None
    if ctx.holds(Level.PHYSICIAN, record.category) is None:
        return TransitionRefused(
            _("未查到您%(category)s类别的执业医师资格。取得同类别的执业医师资格后才能升为执业医师。")
            % {"category": record.get_category_display()},
            code="no_physician_qualification",
        )
    return None


def record_is_assistant(ctx: Context) -> TransitionRefused | None:
    record = ctx.draft.record
    if record is not None and _is_valid_record_of_person(ctx, record) and record.level != Level.ASSISTANT:
        return TransitionRefused(
            _("所选执业注册已是执业医师注册，不需要办理“助理医师升执业医师”。"),
            code="record_not_assistant",
            field="record",
        )
    return None


def upgrade_keeps_institution_scope_category(ctx: Context) -> TransitionRefused | None:
    """SPEC §12 (seed 000): if the institution, category or scope differs from the assistant record, it is a 变更."""
    record, draft = ctx.draft.record, ctx.draft
    if record is None or not _is_valid_record_of_person(ctx, record) or record.level != Level.ASSISTANT:
        return None
    differs = []
    if draft.institution is not None and draft.institution.pk != record.main_institution_id:
        differs.append(str(_("主要执业机构")))
    if draft.category and draft.category != record.category:
        differs.append(str(_("执业类别")))
    if draft.scopes and {s.pk for s in draft.scopes} != {s.pk for s in record.scopes.all()}:
        differs.append(str(_("执业范围")))
    if differs:
        return TransitionRefused(
            _(
                "“助理医师升执业医师”要求执业类别、主要执业机构和执业范围都不变。您的申请改变了%(what)s，"
                "这属于“变更”业务，请改为办理“变更”。"
            )
            % {"what": "、".join(differs)},
            code="upgrade_is_change",
        )
    return None


# ------------------------------------------------------------------------------------------- 变更


def change_changes_something(ctx: Context) -> TransitionRefused | None:
    record, draft = ctx.draft.record, ctx.draft
    if record is None or not _is_valid_record_of_person(ctx, record) or draft.institution is None:
        return None
    changes = (
        draft.institution.pk != record.main_institution_id
        or _category(ctx) != record.category
        or _level(ctx) != record.level
        or (draft.location is not None and draft.location.pk != record.location_id)
        or (draft.scopes and {s.pk for s in draft.scopes} != {s.pk for s in record.scopes.all()})
    )
    if not changes:
        return TransitionRefused(
            _("申请内容与现有执业注册相同。请至少变更执业地点、执业范围、执业类别或主要执业机构中的一项。"),
            code="nothing_changes",
        )
    return None


def change_location_free(ctx: Context) -> TransitionRefused | None:
    """A 变更 into a province where the person holds another valid record would give it two main institutions."""
    record, institution, level = ctx.draft.record, ctx.draft.institution, _level(ctx)
    if record is None or institution is None or not level:
        return None
    target = location_code_for(institution=institution, level=level)
    taken = [r for r in ctx.valid_records if r.pk != record.pk and _same_area(r, target)]
    if taken:
        return TransitionRefused(
            _pointer(taken[0])
            + str(_("一个执业地点只有一个主要执业机构，请变更该执业注册，或选择其他省份的机构。")),
            code="location_taken",
            field="institution",
        )
    return None


# ------------------------------------------------------------------------------------------- 多执业机构备案


def filing_in_record_location(ctx: Context) -> TransitionRefused | None:
    """The other institution lies in the record's location, is not its main institution, has no valid filing."""
    record, institution = ctx.draft.record, ctx.draft.institution
    if record is None or institution is None or not _is_valid_record_of_person(ctx, record):
        return None
    if institution.pk == record.main_institution_id:
        return TransitionRefused(
            _("“%(inst)s”是您的主要执业机构，不需要备案。请选择主要执业机构以外的机构。")
            % {"inst": institution.name},
            code="filing_is_main",
            field="institution",
        )
    area = record.location_id if record.level == Level.ASSISTANT else province_code(record.location_id)
    prefix = area if record.level == Level.ASSISTANT else area[:2]
    if not institution.region_id.startswith(prefix):
        return TransitionRefused(
            _(
                "多执业机构备案只能在执业地点（%(place)s）内办理。要到其他地方执业，请办理“注册”（执业医师）"
                "或“变更”。"
            )
            % {"place": record.location.full_name},
            code="filing_wrong_location",
            field="institution",
        )
    if any(f.record_id == record.pk and f.institution_id == institution.pk for f in ctx.valid_filings):
        return TransitionRefused(
            _("您已在“%(inst)s”备案，不能重复备案。") % {"inst": institution.name},
            code="filing_exists",
            field="institution",
        )
    return None


def filing_scopes_within_record(ctx: Context) -> TransitionRefused | None:
    """A filing practises within the registration: its scopes are scopes of the record."""
    record = ctx.draft.record
    if record is None or not ctx.draft.scopes or not _is_valid_record_of_person(ctx, record):
        return None
    own = {s.pk for s in record.scopes.all()}
    outside = [s.name for s in ctx.draft.scopes if s.pk not in own]
    if outside:
        return TransitionRefused(
            _("备案的执业范围须在您注册的执业范围之内：“%(scopes)s”不在其中。要增加执业范围请先办理“变更”。")
            % {"scopes": "、".join(outside)},
            code="filing_scope_outside_record",
            field="scopes",
        )
    return None


# ------------------------------------------------------------------------------------------- 取消备案 / 多地点


def has_valid_filing(ctx: Context) -> TransitionRefused | None:
    if not ctx.valid_filings:
        return TransitionRefused(_("您没有有效的多执业机构备案，无需取消。"), code="no_valid_filing")
    return None


def filing_is_valid_own(ctx: Context) -> TransitionRefused | None:
    filing = ctx.draft.filing
    if filing is None:
        return TransitionRefused(_("请选择要取消的多执业机构备案。"), code="filing_required", field="filing")
    if not any(filing.pk == own.pk for own in ctx.valid_filings):
        return TransitionRefused(
            _("所选备案不是您本人有效的多执业机构备案（可能已取消），请重新选择。"),
            code="filing_invalid",
            field="filing",
        )
    return None


def has_extra_location(ctx: Context) -> TransitionRefused | None:
    if not ctx.valid_extra_locations:
        return TransitionRefused(
            _(
                "您没有按原多地点执业政策登记的有效执业地点，无需取消。多地点不能新增；要在其他机构执业，"
                "请办理“多执业机构备案”。"
            ),
            code="no_extra_location",
        )
    return None


def extra_location_is_valid_own(ctx: Context) -> TransitionRefused | None:
    """One old 多地点 per application, a valid one of the person's; nothing here ever adds one."""
    extra = ctx.draft.extra_location
    if extra is None:
        return TransitionRefused(
            _("请选择要取消的一个多地点执业机构（一次业务只能取消一个）。"),
            code="extra_location_required",
            field="extra_location",
        )
    if not any(extra.pk == own.pk for own in ctx.valid_extra_locations):
        return TransitionRefused(
            _("所选多地点不是您本人有效的多地点执业（可能已取消），请重新选择。"),
            code="extra_location_invalid",
            field="extra_location",
        )
    return None


def cancel_confirmed_by_involved_institution(ctx: Context) -> TransitionRefused | None:
    """取消备案 / 取消多地点: confirmed by the filing's (or 多地点's) institution or the main institution."""
    target = ctx.draft.filing or ctx.draft.extra_location
    institution = ctx.draft.institution
    if target is None or institution is None:
        return None
    allowed = {target.institution_id, target.record.main_institution_id}
    if institution.pk not in allowed:
        return TransitionRefused(
            _("请选择该备案所在的机构（%(inst)s）或您的主要执业机构确认。")
            % {"inst": target.institution.name},
            code="wrong_institution",
            field="institution",
        )
    return None


# ------------------------------------------------------------------------------------------- 注销 (REG-10)


def assessment_grounds(ctx: Context) -> set[str]:
    """The assessment-based 注销 reasons the person's results support (REG-10).

    04 (考核不合格，培训后再次考核仍不合格): the two most recent results both 不合格.
    05 (连续两个考核周期未参加): results exist, and two whole cycles (of the latest cycle's length) have
    ended since the latest one without a result. Without any result neither is offered: the data cannot
    show either ground, and the other reasons remain.
    """
    grounds = set()
    dated = [(cycle_years(r.cycle), r) for r in ctx.assessments if cycle_years(r.cycle)]
    if len(dated) >= 2 and all(r.result == AssessmentResult.Result.FAILED for _years, r in dated[:2]):
        grounds.add(REASON_FAILED_TWICE)
    if dated:
        (start, end), _latest = dated[0]
        length = end - start + 1
        if end + 2 * length < ctx.today.year:
            grounds.add(REASON_MISSED_TWO_CYCLES)
    return grounds


def deregistration_reason_given(ctx: Context) -> TransitionRefused | None:
    reason = ctx.draft.deregistration_reason
    if reason is None:
        return TransitionRefused(
            _("请选择注销情形。"), code="deregistration_reason_required", field="deregistration_reason"
        )
    on_assessment = reason.code in (REASON_FAILED_TWICE, REASON_MISSED_TWO_CYCLES)
    if on_assessment and reason.code not in assessment_grounds(ctx):
        if reason.code == REASON_FAILED_TWICE:
            message = _("定期考核记录中没有“考核不合格、培训后再次考核仍不合格”的结果，不能选择此注销情形。")
        else:
            message = _("定期考核记录不能表明连续两个考核周期未参加考核，不能选择此注销情形。")
        return TransitionRefused(message, code="assessment_not_shown", field="deregistration_reason")
    return None


def deregistration_reasons_for(*, person: Person):
    """The 注销情形 to offer: all ten, less 04 / 05 when the person's assessment results do not show them."""
    ctx = Context(person=person, draft=Draft(kind=Kind.DEREGISTER))
    hidden = {REASON_FAILED_TWICE, REASON_MISSED_TWO_CYCLES} - assessment_grounds(ctx)
    return DeregistrationReason.objects.exclude(code__in=hidden).order_by("order", "code")


# ------------------------------------------------------------------------------------------- 军队


def military_unit_given(ctx: Context) -> TransitionRefused | None:
    if not ctx.draft.military_unit.strip():
        return TransitionRefused(_("请填写军队单位。"), code="military_unit_required", field="military_unit")
    return None


def to_military_record(ctx: Context) -> TransitionRefused | None:
    """变更到军队: a chosen record is a valid one of the person's; the institution is one of their main ones."""
    record = ctx.draft.record
    if record is not None and not _is_valid_record_of_person(ctx, record):
        return TransitionRefused(
            _("所选执业注册不是本人当前有效的执业注册，请重新选择。"), code="record_invalid", field="record"
        )
    institution = ctx.draft.institution
    if institution is not None and ctx.valid_records:
        mains = {r.main_institution_id for r in ctx.valid_records}
        if institution.pk not in mains:
            return TransitionRefused(
                _("“变更到军队”须由您的主要执业机构确认，请选择您的主要执业机构。"),
                code="not_main_institution",
                field="institution",
            )
    return None


# ------------------------------------------------------------------------------------------- 机构 (INS-10)


def filing_reason_given(ctx: Context) -> TransitionRefused | None:
    if ctx.draft.filing_reason is None:
        return TransitionRefused(_("请选择备案情形。"), code="filing_reason_required", field="filing_reason")
    return None


def new_name_valid(ctx: Context) -> TransitionRefused | None:
    """机构更名变更: a Chinese name of at most 100 characters, different from the current one."""
    name = (ctx.draft.new_institution_name or "").strip()
    if not name:
        return TransitionRefused(
            _("请填写变更后的机构名称。"), code="new_name_required", field="new_institution_name"
        )
    if len(name) > 100:
        return TransitionRefused(
            _("机构名称不能超过100个字。"), code="too_long", field="new_institution_name"
        )
    if not NAME_PATTERN.match(name) or not CJK.search(name):
        return TransitionRefused(
            _("机构名称应为中文标准名称，只能含汉字、数字、字母和括号。"),
            code="new_name_invalid",
            field="new_institution_name",
        )
    if ctx.draft.institution is not None and name == ctx.draft.institution.name:
        return TransitionRefused(
            _("变更后的名称与现名称相同，请填写新的机构名称。"),
            code="new_name_same",
            field="new_institution_name",
        )
    return None


def one_open_rename(ctx: Context) -> TransitionRefused | None:
    """REG-5 for the institution: one open 机构更名变更 at a time."""
    institution = ctx.draft.institution
    if institution is None:
        return None
    others = Application.objects.filter(kind=Kind.RENAME, institution=institution, state__in=OPEN_STATES)
    if ctx.application_id:
        others = others.exclude(pk=ctx.application_id)
    if others.exists():
        return TransitionRefused(
            _("本机构已有一件“机构更名变更”正在办理中，办结或撤回后才能再次申请。"),
            code="open_application_exists",
        )
    return None


# The rules of each type, in the order they are shown; SHARED come first for every type.
SHARED: list[RuleSpec] = [person_rule(one_open_per_kind)]
_REQUEST = [
    request_rule(institution_required),
    request_rule(level_required),
    request_rule(category_required),
    request_rule(qualification_matches),
    request_rule(scopes_fit_category),
    request_rule(location_follows_institution),
]
RULES: dict[str, list[RuleSpec]] = {
    Kind.REGISTER: [
        person_rule(has_qualification),
        person_rule(location_free),
        *_REQUEST,
        request_rule(training_certificate_attached),
    ],
    Kind.UPGRADE: [
        person_rule(has_assistant_record),
        person_rule(holds_physician_qualification),
        request_rule(record_required),
        request_rule(record_is_assistant),
        request_rule(upgrade_keeps_institution_scope_category),
        *(spec for spec in _REQUEST if spec.check is not qualification_matches),  # held: a person rule above
    ],
    Kind.CHANGE: [
        person_rule(has_valid_record),
        request_rule(record_required),
        *_REQUEST,
        request_rule(change_changes_something),
        request_rule(change_location_free),
    ],
    Kind.FILING: [
        person_rule(has_valid_record),
        request_rule(record_required),
        request_rule(institution_required),
        request_rule(filing_in_record_location),
        request_rule(scopes_fit_category),
        request_rule(filing_scopes_within_record),
    ],
    Kind.FILING_CANCEL: [
        person_rule(has_valid_filing),
        request_rule(filing_is_valid_own),
        request_rule(institution_required),
        request_rule(cancel_confirmed_by_involved_institution),
    ],
    Kind.DEREGISTER: [
        person_rule(has_valid_record),
        request_rule(record_required),
        request_rule(institution_required),
        request_rule(confirmed_by_main_institution),
        request_rule(deregistration_reason_given),
    ],
    Kind.MILITARY_IN: [
        person_rule(has_qualification),
        person_rule(location_free),
        request_rule(military_unit_given),
        *_REQUEST,
    ],
    Kind.TO_MILITARY: [
        person_rule(has_valid_record),
        request_rule(institution_required),
        request_rule(to_military_record),
        request_rule(military_unit_given),
    ],
    Kind.LOCATION_CANCEL: [
        person_rule(has_extra_location),
        request_rule(extra_location_is_valid_own),
        request_rule(institution_required),
        request_rule(cancel_confirmed_by_involved_institution),
    ],
    Kind.REISSUE: [
        person_rule(has_valid_record),
        request_rule(record_required),
        request_rule(institution_required),
        request_rule(confirmed_by_main_institution),
    ],
    Kind.E_CERTIFICATE: [
        person_rule(has_valid_record),
        request_rule(record_required),
        request_rule(institution_required),
        request_rule(confirmed_by_main_institution),
    ],
    Kind.ARCHIVE: [
        request_rule(record_required),
        request_rule(institution_required),
        request_rule(confirmed_by_main_institution),
        request_rule(filing_reason_given),
    ],
    Kind.RENAME: [
        request_rule(institution_required),
        request_rule(one_open_rename),
        request_rule(new_name_valid),
    ],
}


def application_refusals(
    *, person: Person, draft: Draft, stage: str = SUBMIT, application_id: int | None = None
) -> list[TransitionRefused]:
    """Every rule of the draft's type that fails for this person now, in order (empty: may file).

    One refusal per field: a later rule about a field already refused is not shown (it would only
    repeat the first problem in other words).
    """
    ctx = Context(person=person, draft=draft, stage=stage, application_id=application_id)
    specs = SHARED + RULES.get(draft.kind, [])
    if stage == GUIDE:
        specs = [spec for spec in specs if spec.person_only]
    refusals = []
    refused_fields = set()
    for spec in specs:
        refusal = spec.check(ctx)
        if refusal is None or (refusal.field and refusal.field in refused_fields):
            continue
        refusals.append(refusal)
        if refusal.field:
            refused_fields.add(refusal.field)
    return refusals
