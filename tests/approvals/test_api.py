"""The reviewer API (APP-1, APP-2, API-1): the admin's scope, filters, search, 批准 and 退回 over REST."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token

from docregsys.exceptions import TransitionRefused
from registrations.models import Application, ApplicationEvent, PracticeRecord, State

from .conftest import agreed_registration

API = "/api/v1/approvals/applications/"


def detail_url(application):
    return f"{API}{application.pk}/"


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


# ------------------------------------------------------------------------------------------ reading


def test_county_reviewer_lists_what_is_routed_to_them(client, county_reviewer, agreed):
    """APP-1: the row shows type, name, masked ID, category, institution, authority, state, dates; decidable."""
    client.force_login(county_reviewer)
    [row] = results(client.get(API))
    assert row["id"] == agreed.pk and row["kind"] == "register" and row["kind_display"] == "注册"
    assert row["real_name"] == "周新" and row["id_number_masked"] == agreed.id_number_masked
    assert row["category_display"] == "临床" and row["institution"]["name"] == "芙蓉医院"
    assert row["state_display"] == "卫健委审批中" and row["due_date"] and row["overdue"] is False
    assert row["decidable"] is True
    assert agreed.doctor.id_number not in client.get(API).content.decode()


@pytest.mark.parametrize(
    ("persona", "count", "decidable"),
    [
        ("tianxin_reviewer", 0, None),
        ("other_province_reviewer", 0, None),
        ("province_reviewer", 1, False),
        ("city_reviewer", 1, False),
        ("superuser", 1, False),
    ],
)
def test_others_see_their_regions_read_only(client, agreed, persona, count, decidable, request):
    """APP-1: another county or province sees nothing; higher levels and the superuser read, never decide."""
    client.force_login(request.getfixturevalue(persona))
    rows = results(client.get(API))
    assert len(rows) == count
    if rows:
        assert rows[0]["decidable"] is decidable


@pytest.mark.parametrize("persona", ["doctor_a", "officer_x"])
def test_doctors_and_officers_are_refused(client, agreed, persona, request):
    """API-1: the reviewer API is for reviewers: 403 in the error shape."""
    client.force_login(request.getfixturevalue(persona))
    response = client.get(API)
    assert response.status_code == 403 and response.json()["errors"][0]["message"]
    assert client.get(detail_url(agreed)).status_code == 403


def test_anonymous_is_refused(client, agreed):
    assert client.get(API).status_code == 403


def test_filters_like_the_admin(client, county_reviewer, officer_x, agreed):
    """APP-1: type, category, institution, state, date, overdue, name; a bad value is a 400."""
    late = agreed_registration(officer_x, real_name="钱迟")
    Application.objects.filter(pk=late.pk).update(due_date=timezone.localdate() - dt.timedelta(days=2))
    client.force_login(county_reviewer)

    def names(**params):
        return sorted(row["real_name"] for row in results(client.get(API, params)))

    assert names() == ["周新", "钱迟"]
    assert names(overdue="true") == ["钱迟"]
    assert names(overdue="false") == ["周新"]
    assert names(kind="register", state="agreed", category="clinical") == ["周新", "钱迟"]
    assert names(kind="change") == []
    assert names(category="dental") == []
    assert names(institution=agreed.institution_id) == ["周新", "钱迟"]
    assert names(name="钱") == ["钱迟"]
    today = timezone.localdate().isoformat()
    assert names(submitted_from=today, submitted_to=today) == ["周新", "钱迟"]
    assert client.get(API, {"state": "nonsense"}).status_code == 400
    assert client.get(API, {"submitted_from": "2024-13-40"}).status_code == 400


def test_detail_shows_the_request_the_record_and_the_timeline(
    client, county_reviewer, tianxin_reviewer, agreed
):
    """APP-1: the detail: requested change in words, events oldest first; another county's reviewer 404."""
    client.force_login(county_reviewer)
    response = client.get(detail_url(agreed))
    assert response.status_code == 200
    data = response.json()
    assert [e["action"] for e in data["events"]] == ["create", "submit", "agree"]
    assert data["events"][-1]["role_display"] == "医疗机构" and data["events"][-1]["actor_name"] == "刘管理"
    assert {"label": "执业范围", "text": "内科专业"} in data["requested"]
    assert data["record_before"] == [] and data["record_after"] == []
    client.force_login(tianxin_reviewer)
    assert client.get(detail_url(agreed)).status_code == 404


def test_search_by_id_number_in_the_body(client, county_reviewer, tianxin_reviewer, agreed):
    """X-3: the ID number is POSTed and compared by digest; outside scope finds nothing; empty is 400."""
    client.force_login(county_reviewer)
    number = agreed.doctor.id_number
    response = client.post(f"{API}search/", {"id_number": number}, content_type="application/json")
    assert response.status_code == 200 and [row["id"] for row in response.json()] == [agreed.pk]
    assert number not in response.content.decode()
    assert client.post(f"{API}search/", {}, content_type="application/json").status_code == 400
    client.force_login(tianxin_reviewer)
    response = client.post(f"{API}search/", {"id_number": number}, content_type="application/json")
    assert response.json() == []


@pytest.mark.parametrize("rows", [10, 1000])
def test_list_query_count_is_constant(client, county_reviewer, officer_x, django_assert_num_queries, rows):
    """APP-1: the same queries for 10 and 1,000 applications."""
    first = Application.objects.get(pk=agreed_registration(officer_x).pk)
    copies = []
    for i in range(rows - 1):
        values = {f.attname: getattr(first, f.attname) for f in Application._meta.concrete_fields}
        copies.append(Application(**{**values, "id": None, "id_number_digest": f"{i:064d}"}))
    Application.objects.bulk_create(copies)
    client.force_login(county_reviewer)
    client.get(API)
    # 1 session, 2 user, 3 authority and 4 its region (the scope), 5 the count, 6 the page of rows joined
    # with institution, authority and record.
    with django_assert_num_queries(6):
        response = client.get(API)
    assert response.json()["count"] == rows and len(response.json()["results"]) == min(rows, 50)


