"""Reviewers see and change only what lies in their authority's region (APP-1, APP-3)."""

import pytest
from django.urls import reverse

from accounts.models import User
from docregsys.reference.selectors import region_prefix_for
from institutions.models import Institution
from institutions.selectors import institution_list_for
from tests.factories import UserFactory

CHANGELIST = "admin:institutions_institution_changelist"


def change_url(obj):
    return reverse("admin:institutions_institution_change", args=[obj.pk])


def listed(client, user, url_name=CHANGELIST):
    client.force_login(user)
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    return {
        obj.name if hasattr(obj, "registration_number") else obj.username
        for obj in response.context["cl"].result_list
    }


def institution_post(institution, **overrides):
    data = {
        "name": institution.name,
        "registration_number": institution.registration_number,
        "region": institution.region_id,
        "address": institution.address,
        "postcode": institution.postcode,
        "is_active": "on",
        "licence_number": institution.licence_number,
        "licence_valid_until": "",
        "authority_settings-TOTAL_FORMS": "0",
        "authority_settings-INITIAL_FORMS": "0",
        "authority_settings-MIN_NUM_FORMS": "0",
        "authority_settings-MAX_NUM_FORMS": "4",
    }
    data.update(overrides)
    return data


def test_county_reviewer_sees_only_their_countys_institution(client, county_reviewer, institutions):
    """APP-3: four institutions in four counties, the 芙蓉区 reviewer's list holds one."""
    assert listed(client, county_reviewer) == {"芙蓉医院"}


def test_city_reviewer_sees_both_counties_of_the_city(client, city_reviewer, institutions):
    """APP-3: the 长沙市 reviewer sees 芙蓉区 and 天心区, not 株洲 or 湖北."""
    assert listed(client, city_reviewer) == {"芙蓉医院", "天心医院"}


def test_province_reviewer_sees_the_province(client, province_reviewer, institutions):
    """APP-3: the 湖南省 reviewer sees every Hunan institution, none of Hubei."""
    assert listed(client, province_reviewer) == {"芙蓉医院", "天心医院", "荷塘医院"}


def test_superuser_and_national_reviewer_see_everything(client, superuser, national_reviewer, institutions):
    """APP-3: the national level and the superuser are not limited by region."""
    everything = {"芙蓉医院", "天心医院", "荷塘医院", "江岸医院"}
    assert listed(client, superuser) == everything
    assert listed(client, national_reviewer) == everything


def test_other_countys_institution_by_url_is_404(client, county_reviewer, institutions):
    """APP-1/APP-3: outside scope is 'no such page', for the change, history and delete views."""
    client.force_login(county_reviewer)
    other = institutions["tianxin"]
    assert client.get(change_url(other)).status_code == 404
    assert client.get(reverse("admin:institutions_institution_history", args=[other.pk])).status_code == 404
    assert client.get(reverse("admin:institutions_institution_delete", args=[other.pk])).status_code == 404
    history_id = other.history.latest().history_id
    url = reverse("admin:institutions_institution_simple_history", args=[other.pk, history_id])
    assert client.get(url).status_code == 404


def test_other_countys_institution_cannot_be_changed_by_post(client, county_reviewer, institutions):
    """APP-3: a POST to an institution outside scope is a 404 and changes nothing."""
    client.force_login(county_reviewer)
    other = institutions["tianxin"]
    history_rows = other.history.count()
    response = client.post(change_url(other), institution_post(other, name="被篡改医院"))
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.name == "天心医院"
    assert other.history.count() == history_rows


def test_forged_post_with_region_outside_scope_is_refused(client, county_reviewer, institutions, regions):
    """APP-3: moving an institution out of the reviewer's county through a forged POST is refused."""
    client.force_login(county_reviewer)
    own = institutions["furong"]
    response = client.post(change_url(own), institution_post(own, region=regions["tianxin"].code))
    assert response.status_code == 200  # the form again, with an error on the region
    assert "region" in response.context["adminform"].form.errors
    own.refresh_from_db()
    assert own.region_id == "430102"


def test_adding_an_institution_outside_scope_is_refused(client, county_reviewer, regions):
    """APP-3: a new institution can only be placed in the reviewer's own region."""
    client.force_login(county_reviewer)
    data = institution_post(
        Institution(
            name="新医院", registration_number="PDY99999943010311A1001", region_id="430103", postcode="410000"
        ),
    )
    response = client.post(reverse("admin:institutions_institution_add"), data)
    assert response.status_code == 200
    assert not Institution.objects.filter(name="新医院").exists()


def test_region_choices_are_limited_to_scope(client, city_reviewer, institutions):
    """APP-3: the region field offers the city's regions only."""
    client.force_login(city_reviewer)
    response = client.get(change_url(institutions["furong"]))
    codes = set(response.context["adminform"].form.fields["region"].queryset.values_list("code", flat=True))
    assert codes == {"430100", "430102", "430103"}


