"""The doctor's 首页, 资格信息, 执业信息, 考核信息 and 帮助中心 pages (ACC-8), and who may open them."""

import datetime as dt

import pytest
from django.urls import reverse

from docregsys.reference.models import PracticeScope
from qualifications.models import QualificationCertificate
from registrations.models import PracticeRecord
from tests.factories import (
    AssessmentResultFactory,
    CertificateFactory,
    ExamResultFactory,
    InstitutionFactory,
    PracticeRecordFactory,
    UserFactory,
    make_resident_id,
    region_tree,
)

pytestmark = pytest.mark.django_db

NAME = "宋立民"
ID = make_resident_id(region="430102", birth="19850317", seq="013")  # odd 17th digit: 男


def scope(code, name, order=0):
    return PracticeScope.objects.get_or_create(
        code=code, defaults={"name": name, "category": "clinical", "order": order}
    )[0]


@pytest.fixture
def doctor():
    """An activated doctor with a certificate, a passed exam, two practice locations and an assessment."""
    province, _city, furong, _tianxin = region_tree()
    user = UserFactory(activated=True, real_name=NAME, id_number=ID, username="songlm")
    CertificateFactory(
        real_name=NAME,
        id_number=ID,
        number="200943110430102198503170013",
        year_obtained=2009,
        school="中南大学湘雅医学院",
        major="临床医学",
        issuing_authority="湖南省卫生厅",
        issue_date=dt.date(2009, 12, 1),
    )
    ExamResultFactory(
        real_name=NAME, id_number=ID, year=2009, admission_ticket="209110430100123", exam_area="湖南省"
    )
    hospital = InstitutionFactory(name="湖南省人民医院", region=province)
    valid = PracticeRecordFactory(
        real_name=NAME,
        id_number=ID,
        certificate_number="110430100012345",
        qualification_number="200943110430102198503170013",
        main_institution=hospital,
        location=province,
        approval_date=dt.date(2014, 3, 17),
    )
    valid.scopes.set([scope("0101", "内科专业", 1), scope("0102", "外科专业", 2)])
    PracticeRecordFactory(
        real_name=NAME,
        id_number=ID,
        certificate_number="110430100012345",
        main_institution=InstitutionFactory(name="长沙市第一医院", region=furong),
        location=furong,
        approval_date=dt.date(2010, 5, 4),
        state=PracticeRecord.State.FILED,
    )
    AssessmentResultFactory(real_name=NAME, id_number=ID, cycle="2021-2023", assessing_body="长沙市医师协会")
    return user


def test_home_shows_basic_information_and_each_practice_location(client, doctor):
    """ACC-8: 基本信息 of seed 002 §2.1 from the doctor's own records; each location with its state."""
    client.force_login(doctor)
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "基本信息" in html
    assert NAME in html
    assert "男" in html and "1985年03月17日" in html  # from the resident ID
    assert "中南大学湘雅医学院" in html and "临床医学" in html
    assert "110430100012345" in html
    assert "执业地点：湖南省" in html and "（有效）" in html
    assert "湖南省人民医院" in html
    assert "内科专业、外科专业" in html
    assert "2014年03月17日" in html
    assert "执业地点：湖南省长沙市芙蓉区" in html and "（备案）" in html
    # Valid first.
    assert html.index("湖南省人民医院") < html.index("长沙市第一医院")
    # Not held by the system: not shown as empty rows.
    for absent in ("民族", "任职资格", "学历"):
        assert absent not in html


def test_home_shows_masked_id_and_never_the_clear_one(client, doctor):
    """ACC-8, security rules: the ID number is masked on the page."""
    client.force_login(doctor)
    html = client.get("/").content.decode()
    assert doctor.id_number_masked == ID[:4] + "*" * 10 + ID[-4:]
    assert doctor.id_number_masked in html
    assert ID not in html


def test_home_without_practice_records_says_so(client):
    """ACC-8: an activated doctor with only a qualification sees words, not an empty block."""
    user = UserFactory(activated=True, real_name=NAME, id_number=ID)
    client.force_login(user)
    html = client.get("/").content.decode()
    assert "暂无执业注册信息" in html
    assert "执业证书编码" not in html


