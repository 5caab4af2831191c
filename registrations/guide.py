"""智能引导: 业务申请 opens with a few questions (what do you want to do? where? at which institution?) that lead
to the right business type and show, before any form, the rules that apply to this doctor and the
province's materials list (REG-2, SPEC §12)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from docregsys.exceptions import TransitionRefused

from .materials import materials_for
from .models import Kind
from .rules import GUIDE, Draft, Person, application_refusals

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
    """The guided start's answer: the type to file, why, what stands in the way, what to bring."""

    kind: str
    why: str = ""
    refusals: list[TransitionRefused] = field(default_factory=list)
    materials: list[str] = field(default_factory=list)

    @property
    def may_file(self) -> bool:
        return not self.refusals


def guide_suggest(*, person: Person, want: str, institution=None) -> Guidance:
    """The business type for what the doctor wants (at `institution`, when given), with the rules that
    already fail for this doctor and the materials of the institution's province."""
    kinds = {key: kind for key, _label, kind in WANTS}
    kind = kinds.get(want, Kind.REGISTER)
    draft = Draft(kind=kind, institution=institution)
    refusals = application_refusals(person=person, draft=draft, stage=GUIDE)
    province = institution.region_id[:2] + "0000" if institution is not None else None
    return Guidance(kind=kind, refusals=refusals, materials=materials_for(province_code=province, kind=kind))
