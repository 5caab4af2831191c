"""INS-6 医师申请业务办理 (seed 002 ch.3 §8): the queue, one application, 同意 / 不同意, the open and done lists,
撤销, the 打印申请表 page and the attachments."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from approvals.services import application_return
from docregsys.exceptions import TransitionRefused
from registrations.models import (
    Action,
    Application,
    ApplicationEvent,
    Attachment,
    Kind,
    PracticeRecord,
    State,
)
from registrations.private_files import attachments
from registrations.services.applications import application_agree
from tests import personas
from tests.applications import filing_reason, reason, reviewer_for, route, scope
from tests.dbstate import assert_nothing_changed
from tests.factories import ApplicationFactory, DoctorFactory, make_resident_id

pytestmark = pytest.mark.django_db

QUEUE = "/institution/business/"
OPEN = "/institution/business/open/"
DONE = "/institution/business/done/"


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")


@pytest.fixture
def x():
    return personas.institution(personas.X)


@pytest.fixture
def y():
    return personas.institution(personas.Y)


@pytest.fixture
def authority(x):
    return route(x)


@pytest.fixture
def officer(client, officer_x):
    client.force_login(officer_x)
    return officer_x


def record_of(doctor) -> PracticeRecord:
    return PracticeRecord.objects.get(id_number_digest=doctor.id_number_digest, state="valid")


def change_application(doctor, institution, **extra):
    """A submitted 变更 of the doctor's record: 执业范围 内科专业 → 外科专业."""
    record = record_of(doctor)
    record.scopes.set([scope("内科专业")])
    values = {
        "level": record.level,
        "category": record.category,
        "location": record.location,
        "statement": "变更执业范围",
        **extra,
    }
    return ApplicationFactory(
        kind=Kind.CHANGE,
        doctor=doctor,
        institution=institution,
        record=record,
        submitted=True,
        scopes=[scope("外科专业")],
        **values,
    )


def events_of(application) -> list[str]:
    return list(ApplicationEvent.objects.filter(application=application).values_list("action", flat=True))


# ------------------------------------------------------------------------------------------ the queue


def test_queue_lists_what_waits_for_this_institution_only(client, officer, x, y, doctor_a, doctor_b):
    """INS-6: 姓名, masked 身份证号, 业务类型, 申请日期, [办理业务]; Y's and X's other states are not listed."""
    mine = change_application(doctor_a, x)
    ApplicationFactory(institution=y, submitted=True)  # Y's
    ApplicationFactory(institution=x, agreed=True, doctor=DoctorFactory(real_name="孙丁"))  # not waiting
    ApplicationFactory(institution=x, doctor=DoctorFactory(real_name="钱戊"))  # the doctor's draft
    html = client.get(QUEUE).content.decode()
    for column in ("姓名", "身份证号", "业务类型", "申请日期", "操作", "办理业务"):
        assert column in html
    assert "王甲" in html and doctor_a.id_number_masked in html and personas.DOCTOR_A_ID not in html
    assert "李四" not in html and "孙丁" not in html and "钱戊" not in html
    assert f"/institution/business/{mine.pk}/" in html
    assert "本次查询共查到1条数据" in html
    assert "2、撤销办理请点击“医师正在申办的业务列表”" in html
    assert "直接到拟执业机构进行确认，然后由拟执业机构所属卫生计生委进行审批" in html


def test_queue_is_searched_by_name_and_date_range(client, officer, x, doctor_a):
    """INS-6: 姓名 and 时间段 filter the queue; a reversed range is refused next to the field."""
    app = change_application(doctor_a, x)
    Application.objects.filter(pk=app.pk).update(submitted_at=timezone.now() - dt.timedelta(days=40))
    ApplicationFactory(institution=x, submitted=True, doctor=DoctorFactory(real_name="周新"))
    html = client.get(QUEUE, {"name": "王"}).content.decode()
    assert "王甲" in html and "周新" not in html
    html = client.get(QUEUE, {"period": "30"}).content.decode()
    assert "王甲" not in html and "周新" in html
    old = (timezone.localdate() - dt.timedelta(days=41)).isoformat()
    html = client.get(QUEUE, {"date_from": old, "date_to": old}).content.decode()
    assert "王甲" not in html
    response = client.post(QUEUE, {"date_from": "2025-02-01", "date_to": "2025-01-01"})
    assert response.status_code == 400 and "截止日期不能早于起始日期" in response.content.decode()


