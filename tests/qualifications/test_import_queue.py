"""QUA-3 through the worker: uploads are queued, run once, refused to the wrong reviewer."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from docregsys.celery import app
from qualifications import services
from qualifications.models import ExamResult, ImportBatch
from tests.factories import AuthorityFactory, RegionFactory, UserFactory, region_tree

from .helpers import categories, csv_bytes, exam_row


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def post_file(client, rows, kind="exam_results"):
    return client.post(
        reverse("admin:qualifications_importbatch_import"),
        {"kind": kind, "file": SimpleUploadedFile("成绩.csv", csv_bytes(rows))},
    )


def reviewer(level_code: str):
    province, city, furong, _tianxin = region_tree()
    region = {"province": province, "city": city, "county": furong}[level_code]
    return UserFactory(reviewer=True, authority=AuthorityFactory(region=region))


@pytest.mark.django_db
def test_a_county_reviewer_may_not_import(client):
    """QUA-3: exam-centre files are imported at national or provincial level only."""
    client.force_login(reviewer("county"))
    assert client.get(reverse("admin:qualifications_importbatch_import")).status_code == 403
    response = post_file(client, [exam_row()])
    assert response.status_code == 403
    assert ImportBatch.objects.count() == 0


@pytest.mark.django_db
def test_reviewers_see_exam_records_read_only(client):
    """APP-3: reviewers look records up but never edit what the exam centre sent."""
    categories()
    client.force_login(reviewer("city"))
    assert client.get(reverse("admin:qualifications_examresult_changelist")).status_code == 200
    assert client.get(reverse("admin:qualifications_examresult_add")).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_a_province_reviewer_imports_and_sees_only_their_authoritys_batches(client):
    """QUA-3: the upload runs (in-process here) and the batch list is scoped to the authority."""
    categories()
    province_reviewer = reviewer("province")
    other = UserFactory(
        reviewer=True,
        authority=AuthorityFactory(region=RegionFactory(code="110000", name="北京市", level="province")),
    )
    ImportBatch.objects.create(kind="exam_results", filename="北京.csv", started_by=other, status="done")
    client.force_login(province_reviewer)
    response = post_file(client, [exam_row(ticket="B1")])
    batch = ImportBatch.objects.get(started_by=province_reviewer)
    if batch.status == ImportBatch.Status.RUNNING:  # a real broker took it: run it as the worker would
        services.import_batch_run(batch_id=batch.pk)
        batch.refresh_from_db()
    assert response.url == reverse("admin:qualifications_importbatch_report", args=[batch.pk])
    assert batch.status == ImportBatch.Status.DONE and batch.created == 1
    assert ExamResult.objects.filter(admission_ticket="B1").count() == 1
    listing = client.get(reverse("admin:qualifications_importbatch_changelist")).content.decode()
    assert "成绩.csv" in listing and "北京.csv" not in listing
    other_batch = ImportBatch.objects.get(started_by=other)
    assert (
        client.get(reverse("admin:qualifications_importbatch_report", args=[other_batch.pk])).status_code
        == 404
    )


@pytest.mark.django_db(transaction=True)
def test_a_broker_outage_marks_the_batch_failed_instead_of_an_error_page(client, monkeypatch):
    """X-4: the upload is saved; when the queue is down the report says so, no 500."""
    from qualifications import tasks

    def broker_down(**kwargs):
        raise ConnectionError("redis down")

    monkeypatch.setattr(tasks.import_batch_run, "delay", broker_down)
    categories()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = post_file(client, [exam_row()])
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.FAILED
    assert "任务队列暂时不可用" in client.get(response.url).content.decode()
    assert ExamResult.objects.count() == 0


@pytest.mark.django_db
def test_a_redelivered_task_does_not_import_twice(tmp_path):
    """QUA-3: the task is idempotent: a finished batch is skipped."""
    categories()
    batch = ImportBatch.objects.create(
        kind="exam_results", filename="x.csv", status="done", upload_path="imports/x.csv"
    )
    assert services.import_batch_run(batch_id=batch.pk) is None


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_imports_an_uploaded_file_through_redis(client):
    """QUA-3 on the real services: the web request queues, the Celery worker imports, the page polls."""
    categories()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = post_file(client, [exam_row(ticket="W1"), exam_row(ticket="W2", 姓名="Li")])
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.RUNNING  # nobody has taken it yet
    assert "正在后台导入" in client.get(response.url).content.decode()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        for _ in range(100):
            batch.refresh_from_db()
            if batch.status != ImportBatch.Status.RUNNING:
                break
            time.sleep(0.1)
    assert batch.status == ImportBatch.Status.DONE
    assert (batch.created, batch.rejected) == (1, 1)
    assert ExamResult.objects.filter(admission_ticket="W1").exists()
    assert "错误行" in client.get(response.url).content.decode()
