"""INS-8 医师验证: lookups by ID number on the console pages and the API, audited, masked and rationed."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from docregsys.exceptions import TransitionRefused
from docregsys.identity.crypto import id_number_digest, mask_id_number
from qualifications.models import ExamResult
from registrations.models import DoctorLookup, PracticeRecord
from registrations.services.lookups import doctor_lookup
from tests import personas
from tests.factories import (
    AssessmentResultFactory,
    ExamCategoryFactory,
    ExamResultFactory,
    PracticeRecordFactory,
    make_resident_id,
)

pytestmark = pytest.mark.django_db

A_ID = personas.DOCTOR_A_ID
A_CERTIFICATE = "201043110430102198501010231"
A_MASKED = mask_id_number(A_ID)
BAD_CHECK_DIGIT = A_ID[:17] + ("0" if A_ID[17] != "0" else "1")


def console(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_registration_lookup_shows_the_records_masked_and_audits_the_digest(doctor_a, officer_x):
    """INS-8 (seed 002 §6.3): 业务状态, 姓名, 性别, masked ID … ; one DoctorLookup row, digest only."""
    response = console(officer_x).post(reverse("console:verify_registration"), {"id_number": A_ID})

    assert response.status_code == 200
    page = response.content.decode()
    assert "本次查询共查到1条数据" in page
    for shown in ("有效", "王甲", "男", A_MASKED, "110430100000001", "芙蓉医院", "执业医师", "临床"):
        assert shown in page
    assert "2015年06月01日" in page
    assert A_ID not in page
    lookup = DoctorLookup.objects.get()
    assert (lookup.user, lookup.institution, lookup.kind) == (
        officer_x,
        officer_x.institution,
        "registration",
    )
    assert lookup.value_digest == id_number_digest(A_ID)
    assert lookup.value_masked == A_MASKED
    assert lookup.found == 1
    assert A_ID not in str(DoctorLookup.objects.values_list().get())


def test_qualification_lookup_masks_the_certificate_number(doctor_a, officer_x):
    """INS-8 (seed 002 §6.2): 获得年度 … 资格证书编码 masked (it holds the full ID number, X-3) … 发证机关."""
    page = (
        console(officer_x).post(reverse("console:verify_qualification"), {"id_number": A_ID}).content.decode()
    )

    assert "本次查询共查到1条数据" in page
    for shown in (
        "获得年度",
        "2025",
        "医师级别",
        "中南大学",
        "临床医学",
        "201043110" + mask_id_number(A_CERTIFICATE[9:]),
    ):
        assert shown in page
    assert A_CERTIFICATE not in page and A_ID not in page
    assert DoctorLookup.objects.get().kind == "qualification"


def test_qualification_lookup_shows_a_passed_exam_without_a_certificate(officer_x):
    """INS-8: a candidate who passed but holds no certificate yet: 年度 and 报考类别."""
    number = make_resident_id("430102", "19980505", "114")
    ExamResultFactory(
        id_number=number,
        real_name="钱新",
        year=2025,
        passed=True,
        exam_category=ExamCategoryFactory(name="临床执业医师"),
    )
    ExamResultFactory(id_number=number, real_name="钱新", year=2024, passed=False)

    page = (
        console(officer_x)
        .post(reverse("console:verify_qualification"), {"id_number": number})
        .content.decode()
    )

    assert "本次查询共查到1条数据" in page
    assert "钱新" in page and "临床执业医师" in page and "2025年考试合格" in page
    assert ExamResult.objects.count() == 2


def test_credit_lookup_lists_assessments_and_deregistered_records(officer_x, institutions):
    """INS-8 医师信用验证: 考核周期, 考核机构, 考核结果 and the records in 注销 state, nothing else."""
    number = make_resident_id("430103", "19700707", "335")
    AssessmentResultFactory(id_number=number, real_name="孙丁", cycle="2018-2020", failed=True)
    AssessmentResultFactory(id_number=number, real_name="孙丁", cycle="2021-2023")
    PracticeRecordFactory(
        id_number=number, real_name="孙丁", main_institution=institutions["hetang"], deregistered=True
    )
    PracticeRecordFactory(id_number=number, real_name="孙丁", main_institution=institutions["tianxin"])

    page = console(officer_x).post(reverse("console:verify_credit"), {"id_number": number}).content.decode()

    assert "本次查询共查到3条数据" in page
    for shown in ("2018-2020", "不合格", "2021-2023", "长沙市医师协会", "注销", "荷塘医院"):
        assert shown in page
    assert "天心医院" not in page  # the valid record is not a credit matter
    assert DoctorLookup.objects.get().found == 3


def test_a_person_without_records_is_found_zero_times_and_still_audited(officer_x):
    number = make_resident_id("430102", "19900909", "556")
    page = (
        console(officer_x)
        .post(reverse("console:verify_registration"), {"id_number": number})
        .content.decode()
    )
    assert "本次查询共查到0条数据" in page
    assert "没有查到该身份证号码的记录" in page
    assert DoctorLookup.objects.get().found == 0


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (BAD_CHECK_DIGIT, "校验位"),
        ("43010219850101023", "应为18位"),
        ("", "请输入身份证号码"),
        ("4301021985010１0231\u200b", "看不见的特殊字符"),
    ],
)
def test_an_invalid_id_number_is_refused_on_the_field_and_nothing_is_written(
    officer_x, assert_nothing_changed, value, message
):
    """ID-1: normalised, checked and refused with the field's Chinese message; no lookup, no audit row."""
    client = console(officer_x)
    with assert_nothing_changed("invalid lookup"):
        response = client.post(reverse("console:verify_registration"), {"id_number": value})
    assert response.status_code == 200
    errors = response.context["form"].errors["id_number"]
    assert message in errors[0]
    assert "本次查询共查到" not in response.content.decode()


