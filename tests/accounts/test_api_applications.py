"""/api/v1/accounts/applications/ (REG-2 … REG-9, ACC-5d, ID-7, API-1): the doctor files and follows applications."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.selectors import may_file_before_activation
from docregsys.exceptions import TransitionRefused
from docregsys.messaging.models import OutboundMessage
from registrations import rules
from registrations.models import (
    Application,
    ApplicationEvent,
    Attachment,
    Initiator,
    Kind,
    PracticeRecord,
    State,
)
from registrations.private_files import attachments as attachment_store
from registrations.services.applications import application_agree
from tests import personas
from tests.applications import new_passer, reason, registered_doctor, route, scope
from tests.factories import (
    ApplicationFactory,
    DoctorFactory,
    InstitutionFactory,
    OfficerFactory,
    PracticeRecordFactory,
    make_resident_id,
)
from tests.photos import photo_bytes

pytestmark = pytest.mark.django_db

API = "/api/v1/accounts/applications/"


@pytest.fixture
def x():
    institution = personas.institution(personas.X)
    route(institution)
    return institution


@pytest.fixture
def passer():
    scope("内科专业")
    return new_passer()


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def register_body(institution, **extra) -> dict:
    return {
        "kind": "register",
        "institution": institution.pk,
        "level": "physician",
        "category": "clinical",
        "scopes": ["11"],
        "statement": "申请执业注册",
        **extra,
    }


def post(client, path, body):
    return client.post(path, json.dumps(body), content_type="application/json")


def codes(response) -> list[str]:
    return [error["code"] for error in response.json()["errors"]]


def stored() -> tuple[int, int, int, int]:
    return (
        Application.objects.count(),
        ApplicationEvent.objects.count(),
        Attachment.objects.count(),
        OutboundMessage.objects.count(),
    )


# ------------------------------------------------------------------------------------------ filing


def test_a_new_passer_files_a_registration_and_follows_it(x, passer):
    """REG-2, REG-4: POST files (save + submit): 201, 机构审核中, the requested change typed, a two-step timeline."""
    client = client_for(passer)
    response = post(client, API, register_body(x))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["kind"] == "register" and body["kind_display"] == "注册"
    assert body["state"] == "submitted" and body["state_display"] == "机构审核中"
    assert body["institution"] == "芙蓉医院" and body["authority"] is None
    assert body["location"] == {"code": "430000", "name": "湖南省"}  # a 执业医师: the institution's province
    assert body["scopes"] == [{"code": "11", "name": "内科专业"}]
    assert body["statement"] == "申请执业注册"
    assert [(e["action"], e["role"], e["to_state"]) for e in body["events"]] == [
        ("create", "doctor", "draft"),
        ("submit", "doctor", "submitted"),
    ]
    assert body["may_withdraw"] and not body["may_amend"] and not body["may_submit"]
    application = Application.objects.get()
    assert application.doctor == passer and application.state == State.SUBMITTED
    assert application.location_id == "430000" and application.institution == x

    listed = client.get(API).json()
    assert listed["count"] == 1 and listed["results"][0]["id"] == application.pk
    assert listed["results"][0]["state_display"] == "机构审核中"


@pytest.mark.parametrize("certificate", [True, False])
def test_the_registration_rests_on_the_doctors_qualification(x, certificate):
    """REG-7: the certificate (else, for a new passer, the passing exam result) goes on the application."""
    scope("内科专业")
    doctor = new_passer(certificate=certificate)
    assert post(client_for(doctor), API, register_body(x)).status_code == 201
    application = Application.objects.get()
    assert (application.qualification is not None) is certificate
    assert (application.exam_result is not None) is not certificate


def test_after_approval_the_doctor_sees_the_new_record(x, passer, officer_x):
    """REG-7: 已办结, with the record the approval created and its 执业证书编码."""
    from approvals.services import application_approve
    from tests.applications import reviewer_for

    client = client_for(passer)
    pk = post(client, API, register_body(x)).json()["id"]
    application = application_agree(officer=officer_x, application_id=pk)
    application_approve(reviewer=reviewer_for(application.authority), application_id=pk)
    body = client.get(f"{API}{pk}/").json()
    assert body["state_display"] == "已办结" and body["decided_at"]
    assert len(body["result_record"]["certificate_number"]) == 15
    assert body["result_record"]["main_institution"] == "芙蓉医院"
    assert [e["role"] for e in body["events"]] == ["doctor", "doctor", "officer", "reviewer"]


def test_the_timeline_names_roles_never_the_officer(x, passer, officer_x):
    """REG-4: each step shows the role (医疗机构) and the reason, not the officer's personal name."""
    client = client_for(passer)
    pk = post(client, API, register_body(x)).json()["id"]
    application_agree(officer=officer_x, application_id=pk, note="材料齐全")
    body = client.get(f"{API}{pk}/").json()
    assert body["state_display"] == "卫健委审批中" and body["authority"] and body["due_date"]
    agree = body["events"][-1]
    assert (
        agree["role"] == "officer" and agree["role_display"] == "医疗机构" and agree["reason"] == "材料齐全"
    )
    assert officer_x.real_name not in json.dumps(body, ensure_ascii=False)
    assert not body["may_withdraw"]


