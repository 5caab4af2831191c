"""PRN-3 in the console: 是否已申领电子证照 and 查看电子证照 on a doctor's details, for the institution's own doctors."""

from __future__ import annotations

import pytest
from django.urls import reverse

from printing.services import document_request
from registrations.models import PracticeRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")


def _doctor_a_record():
    return PracticeRecord.objects.get(certificate_number="110430100000001")


def test_the_officer_sees_whether_a_certificate_was_issued_and_opens_it(
    client, officer_x, doctor_a, private_root, django_capture_on_commit_callbacks
):
    """未申领 before; after the certificate is issued 已申领 with 查看电子证照, which opens the PDF."""
    record = _doctor_a_record()
    client.force_login(officer_x)
    detail = reverse("console:doctor_detail", args=[record.pk])
    page = client.get(detail).content.decode()
    assert "未申领" in page and "查看电子证照" not in page
    assert client.get(reverse("console:doctor_certificate", args=[record.pk])).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        document_request(kind="certificate", subject=record)
    page = client.get(detail).content.decode()
    assert "已申领" in page and "查看电子证照" in page
    pdf = client.get(reverse("console:doctor_certificate", args=[record.pk]))
    assert pdf.status_code == 200 and pdf.content[:4] == b"%PDF"
    assert pdf["Content-Disposition"].startswith("inline")


def test_another_institutions_officer_gets_404(
    client, officer_y, doctor_a, private_root, django_capture_on_commit_callbacks
):
    record = _doctor_a_record()
    with django_capture_on_commit_callbacks(execute=True):
        document_request(kind="certificate", subject=record)
    client.force_login(officer_y)
    assert client.get(reverse("console:doctor_certificate", args=[record.pk])).status_code == 404



def test_the_api_serves_the_certificate_to_the_main_institution_only(
    officer_x, officer_y, doctor_a, private_root, django_capture_on_commit_callbacks
):
    """PRN-3 / API-1: 查看电子证照 over REST — X's officer gets the signed PDF, Y's officer 404, a doctor 403."""
    from rest_framework.test import APIClient

    from printing.signing import verify_pdf

    record = _doctor_a_record()
    client = APIClient()
    url = f"/api/v1/institution/doctors/{record.pk}/certificate/"
    client.force_authenticate(officer_x)
    assert client.get(url).status_code == 404  # nothing rendered yet
    with django_capture_on_commit_callbacks(execute=True):
        document_request(kind="certificate", subject=record)
    answer = client.get(url)
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    assert verify_pdf(answer.content)["valid"]
    client.force_authenticate(officer_y)
    assert client.get(url).status_code == 404
    client.force_authenticate(doctor_a)
    assert client.get(url).status_code == 403
