"""打印申请表 (PRN-1) in the institution console and /api/v1/institution/applications/{id}/form/: only after
同意 (or once approved), POST to print, progress then the signed PDF; scoped to the officer's institution."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from printing.models import Document
from registrations.models import Kind, PracticeRecord
from registrations.services.applications import application_agree
from tests import personas
from tests.applications import province_of, route, scope
from tests.dbstate import assert_nothing_changed
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/institution/applications"


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")


@pytest.fixture
def x():
    return personas.institution(personas.X)


@pytest.fixture
def y():
    return personas.institution(personas.Y)


@pytest.fixture
def authority(x):
    return route(x)


def change_of(doctor, institution):
    """A submitted 变更 of the doctor's record (内科专业 → 外科专业) at the institution."""
    record = PracticeRecord.objects.get(id_number_digest=doctor.id_number_digest, state="valid")
    record.scopes.set([scope("内科专业")])
    return ApplicationFactory(
        kind=Kind.CHANGE,
        doctor=doctor,
        institution=institution,
        record=record,
        level=record.level,
        category=record.category,
        location=province_of(institution),
        submitted=True,
        scopes=[scope("外科专业")],
    )


@pytest.fixture
def waiting(doctor_a, x, authority):
    return change_of(doctor_a, x)


@pytest.fixture
def agreed(waiting, officer_x):
    application_agree(officer=officer_x, application_id=waiting.pk)
    waiting.refresh_from_db()
    return waiting


def urls(application) -> dict:
    base = f"/institution/business/{application.pk}/print/"
    return {"page": base, "status": base + "status/", "pdf": base + "form.pdf"}


def test_the_detail_page_links_to_the_coded_form(client, officer_x, waiting):
    """The 办理业务 page's 业务打印表单 (seed 002 §8's label) opens 打印申请表; the HTML 打印预览 is gone."""
    client.force_login(officer_x)
    html = client.get(f"/institution/business/{waiting.pk}/").content.decode()
    assert "业务打印表单" in html and "打印预览" not in html and urls(waiting)["page"] in html


def test_before_the_agreement_the_form_cannot_be_printed(client, officer_x, waiting):
    """机构审核中: a clear message, no button; a POST is refused and writes nothing; no status, no PDF."""
    client.force_login(officer_x)
    route_ = urls(waiting)
    html = client.get(route_["page"]).content.decode()
    assert "不能打印申请表" in html and "生成打印表单" not in html
    assert "《医师执业、变更执业、多机构备案申请审核表》" in html
    with assert_nothing_changed():
        response = client.post(route_["page"])
        assert response.status_code == 400 and "不能打印申请表" in response.content.decode()
        assert client.get(route_["status"]).status_code == 404
        assert client.get(route_["pdf"]).status_code == 404
    assert not Document.objects.exists()


def test_the_officer_prints_then_downloads_the_signed_pdf(
    client, officer_x, agreed, django_capture_on_commit_callbacks
):
    """卫健委审批中: 生成打印表单 (POST) → the worker renders → the status says done → 下载 PDF; asking again
    reuses the document (no second render)."""
    client.force_login(officer_x)
    route_ = urls(agreed)
    html = client.get(route_["page"]).content.decode()
    assert "生成打印表单" in html and "csrfmiddlewaretoken" in html and "data-document-job" not in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(route_["page"])
    assert response.status_code == 302 and response["Location"] == route_["page"]
    document = Document.objects.get(application=agreed)
    assert document.state == Document.State.DONE
    assert document.requested_by == officer_x and document.institution == officer_x.institution
    html = client.get(route_["page"]).content.decode()
    assert document.code_display in html and "data-document-job" in html and "js/document-job.js" in html
    assert "<script>" not in html and "下载 PDF" in html
    status = client.get(route_["status"]).json()
    assert status["state"] == "done" and status["code"] == document.code_display
    assert status["download_url"] == route_["pdf"]
    response = client.get(route_["pdf"])
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body.startswith(b"%PDF") and "no-store" in response["Cache-Control"]
    assert document.code in response["Content-Disposition"] and "王甲" not in response["Content-Disposition"]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert client.post(route_["page"]).status_code == 302
    assert callbacks == [] and Document.objects.filter(application=agreed).count() == 1


