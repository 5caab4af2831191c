"""Practice records in the reviewers' admin: read-only and scoped to the reviewer's region (APP-1, APP-3)."""

import pytest
from django.urls import reverse

from tests.factories import (
    AuthorityFactory,
    InstitutionFactory,
    PracticeRecordFactory,
    UserFactory,
    region_tree,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def furong_reviewer():
    _province, _city, furong, _tianxin = region_tree()
    return UserFactory(reviewer=True, authority=AuthorityFactory(region=furong))


def test_reviewer_sees_records_of_institutions_in_scope_only(client, furong_reviewer):
    """APP-1: a record of an institution in another county is a 404, the list shows only scope."""
    _province, _city, furong, tianxin = region_tree()
    mine = PracticeRecordFactory(real_name="王在册", main_institution=InstitutionFactory(region=furong))
    other = PracticeRecordFactory(real_name="赵外区", main_institution=InstitutionFactory(region=tianxin))
    client.force_login(furong_reviewer)

    page = client.get(reverse("admin:registrations_practicerecord_changelist"))
    assert page.status_code == 200
    assert "王在册" in page.text and "赵外区" not in page.text
    assert client.get(reverse("admin:registrations_practicerecord_change", args=[mine.pk])).status_code == 200
    assert (
        client.get(reverse("admin:registrations_practicerecord_change", args=[other.pk])).status_code == 404
    )


def test_records_are_read_only_and_never_show_the_clear_id_number(client, furong_reviewer):
    """X-3: the admin shows the masked ID; nobody edits a record by hand (only approvals do)."""
    _province, _city, furong, _tianxin = region_tree()
    record = PracticeRecordFactory(
        main_institution=InstitutionFactory(region=furong), id_number="430102199001011234"
    )
    client.force_login(furong_reviewer)

    page = client.get(reverse("admin:registrations_practicerecord_change", args=[record.pk]))
    assert "4301**********1234" in page.text
    assert "430102199001011234" not in page.text
    response = client.post(
        reverse("admin:registrations_practicerecord_change", args=[record.pk]), {"state": "deregistered"}
    )
    assert response.status_code == 403
    record.refresh_from_db()
    assert record.state == "valid"
