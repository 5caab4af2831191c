"""系统功能: 审批机关设置 (INS-2), 科室 and 本院医师所在科室 (INS-3), the doctor's 我的科室 (REG-8)."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from accounts.services.departments import doctor_department_set
from docregsys.exceptions import TransitionRefused
from docregsys.reference.models import Authority, Category, TreatmentSubject
from institutions.models import Department, InstitutionAuthority
from institutions.selectors import department_list_for, pinyin_initials, treatment_subject_options
from institutions.services import department_create, department_delete, institution_authority_set
from registrations.models import PracticeRecord
from tests import personas
from tests.factories import (
    AuthorityFactory,
    DepartmentFactory,
    DoctorFactory,
    PracticeRecordFactory,
    make_resident_id,
    region_tree,
)

pytestmark = pytest.mark.django_db

API = "/api/v1/institution/"


@pytest.fixture
def subjects(db):
    rows = [
        ("02", "全科医疗科"),
        ("03", "内科"),
        ("03.01", "呼吸内科专业"),
        ("04", "外科"),
        ("04.01", "普通外科专业"),
        ("12", "口腔科"),
    ]
    return {
        code: TreatmentSubject.objects.get_or_create(
            code=code, defaults={"name": name, "parent_id": code.rpartition(".")[0] or None}
        )[0]
        for code, name in rows
    }


@pytest.fixture
def x(db):
    return personas.institution(personas.X)


@pytest.fixture
def y(db):
    return personas.institution(personas.Y)


@pytest.fixture
def officer_client(client, officer_x):
    client.force_login(officer_x)
    return client


def record_of(user) -> PracticeRecord:
    return PracticeRecord.objects.get(
        id_number_digest=user.id_number_digest, state=PracticeRecord.State.VALID
    )


def refusal(func, **kwargs) -> TransitionRefused:
    with pytest.raises(TransitionRefused) as info:
        func(**kwargs)
    return info.value


# ------------------------------------------------------------------ INS-2 审批机关设置


class TestAuthoritySetting:
    def test_the_officer_sets_an_allowed_authority_and_history_names_them(self, officer_x, x):
        """INS-2: the county's health bureau for 临床; a history row with the officer as its user."""
        county = personas.authority("furong")
        setting = institution_authority_set(
            actor=officer_x, institution=x, category=Category.CLINICAL, authority=county
        )
        assert setting.authority == county
        history = setting.history.all()
        assert history.count() == 1 and history[0].history_user == officer_x

    def test_saving_the_same_authority_again_writes_no_history_and_a_change_writes_one(self, officer_x, x):
        """INS-2: only a change is recorded."""
        county, city = personas.authority("furong"), personas.authority("city")
        for authority in (county, county, city):
            institution_authority_set(
                actor=officer_x, institution=x, category=Category.DENTAL, authority=authority
            )
        setting = InstitutionAuthority.objects.get(institution=x, category=Category.DENTAL)
        assert setting.authority == city
        assert setting.history.count() == 2

    @pytest.mark.parametrize("key", ["tianxin", "hubei", "jiangan"])
    def test_an_authority_outside_the_county_city_and_province_is_refused(
        self, officer_x, x, key, assert_nothing_changed
    ):
        """INS-2: 天心区 (same city, another county), 湖北省: not this institution's chain."""
        other = personas.authority(key)
        with assert_nothing_changed("authority"):
            exc = refusal(
                institution_authority_set,
                actor=officer_x,
                institution=x,
                category=Category.CLINICAL,
                authority=other,
            )
        assert exc.code == "authority_not_allowed" and "审批机关" in str(exc.message)

    def test_a_tcm_administration_only_for_the_tcm_category(self, officer_x, x):
        """INS-2: the province's 中医药管理局 approves 中医 doctors, not 临床 ones."""
        tcm = AuthorityFactory(
            region=personas.region("province"), kind=Authority.Kind.TCM, name="湖南省中医药管理局"
        )
        assert (
            refusal(
                institution_authority_set,
                actor=officer_x,
                institution=x,
                category=Category.CLINICAL,
                authority=tcm,
            ).code
            == "authority_not_allowed"
        )
        institution_authority_set(actor=officer_x, institution=x, category=Category.TCM, authority=tcm)
        assert InstitutionAuthority.objects.get(institution=x, category=Category.TCM).authority == tcm

    def test_another_institutions_officer_cannot_set_its_authority(
        self, officer_y, x, assert_nothing_changed
    ):
        county = personas.authority("furong")
        with assert_nothing_changed("authority"):
            exc = refusal(
                institution_authority_set,
                actor=officer_y,
                institution=x,
                category=Category.CLINICAL,
                authority=county,
            )
        assert exc.code == "not_your_institution"

    def test_the_page_shows_four_blocks_and_saves_a_choice(self, officer_client, officer_x, x):
        """Seed 002 ch.3 §3: 临床/口腔/公卫/中医类别医师审批机关, 当前设置为, 修改设置, 保存."""
        county = personas.authority("furong")
        personas.authority("tianxin")  # exists, but not offered to X
        url = reverse("console:authorities")
        html = officer_client.get(url).content.decode()
        for heading in (
            "临床类别医师审批机关",
            "口腔类别医师审批机关",
            "公卫类别医师审批机关",
            "中医类别医师审批机关",
        ):
            assert heading in html
        assert "当前设置为：" in html and "未设置" in html and "请选择..." in html
        assert county.name in html and "天心区" not in html
        response = officer_client.post(url, {"category": Category.CLINICAL, "authority": county.pk})
        assert response.status_code == 302
        assert InstitutionAuthority.objects.get(institution=x, category=Category.CLINICAL).authority == county
        page = officer_client.get(url).content.decode()
        assert f"当前设置为：<strong>{county.name}</strong>" in page

    def test_the_page_refuses_another_countys_authority_in_its_block(
        self, officer_client, assert_nothing_changed
    ):
        other = personas.authority("tianxin")
        with assert_nothing_changed("page"):
            response = officer_client.post(
                reverse("console:authorities"), {"category": Category.PUBLIC_HEALTH, "authority": other.pk}
            )
        assert response.status_code == 400
        assert "只能选择本机构所在县（区）、市、省的审批机关" in response.content.decode()

    def test_the_page_refuses_an_unknown_category(self, officer_client, assert_nothing_changed):
        county = personas.authority("furong")
        with assert_nothing_changed("page"):
            response = officer_client.post(
                reverse("console:authorities"), {"category": "nope", "authority": county.pk}
            )
        assert response.status_code == 400 and "请选择医师类别。" in response.content.decode()

    def test_the_api_reads_and_sets(self, officer_client, x):
        county = personas.authority("furong")
        body = officer_client.get(f"{API}authorities/").json()
        assert [b["category"] for b in body] == [c for c, _label in Category.choices]
        assert county.pk in [a["id"] for a in body[0]["choices"]]
        response = officer_client.put(
            f"{API}authorities/",
            json.dumps({"category": "clinical", "authority": county.pk}),
            content_type="application/json",
        )
        assert response.status_code == 200
        assert response.json()[0]["current"] == {"id": county.pk, "name": county.name}
        other = personas.authority("hubei")
        refused = officer_client.put(
            f"{API}authorities/",
            json.dumps({"category": "clinical", "authority": other.pk}),
            content_type="application/json",
        )
        assert refused.status_code == 400
        assert refused.json()["errors"][0]["code"] == "authority_not_allowed"
        assert InstitutionAuthority.objects.get(institution=x, category="clinical").authority == county


