"""INS-12 for doctors and reviewers: 帮助中心 (FAQ, 我要提问, own questions), question services, the admin's answers."""

import pytest
from django.urls import reverse

from accounts.faq import DOCTOR, OFFICER, faq_get, faq_list_for
from accounts.models import Question
from accounts.services.help import DAILY_QUESTIONS, question_answer, question_ask
from docregsys.exceptions import TransitionRefused
from docregsys.messaging.models import OutboundMessage
from tests.factories import QuestionFactory, UserFactory
from tests.personas import region

pytestmark = pytest.mark.django_db

HOT = [
    "如何完成账户激活",
    "如何打印业务申请表",
    "执业医师如何申请变更主执业机构",
    "助理医师如何申请变更主执业机构",
    "业务申请提交后多长时间能够办理完毕",
    "如何撤销业务申请",
    "助理升执业医师如何操作",
    "执业证书编码终身一号",
    "如何申请多执业机构备案",
    "如何取消多执业机构备案",
    "如何修改照片信息",
]


# ------------------------------------------------------------------------------------------ content


def test_the_doctors_guides_are_the_eleven_hot_questions_of_the_seed():
    """INS-12 / seed 002 ch. 4: 热点问题 · 系统操作指南 lists exactly these titles, in this order."""
    guides = [str(faq.title) for faq in faq_list_for(DOCTOR) if str(faq.category) == "系统操作指南"]
    assert guides == HOT


def test_the_institutions_list_starts_with_the_seeds_three_guides():
    """INS-12: 常见问题列表 of the console: the seed's three 系统操作指南 rows first."""
    titles = [str(faq.title) for faq in faq_list_for(OFFICER)]
    assert titles[:3] == ["医师如何完成账户激活", "医师如何找回个人的账户信息", "医疗机构如何打印业务申请表"]
    assert "机构未查询到医师账户激活的信息，怎么办？" in titles


def test_activation_answer_has_the_seeds_five_points_word_for_word():
    faq = faq_get(audience=OFFICER, slug="officer-activation")
    assert len(faq.steps) == 5
    assert (
        str(faq.steps[4])
        == "医师电子化注册账户信息仅需激活一次，变更执业地点或主执业机构后不用再重复做激活操作。"
    )


def test_answers_about_applications_say_the_function_is_being_opened():
    """Applications come later: those answers say so instead of promising a button that is not there."""
    for slug in ("print", "withdraw", "filing", "filing-cancel", "assistant-upgrade"):
        text = " ".join(str(p) for p in faq_get(audience=DOCTOR, slug=slug).paragraphs)
        assert "正在开通中" in text, slug


def test_faq_links_resolve_to_pages_that_exist():
    faq = faq_get(audience=DOCTOR, slug="photo")
    assert [(str(label), url) for label, url in faq.resolved_links()] == [("信息维护", "/accounts/maintenance/")]


def test_faq_slugs_are_unique_per_audience():
    for audience in (DOCTOR, OFFICER):
        slugs = [faq.slug for faq in faq_list_for(audience)]
        assert len(slugs) == len(set(slugs))


# ------------------------------------------------------------------------------------------ services


def test_a_doctors_question_belongs_to_the_region_of_the_valid_main_institution(doctor_a):
    """INS-12: the reviewers of 芙蓉区 (X's region) answer doctor_a."""
    question = question_ask(asker=doctor_a, title="  照片 ", description="如何修改照片信息？")
    assert question.region_id == "430102"
    assert question.title == "照片"


def test_an_officers_question_belongs_to_the_institutions_region(officer_y):
    question = question_ask(asker=officer_y, title="激活码", description="如何生成激活码？")
    assert question.region_id == "430103"


def test_a_doctor_without_a_valid_record_asks_without_a_region():
    question = question_ask(asker=UserFactory(), title="激活", description="如何激活？")
    assert question.region_id is None


def test_text_is_normalised_nfkc():
    question = question_ask(asker=UserFactory(), title="ＡＢＣ１２３", description="全角　空格")
    assert question.title == "ABC123"
    assert question.description == "全角 空格"


@pytest.mark.parametrize(
    ("title", "description", "code"),
    [
        ("零宽\u200b字符", "描述", "invisible_characters"),
        ("标题", "方向\u202e控制", "invisible_characters"),
        ("标" * 51, "描述", "too_long"),
        ("标题", "述" * 1001, "too_long"),
        ("   ", "描述", "required"),
    ],
)
def test_bad_text_is_refused_and_nothing_is_written(title, description, code, assert_nothing_changed):
    asker = UserFactory()
    with assert_nothing_changed("question_ask"), pytest.raises(TransitionRefused) as refused:
        question_ask(asker=asker, title=title, description=description)
    assert refused.value.code == code


