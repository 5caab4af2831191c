"""智能引导: 业务申请 opens with a few questions (what do you want to do? where? at which institution?) that lead
to the right business type and show, before any form, the rules that apply to this doctor and the
province's materials list (REG-2, SPEC §12)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from docregsys.exceptions import TransitionRefused
from docregsys.reference.models import Level

from .materials import materials_for
from .models import Kind, PracticeRecord
from .rules import (
    GUIDE,
    Context,
    Draft,
    Person,
    application_refusals,
    location_code_for,
    location_for,
    province_code,
    training_needed,
)

# What the doctor wants (the first question), in the words a doctor uses, and the type it usually is.
WANTS = (
    ("practise", _("我要在一家医疗机构执业（首次注册或重新注册）"), Kind.REGISTER),
    ("upgrade", _("我已取得执业医师资格，要由执业助理医师升为执业医师"), Kind.UPGRADE),
    ("change", _("我要变更执业地点、执业范围、执业类别或主要执业机构"), Kind.CHANGE),
    ("also", _("我要在主要执业机构以外的机构执业（多执业机构备案）"), Kind.FILING),
    ("stop_also", _("我要取消在其他机构的多执业机构备案"), Kind.FILING_CANCEL),
    ("deregister", _("我要注销执业注册"), Kind.DEREGISTER),
    ("military_in", _("我是军队医师，要到地方医疗机构执业"), Kind.MILITARY_IN),
    ("to_military", _("我要变更到军队"), Kind.TO_MILITARY),
    ("cancel_location", _("我要取消原“多地点执业”"), Kind.LOCATION_CANCEL),
    ("reissue", _("我的执业证书遗失或损毁，要补办"), Kind.REISSUE),
    ("e_certificate", _("我要申领电子证照"), Kind.E_CERTIFICATE),
)

# Business that must be handled in person (seed 002 §2.4): explained, not offered.
IN_PERSON = (
    _("补录老人资格。"),
    _("港澳台医师内地资格认定。"),
    _("港澳台医师内地短期行医。"),
    _("外国医师内地短期行医。"),
)


@dataclass
class Guidance:
    """The guided start's answer: the type to file, why, what stands in the way, what to bring.

    ``also`` lists other types worth considering (e.g. 多执业机构备案 next to 变更); ``requirements``
    what the form will ask for in this doctor's case (REG-6's training certificate).
    """

    kind: str
    why: str = ""
    refusals: list[TransitionRefused] = field(default_factory=list)
    materials: list[str] = field(default_factory=list)
    also: list[str] = field(default_factory=list)
    requirements: list[str] = field(default_factory=list)

    @property
    def may_file(self) -> bool:
        return not self.refusals


def _best_qualification(ctx: Context):
    """The qualification a new registration would use: a 执业医师 one before an assistant's, newest first."""
    held = sorted(ctx.qualifications, key=lambda q: (q.level == Level.PHYSICIAN, q.obtained_on), reverse=True)
    return held[0] if held else None


def _redirect(ctx: Context, want_kind: str, institution) -> tuple[str, str, list[str]]:
    """What the doctor's records make of "practise at `institution`" (REG-1, SPEC §12): (type, why, also)."""
    valid = ctx.valid_records
    assistant = next((r for r in valid if r.level == Level.ASSISTANT), None)
    if want_kind == Kind.UPGRADE and assistant is not None and institution is not None:
        if institution.pk != assistant.main_institution_id:
            return (
                Kind.CHANGE,
                str(
                    _(
                        "升为执业医师的同时更换主要执业机构，属于“变更”业务（执业类别、主要执业机构和执业范围都不变时才是“助理医师升执业医师”）。"
                    )
                ),
                [],
            )
        return want_kind, "", []
    if (
        want_kind == Kind.REGISTER
        and not valid
        and any(r.state == PracticeRecord.State.MILITARY for r in ctx.records)
    ):
        return (
            Kind.MILITARY_IN,
            str(_("您的执业注册在军队：到地方医疗机构执业，请办理“军队变更入”。")),
            [],
        )
    if want_kind != Kind.REGISTER or not valid:
        return want_kind, "", []
    if assistant is not None:
        physician = ctx.holds(Level.PHYSICIAN, assistant.category)
        if physician is not None and (institution is None or institution.pk == assistant.main_institution_id):
            return (
                Kind.UPGRADE,
                str(
                    _(
                        "您持有有效的执业助理医师注册，并已取得同类别的执业医师资格：在原机构执业、类别和执业范围不变的，请办理“助理医师升执业医师”。"
                    )
                ),
                [Kind.CHANGE],
            )
        return (
            Kind.CHANGE,
            str(
                _("您持有有效的执业助理医师注册，执业助理医师只有一个执业地点：到其他机构执业请办理“变更”。")
            ),
            [],
        )
    if institution is None:
        return want_kind, "", []
    target = location_code_for(institution=institution, level=Level.PHYSICIAN)
    here = next((r for r in valid if province_code(r.location_id) == province_code(target)), None)
    if here is None:
        return (
            want_kind,
            str(_("执业医师可以在不同省份同时注册执业地点：您在该省还没有执业注册，请办理“注册”。")),
            [],
        )
    if here.main_institution_id == institution.pk:
        return (
            Kind.CHANGE,
            str(
                _("“%(inst)s”已是您在该省的主要执业机构。要改变执业范围或执业类别，请办理“变更”。")
                % {"inst": institution.name}
            ),
            [],
        )
    return (
        Kind.FILING,
        str(
            _(
                "您在%(place)s已有执业注册，主要执业机构是“%(main)s”。一个执业地点只有一个主要执业机构："
                "要同时在“%(inst)s”执业，请办理“多执业机构备案”；要把主要执业机构换成它，请办理“变更”。"
            )
            % {"place": here.location.full_name, "main": here.main_institution.name, "inst": institution.name}
        ),
        [Kind.CHANGE],
    )


def guide_suggest(*, person: Person, want: str, institution=None) -> Guidance:
    """The business type for what the doctor wants (at `institution`, when given), with the rules that
    already fail for this doctor and the materials of the institution's province."""
    kinds = {key: kind for key, _label, kind in WANTS}
    wanted = kinds.get(want, Kind.REGISTER)
    probe = Context(person=person, draft=Draft(kind=wanted, institution=institution))
    kind, why, also = _redirect(probe, wanted, institution)
    draft = Draft(kind=kind, institution=institution)
    if kind in (Kind.REGISTER, Kind.MILITARY_IN):
        best = _best_qualification(probe)
        if best is not None:
            draft.level, draft.category = best.level, best.category
            draft.location = location_for(institution=institution, level=best.level)
    elif kind == Kind.UPGRADE:
        draft.level = Level.PHYSICIAN
    ctx = Context(person=person, draft=draft)
    refusals = application_refusals(person=person, draft=draft, stage=GUIDE)
    requirements = []
    reason = training_needed(ctx)
    if reason:
        requirements.append(str(_("%(why)s，提交时须上传《医师执业培训合格证书》。") % {"why": reason}))
    province = province_code(institution.region_id) if institution is not None else None
    return Guidance(
        kind=kind,
        why=why,
        refusals=refusals,
        materials=materials_for(province_code=province, kind=kind),
        also=also,
        requirements=requirements,
    )
