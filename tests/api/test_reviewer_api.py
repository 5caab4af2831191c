"""The reviewers' REST API beyond applications (API-1): institutions, officers, INS-2 settings, imports,
questions, practice records and material lists — the admin's scope and services, refusals change nothing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Question, User
from docregsys.messaging.models import OutboundMessage
from institutions.models import Institution, InstitutionAuthority
from qualifications.models import ImportBatch
from registrations.models import MaterialList
from tests import personas
from tests.factories import InstitutionFactory, PracticeRecordFactory, make_resident_id

pytestmark = pytest.mark.django_db

API = "/api/v1/approvals/"


def _login(client, user):
    client.force_login(user)
    return client


def _results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def _error(response) -> dict:
    return response.json()["errors"][0]


# ------------------------------------------------------------------------------------------ institutions


def test_institutions_are_those_of_the_reviewers_region_with_filters(
    client, county_reviewer, other_province_reviewer
):
    """APP-3: 芙蓉区 sees 芙蓉医院 only; ?q= matches name, pinyin initials or 登记号; 湖北省 sees none of 湖南."""
    personas.institutions()
    _login(client, county_reviewer)
    rows = _results(client.get(f"{API}institutions/"))
    assert [r["name"] for r in rows] == ["芙蓉医院"]
    assert rows[0]["region"]["code"] == "430102"
    assert _results(client.get(f"{API}institutions/", {"q": "fryy"}))[0]["name"] == "芙蓉医院"
    assert _results(client.get(f"{API}institutions/", {"q": "天心"})) == []
    assert _results(client.get(f"{API}institutions/", {"licence": "unknown", "is_active": "true"}))
    _login(client, other_province_reviewer)
    assert [r["name"] for r in _results(client.get(f"{API}institutions/"))] == ["江岸医院"]


def test_list_is_paginated_with_a_bounded_page_size(client, superuser, django_assert_num_queries):
    """API-1: ?page_size= up to 200; one query for the count, one for the page, one for the subjects."""
    region = personas.region("furong")
    for n in range(5):
        InstitutionFactory(name=f"测试医院{n}", region=region)
    _login(client, superuser)
    client.get(f"{API}institutions/")  # warm the session and the user
    with django_assert_num_queries(5):  # session, user, count, page, subjects (prefetch)
        body = client.get(f"{API}institutions/", {"page_size": 2}).json()
    assert len(body["results"]) == 2 and body["count"] >= 5 and body["next"]
    assert len(client.get(f"{API}institutions/", {"page_size": 10000}).json()["results"]) <= 200
    assert client.get(f"{API}institutions/", {"page": 999}).status_code == 404


def test_reviewer_creates_an_institution_in_their_region(client, county_reviewer):
    """APP-3 增加: NFKC-normalised name, subjects by code, one history row by the reviewer."""
    _login(client, county_reviewer)
    response = client.post(
        f"{API}institutions/",
        {
            "name": "芙蓉社区卫生服务中心",
            "registration_number": "ＰＤＹ００１",
            "region": "430102",
            "postcode": "410011",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    created = Institution.objects.get(pk=response.json()["id"])
    assert created.registration_number == "PDY001" and created.region_id == "430102"
    assert created.history.get().history_user == county_reviewer


@pytest.mark.parametrize(
    ("body", "status", "field", "code"),
    [
        ({"region": "430103"}, 400, "region", "region_out_of_scope"),  # 天心区: not 芙蓉区's
        ({"registration_number": "TAKEN01"}, 409, "registration_number", "registration_number_taken"),
        ({"postcode": "4100"}, 400, "postcode", "invalid_postcode"),
        ({"name": "芙蓉\u200b医院"}, 400, "name", "invisible_characters"),
        ({"name": ""}, 400, "name", "blank"),
    ],
)
def test_create_refusals_leave_nothing_behind(client, county_reviewer, body, status, field, code):
    """APP-3: each rule refuses with its field and code, in Chinese, and no institution is written."""
    personas.regions()
    InstitutionFactory(registration_number="TAKEN01", region=personas.region("furong"))
    before = Institution.objects.count()
    _login(client, county_reviewer)
    data = {"name": "新医院", "registration_number": "NEW001", "region": "430102", **body}
    response = client.post(f"{API}institutions/", data, content_type="application/json")
    assert response.status_code == status
    error = _error(response)
    assert (error["field"], error["code"]) == (field, code)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in error["message"])
    assert Institution.objects.count() == before


def test_update_keeps_the_institution_in_scope_and_another_regions_is_a_404(
    client, county_reviewer, tianxin_reviewer
):
    """APP-3 修改 / 停用; moving X out of the region is refused; 天心区's reviewer finds nothing."""
    x = personas.institution(personas.X)
    _login(client, county_reviewer)
    url = f"{API}institutions/{x.pk}/"
    response = client.patch(
        url, {"address": "芙蓉中路1号", "is_active": False}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["is_active"] is False
    response = client.patch(url, {"region": "430103"}, content_type="application/json")
    assert response.status_code == 400 and _error(response)["code"] == "region_out_of_scope"
    x.refresh_from_db()
    assert x.region_id == "430102" and x.address == "芙蓉中路1号"
    _login(client, tianxin_reviewer)
    assert client.get(url).status_code == 404
    assert client.patch(url, {"address": "x"}, content_type="application/json").status_code == 404


@pytest.mark.parametrize("persona", ["doctor_a", "officer_x"])
def test_other_roles_are_refused(client, persona, request):
    _login(client, request.getfixturevalue(persona))
    assert client.get(f"{API}institutions/").status_code == 403
    assert client.get(f"{API}questions/").status_code == 403


def test_authority_settings_read_and_set(client, county_reviewer):
    """INS-2: the four categories with their choices; setting one uses the console's rules and service."""
    x = personas.institution(personas.X)
    furong = personas.authority("furong")
    _login(client, county_reviewer)
    url = f"{API}institutions/{x.pk}/authorities/"
    settings = client.get(url).json()
    assert [s["category"] for s in settings] == ["clinical", "dental", "public_health", "tcm"]
    assert furong.pk in [c["id"] for c in settings[0]["choices"]]
    response = client.put(
        url, {"category": "clinical", "authority": furong.pk}, content_type="application/json"
    )
    assert response.status_code == 200
    assert InstitutionAuthority.objects.get(institution=x, category="clinical").authority == furong
    hubei = personas.authority("hubei")
    response = client.put(url, {"category": "dental", "authority": hubei.pk}, content_type="application/json")
    assert response.status_code == 400 and _error(response)["code"] == "authority_not_allowed"
    assert not InstitutionAuthority.objects.filter(institution=x, category="dental").exists()


def test_officer_account_created_with_the_password_sent_by_sms(client, county_reviewer):
    """INS-1: the officer exists, must change the password, the SMS carries it; the answer never does."""
    x = personas.institution(personas.X)
    _login(client, county_reviewer)
    url = f"{API}institutions/{x.pk}/officers/"
    response = client.post(
        url,
        {"username": "frofficer2", "real_name": "周管理", "phone": "13812345678"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    officer = User.objects.get(username="frofficer2")
    assert officer.role == User.Role.OFFICER and officer.institution == x and officer.must_change_password
    assert body["sent_to"] == officer.phone_masked and "password" not in str(body).lower()
    sms = OutboundMessage.objects.filter(destination="13812345678").get()
    assert "frofficer2" in sms.body
    assert [o["username"] for o in client.get(url).json()] == ["frofficer2"]
    again = client.post(
        url,
        {"username": "frofficer2", "real_name": "周管理", "phone": "13812345679"},
        content_type="application/json",
    )
    assert again.status_code == 409 and _error(again)["code"] == "username_taken"
    assert User.objects.filter(username__iexact="frofficer2").count() == 1


# ---------------------------------------------------------------------------------------------- imports

CSV = "年度,考试类别,准考证号,姓名,证件号码,考区,考点,笔试成绩,合格线\n".encode()


def test_county_reviewer_may_not_import_but_a_province_may(client, county_reviewer, province_reviewer):
    """QUA-3: import is for national and provincial levels; the upload becomes a batch that is polled."""
    _login(client, county_reviewer)
    upload = SimpleUploadedFile("exam.csv", CSV, content_type="text/csv")
    response = client.post(f"{API}imports/", {"kind": "exam_results", "file": upload})
    assert response.status_code == 403
    assert not ImportBatch.objects.exists()
    _login(client, province_reviewer)
    upload = SimpleUploadedFile("exam.csv", CSV, content_type="text/csv")
    response = client.post(f"{API}imports/", {"kind": "exam_results", "file": upload})
    assert response.status_code == 202, response.content
    batch = response.json()
    assert batch["filename"] == "exam.csv" and batch["status"] in ("running", "done", "failed")
    report = client.get(f"{API}imports/{batch['id']}/").json()
    assert report["id"] == batch["id"] and isinstance(report["errors"], list)
    assert [b["id"] for b in _results(client.get(f"{API}imports/"))] == [batch["id"]]
    _login(client, county_reviewer)
    assert client.get(f"{API}imports/{batch['id']}/").status_code == 404  # another authority's batch


def test_an_upload_that_is_not_a_table_is_refused_with_its_field(client, province_reviewer):
    _login(client, province_reviewer)
    upload = SimpleUploadedFile("exam.csv", io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"\0" * 64).getvalue())
    response = client.post(f"{API}imports/", {"kind": "exam_results", "file": upload})
    assert response.status_code == 400 and _error(response)["field"] == "file"
    assert not ImportBatch.objects.exists()


# -------------------------------------------------------------------------------------------- questions


def test_questions_of_the_region_are_answered_through_the_admins_service(
    client, county_reviewer, doctor_a, tianxin_reviewer
):
    """INS-12: the asker's name masked; the first answer stamps the time; another county finds nothing."""
    question = Question.objects.create(
        asker=doctor_a, region=personas.region("furong"), title="激活码", description="没收到激活码"
    )
    _login(client, county_reviewer)
    [row] = _results(client.get(f"{API}questions/", {"answered": "false"}))
    assert row["id"] == question.pk and row["asker_masked"].startswith(doctor_a.real_name[0])
    assert doctor_a.real_name not in str(row)
    response = client.post(
        f"{API}questions/{question.pk}/answer/", {"answer": ""}, content_type="application/json"
    )
    assert response.status_code == 400
    response = client.post(
        f"{API}questions/{question.pk}/answer/",
        {"answer": "请联系所在机构生成激活码。"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["answered"] is True
    question.refresh_from_db()
    assert question.answered_by == county_reviewer and question.answered_at
    assert _results(client.get(f"{API}questions/", {"answered": "false"})) == []
    _login(client, tianxin_reviewer)
    assert client.get(f"{API}questions/{question.pk}/").status_code == 404
    response = client.post(
        f"{API}questions/{question.pk}/answer/", {"answer": "x"}, content_type="application/json"
    )
    assert response.status_code == 404


# ---------------------------------------------------------------------------------------- practice records


def test_records_are_searched_by_name_certificate_number_and_id_number_by_post(
    client, county_reviewer, other_province_reviewer
):
    """APP-3, X-3: ?q= for names and 执业证书编码; the ID number only in a POST body; masked in answers."""
    number = make_resident_id("430102", "19800505", "117")
    record = PracticeRecordFactory(
        real_name="钱医生",
        id_number=number,
        certificate_number="110430100012345",
        main_institution=personas.institution(personas.X),
        authority=personas.authority("furong"),
    )
    _login(client, county_reviewer)
    assert [r["id"] for r in _results(client.get(f"{API}records/", {"q": "钱医生"}))] == [record.pk]
    assert [r["id"] for r in _results(client.get(f"{API}records/", {"q": "0012345"}))] == [record.pk]
    found = client.post(
        f"{API}records/search/", {"id_number": number}, content_type="application/json"
    ).json()
    assert [r["id"] for r in found] == [record.pk] and number not in str(found)
    detail = client.get(f"{API}records/{record.pk}/").json()
    assert detail["main_institution"]["name"] == "芙蓉医院" and detail["id_number_masked"] != number
    _login(client, other_province_reviewer)
    assert client.get(f"{API}records/{record.pk}/").status_code == 404
    assert (
        client.post(f"{API}records/search/", {"id_number": number}, content_type="application/json").json()
        == []
    )


# ------------------------------------------------------------------------------------------- materials


def test_material_lists_are_set_by_the_province_and_read_by_its_counties(
    client, province_reviewer, county_reviewer
):
    """SPEC §12: the province sets a type's list (create or replace); a county reads it and may not write."""
    _login(client, province_reviewer)
    body = {"province": "430000", "kind": "register", "items": ["身份证复印件", " ", "二寸照片"]}
    response = client.post(f"{API}materials/", body, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["items"] == ["身份证复印件", "二寸照片"]
    response = client.post(
        f"{API}materials/", {**body, "items": ["健康证明"]}, content_type="application/json"
    )
    assert MaterialList.objects.get().item_list == ["健康证明"]
    refused = client.post(f"{API}materials/", {**body, "province": "420000"}, content_type="application/json")
    assert refused.status_code == 400 and _error(refused)["code"] == "province_out_of_scope"
    pk = response.json()["id"]
    _login(client, county_reviewer)
    assert client.get(f"{API}materials/{pk}/").json()["items"] == ["健康证明"]
    refused = client.post(f"{API}materials/", body, content_type="application/json")
    assert refused.status_code == 403 and _error(refused)["code"] == "materials_forbidden"
    assert client.delete(f"{API}materials/{pk}/").status_code == 403
    assert MaterialList.objects.get().item_list == ["健康证明"]
    _login(client, province_reviewer)
    assert client.delete(f"{API}materials/{pk}/").status_code == 204
    assert not MaterialList.objects.exists()


@pytest.mark.parametrize("path", ["records/", "applications/"])
def test_an_institution_number_beyond_the_databases_integers_is_a_400(client, superuser, path):
    """X-4: ?institution=10**20 is refused by the filter, never an OverflowError (found by schemathesis)."""
    _login(client, superuser)
    response = client.get(f"{API}{path}", {"institution": "1" + "0" * 20})
    assert response.status_code == 400 and _error(response)["field"] == "institution"


# ------------------------------------------------------------------------------------------- announcements


def test_announcements_published_in_the_reviewers_province_and_edited_by_their_bureau(
    client, county_reviewer, tianxin_reviewer, province_reviewer, other_province_reviewer
):
    """APP-3 通告: a county bureau publishes for its province (never nationwide); another county may not
    change it, the province may; 湖北省 finds nothing; refusals change nothing."""
    from docregsys.reference.models import Announcement

    personas.regions()
    _login(client, county_reviewer)
    response = client.post(
        f"{API}announcements/",
        {"title": "新考生注册已开通", "body": "请登录办理。"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["province"] == "430000" and created["authority"]["id"] == county_reviewer.authority_id
    refused = client.post(
        f"{API}announcements/", {"title": "全国", "region": None}, content_type="application/json"
    )
    assert refused.status_code == 400 and _error(refused)["code"] == "province_out_of_scope"
    assert Announcement.objects.count() == 1
    url = f"{API}announcements/{created['id']}/"
    _login(client, tianxin_reviewer)
    assert client.get(url).status_code == 200
    refused = client.patch(url, {"title": "改"}, content_type="application/json")
    assert refused.status_code == 403 and _error(refused)["code"] == "announcement_not_yours"
    assert client.delete(url).status_code == 403
    assert Announcement.objects.get().title == "新考生注册已开通"
    _login(client, province_reviewer)
    assert (
        client.patch(url, {"is_active": False}, content_type="application/json").json()["is_active"] is False
    )
    _login(client, other_province_reviewer)
    assert client.get(url).status_code == 404
    assert _results(client.get(f"{API}announcements/")) == []
    _login(client, county_reviewer)
    bad = client.patch(
        url,
        {"publish_from": "2026-01-02T00:00:00+08:00", "publish_until": "2026-01-01T00:00:00+08:00"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and _error(bad)["code"] == "invalid_period"
    assert client.delete(url).status_code == 204
    assert not Announcement.objects.exists()


def test_the_consoles_notices_are_those_in_force_for_the_officers_province(client, officer_x, doctor_a):
    """The console's 通知公告 over REST: 湖南's and nationwide notices in force; not 湖北's, not withdrawn ones."""
    from docregsys.reference.models import Announcement

    personas.regions()
    Announcement.objects.create(region=personas.region("province"), title="湖南通告")
    Announcement.objects.create(region=None, title="全国通告")
    Announcement.objects.create(region=personas.region("hubei"), title="湖北通告")
    Announcement.objects.create(region=personas.region("province"), title="已撤下", is_active=False)
    _login(client, officer_x)
    titles = {row["title"] for row in _results(client.get("/api/v1/institution/notices/"))}
    assert titles == {"湖南通告", "全国通告"}
    _login(client, doctor_a)
    assert client.get("/api/v1/institution/notices/").status_code == 403