# ------------------------------------------------------------------ INS-3 科室


class TestDepartments:
    def test_create_normalises_the_name_and_records_who(self, officer_x, x, subjects):
        """INS-3: NFKC and trimmed; one or more subjects; history user is the officer."""
        department = department_create(
            actor=officer_x,
            institution=x,
            name="  内科（一）　",
            subjects=[subjects["03"], subjects["03.01"]],
        )
        assert department.name == "内科(一)"
        assert sorted(department.subjects.values_list("code", flat=True)) == ["03", "03.01"]
        assert {h.history_user for h in department.history.all()} == {officer_x}

    @pytest.mark.parametrize(
        ("name", "chosen", "code"),
        [
            ("内科", ["03"], "department_exists"),
            ("   ", ["03"], "required"),
            ("心内\u200b科", ["03"], "invisible_characters"),
            ("科" * 51, ["03"], "max_length"),
            ("新科室", [], "no_subjects"),
        ],
    )
    def test_create_refusals(self, officer_x, x, subjects, name, chosen, code, assert_nothing_changed):
        DepartmentFactory(institution=x, name="内科", subjects=[subjects["03"]])
        with assert_nothing_changed("create"):
            exc = refusal(
                department_create,
                actor=officer_x,
                institution=x,
                name=name,
                subjects=[subjects[c] for c in chosen],
            )
        assert exc.code == code

    def test_the_same_name_is_fine_at_another_institution(self, officer_y, y, x, subjects):
        DepartmentFactory(institution=x, name="内科", subjects=[subjects["03"]])
        assert (
            department_create(
                actor=officer_y, institution=y, name="内科", subjects=[subjects["03"]]
            ).institution
            == y
        )

    def test_an_officer_cannot_create_at_another_institution(
        self, officer_y, x, subjects, assert_nothing_changed
    ):
        with assert_nothing_changed("create"):
            assert (
                refusal(
                    department_create, actor=officer_y, institution=x, name="内科", subjects=[subjects["03"]]
                ).code
                == "not_your_institution"
            )

    def test_delete_is_refused_while_doctors_are_in_it_and_says_how_many(
        self, officer_x, x, subjects, assert_nothing_changed
    ):
        department = DepartmentFactory(institution=x, name="外科", subjects=[subjects["04"]])
        PracticeRecordFactory.create_batch(2, main_institution=x, department=department)
        with assert_nothing_changed("delete"):
            exc = refusal(department_delete, actor=officer_x, department=department)
        assert exc.code == "department_in_use" and "2名医师" in str(exc.message)

    def test_delete_removes_it_and_history_keeps_it(self, officer_x, x, subjects):
        department = DepartmentFactory(institution=x, name="外科", subjects=[subjects["04"]])
        department_delete(actor=officer_x, department=department)
        assert not Department.objects.filter(pk=department.pk).exists()
        last = Department.history.filter(id=department.pk).first()
        assert last.history_type == "-" and last.history_user == officer_x and last.name == "外科"

    def test_the_scoping_selector_gives_each_officer_their_own(self, officer_x, officer_y, doctor_a, x, y):
        mine, theirs = DepartmentFactory(institution=x), DepartmentFactory(institution=y)
        assert list(department_list_for(user=officer_x)) == [mine]
        assert list(department_list_for(user=officer_y)) == [theirs]
        assert not department_list_for(user=doctor_a).exists()

    def test_the_picker_carries_pinyin_initials_for_the_filter(self, subjects, officer_client):
        """Seed §4 诊疗科目名称筛选: "nk" finds 内科 and 呼吸内科专业 (initials computed on the server)."""
        assert pinyin_initials("内科") == "nk"
        options = {o.code: o for o in treatment_subject_options()}
        assert options["03"].initials == "nk" and options["03.01"].initials == "hxnkzy"
        html = officer_client.get(reverse("console:departments")).content.decode()
        assert 'data-code="03" data-name="内科" data-initials="nk"' in html
        assert "subject-picker.js" in html and "诊疗科目名称筛选" in html
        for step in (
            "第一步：请输入要设置的科室名称",
            "第二步：请为设置的科室选择诊疗科目",
            "第三步：确认增加科室",
        ):
            assert step in html

    def test_the_page_creates_a_department_and_lists_it(self, officer_client, x, subjects):
        response = officer_client.post(
            reverse("console:departments"), {"name": "内科", "subjects": ["03", "03.01"]}
        )
        assert response.status_code == 302
        html = officer_client.get(reverse("console:departments")).content.decode()
        assert "已增加科室“内科”" in html
        for column in ("科室名称", "诊疗科目名称", "诊疗科目编码", "删除"):
            assert column in html
        assert "呼吸内科专业" in html

    def test_the_page_keeps_the_choice_and_says_why_on_a_refusal(self, officer_client, x, subjects):
        DepartmentFactory(institution=x, name="内科", subjects=[subjects["03"]])
        response = officer_client.post(reverse("console:departments"), {"name": "内科", "subjects": ["04"]})
        assert response.status_code == 400
        html = response.content.decode()
        assert "本院已有名为“内科”的科室。" in html
        assert 'value="04" id="subject-4" checked' in html
        none_chosen = officer_client.post(reverse("console:departments"), {"name": "眼科"})
        assert "请为设置的科室选择诊疗科目。" in none_chosen.content.decode()

    def test_another_institutions_officer_gets_404_on_delete(
        self, client, officer_y, x, assert_nothing_changed
    ):
        department = DepartmentFactory(institution=x)
        client.force_login(officer_y)
        with assert_nothing_changed("delete"):
            response = client.post(reverse("console:department_delete", args=[department.pk]))
        assert response.status_code == 404

    def test_the_page_deletes_or_says_why_not(self, officer_client, x, subjects):
        busy = DepartmentFactory(institution=x, name="外科", subjects=[subjects["04"]])
        PracticeRecordFactory(main_institution=x, department=busy)
        free = DepartmentFactory(institution=x, name="眼科", subjects=[subjects["02"]])
        response = officer_client.post(reverse("console:department_delete", args=[busy.pk]), follow=True)
        assert "该科室还有1名医师" in response.content.decode()
        officer_client.post(reverse("console:department_delete", args=[free.pk]))
        assert list(Department.objects.filter(institution=x)) == [busy]

    def test_the_api_lists_creates_and_deletes(self, officer_client, officer_y, x, y, subjects):
        DepartmentFactory(institution=y, name="别人的科室")
        created = officer_client.post(
            f"{API}departments/",
            json.dumps({"name": "口腔科", "subjects": ["12"]}),
            content_type="application/json",
        )
        assert created.status_code == 201
        assert created.json()["subjects"] == [{"code": "12", "name": "口腔科"}]
        listed = officer_client.get(f"{API}departments/").json()
        assert [d["name"] for d in listed] == ["口腔科"]
        duplicate = officer_client.post(
            f"{API}departments/",
            json.dumps({"name": "口腔科", "subjects": ["12"]}),
            content_type="application/json",
        )
        assert duplicate.status_code == 400 and duplicate.json()["errors"][0]["code"] == "department_exists"
        theirs = Department.objects.get(institution=y)
        assert officer_client.delete(f"{API}departments/{theirs.pk}/").status_code == 404
        mine = Department.objects.get(institution=x)
        PracticeRecordFactory(main_institution=x, department=mine)
        busy = officer_client.delete(f"{API}departments/{mine.pk}/")
        assert busy.status_code == 400 and busy.json()["errors"][0]["code"] == "department_in_use"


