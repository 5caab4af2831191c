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
from docregsys.identity.crypto import mask_email, mask_phone
from docregsys.identity.validators import validate_email_address, validate_mobile

from ..models import Channel, SendQuota, User, VerificationCode
from .codes import code_confirm, code_issue, digest, quota_take, send_quota_take
from .outbox import message_enqueue
from .passwords import password_policy_check

PHONE_TAKEN = _("该手机号码已被其他账户验证使用，请更换手机号码。")
EMAIL_TAKEN = _("该邮箱已被其他账户验证使用，请更换邮箱。")
PHONE_ALREADY_VERIFIED = _("您的手机号码已通过验证；如需更换，请使用“更换手机号”。")
EMAIL_ALREADY_VERIFIED = _("您的邮箱已通过验证；如需更换，请使用“更换邮箱”。")
PHONE_NOT_VERIFIED = _("您的手机号码尚未验证，请先验证手机。")
EMAIL_NOT_VERIFIED = _("您的邮箱尚未验证，请先验证邮箱。")
PHONE_SAME = _("新手机号码与当前已验证的手机号码相同。")
EMAIL_SAME = _("新邮箱与当前已验证的邮箱相同。")
PASSWORD_WRONG = _("当前登录密码不正确。")
PASSWORD_LOCKED = _("当前登录密码输入错误次数过多，请明天再试。")
PASSWORD_SAME = _("新密码不能与当前密码相同。")

# Wrong current passwords accepted per account and day before the security forms lock (ACC-7):
# a hijacked session must not become a password-guessing oracle.
OLD_PASSWORD_DAILY_LIMIT = 10


# ---------------------------------------------------------------------------------------- helpers


def _clean_phone(phone: str) -> str:
    try:
        return validate_mobile(phone)
    except ValidationError as exc:
        raise TransitionRefused(exc.messages[0], code=exc.code or "invalid", field="phone") from None


def _clean_email(email: str) -> str:
    try:
        return validate_email_address(email)
    except ValidationError as exc:
        raise TransitionRefused(exc.messages[0], code=exc.code or "invalid", field="email") from None


def _phone_taken(phone: str, *, user: User) -> bool:
    return User.objects.filter(phone=phone, phone_verified_at__isnull=False).exclude(pk=user.pk).exists()


def _email_taken(email: str, *, user: User) -> bool:
    return (
        User.objects.filter(email__iexact=email, email_verified_at__isnull=False).exclude(pk=user.pk).exists()
    )


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


def _notify(*, phone: str = "", email: str = "", text: str) -> None:
    """Tell the owner of the old phone / mailbox that something changed (never the new value in clear)."""
    if phone:
        message_enqueue(channel=Channel.SMS, destination=phone, body=str(text))
    if email:
        message_enqueue(
            channel=Channel.EMAIL,
            destination=email,
            body=str(text),
            subject=str(_("医师电子化注册信息系统安全提醒")),
        )


def _locked_user(user: User) -> User:
    return User.objects.select_for_update().get(pk=user.pk)


def _save_claimed(locked: User, fields: list[str], taken_message, field: str) -> None:
    """Save a newly verified phone/e-mail; the database's unique constraint settles a race with another account."""
    try:
        with transaction.atomic():
            locked.save(update_fields=fields)
    except IntegrityError as exc:
        raise TransitionRefused(taken_message, code=f"{field}_taken", field=field) from exc


# ------------------------------------------------------------------------------ ACC-4 verification


def phone_verify_send(*, user: User, phone: str, client: str) -> str:
    """Send a code to the phone the user typed (their registration phone, or a correction); returns it."""
    phone = _clean_phone(phone)
    if user.phone_verified:
        raise TransitionRefused(PHONE_ALREADY_VERIFIED, code="already_verified", field="phone")
    if _phone_taken(phone, user=user):
        raise TransitionRefused(PHONE_TAKEN, code="phone_taken", field="phone")
    _quota(destination=phone, client=client, field="phone")
    with transaction.atomic():
        if user.phone != phone:
            # An unverified phone is only a candidate: the doctor may correct it until it is verified.
            User.objects.filter(pk=user.pk, phone_verified_at__isnull=True).update(phone=phone)
            user.phone = phone
        code_issue(purpose=VerificationCode.Purpose.VERIFY, channel=Channel.SMS, destination=phone, user=user)
    return phone


def phone_verify_confirm(*, user: User, phone: str, code: str) -> None:
    """Check the SMS code; on success the phone is the account's verified phone (ACC-4)."""
    phone = _clean_phone(phone)
    if user.phone_verified:
        raise TransitionRefused(PHONE_ALREADY_VERIFIED, code="already_verified", field="phone")
    code_confirm(purpose=VerificationCode.Purpose.VERIFY, destination=phone, code=code, user=user)
    with transaction.atomic():
        locked = _locked_user(user)
        if _phone_taken(phone, user=user):
            raise TransitionRefused(PHONE_TAKEN, code="phone_taken", field="phone")
        locked.phone = phone
        locked.phone_verified_at = timezone.now()
        _save_claimed(locked, ["phone", "phone_verified_at"], PHONE_TAKEN, "phone")
    user.phone, user.phone_verified_at = locked.phone, locked.phone_verified_at


