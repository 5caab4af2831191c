"""The authority's side in the admin (APP-1, APP-2): scoping, the detail, 批准 and 退回 through confirmation pages."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from registrations.models import (
    Application,
    ApplicationEvent,
    Attachment,
    MaterialList,
    PracticeRecord,
    State,
)
from registrations.private_files import attachments
from tests import personas
from tests.factories import ApplicationFactory

from .conftest import agreed_registration, csrf_token

CHANGELIST = "admin:registrations_application_changelist"


def change_url(application):
    return reverse("admin:registrations_application_change", args=[application.pk])


def approve_url(application):
    return reverse("admin:registrations_application_approve", args=[application.pk])


def return_url(application):
    return reverse("admin:registrations_application_return", args=[application.pk])


def body(response) -> str:
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# ------------------------------------------------------------------------------------------ scoping


def test_county_reviewer_sees_what_is_routed_to_their_authority(client, county_reviewer, agreed):
    """APP-1: 芙蓉区's reviewer lists X's agreed application with its columns and opens its detail."""
    client.force_login(county_reviewer)
    page = body(client.get(reverse(CHANGELIST)))
    assert "周新" in page and agreed.id_number_masked in page
    assert "芙蓉医院" in page and "卫健委审批中" in page
    detail = client.get(change_url(agreed))
    assert detail.status_code == 200
    text = body(detail)
    assert 'id="application-approve"' in text and 'id="application-return"' in text
    assert "执业地点" in text and "内科专业" in text  # the requested change in words
    assert "机构同意" in text and "提交申请" in text  # the timeline
    assert "刘管理" in text  # who agreed: X's officer


def test_another_county_reviewer_gets_404(client, tianxin_reviewer, agreed, assert_nothing_changed):
    """APP-1: 天心区 is not routed X's applications: not listed, detail and decisions are 404."""
    client.force_login(tianxin_reviewer)
    assert "周新" not in body(client.get(reverse(CHANGELIST)))
    with assert_nothing_changed("天心区 asks for X's application"):
        assert client.get(change_url(agreed)).status_code == 404
        assert client.get(approve_url(agreed)).status_code == 404
        assert client.post(approve_url(agreed)).status_code == 404
        assert client.post(return_url(agreed), {"reason": "材料不全"}).status_code == 404


def test_province_reviewer_reads_but_cannot_decide(client, province_reviewer, agreed, assert_nothing_changed):
    """APP-1/APP-2: 湖南省 sees its region's application read-only; 批准 and 退回 are 403 and change nothing."""
    client.force_login(province_reviewer)
    assert "周新" in body(client.get(reverse(CHANGELIST)))
    detail = body(client.get(change_url(agreed)))
    assert "周新" in detail and 'id="application-approve"' not in detail
    with assert_nothing_changed("the province tries to decide"):
        assert client.get(approve_url(agreed)).status_code == 403
        assert client.post(approve_url(agreed)).status_code == 403
        assert client.post(return_url(agreed), {"reason": "材料不全"}).status_code == 403
    agreed.refresh_from_db()
    assert agreed.state == State.AGREED


def test_superuser_views_everything_but_decides_nothing(client, superuser, agreed, assert_nothing_changed):
    """APP-1: the superuser sees every application; only the routed authority approves (403 here)."""
    client.force_login(superuser)
    assert "周新" in body(client.get(reverse(CHANGELIST)))
    assert client.get(change_url(agreed)).status_code == 200
    with assert_nothing_changed("the superuser tries to approve"):
        assert client.post(approve_url(agreed)).status_code == 403


def test_nobody_adds_changes_or_deletes_an_application(client, superuser, agreed, assert_nothing_changed):
    """STYLE §7: the state is never writable: add, change (POST) and delete are refused, even to the superuser."""
    client.force_login(superuser)
    with assert_nothing_changed("writes through the admin"):
        assert client.get(reverse("admin:registrations_application_add")).status_code == 403
        assert client.post(change_url(agreed), {"state": "approved"}).status_code == 403
        delete = reverse("admin:registrations_application_delete", args=[agreed.pk])
        assert client.post(delete, {"post": "yes"}).status_code == 403


