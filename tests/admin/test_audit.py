"""Every admin change leaves a history row: who, when, what, before and after (APP-4)."""

from django.urls import reverse

from accounts.models import User
from docregsys.reference.models import Announcement
from institutions.models import InstitutionAuthority
from tests.admin.test_scoping import change_url, institution_post
from tests.factories import AuthorityFactory


def test_changing_an_institution_records_who_and_what(client, county_reviewer, institutions):
    """APP-4: the historical row names the reviewer, and its diff shows the old and the new name."""
    client.force_login(county_reviewer)
    own = institutions["furong"]
    response = client.post(change_url(own), institution_post(own, name="长沙市芙蓉区人民医院"))
    assert response.status_code == 302

    latest = own.history.latest()
    assert latest.history_type == "~"
    assert latest.history_user == county_reviewer
    delta = latest.diff_against(latest.prev_record)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("name", "芙蓉医院", "长沙市芙蓉区人民医院")]


def test_adding_an_authority_setting_inline_is_audited(client, county_reviewer, institutions, regions):
    """APP-4/INS-2: an INS-2 row added through the inline has its own history row by the reviewer."""
    client.force_login(county_reviewer)
    own = institutions["furong"]
    county_authority = county_reviewer.authority
    data = institution_post(
        own,
        **{
            "authority_settings-TOTAL_FORMS": "1",
            "authority_settings-0-category": "clinical",
            "authority_settings-0-authority": county_authority.pk,
        },
    )
    response = client.post(change_url(own), data)
    assert response.status_code == 302
    setting = InstitutionAuthority.objects.get(institution=own)
    assert setting.authority == county_authority
    assert setting.history.get().history_user == county_reviewer


def test_authority_setting_outside_the_chain_is_refused(client, county_reviewer, institutions, regions):
    """INS-2: 临床 must go to a health commission of the institution's own county, city or province."""
    client.force_login(county_reviewer)
    own = institutions["furong"]
    tcm = AuthorityFactory(region=regions["province"], kind="tcm", name="湖南省中医药管理局")
    elsewhere = AuthorityFactory(region=regions["tianxin"], name="天心区卫生健康局")
    choices = (
        client.get(change_url(own)).context["inline_admin_formsets"][0].formset.form.base_fields["authority"]
    )
    assert elsewhere not in choices.queryset
    for authority, category in [(tcm, "clinical"), (elsewhere, "clinical")]:
        data = institution_post(
            own,
            **{
                "authority_settings-TOTAL_FORMS": "1",
                "authority_settings-0-category": category,
                "authority_settings-0-authority": authority.pk,
            },
        )
        assert client.post(change_url(own), data).status_code == 200
    assert not InstitutionAuthority.objects.filter(institution=own).exists()
    data["authority_settings-0-category"] = "tcm"
    data["authority_settings-0-authority"] = tcm.pk
    assert client.post(change_url(own), data).status_code == 302
    assert InstitutionAuthority.objects.get(institution=own).authority == tcm


def test_reviewers_announcement_is_their_provinces_and_audited(client, county_reviewer, regions):
    """APP-3/APP-4: the notice lands in the reviewer's province, published by their authority, with history."""
    client.force_login(county_reviewer)
    url = reverse("admin:reference_announcement_add")
    form = client.get(url).context["adminform"].form
    assert list(form.fields["region"].queryset.values_list("code", flat=True)) == ["430000"]
    data = {
        "region": "430000",
        "title": "医师资格考试通过人员相关电子化注册业务 尚未开始 请等待通知",
        "body": "",
        "is_active": "on",
        "publish_from_0": "2026-01-01",
        "publish_from_1": "08:00:00",
    }
    assert client.post(url, {**data, "region": "420000"}).status_code == 200  # another province: refused
    assert not Announcement.objects.exists()
    assert client.post(url, data).status_code == 302
    notice = Announcement.objects.get()
    assert notice.authority == county_reviewer.authority
    assert notice.history.get().history_user == county_reviewer


def test_officer_account_changes_are_audited(client, county_reviewer, institutions):
    """APP-4: creating an officer account leaves a history row by the reviewer, without the password."""
    client.force_login(county_reviewer)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "furong01",
            "real_name": "周敏",
            "phone": "13907310001",
            "institution": institutions["furong"].pk,
            "password1": "Officer2026pass",
            "password2": "Officer2026pass",
        },
    )
    assert response.status_code == 302
    officer = User.objects.get(username="furong01")
    row = officer.history.get()
    assert row.history_user == county_reviewer
    assert not hasattr(row, "password")
