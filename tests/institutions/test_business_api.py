"""/api/v1/institution/applications/ (INS-6, INS-10, API-1): the console's 业务办理 for REST clients — the same
scope and services as the pages."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from approvals.services import application_return
from registrations.models import Action, Application, ApplicationEvent, Initiator, Kind, PracticeRecord, State
from tests import personas
from tests.applications import filing_reason, reviewer_for, route, scope
from tests.dbstate import assert_nothing_changed
from tests.factories import ApplicationFactory, DoctorFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/institution/applications/"


@pytest.fixture
def x():
    return personas.institution(personas.X)


@pytest.fixture
def authority(x):
    return route(x)


@pytest.fixture
def api(officer_x):
    client = APIClient()
    client.force_authenticate(officer_x)
    return client


@pytest.fixture
def waiting(doctor_a, x):
    """doctor_a's 变更 of scope, waiting for X."""
    record = PracticeRecord.objects.get(id_number_digest=doctor_a.id_number_digest)
    record.scopes.set([scope("内科专业")])
    return ApplicationFactory(
        kind=Kind.CHANGE,
        doctor=doctor_a,
        institution=x,
        record=record,
        level=record.level,
        category=record.category,
        location=record.location,
        submitted=True,
        scopes=[scope("外科专业")],
    )


def test_list_filters_and_scopes_to_the_institution(api, waiting, x):
    ApplicationFactory(institution=personas.institution(personas.Y), submitted=True)
    ApplicationFactory(institution=x, agreed=True, doctor=DoctorFactory(real_name="孙丁"))
    body = api.get(API).json()
    assert body["count"] == 2
    body = api.get(API, {"state": "submitted"}).json()
    assert [row["id"] for row in body["results"]] == [waiting.pk]
    assert body["results"][0]["id_number_masked"] == waiting.id_number_masked
    assert api.get(API, {"name": "孙"}).json()["count"] == 1
    assert api.get(API, {"kind": "change"}).json()["count"] == 1
    assert api.get(API, {"state": "nonsense"}).status_code == 400


def test_search_by_id_number_is_a_post(api, waiting, x):
    """X-3: the ID number goes in a POST body and is matched through the digest."""
    ApplicationFactory(institution=x, submitted=True, doctor=DoctorFactory(real_name="周新"))
    response = api.post(API + "search/", {"id_number": personas.DOCTOR_A_ID}, format="json")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [waiting.pk]
    assert api.post(API + "search/", {}, format="json").status_code == 400


def test_detail_shows_the_request_in_words(api, waiting):
    body = api.get(f"{API}{waiting.pk}/").json()
    assert body["requested"] == ["执业范围请求变更为：外科专业；"]
    assert body["record"]["certificate_number"] == "110430100000001"
    assert body["record"]["scopes"] == "内科专业"
    assert personas.DOCTOR_A_ID not in str(body)


def test_agree_then_agree_again_is_a_conflict(api, waiting, authority):
    response = api.post(f"{API}{waiting.pk}/agree/", {}, format="json")
    assert response.status_code == 200 and response.json()["state"] == State.AGREED
    with assert_nothing_changed():
        response = api.post(f"{API}{waiting.pk}/agree/", {}, format="json")
    assert response.status_code == 409 and response.json()["errors"][0]["code"] == "wrong_state"


def test_disagree_needs_a_reason(api, waiting):
    with assert_nothing_changed():
        assert api.post(f"{API}{waiting.pk}/disagree/", {}, format="json").status_code == 400
        assert api.post(f"{API}{waiting.pk}/disagree/", {"reason": " "}, format="json").status_code == 400
    response = api.post(f"{API}{waiting.pk}/disagree/", {"reason": "不在本院执业"}, format="json")
    assert response.status_code == 200 and response.json()["state"] == State.DISAGREED


def test_revoke_before_and_after_the_authority(api, waiting, authority):
    api.post(f"{API}{waiting.pk}/agree/", {}, format="json")
    response = api.post(f"{API}{waiting.pk}/revoke/", {"reason": "补材料"}, format="json")
    assert response.status_code == 200 and response.json()["state"] == State.SUBMITTED
    api.post(f"{API}{waiting.pk}/agree/", {}, format="json")
    application_return(reviewer=reviewer_for(authority), application_id=waiting.pk, reason="材料不全")
    with assert_nothing_changed():
        response = api.post(f"{API}{waiting.pk}/revoke/", {}, format="json")
    assert response.status_code == 409


def test_another_institutions_application_is_404(api, doctor_b):
    theirs = ApplicationFactory(institution=personas.institution(personas.Y), submitted=True)
    with assert_nothing_changed():
        for suffix in ("", "agree/", "disagree/", "revoke/"):
            method = api.get if not suffix else api.post
            assert method(f"{API}{theirs.pk}/{suffix}", {"reason": "x"}, format="json").status_code == 404


