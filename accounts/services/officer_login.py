"""INS-1: the second step of an officer's login: an SMS code on the first login and from unknown browsers.

A browser becomes "known" for one officer when that officer confirms a code in it: it then holds a random
token (in a signed cookie, set by the view) whose keyed digest is a `KnownDevice` row. Codes reuse
accounts.services.codes (purpose LOGIN): single use, expiry, counted guesses, send quotas. As there,
`officer_login_code_confirm` must run outside any transaction a refusal would roll back.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from docregsys.exceptions import TransitionRefused
from docregsys.messaging.models import Channel

from ..models import KnownDevice, User, VerificationCode
from .codes import code_confirm, code_issue, send_quota_take

NO_PHONE = _("您的账户没有登记手机号码，无法接收登录校验码。请联系为您开通账户的卫生健康行政部门。")
NOT_OFFICER = _("该入口仅供医疗机构注册管理员登录。")
DEVICE_LABEL_MAX_LENGTH = 120


def device_digest(token: str) -> str:
    """The keyed digest of a device token: what the database keeps instead of the token."""
    return salted_hmac("docregsys.console.device", token or "").hexdigest()


def officer_login_refusal(user: User) -> TransitionRefused | None:
    """Why this account may not log in to the institution console (None when it may)."""
    if not user.is_officer or user.is_superuser or not user.institution_id or not user.is_active:
        return TransitionRefused(NOT_OFFICER, code="not_officer")
    return None


def officer_device_known(*, user: User, token: str | None) -> bool:
    """This browser's token names a device the officer confirmed with a code; its last use is noted."""
    if not token:
        return False
    seen = KnownDevice.objects.filter(user=user, token_digest=device_digest(token)).update(
        last_seen_at=timezone.now()
    )
    return seen == 1


def officer_login_code_send(*, user: User, client: str) -> str:
    """Send a 6-digit login code to the officer's registered phone (quotas per phone and client); returns it."""
    refusal = officer_login_refusal(user)
    if refusal is not None:
        raise refusal
    if not user.phone:
        raise TransitionRefused(NO_PHONE, code="no_phone")
    send_quota_take(destination=user.phone, client=client)
    code_issue(purpose=VerificationCode.Purpose.LOGIN, channel=Channel.SMS, destination=user.phone, user=user)
    return user.phone


def officer_login_code_confirm(*, user: User, code: str) -> None:
    """Check the login code (each guess counted, CODE_MAX_ATTEMPTS at most; single use; expires)."""
    refusal = officer_login_refusal(user)
    if refusal is not None:
        raise refusal
    if not user.phone:
        raise TransitionRefused(NO_PHONE, code="no_phone")
    code_confirm(purpose=VerificationCode.Purpose.LOGIN, destination=user.phone, code=code, user=user)


def officer_device_remember(*, user: User, label: str = "") -> str:
    """Make this browser known for the officer (after a confirmed code); returns the token for its cookie."""
    token = secrets.token_urlsafe(32)
    KnownDevice.objects.create(
        user=user, token_digest=device_digest(token), label=(label or "")[:DEVICE_LABEL_MAX_LENGTH]
    )
    return token


def code_minutes() -> int:
    return settings.CODE_TTL_SECONDS // 60