def test_reviewers_cannot_ask(county_reviewer, assert_nothing_changed):
    with assert_nothing_changed(), pytest.raises(TransitionRefused):
        question_ask(asker=county_reviewer, title="标题", description="描述")


def test_asking_is_limited_per_day(doctor_b):
    """INS-12: at most DAILY_QUESTIONS a day per person, refused in Chinese."""
    for n in range(DAILY_QUESTIONS):
        question_ask(asker=doctor_b, title=f"问题{n}", description="描述")
    with pytest.raises(TransitionRefused) as refused:
        question_ask(asker=doctor_b, title="再问", description="描述")
    assert refused.value.code == "daily_limit"
    assert "今日提问次数已达上限" in str(refused.value.message)
    assert Question.objects.filter(asker=doctor_b).count() == DAILY_QUESTIONS
    question_ask(asker=UserFactory(), title="别人", description="不受影响")  # the limit is per person


def test_answering_notifies_the_asker_once(doctor_a, county_reviewer):
    """INS-12: the first answer sets answered_at and sends one SMS to the verified phone; an edit does not."""
    question = QuestionFactory(asker=doctor_a, region=region("furong"))
    question_answer(reviewer=county_reviewer, question=question, answer="请到医疗机构领取激活码。")
    question.refresh_from_db()
    first_at = question.answered_at
    assert question.answered and question.answered_by == county_reviewer
    sms = OutboundMessage.objects.get()
    assert sms.destination == doctor_a.phone and "已有回复" in sms.body
    question_answer(reviewer=county_reviewer, question=question, answer="补充：激活码有效期有限。")
    question.refresh_from_db()
    assert question.answered_at == first_at and question.answer.startswith("补充")
    assert OutboundMessage.objects.count() == 1


def test_an_asker_without_a_verified_phone_gets_no_sms(county_reviewer):
    question = QuestionFactory(asker=UserFactory(phone="13900000000"), region=region("furong"))
    question_answer(reviewer=county_reviewer, question=question, answer="答复")
    assert not OutboundMessage.objects.exists()


def test_a_reviewer_of_another_region_cannot_answer(doctor_a, tianxin_reviewer, assert_nothing_changed):
    question = QuestionFactory(asker=doctor_a, region=region("furong"))
    with assert_nothing_changed(), pytest.raises(TransitionRefused):
        question_answer(reviewer=tianxin_reviewer, question=question, answer="答复")


def test_the_city_reviewer_answers_a_county_question_and_the_superuser_any(
    doctor_a, city_reviewer, superuser
):
    question = QuestionFactory(asker=doctor_a, region=region("furong"))
    question_answer(reviewer=city_reviewer, question=question, answer="市级答复")
    orphan = QuestionFactory(asker=UserFactory(), region=None)
    question_answer(reviewer=superuser, question=orphan, answer="答复")
    orphan.refresh_from_db()
    assert orphan.answered


def test_an_officer_cannot_answer(officer_x, assert_nothing_changed):
    question = QuestionFactory(asker=officer_x, region=region("furong"))
    with assert_nothing_changed(), pytest.raises(TransitionRefused):
        question_answer(reviewer=officer_x, question=question, answer="自问自答")


# ------------------------------------------------------------------------------------------ pages


def test_help_centre_lists_the_hot_questions_and_links_asking(client):
    html = client.get(reverse("accounts:help")).content.decode()
    for title in HOT:
        assert title in html
    assert "留下您的问题，我们会第一时间为您解答" in html
    assert reverse("accounts:help_faq", args=["activation"]) in html


def test_a_faq_answer_is_public_and_an_unknown_one_404(client):
    response = client.get(reverse("accounts:help_faq", args=["activation"]))
    assert response.status_code == 200
    assert "激活后系统开放所有功能" in response.content.decode()
    assert (
        client.get(reverse("accounts:help_faq", args=["officer-print"])).status_code == 404
    )  # not a doctor's
    assert client.get(reverse("accounts:help_faq", args=["nope"])).status_code == 404


def test_asking_needs_a_login(client):
    response = client.get(reverse("accounts:help_ask"))
    assert response.status_code == 302 and reverse("accounts:login") in response.url


