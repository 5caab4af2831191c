"""Sessions end after 30 idle minutes or 12 hours, the key changes at every login (issue 8 §4, ASVS V3.3, V3.2.1)."""

import time

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from docregsys import settings as project_settings
from docregsys.middleware import SEEN_KEY, STARTED_KEY
from tests.factories import CertificateFactory, UserFactory, make_resident_id

pytestmark = pytest.mark.django_db

PASSWORD = "Passw0rd2024"
EXPIRED = "登录已超时，为保护您的账户安全，请重新登录。"
CAPTCHA = {"captcha_0": "k", "captcha_1": "PASSED"}


@pytest.fixture
def doctor():
    return UserFactory(username="doctor01", activated=True)


def signed_in(doctor) -> Client:
    client = Client()
    client.force_login(doctor)
    assert client.get(reverse("accounts:practice")).status_code == 200  # starts the clocks
    return client


def age_session(client, *, idle_seconds: int = 0, since_login_seconds: int = 0) -> None:
    """Move the session's clocks back, as if the doctor had logged in / last clicked that long ago."""
    session = client.session
    now = int(time.time())
    session[SEEN_KEY] = now - idle_seconds
    session[STARTED_KEY] = now - max(since_login_seconds, idle_seconds)
    session.save()


def test_the_defaults_are_thirty_minutes_idle_and_twelve_hours_in_all():
    """Issue 8 §4: the project's own values (Django's default would keep a session two weeks)."""
    assert project_settings.SESSION_IDLE_TIMEOUT == 30 * 60
    assert project_settings.SESSION_ABSOLUTE_TIMEOUT == 12 * 60 * 60
    assert project_settings.SESSION_COOKIE_AGE == 12 * 60 * 60


def test_a_session_idle_for_thirty_minutes_goes_to_login_with_a_message(doctor):
    """ASVS V3.3.2: after 30 idle minutes the next page logs the doctor out and says why, in Chinese."""
    client = signed_in(doctor)
    age_session(client, idle_seconds=30 * 60 + 1)
    practice = reverse("accounts:practice")
    response = client.get(practice)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={practice}"
    assert SESSION_KEY not in client.session
    page = client.get(response["Location"])
    assert EXPIRED in page.content.decode()
    # Nothing is left of the old session: the next page is anonymous too.
    assert client.get(practice)["Location"].startswith(reverse("accounts:login"))


def test_a_session_just_inside_the_idle_limit_stays_and_the_clock_restarts(doctor):
    """ASVS V3.3.2: 29 minutes idle is fine, and that click counts as activity."""
    client = signed_in(doctor)
    age_session(client, idle_seconds=29 * 60)
    assert client.get(reverse("accounts:practice")).status_code == 200
    assert time.time() - client.session[SEEN_KEY] < 5
    assert client.session[SESSION_KEY] == str(doctor.pk)


def test_an_active_session_still_ends_twelve_hours_after_login(doctor):
    """ASVS V3.3.4 (absolute lifetime): constant activity does not stretch a session past 12 hours."""
    client = signed_in(doctor)
    age_session(client, idle_seconds=10, since_login_seconds=12 * 60 * 60 + 1)
    response = client.get(reverse("home"))
    assert response["Location"].startswith(reverse("accounts:login"))
    assert SESSION_KEY not in client.session
    assert EXPIRED in client.get(response["Location"]).content.decode()


def test_the_limits_come_from_the_settings(doctor, settings):
    """Issue 8 §4: SESSION_IDLE_TIMEOUT_SECONDS / SESSION_ABSOLUTE_TIMEOUT_SECONDS set them."""
    settings.SESSION_IDLE_TIMEOUT = 5 * 60
    client = signed_in(doctor)
    age_session(client, idle_seconds=6 * 60)
    assert client.get(reverse("accounts:practice")).status_code == 302
    assert SESSION_KEY not in client.session


