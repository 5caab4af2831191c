"""ACC-6 forms: 找回您的登录账户 by phone, e-mail or personal information, then a new password."""

import re

from captcha.fields import CaptchaField
from django import forms
from django.contrib.auth.forms import SetPasswordForm, SetPasswordMixin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from docregsys.identity.crypto import normalize_id_number
from docregsys.identity.normalize import normalize_code
from docregsys.identity.validators import (
    PASSWORD_MAX_LENGTH,
    bounded_captcha,
    validate_real_name,
    with_max_length,
)

from ..channels import ContactChannel
from ..services.passwords import password_errors
from .security import ContactField


def captcha_field() -> CaptchaField:
    return bounded_captcha(
        CaptchaField(
            label=_("验证码"),
            error_messages={"invalid": _("验证码不正确，请重新输入。"), "required": _("请输入验证码。")},
        )
    )


class RecoverContactForm(forms.Form):
    """Step 1 by phone or e-mail: the verified phone / address and the image captcha (获取校验码)."""

    def __init__(self, *args, channel: ContactChannel, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[channel.name] = ContactField(
            channel, label=channel.label, help_text=channel.recover_intro
        )
        self.fields["captcha"] = captcha_field()


class RecoverCodeForm(forms.Form):
    """Step 2: the 6-digit code received."""

    code = forms.CharField(
        label=_("校验码"),
        max_length=6,
        min_length=6,
        error_messages={
            "required": _("请输入校验码。"),
            "min_length": _("校验码为6位数字。"),
            "max_length": _("校验码为6位数字。"),
        },
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*"}
        ),
    )

    def clean_code(self):
        code = normalize_code(self.cleaned_data["code"])
        if not re.fullmatch(r"[0-9]{6}", code):
            raise forms.ValidationError(_("校验码为6位数字。"), code="code_format")
        return code


class RecoverPersonalForm(forms.Form):
    """By personal information: the name, ID number and certificate number typed at sign-up."""

    real_name = forms.CharField(label=_("您的姓名"), max_length=28)
    id_number = forms.CharField(
        label=_("身份证号"),
        max_length=20,
        help_text=_("注册账户时填写的证件号码"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    certificate_number = forms.CharField(
        label=_("医师资格证书编码"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    captcha = captcha_field()

    def clean_real_name(self):
        # Normalised as at sign-up (the minority-name dot), never refused here: any mismatch gets
        # the one generic answer.
        try:
            return validate_real_name(self.cleaned_data["real_name"])
        except ValidationError:
            return self.cleaned_data["real_name"].strip()

    def clean_id_number(self):
        number = normalize_id_number(self.cleaned_data["id_number"])
        if not number.isalnum():
            raise forms.ValidationError(
                _("证件号码只能由字母和数字组成，不能含空格或标点。"), code="id_characters"
            )
        return number

    def clean_certificate_number(self):
        return normalize_code(self.cleaned_data["certificate_number"])


class RecoverSetPasswordForm(SetPasswordForm):
    """新密码 + 确认新密码, checked by the project's password validators."""

    # Fresh fields, not SetPasswordForm's own objects: bounding those would change Django's form too.
    new_password1, new_password2 = (
        with_max_length(field, PASSWORD_MAX_LENGTH) for field in SetPasswordMixin.create_password_fields()
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.fields["new_password1"].label = _("新密码")
        self.fields["new_password1"].help_text = _("密码至少8位，须同时包含字母和数字，区分大小写。")
        self.fields["new_password2"].label = _("确认新密码")
        self.fields["new_password2"].help_text = _("请再次输入新密码")
        self.error_messages = {**self.error_messages, "password_mismatch": _("两次输入的新密码不一致。")}

    def validate_password_for_user(self, user, password_field_name=None):
        # Shown on the field the person typed the password in (Django puts it on the confirmation).
        password = self.cleaned_data.get("new_password1")
        for error in password_errors(password, user) if password else []:
            self.add_error("new_password1", error)
