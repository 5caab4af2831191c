"""INS-11 统计信息 and 医师在外省注册情况: counts on a known set, in scope only, a fixed number of queries."""

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from docregsys.identity.crypto import identity_columns
from docregsys.reference.models import Category, Level, PracticeScope
from registrations.models import PracticeRecord
from registrations.selectors import institution_statistics_for, outside_record_list_for
from tests import personas
from tests.factories import DepartmentFactory, PracticeRecordFactory, make_resident_id

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 1)


def console(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def person(birth: str, seq: str) -> dict:
    """A resident ID (sex from the parity of seq's last digit) and the 资格证书编码 that embeds it."""
    number = make_resident_id("430102", birth, seq)
    return {"id_number": number, "qualification_number": "201543110" + number}


@pytest.fixture
def known_set(institutions):
    """Three valid doctors at X, plus what must not be counted: a filed record at X, a valid one at Y."""
    x, y = institutions["furong"], institutions["tianxin"]
    internal = PracticeScope.objects.create(code="0101", name="内科专业", category="clinical")
    surgery = PracticeScope.objects.create(code="0102", name="外科专业", category="clinical")
    medicine = DepartmentFactory(institution=x, name="内科")
    first = PracticeRecordFactory(
        main_institution=x, title="主任医师", department=medicine, **person("19900101", "231")
    )  # 男, 36
    first.scopes.set([internal])
    second = PracticeRecordFactory(
        main_institution=x, level=Level.ASSISTANT, **person("19960602", "242")
    )  # 女, 29 (30 tomorrow)
    second.scopes.set([internal, surgery])
    PracticeRecordFactory(  # 女, 66 on TODAY (born 1960-06-01)
        main_institution=x,
        category=Category.TCM,
        title="主治医师",
        department=medicine,
        id_number=make_resident_id("430102", "19600601", "244"),
    )
    PracticeRecordFactory(main_institution=x, filed=True, **person("19500101", "111"))
    PracticeRecordFactory(main_institution=y, **person("19500101", "113"))
    return x


def test_statistics_count_the_known_set_by_every_dimension(known_set, officer_x):
    """INS-11: category, level, scope, title, department, sex and age band of X's valid doctors only."""
    data = institution_statistics_for(user=officer_x, today=TODAY)

    assert data["total"] == 3
    dims = {key: dict(counts) for key, _title, counts in data["dimensions"]}
    assert [key for key, _t, _c in data["dimensions"]] == [
        "category",
        "level",
        "scope",
        "title",
        "department",
        "sex",
        "age",
    ]
    assert dims["category"] == {"临床": 2, "中医": 1}
    assert dims["level"] == {"执业医师": 2, "执业助理医师": 1}
    assert dims["scope"] == {"内科专业": 2, "外科专业": 1, "未填写": 1}
    assert dims["title"] == {"主任医师": 1, "主治医师": 1, "未填写": 1}
    assert dims["department"] == {"内科": 2, "未填写": 1}
    assert dims["sex"] == {"男": 1, "女": 2}
    assert dims["age"] == {"30–39岁": 1, "30岁以下": 1, "60岁及以上": 1}
    # The age bands come in their own order (the unknown, when there is one, last).
    age = next(counts for key, _t, counts in data["dimensions"] if key == "age")
    assert [label for label, _n in age] == ["30岁以下", "30–39岁", "60岁及以上"]


def test_age_bands_turn_on_the_birthday(known_set, officer_x):
    dims = {
        key: dict(counts)
        for key, _t, counts in institution_statistics_for(user=officer_x, today=TODAY + dt.timedelta(days=1))[
            "dimensions"
        ]
    }
    assert dims["age"] == {"30–39岁": 2, "60岁及以上": 1}


def test_statistics_are_per_institution(known_set, officer_y):
    data = institution_statistics_for(user=officer_y, today=TODAY)
    assert data["total"] == 1
    assert dict(data["dimensions"][0][2]) == {"临床": 1}


def test_nobody_but_an_officer_gets_any_number(known_set, doctor_a, county_reviewer):
    for user in (doctor_a, county_reviewer):
        assert institution_statistics_for(user=user)["total"] == 0


def _bulk_doctors(institution, n: int, *, start: int = 0):
    """n valid records at `institution` in a few queries (the factories would take minutes for 1,000)."""
    authority = personas.authority("furong")
    scope = PracticeScope.objects.get_or_create(
        code="0101", defaults={"name": "内科专业", "category": "clinical"}
    )[0]
    department = DepartmentFactory(institution=institution, name=f"科室{start}")
    records = []
    for i in range(start, start + n):
        number = make_resident_id("430102", f"19{60 + i % 40:02d}0101", f"{i % 1000:03d}")
        cipher, digest, masked = identity_columns(number)
        records.append(
            PracticeRecord(
                real_name=f"医师{i}",
                certificate_number=f"1104301{i:08d}",
                qualification_number="201543110" + number,
                level=Level.PHYSICIAN,
                category=Category.CLINICAL if i % 3 else Category.TCM,
                location=institution.region,
                main_institution=institution,
                authority=authority,
                title=("主任医师", "副主任医师", "")[i % 3],
                department=department if i % 2 else None,
                id_number_cipher=cipher,
                id_number_digest=digest,
                id_number_masked=masked,
            )
        )
    created = PracticeRecord.objects.bulk_create(records)
    PracticeRecord.scopes.through.objects.bulk_create(
        [PracticeRecord.scopes.through(practicerecord_id=r.pk, practicescope_id=scope.pk) for r in created]
    )
    return created


def test_statistics_take_the_same_queries_for_10_and_1000_doctors(
    institutions, officer_x, django_assert_num_queries
):
    """INS-11: database aggregates only: one COUNT and one GROUP BY per dimension, whatever the number."""
    x = institutions["furong"]
    _bulk_doctors(x, 10)
    with django_assert_num_queries(8):  # total + 7 dimensions
        small = institution_statistics_for(user=officer_x)
    client = console(officer_x)
    client.get(reverse("console:statistics"))  # the session's first request writes it: not part of the page
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("console:statistics")).status_code == 200
    _bulk_doctors(x, 990, start=10)
    with django_assert_num_queries(8):
        big = institution_statistics_for(user=officer_x)
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("console:statistics")).status_code == 200
    assert len(many) == len(few)
    assert (small["total"], big["total"]) == (10, 1000)
    assert sum(n for _label, n in dict((k, c) for k, _t, c in big["dimensions"])["age"]) == 1000


