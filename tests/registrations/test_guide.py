"""REG-2 智能引导: what the doctor wants, where, at which institution → the right type, the rules that already
fail for this doctor, what the form will ask for, and the province's materials list (SPEC §12)."""

import pytest
from django.utils import timezone

from docregsys.reference.models import Level
from registrations.guide import IN_PERSON, WANTS, guide_suggest
from registrations.materials import DEFAULTS
from registrations.models import Kind, MaterialList
from registrations.rules import Person
from registrations.services.applications import application_file
from tests.applications import new_passer, registered_doctor, registration_draft
from tests.factories import DoctorFactory

from .rules_support import certificate_for

pytestmark = pytest.mark.django_db


def suggest(doctor, want="practise", institution=None):
    return guide_suggest(person=Person.of_user(doctor), want=want, institution=institution)


def codes(guidance) -> list[str]:
    return [refusal.code for refusal in guidance.refusals]


def test_a_new_passer_is_led_to_a_registration_with_the_materials(x):
    """A new passer who wants to practise at X: 注册, nothing in the way, the default materials."""
    guidance = suggest(new_passer(), institution=x)
    assert guidance.kind == Kind.REGISTER and guidance.may_file
    assert guidance.materials == [str(item) for item in DEFAULTS[Kind.REGISTER]]
    assert guidance.requirements == []


def test_the_provinces_own_materials_list_wins(x, regions):
    """SPEC §12: a province's configured list replaces the default."""
    MaterialList.objects.create(
        province=regions["province"], kind=Kind.REGISTER, items="申请审核表\n身份证原件\n"
    )
    assert suggest(new_passer(), institution=x).materials == ["申请审核表", "身份证原件"]


def test_a_physician_at_another_institution_of_the_province_is_led_to_a_filing(x, y):
    """REG-1: one main institution per location → 多执业机构备案, with 变更 as the other way."""
    doctor, _record = registered_doctor(at=x)
    guidance = suggest(doctor, institution=y)
    assert guidance.kind == Kind.FILING and guidance.also == [Kind.CHANGE]
    assert "主要执业机构是“芙蓉医院”" in guidance.why and "“多执业机构备案”" in guidance.why
    assert guidance.may_file


def test_a_physician_in_another_province_registers_there(x, jiangan):
    """REG-1: a 执业医师 may register in several provinces."""
    doctor, _record = registered_doctor(at=x)
    guidance = suggest(doctor, institution=jiangan)
    assert guidance.kind == Kind.REGISTER and guidance.may_file
    assert "不同省份" in guidance.why


def test_a_physician_at_their_own_main_institution_is_led_to_a_change(x):
    """Already registered there: what is left is a 变更 of scope or category."""
    doctor, _record = registered_doctor(at=x)
    guidance = suggest(doctor, institution=x)
    assert guidance.kind == Kind.CHANGE and "已是您在该省的主要执业机构" in guidance.why


def test_an_assistant_with_a_physician_qualification_at_the_same_institution_upgrades(x):
    """助理医师升执业医师: same institution (category and scope on the form)."""
    doctor, _record = registered_doctor(at=x, level=Level.ASSISTANT)
    certificate_for(doctor, level=Level.PHYSICIAN, obtained=2024)
    guidance = suggest(doctor, institution=x)
    assert guidance.kind == Kind.UPGRADE and guidance.may_file
    assert guidance.also == [Kind.CHANGE]


def test_an_assistant_upgrading_at_another_institution_is_led_to_a_change(x, y):
    """SPEC §12: a new main institution makes the upgrade a 变更."""
    doctor, _record = registered_doctor(at=x, level=Level.ASSISTANT)
    certificate_for(doctor, level=Level.PHYSICIAN, obtained=2024)
    assert suggest(doctor, institution=y).kind == Kind.CHANGE
    guidance = suggest(doctor, want="upgrade", institution=y)
    assert guidance.kind == Kind.CHANGE and "属于“变更”业务" in guidance.why


def test_an_assistant_without_a_physician_qualification_elsewhere_changes(x, y):
    """An assistant holds one location: another institution is a 变更."""
    doctor, _record = registered_doctor(at=x, level=Level.ASSISTANT)
    assert suggest(doctor, institution=y).kind == Kind.CHANGE


def test_a_doctor_from_the_army_is_led_to_military_in(x):
    """军队变更入: the person's record is in the army."""
    from registrations.models import PracticeRecord

    from .rules_support import record_for

    doctor, record = registered_doctor(at=x)
    PracticeRecord.objects.filter(pk=record.pk).update(state=PracticeRecord.State.MILITARY)
    guidance = suggest(doctor, institution=x)
    assert guidance.kind == Kind.MILITARY_IN and guidance.may_file
    assert record_for  # the builder other tests use for such records


def test_a_person_without_a_qualification_sees_why_before_any_form(x):
    """The guided start shows the failing person rules."""
    doctor = DoctorFactory(activated=True, real_name="钱无", id_number="430102199001011234")
    guidance = suggest(doctor, institution=x)
    assert codes(guidance) == ["no_qualification"] and not guidance.may_file


def test_the_guided_start_names_the_training_certificate_when_reg6_applies(x):
    """REG-6 is shown as a requirement (the attachment cannot exist yet), not as a refusal."""
    doctor = new_passer(year=timezone.localdate().year - 3)
    guidance = suggest(doctor, institution=x)
    assert guidance.may_file
    assert "医师执业培训合格证书" in guidance.requirements[0]


def test_an_open_application_of_the_type_is_shown(x, jiangan):
    """REG-5 at the guided start."""
    doctor = new_passer()
    application_file(doctor=doctor, draft=registration_draft(institution=x))
    assert codes(suggest(doctor, institution=jiangan)) == ["open_application_exists"]


@pytest.mark.parametrize(("want", "kind"), [(key, kind) for key, _label, kind in WANTS])
def test_every_want_leads_to_its_type_without_an_institution(want, kind, regions):
    """Without an institution (or records that redirect), each answer is its own type."""
    assert suggest(new_passer(), want=want).kind == kind


def test_in_person_cases_are_explained_not_offered():
    """补录老人资格 and the 港澳台 / 外国医师 cases: explained only (seed 002 §2.4)."""
    assert len(IN_PERSON) == 4
    assert all(kind in Kind.values for _key, _label, kind in WANTS)
