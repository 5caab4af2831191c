"""PRN-3 电子证照 and PRN-4 成绩单 on the doctor's pages: own records only, progress then download, live QR."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from accounts.selectors import practice_records_for
from printing.links import live_code_valid
from printing.models import Document
from registrations.models import PracticeRecord
from tests.factories import ExamResultFactory, InstitutionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    return tmp_path / "private"


def _valid_record(user) -> PracticeRecord:
    return next(r for r in practice_records_for(user) if r.state == PracticeRecord.State.VALID)


def _open(client, capture):
    with capture(execute=True):
        return client.get(reverse("accounts:certificates"))


def test_the_page_issues_the_certificate_and_shows_the_qr_and_a_six_digit_code(
    client, doctor_a, private_root, django_capture_on_commit_callbacks
):
    """PRN-3: opening 电子证照 asks for the certificate; QR (no style attribute: CSP) and 动态验证码 shown."""
    client.force_login(doctor_a)
    response = _open(client, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    record = _valid_record(doctor_a)
    document = Document.objects.get(record=record, superseded_at__isnull=True)
    html = response.content.decode()
    assert document.code_display in html and "下载电子证照" in html
    assert "<svg" in html and not re.search(r"<svg[^>]*style=", html) and "<?xml" not in html
    code = re.search(r"data-live-code[^>]*>(\d+)<", html).group(1)
    assert len(code) == 6 and live_code_valid(document.code, code)
    document.refresh_from_db()
    assert document.state == Document.State.DONE
    pdf = client.get(reverse("accounts:certificate_pdf", args=[record.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content if pdf.streaming else [pdf.content]).startswith(b"%PDF")
    status = client.get(reverse("accounts:certificate_status", args=[record.pk])).json()
    assert status["state"] == "done" and status["download_url"].endswith("/pdf/")


def test_a_second_visit_reuses_the_certificate_and_a_change_supersedes_it(
    client, doctor_a, private_root, django_capture_on_commit_callbacks
):
    """The page asks again on each visit: unchanged → the same one; changed record → new, old 已作废."""
    client.force_login(doctor_a)
    _open(client, django_capture_on_commit_callbacks)
    _open(client, django_capture_on_commit_callbacks)
    record = _valid_record(doctor_a)
    [old] = Document.objects.filter(record=record)
    PracticeRecord.objects.filter(pk=record.pk).update(title="副主任医师")
    response = _open(client, django_capture_on_commit_callbacks)
    old.refresh_from_db()
    assert old.superseded_at is not None
    new = Document.objects.get(record=record, superseded_at__isnull=True)
    html = response.content.decode()
    assert "已作废" in html and old.code_display in html and new.code_display in html


def test_a_superseded_certificate_is_listed_with_the_institution_it_showed(
    client, doctor_a, private_root, django_capture_on_commit_callbacks
):
    """A 变更 changes the record in place: the 已作废 row names the institution the old certificate showed
    (the record's as of its making), not the one the record has moved to (found by the journeys)."""
    client.force_login(doctor_a)
    _open(client, django_capture_on_commit_callbacks)
    record = _valid_record(doctor_a)
    before = record.main_institution.name
    [old] = Document.objects.filter(record=record)
    record.main_institution = InstitutionFactory(name="天心医院")
    record.save()  # as the 变更 effect does, with a history row
    html = _open(client, django_capture_on_commit_callbacks).content.decode()
    row = re.search(rf"<tr>((?:(?!</tr>).)*{old.code_display}.*?)</tr>", html, re.S).group(1)
    assert "已作废" in row and before in row and "天心医院" not in row
    new = Document.objects.get(record=record, superseded_at__isnull=True)
    block = re.search(r'<section class="panel certificate-block".*?</section>', html, re.S).group(0)
    assert new.code_display in block and "天心医院" in block


def test_the_live_endpoint_gives_a_fresh_code_and_qr(client, doctor_a, private_root, monkeypatch):
    """PRN-3: the JSON the page's script asks every 30 s; the code changes with the 30-second step."""
    client.force_login(doctor_a)
    client.get(reverse("accounts:certificates"))
    record = _valid_record(doctor_a)
    url = reverse("accounts:certificate_live", args=[record.pk])
    monkeypatch.setattr("printing.links.time.time", lambda: 1_000_000_000.0)
    first = client.get(url).json()
    monkeypatch.setattr("printing.links.time.time", lambda: 1_000_000_030.0)
    second = client.get(url).json()
    assert first["code"] != second["code"] and len(second["code"]) == 6
    assert 0 < second["seconds_left"] <= 30
    assert f"otp={second['code']}" in second["url"] and second["qr_svg"].startswith("<svg")


@pytest.mark.parametrize("name", ["certificate_status", "certificate_pdf", "certificate_live"])
def test_another_doctors_record_is_not_found(client, doctor_a, doctor_b, private_root, name):
    """Scoped: doctor_b asking for doctor_a's record gets 404, like a missing one."""
    client.force_login(doctor_a)
    client.get(reverse("accounts:certificates"))
    record = _valid_record(doctor_a)
    client.force_login(doctor_b)
    assert client.get(reverse(f"accounts:{name}", args=[record.pk])).status_code == 404


def test_a_deregistered_record_has_no_download_and_is_listed_as_lapsed(
    client, doctor_a, private_root, django_capture_on_commit_callbacks
):
    """A record no longer 有效: its certificate is listed as 已失效 with the reason; no download, no live QR."""
    client.force_login(doctor_a)
    _open(client, django_capture_on_commit_callbacks)
    record = _valid_record(doctor_a)
    PracticeRecord.objects.filter(pk=record.pk).update(state=PracticeRecord.State.DEREGISTERED)
    html = _open(client, django_capture_on_commit_callbacks).content.decode()
    assert "已失效" in html and "注销" in html
    assert client.get(reverse("accounts:certificate_pdf", args=[record.pk])).status_code == 404
    assert client.get(reverse("accounts:certificate_live", args=[record.pk])).status_code == 404


def test_the_certificates_page_queries_do_not_grow_with_history(
    client, doctor_a, private_root, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    """The page's queries are bounded (session, user, records + scopes, per valid record the request, the
    current lists); superseded certificates are one query whatever their number."""
    client.force_login(doctor_a)
    _open(client, django_capture_on_commit_callbacks)
    record = _valid_record(doctor_a)
    for title in ("主治医师", "副主任医师", "主任医师"):
        PracticeRecord.objects.filter(pk=record.pk).update(title=title)
        _open(client, django_capture_on_commit_callbacks)
    with django_assert_max_num_queries(30):
        response = client.get(reverse("accounts:certificates"))
    assert response.content.decode().count("已作废</span>") == 3


# ------------------------------------------------------------------------------------ 成绩单 (PRN-4)


def _own_result(user, **fields):
    return ExamResultFactory(real_name=user.real_name, id_number=user.id_number, passed=True, **fields)


def test_a_doctor_asks_for_their_score_report_and_downloads_it(
    client, doctor_a, private_root, django_capture_on_commit_callbacks
):
    """PRN-4: 下载成绩单 on 资格信息 → POST → back to the page with the job, then the PDF."""
    result = _own_result(doctor_a)
    client.force_login(doctor_a)
    page = client.get(reverse("accounts:qualification")).content.decode()
    assert "下载成绩单" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:score_report", args=[result.pk]))
    assert response.status_code == 302 and response["Location"].endswith(f"#exam-{result.pk}")
    page = client.get(reverse("accounts:qualification")).content.decode()
    assert "data-document-job" in page
    status = client.get(reverse("accounts:score_report", args=[result.pk])).json()
    assert status["state"] == "done"
    pdf = client.get(reverse("accounts:score_report_pdf", args=[result.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_another_doctors_exam_result_is_not_found_and_nothing_is_made(
    client, doctor_a, doctor_b, private_root
):
    """PRN-4: only the doctor's own results (name + ID number digest); another's → 404, no document."""
    result = _own_result(doctor_a)
    client.force_login(doctor_b)
    assert client.post(reverse("accounts:score_report", args=[result.pk])).status_code == 404
    assert client.get(reverse("accounts:score_report", args=[result.pk])).status_code == 404
    assert client.get(reverse("accounts:score_report_pdf", args=[result.pk])).status_code == 404
    assert not Document.objects.exists()


def test_a_same_named_stranger_with_another_id_number_is_not_matched(client, doctor_a, private_root):
    """Matching is by name *and* ID number digest: the same name with another number is someone else."""
    stranger = ExamResultFactory(real_name=doctor_a.real_name, id_number="430102199001011234", passed=True)
    client.force_login(doctor_a)
    assert client.post(reverse("accounts:score_report", args=[stranger.pk])).status_code == 404
