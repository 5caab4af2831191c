"""One-time codes (ACC-4, ACC-6): quotas, issuing through the outbox, checking atomically.

Every counter here is a conditional UPDATE that commits on its own: call `code_confirm` and
`quota_take` *outside* any transaction that a refusal would roll back, or a wrong guess would
not be counted.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _

from docregsys.exceptions import TransitionRefused
from docregsys.identity.normalize import normalize_code
from docregsys.messaging.models import Channel
from docregsys.messaging.services import message_enqueue

from ..models import SendQuota, User, VerificationCode

TOO_SOON = _("获取校验码过于频繁，请一分钟后再试。")
DAILY_LIMIT = _("今日获取校验码的次数已达上限，请明天再试。")
CODE_INVALID = _("校验码不正确，请重新输入。")
CODE_EXPIRED = _("校验码已失效，请重新获取。")
CODE_LOCKED = _("校验码输入错误次数过多，请重新获取。")


def digest(value: str, *, purpose: str = "destination") -> str:
    """A keyed digest of a phone, e-mail, IP address …: stored instead of the clear value."""
    return salted_hmac(f"docregsys.codes.{purpose}", (value or "").strip().lower()).hexdigest()


def client_ip(request) -> str:
    """The client address as axes sees it (the same trust in proxies)."""
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or ""


# ---------------------------------------------------------------------------------------- quotas


def _quota_take_one(key: str, *, interval: dt.timedelta, daily_limit: int, now: dt.datetime) -> None:
    today = timezone.localdate(now)
    SendQuota.objects.get_or_create(
        key=key, defaults={"day": today, "last_sent_at": now - dt.timedelta(days=1)}
    )
    rows = (
        SendQuota.objects.filter(key=key, last_sent_at__lte=now - interval)
        .filter(Q(day__lt=today) | Q(day_count__lt=daily_limit))
        .update(
            day_count=Case(When(day=today, then=F("day_count") + 1), default=Value(1)),
            day=today,
            last_sent_at=now,
        )
    )
    if rows != 1:
        quota = SendQuota.objects.get(key=key)
        if quota.last_sent_at > now - interval:
            raise TransitionRefused(TOO_SOON, code="too_soon")
        raise TransitionRefused(DAILY_LIMIT, code="daily_limit")


def quota_take(*keys: str, interval_seconds: int | None = None, daily_limit: int | None = None) -> None:
    """Count one send against every key (all or none); refuse when any is within a minute or over the day."""
    interval = dt.timedelta(
        seconds=settings.CODE_RESEND_SECONDS if interval_seconds is None else interval_seconds
    )
    limit = settings.CODE_DAILY_LIMIT if daily_limit is None else daily_limit
    now = timezone.now()
    with transaction.atomic():  # a refusal on the client key gives back the phone key's count
        for key in keys:
            _quota_take_one(key, interval=interval, daily_limit=limit, now=now)


def send_quota_take(*, destination: str, client: str) -> None:
    """ACC-4: once a minute and CODE_DAILY_LIMIT a day, per phone/e-mail and per client."""
    quota_take(f"to:{digest(destination)}", f"ip:{digest(client, purpose='client')}")


# ----------------------------------------------------------------------------------------- codes


def _hash(destination_digest: str, code: str) -> str:
    return salted_hmac("docregsys.codes.code", f"{destination_digest}:{code}").hexdigest()


def _text(purpose: str, code: str, minutes: int) -> str:
    if purpose == VerificationCode.Purpose.RECOVER:
        action = _("找回登录账户")
    elif purpose == VerificationCode.Purpose.CHANGE:
        action = _("更换手机号码或邮箱")
    elif purpose == VerificationCode.Purpose.LOGIN:
        action = _("登录医疗机构版系统")
    else:
        action = _("验证手机号码或邮箱")
    return str(
        _("【医师电子化注册】您正在%(action)s，校验码为 %(code)s，%(minutes)s 分钟内有效。请勿告诉他人。")
        % {"action": action, "code": code, "minutes": minutes}
    )


def code_issue(*, purpose: str, channel: str, destination: str, user: User | None = None) -> VerificationCode:
    """Create a code and put it in the outbox. Earlier unused codes for the same purpose stop working."""
    now = timezone.now()
    dest = digest(destination)
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic():
        VerificationCode.objects.filter(
            destination_digest=dest, purpose=purpose, used_at__isnull=True
        ).update(expires_at=now)
        record = VerificationCode.objects.create(
            purpose=purpose,
            channel=channel,
            destination_digest=dest,
            user=user,
            code_hash=_hash(dest, code),
            expires_at=now + dt.timedelta(seconds=settings.CODE_TTL_SECONDS),
        )
        text = _text(purpose, code, settings.CODE_TTL_SECONDS // 60)
        subject = str(_("医师电子化注册信息系统校验码")) if channel == Channel.EMAIL else ""
        message_enqueue(channel=channel, destination=destination, body=text, subject=subject)
    return record


def code_confirm(*, purpose: str, destination: str, code: str, user: User | None = None) -> VerificationCode:
    """Check a code typed by the user; on success it is used up. Each guess counts (max CODE_MAX_ATTEMPTS)."""
    now = timezone.now()
    dest = digest(destination)
    codes = VerificationCode.objects.filter(destination_digest=dest, purpose=purpose)
    if user is not None:
        codes = codes.filter(user=user)
    record = codes.order_by("-created_at", "-pk").first()
    if record is None or record.used_at is not None or record.expires_at <= now:
        raise TransitionRefused(CODE_EXPIRED, code="code_expired", field="code")
    # Count the guess first, atomically: two parallel guesses cannot both be "the fifth".
    counted = VerificationCode.objects.filter(
        pk=record.pk, attempts__lt=settings.CODE_MAX_ATTEMPTS, used_at__isnull=True
    ).update(attempts=F("attempts") + 1)
    if counted != 1:
        # Either the attempts are used up, or a parallel request used the code meanwhile: say which.
        if VerificationCode.objects.filter(pk=record.pk, used_at__isnull=False).exists():
            raise TransitionRefused(CODE_EXPIRED, code="code_expired", field="code")
        raise TransitionRefused(CODE_LOCKED, code="code_locked", field="code")
    if not constant_time_compare(_hash(dest, normalize_code(code)), record.code_hash):
        raise TransitionRefused(CODE_INVALID, code="code_invalid", field="code")
    used = VerificationCode.objects.filter(pk=record.pk, used_at__isnull=True, expires_at__gt=now).update(
        used_at=now
    )
    if used != 1:
        raise TransitionRefused(CODE_EXPIRED, code="code_expired", field="code")
    record.used_at = now
    return record
