"""Sign-up forms (ACC-1) and the correction of name/ID (ACC-3); the rules themselves are in docregsys.identity.validators."""

from captcha.fields import CaptchaField
from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from docregsys.identity.validators import (
    PASSWORD_MAX_LENGTH,
    bounded_captcha,
    validate_email_address,
    validate_mobile,
    validate_real_name,
    validate_resident_id,
    validate_username,
)

from ..models import User

CAPTCHA_INVALID = _("验证码不正确，请重新输入（不区分大小写）。")


def captcha_field() -> CaptchaField:
    """The image captcha (验证码) every anonymous form carries."""
    return bounded_captcha(
        CaptchaField(
            label=_("验证码"),
            help_text=_("请输入图片中的字符，看不清可点击“换一张”。"),
            error_messages={
                "invalid": CAPTCHA_INVALID,
                "required": _("请输入验证码。"),
                "incomplete": _("请输入验证码。"),
            },
        )
    )


class IdentityFieldsMixin:
    """您的姓名 + 身份证号, checked by ID-1 and ID-2."""

    def clean_real_name(self):
        return validate_real_name(self.cleaned_data["real_name"])

    def clean_id_number(self):
        return validate_resident_id(self.cleaned_data["id_number"]).number


def _name_field():
    return forms.CharField(
        label=_("您的姓名"),
        max_length=40,
        help_text=_("请输入您的身份证上的姓名！"),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )


def _id_number_field():
    return forms.CharField(
        label=_("身份证号"),
        max_length=30,
        help_text=_("请输入您的身份证上的号码！"),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


class SignupIdentityForm(IdentityFieldsMixin, forms.Form):
    """Step 1: 您的姓名, 身份证号, 验证码, consent to the privacy policy."""

    real_name = _name_field()
    id_number = _id_number_field()
    captcha = captcha_field()
    agree = forms.BooleanField(
        label=_("我同意《隐私政策》"),
        error_messages={"required": _("请阅读并同意《隐私政策》后继续。")},
    )


class SignupAccountForm(forms.Form):
    """Step 2: 手机号码, 电子邮箱, 用户名称, 登录密码, 确认密码 (ID-3, ID-4, ID-5)."""

    phone = forms.CharField(
        label=_("手机号码"),
        max_length=20,
        help_text=_("*请如实填写手机号码"),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "numeric"}),
    )
    email = forms.CharField(
        label=_("电子邮箱"),
        max_length=60,
        help_text=_("*请如实填写电子邮箱"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    username = forms.CharField(
        label=_("用户名称"),
        max_length=12,
        help_text=_("医师自己设置用户名，请牢记！ 用户名以字母开头，6至12位数字和字母组合"),
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )
    password1 = forms.CharField(
        label=_("登录密码"),
        max_length=PASSWORD_MAX_LENGTH,
        strip=False,
        help_text=_("医师自己设置密码，请牢记！ 密码至少8位，须同时包含字母和数字，区分大小写"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("确认密码"),
        max_length=PASSWORD_MAX_LENGTH,
        strip=False,
        help_text=_("请再次输入登录密码"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, real_name: str = "", **kwargs):
        self.real_name = real_name
        super().__init__(*args, **kwargs)

    def clean_phone(self):
        return validate_mobile(self.cleaned_data["phone"])

    def clean_email(self):
        return validate_email_address(self.cleaned_data["email"])

    def clean_username(self):
        username = validate_username(self.cleaned_data["username"])
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("该用户名已被使用，请换一个。"), code="username_taken")
        return username

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error(
                "password2", ValidationError(_("两次输入的密码不一致。"), code="password_mismatch")
            )
        if password1:
            # The validators compare the password with these (UserAttributeSimilarityValidator).
            probe = User(
                username=cleaned.get("username", ""),
                email=cleaned.get("email", ""),
                real_name=self.real_name,
                phone=cleaned.get("phone", ""),
            )
            try:
                password_validation.validate_password(password1, probe)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class IdentityUpdateForm(IdentityFieldsMixin, forms.Form):
    """检查和更新我的身份信息: the name and ID number typed at sign-up, before activation."""

    real_name = _name_field()
    id_number = _id_number_field()
