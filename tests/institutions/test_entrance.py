"""INS-1: the institution console's entrance: the initial password by SMS, login with an SMS code on the first
login and from unknown browsers, the forced new password, the doctors' login and the API token for officers."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.models import KnownDevice, User, VerificationCode
from accounts.services.officer_login import device_digest
from accounts.services.officers import officer_create
from docregsys.messaging.models import OutboundMessage
from institutions.views.entrance import DEVICE_COOKIE
from tests import personas
from tests.factories import AnnouncementFactory, ProfileChangeFactory, UserFactory

pytestmark = pytest.mark.django_db

PHONE = "13907310009"
PASSWORD = personas.PASSWORD
LOGIN = "/institution/"


@pytest.fixture
def officer(db):
    officer = personas.officer_x()
    officer.phone = PHONE
    officer.save(update_fields=["phone"])
    return officer


def console_login(client, username="officerx", password=PASSWORD, captcha="PASSED", **extra):
    return client.post(
        LOGIN, {"username": username, "password": password, "captcha_0": "k", "captcha_1": captcha, **extra}
    )


def last_code(phone=PHONE) -> str:
    message = OutboundMessage.objects.filter(destination=phone).latest("pk")
    return re.search(r"\b(\d{6})\b", message.body).group(1)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def full_login(client, code=None):
    """Password step, then the code: the officer's first login in this browser."""
    assert console_login(client).url == reverse("console:login_code")
    return client.post(reverse("console:login_code"), {"code": code or last_code()})


# ----------------------------------------------------------------------------------- officer_create


def test_officer_create_sends_one_sms_with_username_and_password(county_reviewer, institutions):
    """INS-1 (seed 002 ch.3 §1): exactly one SMS to the officer's phone; the password is never returned."""
    officer = officer_create(
        actor=county_reviewer,
        username="cszyy01",
        real_name="周敏",
        institution=institutions["furong"],
        phone=PHONE,
    )
    (sms,) = OutboundMessage.objects.all()
    assert sms.destination == PHONE and sms.channel == "sms"
    password = re.search(r"初始密码：(\w+)", sms.body).group(1)
    assert "cszyy01" in sms.body and officer.check_password(password)
    assert officer.must_change_password
    assert password not in repr(officer.__dict__.get("password"))  # only the hash is on the account


def test_the_new_officer_logs_in_with_the_sms_password_then_must_change_it(
    client, county_reviewer, institutions
):
    """INS-1: SMS password → code → 修改初始密码 → 系统主页."""
    officer_create(
        actor=county_reviewer,
        username="cszyy01",
        real_name="周敏",
        institution=institutions["furong"],
        phone=PHONE,
    )
    password = re.search(r"初始密码：(\w+)", OutboundMessage.objects.get().body).group(1)
    assert console_login(client, username="cszyy01", password=password).url == reverse("console:login_code")
    response = client.post(reverse("console:login_code"), {"code": last_code()})
    assert response.url == reverse("console:password")
    response = client.post(
        reverse("console:password"),
        {"old_password": password, "new_password1": "Hospital2026x", "new_password2": "Hospital2026x"},
    )
    assert response.url == reverse("console:home")
    officer = User.objects.get(username="cszyy01")
    assert not officer.must_change_password and officer.check_password("Hospital2026x")
    assert client.get(reverse("console:home")).status_code == 200


# ------------------------------------------------------------------------------------------- login


def test_the_login_page_has_the_seed_title_and_a_captcha(client):
    """INS-1 (seed 002 ch.3 §2.2): 医疗机构版系统登录 with username, password and captcha."""
    html = client.get(LOGIN).content.decode()
    assert "医疗机构版系统登录" in html
    assert 'name="username"' in html and 'name="password"' in html and 'name="captcha_1"' in html


def test_the_first_login_asks_for_the_code_and_logs_in_only_then(client, officer):
    """INS-1: the password step sends a 6-digit code to the registered phone; nobody is logged in yet."""
    session_before = client.session.session_key
    response = console_login(client)
    assert response.url == reverse("console:login_code")
    assert not logged_in(client)
    assert client.session.session_key != session_before
    assert client.get(reverse("console:home")).url.startswith(LOGIN)  # not logged in
    page = client.get(reverse("console:login_code")).content.decode()
    assert "139****0009" in page and PHONE not in page
    assert "请输入校验码" not in page  # an unanswered form, not a refused one
    code = last_code()
    assert VerificationCode.objects.get(purpose="login").user == officer
    pending_key = client.session.session_key
    response = client.post(reverse("console:login_code"), {"code": code})
    assert response.url == reverse("console:home")
    assert logged_in(client) and int(client.session["_auth_user_id"]) == officer.pk
    assert client.session.session_key != pending_key  # rotated on login


