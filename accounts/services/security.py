"""Security settings (ACC-4, ACC-7): verifying and changing the phone and e-mail, changing the password.

Codes and the old-password counter are checked *outside* any transaction (they must stay counted
when the action is refused); the write that follows a good code runs in its own atomic block and
re-checks, under a row lock, that no other account verified the same phone or e-mail meanwhile.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.models import Token

from docregsys.exceptions import TransitionRefused
from docregsys.messaging.models import Channel
from docregsys.messaging.services import message_enqueue

from ..channels import CHANNELS, ContactChannel
from ..models import SendQuota, User, VerificationCode
from .codes import code_confirm, code_issue, digest, quota_take, send_quota_take
from .passwords import password_policy_check

PASSWORD_WRONG = _("当前登录密码不正确。")
PASSWORD_LOCKED = _("当前登录密码输入错误次数过多，请明天再试。")
PASSWORD_SAME = _("新密码不能与当前密码相同。")

# Wrong current passwords accepted per account and day before the security forms lock (ACC-7):
# a hijacked session must not become a password-guessing oracle.
OLD_PASSWORD_DAILY_LIMIT = 10


# ---------------------------------------------------------------------------------------- helpers


def _clean(channel: ContactChannel, value: str) -> str:
    try:
        return channel.validate(value)
    except ValidationError as exc:
        raise TransitionRefused(exc.messages[0], code=exc.code or "invalid", field=channel.name) from None


def _taken(channel: ContactChannel, value: str, *, user: User) -> bool:
    """Another account has verified this phone / e-mail."""
    return User.objects.filter(**channel.lookup(value)).exclude(pk=user.pk).exists()


def _refuse_taken(channel: ContactChannel) -> TransitionRefused:
    return TransitionRefused(channel.taken, code=f"{channel.name}_taken", field=channel.name)


def _quota(*, destination: str, client: str, field: str) -> None:
    try:
        send_quota_take(destination=destination, client=client)
    except TransitionRefused as exc:
        exc.field = exc.field or field
        raise


def _old_password_check(*, user: User, password: str, field: str = "password") -> None:
    """Refuse a wrong current password, counting it; after OLD_PASSWORD_DAILY_LIMIT a day, refuse all."""
    key = f"oldpw:{user.pk}"
    today = timezone.localdate()
    if SendQuota.objects.filter(key=key, day=today, day_count__gte=OLD_PASSWORD_DAILY_LIMIT).exists():
        raise TransitionRefused(PASSWORD_LOCKED, code="password_locked", field=field)
    if not user.check_password(password or ""):
        try:
            quota_take(key, interval_seconds=0, daily_limit=OLD_PASSWORD_DAILY_LIMIT)
        except TransitionRefused:
            pass  # already at the limit: the next try is refused above
        raise TransitionRefused(PASSWORD_WRONG, code="password_invalid", field=field)


def _notify(*, channel: ContactChannel, destination: str, text) -> None:
    """Tell the owner of a phone / mailbox that something changed on the account."""
    subject = str(_("医师电子化注册信息系统安全提醒")) if channel.message_channel == Channel.EMAIL else ""
    message_enqueue(channel=channel.message_channel, destination=destination, body=str(text), subject=subject)


def _locked_user(user: User) -> User:
    return User.objects.select_for_update().get(pk=user.pk)


def _claim(*, channel: ContactChannel, user: User, value: str) -> str:
    """Make `value` the account's verified phone / e-mail (the code was right); returns the old verified one.

    Re-checked under the row lock; the database's unique constraint settles a race with another account.
    """
    with transaction.atomic():
        locked = _locked_user(user)
        if _taken(channel, value, user=user):
            raise _refuse_taken(channel)
        old = channel.value_of(locked) if channel.is_verified(locked) else ""
        setattr(locked, channel.name, value)
        setattr(locked, channel.verified_at_field, timezone.now())
        try:
            with transaction.atomic():
                locked.save(update_fields=[channel.name, channel.verified_at_field])
        except IntegrityError as exc:
            raise _refuse_taken(channel) from exc
        if old and channel.fold(old) != channel.fold(value):
            # The owner of the old phone / mailbox is told, never shown the new value in clear.
            _notify(
                channel=channel,
                destination=old,
                text=channel.changed_notice % {channel.name: channel.mask(value)},
            )
    setattr(user, channel.name, value)
    setattr(user, channel.verified_at_field, getattr(locked, channel.verified_at_field))
    return old


# ------------------------------------------------------------------------------ ACC-4 verification


def contact_verify_send(*, channel: ContactChannel, user: User, value: str, client: str) -> str:
    """Send a code to the phone / e-mail the user typed (the one given at sign-up, or a correction); returns it."""
    value = _clean(channel, value)
    if channel.is_verified(user):
        raise TransitionRefused(channel.already_verified, code="already_verified", field=channel.name)
    if _taken(channel, value, user=user):
        raise _refuse_taken(channel)
    _quota(destination=value, client=client, field=channel.name)
    with transaction.atomic():
        if channel.value_of(user) != value:
            # An unverified value is only a candidate: the doctor may correct it until it is verified.
            User.objects.filter(pk=user.pk, **{f"{channel.verified_at_field}__isnull": True}).update(
                **{channel.name: value}
            )
            setattr(user, channel.name, value)
        code_issue(
            purpose=VerificationCode.Purpose.VERIFY,
            channel=channel.message_channel,
            destination=value,
            user=user,
        )
    return value


def contact_verify_confirm(*, channel: ContactChannel, user: User, value: str, code: str) -> None:
    """Check the code; on success the phone / e-mail is the account's verified one (ACC-4)."""
    value = _clean(channel, value)
    if channel.is_verified(user):
        raise TransitionRefused(channel.already_verified, code="already_verified", field=channel.name)
    code_confirm(purpose=VerificationCode.Purpose.VERIFY, destination=value, code=code, user=user)
    _claim(channel=channel, user=user, value=value)


