"""INS-5 本院执业医师信息: the six lists, the detail page, exports and the API, scoped to the officer's institution."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from registrations.models import PracticeRecord, resident_sex_birth
from tests import personas
from tests.factories import (
    AuthorityFactory,
    DepartmentFactory,
    ExtraLocationFactory,
    FilingFactory,
    PracticeRecordFactory,
    UserFactory,
    make_resident_id,
)

pytestmark = pytest.mark.django_db

LISTS = ["main", "filed_out", "filed_in", "locations_out", "locations_in", "archived"]


@pytest.fixture
def x(officer_x):
    return officer_x.institution


@pytest.fixture
def y(officer_y):
    return officer_y.institution


@pytest.fixture
def z(db):
    return personas.institution("hetang")


def _client(client, user):
    client.force_login(user)
    return client


def _names(response) -> list[str]:
    return [row["cells"][0] for row in response.context["rows"]]


def record(at, name="李四", **kwargs) -> PracticeRecord:
    return PracticeRecordFactory(main_institution=at, real_name=name, **kwargs)


# ------------------------------------------------------------------------------ scope: four rows, one in scope


def _four(kind, x, y, z) -> str:
    """Four rows for `kind`, exactly one of them in X's list; returns that one's name."""
    valid_x, valid_y = record(x, "本院甲"), record(y, "外院乙")
    if kind == "main":
        record(y, "外院丙")
        record(x, "备案丁", filed=True)
        record(x, "注销戊", deregistered=True)
        return "本院甲"
    if kind == "archived":
        record(x, "备案丁", filed=True)
        record(y, "外院备案", filed=True)
        record(x, "注销戊", deregistered=True)
        return "备案丁"
    if kind == "filed_out":
        FilingFactory(record=valid_x, institution=y)
        FilingFactory(record=record(x, "取消备案"), institution=z, cancelled=True)
        FilingFactory(record=valid_y, institution=z)
        FilingFactory(record=record(x, "已注销", deregistered=True), institution=y)
        return "本院甲"
    if kind == "filed_in":
        FilingFactory(record=valid_y, institution=x)
        FilingFactory(record=record(y, "取消备案"), institution=x, cancelled=True)
        FilingFactory(record=record(y, "到别院"), institution=z)
        FilingFactory(record=record(z, "已注销", deregistered=True), institution=x)
        return "外院乙"
    if kind == "locations_out":
        ExtraLocationFactory(record=valid_x, institution=y)
        ExtraLocationFactory(record=record(x, "已取消"), institution=z, state="cancelled")
        ExtraLocationFactory(record=valid_y, institution=z)
        ExtraLocationFactory(record=record(x, "已注销", deregistered=True), institution=y)
        return "本院甲"
    assert kind == "locations_in"
    ExtraLocationFactory(record=valid_y, institution=x)
    ExtraLocationFactory(record=record(y, "已取消"), institution=x, state="cancelled")
    ExtraLocationFactory(record=record(y, "到别院"), institution=z)
    ExtraLocationFactory(record=record(z, "已注销", deregistered=True), institution=x)
    return "外院乙"


@pytest.mark.parametrize("kind", LISTS)
def test_each_list_shows_exactly_the_rows_in_the_officers_scope(client, officer_x, x, y, z, kind):
    """INS-5: four candidate rows, one in institution X's list: X's officer sees that one and no other."""
    expected = _four(kind, x, y, z)
    response = _client(client, officer_x).get(reverse(f"console:doctors_{kind}"))
    assert response.status_code == 200
    assert _names(response) == [expected]
    assert "查看详细信息" in response.content.decode()


@pytest.mark.parametrize("kind", LISTS)
def test_lists_refuse_doctors_and_send_visitors_to_the_login(client, doctor_a, kind):
    """INS-5: the lists are officers' pages: a doctor gets 403, an anonymous visitor the console's login."""
    url = reverse(f"console:doctors_{kind}")
    assert client.get(url).status_code == 302
    assert _client(client, doctor_a).get(url).status_code == 403


def test_main_list_shows_the_seeds_columns(client, officer_x, x):
    """Seed 002 §6.1: 姓名 性别 年龄 医师类别 医师级别 执业范围 执业证书编码 所在科室 医师账户状态 详细信息 是否修改过信息 审核日期."""
    department = DepartmentFactory(institution=x, name="病理科")
    reviewed = timezone.make_aware(dt.datetime(2016, 7, 30, 11, 6, 47))
    number = make_resident_id("430102", "19800615", "351")  # 17th digit odd: 男
    record(
        x, "焦", id_number=number, department=department, info_reviewed_at=reviewed, certificate_number="11"
    )
    response = _client(client, officer_x).get(reverse("console:doctors_main"))
    headers = [str(h) for h in response.context["headers"]]
    assert headers == [
        "姓名", "性别", "年龄", "医师类别", "医师级别", "执业范围", "执业证书编码",
        "所在科室", "医师账户状态", "详细信息", "是否修改过信息", "审核日期",
    ]  # fmt: skip
    cells = response.context["rows"][0]["cells"]
    today = dt.date.today()
    age = today.year - 1980 - ((today.month, today.day) < (6, 15))
    assert cells == [
        "焦",
        "男",
        age,
        "临床",
        "执业医师",
        "",
        "11",
        "病理科",
        "尚未注册账户",
        None,
        "是",
        "2016-07-30 11:06:47",
    ]
    page = response.content.decode()
    assert number not in page and "请选择科室..." in page and "清空条件" in page


def test_account_state_follows_the_matching_doctor_account(client, officer_x, x):
    """医师账户状态: 已激活 / 未激活 / 尚未注册账户, matched by ID number digest and name."""
    activated, unactivated, none, other_name = (
        make_resident_id("430102", f"1980010{i}", "111") for i in range(1, 5)
    )
    record(x, "甲", id_number=activated)
    UserFactory(real_name="甲", id_number=activated, activated=True)
    record(x, "乙", id_number=unactivated)
    UserFactory(real_name="乙", id_number=unactivated, checked=True)
    record(x, "丙", id_number=none)
    record(x, "丁", id_number=other_name)
    UserFactory(real_name="别人", id_number=other_name, activated=True)  # same number, other name: no match
    response = _client(client, officer_x).get(reverse("console:doctors_main"))
    states = {row["cells"][0]: row["cells"][8] for row in response.context["rows"]}
    assert states == {"甲": "已激活", "乙": "未激活", "丙": "尚未注册账户", "丁": "尚未注册账户"}


# ------------------------------------------------------------------------------ filters


def test_filters_by_name_department_and_changed_info(client, officer_x, officer_y, x, y):
    """Seed §6.1 filters: 医师姓名 (contains), 所在科室, 信息修改 是/否; 清空条件 shows all again."""
    pathology = DepartmentFactory(institution=x, name="病理科")
    record(x, "张三", department=pathology, info_reviewed_at=timezone.now())
    record(x, "张四")
    record(x, "李五", department=pathology)
    c = _client(client, officer_x)
    url = reverse("console:doctors_main")
    assert sorted(_names(c.get(url, {"name": "张"}))) == ["张三", "张四"]
    assert sorted(_names(c.get(url, {"name": "\uff3a"}))) == []  # NFKC: a full-width letter, no match
    assert sorted(_names(c.get(url, {"department": pathology.pk}))) == ["张三", "李五"]
    assert _names(c.get(url, {"changed": "yes"})) == ["张三"]
    assert sorted(_names(c.get(url, {"changed": "no"}))) == ["张四", "李五"]
    assert _names(c.get(url, {"name": "张", "department": pathology.pk, "changed": "yes"})) == ["张三"]
    assert len(_names(c.get(url))) == 3
    # Another institution's department is not a choice: refused with a message, the other filters apply.
    foreign = DepartmentFactory(institution=y, name="外院科室")
    response = c.get(url, {"department": foreign.pk, "name": "李"})
    assert response.status_code == 200
    assert response.context["form"].errors["department"]
    assert _names(response) == ["李五"]
    assert "外院科室" not in response.content.decode()


def test_bad_filter_input_is_refused_with_a_message_not_a_500(client, officer_x, x):
    """X-4: over-long, invisible or malformed filter values give a Chinese message on the page."""
    record(x, "张三")
    c = _client(client, officer_x)
    url = reverse("console:doctors_main")
    for params in (
        {"name": "张" * 200},
        {"name": "张\u200b三"},
        {"department": "abc"},
        {"changed": "maybe"},
        {"page": "x"},
    ):
        response = c.get(url, params)
        assert response.status_code == 200, params
    assert (
        c.get(url, {"name": "张\u200b三"}).context["form"].errors["name"][0].startswith("医师姓名含有看不见")
    )


def test_the_filing_lists_filter_by_name_only(client, officer_x, x, y):
    FilingFactory(record=record(y, "许一"), institution=x)
    FilingFactory(record=record(y, "郭二"), institution=x)
    response = _client(client, officer_x).get(reverse("console:doctors_filed_in"), {"name": "许"})
    assert _names(response) == ["许一"]
    assert set(response.context["form"].fields) == {"name"}


def test_lists_are_paged(client, officer_x, x):
    for i in range(25):
        record(x, f"医师{i:02d}")
    c = _client(client, officer_x)
    first = c.get(reverse("console:doctors_main"))
    assert len(first.context["rows"]) == 20 and "本次查询共查到25条数据" in first.content.decode()
    assert len(c.get(reverse("console:doctors_main"), {"page": 2}).context["rows"]) == 5


# ------------------------------------------------------------------------------ exports


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_export_csv_has_the_filtered_rows_and_neutralises_formulas(client, officer_x, x):
    """INS-5 export: the same filters as the page; a name like "=cmd" is text ("'=cmd") in the spreadsheet."""
    record(x, "=cmd", certificate_number="+110")
    record(x, "@SUM")
    record(x, "张三")
    c = _client(client, officer_x)
    response = c.get(reverse("console:doctors_main"), {"export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv(response)
    assert rows[0][:3] == ["姓名", "性别", "年龄"] and "详细信息" not in rows[0]
    assert sorted(r[0] for r in rows[1:]) == ["'=cmd", "'@SUM", "张三"]
    assert next(r for r in rows if r[0] == "'=cmd")[6] == "'+110"
    filtered = _csv(c.get(reverse("console:doctors_main"), {"export": "csv", "name": "张"}))
    assert [r[0] for r in filtered[1:]] == ["张三"]


@pytest.mark.parametrize("kind", LISTS)
def test_export_xlsx_of_every_list_holds_its_rows_only(client, officer_x, x, y, z, kind):
    expected = _four(kind, x, y, z)
    response = _client(client, officer_x).get(reverse(f"console:doctors_{kind}"), {"export": "xlsx"})
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == "姓名"
    assert [row[0] for row in values[1:]] == [expected]


def test_export_xlsx_neutralises_formulas(client, officer_x, x):
    record(x, '=HYPERLINK("http://evil")')
    response = _client(client, officer_x).get(reverse("console:doctors_main"), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(row=2, column=1).value == '\'=HYPERLINK("http://evil")'
    assert sheet.cell(row=2, column=1).data_type == "s"


# ------------------------------------------------------------------------------ the detail page


def test_detail_shows_the_registration_filings_locations_and_account(client, officer_x, x, y, z):
    """INS-5 查看详细信息: registration with the ID number masked, filings, 多地点, account state."""
    number = make_resident_id("430102", "19750304", "222")  # 17th digit even: 女
    mine = record(
        x,
        "白",
        id_number=number,
        qualification_number="2006431" + number,
        education="本科",
        school="湘雅医学院",
    )
    FilingFactory(record=mine, institution=y)
    ExtraLocationFactory(record=mine, institution=z)
    UserFactory(real_name="白", id_number=number, activated=True)
    response = _client(client, officer_x).get(reverse("console:doctor_detail", args=[mine.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    for text in ("白", "女", mine.id_number_masked, "天心医院", "荷塘医院", "已激活", "本科", "湘雅医学院"):
        assert text in page, text
    assert number not in page


def test_detail_opens_doctors_filed_or_located_here_and_404s_the_rest(client, officer_x, officer_y, x, y, z):
    """INS-5: X's officer opens X's doctors and doctors filed / 多地点 at X; anything else is 404."""
    filed_here = record(y, "备案来")
    FilingFactory(record=filed_here, institution=x)
    located_here = record(z, "多地点来")
    ExtraLocationFactory(record=located_here, institution=x)
    cancelled_here = record(y, "已取消")
    FilingFactory(record=cancelled_here, institution=x, cancelled=True)
    elsewhere = record(y, "外院")
    own = record(x, "本院")
    c = _client(client, officer_x)
    for ok in (own, filed_here, located_here):
        assert c.get(reverse("console:doctor_detail", args=[ok.pk])).status_code == 200
    for hidden in (cancelled_here, elsewhere):
        assert c.get(reverse("console:doctor_detail", args=[hidden.pk])).status_code == 404
    assert c.get(reverse("console:doctor_detail", args=[999999])).status_code == 404
    assert _client(client, officer_y).get(reverse("console:doctor_detail", args=[own.pk])).status_code == 404


def test_detail_refuses_other_roles_and_changes_nothing(doctor_a, county_reviewer, x, assert_nothing_changed):
    """INS-5: a doctor or a reviewer gets 403 on the console's detail page; writes are not accepted; no row moves."""
    from django.test import Client

    own = record(x, "本院")
    url = reverse("console:doctor_detail", args=[own.pk])
    doctor, reviewer = Client(), Client()
    doctor.force_login(doctor_a)
    reviewer.force_login(county_reviewer)
    with assert_nothing_changed():
        assert doctor.get(url).status_code == 403
        assert reviewer.get(url).status_code == 403
        assert doctor.post(url).status_code == 403


