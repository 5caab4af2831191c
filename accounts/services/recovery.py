"""ACC-6: recovering a login account by verified phone, verified e-mail or personal information.

No answer here tells a stranger whether an account exists: the send steps behave the same for
every address (same quota taken, same reply; a decoy code stands in for a missing account so
that the confirm step also fails the same way), and the personal-information step has one
message for every kind of mismatch. Nothing here logs personal data.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator
from django.db import transaction
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from docregsys.exceptions import TransitionRefused
from docregsys.identity.crypto import id_number_digest, normalize_id_number
from docregsys.identity.normalize import normalize_text
from docregsys.messaging.models import Channel
from docregsys.messaging.services import message_enqueue
from qualifications.selectors import certificate_by_number

from ..channels import ContactChannel
from ..models import User, VerificationCode
from ..selectors import doctor_account_list_for
from .codes import code_confirm, code_issue, digest, quota_take, send_quota_take
from .passwords import password_policy_check

NO_MATCH = _("未找到与所填信息相符的账户，请核对姓名、身份证号和资格证书编码。")
PROTECTED = _(
    "该账户已验证手机号码或邮箱（或已激活），请通过已验证的手机号码、邮箱找回，"
    "或向执业注册所在医疗机构申请找回。"
)
TOKEN_INVALID = _("重置密码的请求已失效（超过30分钟、已使用或密码已更改），请重新找回。")
RESET_DONE = _("密码已重置，请使用新密码登录。")
PERSONAL_DAILY_LIMIT = 20
PERSONAL_LIMIT = _("今日通过个人信息找回的尝试次数已达上限，请明天再试。")


def mask_username(username: str) -> str:
    """li****an: enough for the owner to recognise, too little for anyone else (length hidden too)."""
    username = username or ""
    if len(username) >= 6:
        return f"{username[:2]}****{username[-2:]}"
    if len(username) >= 3:
        return f"{username[0]}****{username[-1]}"
    return "****"


class _PersonalInfoTokenGenerator(PasswordResetTokenGenerator):
    """Tokens from the personal-information path also die once the account gains a verified
    phone or e-mail or is activated: from then on only a code or the institution may reset it."""

    key_salt = "docregsys.accounts.recovery.personal"

    def _make_hash_value(self, user, timestamp):
        return (
            super()._make_hash_value(user, timestamp)
            + f"{user.phone_verified_at}{user.email_verified_at}{user.activated_at}"
        )


personal_token_generator = _PersonalInfoTokenGenerator()


@dataclass(frozen=True)
class ResetGrant:
    """Who may set a new password, and the proof: uid + a Django password-reset token."""

    user: User
    uid: str
    token: str

    @property
    def username_masked(self) -> str:
        return mask_username(self.user.username)


@dataclass(frozen=True)
class PersonalMatch:
    """The account the personal information names (masked), and a grant when it may be reset here."""

    user: User
    grant: ResetGrant | None

    @property
    def username_masked(self) -> str:
        return mask_username(self.user.username)

    @property
    def phone_masked(self) -> str:
        return self.user.phone_masked if self.user.phone else ""

    @property
    def email_masked(self) -> str:
        return self.user.email_masked if self.user.email else ""


def _grant(user: User, generator: PasswordResetTokenGenerator = default_token_generator) -> ResetGrant:
    return ResetGrant(
        user=user, uid=urlsafe_base64_encode(force_bytes(user.pk)), token=generator.make_token(user)
    )


def account_is_unprotected(*, user: User) -> bool:
    """Personal information may reset this account: no verified phone or e-mail, not activated."""
    return not (user.phone_verified or user.email_verified or user.is_activated)


def _doctors():
    return User.objects.filter(role=User.Role.DOCTOR, is_active=True)


def _decoy_code(*, channel: str, destination: str) -> None:
    """A code nobody can guess for an address with no account, so that the confirm step answers
    wrong / expired / locked exactly as it does for a real one. Nothing is sent."""
    now = timezone.now()
    dest = digest(destination)
    with transaction.atomic():
        VerificationCode.objects.filter(
            destination_digest=dest, purpose=VerificationCode.Purpose.RECOVER, used_at__isnull=True
        ).update(expires_at=now)
        VerificationCode.objects.create(
            purpose=VerificationCode.Purpose.RECOVER,
            channel=channel,
            destination_digest=dest,
            code_hash=secrets.token_hex(32),
            expires_at=now + dt.timedelta(seconds=settings.CODE_TTL_SECONDS),
        )


def account_recover_by_contact_send(*, channel: ContactChannel, value: str, client: str) -> None:
    """Send a recovery code to a verified phone / e-mail; the same outcome whether or not it is an account's."""
    value = channel.fold(value)
    user = _doctors().filter(**channel.lookup(value)).order_by("pk").first()
    # The quota first and for everyone: an unknown address costs the same as a known one.
    send_quota_take(destination=value, client=client)
    if user is None:
        _decoy_code(channel=channel.message_channel, destination=value)
    else:
        code_issue(
            purpose=VerificationCode.Purpose.RECOVER,
            channel=channel.message_channel,
            destination=value,
            user=user,
        )


def account_recover_by_contact_confirm(*, channel: ContactChannel, value: str, code: str) -> ResetGrant:
    """Check the code sent to the phone / e-mail; returns the reset grant of the account that verified it."""
    value = channel.fold(value)
    # Outside any transaction: a wrong guess must stay counted.
    record = code_confirm(purpose=VerificationCode.Purpose.RECOVER, destination=value, code=code)
    user = _doctors().filter(pk=record.user_id).first() if record.user_id else None
    if user is None or not (channel.is_verified(user) and channel.fold(channel.value_of(user)) == value):
        # The phone/e-mail was changed or unverified since the code went out.
        raise TransitionRefused(_("校验码已失效，请重新获取。"), code="code_expired", field="code")
    return _grant(user)