def test_id_number_search_is_posted_and_never_reaches_a_url(client, officer, x, doctor_a):
    """INS-6, X-3: the ID number is POSTed; the redirect carries an opaque token; a ?id_number= is ignored."""
    change_application(doctor_a, x)
    ApplicationFactory(institution=x, submitted=True, doctor=DoctorFactory(real_name="周新"))
    response = client.post(QUEUE, {"id_number": personas.DOCTOR_A_ID})
    assert response.status_code == 302
    location = response["Location"]
    assert personas.DOCTOR_A_ID not in location and "idq=" in location
    html = client.get(location).content.decode()
    assert "王甲" in html and "周新" not in html and personas.DOCTOR_A_ID not in html
    assert "以下是按身份证号查询的结果" in html
    html = client.get(QUEUE, {"id_number": personas.DOCTOR_A_ID}).content.decode()
    assert "周新" in html  # not searched: typed into a URL, ignored
    html = client.get(QUEUE, {"idq": "forged"}).content.decode()
    assert "王甲" not in html and "周新" not in html


def test_queue_exports_the_same_rows(client, officer, x, doctor_a):
    change_application(doctor_a, x)
    response = client.get(QUEUE, {"export": "csv"})
    body = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert "姓名,身份证号,业务类型,申请日期" in body and "王甲" in body and "变更" in body
    assert personas.DOCTOR_A_ID not in body


# ------------------------------------------------------------------------------------------ one application


def test_detail_shows_the_record_the_request_in_words_and_the_attachments(client, officer, x, doctor_a):
    """Seed 002 ch.3 §8: 医师的执业信息, “执业范围请求变更为：外科专业；”, 提交本次业务的缘由, 申请时间, the files."""
    app = change_application(doctor_a, x)
    name = attachments.store(b"%PDF-1.4 test", "pdf")
    attachment = Attachment.objects.create(
        application=app,
        kind=Attachment.Kind.ID_CARD,
        stored_name=name,
        original_name="身份证.pdf",
        content_type="application/pdf",
        size=13,
    )
    html = client.get(f"/institution/business/{app.pk}/").content.decode()
    for text in (
        "医师的执业信息",
        "主要执业机构",
        "芙蓉医院",
        "110430100000001",
        "执业范围请求变更为：外科专业；",
        "提交本次业务的缘由：变更执业范围",
        "申请时间：",
        "业务打印表单",
        "身份证.pdf",
        "同意",
        "不同意",
        "关闭",
    ):
        assert text in html, text
    assert "2010" in html and "201043110430102198501010231" not in html  # 资格证书编码 masked
    assert personas.DOCTOR_A_ID not in html
    response = client.get(f"/institution/business/{app.pk}/attachments/{attachment.pk}/")
    assert response.status_code == 200 and response.content == b"%PDF-1.4 test"
    assert response["X-Content-Type-Options"] == "nosniff" and "no-store" in response["Cache-Control"]


def test_another_institutions_application_and_its_files_are_404(client, officer, y, doctor_b):
    """STYLE §2: Y's application is outside officer_x's scope — 404 everywhere, nothing changed."""
    theirs = change_application(doctor_b, y)
    name = attachments.store(b"%PDF-1.4 theirs", "pdf")
    attachment = Attachment.objects.create(
        application=theirs,
        kind=Attachment.Kind.OTHER,
        stored_name=name,
        original_name="a.pdf",
        content_type="application/pdf",
        size=15,
    )
    base = f"/institution/business/{theirs.pk}/"
    with assert_nothing_changed():
        assert client.get(base).status_code == 404
        assert client.post(base, {"action": "agree"}).status_code == 404
        assert client.post(base, {"action": "disagree", "reason": "不符"}).status_code == 404
        assert client.get(base + "print/").status_code == 404
        assert client.post(base + "revoke/").status_code == 404
        assert client.get(base + f"attachments/{attachment.pk}/").status_code == 404


def test_the_rules_that_fail_now_are_shown_as_warnings(client, officer, x, doctor_a, monkeypatch):
    """INS-6: the rules (registrations.rules at stage SUBMIT) that fail today are shown before deciding."""
    app = change_application(doctor_a, x)
    monkeypatch.setattr(
        "institutions.views.business.application_refusals",
        lambda **kw: [TransitionRefused("拟变更的执业范围不属于该医师的类别。", code="scope_category")],
    )
    html = client.get(f"/institution/business/{app.pk}/").content.decode()
    assert "该申请不符合以下规则" in html and "拟变更的执业范围不属于该医师的类别。" in html