def test_the_statistics_page_draws_svg_bars_without_style_attributes(known_set, officer_x):
    page = console(officer_x).get(reverse("console:statistics")).content.decode()
    assert "统计信息" in page and "按医师类别统计" in page and "按年龄段统计" in page
    assert page.count('<svg class="bar-chart"') == 7
    assert '<rect x="34%"' in page and 'width="52.0%"' in page  # the biggest bar is the full bar space
    assert "style=" not in page
    assert "主执业机构在本院的有效注册医师共3人" in page


def test_the_export_has_one_sheet_per_dimension(known_set, officer_x):
    response = console(officer_x).get(reverse("console:statistics"), {"export": "xlsx"})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "医师类别",
        "医师级别",
        "执业范围",
        "任职资格",
        "所在科室",
        "性别",
        "年龄段",
    ]
    rows = list(workbook["医师类别"].values)
    assert rows[0] == ("名称", "人数") and ("临床", 2) in rows
    text = (
        console(officer_x).get(reverse("console:statistics"), {"export": "csv"}).content.decode("utf-8-sig")
    )
    assert ["性别", "女", "2"] in list(csv.reader(io.StringIO(text)))


def test_the_api_answers_the_same_counts(known_set, officer_x, county_reviewer):
    client = APIClient()
    client.force_authenticate(officer_x)
    body = client.get("/api/v1/institution/statistics/").json()
    assert body["total"] == 3
    assert {"label": "临床", "count": 2} in body["dimensions"][0]["counts"]
    client.force_authenticate(county_reviewer)
    assert client.get("/api/v1/institution/statistics/").status_code == 403


# ---------------------------------------------------------------------------- 医师在外省注册情况


@pytest.fixture
def outside_set(institutions, doctor_a, doctor_b):
    """doctor_a (X) also holds records in 湖北省 (江岸) and in 天心区 (same province); doctor_b (Y) in 湖北省."""
    jiangan = institutions["jiangan"]
    hubei = PracticeRecordFactory(
        id_number=personas.DOCTOR_A_ID,
        real_name="王甲",
        main_institution=jiangan,
        authority=personas.authority("jiangan"),
        approval_date=dt.date(2019, 3, 4),
    )
    PracticeRecordFactory(
        id_number=personas.DOCTOR_A_ID, real_name="王甲", main_institution=institutions["tianxin"]
    )
    PracticeRecordFactory(id_number=personas.DOCTOR_B_ID, real_name="李乙", main_institution=jiangan)
    return hubei


