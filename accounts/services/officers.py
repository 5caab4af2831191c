"""INS-1: institution officer accounts, created by a reviewer (for an institution in their scope) or the superuser."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from docregsys.exceptions import TransitionRefused
from docregsys.identity.validators import validate_mobile, validate_real_name, validate_username
from docregsys.reference.selectors import region_prefix_for
from institutions.selectors import institution_list_for

from ..models import User
from .passwords import password_policy_check

USERNAME_TAKEN = _("该用户名已被使用。")
OUT_OF_SCOPE = _("只能为您管辖范围内、正在运行的医疗机构创建注册管理员账户。")


def _parsed(validator, value, field: str) -> str:
    try:
        return validator(value)
    except ValidationError as exc:
        raise TransitionRefused(exc.messages[0], code=exc.code or "invalid", field=field) from None


def officer_create_refusal(
    *, actor: User, username: str, institution, password: str
) -> TransitionRefused | None:
    """Why `actor` may not create this officer account (None when they may); reads only."""
    # Reviewers and the superuser only: an officer's own institution is in their list, not in their gift.
    if institution is None or region_prefix_for(actor) is None or not (
        institution.is_active and institution_list_for(user=actor).filter(pk=institution.pk).exists()
    ):
        return TransitionRefused(OUT_OF_SCOPE, code="out_of_scope", field="institution")
    if User.objects.filter(username__iexact=username).exists():
        return TransitionRefused(USERNAME_TAKEN, code="username_taken", field="username")
    probe = User(username=username, role=User.Role.OFFICER)
    try:
        password_policy_check(password=password, user=probe, field="password")
    except TransitionRefused as refusal:
        return refusal
    return None


def officer_create(
    *, actor: User, username: str, real_name: str, institution, phone: str, password: str
) -> User:
    """Create an officer of `institution` (role forced, no admin access); the actor must hold it in scope."""
    username = _parsed(validate_username, username, "username")
    real_name = _parsed(validate_real_name, real_name, "real_name")
    phone = _parsed(validate_mobile, phone, "phone")
    refusal = officer_create_refusal(
        actor=actor, username=username, institution=institution, password=password
    )
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
    )
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        # Another request took the username between the check and the save.
        raise TransitionRefused(USERNAME_TAKEN, code="username_taken", field="username") from None
    return user
