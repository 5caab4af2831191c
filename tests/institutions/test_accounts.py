"""The console's doctor accounts: 医师账户激活 (INS-4), 撤销医师账户 and 本院医师账户管理 (INS-9)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountRevocation, ActivationCode, User
from accounts.services.activation import activation_code_issue_all
from accounts.services.recovery import doctor_login_reset_by_institution
from accounts.services.revocation import doctor_account_revoke
from accounts.services.signup import account_signup
from docregsys.exceptions import TransitionRefused
from docregsys.messaging.models import OutboundMessage
from tests.factories import ActivationCodeFactory, DoctorFactory, PracticeRecordFactory, make_resident_id

pytestmark = pytest.mark.django_db

_births = itertools.count()


def doctor_at(institution, *, state="valid", real_name="张三", **traits) -> User:
    """A doctor account whose name + ID number match a practice record with `institution` as main institution."""
    n = next(_births)
    number = make_resident_id(birth=f"1980{1 + n // 28 % 12:02d}{1 + n % 28:02d}", seq=f"{n % 1000:03d}")
    PracticeRecordFactory(real_name=real_name, id_number=number, main_institution=institution, state=state)
    return DoctorFactory(real_name=real_name, id_number=number, **traits)


@pytest.fixture
def x(officer_x):
    return officer_x.institution


@pytest.fixture
def y(officer_y):
    return officer_y.institution


@pytest.fixture
def ox(client, officer_x):
    client.force_login(officer_x)
    return client


# ------------------------------------------------------------------------------------ INS-4: the table


def test_the_button_is_offered_only_to_doctors_the_service_allows(ox, x, y):
    """INS-4: 生成激活码 for checked, unactivated doctors with a verified phone/e-mail and a valid record here."""
    eligible = doctor_at(x, real_name="甲医", phone_verified=True)
    unchecked = doctor_at(x, real_name="乙医")
    activated = doctor_at(x, real_name="丙医", activated=True)
    unreachable = doctor_at(x, real_name="丁医", checked=True)
    doctor_at(y, real_name="戊医", phone_verified=True)  # another institution's: not listed
    doctor_at(x, real_name="己医", state="deregistered", phone_verified=True)  # no valid record: not listed
    response = ox.get(reverse("console:activation"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "本次查询共查到4条数据" in body
    assert reverse("console:activation_issue", args=[eligible.pk]) in body
    for doctor in (unchecked, activated, unreachable):
        assert reverse("console:activation_issue", args=[doctor.pk]) not in body
    assert "戊医" not in body and "己医" not in body
    assert "正常激活" in body and "尚未通过医师信息校验" in body and "医师尚未验证手机或邮箱" in body
    assert eligible.id_number not in body and eligible.id_number_masked in body


def test_the_name_search_filters_and_a_bad_name_is_a_message(ox, x):
    """INS-4: 医师姓名 [查询]; an overlong or invisible-character name is refused on the form, never a 500."""
    doctor_at(x, real_name="王五")
    doctor_at(x, real_name="赵六")
    body = ox.get(reverse("console:activation"), {"name": "王"}).content.decode()
    assert "王五" in body and "赵六" not in body
    response = ox.get(reverse("console:activation"), {"name": "王\u200b"})
    assert response.status_code == 200 and "看不见的特殊字符" in response.content.decode()


def test_issuing_sends_the_code_to_the_verified_phone_and_shows_it_once(ox, officer_x, x):
    """INS-4: the code goes out by SMS and is shown once; afterwards the table shows it masked (5P...K)."""
    doctor = doctor_at(x, phone_verified=True)
    response = ox.post(reverse("console:activation_issue", args=[doctor.pk]))
    assert response.status_code == 302
    code = ActivationCode.objects.get(doctor=doctor)
    assert code.issued_by == officer_x and code.institution == x
    message = OutboundMessage.objects.get()
    assert message.channel == "sms" and message.destination == doctor.phone and code.code in message.body
    first = ox.get(reverse("console:activation")).content.decode()
    assert code.code in first and "仅显示这一次" in first
    again = ox.get(reverse("console:activation")).content.decode()
    assert code.code not in again
    assert f"{code.code[:2]}...{code.code[-1]}" in again
    assert "激活码已发送到手机" in again and "重新生成激活码" in again


def test_a_doctor_with_only_a_verified_email_gets_it_by_email(ox, x):
    """INS-4: no verified phone → the verified e-mail."""
    doctor = doctor_at(x, checked=True, email="yi@example.com", email_verified_at=timezone.now())
    ox.post(reverse("console:activation_issue", args=[doctor.pk]))
    message = OutboundMessage.objects.get()
    assert message.channel == "email" and message.destination == "yi@example.com"


@pytest.mark.parametrize("state", ["unchecked", "activated", "unreachable"])
def test_issuing_for_an_ineligible_doctor_is_refused_and_changes_nothing(
    ox, x, state, assert_nothing_changed
):
    """INS-4: unchecked, activated or unreachable doctors get no code; the page says why."""
    traits = {"unchecked": {}, "activated": {"activated": True}, "unreachable": {"checked": True}}[state]
    doctor = doctor_at(x, **traits)
    with assert_nothing_changed(state):
        response = ox.post(reverse("console:activation_issue", args=[doctor.pk]), follow=True)
    assert response.status_code == 200
    assert "msg-error" in response.content.decode()


def test_another_institutions_doctor_or_one_without_a_valid_record_here_is_404(
    client, officer_y, x, assert_nothing_changed
):
    """INS-4 / security: Y's officer cannot issue for X's doctor; nor can anyone for a lapsed record."""
    doctor = doctor_at(x, phone_verified=True)
    lapsed = doctor_at(x, state="deregistered", phone_verified=True)
    client.force_login(officer_y)
    with assert_nothing_changed("other institution"):
        assert client.post(reverse("console:activation_issue", args=[doctor.pk])).status_code == 404
        assert client.post(reverse("console:activation_issue", args=[lapsed.pk])).status_code == 404


def test_export_never_holds_the_clear_code(ox, x):
    """INS-4: the XLSX/CSV export shows the same masked code as the table."""
    doctor = doctor_at(x, phone_verified=True)
    ox.post(reverse("console:activation_issue", args=[doctor.pk]))
    code = ActivationCode.objects.get().code
    response = ox.get(reverse("console:activation"), {"export": "csv"})
    text = response.content.decode("utf-8-sig")
    assert response.status_code == 200 and "激活码生成时间" in text
    assert code not in text and f"{code[:2]}...{code[-1]}" in text
    assert ox.get(reverse("console:activation"), {"export": "xlsx"}).status_code == 200


# ------------------------------------------------------------------------------------ INS-4: in bulk


def test_bulk_issue_gives_400_doctors_their_codes_in_one_request(ox, x, y):
    """INS-4 为全部符合条件的医师生成激活码: 400 eligible doctors, one POST, 400 codes, 400 outbox rows,
    and a fixed number of queries per batch of 200 (measured: see the assertion), not per doctor."""
    doctors = [doctor_at(x, phone_verified=True) for _i in range(400)]
    doctor_at(x)  # unchecked: skipped
    doctor_at(y, phone_verified=True)  # Y's: skipped
    with CaptureQueriesContext(connection) as queries:
        response = ox.post(reverse("console:activation_issue_all"))
    assert response.status_code == 302
    assert ActivationCode.objects.filter(institution=x).count() == 400
    assert set(ActivationCode.objects.values_list("doctor_id", flat=True)) == {d.pk for d in doctors}
    assert OutboundMessage.objects.count() == 400
    assert ActivationCode.history.count() == 400  # each code has its audit row
    # Measured 33 on SQLite: session, officer, institution, the candidates (4); per batch of 200: savepoints
    # (2), lock + re-read, open codes, code draw (3), then the code, history and outbox inserts, which SQLite
    # splits by its variable limit (2 + 3 + 3; one each on PostgreSQL); the flash message's session write (3).
    # 400 doctors through the single path would take ~4,000.
    assert len(queries) <= 40, len(queries)


def test_bulk_issue_is_idempotent_per_doctor_unless_asked_to_renew(officer_x, x):
    """INS-4: a doctor holding an open code is skipped; with renew the old code expires and a new one goes out."""
    holder = doctor_at(x, phone_verified=True)
    fresh = doctor_at(x, phone_verified=True)
    old = ActivationCodeFactory(doctor=holder, institution=x)
    assert activation_code_issue_all(institution=x, issued_by=officer_x) == 1
    assert ActivationCode.objects.filter(doctor=fresh).count() == 1
    assert activation_code_issue_all(institution=x, issued_by=officer_x) == 0
    assert activation_code_issue_all(institution=x, issued_by=officer_x, renew=True) == 2
    old.refresh_from_db()
    assert old.expires_at <= timezone.now()
    assert ActivationCode.objects.filter(doctor=holder, expires_at__gt=timezone.now()).count() == 1


def test_bulk_issue_skips_expired_holders_no_more(officer_x, x):
    """INS-4: an expired code does not count as open: the doctor gets a new one."""
    holder = doctor_at(x, phone_verified=True)
    ActivationCodeFactory(doctor=holder, institution=x, expires_at=timezone.now() - dt.timedelta(days=1))
    assert activation_code_issue_all(institution=x, issued_by=officer_x) == 1


# ------------------------------------------------------------------------------------ INS-9: revoke


def test_revoke_writes_the_audit_deletes_the_account_and_the_doctor_can_sign_up_again(ox, officer_x, x):
    """INS-9 撤销医师账户: audit row, account gone, records kept, doctor told, same ID number signs up again."""
    doctor = doctor_at(x, real_name="钱七", activated=True)
    number, phone, pk = doctor.id_number, doctor.phone, doctor.pk
    page = ox.get(reverse("console:revoke_confirm", args=[pk]))
    assert page.status_code == 200 and "撤销原因" in page.content.decode()
    response = ox.post(reverse("console:revoke_confirm", args=[pk]), {"reason": "非本人注册"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=pk).exists()
    audit = AccountRevocation.objects.get()
    assert (audit.officer, audit.institution, audit.reason, audit.real_name) == (
        officer_x,
        x,
        "非本人注册",
        "钱七",
    )
    assert audit.id_number_masked == doctor.id_number_masked and number not in audit.id_number_masked
    assert audit.id_number_digest == doctor.id_number_digest
    assert x.practice_records.filter(id_number_digest=doctor.id_number_digest).exists()
    deleted = User.history.filter(id=pk, history_type="-").get()
    assert deleted.history_user == officer_x
    message = OutboundMessage.objects.get()
    assert message.destination == phone and "非本人注册" in message.body
    again = account_signup(
        real_name="钱七",
        id_number=number,
        phone="13900000000",
        email="",
        username="qianqi2",
        password="Xinmima-2025",
    )
    assert again.pk != pk and again.id_number_digest == audit.id_number_digest


def test_revoke_needs_a_reason_and_changes_nothing_without_one(ox, x, assert_nothing_changed):
    """INS-9: 撤销原因 is required (max 200)."""
    doctor = doctor_at(x)
    url = reverse("console:revoke_confirm", args=[doctor.pk])
    with assert_nothing_changed("no reason"):
        response = ox.post(url, {"reason": "   "})
        assert response.status_code == 200 and "field-errors" in response.content.decode()
        assert ox.post(url, {"reason": "长" * 201}).status_code == 200
    assert User.objects.filter(pk=doctor.pk).exists()


def test_another_institutions_officer_cannot_revoke(client, officer_y, x, assert_nothing_changed):
    """INS-9: another institution's doctor is a 404 on the page and the API, and a refusal in the service."""
    doctor = doctor_at(x)
    client.force_login(officer_y)
    with assert_nothing_changed("other institution"):
        assert client.get(reverse("console:revoke_confirm", args=[doctor.pk])).status_code == 404
        assert (
            client.post(reverse("console:revoke_confirm", args=[doctor.pk]), {"reason": "x"}).status_code
            == 404
        )
        api = f"/api/v1/institution/doctor-accounts/{doctor.pk}/revoke/"
        assert client.post(api, {"reason": "x"}, content_type="application/json").status_code == 404
        with pytest.raises(TransitionRefused):
            doctor_account_revoke(officer=officer_y, doctor=doctor, reason="x")


