"""Asking for a document (PRN-2): rendered once, reused while the data is unchanged, superseded when it changes."""

import subprocess

import pytest

from printing.models import Document
from printing.selectors import document_check, document_pdf
from printing.services import document_render, document_request, documents
from tests.factories import ExamResultFactory

pytestmark = pytest.mark.django_db


def _text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    return tmp_path / "private"


def test_a_score_report_renders_in_the_task_and_is_reused(
    private_root, tmp_path, django_capture_on_commit_callbacks
):
    """PRN-4 / PRN-2: the worker's render holds the seed's fields and the code; a second ask renders nothing."""
    result = ExamResultFactory(real_name="王五", year=2025, written_score=412)
    with django_capture_on_commit_callbacks(execute=True):
        document = document_request(kind="score_report", subject=result)
    document.refresh_from_db()
    assert document.state == Document.State.DONE and document.size > 0
    text = "".join(_text(document_pdf(document), tmp_path).split())
    assert "2025年医师资格考试医学综合笔试成绩单" in text
    assert "王五" in text and "412.00" in text and document.code_display in text
    assert result.id_number_masked in text

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = document_request(kind="score_report", subject=result)
    assert again.pk == document.pk and callbacks == []
    assert len(list((private_root / "documents").iterdir())) == 1


def test_changed_data_supersedes_the_old_code(private_root, django_capture_on_commit_callbacks):
    """PRN-1/PRN-4: after a change the old code checks as no longer valid, a reprint gets a new code."""
    result = ExamResultFactory()
    with django_capture_on_commit_callbacks(execute=True):
        old = document_request(kind="score_report", subject=result)
    assert document_check(old.code).valid
    result.written_score = 401
    result.save()
    assert not document_check(old.code).valid  # changed data: invalid before anyone reprints
    with django_capture_on_commit_callbacks(execute=True):
        new = document_request(kind="score_report", subject=result)
    assert new.pk != old.pk and new.code != old.code
    check = document_check(old.code)
    assert check.superseded and not check.valid
    assert document_check(new.code).valid
    assert document_check(new.code_display.lower()).document == new  # typed with dashes, lower case
    assert document_check("ABCD") is None and document_check("0" * 16) is None


def test_a_redelivered_render_keeps_one_file(private_root, django_capture_on_commit_callbacks):
    """A job rendered twice (redelivery) overwrites its own file; a finished one is not rendered again."""
    result = ExamResultFactory()
    with django_capture_on_commit_callbacks(execute=False):
        document = document_request(kind="score_report", subject=result)
    Document.objects.filter(pk=document.pk).update(state=Document.State.RENDERING)  # a worker died here
    assert document_render(document_id=document.pk).state == Document.State.DONE
    assert document_render(document_id=document.pk) is None
    assert [p.name for p in (private_root / "documents").iterdir()] == [f"{document.file_key}.pdf"]
    assert documents.read(f"{document.file_key}.pdf")[0].startswith(b"%PDF")
