"""INS-12 客服中心 in the console: 常见问题列表, 向客服提问, the officer's own questions and replies."""

import pytest
from django.urls import reverse

from accounts.models import Question
from accounts.services.help import DAILY_QUESTIONS, question_ask
from tests.factories import OfficerFactory, QuestionFactory
from tests.personas import region

pytestmark = pytest.mark.django_db

HELP = "/institution/help/"
API = "/api/v1/institution/help/"


def test_the_faq_table_shows_the_seeds_columns_and_rows(client, officer_x):
    client.force_login(officer_x)
    html = client.get(reverse("console:help")).content.decode()
    for text in (
        "客服中心",
        "常见问题列表",
        "问题类别",
        "问题标题",
        "查看解决办法",
        "医疗机构如何打印业务申请表",
    ):
        assert text in html, text
    assert reverse("console:help_faq", args=["officer-activation"]) in html
    assert "请输入问题标题" in html and "问题详细描述" in html


def test_the_faq_detail_has_the_five_points(client, officer_x):
    client.force_login(officer_x)
    html = client.get(reverse("console:help_faq", args=["officer-activation"])).content.decode()
    assert "详情" in html and html.count("<li>") >= 5
    assert "变更执业地点或主执业机构后不用再重复做激活操作" in html
    assert client.get(reverse("console:help_faq", args=["photo"])).status_code == 404  # a doctor's answer


def test_an_officer_asks_and_the_question_gets_the_institutions_region(client, officer_x):
    client.force_login(officer_x)
    response = client.post(HELP, {"title": "激活码收不到", "description": "医师说没有收到激活码短信。"})
    assert response.status_code == 302
    question = Question.objects.get(asker=officer_x)
    assert question.region_id == "430102"
    html = client.get(HELP).content.decode()
    assert "激活码收不到" in html and "未回复" in html
    assert reverse("console:help_question", args=[question.pk]) in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "标" * 51, "description": "描述"}, "50"),
        ({"title": "标题", "description": "长" * 1001}, "1000"),
        ({"title": "\u2066标题\u2069", "description": "描述"}, "看不见的特殊字符"),
        ({"title": "", "description": ""}, "field-invalid"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_nothing_is_written(
    client, officer_x, data, message, assert_nothing_changed
):
    client.force_login(officer_x)
    with assert_nothing_changed():
        response = client.post(HELP, data)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_the_eleventh_question_of_the_day_is_refused(client, officer_x):
    for n in range(DAILY_QUESTIONS):
        question_ask(asker=officer_x, title=f"问题{n}", description="描述")
    client.force_login(officer_x)
    response = client.post(HELP, {"title": "再问", "description": "描述"})
    assert response.status_code == 200
    assert "今日提问次数已达上限" in response.content.decode()
    assert Question.objects.filter(asker=officer_x).count() == DAILY_QUESTIONS


def test_the_reply_is_shown_to_the_asker(client, officer_x):
    question = QuestionFactory(
        asker=officer_x, region=region("furong"), answer="请到医师验证中核对执业地点。"
    )
    question.answered_at = question.created_at
    question.save()
    client.force_login(officer_x)
    html = client.get(reverse("console:help_question", args=[question.pk])).content.decode()
    assert "请到医师验证中核对执业地点。" in html and "查看回复详情" in html


def test_another_officers_question_is_404_even_in_the_same_institution(client, officer_x, officer_y):
    """Own questions only: officer_y (other institution) and a colleague at X both get 404."""
    question = QuestionFactory(asker=officer_x, region=region("furong"), title="芙蓉医院的私事")
    for other in (officer_y, OfficerFactory(institution=officer_x.institution)):
        client.force_login(other)
        assert client.get(reverse("console:help_question", args=[question.pk])).status_code == 404
        assert question.title not in client.get(HELP).content.decode()


def test_doctors_and_reviewers_are_refused(client, doctor_a, county_reviewer, assert_nothing_changed):
    for user in (doctor_a, county_reviewer):
        client.force_login(user)
        with assert_nothing_changed():
            assert client.post(HELP, {"title": "标题", "description": "描述"}).status_code == 403


def test_the_page_reads_a_constant_number_of_queries(client, officer_x, django_assert_num_queries):
    """Few or many questions: session, user, the institution (tenant band), count, one page (joined)."""
    client.force_login(officer_x)
    QuestionFactory(asker=officer_x)
    with django_assert_num_queries(5):
        client.get(HELP)
    QuestionFactory.create_batch(25, asker=officer_x, region=region("furong"))
    with django_assert_num_queries(5):
        client.get(HELP)


def test_the_menu_shows_the_help_centre_under_its_menu(client, officer_x):
    client.force_login(officer_x)
    html = client.get(HELP).content.decode()
    assert "综合信息" in html and f'<a href="{HELP}" aria-current="page">客服中心</a>' in html


# ------------------------------------------------------------------------------------------ API


def test_api_faq_and_questions_for_officers(client, officer_x, officer_y):
    client.force_login(officer_x)
    faq = client.get(f"{API}faq/").json()
    assert faq[0]["title"] == "医师如何完成账户激活" and len(faq[0]["steps"]) == 5
    response = client.post(
        f"{API}questions/", {"title": "标题", "description": "描述"}, content_type="application/json"
    )
    assert response.status_code == 201
    pk = response.json()["id"]
    assert client.get(f"{API}questions/{pk}/").json()["answered"] is False
    client.force_login(officer_y)
    assert client.get(f"{API}questions/{pk}/").status_code == 404
    assert client.get(f"{API}questions/").json()["count"] == 0


def test_api_refuses_doctors_and_officers_who_must_change_their_password(client, doctor_a):
    client.force_login(doctor_a)
    assert client.get(f"{API}questions/").status_code == 403
    client.force_login(OfficerFactory(must_change_password=True))
    assert client.get(f"{API}faq/").status_code == 403