# ------------------------------------------------------------------------------ sex and age


def test_sex_and_birth_date_are_read_off_the_id_number():
    assert resident_sex_birth("resident", make_resident_id("430102", "19800615", "351")) == (
        "M",
        dt.date(1980, 6, 15),
    )
    assert resident_sex_birth("resident", make_resident_id("430102", "19800615", "352")) == (
        "F",
        dt.date(1980, 6, 15),
    )
    assert resident_sex_birth("passport", "E12345678") == ("", None)
    assert resident_sex_birth("resident", "43010219801399123X") == ("", None)


def test_records_store_sex_and_birth_date_on_save(x):
    """Factories and imports write the identity columns directly: save() reads sex and birth date once."""
    saved = record(x, id_number=make_resident_id("430102", "19700101", "122"))
    saved.refresh_from_db()
    assert (saved.sex, saved.birth_date) == ("F", dt.date(1970, 1, 1))
    other = PracticeRecord(real_name="张", main_institution=x, location=x.region, authority=saved.authority)
    other.set_id_number(make_resident_id("430102", "19910203", "333"))
    assert (other.sex, other.birth_date) == ("M", dt.date(1991, 2, 3))


# ------------------------------------------------------------------------------ query counts


def _bulk(kind: str, n: int, x, y) -> None:
    """`n` rows in X's `kind` list, written in bulk (a few queries, whatever n), each record with two scopes."""
    from docregsys.identity.crypto import identity_columns
    from docregsys.reference.models import PracticeScope
    from registrations.models import ExtraLocation, MultiInstitutionFiling

    scopes = [
        PracticeScope.objects.get_or_create(code=code, defaults={"name": name, "category": "clinical"})[0]
        for code, name in (("0101", "内科专业"), ("0102", "外科专业"))
    ]
    department = DepartmentFactory(institution=x, name=f"科室{kind}{n}")
    template = PracticeRecordFactory.build(main_institution=x)
    authority = AuthorityFactory(region=x.region)
    main_here = kind in ("main", "archived", "filed_out", "locations_out")
    at = x if main_here else y
    records = []
    for i in range(n):
        cipher, digest, masked = identity_columns(make_resident_id("430102", "19800101", f"{i % 1000:03d}"))
        records.append(
            PracticeRecord(
                real_name=f"医师{i:04d}",
                id_number_cipher=cipher,
                id_number_digest=digest,
                id_number_masked=masked,
                certificate_number=f"Q{kind}{i:06d}",
                level=template.level,
                category=template.category,
                location=at.region,
                main_institution=at,
                authority=authority,
                state=PracticeRecord.State.FILED if kind == "archived" else PracticeRecord.State.VALID,
                department=department if main_here else None,
                sex="M",
                birth_date=dt.date(1980, 1, 1),
            )
        )
    records = PracticeRecord.objects.bulk_create(records)
    Through = PracticeRecord.scopes.through
    Through.objects.bulk_create(
        [Through(practicerecord_id=r.pk, practicescope_id=s.pk) for r in records for s in scopes]
    )
    other = y if main_here else x
    if kind.startswith("filed"):
        filings = MultiInstitutionFiling.objects.bulk_create(
            [
                MultiInstitutionFiling(record=r, institution=other, filed_on=dt.date(2021, 1, 1))
                for r in records
            ]
        )
        FThrough = MultiInstitutionFiling.scopes.through
        FThrough.objects.bulk_create(
            [FThrough(multiinstitutionfiling_id=f.pk, practicescope_id=scopes[0].pk) for f in filings]
        )
    elif kind.startswith("locations"):
        ExtraLocation.objects.bulk_create(
            [
                ExtraLocation(
                    record=r, institution=other, location=other.region, approved_on=dt.date(2014, 1, 1)
                )
                for r in records
            ]
        )


