"""INS-1: institution officer accounts, created by a reviewer (for an institution in their scope) or the superuser.

The reviewer never chooses nor sees the password (seed 002 ch.3 §1): the service draws a one-time initial
password, sends it with the username by SMS to the officer's phone, and the officer must replace it at the
first login (which also needs an SMS code, see accounts.services.officer_login).
"""

from __future__ import annotations

import secrets
import string

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from docregsys.exceptions import TransitionRefused
from docregsys.identity.validators import validate_mobile, validate_real_name, validate_username
from docregsys.messaging.models import Channel
from docregsys.messaging.services import message_enqueue
from docregsys.reference.selectors import region_prefix_for
from institutions.selectors import institution_list_for

from ..models import User
from .passwords import password_errors

USERNAME_TAKEN = _("该用户名已被使用。")
OUT_OF_SCOPE = _("只能为您管辖范围内、正在运行的医疗机构创建注册管理员账户。")

# Letters and digits without the look-alikes (0/O, 1/l/I): the officer types it from an SMS.
_ALPHABET = "".join(c for c in string.ascii_letters + string.digits if c not in "0O1lI")
INITIAL_PASSWORD_LENGTH = 12


def initial_password_draw(*, user: User) -> str:
    """A random one-time password that meets the password policy (letters and digits, 12 characters)."""
    while True:
        password = "".join(secrets.choice(_ALPHABET) for _ in range(INITIAL_PASSWORD_LENGTH))
        has_letter = any(c.isalpha() for c in password)
        has_digit = any(c.isdigit() for c in password)
        if has_letter and has_digit and not password_errors(password, user):
            return password


def _initial_password_text(*, username: str, password: str) -> str:
    return str(
        _(
            "【医师电子化注册】您的医疗机构版系统账户已开通。用户名：%(username)s，初始密码：%(password)s。"
            "首次登录需输入发送到本手机的校验码，并须修改初始密码。请勿告诉他人。"
        )
        % {"username": username, "password": password}
    )


def _parsed(validator, value, field: str) -> str:
    try:
        return validator(value)
    except ValidationError as exc:
        raise TransitionRefused(exc.messages[0], code=exc.code or "invalid", field=field) from None


def officer_create_refusal(*, actor: User, username: str, institution) -> TransitionRefused | None:
    """Why `actor` may not create this officer account (None when they may); reads only."""
    # Reviewers and the superuser only: an officer's own institution is in their list, not in their gift.
    if (
        institution is None
        or region_prefix_for(actor) is None
        or not (institution.is_active and institution_list_for(user=actor).filter(pk=institution.pk).exists())
    ):
        return TransitionRefused(OUT_OF_SCOPE, code="out_of_scope", field="institution")
    if User.objects.filter(username__iexact=username).exists():
        return TransitionRefused(USERNAME_TAKEN, code="username_taken", field="username")
    return None


def officer_create(*, actor: User, username: str, real_name: str, institution, phone: str) -> User:
    """Create an officer of `institution` (role forced, no admin access) and SMS the initial password to them.

    The actor must hold the institution in scope. The password exists in clear only in the outbox row
    of that one SMS; the account must change it at the first login (`must_change_password`).
    """
    username = _parsed(validate_username, username, "username")
    real_name = _parsed(validate_real_name, real_name, "real_name")
    phone = _parsed(validate_mobile, phone, "phone")
    refusal = officer_create_refusal(actor=actor, username=username, institution=institution)
    if refusal is not None:
        raise refusal
    user = User(
        role=User.Role.OFFICER,
        username=username,
        real_name=real_name,
        phone=phone,
        institution=institution,
        is_staff=False,
        is_superuser=False,
        must_change_password=True,
    )
    password = initial_password_draw(user=user)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
            message_enqueue(
                channel=Channel.SMS,
                destination=phone,
                body=_initial_password_text(username=username, password=password),
            )
    except IntegrityError:
        # Another request took the username between the check and the save.
        raise TransitionRefused(USERNAME_TAKEN, code="username_taken", field="username") from None
    return user
