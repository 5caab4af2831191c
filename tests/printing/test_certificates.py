"""PRN-3 电子证照: the certificate's PDF, its signed QR, its validity as the record changes."""

import subprocess

import pytest

from printing.certificates import certificate_qr_token
from printing.links import live_code, live_code_valid, token_payload
from printing.models import Document
from printing.selectors import document_check, document_pdf
from printing.services import document_request
from printing.signing import verify_pdf
from registrations.models import PracticeRecord
from registrations.photos import photo_store
from tests.factories import PracticeRecordFactory
from tests.photos import photo_bytes

pytestmark = pytest.mark.django_db

ID_NUMBER = "430102198501010231"


def _text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return "".join(out.split())


@pytest.fixture
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    return tmp_path / "private"


@pytest.fixture
def record(private_root):
    record = PracticeRecordFactory(real_name="王甲", id_number=ID_NUMBER, title="主治医师")
    record.photo = photo_store(photo_bytes(), "jpg")
    record.save()
    return record


def _issue(record, capture, **kwargs):
    with capture(execute=True):
        document = document_request(kind="certificate", subject=record, **kwargs)
    document.refresh_from_db()
    return document


def test_the_certificate_holds_the_record_and_a_valid_signature(
    record, tmp_path, django_capture_on_commit_callbacks
):
    """PRN-3: name, 执业证书编码, scope, the 证照编号 in the PDF; signed; the QR token checks offline."""
    document = _issue(record, django_capture_on_commit_callbacks)
    assert document.state == Document.State.DONE
    pdf = document_pdf(document)
    text = _text(pdf, tmp_path)
    assert "中华人民共和国医师执业证书" in text and "电子证照" in text
    assert "王甲" in text and record.certificate_number in text
    assert record.main_institution.name in text
    assert document.code_display in text
    assert ID_NUMBER not in text and record.id_number_masked in text
    assert verify_pdf(pdf)["valid"]
    payload = token_payload(certificate_qr_token(record, document))
    assert payload["code"] == document.code and payload["no"] == record.certificate_number
    assert (payload["level"], payload["category"]) == (record.level, record.category)
    assert document_check(document.code).valid


def test_the_public_facts_never_show_id_phone_or_birth_date(record, django_capture_on_commit_callbacks):
    """PUB-1: the check shows name, level, category, scope, institution, place, state; no ID or birth date."""
    document = _issue(record, django_capture_on_commit_callbacks)
    facts = document_check(document.code).facts
    labels = [label for label, _ in facts["rows"]]
    assert labels == ["姓名", "医师级别", "医师类别", "执业范围", "主要执业机构", "执业地点", "注册状态"]
    flat = repr(facts)
    assert ID_NUMBER not in flat and record.id_number_masked not in flat
    assert "1985" not in flat


def test_a_changed_record_gets_a_new_certificate_and_the_old_one_is_superseded(
    record, django_capture_on_commit_callbacks
):
    """REG-7/PRN-3: a new title (or photo, scope …) reissues; the old code checks as superseded, invalid."""
    old = _issue(record, django_capture_on_commit_callbacks)
    record.title = "副主任医师"
    record.save()
    assert not document_check(old.code).valid
    new = _issue(record, django_capture_on_commit_callbacks)
    assert new.pk != old.pk and new.code != old.code
    check = document_check(old.code)
    assert check.superseded and not check.valid
    assert document_check(new.code).valid


def test_a_new_photo_reissues(record, django_capture_on_commit_callbacks):
    """The photo's stored name is part of the data: a new photo is a new certificate."""
    old = _issue(record, django_capture_on_commit_callbacks)
    record.photo = photo_store(photo_bytes(shade=(10, 90, 10)), "jpg")
    record.save()
    new = _issue(record, django_capture_on_commit_callbacks)
    assert new.pk != old.pk


def test_a_deregistered_record_keeps_its_certificate_but_it_no_longer_verifies(
    record, django_capture_on_commit_callbacks
):
    """PRN-3: after 注销 the current certificate stays, checks invalid, and the facts say 注销."""
    document = _issue(record, django_capture_on_commit_callbacks)
    PracticeRecord.objects.filter(pk=record.pk).update(state=PracticeRecord.State.DEREGISTERED)
    check = document_check(document.code)
    assert not check.valid and not check.superseded
    assert ("注册状态", "注销") in check.facts["rows"]
    assert Document.objects.get(pk=document.pk).superseded_at is None


def test_force_gives_a_new_code_for_unchanged_data(record, django_capture_on_commit_callbacks):
    """证书补办: a reissue supersedes the current certificate even though nothing changed."""
    old = _issue(record, django_capture_on_commit_callbacks)
    same = _issue(record, django_capture_on_commit_callbacks)
    assert same.pk == old.pk
    new = _issue(record, django_capture_on_commit_callbacks, force=True)
    assert new.pk != old.pk and document_check(new.code).valid
    assert document_check(old.code).superseded


def test_the_live_code_changes_every_30_seconds_and_an_old_one_is_refused():
    """PRN-3: the 动态验证码 is 6 digits, changes each step, and one older than a step is refused."""
    code = "ABCDEFGHJKMNPQRS"
    first, left = live_code(code, now=1_000_000_000.0)
    second, _ = live_code(code, now=1_000_000_030.0)
    assert len(first) == 6 and first.isdigit() and 0 < left <= 30
    assert first != second
    assert live_code_valid(code, first, now=1_000_000_030.0)  # the step before still passes
    assert not live_code_valid(code, first, now=1_000_000_090.0)  # two steps later: refused
    assert not live_code_valid(code, "", now=1_000_000_000.0)


def test_the_invalid_reason_follows_the_language_and_the_pdf_data_do_not(record):
    """X-1: the doctor's page says why a certificate stopped verifying in the page's language; what the PDF
    shows (and so its hash) stays Chinese whatever the language."""
    from django.utils import translation

    from printing.certificates import certificate_invalid_reason
    from printing.kinds import KINDS, content_hash

    assert certificate_invalid_reason(record) == ""
    hashes = {}
    record.state = PracticeRecord.State.DEREGISTERED
    for language in ("zh-hans", "en"):
        with translation.override(language):
            hashes[language] = content_hash(KINDS["certificate"], record)
            reason = certificate_invalid_reason(record)
        if language == "en":
            assert reason.startswith("This practice registration is now “") and "no longer valid" in reason
        else:
            assert reason == "该执业注册当前状态为“注销”，电子证照已失效。"
    assert hashes["zh-hans"] == hashes["en"]
