"""API-1: API tokens expire API_TOKEN_TTL_HOURS after issue; an expired one is a 401 in the errors shape."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from docregsys.authentication import token_issue
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ME = "/api/v1/accounts/me/"


@pytest.fixture(autouse=True)
def captcha_passes(monkeypatch):
    monkeypatch.setattr("captcha.conf.settings.CAPTCHA_TEST_MODE", True)


def _age(token, hours):
    Token.objects.filter(pk=token.pk).update(created=timezone.now() - dt.timedelta(hours=hours))


def _client(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def test_a_token_within_its_lifetime_works(settings):
    settings.API_TOKEN_TTL_HOURS = 24
    token = token_issue(user=UserFactory(activated=True))
    _age(token, 23)
    assert _client(token).get(ME).status_code == 200


def test_an_expired_token_is_a_401_with_a_chinese_message_and_is_deleted(settings):
    """API-1: token_expired, 401, WWW-Authenticate: Token; the token row is gone."""
    settings.API_TOKEN_TTL_HOURS = 24
    user = UserFactory(activated=True)
    token = token_issue(user=user)
    _age(token, 25)
    response = _client(token).get(ME)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")
    error = response.json()["errors"][0]
    assert error["code"] == "token_expired"
    assert "令牌已过期" in error["message"]
    assert not Token.objects.filter(user=user).exists()


def test_an_expired_token_is_refused_on_public_operations_too(settings):
    settings.API_TOKEN_TTL_HOURS = 1
    token = token_issue(user=UserFactory(activated=True))
    _age(token, 2)
    response = _client(token).get("/api/schema/?format=json")
    assert response.status_code == 401


def test_token_issue_reuses_a_live_token_and_replaces_an_expired_one(settings):
    settings.API_TOKEN_TTL_HOURS = 24
    user = UserFactory()
    first = token_issue(user=user)
    assert token_issue(user=user).key == first.key
    _age(first, 30)
    renewed = token_issue(user=user)
    assert renewed.key != first.key
    assert Token.objects.filter(user=user).count() == 1


def test_login_after_expiry_hands_out_a_new_token_with_its_expiry(settings):
    """ACC-2 + API-1: POST token/ answers the token and when it expires; an expired one is renewed."""
    settings.API_TOKEN_TTL_HOURS = 24
    user = UserFactory(username="doctor01")
    old = token_issue(user=user)
    _age(old, 48)
    response = APIClient().post(
        reverse("accounts-api:token"),
        {"username": "doctor01", "password": "Passw0rd2024", "captcha_key": "k", "captcha_value": "PASSED"},
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["token"] != old.key
    expires = dt.datetime.fromisoformat(body["expires_at"])
    assert dt.timedelta(hours=23) < expires - timezone.now() <= dt.timedelta(hours=24)
