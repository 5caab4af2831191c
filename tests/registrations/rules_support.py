"""Shared builders for the rules tests (tests/registrations/test_rules_*.py): the same person's extra
qualifications and records, and a refusal caught through the services with nothing stored."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from docregsys.identity.crypto import decrypt_id_number
from docregsys.reference.models import Category, Level
from registrations.models import Attachment, PracticeRecord
from registrations.rules import SUBMIT, Person, application_refusals
from registrations.services.applications import ApplicationRefused, application_file
from tests import personas
from tests.applications import province_of, scope
from tests.factories import CertificateFactory, PracticeRecordFactory


def id_of(holder) -> str:
    """The clear ID number of a doctor or record (to give the same person another row)."""
    return decrypt_id_number(holder.id_number_cipher)


def certificate_for(holder, *, level=Level.PHYSICIAN, category=Category.CLINICAL, obtained=2015, **extra):
    """Another 医师资格证书 of the same person."""
    return CertificateFactory(
        real_name=holder.real_name,
        id_number=id_of(holder),
        level=level,
        category=category,
        year_obtained=obtained,
        **extra,
    )


def record_for(
    holder,
    *,
    at,
    level=Level.PHYSICIAN,
    category=Category.CLINICAL,
    scopes=("内科专业",),
    approval_date=dt.date(2018, 5, 1),
    **extra,
) -> PracticeRecord:
    """Another practice record of the same person at `at` (location as REG-1 says)."""
    record = PracticeRecordFactory(
        real_name=holder.real_name,
        id_number=id_of(holder),
        level=level,
        category=category,
        main_institution=at,
        location=at.region if level == Level.ASSISTANT else province_of(at),
        approval_date=approval_date,
        **extra,
    )
    record.scopes.set([scope(name) for name in scopes])
    return record


def institution(key: str):
    return personas.institution(key)


def refusals(doctor_or_person, draft, stage=SUBMIT, application_id=None) -> dict:
    """The failing rules by code (a doctor's account or a Person)."""
    person = doctor_or_person if isinstance(doctor_or_person, Person) else Person.of_user(doctor_or_person)
    found = application_refusals(person=person, draft=draft, stage=stage, application_id=application_id)
    return {refusal.code: refusal for refusal in found}


def file_refused(doctor, draft, assert_nothing_changed) -> dict:
    """application_file refuses, and not a row of any table changed; the refusals by code."""
    with assert_nothing_changed("a refused application_file"):
        with pytest.raises(ApplicationRefused) as caught:
            application_file(doctor=doctor, draft=draft)
    return {refusal.code: refusal for refusal in caught.value.refusals}


def message(refusal) -> str:
    return str(refusal.message)


def attach(application, kind=Attachment.Kind.TRAINING) -> Attachment:
    """An attachment row of `kind` (the stored file itself does not matter to the rules)."""
    return Attachment.objects.create(
        application=application,
        kind=kind,
        stored_name=f"{kind}-{timezone.now().timestamp()}.pdf",
        original_name="证书.pdf",
        content_type="application/pdf",
        size=1024,
    )