def test_the_device_cookie_is_signed_httponly_and_only_its_digest_is_stored(client, officer):
    """INS-1: a random token in a signed HttpOnly cookie for 180 days; the database keeps a keyed digest."""
    response = full_login(client)
    cookie = response.cookies[DEVICE_COOKIE]
    assert cookie["httponly"] and int(cookie["max-age"]) == 180 * 24 * 3600
    device = KnownDevice.objects.get(user=officer)
    signed = cookie.value
    assert signed not in device.token_digest
    raw = signed.split(":")[0]
    assert device.token_digest == device_digest(raw) and raw not in device.token_digest


def test_a_known_browser_skips_the_code(client, officer):
    """INS-1: the same browser, later: username + password (+ captcha) are enough."""
    full_login(client)
    client.post(reverse("accounts:logout"))
    assert not logged_in(client)
    sent = OutboundMessage.objects.count()
    response = console_login(client)
    assert response.url == reverse("console:home")
    assert logged_in(client)
    assert OutboundMessage.objects.count() == sent  # no new code


def test_an_unknown_browser_asks_again(client, officer):
    """INS-1: a browser without the cookie (or with another officer's) gets a code again."""
    full_login(client)
    other = Client()
    assert console_login(other).url == reverse("console:login_code")
    assert not logged_in(other)
    # A forged cookie value is not a known device either.
    forged = Client()
    forged.cookies[DEVICE_COOKIE] = "not-a-signed-token"
    assert console_login(forged).url == reverse("console:login_code")


def test_another_officers_device_does_not_count(client, officer):
    """INS-1: a device is known for the officer who confirmed the code in it, not for everyone using it."""
    full_login(client)
    client.post(reverse("accounts:logout"))
    other = personas.officer_y()
    other.phone = "13907310010"
    other.save(update_fields=["phone"])
    assert console_login(client, username="officery").url == reverse("console:login_code")


def test_wrong_codes_are_counted_and_the_sixth_is_refused(client, officer):
    """INS-1/ACC-4: five wrong guesses, then even the right code is refused until a new one is sent."""
    console_login(client)
    code = last_code()
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        response = client.post(reverse("console:login_code"), {"code": wrong})
        assert response.status_code == 200 and "校验码不正确" in response.content.decode()
    response = client.post(reverse("console:login_code"), {"code": code})
    assert "校验码输入错误次数过多" in response.content.decode()
    assert not logged_in(client)
    assert VerificationCode.objects.get(purpose="login").attempts == 5


def test_an_expired_code_is_refused(client, officer):
    """INS-1: a code past its lifetime does not log in."""
    console_login(client)
    VerificationCode.objects.filter(purpose="login").update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    response = client.post(reverse("console:login_code"), {"code": last_code()})
    assert "校验码已失效" in response.content.decode()
    assert not logged_in(client)


def test_a_used_code_is_refused(client, officer):
    """INS-1: single use: the code that logged in once does not log in a second browser."""
    full_login(client)
    code = last_code()
    other = Client()
    console_login(other)  # a new code is sent; within the minute the quota refuses it: the old one is asked
    VerificationCode.objects.filter(purpose="login", used_at__isnull=True).delete()
    response = other.post(reverse("console:login_code"), {"code": code})
    assert "校验码已失效" in response.content.decode()
    assert not logged_in(other)


def test_the_code_step_needs_a_pending_login(client, officer):
    """INS-1: without the password step in this session (or after 15 minutes), back to the login."""
    assert client.get(reverse("console:login_code")).url == LOGIN
    assert client.post(reverse("console:login_code"), {"code": "123456"}).url == LOGIN
    console_login(client)
    session = client.session
    session["console_login_pending"]["at"] -= 16 * 60
    session.save()
    assert client.post(reverse("console:login_code"), {"code": last_code()}).url == LOGIN
    assert not logged_in(client)


def test_resend_is_limited_to_once_a_minute(client, officer):
    """ACC-4 quotas apply to login codes too."""
    console_login(client)
    response = client.post(reverse("console:login_code"), {"action": "resend"}, follow=True)
    assert "过于频繁" in response.content.decode()
    assert VerificationCode.objects.filter(purpose="login").count() == 1