# ------------------------------------------------------------------------------------------ 批准


def test_approve_applies_the_effect_once(client, county_reviewer, agreed):
    """APP-2, REG-7: 批准 → approved with a record and its number; a second 批准 is 409, still one effect."""
    client.force_login(county_reviewer)
    response = client.post(f"{detail_url(agreed)}approve/")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["state"] == "approved" and data["decidable"] is False
    record = PracticeRecord.objects.get(id_number_digest=agreed.id_number_digest)
    assert {"label": "执业证书编码", "text": record.certificate_number} in data["record_after"]
    again = client.post(f"{detail_url(agreed)}approve/")
    assert again.status_code == 409 and again.json()["errors"][0]["code"] == "wrong_state"
    assert PracticeRecord.objects.filter(id_number_digest=agreed.id_number_digest).count() == 1
    assert ApplicationEvent.objects.filter(application=agreed, action="approve").count() == 1


def test_approve_with_a_token(client, county_reviewer, agreed):
    """API-1: token authentication works like the session."""
    token = Token.objects.create(user=county_reviewer)
    response = client.post(f"{detail_url(agreed)}approve/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    agreed.refresh_from_db()
    assert agreed.state == State.APPROVED


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("province_reviewer", 403), ("superuser", 403), ("tianxin_reviewer", 404), ("officer_x", 403)],
)
def test_only_the_routed_authority_decides(
    client, agreed, persona, expected, request, assert_nothing_changed
):
    """APP-2: a higher level or the superuser 403, another county 404; nothing changes."""
    client.force_login(request.getfixturevalue(persona))
    with assert_nothing_changed(f"{persona} decides"):
        assert client.post(f"{detail_url(agreed)}approve/").status_code == expected
        response = client.post(
            f"{detail_url(agreed)}return/", {"reason": "材料不全"}, content_type="application/json"
        )
        assert response.status_code == expected


def test_rules_refused_at_approval_are_all_listed(
    client, county_reviewer, agreed, monkeypatch, assert_nothing_changed
):
    """REG-5, APP-2: at approval the rules are checked again; every refusal is in the 409; nothing changes."""
    refusals = [
        TransitionRefused("规则一", code="one"),
        TransitionRefused("规则二", code="two", field="scopes"),
    ]
    monkeypatch.setattr("approvals.selectors.application_refusals", lambda **kwargs: refusals)
    client.force_login(county_reviewer)
    with assert_nothing_changed("批准 refused by the rules"):
        response = client.post(f"{detail_url(agreed)}approve/")
    assert response.status_code == 409
    assert response.json()["errors"] == [
        {"field": None, "code": "one", "message": "规则一"},
        {"field": "scopes", "code": "two", "message": "规则二"},
    ]


# ------------------------------------------------------------------------------------------ 退回


def test_return_needs_a_reason(client, county_reviewer, agreed, assert_nothing_changed):
    """APP-2: 退回 without a reason (missing, blank, too long, invisible characters) is 400 and changes nothing."""
    client.force_login(county_reviewer)
    url = f"{detail_url(agreed)}return/"
    with assert_nothing_changed("退回 without a good reason"):
        for body in ({}, {"reason": "  "}, {"reason": "长" * 501}, {"reason": "材料\u200b不全"}):
            response = client.post(url, body, content_type="application/json")
            assert response.status_code == 400, body
            assert response.json()["errors"][0]["field"] == "reason"


def test_return_with_reason(client, county_reviewer, agreed):
    """APP-2: 退回 with a reason: returned, the reason in the log; returning again is 409."""
    client.force_login(county_reviewer)
    url = f"{detail_url(agreed)}return/"
    response = client.post(url, {"reason": "缺少聘用合同"}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["state"] == "returned"
    assert response.json()["events"][-1]["reason"] == "缺少聘用合同"
    assert client.post(url, {"reason": "再退一次"}, content_type="application/json").status_code == 409
    assert ApplicationEvent.objects.filter(application=agreed, action="return").count() == 1


def test_an_attachment_downloads_for_whoever_may_read_the_application(
    client, county_reviewer, tianxin_reviewer, agreed
):
    """ID-7, APP-1: the detail's attachment URL downloads the file from private storage (never cached);
    another application's attachment and another region's reviewer find nothing."""
    from registrations.models import Attachment
    from registrations.private_files import attachments
    from tests.factories import ApplicationFactory

    data = b"%PDF-1.4\n% api\n"
    Attachment.objects.create(
        application=agreed,
        kind="contract",
        stored_name=attachments.store(data, "pdf"),
        original_name="合同.pdf",
        content_type="application/pdf",
        size=len(data),
    )
    client.force_login(county_reviewer)
    url = client.get(detail_url(agreed)).json()["attachments"][0]["url"]
    response = client.get(url)
    assert response.status_code == 200 and response.content == data
    assert response["Content-Type"] == "application/pdf" and "no-store" in response["Cache-Control"]
    assert "attachment" in response["Content-Disposition"]
    other = ApplicationFactory(agreed=True, institution=agreed.institution, authority=agreed.authority)
    assert client.get(url.replace(f"/{agreed.pk}/", f"/{other.pk}/")).status_code == 404
    client.force_login(tianxin_reviewer)
    assert client.get(url).status_code == 404
