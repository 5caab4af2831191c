"""INS-1: an officer account is created by the `officer_create` service; the admin form only parses and calls it.

The reviewer never types nor sees the password: the service draws it and sends it, with the username, by SMS.
"""

import re

import pytest
from django.urls import reverse

from accounts.models import User
from accounts.services import officers
from accounts.services.officers import officer_create
from docregsys.exceptions import TransitionRefused
from docregsys.messaging.models import OutboundMessage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

GOOD = {"username": "cszyy01", "real_name": "周敏", "phone": "13907310001"}


def sent_password(phone: str) -> str:
    (message,) = OutboundMessage.objects.filter(destination=phone)
    return re.search(r"初始密码：(\w+)", message.body).group(1)


def test_reviewer_creates_an_officer_of_an_institution_in_scope(county_reviewer, institutions):
    """INS-1: role forced to officer, no admin access; the initial password goes out by ONE SMS, to be changed."""
    officer = officer_create(actor=county_reviewer, institution=institutions["furong"], **GOOD)
    officer.refresh_from_db()
    assert officer.role == User.Role.OFFICER and officer.institution == institutions["furong"]
    assert not officer.is_staff and not officer.is_superuser and officer.authority is None
    assert officer.must_change_password
    (message,) = OutboundMessage.objects.all()
    assert message.channel == "sms" and message.destination == "13907310001"
    assert "cszyy01" in message.body
    password = sent_password("13907310001")
    assert len(password) >= 8 and officer.check_password(password)
    assert re.search(r"[A-Za-z]", password) and re.search(r"[0-9]", password)


def test_each_officer_gets_a_different_initial_password(county_reviewer, institutions):
    """INS-1: the password is drawn at random, never a shared default."""
    officer_create(actor=county_reviewer, institution=institutions["furong"], **GOOD)
    officer_create(
        actor=county_reviewer,
        institution=institutions["furong"],
        **{**GOOD, "username": "cszyy02", "phone": "13907310002"},
    )
    assert sent_password("13907310001") != sent_password("13907310002")


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"institution": "tianxin"}, "institution", "out_of_scope"),
        ({"institution": None}, "institution", "out_of_scope"),
        ({"phone": "1390731"}, "phone", "phone_format"),
        ({"username": "taken01"}, "username", "username_taken"),
    ],
)
def test_officer_create_refuses_and_writes_nothing(
    county_reviewer, institutions, change, field, code, assert_nothing_changed
):
    """INS-1/APP-3/ID-4: outside the reviewer's scope, a weak password, a bad phone, a taken username."""
    User.objects.create(username="Taken01", role=User.Role.DOCTOR)
    before = set(User.objects.values_list("pk", flat=True))
    data = {**GOOD, "institution": institutions["furong"], **change}
    if isinstance(data["institution"], str):
        data["institution"] = institutions[data["institution"]]
    with assert_nothing_changed("officer_create"), pytest.raises(TransitionRefused) as refused:
        officer_create(actor=county_reviewer, **data)
    assert refused.value.field == field
    if code != "phone_format":
        assert refused.value.code == code
    assert set(User.objects.values_list("pk", flat=True)) == before
    assert not OutboundMessage.objects.exists()


def test_a_doctor_or_an_officer_creates_no_officer(institutions, assert_nothing_changed):
    """INS-1: deny by default: only reviewers (in scope) and the superuser."""
    for actor in (UserFactory(), UserFactory(officer=True, institution=institutions["furong"])):
        with assert_nothing_changed(actor.username), pytest.raises(TransitionRefused):
            officer_create(actor=actor, institution=institutions["furong"], **{**GOOD, "username": "cszyy09"})
    assert not User.objects.filter(username="cszyy09").exists()


def test_the_admin_add_form_goes_through_the_service(client, county_reviewer, institutions, monkeypatch):
    """INS-1: the admin parses the form and calls officer_create; the account is the service's."""
    calls = []
    real = officers.officer_create

    def spy(**kwargs):
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr("accounts.admin.officer_create", spy)
    client.force_login(county_reviewer)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "cszyy01",
            "real_name": "周敏",
            "phone": "13907310001",
            "institution": institutions["furong"].pk,
        },
    )
    assert response.status_code == 302
    officer = User.objects.get(username="cszyy01")
    assert response.url == reverse("admin:accounts_user_change", args=[officer.pk])
    assert len(calls) == 1 and calls[0]["actor"] == county_reviewer
    assert calls[0]["institution"] == institutions["furong"]
    assert officer.history.count() == 1  # one save, by the service