# Per page: 1 the session, 2 the officer, then [the institution's departments for the 所在科室 choice: main
# and archived], the count, the page's rows (with the account-state subquery and the joined department /
# institution / record), the records' scopes, [the filings' own scopes: filed_out and filed_in], and the
# officer's institution for the frame's 当前机构 band.
QUERIES = {"main": 7, "archived": 7, "filed_out": 7, "filed_in": 7, "locations_out": 6, "locations_in": 6}


@pytest.mark.parametrize("kind", LISTS)
def test_list_pages_take_the_same_queries_for_10_and_1000_doctors(
    client, officer_x, x, y, kind, django_assert_num_queries
):
    """INS-5: constant queries per page however many doctors the institution has (select/prefetch/annotate)."""
    c = _client(client, officer_x)
    url = reverse(f"console:doctors_{kind}")
    c.get(url)  # the session's first request writes it once (last activity); not what is counted here
    _bulk(kind, 10, x, y)
    with django_assert_num_queries(QUERIES[kind]):
        assert len(c.get(url).context["rows"]) == 10
    _bulk(kind, 990, x, y)
    with django_assert_num_queries(QUERIES[kind]):
        response = c.get(url)
    assert len(response.context["rows"]) == 20
    assert "本次查询共查到1000条数据" in response.content.decode()


