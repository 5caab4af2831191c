"""`make run`'s demo prints real documents through the services (issue 11), once."""

import io

import pytest
from django.core.management import call_command

from printing.kinds import KINDS
from printing.models import Document
from printing.selectors import document_check, document_pdf
from tests.applications import scope
from tests.factories import region_tree


@pytest.fixture
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    return tmp_path / "private"


def test_the_demo_prints_a_form_a_score_report_and_the_certificate(
    db, private_root, django_capture_on_commit_callbacks
):
    region_tree()
    scope("内科专业"), scope("外科专业")
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=out)
    documents = {document.kind: document for document in Document.objects.all()}
    expected = {"form", "score_report"} | ({"certificate"} if "certificate" in KINDS else set())
    assert expected <= set(documents)
    form = documents["form"]
    assert form.application.doctor.username == "wujing01" and form.institution.name == "长沙市第一医院"
    assert documents["score_report"].exam_result.real_name == "李明轩"
    for document in documents.values():
        assert document.state == Document.State.DONE, document
        assert document_pdf(document).startswith(b"%PDF")
        assert document_check(document.code).valid
        assert document.code_display in out.getvalue()

    # A second run finds the same documents: nothing new, nothing rendered again.
    count = Document.objects.count()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        call_command("load_demo", stdout=io.StringIO())
    assert Document.objects.count() == count and callbacks == []
    assert len(list((private_root / "documents").iterdir())) == count