def test_an_expired_session_on_the_api_answers_as_to_an_anonymous_caller(doctor):
    """Issue 8 §4: the API gets no redirect, only the refusal any anonymous caller gets; the session is gone."""
    client = signed_in(doctor)
    assert client.get("/api/v1/accounts/me/").status_code == 200
    age_session(client, idle_seconds=31 * 60)
    response = client.get("/api/v1/accounts/me/")
    assert response.status_code == 403
    assert "Location" not in response
    assert SESSION_KEY not in client.session


def test_the_expired_session_row_is_deleted(doctor):
    """ASVS V3.3.1: logout on expiry invalidates the session on the server, not only in the browser."""
    client = signed_in(doctor)
    old_key = client.session.session_key
    age_session(client, idle_seconds=31 * 60)
    client.get(reverse("home"))
    assert not Session.objects.filter(session_key=old_key).exists()


def test_an_anonymous_visitor_is_never_sent_to_login_by_the_clocks(client):
    """Issue 8 §4: only signed-in sessions have clocks; a visitor reading the guides is left alone."""
    response = client.get(reverse("qualifications:guides"))
    assert response.status_code == 200
    assert STARTED_KEY not in client.session


# ---- The session key changes at every way of signing in (ASVS V3.2.1: no session fixation).


def _planted_session_key(client) -> str:
    # An anonymous session the attacker could have planted: it exists before the login.
    session = client.session
    session["planted"] = True
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    return session.session_key


def test_page_login_rotates_the_session_key(client, doctor, monkeypatch):
    """ASVS V3.2.1: the login page (ACC-2) gives a new session id and starts the clocks."""
    monkeypatch.setattr("captcha.conf.settings.CAPTCHA_TEST_MODE", True)
    before = _planted_session_key(client)
    response = client.post(
        reverse("accounts:login"), {"username": "doctor01", "password": PASSWORD, **CAPTCHA}
    )
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(doctor.pk)
    assert client.session.session_key != before
    assert not Session.objects.filter(session_key=before).exists()
    assert abs(client.session[STARTED_KEY] - time.time()) < 5


def test_admin_login_rotates_the_session_key(client):
    """ASVS V3.2.1: the admin's own login page gives a new session id too."""
    UserFactory(username="root", is_staff=True, is_superuser=True)
    before = _planted_session_key(client)
    response = client.post(reverse("admin:login"), {"username": "root", "password": PASSWORD, **CAPTCHA})
    assert response.status_code == 302, response.content.decode()[:500]
    assert SESSION_KEY in client.session
    assert client.session.session_key != before


def test_sign_up_logs_in_with_a_new_session_key(client, monkeypatch):
    """ASVS V3.2.1: the automatic login at the end of sign-up (ACC-1) rotates the key as well."""
    monkeypatch.setattr("captcha.conf.settings.CAPTCHA_TEST_MODE", True)
    step1 = {"real_name": "王小明", "id_number": make_resident_id(seq="123"), "agree": "on", **CAPTCHA}
    assert client.post(reverse("accounts:signup"), step1).status_code == 302
    before = client.session.session_key
    step2 = {
        "phone": "13912345678",
        "email": "wang@example.com",
        "username": "wangxm2024",
        "password1": "Yiliao2024go",
        "password2": "Yiliao2024go",
    }
    response = client.post(reverse("accounts:signup_account"), step2)
    assert response.status_code == 302
    assert SESSION_KEY in client.session
    assert client.session.session_key != before


def test_a_recovery_grant_rotates_the_session_key(client, monkeypatch):
    """ASVS V3.2.1: the reset grant of 通过个人信息找回 (ACC-6) lives only under a fresh session id."""
    monkeypatch.setattr("captcha.conf.settings.CAPTCHA_TEST_MODE", True)
    number = make_resident_id("430102", "19910203", "456")
    UserFactory(username="wangwu88", real_name="王五", id_number=number, phone="13700001111")
    CertificateFactory(real_name="王五", id_number=number, number="202543010000000000001")
    before = _planted_session_key(client)
    response = client.post(
        reverse("accounts:recover_personal"),
        {"real_name": "王五", "id_number": number, "certificate_number": "202543010000000000001", **CAPTCHA},
    )
    assert response.status_code == 200
    assert client.session.session_key != before
    assert client.get(reverse("accounts:recover_password")).status_code == 200