def test_revoke_list_shows_category_level_scopes_and_sex(ox, x):
    """INS-9: 姓名 性别 身份证号 类别 级别 执业范围 是否激活 操作."""
    doctor = doctor_at(x, real_name="孙八")
    body = ox.get(reverse("console:revoke")).content.decode()
    assert "孙八" in body and "临床" in body and "执业医师" in body and doctor.id_number_masked in body
    assert reverse("console:revoke_confirm", args=[doctor.pk]) in body
    assert ("男" in body) or ("女" in body)


# ------------------------------------------------------------------------------------ INS-9: login reset


def test_reset_sends_a_one_time_password_to_the_doctor_never_to_the_officer(ox, officer_x, x, client):
    """INS-9 / ACC-6: 重置登录密码 → SMS to the doctor's verified phone; the officer sees only where it went."""
    doctor = doctor_at(x, activated=True)
    response = ox.post(reverse("console:account_reset", args=[doctor.pk]), follow=True)
    body = response.content.decode()
    message = OutboundMessage.objects.get()
    password = message.body.split("临时密码：")[1].split("。")[0]
    assert message.destination == doctor.phone and doctor.username in message.body
    assert password not in body and doctor.phone_masked in body
    doctor.refresh_from_db()
    assert doctor.must_change_password and doctor.check_password(password)
    assert doctor.history.first().history_user == officer_x
    # The doctor logs in with it and is sent to change it first; the change clears the flag.
    ox.logout()
    login = client.post(
        reverse("accounts:login"),
        {"username": doctor.username, "password": password, "captcha_0": "k", "captcha_1": "PASSED"},
    )
    assert login.status_code == 302 and login.url == reverse("accounts:password_change")
    client.post(
        reverse("accounts:password_change"),
        {"old_password": password, "new_password1": "Xinmima-2025", "new_password2": "Xinmima-2025"},
    )
    doctor.refresh_from_db()
    assert not doctor.must_change_password and doctor.check_password("Xinmima-2025")