def email_verify_send(*, user: User, email: str, client: str) -> str:
    """Send a code to the e-mail address the user typed (the fallback when SMS does not arrive)."""
    email = _clean_email(email)
    if user.email_verified:
        raise TransitionRefused(EMAIL_ALREADY_VERIFIED, code="already_verified", field="email")
    if _email_taken(email, user=user):
        raise TransitionRefused(EMAIL_TAKEN, code="email_taken", field="email")
    _quota(destination=email, client=client, field="email")
    with transaction.atomic():
        if user.email != email:
            User.objects.filter(pk=user.pk, email_verified_at__isnull=True).update(email=email)
            user.email = email
        code_issue(
            purpose=VerificationCode.Purpose.VERIFY, channel=Channel.EMAIL, destination=email, user=user
        )
    return email


def email_verify_confirm(*, user: User, email: str, code: str) -> None:
    """Check the e-mailed code; on success the address is the account's verified e-mail (ACC-4)."""
    email = _clean_email(email)
    if user.email_verified:
        raise TransitionRefused(EMAIL_ALREADY_VERIFIED, code="already_verified", field="email")
    code_confirm(purpose=VerificationCode.Purpose.VERIFY, destination=email, code=code, user=user)
    with transaction.atomic():
        locked = _locked_user(user)
        if _email_taken(email, user=user):
            raise TransitionRefused(EMAIL_TAKEN, code="email_taken", field="email")
        locked.email = email
        locked.email_verified_at = timezone.now()
        _save_claimed(locked, ["email", "email_verified_at"], EMAIL_TAKEN, "email")
    user.email, user.email_verified_at = locked.email, locked.email_verified_at


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
        user.save(update_fields=["password"])
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
        _notify(
            phone=user.phone if user.phone_verified else "",
            email=user.email if user.email_verified else "",
            text=text,
        )


def phone_change_send(*, user: User, password: str, phone: str, client: str) -> str:
    """ACC-7: after the current password, send a code to the NEW phone; nothing changes yet."""
    phone = _clean_phone(phone)
    if not user.phone_verified:
        raise TransitionRefused(PHONE_NOT_VERIFIED, code="not_verified", field="phone")
    _old_password_check(user=user, password=password)
    if phone == user.phone:
        raise TransitionRefused(PHONE_SAME, code="phone_same", field="phone")
    if _phone_taken(phone, user=user):
        raise TransitionRefused(PHONE_TAKEN, code="phone_taken", field="phone")
    _quota(destination=phone, client=client, field="phone")
    code_issue(purpose=VerificationCode.Purpose.CHANGE, channel=Channel.SMS, destination=phone, user=user)
    return phone


def phone_change_confirm(*, user: User, phone: str, code: str) -> None:
    """ACC-7: the code sent to the new phone was right: it replaces the old one, whose owner is told."""
    phone = _clean_phone(phone)
    code_confirm(purpose=VerificationCode.Purpose.CHANGE, destination=phone, code=code, user=user)
    with transaction.atomic():
        locked = _locked_user(user)
        if _phone_taken(phone, user=user):
            raise TransitionRefused(PHONE_TAKEN, code="phone_taken", field="phone")
        old = locked.phone if locked.phone_verified else ""
        locked.phone = phone
        locked.phone_verified_at = timezone.now()
        _save_claimed(locked, ["phone", "phone_verified_at"], PHONE_TAKEN, "phone")
        if old and old != phone:
            _notify(
                phone=old,
                text=_(
                    "【医师电子化注册】您账户绑定的手机号码已更换为 %(phone)s。如非本人操作，请立即联系所在医疗机构。"
                )
                % {"phone": mask_phone(phone)},
            )
    user.phone, user.phone_verified_at = locked.phone, locked.phone_verified_at


def email_change_send(*, user: User, password: str, email: str, client: str) -> str:
    """ACC-7: after the current password, e-mail a code to the NEW address; nothing changes yet."""
    email = _clean_email(email)
    if not user.email_verified:
        raise TransitionRefused(EMAIL_NOT_VERIFIED, code="not_verified", field="email")
    _old_password_check(user=user, password=password)
    if email == (user.email or "").lower():
        raise TransitionRefused(EMAIL_SAME, code="email_same", field="email")
    if _email_taken(email, user=user):
        raise TransitionRefused(EMAIL_TAKEN, code="email_taken", field="email")
    _quota(destination=email, client=client, field="email")
    code_issue(purpose=VerificationCode.Purpose.CHANGE, channel=Channel.EMAIL, destination=email, user=user)
    return email


def email_change_confirm(*, user: User, email: str, code: str) -> None:
    """ACC-7: the code e-mailed to the new address was right: it replaces the old one, whose owner is told."""
    email = _clean_email(email)
    code_confirm(purpose=VerificationCode.Purpose.CHANGE, destination=email, code=code, user=user)
    with transaction.atomic():
        locked = _locked_user(user)
        if _email_taken(email, user=user):
            raise TransitionRefused(EMAIL_TAKEN, code="email_taken", field="email")
        old = locked.email if locked.email_verified else ""
        locked.email = email
        locked.email_verified_at = timezone.now()
        _save_claimed(locked, ["email", "email_verified_at"], EMAIL_TAKEN, "email")
        if old and old.lower() != email:
            _notify(
                email=old,
                text=_(
                    "【医师电子化注册】您账户绑定的电子邮箱已更换为 %(email)s。如非本人操作，请立即联系所在医疗机构。"
                )
                % {"email": mask_email(email)},
            )
    user.email, user.email_verified_at = locked.email, locked.email_verified_at