def account_recover_by_personal_info(
    *, real_name: str, id_number: str, certificate_number: str, client: str
) -> PersonalMatch:
    """Find the account by name + ID number + qualification-certificate number (throttled per client)."""
    try:
        quota_take(
            f"recover-personal:{digest(client, purpose='client')}",
            interval_seconds=0,
            daily_limit=PERSONAL_DAILY_LIMIT,
        )
    except TransitionRefused as exc:
        raise TransitionRefused(PERSONAL_LIMIT, code=exc.code) from None
    real_name = normalize_text(real_name)
    number = normalize_id_number(id_number)
    refused = TransitionRefused(NO_MATCH, code="no_match")
    if not (real_name and number):
        raise refused
    id_digest = id_number_digest(number)
    certificate = certificate_by_number(certificate_number)
    if certificate is None or certificate.id_number_digest != id_digest or certificate.real_name != real_name:
        raise refused
    user = _doctors().filter(id_number_digest=id_digest, real_name=real_name).first()
    if user is None:
        raise refused
    grant = _grant(user, personal_token_generator) if account_is_unprotected(user=user) else None
    return PersonalMatch(user=user, grant=grant)


def account_for_reset(*, uid: str, token: str) -> User:
    """The account a uid + token pair may reset, or TransitionRefused when the token is no good."""
    try:
        pk = int(urlsafe_base64_decode(uid or "").decode())
    except (ValueError, TypeError, UnicodeDecodeError, OverflowError):
        pk = None
    user = _doctors().filter(pk=pk).first() if pk is not None else None
    if user is None or not _token_valid(user=user, token=token):
        raise TransitionRefused(TOKEN_INVALID, code="token_invalid", field="token")
    return user


def _token_valid(*, user: User, token: str) -> bool:
    if default_token_generator.check_token(user, token):
        return True
    return personal_token_generator.check_token(user, token) and account_is_unprotected(user=user)


def account_password_reset(*, user: User, token: str, new_password: str) -> None:
    """Set a new password with a valid reset token: the token, every session and every API token die."""
    from rest_framework.authtoken.models import Token

    password_policy_check(password=new_password, user=user, field="new_password")
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        # Checked again under the row lock: two resets with one token give one success.
        if not _token_valid(user=user, token=token):
            raise TransitionRefused(TOKEN_INVALID, code="token_invalid", field="token")
        user.set_password(new_password)
        user.save(update_fields=["password"])
        Token.objects.filter(user=user).delete()


# ------------------------------------------------------------------ INS-9: recovery through the institution

RESET_UNREACHABLE = _(
    "该医师尚未验证手机号码或邮箱，新密码无法送达，本院不能为其重置登录密码。"
    "请医师先验证手机号码（或邮箱），或携带有效身份证件到现场办理找回。"
)
RESET_NOT_HERE = _("该医师账户不属于本机构（需为主要执业机构在本院的有效注册医师），不能重置登录密码。")
_PASSWORD_LETTERS = "abcdefghjkmnpqrstuvwxyz"
_PASSWORD_DIGITS = "23456789"


def _one_time_password() -> str:
    """10 characters, letters and digits both present, nothing that reads like another (no 0/o, 1/l/i)."""
    alphabet = _PASSWORD_LETTERS + _PASSWORD_DIGITS
    while True:
        value = "".join(secrets.choice(alphabet) for _i in range(10))
        if any(c in _PASSWORD_DIGITS for c in value) and any(c in _PASSWORD_LETTERS for c in value):
            return value


@dataclass(frozen=True)
class InstitutionReset:
    """Where the new password went (masked): what the officer may be told. Never the password."""

    channel: str  # "sms" or "email"
    destination_masked: str


def doctor_login_reset_by_institution(*, officer: User, doctor: User) -> InstitutionReset:
    """INS-9 / ACC-6 向执业机构申请找回: a new one-time password to the doctor's verified phone (else e-mail).

    The officer never sees it; the doctor must change it at the next login (`must_change_password`). The
    User history row names the officer. Every session and API token of the doctor dies with the old password.
    """
    from rest_framework.authtoken.models import Token

    with transaction.atomic():
        locked = doctor_account_list_for(user=officer).select_for_update().filter(pk=doctor.pk).first()
        if locked is None:
            raise TransitionRefused(RESET_NOT_HERE, code="not_registered_here")
        if locked.phone_verified:
            channel, destination, masked = Channel.SMS, locked.phone, locked.phone_masked
        elif locked.email_verified:
            channel, destination, masked = Channel.EMAIL, locked.email, locked.email_masked
        else:
            raise TransitionRefused(RESET_UNREACHABLE, code="not_verified")
        password = _one_time_password()
        locked.set_password(password)
        locked.must_change_password = True
        locked._history_user = officer
        locked._change_reason = str(_("本院重置登录密码"))
        locked.save(update_fields=["password", "must_change_password"])
        Token.objects.filter(user=locked).delete()
        body = str(
            _(
                "【医师电子化注册】%(institution)s已为您重置登录密码。用户名：%(username)s，临时密码：%(password)s。"
                "请尽快登录，登录后须修改密码。如非本人申请，请联系您的执业机构。"
            )
            % {"institution": officer.institution.name, "username": locked.username, "password": password}
        )
        subject = str(_("医师电子化注册信息系统登录密码重置")) if channel == Channel.EMAIL else ""
        message_enqueue(channel=channel, destination=destination, body=body, subject=subject)
    return InstitutionReset(channel=str(channel), destination_masked=masked)