def test_another_institution_gets_404_and_nothing_changes(client, officer_y, agreed):
    """STYLE §2: X's application is outside Y's officer's scope: 404 on every route, page or API."""
    client.force_login(officer_y)
    api = APIClient()
    api.force_authenticate(officer_y)
    route_ = urls(agreed)
    with assert_nothing_changed():
        assert client.get(route_["page"]).status_code == 404
        assert client.post(route_["page"]).status_code == 404
        assert client.get(route_["status"]).status_code == 404
        assert client.get(route_["pdf"]).status_code == 404
        assert api.get(f"{API}/{agreed.pk}/form/").status_code == 404
        assert api.post(f"{API}/{agreed.pk}/form/").status_code == 404
        assert api.get(f"{API}/{agreed.pk}/form/pdf/").status_code == 404


def test_the_doctor_cannot_reach_the_print_routes(client, doctor_a, agreed):
    """The doctor of the application: 403 on the console's and the API's print routes; nothing printed."""
    client.force_login(doctor_a)
    api = APIClient()
    api.force_authenticate(doctor_a)
    route_ = urls(agreed)
    with assert_nothing_changed():
        for url in route_.values():
            assert client.get(url).status_code == 403
        assert client.post(route_["page"]).status_code == 403
        assert api.get(f"{API}/{agreed.pk}/form/").status_code == 403
        assert api.post(f"{API}/{agreed.pk}/form/").status_code == 403
        assert api.get(f"{API}/{agreed.pk}/form/pdf/").status_code == 403
    client.logout()
    assert client.get(route_["page"]).status_code == 302  # anonymous: to the console's login


def test_the_api_prints_and_serves_the_pdf(officer_x, waiting, django_capture_on_commit_callbacks):
    """API: state "none" before; POST before 同意 → 409 with a Chinese error and nothing written; after
    同意 → done with the code; the PDF as application/pdf."""
    api = APIClient()
    api.force_authenticate(officer_x)
    url = f"{API}/{waiting.pk}/form/"
    body = api.get(url).json()
    assert body["state"] == "none" and body["printable"] is False and body["code"] is None
    assert body["title"] == "医师执业、变更执业、多机构备案申请审核表"
    with assert_nothing_changed():
        response = api.post(url)
    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "wrong_state"
    assert "不能打印申请表" in response.json()["errors"][0]["message"]
    assert api.get(url + "pdf/").status_code == 404

    application_agree(officer=officer_x, application_id=waiting.pk)
    assert api.get(url).json() == {
        "printable": True,
        "title": "医师执业、变更执业、多机构备案申请审核表",
        "state": "none",
        "message": "",
        "position": 0,
        "code": None,
        "download_url": None,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(url)
    assert response.status_code == 200
    document = Document.objects.get(application=waiting)
    # The answer is read before the worker ran (on commit): queued; then done.
    assert response.json()["code"] == document.code_display
    body = api.get(url).json()
    assert body["state"] == "done" and body["download_url"] == url + "pdf/"
    response = api.get(url + "pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_institutions_own_filing_prints_right_after_filing(client, officer_x, x, authority):
    """INS-10: a filing the institution makes itself goes straight to the authority (卫健委审批中): printable."""
    from tests.applications import filing_reason

    filing = ApplicationFactory(
        kind=Kind.ARCHIVE,
        doctor=None,
        real_name="孙备案",
        institution=x,
        initiator="institution",
        filing_reason=filing_reason("02"),
        agreed=True,
    )
    client.force_login(officer_x)
    html = client.get(urls(filing)["page"]).content.decode()
    assert "《医师注册备案申请审核表》" in html and "生成打印表单" in html
