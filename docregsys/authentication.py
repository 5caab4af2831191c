"""API tokens that expire (API-1): a token is valid for API_TOKEN_TTL_HOURS after it was issued.

The login (POST /api/v1/accounts/token/) hands out the current token, or a new one once it has
expired. An expired token is refused with 401 and ``WWW-Authenticate: Token`` (code ``token_expired``):
the client logs in again.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

TOKEN_EXPIRED = _("登录令牌已过期，请重新获取令牌（POST /api/v1/accounts/token/）。")


def token_lifetime() -> dt.timedelta:
    return dt.timedelta(hours=settings.API_TOKEN_TTL_HOURS)


def token_expired(token: Token, *, now=None) -> bool:
    return token.created + token_lifetime() <= (now or timezone.now())


def token_expires_at(token: Token) -> dt.datetime:
    return token.created + token_lifetime()


class TokenExpired(exceptions.AuthenticationFailed):
    default_detail = TOKEN_EXPIRED
    default_code = "token_expired"


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, refusing tokens older than API_TOKEN_TTL_HOURS (absolute, not idle)."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token_expired(token):
            token.delete()  # of no use to anyone any more
            raise TokenExpired()
        return user, token


@transaction.atomic
def token_issue(*, user) -> Token:
    """The user's current token, or a new one (new key, new lifetime) in place of an expired one."""
    token = Token.objects.select_for_update().filter(user=user).first()
    if token is not None and not token_expired(token):
        return token
    if token is not None:
        token.delete()
    return Token.objects.create(user=user)
