"""The rules of every business type in one place (REG-1 … REG-6): may this person file this now, and if not, why.

One answer serves three moments: the form before filing (every failed rule shown, in Chinese), the
submission, and the approval (records may have changed meanwhile). A rule is a function of a
``Context`` that returns a ``TransitionRefused`` (code, message, field) or None; ``RULES`` lists them
per business type. Rules marked ``person_only`` need nothing but the person and their records: the
guided start (智能引导) shows them before any form.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from docregsys.exceptions import TransitionRefused
from qualifications.models import ExamResult, QualificationCertificate

from .models import (
    OPEN_STATES,
    Application,
    ExtraLocation,
    Kind,
    MultiInstitutionFiling,
    PracticeRecord,
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


Rule = Callable[[Context], TransitionRefused | None]


@dataclass(frozen=True)
class RuleSpec:
    check: Rule
    person_only: bool = False  # needs only the person's records: shown by the guided start


def person_rule(check: Rule) -> RuleSpec:
    return RuleSpec(check, person_only=True)


def request_rule(check: Rule) -> RuleSpec:
    return RuleSpec(check)


# -------------------------------------------------------------------------------------------- shared


def one_open_per_kind(ctx: Context) -> TransitionRefused | None:
    """REG-5: one open application per doctor and type."""
    if any(app.kind == ctx.draft.kind for app in ctx.open_applications):
        return TransitionRefused(
            _("您已有一件“%(kind)s”业务正在办理中，请在“业务查询”中查看，办结或撤回后才能再次申请。")
            % {"kind": Kind(ctx.draft.kind).label},
            code="open_application_exists",
        )
    return None


def institution_required(ctx: Context) -> TransitionRefused | None:
    if ctx.draft.institution is None:
        return TransitionRefused(_("请选择执业机构。"), code="institution_required", field="institution")
    return None


# The rules of each type, in the order they are shown. Filled out per SPEC §6 / issue 10 in
# registrations.rules_by_kind; the shared ones come first for every type.
SHARED: list[RuleSpec] = [person_rule(one_open_per_kind)]
RULES: dict[str, list[RuleSpec]] = {kind: [] for kind in Kind.values}


def application_refusals(
    *, person: Person, draft: Draft, stage: str = SUBMIT, application_id: int | None = None
) -> list[TransitionRefused]:
    """Every rule of the draft's type that fails for this person now, in order (empty: may file)."""
    ctx = Context(person=person, draft=draft, stage=stage, application_id=application_id)
    specs = SHARED + RULES.get(draft.kind, [])
    if stage == GUIDE:
        specs = [spec for spec in specs if spec.person_only]
    refusals = []
    for spec in specs:
        refusal = spec.check(ctx)
        if refusal is not None:
            refusals.append(refusal)
    return refusals
