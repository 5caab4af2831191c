"""Printed documents in the admin (PRN-2): read-only, by kind/state/code/subject, scoped by the subject."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from printing.models import Document
from tests import personas
from tests.factories import ApplicationFactory, ExamResultFactory, PracticeRecordFactory

pytestmark = pytest.mark.django_db

LIST = "admin:printing_document_changelist"


def _document(**subject) -> Document:
    kind = {"application": "form", "record": "certificate", "exam_result": "score_report"}[
        next(iter(subject))
    ]
    return Document.objects.create(kind=kind, content_hash="0" * 64, state=Document.State.DONE, **subject)


@pytest.fixture
def documents(county_reviewer):
    x = personas.institution(personas.X)
    form = _document(
        application=ApplicationFactory(
            agreed=True, real_name="表在芙", institution=x, authority=personas.authority("furong")
        )
    )
    certificate = _document(record=PracticeRecordFactory(real_name="证在芙", main_institution=x))
    elsewhere = _document(
        record=PracticeRecordFactory(real_name="证在天", main_institution=personas.institution(personas.Y))
    )
    return form, certificate, elsewhere


def test_a_reviewer_lists_the_documents_of_subjects_in_scope_only(client, county_reviewer, documents):
    form, certificate, elsewhere = documents
    client.force_login(county_reviewer)
    page = client.get(reverse(LIST))
    assert page.status_code == 200
    assert form.code_display in page.text and certificate.code_display in page.text
    assert "表在芙" in page.text and "证在芙" in page.text
    assert elsewhere.code_display not in page.text and "证在天" not in page.text
    assert client.get(reverse("admin:printing_document_change", args=[form.pk])).status_code == 200
    assert client.get(reverse("admin:printing_document_change", args=[elsewhere.pk])).status_code == 404


def test_the_superuser_sees_every_document(client, superuser, documents):
    client.force_login(superuser)
    page = client.get(reverse(LIST))
    assert all(document.code_display in page.text for document in documents)


def test_search_by_the_code_as_printed_or_typed(client, superuser, documents):
    form, certificate, _elsewhere = documents
    client.force_login(superuser)
    for typed in (form.code_display, form.code.lower(), f" {form.code_display.lower()} "):
        page = client.get(reverse(LIST), {"q": typed})
        assert form.code_display in page.text and certificate.code_display not in page.text, typed
    nothing = client.get(reverse(LIST), {"q": "0000-0000-0000-0000"}).text
    assert form.code_display not in nothing and certificate.code_display not in nothing


def test_nobody_adds_changes_or_deletes_a_document(client, superuser, county_reviewer, documents):
    form = documents[0]
    for user in (superuser, county_reviewer):
        client.force_login(user)
        assert client.get(reverse("admin:printing_document_add")).status_code == 403
        assert client.post(reverse("admin:printing_document_change", args=[form.pk]), {}).status_code == 403
        assert (
            client.post(
                reverse("admin:printing_document_delete", args=[form.pk]), {"post": "yes"}
            ).status_code
            == 403
        )
    assert Document.objects.filter(pk=form.pk, state=Document.State.DONE).exists()


def test_the_list_costs_the_same_queries_for_many_documents(client, superuser, django_assert_max_num_queries):
    """No query per row: subjects and institutions come with the list (list_select_related)."""
    for _ in range(3):
        _document(exam_result=ExamResultFactory())
        _document(record=PracticeRecordFactory())
    client.force_login(superuser)
    client.get(reverse(LIST))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse(LIST))
    for _ in range(10):
        _document(exam_result=ExamResultFactory())
        _document(record=PracticeRecordFactory())
    with django_assert_max_num_queries(len(few)):
        client.get(reverse(LIST))


def test_doctors_and_officers_are_sent_to_the_admin_login(client, doctor_a, officer_x, documents):
    for user in (doctor_a, officer_x):
        client.force_login(user)
        assert client.get(reverse(LIST)).status_code == 302