def test_reset_through_the_api_never_answers_the_password(client, officer_x, x):
    """INS-9: the API answers the channel and the masked destination only."""
    doctor = doctor_at(x, checked=True, email="wu@example.com", email_verified_at=timezone.now())
    client.force_login(officer_x)
    response = client.post(f"/api/v1/institution/doctor-accounts/{doctor.pk}/reset-login/")
    assert response.status_code == 200
    assert response.json() == {"channel": "email", "destination_masked": "wu***@example.com"}
    password = OutboundMessage.objects.get().body.split("临时密码：")[1].split("。")[0]
    assert password not in response.content.decode()


def test_reset_without_a_verified_phone_or_email_is_refused(ox, officer_x, x, assert_nothing_changed):
    """INS-9: nowhere to send it → refused with the way forward (verify first, or in person)."""
    doctor = doctor_at(x, checked=True, phone="13912345678")  # phone not verified
    with assert_nothing_changed("unverified"):
        response = ox.post(reverse("console:account_reset", args=[doctor.pk]), follow=True)
        with pytest.raises(TransitionRefused, match="现场办理"):
            doctor_login_reset_by_institution(officer=officer_x, doctor=doctor)
    assert "现场办理" in response.content.decode()


def test_reset_of_another_institutions_doctor_is_404(client, officer_y, x, assert_nothing_changed):
    """INS-9: scoped like every console action."""
    doctor = doctor_at(x, activated=True)
    client.force_login(officer_y)
    with assert_nothing_changed("other institution"):
        assert client.post(reverse("console:account_reset", args=[doctor.pk])).status_code == 404
        assert client.post(f"/api/v1/institution/doctor-accounts/{doctor.pk}/reset-login/").status_code == 404


