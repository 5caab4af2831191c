"""Account forms: login (ACC-2) here; sign-up and the other areas in accounts/forms/<area>.py."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from docregsys.identity.validators import PASSWORD_MAX_LENGTH

from .signup import captcha_field

OFFICER_ELSEWHERE = _("医疗机构注册管理员请从医疗机构版入口（/institution/）登录。")


class LoginForm(AuthenticationForm):
    """Login with 用户名, verified 手机号 or 资格证书编码 plus password and image captcha (ACC-2, SPEC §12)."""

    username = forms.CharField(
        # Seed 000/002 label the field with the three things it accepts.
        label=_("用户名/手机号码/资格证书编码"),
        max_length=150,
        help_text=_("手机号码须已通过验证才能用于登录。"),
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}
        ),
    )
    password = forms.CharField(
        label=_("密码"),
        max_length=PASSWORD_MAX_LENGTH,
        strip=False,
        help_text=_("密码区分大小写"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    captcha = captcha_field()

    error_messages = {
        # Never say which of the two was wrong: that would tell a stranger the account exists (ACC-6).
        "invalid_login": _("登录账号或密码不正确，请重新输入。注意密码区分大小写。"),
        "inactive": _("该账户已停用，请联系所在医疗机构或卫生健康行政部门。"),
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if user.is_officer and not user.is_superuser:
            # INS-1: officers log in at the console, where the SMS code of a first login is asked.
            raise forms.ValidationError(OFFICER_ELSEWHERE, code="officer_elsewhere")

    def clean(self):
        # AuthenticationForm.clean() authenticates even when a field failed: without the right captcha
        # the password is not tried at all (and axes counts no failure for a mistyped captcha).
        if "captcha" in self.errors:
            return self.cleaned_data
        return super().clean()