def test_full_width_digits_are_normalised_before_the_lookup(doctor_a, officer_x):
    wide = A_ID.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    page = (
        console(officer_x).post(reverse("console:verify_registration"), {"id_number": wide}).content.decode()
    )
    assert "本次查询共查到1条数据" in page
    assert DoctorLookup.objects.get().value_digest == id_number_digest(A_ID)


def test_the_daily_limit_refuses_the_next_lookup_with_a_message(doctor_a, officer_x, settings):
    """INS-8: at most DOCTOR_LOOKUP_DAILY_LIMIT lookups per officer and day; yesterday's do not count."""
    settings.DOCTOR_LOOKUP_DAILY_LIMIT = 2
    old = DoctorLookup.objects.create(
        user=officer_x, kind="registration", value_digest="0" * 64, value_masked="x", found=0
    )
    DoctorLookup.objects.filter(pk=old.pk).update(at=old.at - dt.timedelta(days=1))
    client = console(officer_x)
    url = reverse("console:verify_registration")
    for _i in range(2):
        assert "本次查询共查到1条数据" in client.post(url, {"id_number": A_ID}).content.decode()

    response = client.post(url, {"id_number": A_ID})

    assert "今天的医师验证次数已达上限（2次）" in response.context["form"].errors["id_number"][0]
    assert "本次查询共查到" not in response.content.decode()
    assert DoctorLookup.objects.count() == 3
    # Another officer's quota is their own.
    assert doctor_lookup(user=personas.officer_y(), kind="registration", id_number=A_ID).found == 1


def test_the_service_refuses_anyone_but_an_officer(doctor_a, county_reviewer, superuser):
    for user in (doctor_a, county_reviewer, superuser):
        with pytest.raises(TransitionRefused) as refused:
            doctor_lookup(user=user, kind="registration", id_number=A_ID)
        assert refused.value.code == "not_officer"
    assert not DoctorLookup.objects.exists()


def test_doctors_and_reviewers_get_403_and_nothing_is_written(
    doctor_a, county_reviewer, assert_nothing_changed
):
    for user in (doctor_a, county_reviewer):
        client = console(user)
        with assert_nothing_changed("refused lookup"):
            assert client.post(reverse("console:verify_credit"), {"id_number": A_ID}).status_code == 403
            assert (
                api(user).post("/api/v1/institution/verify/credit/", {"id_number": A_ID}).status_code == 403
            )


def test_the_id_number_never_appears_in_a_url(officer_x):
    """X-3: the form posts to its own page; the ID goes in the body."""
    page = console(officer_x).get(reverse("console:verify_qualification")).content.decode()
    assert 'method="post"' in page
    assert "医师资格信息验证" in page and "身份证号码" in page and "查询" in page


# ------------------------------------------------------------------------------------------- the API


def test_api_lookup_answers_masked_rows_and_audits(doctor_a, officer_x):
    response = api(officer_x).post(
        "/api/v1/institution/verify/registration/", {"id_number": A_ID}, format="json"
    )

    assert response.status_code == 200
    body = response.json()
    assert body["found"] == 1 and body["real_name"] == "王甲"
    assert body["id_number_masked"] == A_MASKED
    fields = body["items"][0]["fields"]
    assert body["items"][0]["section"] == "practice_records"
    assert fields["certificate_number"] == "110430100000001" and fields["id_number"] == A_MASKED
    assert A_ID not in response.content.decode()
    assert DoctorLookup.objects.get().value_digest == id_number_digest(A_ID)


def test_api_refuses_an_invalid_number_on_its_field_without_an_audit_row(officer_x, assert_nothing_changed):
    with assert_nothing_changed("invalid API lookup"):
        response = api(officer_x).post(
            "/api/v1/institution/verify/qualification/", {"id_number": BAD_CHECK_DIGIT}, format="json"
        )
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["field"] == "id_number" and "校验位" in error["message"]


def test_api_answers_429_over_the_daily_limit(doctor_a, officer_x, settings):
    settings.DOCTOR_LOOKUP_DAILY_LIMIT = 1
    client = api(officer_x)
    url = "/api/v1/institution/verify/credit/"
    assert client.post(url, {"id_number": A_ID}, format="json").status_code == 200
    response = client.post(url, {"id_number": A_ID}, format="json")
    assert response.status_code == 429
    assert response.json()["errors"][0]["code"] == "daily_limit"
    assert DoctorLookup.objects.count() == 1


# ------------------------------------------------------------------------------------------ the admin


def test_the_audit_is_the_superusers_to_read_masked(doctor_a, officer_x, superuser, county_reviewer):
    doctor_lookup(user=officer_x, kind="qualification", id_number=A_ID)
    admin = Client()
    admin.force_login(superuser)
    page = admin.get(reverse("admin:registrations_doctorlookup_changelist")).content.decode()
    assert A_MASKED in page and "芙蓉医院" in page and A_ID not in page
    reviewer = Client()
    reviewer.force_login(county_reviewer)
    assert reviewer.get(reverse("admin:registrations_doctorlookup_changelist")).status_code == 403


def test_practice_records_are_untouched_by_a_lookup(doctor_a, officer_x):
    before = list(PracticeRecord.objects.values())
    doctor_lookup(user=officer_x, kind="credit", id_number=A_ID)
    assert list(PracticeRecord.objects.values()) == before