def test_a_second_open_application_of_the_type_is_409_and_nothing_is_stored(x, passer):
    """REG-5: one open application per type: 409 open_application_exists; no row, log or message added."""
    client = client_for(passer)
    assert post(client, API, register_body(x)).status_code == 201
    before = stored()
    response = post(client, API, register_body(x))
    assert response.status_code == 409
    assert "open_application_exists" in codes(response)
    assert "业务查询" in response.json()["errors"][0]["message"]
    assert stored() == before


def test_a_refused_filing_answers_every_failed_rule_and_stores_nothing(x, passer, monkeypatch):
    """REG-2: every failed rule at once, with code, Chinese message and field; nothing kept."""

    def first(ctx):
        return TransitionRefused("执业范围不属于资格类别。", code="scope_category", field="scopes")

    def second(ctx):
        return TransitionRefused("需要上传医师执业培训合格证书。", code="training_required", field="file")

    monkeypatch.setitem(rules.RULES, Kind.REGISTER, [rules.request_rule(first), rules.request_rule(second)])
    before = stored()
    response = post(client_for(passer), API, register_body(x))
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "scopes", "code": "scope_category", "message": "执业范围不属于资格类别。"},
        {"field": "file", "code": "training_required", "message": "需要上传医师执业培训合格证书。"},
    ]
    assert stored() == before


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"institution": 999999}, "institution", "该医疗机构不存在或已停用"),
        ({"institution": 2**40}, "institution", ""),
        ({"institution": "芙蓉医院"}, "institution", ""),
        ({"scopes": ["11", "99"]}, "scopes", "没有这个执业范围：99"),
        ({"scopes": ["11"] * 11}, "scopes", ""),
        ({"level": "chief"}, "level", ""),
        ({"kind": "rename"}, "kind", ""),
        ({"statement": "缘" * 501}, "statement", "500"),
        ({"statement": "申请\u200b注册"}, "statement", "看不见的特殊字符"),
        ({"military_unit": "部" * 101}, "military_unit", "100"),
        ({"deregistration_reason": "77"}, "deregistration_reason", "十种注销情形"),
        ({"scopes": {"a": {"b": [1, 2, {"c": None}]}}}, "scopes", ""),
    ],
)
def test_bad_input_is_a_400_next_to_the_field_and_stores_nothing(x, passer, change, field, message):
    """X-4 / API-1: a wrong id, code, length or shape is a Chinese message on its field, never a 500."""
    before = stored()
    response = post(client_for(passer), API, {**register_body(x), **change})
    assert response.status_code == 400, response.json()
    errors = response.json()["errors"]
    assert field in [error["field"] for error in errors]
    assert message in " ".join(error["message"] for error in errors)
    assert stored() == before