def test_wrong_password_is_refused_in_chinese_and_counted_by_axes(client, officer):
    """INS-1/ACC-2: the same lockout as the doctors' login."""
    response = console_login(client, password="wrong-pass1")
    assert response.status_code == 200 and "登录账号或密码不正确" in response.content.decode()
    for _ in range(4):
        console_login(client, password="wrong-pass1")
    locked = console_login(client)
    assert locked.status_code == 429
    assert not OutboundMessage.objects.exists()


def test_an_officer_without_phone_is_told_whom_to_ask(client, officer):
    """INS-1: no phone, no code: a message, nobody pending, nothing sent."""
    User.objects.filter(pk=officer.pk).update(phone="")
    response = console_login(client)
    assert response.status_code == 200 and "没有登记手机号码" in response.content.decode()
    assert "console_login_pending" not in client.session


@pytest.mark.parametrize(
    ("maker", "hint"),
    [
        (lambda: UserFactory(username="doctor01", activated=True), "/accounts/login/"),
        (lambda: UserFactory(username="review01", reviewer=True), "/admin/"),
    ],
)
def test_doctors_and_reviewers_are_pointed_to_their_entrance(client, maker, hint):
    """INS-1: only officers log in here."""
    user = maker()
    response = console_login(client, username=user.username)
    assert response.status_code == 200 and hint in response.content.decode()
    assert not logged_in(client)
    assert not OutboundMessage.objects.exists()


