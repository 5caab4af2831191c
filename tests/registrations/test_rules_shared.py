"""The rules framework (REG-2): every type's rules answer any draft, however empty, at every stage, with a
stable code and a Chinese message; helpers the forms use."""

import pytest

from docregsys.reference.models import Category, Level
from registrations.models import Kind
from registrations.rules import (
    APPROVE,
    FORM,
    GUIDE,
    RULES,
    SUBMIT,
    Draft,
    Person,
    application_refusals,
    location_for,
    qualification_source_for,
)
from tests.applications import new_passer, registered_doctor

pytestmark = pytest.mark.django_db

CJK = ("一", "鿿")


@pytest.mark.parametrize("kind", Kind.values)
def test_every_type_answers_an_empty_draft(kind, institutions):
    """No rule breaks on a blank draft: each refusal has a code, a Chinese message and a known field."""
    doctor, _record = registered_doctor(at=institutions["furong"])
    people = (Person.of_user(doctor), Person(real_name="", id_number_digest=""))
    for person, stage in [(p, s) for p in people for s in (GUIDE, FORM, SUBMIT, APPROVE)]:
        for refusal in application_refusals(person=person, draft=Draft(kind=kind), stage=stage):
            assert refusal.code and refusal.code != "refused"
            assert any(CJK[0] <= ch <= CJK[1] for ch in str(refusal.message))
            assert refusal.field in (None, *Draft.COLUMNS, "scopes", "attachments")


def test_every_type_has_rules():
    """Every business type lists its rules."""
    assert set(RULES) == set(Kind.values) and all(RULES.values())


def test_location_for_follows_the_level(institutions):
    """REG-1: a 执业医师's location is the province, an assistant's the county."""
    x = institutions["furong"]
    assert location_for(institution=x, level=Level.PHYSICIAN).code == "430000"
    assert location_for(institution=x, level=Level.ASSISTANT).code == "430102"
    assert location_for(institution=None, level=Level.PHYSICIAN) is None


def test_the_qualification_a_registration_rests_on(db):
    """A certificate when there is one, else the passing exam result."""
    person = Person.of_user(new_passer())
    certificate, exam = qualification_source_for(
        person=person, level=Level.PHYSICIAN, category=Category.CLINICAL
    )
    assert certificate is not None and exam is None
    person = Person.of_user(new_passer(real_name="吴新", certificate=False))
    certificate, exam = qualification_source_for(
        person=person, level=Level.PHYSICIAN, category=Category.CLINICAL
    )
    assert certificate is None and exam is not None
    assert qualification_source_for(person=person, level=Level.ASSISTANT, category=Category.CLINICAL) == (
        None,
        None,
    )