def test_another_persons_record_filing_or_location_is_refused_by_field(x, passer):
    """Input is looked up within what the doctor may use: another person's ids are a 400, never theirs to name."""
    other, record = registered_doctor(at=x, real_name="钱某")
    filing = record.filings.create(institution=InstitutionFactory(), filed_on="2020-01-01")
    client = client_for(passer)
    response = post(
        client, API, {"kind": "filing_cancel", "record": record.pk, "filing": filing.pk, "statement": "取消"}
    )
    assert response.status_code == 400
    fields = {error["field"]: error["message"] for error in response.json()["errors"]}
    assert fields["record"].startswith("未找到您的这条执业注册信息")
    assert fields["filing"].startswith("未找到您的这条多执业机构备案")
    assert not Application.objects.exists()


def test_deeply_nested_json_is_a_400(x, passer):
    """X-4: a body nested beyond the parser's depth limit is refused in the error shape, not a 500."""
    body = '{"kind": "register", "scopes": ' + "[" * 64 + "]" * 64 + "}"
    response = client_for(passer).post(API, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"]
    assert not Application.objects.exists()


def test_without_an_institution_nothing_is_saved(passer):
    """Every application is routed to an institution: missing, it is a 400 on that field (no 500)."""
    body = {"kind": "register", "level": "physician", "category": "clinical", "scopes": ["11"]}
    for path in (API, f"{API}draft/"):
        response = post(client_for(passer), path, body)
        assert response.status_code == 400
        assert response.json()["errors"] == [
            {"field": "institution", "code": "invalid", "message": "请选择执业机构。"}
        ]
    assert not Application.objects.exists()


# ------------------------------------------------------------------------------------------ drafts and amending


def test_draft_amend_submit_withdraw(x, passer):
    """REG-4: 保存草稿 → PATCH → PUT → 提交 → 撤回, each through the services, each in the log."""
    client = client_for(passer)
    response = post(client, f"{API}draft/", register_body(x, statement=""))
    assert response.status_code == 201
    pk = response.json()["id"]
    assert response.json()["state"] == "draft" and response.json()["may_amend"]

    response = client.patch(f"{API}{pk}/", {"statement": "到芙蓉医院执业"}, format="json")
    assert response.status_code == 200
    assert response.json()["statement"] == "到芙蓉医院执业" and response.json()["version"] == 2
    assert response.json()["scopes"] == [{"code": "11", "name": "内科专业"}]  # kept: not in the body

    response = client.put(f"{API}{pk}/", {**register_body(x), "kind": "change"}, format="json")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "kind"

    body = register_body(x, statement="全部重写")
    del body["kind"]
    response = client.put(f"{API}{pk}/", body, format="json")
    assert response.status_code == 200 and response.json()["statement"] == "全部重写"

    response = client.post(f"{API}{pk}/submit/")
    assert response.status_code == 200 and response.json()["state"] == "submitted"
    before = stored()
    response = client.post(f"{API}{pk}/submit/")
    assert response.status_code == 409 and codes(response) == ["wrong_state"]
    response = client.patch(f"{API}{pk}/", {"statement": "晚了"}, format="json")
    assert response.status_code == 409 and codes(response) == ["not_editable"]
    assert stored() == before

    response = client.post(f"{API}{pk}/withdraw/", {"reason": "选错机构"}, format="json")
    assert response.status_code == 200 and response.json()["state_display"] == "已撤回"
    assert [e["action"] for e in response.json()["events"]] == ["create", "submit", "withdraw"]
    assert response.json()["events"][-1]["reason"] == "选错机构"


def test_withdraw_after_the_institution_agreed_is_409_and_changes_nothing(x, passer, officer_x):
    """REG-4: the doctor withdraws only before the institution acts."""
    client = client_for(passer)
    pk = post(client, API, register_body(x)).json()["id"]
    application_agree(officer=officer_x, application_id=pk)
    before = stored()
    response = client.post(f"{API}{pk}/withdraw/", {}, format="json")
    assert response.status_code == 409
    assert Application.objects.get(pk=pk).state == State.AGREED
    assert stored() == before


def test_a_change_draft_takes_what_the_record_implies(x):
    """变更 with only the record: level, category, scopes and main institution come from the record, the
    location follows the institution (REG-1)."""
    scope("内科专业")
    doctor, record = registered_doctor(at=x)
    response = post(
        client_for(doctor), f"{API}draft/", {"kind": "change", "record": record.pk, "statement": "变更范围"}
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (
        body["record"]["id"] == record.pk
        and body["record"]["certificate_number"] == record.certificate_number
    )
    assert (
        body["institution"] == "芙蓉医院" and body["level"] == "physician" and body["category"] == "clinical"
    )
    assert body["scopes"] == [{"code": "11", "name": "内科专业"}]
    assert body["location"]["code"] == "430000"


def test_a_deregistration_goes_to_the_records_main_institution(x):
    """注销: the confirming institution is the record's main institution; the reason by its code."""
    doctor, record = registered_doctor(at=x)
    reason("10")
    response = post(
        client_for(doctor),
        f"{API}draft/",
        {"kind": "deregister", "record": record.pk, "deregistration_reason": "10"},
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["institution"] == "芙蓉医院"
    assert body["deregistration_reason"] == {"code": "10", "name": "本人主动申请的"}


def test_an_application_the_institution_filed_is_seen_but_not_changed(x, passer):
    """INS-10: the doctor sees what the institution filed about them, and cannot amend or withdraw it."""
    application = ApplicationFactory(
        doctor=None,
        real_name=passer.real_name,
        id_number_digest=passer.id_number_digest,
        institution=x,
        kind=Kind.DEREGISTER,
        initiator=Initiator.INSTITUTION,
        returned=True,
    )
    client = client_for(passer)
    body = client.get(f"{API}{application.pk}/").json()
    assert body["initiator"] == "institution" and not body["may_amend"] and not body["may_withdraw"]
    before = stored()
    for response in (
        client.post(f"{API}{application.pk}/withdraw/", {}, format="json"),
        client.post(f"{API}{application.pk}/submit/"),
        client.patch(f"{API}{application.pk}/", {"statement": "x"}, format="json"),
    ):
        assert response.status_code == 409 and codes(response) == ["not_doctors_application"]
    assert stored() == before


# ------------------------------------------------------------------------------------------ scope and roles


def test_another_doctors_application_is_a_404_everywhere(x, passer, doctor_a):
    """STYLE §2: outside the doctor's scope is 404 (read, amend, submit, withdraw, attachments)."""
    pk = post(client_for(passer), f"{API}draft/", register_body(x)).json()["id"]
    client = client_for(doctor_a)
    before = stored()
    assert client.get(f"{API}{pk}/").status_code == 404
    assert client.patch(f"{API}{pk}/", {"statement": "x"}, format="json").status_code == 404
    assert client.post(f"{API}{pk}/submit/").status_code == 404
    assert client.post(f"{API}{pk}/withdraw/", {}, format="json").status_code == 404
    upload = {"kind": "id_card", "file": _jpg()}
    assert client.post(f"{API}{pk}/attachments/", upload, format="multipart").status_code == 404
    assert client.get(API).json()["count"] == 0
    assert stored() == before


@pytest.mark.parametrize("who", ["officer_x", "county_reviewer", "superuser"])
def test_other_roles_are_refused_with_403(request, x, passer, who):
    """Officers, reviewers and the superuser use their own interfaces: 403 here."""
    pk = post(client_for(passer), f"{API}draft/", register_body(x)).json()["id"]
    client = client_for(request.getfixturevalue(who))
    before = stored()
    for response in (
        client.get(API),
        client.get(f"{API}{pk}/"),
        client.get(f"{API}kinds/"),
        post(client, API, register_body(x)),
        client.post(f"{API}{pk}/withdraw/", {}, format="json"),
    ):
        assert response.status_code == 403
    assert stored() == before


def test_anonymous_is_403():
    assert client_for(None).get(API).status_code == 403


def test_an_unactivated_doctor_with_a_record_here_is_403(x):
    """ACC-5: a doctor with a valid record here activates by the institution's code first (not path d)."""
    number = make_resident_id("430102", "19900101", "555")
    PracticeRecordFactory(real_name="孙丙", id_number=number, main_institution=x)
    doctor = DoctorFactory(real_name="孙丙", id_number=number, phone_verified=True)
    assert not may_file_before_activation(doctor)
    response = post(client_for(doctor), API, register_body(x))
    assert response.status_code == 403 and codes(response) == ["not_activated"]
    assert "激活" in response.json()["errors"][0]["message"]
    assert not Application.objects.exists()


def path_d_doctor():
    """Checked, not activated, and nothing here to activate with: a registration that ended (变更出)."""
    number = make_resident_id("430102", "19800808", "717")
    PracticeRecordFactory(real_name="冯丁", id_number=number, state=PracticeRecord.State.TRANSFERRED_OUT)
    return DoctorFactory(real_name="冯丁", id_number=number, phone_verified=True)


def test_path_d_files_registration_and_change_only(x):
    """ACC-5d: checked, not activated, no record to activate with: 注册 and 变更 may be filed, nothing else."""
    scope("内科专业")
    doctor = path_d_doctor()
    assert may_file_before_activation(doctor)
    client = client_for(doctor)
    kinds = {k["kind"]: k["available"] for k in client.get(f"{API}kinds/").json()["kinds"]}
    assert kinds["register"] and kinds["change"] and not kinds["deregister"]
    before = stored()
    response = post(client, API, {"kind": "reissue", "institution": x.pk})
    assert response.status_code == 403 and codes(response) == ["not_activated"]
    assert response.json()["errors"][0]["field"] == "kind"
    assert stored() == before
    # The draft is kept without the rules: what is allowed before activation, not whether the rules pass.
    response = post(client, f"{API}draft/", register_body(x))
    assert response.status_code == 201 and response.json()["state"] == "draft"
    assert client.get(API).json()["count"] == 1
    body = client.get(f"{API}guide/", {"want": "deregister"}).json()
    assert "not_activated" in [r["code"] for r in body["refusals"]] and not body["may_file"]


def test_a_new_passer_not_yet_activated_may_file_and_is_activated_by_the_approval(x):
    """ACC-5d beside b/c: a new passer (certificate and passing result) files 注册 before activating;
    the approval activates the account."""
    from approvals.services import application_approve
    from registrations.services.applications import application_agree
    from tests.applications import reviewer_for

    scope("内科专业")
    authority = route(x)
    doctor = new_passer(activated=False)
    assert may_file_before_activation(doctor)
    response = post(client_for(doctor), API, register_body(x))
    assert response.status_code == 201, response.json()
    officer = OfficerFactory(institution=x)
    application_agree(officer=officer, application_id=response.json()["id"])
    application_approve(reviewer=reviewer_for(authority), application_id=response.json()["id"])
    doctor.refresh_from_db()
    assert doctor.is_activated and doctor.activation_path == "approval"


def test_an_unchecked_doctor_may_not_file_before_activation():
    """ACC-5d needs the check (ACC-3) passed."""
    doctor = DoctorFactory()
    assert not may_file_before_activation(doctor)
    assert client_for(doctor).get(API).status_code == 403


# ------------------------------------------------------------------------------------------ the list


def test_the_list_filters_by_state_and_kind_and_is_paged(x, passer):
    """业务查询: ?state= and ?kind= filter, 20 per page, another doctor's rows never appear."""
    ApplicationFactory(doctor=passer, institution=x, submitted=True)
    for _ in range(21):
        ApplicationFactory(doctor=passer, institution=x, kind=Kind.CHANGE, withdrawn=True)
    ApplicationFactory(institution=x, submitted=True)  # someone else's
    client = client_for(passer)
    page = client.get(API).json()
    assert page["count"] == 22 and len(page["results"]) == 20 and page["next"]
    assert client.get(API, {"state": "submitted"}).json()["count"] == 1
    assert client.get(API, {"kind": "change"}).json()["count"] == 21
    response = client.get(API, {"state": "bogus"})
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "state"
    assert client.get(API, {"page": 9}).status_code == 404


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(API).status_code == 200
    return len(queries)


def test_the_list_costs_the_same_queries_for_1_and_15_applications(x, passer):
    """STYLE §5: the rows' institution and authority come with the page (count + page, whatever the size)."""
    client = client_for(passer)
    ApplicationFactory(doctor=passer, institution=x, approved=True)
    one = _list_queries(client)
    for _ in range(14):
        ApplicationFactory(doctor=passer, institution=x, kind=Kind.CHANGE, approved=True)
    assert _list_queries(client) == one


# ------------------------------------------------------------------------------------------ attachments


def _jpg(name="id.jpg"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, photo_bytes(), content_type="image/jpeg")


def test_attachments_upload_download_delete(x, passer, doctor_a, django_capture_on_commit_callbacks):
    """ID-7: a checked JPG on a draft; downloaded by its owner only (nosniff, attachment); deleted with its file."""
    client = client_for(passer)
    pk = post(client, f"{API}draft/", register_body(x)).json()["id"]
    response = client.post(f"{API}{pk}/attachments/", {"kind": "id_card", "file": _jpg()}, format="multipart")
    assert response.status_code == 201, response.json()
    attachment = response.json()
    assert attachment["kind_display"] == "身份证" and attachment["name"] == "id.jpg"
    assert attachment["content_type"] == "image/jpeg"
    url = attachment["url"]
    assert url == f"{API}{pk}/attachments/{attachment['id']}/"
    assert client.get(f"{API}{pk}/").json()["attachments"][0]["id"] == attachment["id"]

    download = client.get(url)
    assert download.status_code == 200 and download.content == photo_bytes()
    assert download["Content-Type"] == "image/jpeg"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment")
    assert client_for(doctor_a).get(url).status_code == 404
    other = post(client, f"{API}draft/", {**register_body(x), "kind": "change"})
    if other.status_code == 201:  # the same attachment under another application of the doctor's: 404
        assert client.get(f"{API}{other.json()['id']}/attachments/{attachment['id']}/").status_code == 404

    stored_name = Attachment.objects.get().stored_name
    with django_capture_on_commit_callbacks(execute=True):  # the file goes after commit
        assert client.delete(url).status_code == 204
    assert not Attachment.objects.exists()
    assert attachment_store.read(stored_name) is None
    assert client.get(url).status_code == 404


def test_an_html_file_named_jpg_is_refused_and_nothing_is_stored(x, passer):
    """ID-7: checked by content: HTML renamed .jpg is a 400 on the file field; no row, no file."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(passer)
    pk = post(client, f"{API}draft/", register_body(x)).json()["id"]
    fake = SimpleUploadedFile(
        "scan.jpg", b"<html><script>alert(1)</script></html>", content_type="image/jpeg"
    )
    response = client.post(f"{API}{pk}/attachments/", {"kind": "id_card", "file": fake}, format="multipart")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "file"
    assert not Attachment.objects.exists()
    response = client.post(
        f"{API}{pk}/attachments/", {"kind": "nonsense", "file": _jpg()}, format="multipart"
    )
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "kind"


def test_attachments_of_a_submitted_application_are_409(x, passer):
    """ID-7: attachments change only while the application can be edited (draft, returned)."""
    client = client_for(passer)
    pk = post(client, API, register_body(x)).json()["id"]
    before = stored()
    response = client.post(f"{API}{pk}/attachments/", {"kind": "id_card", "file": _jpg()}, format="multipart")
    assert response.status_code == 409 and codes(response) == ["not_editable"]
    assert stored() == before


# ------------------------------------------------------------------------------------------ before a form


def test_kinds_explain_every_type_and_the_in_person_cases(passer):
    """REG-2: the eleven types a doctor files with seed 002's explanation; in-person cases explained."""
    reason("01")
    body = client_for(passer).get(f"{API}kinds/").json()
    assert [k["kind"] for k in body["kinds"]][:3] == ["register", "upgrade", "military_in"]
    assert len(body["kinds"]) == 11 and all(k["explanation"] and k["available"] for k in body["kinds"])
    register = body["kinds"][0]
    assert register["explanation"].startswith("凡取得国内医师资格的，均可申请医师执业注册。")
    assert "补录老人资格。" in body["in_person"] and len(body["in_person"]) == 4
    assert {"code": "01", "name": "死亡或者被宣告失踪的"} in body["deregistration_reasons"]
    assert body["wants"][0]["want"] == "practise" and body["wants"][0]["kind"] == "register"


def test_the_guide_answers_the_type_rules_and_materials(x, passer):
    """智能引导: want + institution → the type, the rules that already fail, the province's materials."""
    client = client_for(passer)
    response = client.get(f"{API}guide/", {"want": "practise", "institution": x.pk})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["kind"] == "register" and body["kind_display"] == "注册"
    assert body["may_file"] is True and body["refusals"] == []
    assert any("申请审核表" in item for item in body["materials"])
    post(client, API, register_body(x))
    body = client.get(f"{API}guide/", {"want": "practise"}).json()
    assert not body["may_file"] and [r["code"] for r in body["refusals"]] == ["open_application_exists"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"want": "fly"}, "want"),
        ({}, "want"),
        ({"want": "practise", "institution": "abc"}, "institution"),
        ({"want": "practise", "institution": "99999999999999999999"}, "institution"),
        ({"want": "practise", "institution": "424242"}, "institution"),
    ],
)
def test_the_guide_refuses_bad_questions_with_400(passer, query, field):
    response = client_for(passer).get(f"{API}guide/", query)
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == field