def test_unactivated_doctor_is_sent_to_the_next_step(client):
    """ACC-5/ACC-8: a doctor not activated lands on the next step of activation, from the home page."""
    client.force_login(UserFactory(real_name=NAME))
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == reverse("accounts:check")
    client.force_login(UserFactory(checked=True, real_name=NAME))
    assert client.get("/").url == reverse("accounts:verify_phone")
    client.force_login(UserFactory(phone_verified=True, real_name=NAME))
    assert client.get("/").url == reverse("accounts:activation")


@pytest.mark.parametrize("name", ["accounts:qualification", "accounts:practice", "accounts:assessment"])
def test_record_pages_refuse_unactivated_doctor_with_next_step(client, name):
    """ACC-5: every page beyond activation says why and links to the next step (403)."""
    client.force_login(UserFactory(phone_verified=True))
    response = client.get(reverse(name))
    assert response.status_code == 403
    html = response.content.decode()
    assert "账户尚未激活" in html
    assert f'href="{reverse("accounts:activation")}"' in html


@pytest.mark.parametrize("name", ["accounts:qualification", "accounts:practice", "accounts:assessment"])
def test_record_pages_refuse_officers_and_reviewers(client, name):
    """ACC-8: the doctor's pages are the doctor's own; other roles get 403."""
    for user in (UserFactory(officer=True), UserFactory(reviewer=True)):
        client.force_login(user)
        assert client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", ["accounts:qualification", "accounts:practice", "accounts:assessment"])
def test_record_pages_send_anonymous_visitors_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_qualification_page_shows_certificates_and_passed_exams(client, doctor):
    """ACC-8: 资格信息 lists the certificate and the passed exam result."""
    ExamResultFactory(
        real_name=NAME, id_number=ID, year=2008, admission_ticket="208110430100999", passed=False
    )
    client.force_login(doctor)
    html = client.get(reverse("accounts:qualification")).content.decode()
    for text in (
        "200943110430102198503170013",
        "执业医师",
        "临床",
        "2009",
        "中南大学湘雅医学院",
        "临床医学",
        "湖南省卫生厅",
        "2009年12月01日",
        "新人新办法",
        "209110430100123",
        "临床执业医师",
    ):
        assert text in html, text
    assert "208110430100999" not in html  # a failed attempt is not a qualification
    assert ID not in html


def test_qualification_page_empty_state_points_to_the_guides(client):
    client.force_login(UserFactory(activated=True, real_name=NAME, id_number=ID))
    html = client.get(reverse("accounts:qualification")).content.decode()
    assert "暂无医师资格证书信息" in html
    assert "暂无考试合格信息" in html
    assert reverse("qualifications:guides") in html
    assert "<table" not in html


def test_practice_page_lists_every_record_with_its_state_valid_first(client, doctor):
    """ACC-8: 执业信息, each practice location with its state as a badge."""
    PracticeRecordFactory(
        real_name=NAME,
        id_number=ID,
        state=PracticeRecord.State.DEREGISTERED,
        approval_date=dt.date(2016, 1, 1),
    )
    PracticeRecordFactory(
        real_name=NAME,
        id_number=ID,
        state=PracticeRecord.State.TRANSFERRED_OUT,
        approval_date=dt.date(2018, 1, 1),
    )
    PracticeRecordFactory(real_name="别人", id_number=ID)  # same ID, other name: not this doctor's
    client.force_login(doctor)
    html = client.get(reverse("accounts:practice")).content.decode()
    assert html.count('class="badge badge-') == 4
    for state in ("有效", "备案", "注销", "变更出"):
        assert f">{state}</span>" in html
    assert html.index("badge-valid") < html.index("badge-filed")
    assert html.index("badge-valid") < html.index("badge-deregistered")
    assert "湖南省人民医院" in html and "长沙市第一医院" in html
    assert "内科专业、外科专业" in html
    # masked on 执业信息; the 资格信息 page is the one place it is shown in full.
    assert "200943110430102198503170013" not in html and "2009" + "*" * 19 + "0013" in html
    assert "湖南省卫生健康委员会" in html


def test_practice_page_empty_state(client):
    client.force_login(UserFactory(activated=True, real_name=NAME, id_number=ID))
    html = client.get(reverse("accounts:practice")).content.decode()
    assert "暂无执业注册信息" in html


def test_assessment_page_shows_results_and_empty_state(client, doctor):
    """ACC-8, REG-10: 考核信息 (考核周期, 考核机构, 考核结果)."""
    client.force_login(doctor)
    html = client.get(reverse("accounts:assessment")).content.decode()
    assert "2021-2023" in html and "长沙市医师协会" in html and "合格" in html
    client.force_login(UserFactory(activated=True, real_name="无考核", id_number=make_resident_id(seq="777")))
    html = client.get(reverse("accounts:assessment")).content.decode()
    assert "暂无考核信息" in html
    assert "<table" not in html