def test_agree_forwards_to_the_authority_and_a_second_agree_is_refused(
    client, officer, x, authority, doctor_a
):
    """INS-6 同意 → 卫健委审批中 with the authority of 审批机关设置 and a due date; the second is refused."""
    app = change_application(doctor_a, x)
    url = f"/institution/business/{app.pk}/"
    response = client.post(url, {"action": "agree"})
    assert response.status_code == 302 and response["Location"] == QUEUE
    app.refresh_from_db()
    assert app.state == State.AGREED and app.authority == authority and app.due_date > timezone.localdate()
    assert events_of(app) == [Action.AGREE]
    with assert_nothing_changed():
        response = client.post(url, {"action": "agree"})
    assert response.status_code == 400 and "该申请的状态已经改变" in response.content.decode()


def test_agree_without_an_authority_setting_is_refused(client, officer, x, doctor_a):
    """INS-2: without 审批机关设置 for the category the institution cannot agree; nothing changes."""
    app = change_application(doctor_a, x, category="dental")
    with assert_nothing_changed():
        response = client.post(f"/institution/business/{app.pk}/", {"action": "agree"})
    assert response.status_code == 400 and "审批机关设置" in response.content.decode()


def test_disagree_needs_a_reason_and_then_closes_the_application(client, officer, x, doctor_a):
    """INS-6 不同意: without a reason a message next to the field and nothing changed; with one, 机构不同意."""
    app = change_application(doctor_a, x)
    url = f"/institution/business/{app.pk}/"
    with assert_nothing_changed():
        response = client.post(url, {"action": "disagree", "reason": "   "})
    assert response.status_code == 400 and "请填写不同意的原因" in response.content.decode()
    with assert_nothing_changed():
        response = client.post(url, {"action": "disagree", "reason": "原因" * 300})
    assert response.status_code == 400
    response = client.post(url, {"action": "disagree", "reason": "执业范围与岗位不符"})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.state == State.DISAGREED and app.decided_at is not None
    event = ApplicationEvent.objects.get(application=app)
    assert (
        event.action == Action.DISAGREE and event.reason == "执业范围与岗位不符" and event.role == "officer"
    )


def test_print_page_names_the_forms_title_per_business_type(client, officer, x, doctor_a):
    """SPEC §12: 注册/变更/备案 print 《医师执业、变更执业、多机构备案申请审核表》; 注销 and 注册备案 their own.
    (The coded PDF itself: tests/printing/test_forms.py and tests/institutions/test_business_print.py.)"""
    app = change_application(doctor_a, x)
    html = client.get(f"/institution/business/{app.pk}/print/").content.decode()
    assert "《医师执业、变更执业、多机构备案申请审核表》" in html and "打印申请表" in html
    assert "js/print.js" not in html and "<script>" not in html
    other = DoctorFactory(real_name="赵注", id_number=make_resident_id("430102", "19700101"))
    dereg = ApplicationFactory(
        kind=Kind.DEREGISTER, doctor=other, institution=x, deregistration_reason=reason("01"), submitted=True
    )
    html = client.get(f"/institution/business/{dereg.pk}/print/").content.decode()
    assert "《医师注销注册申请审核表》" in html
    archive = ApplicationFactory(
        kind=Kind.ARCHIVE,
        doctor=DoctorFactory(real_name="钱备", id_number=make_resident_id("430102", "19710101")),
        institution=x,
        filing_reason=filing_reason("02"),
        submitted=True,
    )
    assert (
        "《医师注册备案申请审核表》"
        in client.get(f"/institution/business/{archive.pk}/print/").content.decode()
    )


# ------------------------------------------------------------------------------------------ open and done


def test_open_list_shows_due_dates_and_overdue_ones_stand_out(client, officer, x, doctor_a):
    """INS-6 医师正在申办的业务列表: agreed ones with 审批机关 and 办理时限; overdue rows are marked."""
    late = ApplicationFactory(institution=x, agreed=True, doctor=DoctorFactory(real_name="迟到"))
    Application.objects.filter(pk=late.pk).update(due_date=timezone.localdate() - dt.timedelta(days=1))
    ApplicationFactory(institution=x, agreed=True, doctor=DoctorFactory(real_name="准时"))
    ApplicationFactory(institution=x, submitted=True, doctor=DoctorFactory(real_name="待办"))
    html = client.get(OPEN).content.decode()
    assert "迟到" in html and "准时" in html and "待办" not in html
    assert html.count('class="row-overdue"') == 1 and "已超期" in html
    assert f"/institution/business/{late.pk}/revoke/" in html