def test_check_answers_the_rules_without_filing(x, passer):
    """REG-2: check/ runs the rules at FORM for a body: [] = may file; REG-5 once one is open; stores nothing."""
    client = client_for(passer)
    before = stored()
    response = post(client, f"{API}check/", register_body(x))
    assert response.status_code == 200 and response.json() == {"may_file": True, "refusals": []}
    assert stored() == before
    response = post(client, f"{API}check/", {"kind": "register", "scopes": ["11"]})
    assert response.status_code == 200
    assert response.json()["refusals"][0] == {
        "field": "institution",
        "code": "institution_required",
        "message": "请选择执业机构。",
    }
    pk = post(client, f"{API}draft/", register_body(x)).json()["id"]
    response = post(client, f"{API}check/", register_body(x))
    assert [r["code"] for r in response.json()["refusals"]] == ["open_application_exists"]
    # Checking the draft itself (as amended) is not a duplicate of itself.
    response = post(client, f"{API}check/", {**register_body(x), "application": pk})
    assert response.json() == {"may_file": True, "refusals": []}
    response = post(client, f"{API}check/", {**register_body(x), "application": pk + 1000})
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "application"


# ------------------------------------------------------------------------------------------ the schema


def _schema():
    from tests.platform.apischema import served_schema

    global _SCHEMA
    if _SCHEMA is None:
        _SCHEMA = served_schema()
    return _SCHEMA