def test_help_centre_is_public_and_answers_from_the_seeds(client):
    """ACC-8: 帮助中心 for anyone, with the recovery and guide links."""
    response = client.get(reverse("accounts:help"))
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "热点问题",
        "老人老办法",
        "新人新办法",
        "未验证到医师资格怎么办",
        "系统操作指南",
        "如何完成账户激活",
    ):
        assert text in html, text
    assert reverse("accounts:recover") in html
    assert reverse("qualifications:guides") in html
    assert reverse("accounts:help_ask") in html  # INS-12 我要提问 (asking needs a doctor's login)


def test_help_centre_in_the_doctor_frame_for_doctors(client, doctor):
    client.force_login(doctor)
    html = client.get(reverse("accounts:help")).content.decode()
    assert 'class="side-menu"' in html
    assert f'<a href="{reverse("accounts:help")}" aria-current="page">帮助中心</a>' in html


def test_officer_and_reviewer_keep_their_home(client):
    """ACC-8: only doctors get the doctor's home."""
    officer = UserFactory(officer=True)
    client.force_login(officer)
    response = client.get("/")
    assert response.status_code == 200
    assert "医疗机构注册管理员，您好" in response.content.decode()
    client.force_login(UserFactory(reviewer=True))
    assert "进入审批管理" in client.get("/").content.decode()


@pytest.fixture
def doctor_with(db):
    """doctor_with(n) → an activated doctor holding n practice records with 3 scopes each."""

    def make(n):
        other = make_resident_id(birth="19800101", seq="021")
        user = UserFactory(activated=True, real_name="计数", id_number=other)
        scopes = [scope(f"09{i}", f"范围{i}", i) for i in range(3)]
        for _i in range(n):
            PracticeRecordFactory(real_name="计数", id_number=other).scopes.set(scopes)
        return user

    return make


@pytest.mark.parametrize("n", [1, 5])
def test_home_query_count_is_constant(client, doctor_with, django_assert_num_queries, n):
    """ACC-8 acceptance: the home page's query count does not grow with the records."""
    client.force_login(doctor_with(n))
    # 1 session, 2 user, 3 certificates, 4 passed exams, 5 practice records (location, institution and
    # authority joined), 6 scopes prefetch, 7 open applications (您有N件业务正在办理), 8 announcements.
    # The menu reads nothing (context processor).
    with django_assert_num_queries(8):
        response = client.get("/")
    assert response.content.decode().count("执业地点：") == n


@pytest.mark.parametrize("n", [1, 5])
def test_practice_page_query_count_is_constant(client, doctor_with, django_assert_num_queries, n):
    """ACC-8: 执业信息 costs the same for 1 and for 5 practice records with 3 scopes each."""
    client.force_login(doctor_with(n))
    # 1 session, 2 user, 3 practice records with their joins, 4 scopes prefetch.
    with django_assert_num_queries(4):
        response = client.get(reverse("accounts:practice"))
    html = response.content.decode()
    assert html.count('class="badge badge-') == n
    assert html.count("范围0、范围1、范围2") == n


def test_certificate_origin_labels(client):
    """ACC-8: 资格来源 in words for legacy and military certificates."""
    user = UserFactory(activated=True, real_name=NAME, id_number=ID)
    CertificateFactory(
        real_name=NAME, id_number=ID, origin=QualificationCertificate.Origin.LEGACY, year_obtained=1995
    )
    CertificateFactory(real_name=NAME, id_number=ID, origin=QualificationCertificate.Origin.MILITARY)
    client.force_login(user)
    html = client.get(reverse("accounts:qualification")).content.decode()
    assert "老人老办法" in html and "军队" in html


def test_home_omits_sex_and_birth_date_for_other_documents(client):
    """ACC-8: sex and birth date come only from a resident ID; a passport shows neither, and no error."""
    user = UserFactory(activated=True, real_name="Anna", id_type="passport", id_number="E12345678")
    client.force_login(user)
    html = client.get("/").content.decode()
    assert "基本信息" in html and "E123*5678" in html
    assert "性别" not in html and "出生日期" not in html
    assert "外籍护照号码" in html and "身份证号码" not in html