def test_outside_lists_my_doctors_records_in_other_provinces_only(outside_set, officer_x, officer_y):
    rows = list(outside_record_list_for(user=officer_x))
    assert rows == [outside_set]
    assert rows[0].home_location == "湖南省长沙市芙蓉区"
    assert rows[0].home_certificate_number == "110430100000001"
    # 王甲's 天心区 record makes him Y's doctor too: Y sees his 湖北省 record as well as 李乙's.
    assert sorted(r.real_name for r in outside_record_list_for(user=officer_y)) == ["李乙", "王甲"]

    page = console(officer_x).get(reverse("console:outside")).content.decode()
    for shown in (
        "王甲",
        "110430100000001",
        "湖南省长沙市芙蓉区",
        "湖北省武汉市江岸区",
        "江岸医院",
        "有效",
        "2019-03-04",
    ):
        assert shown in page
    assert "李乙" not in page and "天心医院" not in page
    assert "本次查询共查到1条数据" in page


def test_outside_is_empty_for_other_roles(outside_set, doctor_a, county_reviewer):
    for user in (doctor_a, county_reviewer):
        assert not outside_record_list_for(user=user).exists()
    assert console(doctor_a).get(reverse("console:outside")).status_code == 403


def test_outside_api_pages_the_same_rows(outside_set, officer_x, doctor_a):
    client = APIClient()
    client.force_authenticate(officer_x)
    body = client.get("/api/v1/institution/outside/").json()
    assert body["count"] == 1
    row = body["results"][0]
    assert (row["real_name"], row["certificate_number"], row["home_location"], row["location"]) == (
        "王甲",
        "110430100000001",
        "湖南省长沙市芙蓉区",
        "湖北省武汉市江岸区",
    )
    assert (row["institution"], row["state_display"], row["approval_date"]) == (
        "江岸医院",
        "有效",
        "2019-03-04",
    )
    assert client.get("/api/v1/institution/outside/", {"page": 2}).status_code == 404
    client.force_authenticate(doctor_a)
    assert client.get("/api/v1/institution/outside/").status_code == 403


def test_outside_export(outside_set, officer_x):
    text = console(officer_x).get(reverse("console:outside"), {"export": "csv"}).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["姓名", "执业证书编码", "本院执业地点"]
    assert rows[1][:5] == ["王甲", "110430100000001", "湖南省长沙市芙蓉区", "湖北省武汉市江岸区", "江岸医院"]
    assert len(rows) == 2


def test_outside_takes_the_same_queries_for_few_and_many(institutions, officer_x):
    x, jiangan = institutions["furong"], institutions["jiangan"]
    mine = _bulk_doctors(x, 3)

    def away(records):
        PracticeRecord.objects.bulk_create(
            [
                PracticeRecord(
                    real_name=r.real_name,
                    level=r.level,
                    category=r.category,
                    location=jiangan.region,
                    main_institution=jiangan,
                    authority=r.authority,
                    id_number_digest=r.id_number_digest,
                    id_number_masked=r.id_number_masked,
                )
                for r in records
            ]
        )

    away(mine)
    client = console(officer_x)
    client.get(reverse("console:outside"))  # the session's first request writes it: not part of the page
    with CaptureQueriesContext(connection) as few:
        assert "本次查询共查到3条数据" in client.get(reverse("console:outside")).content.decode()
    away(_bulk_doctors(x, 60, start=3))
    with CaptureQueriesContext(connection) as many:
        assert "本次查询共查到63条数据" in client.get(reverse("console:outside")).content.decode()
    assert len(many) == len(few)


def test_the_demo_shows_one_doctor_registered_in_another_province(db):
    """Demo data (accounts/management/demo/verify.py): liujianguo also practises in 湖北省; loaded once."""
    import io

    from django.core.management import call_command

    from accounts.models import User
    from tests.factories import AuthorityFactory, RegionFactory, region_tree

    region_tree()
    hubei = RegionFactory(code="420000", name="湖北省", level="province")
    AuthorityFactory(
        region=RegionFactory(
            code="420100", name="武汉市", full_name="湖北省武汉市", level="city", parent=hubei
        )
    )
    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())
    officer = User.objects.get(role="officer", institution__name="长沙市第一医院")
    rows = list(outside_record_list_for(user=officer))
    assert [(r.real_name, r.main_institution.name, r.location.full_name) for r in rows] == [
        ("刘建国", "武汉市中心医院", "湖北省武汉市")
    ]