def test_a_doctor_asks_and_sees_the_question_listed(client, doctor_a):
    client.force_login(doctor_a)
    response = client.post(reverse("accounts:help_ask"), {"title": "照片", "description": "怎么改照片？"})
    assert response.status_code == 302
    question = Question.objects.get(asker=doctor_a)
    html = client.get(reverse("accounts:help_ask")).content.decode()
    assert "照片" in html and reverse("accounts:help_question", args=[question.pk]) in html


def test_invisible_characters_are_refused_on_the_page(client, doctor_a, assert_nothing_changed):
    client.force_login(doctor_a)
    with assert_nothing_changed():
        response = client.post(reverse("accounts:help_ask"), {"title": "照\u200b片", "description": "描述"})
    assert response.status_code == 200
    assert "看不见的特殊字符" in response.content.decode()


def test_a_too_long_description_is_refused_on_the_page(client, doctor_a, assert_nothing_changed):
    client.force_login(doctor_a)
    with assert_nothing_changed():
        response = client.post(reverse("accounts:help_ask"), {"title": "长", "description": "长" * 1001})
    assert response.status_code == 200 and "field-invalid" in response.content.decode()


def test_an_officer_cannot_use_the_doctors_form(client, officer_x, assert_nothing_changed):
    client.force_login(officer_x)
    with assert_nothing_changed():
        response = client.post(reverse("accounts:help_ask"), {"title": "标题", "description": "描述"})
    assert response.status_code == 403


def test_another_doctors_question_is_404(client, doctor_a, doctor_b):
    question = QuestionFactory(asker=doctor_a, answer="答复")
    client.force_login(doctor_b)
    assert client.get(reverse("accounts:help_question", args=[question.pk])).status_code == 404
    client.force_login(doctor_a)
    response = client.get(reverse("accounts:help_question", args=[question.pk]))
    assert response.status_code == 200


def test_the_own_question_list_reads_a_constant_number_of_queries(
    client, doctor_a, django_assert_num_queries
):
    """Few or many questions: the same queries (session, user, count, page with asker and region joined)."""
    client.force_login(doctor_a)
    QuestionFactory(asker=doctor_a)
    with django_assert_num_queries(4):
        client.get(reverse("accounts:help_ask"))
    QuestionFactory.create_batch(15, asker=doctor_a, region=region("furong"))
    with django_assert_num_queries(4):
        client.get(reverse("accounts:help_ask"))


# ------------------------------------------------------------------------------------------ API


def test_api_faq_is_public(client):
    body = client.get("/api/v1/accounts/help/faq/").json()
    assert [item["title"] for item in body if item["category"] == "系统操作指南"] == HOT


def test_api_ask_and_read_own_questions(client, doctor_a, doctor_b):
    client.force_login(doctor_a)
    response = client.post(
        "/api/v1/accounts/help/questions/",
        {"title": "照片", "description": "怎么改？"},
        content_type="application/json",
    )
    assert response.status_code == 201
    pk = response.json()["id"]
    assert client.get("/api/v1/accounts/help/questions/").json()["results"][0]["id"] == pk
    assert client.get(f"/api/v1/accounts/help/questions/{pk}/").status_code == 200
    client.force_login(doctor_b)
    assert client.get(f"/api/v1/accounts/help/questions/{pk}/").status_code == 404
    assert client.get("/api/v1/accounts/help/questions/").json()["results"] == []


def test_api_refuses_invisible_text(client, doctor_a, assert_nothing_changed):
    client.force_login(doctor_a)
    with assert_nothing_changed():
        response = client.post(
            "/api/v1/accounts/help/questions/",
            {"title": "a\u202eb", "description": "描述"},
            content_type="application/json",
        )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "title"


def test_api_throttle_is_429(client, doctor_a):
    client.force_login(doctor_a)
    for n in range(DAILY_QUESTIONS):
        question_ask(asker=doctor_a, title=f"问题{n}", description="描述")
    response = client.post(
        "/api/v1/accounts/help/questions/",
        {"title": "再问", "description": "描述"},
        content_type="application/json",
    )
    assert response.status_code == 429


# ------------------------------------------------------------------------------------------ admin


def _change(question):
    return reverse("admin:accounts_question_change", args=[question.pk])


