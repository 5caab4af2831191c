"""INS-1: the institution console's login (username, password, captcha) and its SMS-code step."""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import LoginForm
from .security import _code_field

DOCTOR_ELSEWHERE = _("医师请从医师登录入口（/accounts/login/）登录。")
REVIEWER_ELSEWHERE = _("审批人员请从审批管理入口（/admin/）登录。")
NOT_OFFICER = _("该入口仅供医疗机构注册管理员登录。")


class ConsoleLoginForm(LoginForm):
    """医疗机构版系统登录: the doctors' login form (same captcha, same axes lockout), officers only."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("用户名")
        self.fields["username"].help_text = _("卫生健康行政部门以短信发送的用户名")

    def confirm_login_allowed(self, user):
        if not user.is_active:
            raise forms.ValidationError(self.error_messages["inactive"], code="inactive")
        if user.is_officer and not user.is_superuser and user.institution_id:
            return
        if user.is_doctor:
            message = DOCTOR_ELSEWHERE
        elif user.is_reviewer or user.is_staff:
            message = REVIEWER_ELSEWHERE
        else:
            message = NOT_OFFICER
        raise forms.ValidationError(message, code="not_officer")


class LoginCodeForm(forms.Form):
    """The 6-digit code sent to the officer's registered phone."""

    code = _code_field(_("短信校验码"))
