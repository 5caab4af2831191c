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
from tests.applications import filing_reason, province_of, reason, reviewer_for, route, scope
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
        location=province_of(institution),
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


def test_unchanged_reuses_the_document_and_an_amendment_gets_a_new_code(
    x, authority, officer_x, doctor_a, django_capture_on_commit_callbacks
):
    """PRN-1/PRN-2: asked again unchanged → the same document, no second render; returned, amended by the
    doctor (version bumped), resubmitted and agreed again → the old code no longer verifies, a new one does."""
    application = agreed_change(doctor_a, x, officer_x)
    first = printed(application, officer_x, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = document_request(kind="form", subject=application, requested_by=officer_x, institution=x)
    assert again.pk == first.pk and callbacks == []
    assert document_check(first.code).valid

    application_return(reviewer=reviewer_for(authority), application_id=application.pk, reason="请补充材料")
    assert not document_check(first.code).valid  # returned: the agreement no longer stands

    from registrations.rules import Draft
    from registrations.services.applications import application_save, application_submit

    draft = Draft.of(application)
    draft.statement = "变更执业范围（补充说明）"
    application_save(doctor=doctor_a, draft=draft, application_id=application.pk)
    application_submit(doctor=doctor_a, application_id=application.pk)
    application_agree(officer=officer_x, application_id=application.pk)
    application.refresh_from_db()
    assert application.version == 2 and application.state == State.AGREED
    check = document_check(first.code)
    assert not check.valid and not check.superseded  # not reprinted yet: invalid because the data changed

    second = printed(application, officer_x, django_capture_on_commit_callbacks)
    assert second.pk != first.pk and second.code != first.code
    assert document_check(first.code).superseded and not document_check(first.code).valid
    assert document_check(second.code).valid


def test_a_revoked_agreement_invalidates_and_a_new_agreement_prints_a_new_code(
    x, authority, officer_x, doctor_a, django_capture_on_commit_callbacks
):
    """撤销 → 机构审核中: the printed code stops verifying; agreed again (same data, new agreement) → a new code."""
    application = agreed_change(doctor_a, x, officer_x)
    first = printed(application, officer_x, django_capture_on_commit_callbacks)
    application_revoke(officer=officer_x, application_id=application.pk, reason="信息有误")
    application.refresh_from_db()
    assert application.state == State.SUBMITTED and not form_printable(application)
    assert not document_check(first.code).valid
    application_agree(officer=officer_x, application_id=application.pk)
    application.refresh_from_db()
    assert not document_check(first.code).valid
    second = printed(application, officer_x, django_capture_on_commit_callbacks)
    assert second.code != first.code and document_check(second.code).valid


def test_approval_keeps_the_form_valid_and_other_endings_do_not(
    x, authority, officer_x, doctor_a, doctor_b, django_capture_on_commit_callbacks
):
    """still_valid: approved (the record changed in place) → still verifies; disagreed/withdrawn → not."""
    application = agreed_change(doctor_a, x, officer_x)
    document = printed(application, officer_x, django_capture_on_commit_callbacks)
    application_approve(reviewer=reviewer_for(authority), application_id=application.pk)
    application.refresh_from_db()
    assert application.state == State.APPROVED
    assert sorted(s.name for s in record_of(doctor_a).scopes.all()) == ["外科专业"]
    assert document_check(document.code).valid
    for state in (State.DISAGREED, State.WITHDRAWN, State.RETURNED, State.SUBMITTED):
        application.state = state
        assert not form_printable(application)
    from registrations.models import Application

    Application.objects.filter(pk=application.pk).update(state=State.WITHDRAWN)
    assert not document_check(document.code).valid


def _kinds(x, doctor_b):
    """One application of each title family (and the institution's own 更名), agreed."""

    other = DoctorFactory(real_name="赵注", id_number=make_resident_id("430102", "19700101"))
    return {
        "register": ApplicationFactory(
            kind=Kind.REGISTER,
            doctor=DoctorFactory(real_name="孙注册", id_number=make_resident_id("430102", "19900202")),
            institution=x,
            level="physician",
            category="clinical",
            statement="首次注册",
            scopes=[scope("内科专业")],
            agreed=True,
        ),
        "deregister": ApplicationFactory(
            kind=Kind.DEREGISTER,
            doctor=other,
            institution=x,
            deregistration_reason=reason("01"),
            agreed=True,
        ),
        "archive": ApplicationFactory(
            kind=Kind.ARCHIVE,
            doctor=DoctorFactory(real_name="钱备", id_number=make_resident_id("430102", "19710101")),
            institution=x,
            filing_reason=filing_reason("02"),
            agreed=True,
        ),
        "filing": ApplicationFactory(
            kind=Kind.FILING,
            doctor=doctor_b,
            institution=x,
            scopes=[scope("外科专业")],
            agreed=True,
        ),
        "rename": ApplicationFactory(
            kind=Kind.RENAME,
            doctor=None,
            real_name=x.name,
            institution=x,
            new_institution_name="芙蓉区人民医院",
            agreed=True,
        ),
    }


TITLES = {
    "register": "《医师执业、变更执业、多机构备案申请审核表》",
    "deregister": "《医师注销注册申请审核表》",
    "archive": "《医师注册备案申请审核表》",
    "filing": "《医师执业、变更执业、多机构备案申请审核表》",
    "rename": "《医疗机构更名变更申请表》",
}
WORDS = {
    "register": "内科专业",
    "deregister": "死亡或者被宣告失踪的",
    "archive": "备案情形",
    "filing": "外科专业",
    "rename": "芙蓉区人民医院",
}


def test_every_title_family_renders_on_one_page(
    x, authority, officer_x, doctor_b, tmp_path, django_capture_on_commit_callbacks
):
    """SPEC §12: 注册/变更/备案 → 《医师执业、变更执业、多机构备案申请审核表》; 注销, 注册备案 and 更名 their own;
    each on one A4 page with its code in the text layer."""
    for name, application in _kinds(x, doctor_b).items():
        document = printed(application, officer_x, django_capture_on_commit_callbacks)
        pdf = document_pdf(document)
        text = squeezed(text_of(pdf, tmp_path))
        assert TITLES[name] in text, name
        assert squeezed(WORDS[name]) in text, name
        assert document.code_display in text and x.name in text
        if name != "rename":
            assert application.real_name in text and "医师签名" in text
        info = subprocess.run(["pdfinfo", str(tmp_path / "form.pdf")], capture_output=True, text=True).stdout
        assert "Pages:           1" in info, name
        facts = document_check(document.code).facts
        assert facts["title"] == TITLES[name]
        if ARTIFACTS:
            (Path(ARTIFACTS) / f"form-{name}.pdf").write_bytes(pdf)
