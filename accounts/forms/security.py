"""Security-settings forms (ACC-4, ACC-7): each code page is a "send" form and a "confirm" form.

Two forms rather than two buttons in one: pressing Enter in the code field must confirm, not send a
new code. The confirm form carries the phone/e-mail the code went to in a hidden field.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from docregsys.identity.normalize import normalize_code
from docregsys.identity.validators import PASSWORD_MAX_LENGTH, validate_email_address, validate_mobile


def code_validator(value):
    """Six digits once normalised (X-4: "１２３４５６" is the code 123456; the service compares that form)."""
    if not re.fullmatch(r"[0-9]{6}", normalize_code(value)):
        raise ValidationError(_("校验码为6位数字。"), code="code_format")


def _phone_field(label, help_text=""):
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "numeric", "autocomplete": "tel"}),
        error_messages={"required": _("请输入手机号码。")},
    )


def _email_field(label):
    return forms.CharField(
        label=label,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autocapitalize": "none"}),
        error_messages={"required": _("请输入电子邮箱。")},
    )


def _code_field(label):
    return forms.CharField(
        label=label,
        max_length=6,
        validators=[code_validator],
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "maxlength": 6,
                "pattern": "[0-9]*",
            }
        ),
        error_messages={"required": _("请输入校验码。")},
    )


def _current_password_field():
    return forms.CharField(
        label=_("当前登录密码"),
        max_length=PASSWORD_MAX_LENGTH,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("请输入当前登录密码。")},
    )


class _PhoneMixin:
    def clean_phone(self):
        try:
            return validate_mobile(self.cleaned_data["phone"])
        except ValidationError as exc:
            raise ValidationError(exc.messages[0], code=exc.code) from None


class _EmailMixin:
    def clean_email(self):
        try:
            return validate_email_address(self.cleaned_data["email"])
        except ValidationError as exc:
            raise ValidationError(exc.messages[0], code=exc.code) from None


class _ConfirmForm(forms.Form):
    """The code, plus (hidden) where it was sent; without one, no code has been asked for yet."""

    missing_destination = _("请先获取校验码。")

    def clean(self):
        data = super().clean()
        if not self.cleaned_data.get(self.destination_field):
            raise ValidationError(self.missing_destination, code="no_destination")
        return data


class PhoneSendForm(_PhoneMixin, forms.Form):
    phone = _phone_field(_("我的手机"), _("请填入注册时录入的手机号；如有错误，可在验证前更正。"))


class PhoneConfirmForm(_ConfirmForm):
    destination_field = "phone"
    phone = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)
    code = _code_field(_("请填写手机校验码"))


class EmailSendForm(_EmailMixin, forms.Form):
    email = _email_field(_("我的邮箱"))


class EmailConfirmForm(_ConfirmForm):
    destination_field = "email"
    email = forms.CharField(required=False, max_length=254, widget=forms.HiddenInput)
    code = _code_field(_("请填写邮箱校验码"))


class PhoneChangeSendForm(_PhoneMixin, forms.Form):
    password = _current_password_field()
    phone = _phone_field(_("新手机号码"))


class EmailChangeSendForm(_EmailMixin, forms.Form):
    password = _current_password_field()
    email = _email_field(_("新邮箱"))


class PasswordChangeForm(forms.Form):
    """ACC-7: the current password, the new one twice; Django's validators run in the service."""

    old_password = forms.CharField(
        label=_("当前登录密码"),
        max_length=PASSWORD_MAX_LENGTH,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
        error_messages={"required": _("请输入当前登录密码。")},
    )
    new_password1 = forms.CharField(
        label=_("新密码"),
        max_length=PASSWORD_MAX_LENGTH,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("密码至少8位，须同时包含字母和数字，区分大小写。"),
        error_messages={"required": _("请输入新密码。")},
    )
    new_password2 = forms.CharField(
        label=_("确认新密码"),
        max_length=PASSWORD_MAX_LENGTH,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("请再次输入新密码。")},
    )

    def clean(self):
        data = super().clean()
        one, two = data.get("new_password1"), data.get("new_password2")
        if one and two and one != two:
            self.add_error("new_password2", ValidationError(_("两次输入的新密码不一致。"), code="mismatch"))
        return data
