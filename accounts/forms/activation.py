"""ACC-5 forms: one field each; the services decide, the form only trims what was typed."""

from django import forms
from django.utils.translation import gettext_lazy as _


class _OneField(forms.Form):
    def clean(self):
        cleaned = super().clean()
        for name, value in cleaned.items():
            if isinstance(value, str):
                cleaned[name] = "".join(value.split())
        return cleaned


class ActivationCodeForm(_OneField):
    """Path a: 请输入账户激活码."""

    path = "code"
    code = forms.CharField(
        label=_("请输入账户激活码"),
        max_length=20,
        error_messages={"required": _("请输入账户激活码。")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "characters"}),
    )


class CertificateActivationForm(_OneField):
    """Path b: 请输入您的医师资格证书编码."""

    path = "certificate"
    number = forms.CharField(
        label=_("请输入您的医师资格证书编码"),
        max_length=40,
        error_messages={"required": _("请输入医师资格证书编码。")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )


class TicketActivationForm(_OneField):
    """Path c: the written-exam admission ticket number (准考证号)."""

    path = "ticket"
    ticket = forms.CharField(
        label=_("请输入医学综合笔试准考证号"),
        max_length=40,
        error_messages={"required": _("请输入准考证号。")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )


FORMS = {form.path: form for form in (ActivationCodeForm, CertificateActivationForm, TicketActivationForm)}