# ------------------------------------------------------------------------------ the API

API_LIST = "/api/v1/institution/doctors/"


@pytest.fixture
def api(officer_x):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(officer_x)
    return client


@pytest.mark.parametrize("kind", LISTS)
def test_api_lists_hold_the_same_rows_as_the_pages(api, x, y, z, kind):
    """INS-5 / API-1: ?kind= selects the list; the scope is the officer's institution, as on the page."""
    expected = _four(kind, x, y, z)
    response = api.get(API_LIST, {"kind": kind})
    assert response.status_code == 200
    assert [row["real_name"] for row in response.json()["results"]] == [expected]
    assert response.json()["count"] == 1


def test_api_list_filters_and_refusals(api, x):
    department = DepartmentFactory(institution=x, name="病理科")
    record(x, "张三", department=department, info_reviewed_at=timezone.now())
    record(x, "李四")
    rows = api.get(API_LIST, {"kind": "main", "department": department.pk}).json()["results"]
    assert [r["real_name"] for r in rows] == ["张三"]
    assert rows[0]["department"] == "病理科" and rows[0]["info_changed"] is True
    assert rows[0]["account_state"] == "none"
    assert [
        r["real_name"] for r in api.get(API_LIST, {"kind": "main", "changed": "no"}).json()["results"]
    ] == ["李四"]
    missing = api.get(API_LIST)
    assert missing.status_code == 400 and missing.json()["errors"][0]["field"] == "kind"
    bad = api.get(API_LIST, {"kind": "main", "changed": "maybe"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "changed"
    assert api.get(API_LIST, {"kind": "main", "page": 9}).status_code == 404


def test_api_refuses_doctors_and_other_institutions(api, doctor_a, officer_y, x, y):
    from rest_framework.test import APIClient

    mine = record(x, "本院")
    assert api.get(f"{API_LIST}{mine.pk}/").status_code == 200
    other = APIClient()
    other.force_authenticate(officer_y)
    assert other.get(f"{API_LIST}{mine.pk}/").status_code == 404
    for junk in (
        "1.5",
        "abc",
        "１２",
        "9" * 30,
    ):  # any text reaches the view: a JSON 404, never HTML or a 500
        response = api.get(f"{API_LIST}{junk}/")
        assert response.status_code == 404 and response.json()["errors"][0]["code"] == "not_found"
    doctor = APIClient()
    doctor.force_authenticate(doctor_a)
    assert doctor.get(API_LIST, {"kind": "main"}).status_code == 403
    assert doctor.get(f"{API_LIST}{mine.pk}/").status_code == 403


def test_api_detail_masks_the_id_number(api, x, y):
    number = make_resident_id("430102", "19750304", "222")
    mine = record(x, "白", id_number=number)
    FilingFactory(record=mine, institution=y)
    body = api.get(f"{API_LIST}{mine.pk}/").json()
    assert body["id_number_masked"] == mine.id_number_masked and number not in str(body)
    assert body["sex"] == "F" and body["filings"][0]["institution"] == "天心医院"
    assert body["account_state"] == "none"


# ------------------------------------------------------------------------------ demo data


def test_demo_data_fills_every_list_of_both_institutions_and_loads_once():
    """Demo (accounts/management/demo/doctors.py): each of the six lists shows rows; a second run adds none."""
    from django.core.management import call_command

    from accounts.models import User
    from registrations import selectors
    from registrations.models import ExtraLocation, MultiInstitutionFiling
    from tests.factories import region_tree

    region_tree()
    call_command("load_demo", stdout=io.StringIO())
    counts = (
        PracticeRecord.objects.count(),
        MultiInstitutionFiling.objects.count(),
        ExtraLocation.objects.count(),
    )
    call_command("load_demo", stdout=io.StringIO())
    assert counts == (
        PracticeRecord.objects.count(),
        MultiInstitutionFiling.objects.count(),
        ExtraLocation.objects.count(),
    )
    officer = User.objects.get(username="csyyadmin")  # 长沙市第一医院
    for kind in LISTS:
        assert getattr(selectors, f"{kind}_doctor_list_for")(user=officer).exists(), kind
    other = User.objects.get(username="xyceadmin")  # 湘雅测试医院: filings and 多地点 both ways
    for kind in ("main", "filed_out", "filed_in", "locations_out", "locations_in"):
        assert getattr(selectors, f"{kind}_doctor_list_for")(user=other).exists(), kind


def test_the_data_migration_fills_sex_and_birth_date_of_existing_records(x):
    """registrations 0005: records written before the columns existed get them from their (decrypted) ID number."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("registrations.migrations.0005_doctors_sex_birth")
    older = record(x, id_number=make_resident_id("430102", "19660606", "311"))
    passport = record(x, id_number="", id_type="passport")
    PracticeRecord.objects.update(sex="", birth_date=None)
    migration.fill(apps, None)
    older.refresh_from_db()
    passport.refresh_from_db()
    assert (older.sex, older.birth_date) == ("M", dt.date(1966, 6, 6))
    assert (passport.sex, passport.birth_date) == ("", None)
