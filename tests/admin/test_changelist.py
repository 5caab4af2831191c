"""The changelists cost the same number of queries for 3 rows as for 30 (APP-3)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import InstitutionFactory, UserFactory


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_institution_changelist_query_count_is_constant(client, city_reviewer, regions):
    """APP-3: session, user, authority, count, rows with their region (select_related), filter lookups."""
    client.force_login(city_reviewer)
    url = reverse("admin:institutions_institution_changelist")
    InstitutionFactory.create_batch(3, region=regions["furong"])
    client.get(url)  # warm caches (content types, session)
    few = _queries(client, url)
    InstitutionFactory.create_batch(27, region=regions["tianxin"])
    assert _queries(client, url) == few


def test_officer_changelist_query_count_is_constant(client, province_reviewer, regions):
    """APP-3: officers are listed with their institution in the same query."""
    client.force_login(province_reviewer)
    url = reverse("admin:accounts_user_changelist")
    for _ in range(3):
        UserFactory(officer=True, institution__region=regions["furong"])
    client.get(url)
    few = _queries(client, url)
    for _ in range(27):
        UserFactory(officer=True, institution__region=regions["tianxin"])
    assert _queries(client, url) == few


def test_superuser_user_list_shows_masked_id_only(client, superuser, regions):
    """X-3: the superuser's user list shows the masked ID number, never the clear one or the ciphertext."""
    doctor = UserFactory(username="doctor02", id_number="430102199001011234")
    client.force_login(superuser)
    body = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert doctor.id_number_masked in body
    assert "430102199001011234" not in body
    body = client.get(reverse("admin:accounts_user_change", args=[doctor.pk])).content.decode()
    assert doctor.id_number_masked in body
    assert "430102199001011234" not in body
    assert doctor.id_number_cipher not in body