def test_the_admin_says_the_password_went_by_sms_and_never_shows_it(client, county_reviewer, institutions):
    """INS-1: the add form has no password fields; after saving, a message names the masked phone only."""
    client.force_login(county_reviewer)
    form_html = client.get(reverse("admin:accounts_user_add")).content.decode()
    assert 'name="password1"' not in form_html and 'name="password2"' not in form_html
    data = {"username": "cszyy01", "real_name": "周敏", "phone": "13907310001"}
    response = client.post(
        reverse("admin:accounts_user_add"), {**data, "institution": institutions["furong"].pk}, follow=True
    )
    html = response.content.decode()
    assert "初始密码已通过短信发送至 139****0001" in html
    password = sent_password("13907310001")
    assert password not in html
    change = client.get(reverse("admin:accounts_user_change", args=[User.objects.get(username="cszyy01").pk]))
    assert password not in change.content.decode()


def test_the_admin_refuses_an_officer_without_phone_and_writes_nothing(client, county_reviewer, institutions):
    """INS-1: no phone, no account: the password could not be delivered."""
    client.force_login(county_reviewer)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {"username": "cszyy01", "real_name": "周敏", "phone": "", "institution": institutions["furong"].pk},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["phone"]
    assert not User.objects.filter(username="cszyy01").exists()
    assert not OutboundMessage.objects.exists()


def test_the_superuser_creates_an_officer_through_the_service_too(
    client, superuser, institutions, monkeypatch
):
    """INS-1: the superuser's add form, role officer, also calls officer_create."""
    calls = []
    real = officers.officer_create
    monkeypatch.setattr("accounts.admin.officer_create", lambda **kw: calls.append(kw) or real(**kw))
    client.force_login(superuser)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "hetang01",
            "real_name": "周敏",
            "phone": "13907310002",
            "role": "officer",
            "institution": institutions["hetang"].pk,
        },
    )
    assert response.status_code == 302
    assert len(calls) == 1 and calls[0]["actor"] == superuser
    assert User.objects.get(username="hetang01").role == User.Role.OFFICER
    assert OutboundMessage.objects.filter(destination="13907310002").count() == 1


def test_the_superuser_still_types_a_reviewers_password(client, superuser, regions):
    """APP-3: a reviewer's account is not an officer's: its password is set in the form, no SMS."""
    from tests.factories import AuthorityFactory

    authority = AuthorityFactory()
    client.force_login(superuser)
    base = {
        "username": "shenpi01",
        "real_name": "李审",
        "phone": "",
        "role": "reviewer",
        "authority": authority.pk,
    }
    weak = client.post(
        reverse("admin:accounts_user_add"), {**base, "password1": "12345678", "password2": "12345678"}
    )
    assert weak.status_code == 200 and weak.context["adminform"].form.errors["password1"]
    response = client.post(
        reverse("admin:accounts_user_add"),
        {**base, "password1": "Review2026pass", "password2": "Review2026pass"},
    )
    assert response.status_code == 302
    reviewer = User.objects.get(username="shenpi01")
    assert (
        reviewer.is_staff and reviewer.check_password("Review2026pass") and not reviewer.must_change_password
    )
    assert not OutboundMessage.objects.exists()


@pytest.mark.parametrize("role", ["officer", "reviewer"])
def test_a_password_set_in_the_admin_is_replaced_at_the_next_login(client, superuser, institutions, role):
    """INS-1: a password someone else typed in the admin is one-time for an officer (like the SMS'd one);
    a reviewer's stays (the admin has no forced change)."""
    officer = UserFactory(officer=True, institution=institutions["furong"], username="resetme01")
    if role == "reviewer":
        officer = UserFactory(reviewer=True, username="resetme02")
    client.force_login(superuser)
    response = client.post(
        f"/admin/accounts/user/{officer.pk}/password/",
        {"password1": "Anew2026pass", "password2": "Anew2026pass", "usable_password": "true"},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    officer.refresh_from_db()
    assert officer.check_password("Anew2026pass")
    assert officer.must_change_password is (role == "officer")
