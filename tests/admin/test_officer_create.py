"""INS-1: an officer account is created by the `officer_create` service; the admin form only parses and calls it."""

import pytest
from django.urls import reverse

from accounts.models import User
from accounts.services import officers
from accounts.services.officers import officer_create
from docregsys.exceptions import TransitionRefused
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

GOOD = {"username": "cszyy01", "real_name": "周敏", "phone": "13907310001", "password": "Officer2026pass"}


def test_reviewer_creates_an_officer_of_an_institution_in_scope(county_reviewer, institutions):
    """INS-1: role forced to officer, no admin access, the password set."""
    officer = officer_create(actor=county_reviewer, institution=institutions["furong"], **GOOD)
    officer.refresh_from_db()
    assert officer.role == User.Role.OFFICER and officer.institution == institutions["furong"]
    assert not officer.is_staff and not officer.is_superuser and officer.authority is None
    assert officer.check_password("Officer2026pass")


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"institution": "tianxin"}, "institution", "out_of_scope"),
        ({"institution": None}, "institution", "out_of_scope"),
        ({"password": "12345678"}, "password", "password_weak"),
        ({"password": "cszyy01abc"}, "password", "password_weak"),
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
            "password1": "Officer2026pass",
            "password2": "Officer2026pass",
        },
    )
    assert response.status_code == 302
    officer = User.objects.get(username="cszyy01")
    assert response.url == reverse("admin:accounts_user_change", args=[officer.pk])
    assert len(calls) == 1 and calls[0]["actor"] == county_reviewer
    assert calls[0]["institution"] == institutions["furong"]
    assert officer.history.count() == 1  # one save, by the service


def test_the_admin_shows_the_services_password_rule_and_writes_nothing(client, county_reviewer, institutions):
    """ID-4: a weak password is refused on its field in the add form; no account appears."""
    client.force_login(county_reviewer)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "cszyy01",
            "real_name": "周敏",
            "phone": "13907310001",
            "institution": institutions["furong"].pk,
            "password1": "12345678",
            "password2": "12345678",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert not User.objects.filter(username="cszyy01").exists()


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
            "password1": "Officer2026pass",
            "password2": "Officer2026pass",
        },
    )
    assert response.status_code == 302
    assert len(calls) == 1 and calls[0]["actor"] == superuser
    assert User.objects.get(username="hetang01").role == User.Role.OFFICER