def test_doctors_and_officers_are_sent_to_the_admin_login(client, officer_x, agreed):
    """APP-1: the admin is for staff; an officer is asked to log in as staff."""
    client.force_login(officer_x)
    response = client.get(change_url(agreed))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


# ------------------------------------------------------------------------------------------ 批准


def test_approve_through_the_confirmation_page(csrf_client, county_reviewer, agreed):
    """APP-2, REG-7: 批准 → confirmation page → POST with the CSRF token: approved, a record, a log row."""
    client = csrf_client
    client.force_login(county_reviewer)
    confirm = client.get(approve_url(agreed))
    assert confirm.status_code == 200 and "确认批准" in body(confirm)
    assert "不能撤销" in body(confirm)
    response = client.post(approve_url(agreed), {"csrfmiddlewaretoken": csrf_token(client)}, follow=True)
    assert response.redirect_chain[-1][0] == reverse(CHANGELIST)
    assert any("已批准" in m for m in messages_of(response))
    agreed.refresh_from_db()
    assert agreed.state == State.APPROVED and agreed.decided_at is not None
    record = PracticeRecord.objects.get(id_number_digest=agreed.id_number_digest)
    assert record.state == PracticeRecord.State.VALID and record.certificate_number
    assert agreed.result_record == record
    event = ApplicationEvent.objects.get(application=agreed, action="approve")
    assert event.actor == county_reviewer and event.role == "reviewer"
    assert (event.from_state, event.to_state) == (State.AGREED, State.APPROVED)
    # The detail now shows the record after the approval, and no decision buttons.
    detail = body(client.get(change_url(agreed)))
    assert record.certificate_number in detail and 'id="application-approve"' not in detail


def test_approve_without_csrf_token_is_refused(csrf_client, county_reviewer, agreed, assert_nothing_changed):
    """APP-2: the decision is a CSRF-protected POST; a forged one changes nothing."""
    csrf_client.force_login(county_reviewer)
    with assert_nothing_changed("a forged 批准"):
        assert csrf_client.post(approve_url(agreed)).status_code == 403


def test_double_approval_gives_one_effect(csrf_client, county_reviewer, agreed):
    """REG-7: a second 批准 (double click, second tab) finds it approved: one record, one log row, a message."""
    client = csrf_client
    client.force_login(county_reviewer)
    client.get(approve_url(agreed))
    token = csrf_token(client)
    first = client.post(approve_url(agreed), {"csrfmiddlewaretoken": token})
    assert first.status_code == 302
    second = client.post(approve_url(agreed), {"csrfmiddlewaretoken": token}, follow=True)
    assert second.redirect_chain[-1][0] == change_url(agreed)
    assert any("只有卫健委审批中的申请可以批准" in m for m in messages_of(second))
    assert PracticeRecord.objects.filter(id_number_digest=agreed.id_number_digest).count() == 1
    assert ApplicationEvent.objects.filter(application=agreed, action="approve").count() == 1


def test_rules_refused_at_approval_show_every_refusal(
    client, county_reviewer, agreed, monkeypatch, assert_nothing_changed
):
    """REG-5, APP-2: when the rules refuse at approval, every failed rule is a message; nothing changes."""
    from docregsys.exceptions import TransitionRefused

    refusals = [
        TransitionRefused("第一条规则不满足。", code="one"),
        TransitionRefused("第二条规则不满足。", code="two"),
    ]
    monkeypatch.setattr("approvals.selectors.application_refusals", lambda **kwargs: refusals)
    client.force_login(county_reviewer)
    with assert_nothing_changed("批准 refused by the rules"):
        response = client.post(approve_url(agreed), follow=True)
    shown = messages_of(response)
    assert "第一条规则不满足。" in shown and "第二条规则不满足。" in shown
    assert response.redirect_chain[-1][0] == change_url(agreed)