def test_wrong_role_is_403(doctor_a, waiting):
    client = APIClient()
    client.force_authenticate(doctor_a)
    assert client.get(API).status_code == 403
    assert client.post(f"{API}{waiting.pk}/agree/", {}, format="json").status_code == 403


def test_file_archive_then_resubmit_after_return(api, authority, doctor_a, doctor_b):
    """INS-10 over the API: file (201, agreed), another institution's doctor 404, resubmit after 退回."""
    record = PracticeRecord.objects.get(id_number_digest=doctor_a.id_number_digest)
    record_b = PracticeRecord.objects.get(id_number_digest=doctor_b.id_number_digest)
    retire = filing_reason("02")
    with assert_nothing_changed():
        response = api.post(
            API + "filings/",
            {"kind": "archive", "record": record_b.pk, "filing_reason": retire.pk},
            format="json",
        )
    assert response.status_code == 404
    with assert_nothing_changed():
        response = api.post(API + "filings/", {"kind": "archive", "record": record.pk}, format="json")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "filing_reason"
    response = api.post(
        API + "filings/",
        {"kind": "archive", "record": record.pk, "filing_reason": retire.pk, "statement": "退休"},
        format="json",
    )
    assert response.status_code == 201
    application = Application.objects.get(pk=response.json()["id"])
    assert application.initiator == Initiator.INSTITUTION and application.state == State.AGREED
    assert api.get(API + "filings/").json()["count"] == 1
    url = f"{API}filings/{application.pk}/resubmit/"
    assert api.post(url, {}, format="json").status_code == 409
    application_return(reviewer=reviewer_for(authority), application_id=application.pk, reason="请附证明")
    response = api.post(url, {"statement": "退休，附证明"}, format="json")
    assert response.status_code == 200 and response.json()["state"] == State.AGREED
    assert list(
        ApplicationEvent.objects.filter(application=application).values_list("action", flat=True)
    ) == [Action.CREATE, Action.SUBMIT, Action.AGREE, Action.RETURN, Action.RESUBMIT]


def test_file_rename(api, authority):
    response = api.post(
        API + "filings/", {"kind": "rename", "new_institution_name": "芙蓉区人民医院"}, format="json"
    )
    assert response.status_code == 201 and response.json()["requested"] == [
        "机构名称请求变更为：芙蓉区人民医院；"
    ]
    response = api.post(
        API + "filings/", {"kind": "rename", "new_institution_name": "又一个名字"}, format="json"
    )
    assert response.status_code == 409


def test_an_attachment_downloads_through_the_api(api, waiting, officer_y):
    """ID-7, INS-6: the detail's attachment URL downloads the file for the officer of X (never cached);
    Y's officer and another application's path find nothing."""
    from registrations.models import Attachment
    from registrations.private_files import attachments

    data = b"%PDF-1.4\n% console\n"
    Attachment.objects.create(
        application=waiting,
        kind="contract",
        stored_name=attachments.store(data, "pdf"),
        original_name="合同.pdf",
        content_type="application/pdf",
        size=len(data),
    )
    url = api.get(f"{API}{waiting.pk}/").json()["attachments"][0]["url"]
    assert url.startswith(API)
    response = api.get(url)
    assert response.status_code == 200 and response.content == data and "no-store" in response["Cache-Control"]
    theirs = ApplicationFactory(institution=personas.institution(personas.Y), submitted=True)
    assert api.get(url.replace(f"/{waiting.pk}/", f"/{theirs.pk}/")).status_code == 404
    other = APIClient()
    other.force_authenticate(officer_y)
    assert other.get(url).status_code == 404


def test_a_returned_filing_is_withdrawn_through_the_api(api, authority, doctor_a):
    """INS-10: POST filings/{id}/withdraw/ gives up a returned filing (已撤回); an agreed one is a 409."""
    record = PracticeRecord.objects.get(id_number_digest=doctor_a.id_number_digest)
    filed = api.post(
        f"{API}filings/",
        {"kind": "archive", "record": record.pk, "filing_reason": filing_reason("02").code, "statement": "退休"},
        format="json",
    )
    assert filed.status_code == 201, filed.json()
    pk = filed.json()["id"]
    with assert_nothing_changed():
        assert api.post(f"{API}filings/{pk}/withdraw/", {}, format="json").status_code == 409
    application_return(reviewer=reviewer_for(authority), application_id=pk, reason="材料不全")
    response = api.post(f"{API}filings/{pk}/withdraw/", {"reason": "不再办理"}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "withdrawn"
    assert ApplicationEvent.objects.filter(application_id=pk, action=Action.WITHDRAW, reason="不再办理").exists()
