"""Security-settings forms (ACC-4, ACC-7): each code page is a "send" form and a "confirm" form.

Two forms rather than two buttons in one: pressing Enter in the code field must confirm, not send a
new code. The confirm form carries the phone/e-mail the code went to in a hidden field.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from docregsys.identity.normalize import normalize_code
from docregsys.identity.validators import PASSWORD_MAX_LENGTH

from ..channels import ContactChannel


def code_validator(value):
    """Six digits once normalised (X-4: "１２３４５６" is the code 123456; the service compares that form)."""
    if not re.fullmatch(r"[0-9]{6}", normalize_code(value)):
        raise ValidationError(_("校验码为6位数字。"), code="code_format")


class ContactField(forms.CharField):
    """A phone number or an e-mail address, checked and normalised by the channel's kernel validator."""

    def __init__(self, channel: ContactChannel, **kwargs):
        self.channel = channel
        kwargs.setdefault("max_length", channel.max_length)
        kwargs.setdefault("widget", forms.TextInput(attrs=dict(channel.input_attrs)))
        kwargs.setdefault("error_messages", {"required": channel.required_message})
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return value
        try:
            return self.channel.validate(value)
        except ValidationError as exc:
            raise ValidationError(exc.messages[0], code=exc.code) from None


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


class ContactSendForm(forms.Form):
    """验证 (mode "verify"): the phone / e-mail; 更换 (mode "change"): the current password and the new one."""

    def __init__(self, *args, channel: ContactChannel, mode: str = "verify", **kwargs):
        super().__init__(*args, **kwargs)
        if mode == "change":
            self.fields["password"] = _current_password_field()
            self.fields[channel.name] = ContactField(channel, label=channel.change_label)
        else:
            self.fields[channel.name] = ContactField(
                channel, label=channel.send_label, help_text=channel.send_help
            )


class ContactConfirmForm(forms.Form):
    """The code, plus (hidden) where it was sent; without one, no code has been asked for yet."""

    def __init__(self, *args, channel: ContactChannel, **kwargs):
        super().__init__(*args, **kwargs)
        self.channel = channel
        self.fields[channel.name] = forms.CharField(required=False, widget=forms.HiddenInput)
        self.fields["code"] = _code_field(channel.code_label)

    def clean(self):
        data = super().clean()
        if not self.cleaned_data.get(self.channel.name):
            raise ValidationError(_("请先获取校验码。"), code="no_destination")
        return data


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