# ------------------------------------------------------------------------------------ the API


def test_api_lists_issues_and_issues_all(client, officer_x, x, y):
    """INS-4 API: the list (masked codes), one issue (code once, 201), all (count); Y's doctor is 404."""
    doctor = doctor_at(x, phone_verified=True)
    other = doctor_at(y, phone_verified=True)
    doctor_at(x, phone_verified=True)
    client.force_login(officer_x)
    listed = client.get("/api/v1/institution/activation/").json()
    assert listed["count"] == 2 and listed["results"][0]["issuable"] is True
    issued = client.post(f"/api/v1/institution/activation/{doctor.pk}/issue/")
    assert issued.status_code == 201 and issued.json()["code"] == ActivationCode.objects.get().code
    assert client.post(f"/api/v1/institution/activation/{other.pk}/issue/").status_code == 404
    rows = client.get("/api/v1/institution/activation/").json()["results"]
    assert issued.json()["code"] not in str(rows)
    bulk = client.post("/api/v1/institution/activation/issue-all/", {}, content_type="application/json")
    assert bulk.json() == {"issued": 1}


def test_api_refuses_an_activated_doctor_with_409(client, officer_x, x):
    doctor = doctor_at(x, activated=True)
    client.force_login(officer_x)
    response = client.post(f"/api/v1/institution/activation/{doctor.pk}/issue/")
    assert response.status_code == 409 and response.json()["errors"][0]["code"] == "already_activated"


