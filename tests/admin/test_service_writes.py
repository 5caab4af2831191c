"""The admin writes through the reviewers' services (STYLE §1): the rule the API applies applies here too.

Each test takes one admin path (InstitutionAdmin, MaterialListAdmin, AnnouncementAdmin: add, change,
delete, bulk delete, revert) and a rule that lives only in the service; a refusal is an error message on
the page it came from, and leaves the database as it was.
"""

from django.contrib.admin.models import LogEntry
from django.urls import reverse

from docregsys.reference.models import Announcement
from institutions.models import Institution
from registrations.models import MaterialList
from tests import personas
from tests.admin.test_scoping import change_url, institution_post
from tests.factories import AnnouncementFactory

ZERO_WIDTH = "\u200b"


def refused(client, url, data) -> list[str]:
    """POST, follow the redirect back to the page and return the error messages shown there."""
    response = client.post(url, data, follow=True)
    assert response.redirect_chain == [(url, 302)]
    return [str(m) for m in response.context["messages"] if m.level_tag == "error"]


# ------------------------------------------------------------------------------------------ institutions


def test_institution_add_applies_the_services_rules(client, county_reviewer, regions, assert_nothing_changed):
    """APP-3: an invisible character in the 登记号 is refused by institution_create, as the API refuses it."""
    client.force_login(county_reviewer)
    url = reverse("admin:institutions_institution_add")
    data = institution_post(
        Institution(
            name="新医院", registration_number=f"PDY{ZERO_WIDTH}9999", region_id="430102", postcode="410000"
        )
    )
    with assert_nothing_changed("an add the service refuses"):
        shown = refused(client, url, data)
    assert shown == ["登记号含有看不见的特殊字符（如零宽字符或方向控制符），请删除后重新输入。"]


def test_institution_add_is_normalised_by_the_service(client, county_reviewer, regions):
    """APP-3: full-width input is NFKC-normalised by the service; history row and LogEntry by the reviewer."""
    client.force_login(county_reviewer)
    data = institution_post(
        Institution(
            name="新医院", registration_number="ＰＤＹ９９９９", region_id="430102", postcode="４１００００"
        )
    )
    response = client.post(reverse("admin:institutions_institution_add"), data)
    assert response.status_code == 302
    created = Institution.objects.get(name="新医院")
    assert (created.registration_number, created.postcode) == ("PDY9999", "410000")
    assert created.history.get().history_user == county_reviewer
    assert LogEntry.objects.get(object_id=str(created.pk)).user == county_reviewer


def test_institution_change_applies_the_services_rules(client, county_reviewer, institutions):
    """APP-3: an invisible character in the address is refused by institution_update; nothing is saved."""
    client.force_login(county_reviewer)
    own = institutions["furong"]
    rows = own.history.count()
    data = institution_post(own, name="改名医院", address=f"芙蓉路{ZERO_WIDTH}1号")
    assert refused(client, change_url(own), data) == [
        "地址含有看不见的特殊字符（如零宽字符或方向控制符），请删除后重新输入。"
    ]
    own.refresh_from_db()
    assert own.name == "芙蓉医院" and own.history.count() == rows
    assert not LogEntry.objects.exists()


# ------------------------------------------------------------------------------------------ material lists


def test_material_list_change_applies_the_services_rules(client, province_reviewer, assert_nothing_changed):
    """SPEC §12: an item over 200 characters is refused by material_list_set, as the API refuses it."""
    listed = MaterialList.objects.create(
        province=personas.region("province"), kind="register", items="身份证"
    )
    url = reverse("admin:registrations_materiallist_change", args=[listed.pk])
    client.force_login(province_reviewer)
    with assert_nothing_changed("a list the service refuses"):
        shown = refused(client, url, {"items": "身份证\n" + "照" * 201})
    assert shown == ["每项材料不能超过200个字。"]


def test_material_list_writes_are_refused_where_the_api_refuses_them(
    client, county_reviewer, province_reviewer, assert_nothing_changed
):
    """SPEC §12: a county bureau may not write (the admin asks the service's rule); the province may, with history."""
    listed = MaterialList.objects.create(
        province=personas.region("province"), kind="register", items="身份证"
    )
    change = reverse("admin:registrations_materiallist_change", args=[listed.pk])
    delete = reverse("admin:registrations_materiallist_delete", args=[listed.pk])
    client.force_login(county_reviewer)
    with assert_nothing_changed("a county bureau's writes"):
        assert client.post(reverse("admin:registrations_materiallist_add"), {"items": "x"}).status_code == 403
        assert client.post(change, {"items": "x"}).status_code == 403
        assert client.post(delete, {"post": "yes"}).status_code == 403
    client.force_login(province_reviewer)
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not MaterialList.objects.exists()
    assert listed.history.filter(history_type="-").get().history_user == province_reviewer


