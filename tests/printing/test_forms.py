"""PRN-1 coded application forms: what the PDF holds, its code along the edge and in the QR caption, the
signature, reuse while unchanged, a new code after an amendment, and validity only while agreed/approved."""

from __future__ import annotations

import io
import os
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from approvals.services import application_approve, application_return
from printing.application_forms import form_printable
from printing.models import Document
from printing.selectors import document_check, document_pdf
from printing.services import document_request
from printing.signing import verify_pdf
from registrations.models import Kind, PracticeRecord, State
from registrations.photos import photo_store
from registrations.services.applications import application_agree, application_revoke
from tests import personas
from tests.applications import filing_reason, reason, reviewer_for, route, scope
from tests.factories import ApplicationFactory, DoctorFactory, make_resident_id

pytestmark = pytest.mark.django_db

ARTIFACTS = os.environ.get("FORM_ARTIFACTS")  # a directory: write every kind's PDF there to look at


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    settings.PUBLIC_BASE_URL = "https://verify.example.cn"
    return tmp_path / "private"


@pytest.fixture
def x():
    return personas.institution(personas.X)


@pytest.fixture
def authority(x):
    return route(x)


def text_of(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "form.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def squeezed(text: str) -> str:
    return "".join(text.split())


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (260, 350), (90, 130, 180)).save(out, "JPEG")
    return out.getvalue()


def record_of(doctor) -> PracticeRecord:
    return PracticeRecord.objects.get(id_number_digest=doctor.id_number_digest, state="valid")


def agreed_change(doctor, institution, officer, *, photo=False):
    """A 变更 (内科专业 → 外科专业) the institution agreed to through the real service."""
    record = record_of(doctor)
    record.scopes.set([scope("内科专业")])
    if photo:
        record.photo = photo_store(jpeg(), "jpg")
        record.save(update_fields=["photo"])
    application = ApplicationFactory(
        kind=Kind.CHANGE,
        doctor=doctor,
        institution=institution,
        record=record,
        submitted=True,
        level=record.level,
        category=record.category,
        location=record.location,
        statement="变更执业范围",
        scopes=[scope("外科专业")],
    )
    application_agree(officer=officer, application_id=application.pk, note="岗位需要")
    application.refresh_from_db()
    return application


def printed(application, officer, callbacks) -> Document:
    with callbacks(execute=True):
        document = document_request(
            kind="form", subject=application, requested_by=officer, institution=officer.institution
        )
    document.refresh_from_db()
    assert document.state == Document.State.DONE, document.failure
    return document


def test_the_printed_form_holds_the_data_and_the_code(
    x, authority, officer_x, doctor_a, tmp_path, django_capture_on_commit_callbacks
):
    """PRN-1: title, name, institution, the requested change, the agreement, the code (edge + caption), signed."""
    application = agreed_change(doctor_a, x, officer_x, photo=True)
    document = printed(application, officer_x, django_capture_on_commit_callbacks)
    pdf = document_pdf(document)
    text = squeezed(text_of(pdf, tmp_path))
    for expected in (
        "《医师执业、变更执业、多机构备案申请审核表》",
        "王甲",
        x.name,
        "外科专业",
        "岗位需要",
        "变更执业范围",
        f"{application.pk}-{application.version}",
        doctor_a.id_number_masked,
        "医师签名",
        "医疗机构意见",
        "卫生健康行政部门审批意见",
        authority.name,
        "（盖章）",
    ):
        assert squeezed(expected) in text, expected
    assert personas.DOCTOR_A_ID not in text
    # The code: along the edge, in the meta line and under the QR code.
    assert text.count(document.code_display) >= 3
    assert f"verify.example.cn/verify/code/{document.code}/".replace("/", "") in text.replace("/", "")
    signature = verify_pdf(pdf)
    assert signature["signed"] and signature["intact"] and signature["valid"]
    check = document_check(document.code)
    assert check.valid and check.facts["title"] == "《医师执业、变更执业、多机构备案申请审核表》"
    shown = dict(check.facts["rows"])
    assert shown["医师姓名"] == "王甲" and shown["医疗机构"] == x.name and shown["业务类型"] == "变更"
    flat = str(check.facts)
    assert doctor_a.id_number_masked not in flat and personas.DOCTOR_A_ID not in flat
    if ARTIFACTS:
        Path(ARTIFACTS).mkdir(parents=True, exist_ok=True)
        (Path(ARTIFACTS) / "form-change.pdf").write_bytes(pdf)
