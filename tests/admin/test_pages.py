"""Every admin page a reviewer or the superuser can reach renders (APP-3)."""

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from tests.factories import AnnouncementFactory, UserFactory

OUR_APPS = {"accounts", "reference", "messaging", "institutions", "registrations"}


@pytest.mark.parametrize("persona", ["county_reviewer", "superuser"])
def test_every_changelist_add_and_change_page_renders(client, request, persona, institutions, regions):
    """APP-3: the pages answer 200 (or 403 where the role may not act), never a server error."""
    user = request.getfixturevalue(persona)
    officer = UserFactory(username="officer01", officer=True, institution=institutions["furong"])
    notice = AnnouncementFactory(
        region=regions["province"], authority=request.getfixturevalue("county_reviewer").authority
    )
    client.force_login(user)
    assert client.get(reverse("admin:index")).status_code == 200
    objects = {"institution": institutions["furong"], "user": officer, "announcement": notice}
    for model, _model_admin in admin.site._registry.items():
        opts = model._meta
        if opts.app_label not in OUR_APPS:
            continue
        try:
            changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        except NoReverseMatch:
            continue
        assert client.get(changelist).status_code in (200, 403), changelist
        add = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
        assert client.get(add).status_code in (200, 403), add
        if opts.model_name in objects:
            obj = objects[opts.model_name]
            change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
            assert client.get(change).status_code == 200, change
            history = reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk])
            assert client.get(history).status_code == 200, history