def test_the_confirmation_page_shows_what_would_refuse(client, county_reviewer, agreed, monkeypatch):
    """REG-5, APP-2: before confirming, the reviewer reads every rule that today's records break."""
    from docregsys.exceptions import TransitionRefused

    refusals = [TransitionRefused("该省已有主要执业机构。", code="one_main_per_location")]
    monkeypatch.setattr("approvals.selectors.application_refusals", lambda **kwargs: refusals)
    client.force_login(county_reviewer)
    page = body(client.get(approve_url(agreed)))
    assert 'id="approve-refusals"' in page and "该省已有主要执业机构。" in page
    monkeypatch.undo()
    assert 'id="approve-refusals"' not in body(client.get(approve_url(agreed)))


# ------------------------------------------------------------------------------------------ 退回


def test_return_with_reason_through_the_confirmation_page(csrf_client, county_reviewer, agreed):
    """APP-2: 退回 → confirmation page with a reason → returned, the reason in the log."""
    client = csrf_client
    client.force_login(county_reviewer)
    confirm = client.get(return_url(agreed))
    assert confirm.status_code == 200 and "退回原因" in body(confirm)
    response = client.post(
        return_url(agreed),
        {"csrfmiddlewaretoken": csrf_token(client), "reason": "缺少聘用合同"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse(CHANGELIST)
    assert any("已退回" in m for m in messages_of(response))
    agreed.refresh_from_db()
    assert agreed.state == State.RETURNED
    event = ApplicationEvent.objects.get(application=agreed, action="return")
    assert event.reason == "缺少聘用合同" and event.actor == county_reviewer
    assert not PracticeRecord.objects.filter(id_number_digest=agreed.id_number_digest).exists()


def test_return_without_reason_is_refused(client, county_reviewer, agreed, assert_nothing_changed):
    """APP-2: 退回 requires a reason: the page says so next to the field and nothing changes."""
    client.force_login(county_reviewer)
    with assert_nothing_changed("退回 without a reason"):
        response = client.post(return_url(agreed), {"reason": "   "})
    assert response.status_code == 200
    assert "该字段是必填项" in body(response)


def test_return_with_a_too_long_or_invisible_reason_is_refused(
    client, county_reviewer, agreed, assert_nothing_changed
):
    """X-4: 501 characters or a zero-width character: a message next to the field, never a 500."""
    client.force_login(county_reviewer)
    with assert_nothing_changed("退回 with a bad reason"):
        long = client.post(return_url(agreed), {"reason": "长" * 501})
        hidden = client.post(return_url(agreed), {"reason": "材料\u200b不全"})
    assert long.status_code == 200 and "500" in body(long)
    assert hidden.status_code == 200 and "看不见的特殊字符" in body(hidden)


def test_a_decided_application_cannot_be_returned(client, county_reviewer, agreed, assert_nothing_changed):
    """REG-4: once approved, 退回 is refused with a message (approved → returned is not a transition)."""
    from approvals.services import application_approve

    application_approve(reviewer=county_reviewer, application_id=agreed.pk)
    client.force_login(county_reviewer)
    with assert_nothing_changed("退回 after 批准"):
        response = client.post(return_url(agreed), {"reason": "太迟了"}, follow=True)
    assert any("只有卫健委审批中的申请可以退回" in m for m in messages_of(response))


# ------------------------------------------------------------------------------------------ the list


def test_overdue_applications_stand_out_and_filter(client, county_reviewer, officer_x):
    """SPEC §12: an application past its due date carries the overdue class; the filter lists only those."""
    late = agreed_registration(officer_x, real_name="钱迟")
    Application.objects.filter(pk=late.pk).update(due_date=timezone.localdate() - dt.timedelta(days=1))
    client.force_login(county_reviewer)
    page = body(client.get(reverse(CHANGELIST)))
    assert 'class="due-overdue"' in page
    overdue_only = body(client.get(reverse(CHANGELIST) + "?overdue=yes"))
    assert "钱迟" in overdue_only
    not_overdue = body(client.get(reverse(CHANGELIST) + "?overdue=no"))
    assert "钱迟" not in not_overdue


def test_filters_by_type_state_and_institution(client, county_reviewer, agreed):
    """APP-1: the type, category, institution, date and state filters answer."""
    client.force_login(county_reviewer)
    url = reverse(CHANGELIST)
    x = personas.institution(personas.X)
    assert "周新" in body(client.get(url + "?kind=register&state=agreed&category=clinical"))
    assert "周新" in body(client.get(url + f"?institution__id__exact={x.pk}"))
    assert "周新" not in body(client.get(url + "?kind=change"))
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    assert "周新" in body(client.get(url, {"submitted_at__gte": str(today)}))


def test_search_by_certificate_number(client, county_reviewer, officer_x, doctor_a):
    """APP-1: ?q= finds the 执业证书编码 of the record an application acts on."""
    record = PracticeRecord.objects.get(certificate_number="110430100000001")
    x = personas.institution(personas.X)
    from tests.applications import route

    ApplicationFactory(
        doctor=doctor_a,
        kind="change",
        record=record,
        institution=x,
        agreed=True,
        authority=route(x),
    )
    client.force_login(county_reviewer)
    page = body(client.get(reverse(CHANGELIST) + "?q=110430100000001"))
    assert "王甲" in page
    assert "王甲" in body(client.get(reverse(CHANGELIST) + "?q=王甲"))
    assert "王甲" not in body(client.get(reverse(CHANGELIST) + "?q=李乙"))


def test_search_by_id_number_is_a_post_never_in_the_url(client, county_reviewer, agreed):
    """X-3: the ID number goes by POST; the list opens with an opaque token and shows the match."""
    number = agreed.doctor.id_number
    client.force_login(county_reviewer)
    response = client.post(reverse("admin:registrations_application_idsearch"), {"id_number": number})
    assert response.status_code == 302 and number not in response["Location"]
    page = body(client.get(response["Location"]))
    assert "周新" in page and number not in page


def test_a_personal_number_in_the_search_box_is_refused(client, county_reviewer, agreed):
    """X-3: an ID number typed into ?q= is dropped with a warning, never searched."""
    client.force_login(county_reviewer)
    response = client.get(reverse(CHANGELIST) + "?q=" + agreed.doctor.id_number)
    assert response.status_code == 302


@pytest.mark.parametrize("rows", [10, 1000])
def test_changelist_query_count_is_constant(
    client, county_reviewer, officer_x, django_assert_num_queries, rows
):
    """APP-1: the same queries for 10 and 1,000 applications (rows joined, no full count)."""
    first = agreed_registration(officer_x)
    template = Application.objects.get(pk=first.pk)
    copies = []
    for i in range(rows - 1):
        template.pk = None
        template.id_number_digest = f"{i:064d}"
        copies.append(
            Application(
                **{f.attname: getattr(template, f.attname) for f in Application._meta.concrete_fields}
            )
        )
    Application.objects.bulk_create(copies)
    client.force_login(county_reviewer)
    url = reverse(CHANGELIST)
    client.get(url)  # warm the session and content types
    # 1 session, 2 user, 3 the user's authority and 4 its region (the scope's prefix), 5 the institution
    # filter's choices (institutions of the scoped rows), 6 the paginator's count, 7-8 the user's and groups'
    # permissions (the admin's app list), 9 the page of rows joined with institution, authority (and its region) and record.
    with django_assert_num_queries(9):
        response = client.get(url)
    assert response.status_code == 200
    assert body(response).count('class="field-real_name"') == min(rows, 50)


# ------------------------------------------------------------------------------------------ attachments


def test_attachment_is_served_to_the_routed_reviewer_only(client, county_reviewer, tianxin_reviewer, agreed):
    """ID-7, APP-1: the file comes from private storage through the application's scope; others 404."""
    data = b"%PDF-1.4\n% test\n"
    name = attachments.store(data, "pdf")
    attachment = Attachment.objects.create(
        application=agreed,
        kind="contract",
        stored_name=name,
        original_name="合同.pdf",
        content_type="application/pdf",
        size=len(data),
    )
    url = reverse("admin:registrations_application_attachment", args=[agreed.pk, attachment.pk])
    client.force_login(county_reviewer)
    assert "合同.pdf" in body(client.get(change_url(agreed)))
    response = client.get(url)
    assert response.status_code == 200 and response.content == data
    assert "no-store" in response["Cache-Control"]
    assert client.post(url).status_code == 405
    client.force_login(tianxin_reviewer)
    assert client.get(url).status_code == 404


# ------------------------------------------------------------------------------------------ materials


def test_material_lists_are_the_provinces(
    client, county_reviewer, province_reviewer, other_province_reviewer
):
    """SPEC §12: 湖南省's reviewers edit its lists; county bureaus read them; 湖北省 does not see them."""
    hunan = personas.region("province")
    listed = MaterialList.objects.create(province=hunan, kind="register", items="身份证\n照片")
    change = reverse("admin:registrations_materiallist_change", args=[listed.pk])
    client.force_login(province_reviewer)
    response = client.post(
        change, {"province": hunan.code, "kind": "register", "items": "身份证复印件\n二寸照片"}
    )
    assert response.status_code == 302
    listed.refresh_from_db()
    assert listed.item_list == ["身份证复印件", "二寸照片"]
    assert listed.history.count() == 2
    client.force_login(county_reviewer)
    assert client.get(change).status_code == 200
    assert client.post(change, {"province": hunan.code, "kind": "register", "items": "x"}).status_code == 403
    client.force_login(other_province_reviewer)
    assert client.get(change).status_code == 404
    # 湖北省 cannot file a list under 湖南省: the province field offers its own province only.
    add = reverse("admin:registrations_materiallist_add")
    response = client.post(add, {"province": hunan.code, "kind": "change", "items": "x"})
    assert response.status_code == 200 and not MaterialList.objects.filter(kind="change").exists()
    assert client.post(add, {"province": "420000", "kind": "change", "items": "身份证"}).status_code == 302
    assert MaterialList.objects.get(kind="change").province_id == "420000"


# ------------------------------------------------------------------------------------------ in words


def test_a_change_reads_as_seed_002_shows_it(county_reviewer, doctor_a):
    """APP-1, seed 002 §8: a 变更 lists only what differs from the record, as "…请求变更为"."""
    from approvals.describe import record_lines, requested_lines
    from tests.applications import scope

    record = PracticeRecord.objects.get(certificate_number="110430100000001")
    record.scopes.set([scope("内科专业")])
    application = ApplicationFactory(
        doctor=doctor_a,
        kind="change",
        record=record,
        institution=record.main_institution,
        level=record.level,
        category=record.category,
        location=record.location,
        statement="变更执业范围",
        scopes=[scope("外科专业")],
        agreed=True,
    )
    assert requested_lines(application) == [
        ("执业范围请求变更为", "外科专业"),
        ("提交本次业务的缘由", "变更执业范围"),
    ]
    before = dict(record_lines(record))
    assert before["执业证书编码"] == "110430100000001" and before["执业范围"] == "内科专业"
    assert before["注册状态"] == "有效"


@pytest.mark.parametrize("suffix", ["change/", "approve/", "return/", "attachments/1/"])
def test_a_malformed_id_is_a_404_not_a_500(client, county_reviewer, suffix):
    """X-4: /admin/registrations/application/abc/… answers 404 like a missing application."""
    client.force_login(county_reviewer)
    assert client.get(f"/admin/registrations/application/abc/{suffix}").status_code == 404
