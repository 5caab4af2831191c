"""The password policy (ID-4) as a rule of the services: sign-up, reset, change and officer accounts."""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from docregsys.exceptions import TransitionRefused

TOO_SHORT = _("密码长度不能少于8位。")


def password_errors(password: str, user) -> list[ValidationError]:
    """The project's password rules, each as one error; Django's zh-hans catalogue lacks "too short"."""
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        return [
            ValidationError(TOO_SHORT, code=item.code) if item.code == "password_too_short" else item
            for item in error.error_list
        ]
    return []


def password_policy_check(*, password: str, user, field: str = "password") -> None:
    """Refuse a password the validators reject (forms and serializers show each rule; this is the guarantee)."""
    problems = password_errors(password or "", user)
    if problems:
        raise TransitionRefused(
            " ".join(str(m) for error in problems for m in error.messages), code="password_weak", field=field
        )
