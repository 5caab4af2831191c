"""Forms of the console's doctor-account pages (INS-4, INS-9): the name search and the revocation reason."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from docregsys.identity.normalize import normalize_text, refuse_invisible

from ..services.revocation import REASON_MAX


class DoctorNameSearchForm(forms.Form):
    """医师姓名 [查询]: part of a name, NFKC-normalised; anything odd is refused with a message, not a 500."""

    name = forms.CharField(label=_("医师姓名"), max_length=28, required=False)

    def clean_name(self):
        value = self.cleaned_data["name"]
        refuse_invisible(value, label=_("医师姓名"))
        return normalize_text(value)


class RevokeForm(forms.Form):
    """撤销账户: the reason is required and kept in the audit row."""

    reason = forms.CharField(
        label=_("撤销原因"),
        max_length=REASON_MAX,
        error_messages={"required": _("请填写撤销原因。")},
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": REASON_MAX}),
        help_text=_("例如：非本人注册、身份信息填写错误。撤销后该医师可使用同一身份证号重新注册。"),
    )

    def clean_reason(self):
        value = self.cleaned_data["reason"]
        refuse_invisible(value, label=_("撤销原因"))
        value = normalize_text(value)
        if not value:
            raise ValidationError(_("请填写撤销原因。"), code="required")
        return value


class IssueAllForm(forms.Form):
    """为全部符合条件的医师生成激活码: skip doctors with an open code unless `renew`."""

    renew = forms.BooleanField(label=_("已有未使用激活码的医师也重新生成"), required=False)