def test_reviewer_answers_in_the_admin_through_the_service(client, doctor_a, county_reviewer):
    """INS-12: the 芙蓉区 reviewer sees the masked asker and writes the answer; the SMS goes out."""
    question = QuestionFactory(asker=doctor_a, region=region("furong"), title="激活问题")
    client.force_login(county_reviewer)
    html = client.get(_change(question)).content.decode()
    assert "王*" in html and "王甲" not in html
    response = client.post(_change(question), {"answer": "请到医疗机构领取激活码。", "_save": "1"})
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.answered_by == county_reviewer and question.answered_at is not None
    assert OutboundMessage.objects.filter(destination=doctor_a.phone).count() == 1


def test_reviewer_cannot_change_anything_but_the_answer(client, doctor_a, county_reviewer):
    question = QuestionFactory(asker=doctor_a, region=region("furong"), title="原标题")
    client.force_login(county_reviewer)
    client.post(
        _change(question), {"answer": "答复", "title": "改标题", "description": "改描述", "_save": "1"}
    )
    question.refresh_from_db()
    assert question.title == "原标题" and question.answer == "答复"


def test_reviewer_of_another_region_gets_404_and_changes_nothing(
    client, doctor_a, tianxin_reviewer, assert_nothing_changed
):
    question = QuestionFactory(asker=doctor_a, region=region("furong"))
    client.force_login(tianxin_reviewer)
    with assert_nothing_changed():
        assert client.get(_change(question)).status_code == 404
        assert client.post(_change(question), {"answer": "越权", "_save": "1"}).status_code == 404
    changelist = client.get(reverse("admin:accounts_question_changelist")).content.decode()
    assert question.title not in changelist


def test_reviewers_may_not_add_or_delete(client, doctor_a, county_reviewer, assert_nothing_changed):
    question = QuestionFactory(asker=doctor_a, region=region("furong"))
    client.force_login(county_reviewer)
    with assert_nothing_changed():
        assert client.get(reverse("admin:accounts_question_add")).status_code == 403
        delete = reverse("admin:accounts_question_delete", args=[question.pk])
        assert client.post(delete, {"post": "yes"}).status_code == 403


def test_a_blank_or_invisible_answer_is_refused_in_the_admin(
    client, doctor_a, county_reviewer, assert_nothing_changed
):
    question = QuestionFactory(asker=doctor_a, region=region("furong"))
    client.force_login(county_reviewer)
    with assert_nothing_changed():
        assert client.post(_change(question), {"answer": "", "_save": "1"}).status_code == 200
        response = client.post(_change(question), {"answer": "答\u200d复", "_save": "1"})
    assert response.status_code == 200 and "看不见的特殊字符" in response.content.decode()


def test_demo_questions_load_once(db):
    """INS-12 demo: an answered and an open question of the demo officer, one of a demo doctor; twice is once."""
    import io

    from django.core.management import call_command

    from tests.factories import region_tree

    region_tree()
    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())
    questions = Question.objects.all()
    assert questions.count() == 3
    assert questions.filter(answered_at__isnull=False, asker__role="officer").count() == 1
    assert questions.filter(answered_at__isnull=True, asker__role="officer").count() == 1
    assert questions.filter(asker__role="doctor").count() == 1
    assert not questions.filter(region=None).exists()


@pytest.mark.parametrize("bad", ["false", "-1", "１２", "9999999999999"])
def test_api_malformed_question_id_is_a_json_404(client, doctor_a, bad):
    """API-1: whatever the path holds, the answer is the API's 404 in the error shape, never Django's page."""
    client.force_login(doctor_a)
    response = client.get(f"/api/v1/accounts/help/questions/{bad}/")
    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "not_found"


def test_the_answer_is_audited_with_who_and_when(client, doctor_a, county_reviewer):
    """INS-12 / STYLE §5: the admin's answer leaves a history row naming the reviewer, before and after."""
    question = QuestionFactory(asker=doctor_a, region=region("furong"))
    client.force_login(county_reviewer)
    client.post(_change(question), {"answer": "答复", "_save": "1"})
    latest, before = question.history.all()[:2]
    assert latest.answer == "答复" and before.answer == ""
    assert latest.answered_by_id == county_reviewer.pk
    assert latest.history_user_id == county_reviewer.pk


def test_the_admin_list_reads_a_constant_number_of_queries(client, county_reviewer, officer_x, doctor_a):
    """客服回复管理: the asker, their institution and the region come joined with the page, however many rows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(county_reviewer)
    url = reverse("admin:accounts_question_changelist")
    QuestionFactory(asker=officer_x, region=region("furong"))
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for asker in (officer_x, doctor_a, officer_x):
        QuestionFactory.create_batch(4, asker=asker, region=region("furong"))
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)