# ------------------------------------------------------------------ INS-3 本院医师所在科室信息维护


class TestDoctorDepartment:
    def test_the_officer_assigns_an_activated_doctor_with_history(self, officer_x, doctor_a, x):
        department = DepartmentFactory(institution=x)
        record = doctor_department_set(actor=officer_x, record=record_of(doctor_a), department=department)
        record.refresh_from_db()
        assert record.department == department
        assert record.history.first().history_user == officer_x

    def test_an_unactivated_doctor_is_refused(self, officer_x, unactivated_doctor, x, assert_nothing_changed):
        department = DepartmentFactory(institution=x)
        with assert_nothing_changed("set"):
            exc = refusal(
                doctor_department_set,
                actor=officer_x,
                record=record_of(unactivated_doctor),
                department=department,
            )
        assert exc.code == "not_activated" and "只有已激活的医师" in str(exc.message)

    def test_a_record_without_an_account_is_refused(self, officer_x, x):
        record = PracticeRecordFactory(
            main_institution=x, id_number=make_resident_id("430102", "19700101", "111")
        )
        assert (
            refusal(
                doctor_department_set,
                actor=officer_x,
                record=record,
                department=DepartmentFactory(institution=x),
            ).code
            == "not_activated"
        )

    def test_another_institutions_department_is_refused(self, officer_x, doctor_a, y, assert_nothing_changed):
        department = DepartmentFactory(institution=y)
        with assert_nothing_changed("set"):
            exc = refusal(
                doctor_department_set, actor=officer_x, record=record_of(doctor_a), department=department
            )
        assert exc.code == "department_not_here"

    def test_another_institutions_officer_is_refused(self, officer_y, doctor_a, x, assert_nothing_changed):
        department = DepartmentFactory(institution=x)
        with assert_nothing_changed("set"):
            exc = refusal(
                doctor_department_set, actor=officer_y, record=record_of(doctor_a), department=department
            )
        assert exc.code == "record_not_here"

    def test_a_doctor_sets_only_their_own_record(self, doctor_a, doctor_b, x):
        department = DepartmentFactory(institution=x)
        doctor_department_set(actor=doctor_a, record=record_of(doctor_a), department=department)
        assert record_of(doctor_a).department == department
        assert (
            refusal(
                doctor_department_set, actor=doctor_b, record=record_of(doctor_a), department=department
            ).code
            == "record_not_here"
        )

    def test_the_page_lists_doctors_and_offers_setting_only_for_activated_ones(
        self, officer_client, doctor_a, unactivated_doctor, doctor_b, x
    ):
        """Seed §4.1: columns, the notice, 设置 only for 已激活."""
        DepartmentFactory(institution=x, name="内科")
        html = officer_client.get(reverse("console:department_members")).content.decode()
        for column in (
            "姓名",
            "性别",
            "年龄",
            "医师类别",
            "医师级别",
            "执业范围",
            "医师账户状态",
            "所在科室",
        ):
            assert f">{column}</th>" in html
        assert "1、只有已激活的医师才能修改其所在科室信息。" in html
        assert "王甲" in html and "赵丙" in html and "李乙" not in html  # doctor_b is Y's
        assert reverse("console:department_member_set", args=[record_of(doctor_a).pk]) in html
        assert reverse("console:department_member_set", args=[record_of(unactivated_doctor).pk]) not in html
        assert "已激活" in html and "未激活" in html
        assert ">男<" in html  # doctor_a's ID number: 17th digit 3
        filtered = officer_client.get(reverse("console:department_members"), {"name": "赵"}).content.decode()
        assert "赵丙" in filtered and "王甲" not in filtered

    def test_the_page_sets_and_goes_back_to_the_same_filter(self, officer_client, doctor_a, x):
        department = DepartmentFactory(institution=x, name="内科")
        record = record_of(doctor_a)
        response = officer_client.post(
            reverse("console:department_member_set", args=[record.pk]),
            {"department": department.pk, "name": "王", "page": "1"},
        )
        assert response.status_code == 302 and response["Location"].endswith("?name=%E7%8E%8B&page=1")
        record.refresh_from_db()
        assert record.department == department
        html = officer_client.get(response["Location"]).content.decode()
        assert "已将王甲的所在科室设置为“内科”。" in html

    def test_the_page_refuses_the_unactivated_with_a_message(
        self, officer_client, unactivated_doctor, x, assert_nothing_changed
    ):
        department = DepartmentFactory(institution=x)
        url = reverse("console:department_member_set", args=[record_of(unactivated_doctor).pk])
        with assert_nothing_changed("set"):
            response = officer_client.post(url, {"department": department.pk}, follow=True)
        assert "只有已激活的医师才能修改其所在科室信息。" in response.content.decode()

    def test_another_institutions_officer_gets_404(
        self, client, officer_y, doctor_a, x, assert_nothing_changed
    ):
        department = DepartmentFactory(institution=x)
        client.force_login(officer_y)
        with assert_nothing_changed("set"):
            response = client.post(
                reverse("console:department_member_set", args=[record_of(doctor_a).pk]),
                {"department": department.pk},
            )
        assert response.status_code == 404

    @pytest.mark.parametrize("extra", [0, 28])
    def test_the_list_costs_the_same_queries_for_few_and_many(
        self, officer_client, officer_x, x, subjects, extra, django_assert_num_queries
    ):
        """2 rows or 30: session, user, count, rows, scopes, departments' subjects, the departments and
        their subjects for the select — the same queries."""
        department = DepartmentFactory(institution=x, subjects=[subjects["03"]])
        for n in range(extra + 2):
            id_number = make_resident_id("430102", "19800101", f"{n:03d}")
            PracticeRecordFactory(
                main_institution=x, real_name=f"医师{n}", id_number=id_number, department=department
            )
            DoctorFactory(real_name=f"医师{n}", id_number=id_number, activated=True)
        officer_client.get(reverse("console:department_members"))  # warm caches (content types, menus)
        with django_assert_num_queries(9):
            response = officer_client.get(reverse("console:department_members"))
        assert response.status_code == 200

    def test_the_api_sets_a_record_department(self, officer_client, doctor_a, unactivated_doctor, x, y):
        department = DepartmentFactory(institution=x)
        url = f"{API}records/{record_of(doctor_a).pk}/department/"
        response = officer_client.post(
            url, json.dumps({"department": department.pk}), content_type="application/json"
        )
        assert response.status_code == 200 and response.json()["department"] == department.pk
        theirs = DepartmentFactory(institution=y)
        refused = officer_client.post(
            url, json.dumps({"department": theirs.pk}), content_type="application/json"
        )
        assert refused.status_code == 400 and refused.json()["errors"][0]["code"] == "department_not_here"
        unactivated = officer_client.post(
            f"{API}records/{record_of(unactivated_doctor).pk}/department/",
            json.dumps({"department": department.pk}),
            content_type="application/json",
        )
        assert unactivated.json()["errors"][0]["code"] == "not_activated"