def test_the_doctors_login_refuses_officers(client, officer):
    """INS-1: no bypass of the code step through /accounts/login/."""
    response = client.post(
        reverse("accounts:login"),
        {"username": "officerx", "password": PASSWORD, "captcha_0": "k", "captcha_1": "PASSED"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "/institution/" in html and "医疗机构版入口" in html
    assert not logged_in(client)


def test_a_logged_in_officer_opening_the_entrance_goes_home(client, officer):
    client.force_login(officer)
    assert client.get(LOGIN).url == reverse("console:home")


def test_logout_from_the_console_returns_to_the_entrance(client, officer):
    """INS-1: 退出 in the console frame posts next=/institution/."""
    client.force_login(officer)
    html = client.get(reverse("console:home")).content.decode()
    assert 'name="next" value="/institution/"' in html
    response = client.post(reverse("accounts:logout"), {"next": LOGIN})
    assert response.url == LOGIN and not logged_in(client)


# ---------------------------------------------------------------------------------- forced password


def test_the_forced_password_change_blocks_every_console_page(client, officer):
    """INS-1: until the initial password is replaced, every console page leads to 修改初始密码."""
    User.objects.filter(pk=officer.pk).update(must_change_password=True)
    client.force_login(officer)
    for name in ("console:home", "console:notices", "console:security"):
        assert client.get(reverse(name)).url == reverse("console:password"), name
    page = client.get(reverse("console:password")).content.decode()
    assert "修改初始密码" in page


def test_the_new_password_needs_the_old_one_and_the_policy(client, officer):
    """INS-1/ID-4: wrong old password, weak or identical new password: refused, flag kept."""
    User.objects.filter(pk=officer.pk).update(must_change_password=True)
    client.force_login(officer)
    url = reverse("console:password")
    cases = [
        ({"old_password": "wrong-pass1", "new_password1": "Hospital2026x"}, "当前登录密码不正确"),
        ({"old_password": PASSWORD, "new_password1": "12345678"}, "密码"),
        ({"old_password": PASSWORD, "new_password1": PASSWORD}, "新密码不能与当前密码相同"),
    ]
    for data, message in cases:
        response = client.post(url, {**data, "new_password2": data["new_password1"]})
        assert response.status_code == 200 and message in response.content.decode()
    officer.refresh_from_db()
    assert officer.must_change_password and officer.check_password(PASSWORD)


# ------------------------------------------------------------------------------------ console pages


def test_home_shows_the_institution_its_settings_counts_and_announcements(
    client, officer, doctor_a, doctor_b
):
    """INS-1 系统主页: own institution only; 芙蓉医院's doctors are counted, 天心医院's are not."""
    AnnouncementFactory(title="湖南省通告一则")
    ProfileChangeFactory(institution=officer.institution)
    client.force_login(officer)
    response = client.get(reverse("console:home"))
    html = response.content.decode()
    assert "芙蓉医院" in html and officer.institution.registration_number in html
    assert "临床类别医师审批机关" in html and "尚未设置" in html
    assert response.context["doctor_count"] == 1
    assert response.context["pending_reviews"] == 1
    assert "湖南省通告一则" in html
    assert "天心医院" not in html


def test_notices_and_security_are_console_pages_with_their_menu_current(client, officer):
    """综合信息 → 通知公告, 系统功能 → 安全设置 (the phone masked; change links to the existing flows)."""
    AnnouncementFactory(title="通知一")
    client.force_login(officer)
    notices = client.get(reverse("console:notices")).content.decode()
    assert "通知一" in notices
    security = client.get(reverse("console:security"))
    html = security.content.decode()
    assert "139****0009" in html and PHONE not in html
    assert reverse("console:password") in html
    current = [str(label) for label, _url, is_current in security.context["nav_items"] if is_current]
    assert current == ["系统功能"]
    sub = [str(label) for label, _url, is_current in security.context["console_submenu"] if is_current]
    assert sub == ["安全设置"]


def test_doctors_get_403_on_console_pages(client, doctor_a):
    client.force_login(doctor_a)
    for name in ("console:home", "console:notices", "console:security", "console:password"):
        assert client.get(reverse(name)).status_code == 403


# -------------------------------------------------------------------------------------------- API

API = "/api/v1/accounts/"
CAPTCHA = {"captcha_key": "k", "captcha_value": "PASSED"}


def api(client, path, **body):
    return client.post(API + path, body, content_type="application/json")


def test_an_officer_token_needs_the_sms_code(client, officer):
    """INS-1: token/ without a code is refused; token/code/ sends one; token/ with it answers the token."""
    credentials = {"username": "officerx", "password": PASSWORD, **CAPTCHA}
    refused = api(client, "token/", **credentials)
    assert refused.status_code == 400 and refused.json()["errors"][0]["code"] == "login_code_required"
    assert not Token.objects.exists()
    sent = api(client, "token/code/", **credentials)
    assert sent.status_code == 202 and sent.json()["sent_to"] == "139****0009"
    wrong = api(client, "token/", **credentials, code="000000" if last_code() != "000000" else "111111")
    assert wrong.status_code == 400 and wrong.json()["errors"][0]["code"] == "code_invalid"
    ok = api(client, "token/", **credentials, code=last_code())
    assert ok.status_code == 200 and ok.json()["token"] == Token.objects.get(user=officer).key
    again = api(client, "token/", **credentials, code=last_code())  # single use
    assert again.status_code == 400


def test_an_officer_with_the_initial_password_gets_no_token_nor_code(client, officer):
    """INS-1: the initial password is changed in the console first."""
    User.objects.filter(pk=officer.pk).update(must_change_password=True)
    credentials = {"username": "officerx", "password": PASSWORD, **CAPTCHA}
    for path in ("token/code/", "token/"):
        response = api(client, path, **credentials)
        assert response.status_code == 400
        assert response.json()["errors"][0]["code"] == "password_change_required"
    assert not OutboundMessage.objects.exists() and not Token.objects.exists()


def test_token_code_is_for_officers_only_and_doctors_tokens_are_unchanged(client):
    """ACC-2 stays as it was for doctors; token/code/ refuses them (and wrong passwords)."""
    UserFactory(username="doctor01", activated=True)
    credentials = {"username": "doctor01", "password": PASSWORD, **CAPTCHA}
    assert api(client, "token/code/", **credentials).json()["errors"][0]["code"] == "code_not_needed"
    assert api(client, "token/", **credentials).status_code == 200
    bad = api(client, "token/code/", **{**credentials, "password": "wrong-pass1"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["code"] == "invalid_login"
    assert not OutboundMessage.objects.exists()


def test_notices_take_the_same_queries_for_few_and_many(client, officer, django_assert_num_queries):
    """通知公告 is one query for the announcements, however many there are."""
    AnnouncementFactory(title="通知一")
    client.force_login(officer)
    client.get(reverse("console:notices"))  # warm caches (content types, the session)

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("console:notices")).status_code == 200
        return len(queries)

    few = count()
    for n in range(8):
        AnnouncementFactory(title=f"通知{n}")
    # session, user, institution (header + scope), the announcements with their regions
    with django_assert_num_queries(few):
        assert client.get(reverse("console:notices")).status_code == 200
