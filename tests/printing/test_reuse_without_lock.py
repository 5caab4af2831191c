"""A second ask for unchanged data (a download) reads the current document without locking anything."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from printing.models import Document
from printing.services import document_request
from tests.factories import ExamResultFactory

pytestmark = pytest.mark.django_db


def test_reuse_takes_no_lock_and_one_query(settings, tmp_path, django_capture_on_commit_callbacks):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)
    result = ExamResultFactory()
    with django_capture_on_commit_callbacks(execute=True):
        document = document_request(kind="score_report", subject=result)
    result.refresh_from_db()  # a fresh subject, as a new request has (its category not yet loaded)
    result.exam_category  # noqa: B018 - the data's own read, not the reuse's
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks() as callbacks:
        again = document_request(kind="score_report", subject=result)
    assert again.pk == document.pk and callbacks == []
    assert len(queries) == 1 and "FOR UPDATE" not in queries[0]["sql"].upper()


def test_a_failed_document_is_still_queued_again_under_the_lock(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)
    result = ExamResultFactory()
    with django_capture_on_commit_callbacks(execute=False):
        document = document_request(kind="score_report", subject=result)
    Document.objects.filter(pk=document.pk).update(state=Document.State.FAILED, failure="OSError")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = document_request(kind="score_report", subject=result)
    assert again.pk == document.pk and len(callbacks) == 1
    again.refresh_from_db()
    assert again.state == Document.State.DONE and again.failure == ""
