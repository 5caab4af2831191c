"""REG-7 / PRN-3: an approval that leaves a valid record issues its 电子证照 after the commit."""

from __future__ import annotations

import subprocess

import pytest

from printing.models import Document
from printing.selectors import document_check, document_pdf
from printing.signing import verify_pdf
from registrations.models import Kind, PracticeRecord
from tests import personas
from tests.applications import new_passer, province_of, reason, registered_doctor
from tests.registrations.test_effects import agreed, approve, doctor_certificate

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_rules(monkeypatch):
    """The effects alone (the rules are tested in tests/registrations): nothing refused at approval."""
    monkeypatch.setattr("approvals.selectors.application_refusals", lambda **kwargs: [])


@pytest.fixture
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    return tmp_path / "private"


@pytest.fixture
def x(db):
    return personas.institution(personas.X)


@pytest.fixture
def y(db):
    return personas.institution(personas.Y)


def _text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return "".join(out.split())


def _approve(application, capture):
    with capture(execute=True):
        approve(application)


def _certificates(record):
    return list(Document.objects.filter(record=record, kind=Document.Kind.CERTIFICATE).order_by("pk"))


def test_a_registration_approval_issues_the_certificate(
    no_rules, private_root, x, tmp_path, django_capture_on_commit_callbacks
):
    """REG-7/PRN-3: after 注册 is approved the new record's certificate is rendered and signed."""
    doctor = new_passer(real_name="周新")
    application = agreed(
        Kind.REGISTER,
        institution=x,
        doctor=doctor,
        location=province_of(x),
        qualification=doctor_certificate(doctor),
        scopes=("内科专业",),
    )
    _approve(application, django_capture_on_commit_callbacks)
    record = PracticeRecord.objects.get(id_number_digest=doctor.id_number_digest)
    [document] = _certificates(record)
    assert document.state == Document.State.DONE
    pdf = document_pdf(document)
    text = _text(pdf, tmp_path)
    assert "周新" in text and record.certificate_number in text and "内科专业" in text
    assert document.code_display in text
    assert verify_pdf(pdf)["valid"]
    assert document_check(document.code).valid


def test_a_change_reissues_and_the_old_certificate_is_superseded(
    no_rules, private_root, x, y, django_capture_on_commit_callbacks
):
    """REG-7 变更 in place: new institution and scope → a new certificate; the old code is superseded."""
    doctor, record = registered_doctor(at=x, scopes=("内科专业",))
    from printing.services import document_request

    with django_capture_on_commit_callbacks(execute=True):
        old = document_request(kind="certificate", subject=record)
    application = agreed(Kind.CHANGE, institution=y, doctor=doctor, record=record, scopes=("儿科专业",))
    _approve(application, django_capture_on_commit_callbacks)
    old_doc, new_doc = _certificates(record)
    assert old_doc.pk == old.pk and old_doc.superseded_at is not None
    assert not document_check(old.code).valid and document_check(old.code).superseded
    assert document_check(new_doc.code).valid
    assert ("主要执业机构", y.name) in document_check(new_doc.code).facts["rows"]


def test_a_reissue_approval_gives_a_new_code_for_unchanged_data(
    no_rules, private_root, x, django_capture_on_commit_callbacks
):
    """证书补办: the record is unchanged, yet the lost certificate's code stops verifying."""
    doctor, record = registered_doctor(at=x)
    application = agreed(Kind.E_CERTIFICATE, institution=x, doctor=doctor, record=record)
    _approve(application, django_capture_on_commit_callbacks)
    [first] = _certificates(record)
    application = agreed(Kind.REISSUE, institution=x, doctor=doctor, record=record)
    _approve(application, django_capture_on_commit_callbacks)
    old, new = _certificates(record)
    assert old.pk == first.pk and document_check(old.code).superseded
    assert document_check(new.code).valid and new.code != old.code


def test_a_deregistration_issues_nothing_and_the_certificate_stops_verifying(
    no_rules, private_root, x, django_capture_on_commit_callbacks
):
    """REG-7 注销: no new certificate; the current one stays current but checks invalid (注销)."""
    doctor, record = registered_doctor(at=x)
    application = agreed(Kind.E_CERTIFICATE, institution=x, doctor=doctor, record=record)
    _approve(application, django_capture_on_commit_callbacks)
    application = agreed(
        Kind.DEREGISTER, institution=x, doctor=doctor, record=record, deregistration_reason=reason("10")
    )
    _approve(application, django_capture_on_commit_callbacks)
    [document] = _certificates(record)
    check = document_check(document.code)
    assert not check.valid and not check.superseded
    assert ("注册状态", "注销") in check.facts["rows"]
