"""API-1 for PRN-3/PRN-4: /api/v1/accounts/certificates/ and score-reports/, the doctor's own only."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from accounts.selectors import practice_records_for
from printing.models import Document
from registrations.models import PracticeRecord
from tests.factories import ExamResultFactory, PracticeRecordFactory

pytestmark = pytest.mark.django_db

C = "/api/v1/accounts/certificates/"
S = "/api/v1/accounts/score-reports/"


@pytest.fixture
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    return tmp_path / "private"


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _record(user) -> PracticeRecord:
    return next(r for r in practice_records_for(user) if r.state == PracticeRecord.State.VALID)


def test_request_poll_and_download_a_certificate(doctor_a, private_root, django_capture_on_commit_callbacks):
    """POST asks (202), GET shows the job, pdf/ downloads it; live/ gives a 6-digit code and the QR URL."""
    api = _api(doctor_a)
    record = _record(doctor_a)
    assert api.get(f"{C}{record.pk}/").json()["certificate"] is None
    assert api.get(f"{C}{record.pk}/pdf/").status_code == 404  # nothing asked for yet
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"{C}{record.pk}/")
    assert response.status_code == 202
    code = response.json()["certificate"]["code"]
    job = api.get(f"{C}{record.pk}/").json()["certificate"]
    assert job["state"] == "done" and job["code"] == code and job["download_url"] == f"{C}{record.pk}/pdf/"
    pdf = api.get(f"{C}{record.pk}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content[:4] == b"%PDF"
    live = api.get(f"{C}{record.pk}/live/").json()
    assert len(live["code"]) == 6 and live["code"].isdigit() and f"otp={live['code']}" in live["url"]
    assert live["certificate_code"] == code
    again = api.post(f"{C}{record.pk}/").json()["certificate"]["code"]
    assert again == code and Document.objects.filter(record=record).count() == 1


def test_the_list_shows_own_records_only_in_a_fixed_number_of_queries(
    doctor_a, private_root, django_assert_num_queries
):
    """The list: own records (name + ID number), each with its current certificate; 3 queries whatever the
    number of records (records, their scopes, the current certificates) after the user's session."""
    api = _api(doctor_a)
    PracticeRecordFactory(real_name=doctor_a.real_name, id_number=doctor_a.id_number, deregistered=True)
    PracticeRecordFactory(real_name="别人", id_number="430102199001011234")
    api.post(f"{C}{_record(doctor_a).pk}/")
    # records + scopes (the selector's prefetch), current certificates; nothing per row.
    with django_assert_num_queries(3):
        rows = api.get(C).json()
    assert len(rows) == 2 and {r["state"] for r in rows} == {"valid", "deregistered"}
    assert sum(r["certificate"] is not None for r in rows) == 1


def test_another_doctors_record_and_result_are_not_found(doctor_a, doctor_b, private_root):
    """Scoped: doctor_b asks for doctor_a's record or exam result: 404 everywhere, nothing made."""
    record = _record(doctor_a)
    result = ExamResultFactory(real_name=doctor_a.real_name, id_number=doctor_a.id_number)
    api = _api(doctor_b)
    for path in (f"{C}{record.pk}/", f"{C}{record.pk}/pdf/", f"{C}{record.pk}/live/"):
        assert api.get(path).status_code == 404
    assert api.post(f"{C}{record.pk}/").status_code == 404
    for path in (f"{S}{result.pk}/", f"{S}{result.pk}/pdf/"):
        assert api.get(path).status_code == 404
    assert api.post(f"{S}{result.pk}/").status_code == 404
    assert not Document.objects.exists()


def test_a_record_that_is_not_valid_is_refused_with_409(doctor_a, private_root):
    """A deregistered record gets no new certificate: 409 with the project's error shape, nothing made."""
    record = PracticeRecordFactory(
        real_name=doctor_a.real_name, id_number=doctor_a.id_number, deregistered=True
    )
    response = _api(doctor_a).post(f"{C}{record.pk}/")
    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "record_not_valid"
    assert not Document.objects.exists()


def test_other_roles_and_unactivated_doctors_are_refused(officer_x, unactivated_doctor, private_root):
    for user in (officer_x, unactivated_doctor):
        api = _api(user)
        assert api.get(C).status_code == 403 and api.get(S).status_code == 403


def test_score_reports_list_request_and_download(doctor_a, private_root, django_capture_on_commit_callbacks):
    """PRN-4: own exam results listed with their report; POST asks, pdf/ downloads."""
    own = ExamResultFactory(real_name=doctor_a.real_name, id_number=doctor_a.id_number, year=2024)
    ExamResultFactory(real_name="别人", id_number="430102199001011234")
    api = _api(doctor_a)
    rows = api.get(S).json()
    assert [r["id"] for r in rows] == [own.pk] and rows[0]["report"] is None
    with django_capture_on_commit_callbacks(execute=True):
        assert api.post(f"{S}{own.pk}/").status_code == 202
    assert api.get(f"{S}{own.pk}/").json()["report"]["state"] == "done"
    pdf = api.get(f"{S}{own.pk}/pdf/")
    assert pdf.status_code == 200 and pdf.content[:4] == b"%PDF"


def test_the_score_report_list_takes_two_queries(doctor_a, private_root, django_assert_num_queries):
    """The results (with their category) and their current reports: 2 queries whatever their number."""
    api = _api(doctor_a)
    for year in (2019, 2020, 2021):
        result = ExamResultFactory(real_name=doctor_a.real_name, id_number=doctor_a.id_number, year=year)
        api.post(f"{S}{result.pk}/")  # queued (never rendered here): no per-row queue position
    with django_assert_num_queries(2):
        rows = api.get(S).json()
    assert [r["report"]["state"] for r in rows] == ["queued"] * 3