def test_material_list_province_and_type_are_fixed_once_created(client, province_reviewer):
    """SPEC §12: the change form saves the items of the list it shows, never another province's or type's."""
    listed = MaterialList.objects.create(
        province=personas.region("province"), kind="register", items="身份证"
    )
    client.force_login(province_reviewer)
    url = reverse("admin:registrations_materiallist_change", args=[listed.pk])
    response = client.post(url, {"province": "420000", "kind": "change", "items": "二寸照片"})
    assert response.status_code == 302
    assert MaterialList.objects.values_list("province_id", "kind", "items").get() == (
        "430000",
        "register",
        "二寸照片",
    )


# ------------------------------------------------------------------------------------------ announcements


def _notice_post(**overrides):
    data = {
        "region": "430000",
        "title": "医师电子化注册系统维护通知",
        "body": "",
        "is_active": "on",
        "publish_from_0": "2026-01-01",
        "publish_from_1": "08:00:00",
    }
    return {**data, **overrides}


def test_county_reviewer_cannot_edit_another_bureaus_announcement(
    client, county_reviewer, province_reviewer, assert_nothing_changed
):
    """APP-3: the province's notice is read-only to a county bureau (announcement_editable_by), by change and delete."""
    notice = AnnouncementFactory(region=personas.region("province"), authority=province_reviewer.authority)
    client.force_login(county_reviewer)
    with assert_nothing_changed("a county bureau's edit of the province's notice"):
        response = client.post(
            reverse("admin:reference_announcement_change", args=[notice.pk]), _notice_post(title="改")
        )
        assert response.status_code == 403
        response = client.post(
            reverse("admin:reference_announcement_delete", args=[notice.pk]), {"post": "yes"}
        )
        assert response.status_code == 403


def test_announcement_change_applies_the_services_rules(client, county_reviewer, assert_nothing_changed):
    """APP-3: a closing time before the publishing time is refused by announcement_update, as in the API."""
    notice = AnnouncementFactory(region=personas.region("province"), authority=county_reviewer.authority)
    url = reverse("admin:reference_announcement_change", args=[notice.pk])
    client.force_login(county_reviewer)
    bad = _notice_post(publish_until_0="2025-12-31", publish_until_1="08:00:00")
    with assert_nothing_changed("a period the service refuses"):
        assert refused(client, url, bad) == ["截止时间应晚于发布时间。"]
        assert refused(client, url, _notice_post(title=f"维护{ZERO_WIDTH}通知")) == [
            "标题含有看不见的特殊字符（如零宽字符或方向控制符），请删除后重新输入。"
        ]
    assert client.post(url, _notice_post(title="维护通知")).status_code == 302
    notice.refresh_from_db()
    assert notice.title == "维护通知" and notice.history.latest().history_user == county_reviewer


def test_announcement_bulk_delete_goes_through_the_service(
    client, county_reviewer, province_reviewer, assert_nothing_changed
):
    """APP-3: 'delete selected' is refused when one notice is not the bureau's own; its own goes, with history."""
    own = AnnouncementFactory(region=personas.region("province"), authority=county_reviewer.authority)
    theirs = AnnouncementFactory(region=personas.region("province"), authority=province_reviewer.authority)
    url = reverse("admin:reference_announcement_changelist")
    client.force_login(county_reviewer)
    data = {"action": "delete_selected", "_selected_action": [own.pk, theirs.pk], "post": "yes"}
    with assert_nothing_changed("a batch with another bureau's notice"):
        assert client.post(url, data).status_code == 403
    response = client.post(url, {**data, "_selected_action": [own.pk]})
    assert response.status_code == 302
    assert list(Announcement.objects.all()) == [theirs]
    assert own.history.filter(history_type="-").get().history_user == county_reviewer


def test_superuser_may_name_the_publishing_authority(client, superuser, province_reviewer):
    """APP-3: a reviewer's notice is their authority's; the superuser sets one through the same service."""
    client.force_login(superuser)
    data = _notice_post(authority=province_reviewer.authority_id)
    assert client.post(reverse("admin:reference_announcement_add"), data).status_code == 302
    assert Announcement.objects.get().authority == province_reviewer.authority


def test_announcement_revert_goes_through_the_service(client, county_reviewer, assert_nothing_changed):
    """APP-4: reverting to a past version is a change like any other: the service's rules and history apply."""
    notice = AnnouncementFactory(region=personas.region("province"), authority=county_reviewer.authority)
    version = notice.history.get().history_id
    url = reverse("admin:reference_announcement_simple_history", args=[notice.pk, version])
    client.force_login(county_reviewer)
    bad = _notice_post(publish_until_0="2025-12-31", publish_until_1="08:00:00")
    with assert_nothing_changed("a revert the service refuses"):
        assert refused(client, url, bad) == ["截止时间应晚于发布时间。"]
    assert client.post(url, _notice_post(title="ＡＢ维护通知")).status_code == 302
    notice.refresh_from_db()
    assert notice.title == "AB维护通知" and notice.history.latest().history_user == county_reviewer
