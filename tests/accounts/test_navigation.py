"""The menu per audience (ACC-8): the doctor's left menu of seed 002, only pages that exist, no queries."""

import pytest
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse

from accounts.context_processors import navigation
from institutions.views.menu import MENU
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def labels(client, path="/"):
    response = client.get(path)
    return [str(label) for label, _url, _current in response.context["nav_items"]]


def test_activated_doctor_gets_the_seed_menu_in_order(client):
    """ACC-8: 首页, 资格信息, 执业信息, 考核信息, 信息维护 (REG-8), 业务申请, 业务查询, 证书补办 (issue 10),
    电子证照 (issue 11), 安全设置, 资格补改指南, 帮助中心."""
    client.force_login(UserFactory(activated=True))
    assert labels(client) == [
        "首页",
        "资格信息",
        "执业信息",
        "考核信息",
        "信息维护",
        "业务申请",
        "业务查询",
        "证书补办",
        "电子证照",
        "安全设置",
        "资格补改指南",
        "帮助中心",
    ]


def test_every_doctor_menu_entry_resolves_to_a_real_route(client):
    client.force_login(UserFactory(activated=True))
    response = client.get(reverse("accounts:help"))
    for _label, url, _current in response.context["nav_items"]:
        assert url.startswith("/")


def test_unactivated_doctor_menu_holds_only_what_activation_needs(client):
    """ACC-5: before activation only 医师账户激活, 身份信息更新 (when built), 资格补改指南, 安全设置, 帮助中心."""
    client.force_login(UserFactory(phone_verified=True))
    got = labels(client, reverse("accounts:help"))
    try:
        reverse("accounts:identity_update")
        expected = ["医师账户激活", "身份信息更新", "资格补改指南", "安全设置", "帮助中心"]
    except NoReverseMatch:
        expected = ["医师账户激活", "资格补改指南", "安全设置", "帮助中心"]
    assert got == expected
    for hidden in ("资格信息", "执业信息", "考核信息"):
        assert hidden not in got


def test_current_entry_is_marked(client):
    client.force_login(UserFactory(activated=True))
    response = client.get(reverse("accounts:assessment"))
    current = [str(label) for label, _url, is_current in response.context["nav_items"] if is_current]
    assert current == ["考核信息"]
    assert (
        f'<a href="{reverse("accounts:assessment")}" aria-current="page">考核信息</a>'
        in response.content.decode()
    )


def test_public_officer_and_reviewer_navigation_unchanged(client):
    assert labels(client, reverse("accounts:help")) == ["首页", "资格补改指南"]
    client.force_login(UserFactory(officer=True))
    # INS-1 … INS-12: the officer's frame carries the console's seven menus of seed 002 chapter 3, each live.
    assert labels(client) == [str(label) for label, _entries in MENU]
    client.force_login(UserFactory(reviewer=True))
    assert labels(client) == ["首页", "审批管理", "资格补改指南"]


def test_doctor_navigation_reads_nothing_from_the_database(django_assert_num_queries):
    """The context processor runs on every page: for a doctor it uses only the loaded user row."""
    for user in (UserFactory(activated=True), UserFactory()):
        request = RequestFactory().get("/accounts/help/")
        request.user = user
        with django_assert_num_queries(0):
            context = navigation(request)
        assert context["nav_role_label"] == "医师"
        assert context["nav_tenant"] == ""