# ------------------------------------------------------------------ 我的科室 (seed 002 §2.3.3)


class TestMyDepartment:
    def test_the_doctor_picks_a_department_of_the_main_institution(self, client, doctor_a, x, y, subjects):
        mine = DepartmentFactory(institution=x, name="预防保健科", subjects=[subjects["02"]])
        DepartmentFactory(institution=y, name="天心的科室")
        client.force_login(doctor_a)
        html = client.get(reverse("accounts:my_department")).content.decode()
        assert "请选择您所在的科室：" in html and "预防保健科" in html and "全科医疗科" in html
        assert "天心的科室" not in html
        response = client.post(reverse("accounts:my_department"), {"department": mine.pk})
        assert response.status_code == 302
        assert record_of(doctor_a).department == mine
        assert record_of(doctor_a).history.first().history_user == doctor_a

    def test_another_institutions_department_is_refused(self, client, doctor_a, y, assert_nothing_changed):
        theirs = DepartmentFactory(institution=y)
        DepartmentFactory(institution=personas.institution(personas.X), name="内科")
        client.force_login(doctor_a)
        with assert_nothing_changed("mine"):
            response = client.post(reverse("accounts:my_department"), {"department": theirs.pk})
        assert response.status_code == 400
        assert "所选科室不属于您的主要执业机构" in response.content.decode()

    def test_unactivated_doctors_and_officers_cannot(self, client, unactivated_doctor, officer_x):
        client.force_login(unactivated_doctor)
        assert client.get(reverse("accounts:my_department")).status_code == 403
        client.force_login(officer_x)
        assert client.get(reverse("accounts:my_department")).status_code == 403

    def test_the_api_reads_and_sets(self, client, doctor_a, x, y):
        mine, theirs = DepartmentFactory(institution=x, name="内科"), DepartmentFactory(institution=y)
        client.force_login(doctor_a)
        body = client.get("/api/v1/accounts/department/").json()
        assert body["institution"] == x.name and body["department"] is None
        assert [c["name"] for c in body["choices"]] == ["内科"]
        response = client.put(
            "/api/v1/accounts/department/",
            json.dumps({"department": mine.pk}),
            content_type="application/json",
        )
        assert response.status_code == 200 and response.json()["department"] == mine.pk
        refused = client.put(
            "/api/v1/accounts/department/",
            json.dumps({"department": theirs.pk}),
            content_type="application/json",
        )
        assert refused.status_code == 400 and refused.json()["errors"][0]["code"] == "department_not_here"


# ------------------------------------------------------------------ demo data


def test_the_demo_has_departments_settings_and_assigned_doctors(db):
    """load_demo (twice, idempotent): 内科/外科/口腔科, an authority per category, two doctors in departments."""
    region_tree()
    for _ in range(2):
        call_command("load_demo", stdout=io.StringIO())
    first = Department.objects.get(institution__name="长沙市第一医院", name="内科")
    assert sorted(first.subjects.values_list("code", flat=True)) == ["03", "03.01"]
    assert Department.objects.count() == 6
    assert InstitutionAuthority.objects.count() == 8
    tcm = InstitutionAuthority.objects.get(institution=first.institution, category=Category.TCM)
    assert tcm.authority.kind == Authority.Kind.TCM
    assert PracticeRecord.objects.get(real_name="孙立新").department == first
    assert User.objects.get(username="sunlixin").is_activated