def test_revoke_asks_for_confirmation_then_returns_the_application_to_the_queue(
    client, officer, x, authority, doctor_a
):
    """INS-6 撤销: GET is the confirmation (nothing changes); POST takes the agreement back (机构审核中)."""
    app = change_application(doctor_a, x)
    application_agree(officer=officer, application_id=app.pk)
    url = f"/institution/business/{app.pk}/revoke/"
    with assert_nothing_changed():
        html = client.get(url).content.decode()
    assert "确定撤销" in html
    response = client.post(url, {"reason": "材料需补充"})
    assert response.status_code == 302 and response["Location"] == OPEN
    app.refresh_from_db()
    assert app.state == State.SUBMITTED and app.due_date is None
    assert events_of(app)[-1] == Action.REVOKE


def test_revoke_after_the_authority_acted_is_refused(client, officer, x, authority, doctor_a):
    """REG-4: once the authority has returned (or approved) it, the institution can no longer revoke."""
    app = change_application(doctor_a, x)
    application_agree(officer=officer, application_id=app.pk)
    application_return(reviewer=reviewer_for(authority), application_id=app.pk, reason="材料不全")
    url = f"/institution/business/{app.pk}/revoke/"
    with assert_nothing_changed():
        response = client.post(url, {"reason": ""})
    assert response.status_code == 400 and "该申请的状态已经改变" in response.content.decode()
    assert "不能撤销" in client.get(url).content.decode()


def test_done_list_shows_each_outcome_with_its_date_and_reason(client, officer, x, authority, doctor_a):
    """INS-6 已完成审批业务列表: 已办结 / 已退回 / 机构不同意 / 已撤回 with the last step's reason; filter by state."""
    app = change_application(doctor_a, x)
    application_agree(officer=officer, application_id=app.pk)
    application_return(reviewer=reviewer_for(authority), application_id=app.pk, reason="请补充健康体检证明")
    ApplicationFactory(institution=x, approved=True, doctor=DoctorFactory(real_name="办结"))
    ApplicationFactory(institution=x, agreed=True, doctor=DoctorFactory(real_name="审批中"))
    html = client.get(DONE).content.decode()
    assert "王甲" in html and "请补充健康体检证明" in html and "已退回" in html
    assert "办结" in html and "审批中" not in html
    html = client.get(DONE, {"state": "approved"}).content.decode()
    assert "王甲" not in html and "办结" in html


def test_menu_marks_the_open_list_not_the_queue(client, officer):
    """The longest matching entry of 业务办理 is the current page."""
    html = client.get(OPEN).content.decode()
    assert f'<a href="{OPEN}" aria-current="page">医师正在申办的业务列表</a>' in html
    assert f'<a href="{QUEUE}" aria-current="page">' not in html


# ------------------------------------------------------------------------------------------ query counts


def _bulk(n: int, institution, state: str, authority=None, start: int = 0):
    now = timezone.now()
    Application.objects.bulk_create(
        Application(
            kind=Kind.REGISTER,
            real_name=f"医师{i}",
            id_number_digest=f"{i:064d}",
            id_number_masked="4301**********0000",
            institution=institution,
            state=state,
            authority=authority,
            submitted_at=now,
            agreed_at=now if state != State.SUBMITTED else None,
            due_date=timezone.localdate() if state == State.AGREED else None,
        )
        for i in range(start, start + n)
    )


@pytest.mark.parametrize(
    ("url", "state"), [(QUEUE, State.SUBMITTED), (OPEN, State.AGREED), (DONE, State.APPROVED)]
)
@pytest.mark.parametrize("size", [10, 1000])
def test_lists_cost_the_same_for_10_and_1000_applications(
    client, officer, x, authority, url, state, size, django_assert_num_queries
):
    """INS-6: the queue, the open and the done list cost five queries whatever the size (STYLE §5)."""
    _bulk(size, x, state, authority)
    client.get(url)  # warm up: the session's first write
    # session, officer, count of the rows, the officer's institution (tenant band), the page's rows (the
    # authority joined in; the done list's last step as subqueries)
    with django_assert_num_queries(5):
        html = client.get(url).content.decode()
    assert f"本次查询共查到{size}条数据" in html