_SCHEMA = None


def schema_call(method, template, path=None, *, user, body=None, **kwargs):
    """Call through the WSGI handler with a token; the status must be documented and the body match the schema."""
    from rest_framework.authtoken.models import Token
    from werkzeug import Client

    schema = _schema()
    headers = {"Authorization": f"Token {Token.objects.get_or_create(user=user)[0].key}"}
    if body is not None:
        kwargs.update(data=json.dumps(body), content_type="application/json")
    response = Client(schema.app).open(path or template, method=method, headers=headers, **kwargs)
    documented = schema.raw_schema["paths"][template][method.lower()]["responses"]
    assert str(response.status_code) in documented, f"{method} {template}: {response.status_code}"
    schema[template][method].validate_response(response)
    content_type = response.headers.get("Content-Type", "")
    return response.status_code, (json.loads(response.get_data()) if "json" in content_type else None)


@pytest.fixture
def through_wsgi():
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_every_answer_matches_the_openapi_schema(x, passer, officer_x, monkeypatch, through_wsgi):
    """API-1: real answers (nulls, nested objects, files, refusal lists) are what the schema documents."""
    import io

    tpl = "/api/v1/accounts/applications/{id}/"
    status_code, body = schema_call("POST", API, user=passer, body=register_body(x))
    assert status_code == 201 and body["authority"] is None and body["record"] is None
    pk = body["id"]
    application_agree(officer=officer_x, application_id=pk)
    status_code, body = schema_call("GET", tpl, f"{API}{pk}/", user=passer)
    assert status_code == 200 and body["due_date"] and body["authority"]
    assert schema_call("GET", API, user=passer, query_string={"state": "agreed"})[0] == 200
    assert schema_call("GET", f"{API}kinds/", user=passer)[0] == 200
    assert schema_call("GET", f"{API}guide/", user=passer, query_string={"want": "practise"})[0] == 200
    status_code, body = schema_call("POST", f"{API}check/", user=passer, body=register_body(x))
    assert status_code == 200 and body["refusals"][0]["code"] == "open_application_exists"
    status_code, body = schema_call("POST", API, user=passer, body=register_body(x))
    assert status_code == 409 and body["errors"][0]["field"] is None

    doctor, record = registered_doctor(at=x)
    reason("10")
    status_code, body = schema_call(
        "POST",
        f"{API}draft/",
        user=doctor,
        body={"kind": "deregister", "record": record.pk, "deregistration_reason": "10"},
    )
    assert status_code == 201 and body["record"]["id"] == record.pk and body["location"] is None
    pk = body["id"]
    status_code, attachment = schema_call(
        "POST",
        f"{tpl}attachments/",
        f"{API}{pk}/attachments/",
        user=doctor,
        data={"kind": "id_card", "file": (io.BytesIO(photo_bytes()), "身份证.jpg", "image/jpeg")},
    )
    assert status_code == 201 and attachment["name"] == "身份证.jpg"
    status_code, _body = schema_call(
        "GET", f"{tpl}attachments/{{attachment_id}}/", attachment["url"], user=doctor
    )
    assert status_code == 200
    status_code, body = schema_call("PATCH", tpl, f"{API}{pk}/", user=doctor, body={"statement": "本人申请"})
    assert status_code == 200 and body["attachments"][0]["id"] == attachment["id"]
    status_code, body = schema_call(
        "PUT", tpl, f"{API}{pk}/", user=doctor, body={"record": record.pk, "statement": "x"}
    )
    assert status_code == 200 and body["deregistration_reason"] is None

    monkeypatch.setitem(
        rules.RULES,
        Kind.DEREGISTER,
        [
            rules.request_rule(
                lambda ctx: TransitionRefused(
                    "请选择注销情形。", code="reason_required", field="deregistration_reason"
                )
            )
        ],
    )
    status_code, body = schema_call("POST", f"{tpl}submit/", f"{API}{pk}/submit/", user=doctor)
    assert status_code == 400 and body["errors"][0]["field"] == "deregistration_reason"
    status_code, body = schema_call("POST", f"{tpl}withdraw/", f"{API}{pk}/withdraw/", user=doctor, body={})
    assert status_code == 200 and body["state"] == "withdrawn"


def test_the_institution_picker_finds_by_name_registration_number_and_pinyin_initials(x, passer):
    """REG-2 choosing an institution: name, 登记号 or pinyin initials, active ones only; a query is required."""
    client = client_for(passer)
    by_name = client.get(f"{API}institutions/", {"q": "芙蓉"}).json()
    by_initials = client.get(f"{API}institutions/", {"q": "fr"}).json()
    by_number = client.get(f"{API}institutions/", {"q": x.registration_number[:8]}).json()
    assert [row["id"] for row in by_name] == [x.pk] and by_name[0]["region"].startswith("湖南省")
    assert x.pk in [row["id"] for row in by_initials] and x.pk in [row["id"] for row in by_number]
    type(x).objects.filter(pk=x.pk).update(is_active=False)
    assert client.get(f"{API}institutions/", {"q": "芙蓉"}).json() == []
    refused = client.get(f"{API}institutions/", {"q": " "})
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "q"
    assert client.get(f"{API}institutions/", {"q": "芙蓉", "kind": "nonsense"}).status_code == 400