# ------------------------------------------------------------------------------- ACC-7 changes


def password_change(
    *, user: User, old_password: str, new_password: str, keep_token: str | None = None
) -> None:
    """Change the password; every other session dies (session hash) and API tokens but `keep_token` go."""
    _old_password_check(user=user, password=old_password, field="old_password")
    if old_password == new_password:
        raise TransitionRefused(PASSWORD_SAME, code="password_same", field="new_password")
    password_policy_check(password=new_password, user=user, field="new_password")
    now = timezone.now()
    with transaction.atomic():
        user.set_password(new_password)
        user.must_change_password = False  # INS-1: the initial password is replaced
        user.save(update_fields=["password", "must_change_password"])
        tokens = Token.objects.filter(user=user)
        if keep_token:
            tokens = tokens.exclude(key=keep_token)
        tokens.delete()
        # ACC-6: recovery codes still in flight die with the old password.
        # (Recovery may issue codes without naming the account: match its phone and e-mail too.)
        destinations = [digest(v) for v in (user.phone, user.email) if v]
        VerificationCode.objects.filter(
            Q(user=user) | Q(destination_digest__in=destinations),
            purpose=VerificationCode.Purpose.RECOVER,
            used_at__isnull=True,
            expires_at__gt=now,
        ).update(expires_at=now)
        text = _(
            "【医师电子化注册】您账户的登录密码已修改。如非本人操作，请立即通过“找回您的登录账户”重置密码。"
        )
        for channel in CHANNELS.values():
            if channel.is_verified(user):
                _notify(channel=channel, destination=channel.value_of(user), text=text)


def contact_change_send(
    *, channel: ContactChannel, user: User, password: str, value: str, client: str
) -> str:
    """ACC-7: after the current password, send a code to the NEW phone / e-mail; nothing changes yet."""
    value = _clean(channel, value)
    if not channel.is_verified(user):
        raise TransitionRefused(channel.not_verified, code="not_verified", field=channel.name)
    _old_password_check(user=user, password=password)
    if channel.fold(value) == channel.fold(channel.value_of(user)):
        raise TransitionRefused(channel.same, code=f"{channel.name}_same", field=channel.name)
    if _taken(channel, value, user=user):
        raise _refuse_taken(channel)
    _quota(destination=value, client=client, field=channel.name)
    code_issue(
        purpose=VerificationCode.Purpose.CHANGE, channel=channel.message_channel, destination=value, user=user
    )
    return value


def contact_change_confirm(*, channel: ContactChannel, user: User, value: str, code: str) -> None:
    """ACC-7: the code sent to the new phone / e-mail was right: it replaces the old one, whose owner is told."""
    value = _clean(channel, value)
    code_confirm(purpose=VerificationCode.Purpose.CHANGE, destination=value, code=code, user=user)
    _claim(channel=channel, user=user, value=value)