def test_api_revokes_with_a_reason(client, officer_x, x):
    doctor = doctor_at(x)
    client.force_login(officer_x)
    url = f"/api/v1/institution/doctor-accounts/{doctor.pk}/revoke/"
    assert client.post(url, {}, content_type="application/json").status_code == 400
    response = client.post(url, {"reason": "身份信息填写错误"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["reason"] == "身份信息填写错误"
    assert not User.objects.filter(pk=doctor.pk).exists()


# ------------------------------------------------------------------------------------ query counts


@pytest.mark.parametrize("name", ["console:activation", "console:revoke", "console:accounts"])
def test_list_pages_cost_the_same_for_2_or_30_doctors(ox, x, name, django_assert_num_queries):
    """Lists: session, officer, count, the page (with codes as subqueries); 撤销: + records and scopes."""

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert ox.get(reverse(name)).status_code == 200
        return len(queries)

    for _i in range(2):
        doctor_at(x, phone_verified=True)
    few = count()
    for _i in range(28):
        doctor_at(x, phone_verified=True)
    with django_assert_num_queries(few):
        ox.get(reverse(name))


def test_the_same_revocation_twice_gives_one_success_one_refusal_one_audit_row(officer_x, x):
    """INS-9 race: the second call (a double click, a second tab) finds no account and writes nothing."""
    doctor = doctor_at(x)
    doctor_account_revoke(officer=officer_x, doctor=doctor, reason="重复注册")
    with pytest.raises(TransitionRefused):
        doctor_account_revoke(officer=officer_x, doctor=doctor, reason="重复注册")
    assert AccountRevocation.objects.count() == 1


def test_reset_ends_the_doctors_api_tokens(officer_x, x):
    """INS-9: whoever held the old password's token is out once the institution resets it."""
    from rest_framework.authtoken.models import Token

    doctor = doctor_at(x, activated=True)
    Token.objects.create(user=doctor)
    doctor_login_reset_by_institution(officer=officer_x, doctor=doctor)
    assert not Token.objects.filter(user=doctor).exists()