def test_region_autocomplete_is_scoped(client, county_reviewer, institutions):
    """APP-3: the region autocomplete only offers regions in scope."""
    client.force_login(county_reviewer)
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "institutions", "model_name": "institution", "field_name": "region", "term": "区"},
    )
    assert response.status_code == 200
    assert {r["id"] for r in response.json()["results"]} == {"430102"}


def test_doctor_gets_no_admin(client, doctor, institutions):
    """APP-3: a doctor is not staff: the admin sends them to the login page."""
    client.force_login(doctor)
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 302
    assert reverse("admin:login") in response.url


def test_staff_without_reviewer_role_sees_nothing(client, institutions):
    """APP-3: deny by default: staff flag without the reviewer role and an authority grants nothing."""
    user = UserFactory(username="stafferx1", is_staff=True)
    client.force_login(user)
    assert client.get(reverse(CHANGELIST)).status_code == 403
    assert region_prefix_for(user) is None
    assert not institution_list_for(user=user).exists()


def test_reviewer_cannot_see_reviewer_accounts(client, county_reviewer, city_reviewer, institutions):
    """APP-3: the reviewer's user list holds officer accounts only, never reviewers."""
    officer = UserFactory(username="officer01", officer=True, institution=institutions["furong"])
    assert listed(client, county_reviewer, "admin:accounts_user_changelist") == {"officer01"}
    response = client.get(reverse("admin:accounts_user_change", args=[city_reviewer.pk]))
    assert response.status_code == 404
    assert officer.pk


def test_officer_list_is_scoped(client, county_reviewer, city_reviewer, institutions):
    """APP-3: officers of institutions outside the region are neither listed nor reachable."""
    for key in institutions:
        UserFactory(username=f"officer{key[:4]}", officer=True, institution=institutions[key])
    assert listed(client, county_reviewer, "admin:accounts_user_changelist") == {"officerfuro"}
    city_list = listed(client, city_reviewer, "admin:accounts_user_changelist")
    assert city_list == {"officerfuro", "officertian"}
    client.force_login(county_reviewer)
    other = User.objects.get(username="officertian")
    assert client.get(reverse("admin:accounts_user_change", args=[other.pk])).status_code == 404
    password_url = reverse("admin:auth_user_password_change", args=[other.pk])
    response = client.post(password_url, {"password1": "Hijack2026pass", "password2": "Hijack2026pass"})
    assert response.status_code == 404
    other.refresh_from_db()
    assert not other.check_password("Hijack2026pass")


def test_reviewer_creates_an_officer_only_within_scope(client, county_reviewer, institutions):
    """APP-3/INS-1: an officer is created with role forced to officer; an institution outside scope is refused."""
    client.force_login(county_reviewer)
    url = reverse("admin:accounts_user_add")
    data = {
        "username": "cszyy01",
        "real_name": "周敏",
        "phone": "13907310001",
        "institution": institutions["tianxin"].pk,
        "password1": "Officer2026pass",
        "password2": "Officer2026pass",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "institution" in response.context["adminform"].form.errors
    assert not User.objects.filter(username="cszyy01").exists()

    response = client.post(
        url, {**data, "institution": institutions["furong"].pk, "role": "reviewer", "is_staff": "on"}
    )
    assert response.status_code == 302
    officer = User.objects.get(username="cszyy01")
    assert officer.role == User.Role.OFFICER
    assert not officer.is_staff
    assert officer.institution == institutions["furong"]
    # INS-1: a password typed into the form is ignored: the service draws one and sends it by SMS.
    assert officer.must_change_password and not officer.check_password("Officer2026pass")


def test_officer_phone_is_validated(client, county_reviewer, institutions):
    """ID-5: a reviewer cannot give an officer an invalid mobile number."""
    client.force_login(county_reviewer)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "cszyy02",
            "real_name": "周敏",
            "phone": "1390731",
            "institution": institutions["furong"].pk,
            "password1": "Officer2026pass",
            "password2": "Officer2026pass",
        },
    )
    assert "phone" in response.context["adminform"].form.errors
    assert not User.objects.filter(username="cszyy02").exists()


@pytest.mark.parametrize("model", ["authority", "region"])
def test_reviewer_views_reference_data_read_only(client, county_reviewer, institutions, model):
    """APP-3: authorities and regions are read-only for reviewers."""
    client.force_login(county_reviewer)
    assert client.get(reverse(f"admin:reference_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:reference_{model}_add")).status_code == 403


def test_reviewer_cannot_delete_an_institution_with_history(client, county_reviewer, institutions):
    """APP-3: an institution that has been changed is deactivated, never deleted."""
    client.force_login(county_reviewer)
    own = institutions["furong"]
    own.name = "芙蓉医院（更名）"
    own.save()
    response = client.post(reverse("admin:institutions_institution_delete", args=[own.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert Institution.objects.filter(pk=own.pk).exists()

    response = client.post(
        reverse(CHANGELIST),
        {"action": "deactivate", "_selected_action": [own.pk, institutions["tianxin"].pk]},
    )
    assert response.status_code == 302
    own.refresh_from_db()
    institutions["tianxin"].refresh_from_db()
    assert own.is_active is False
    assert institutions["tianxin"].is_active is True  # outside scope: untouched
