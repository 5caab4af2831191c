"""PUB-1 forms of the public check page: name + 执业证书编码 (with the image captcha), and a printed code."""

from captcha.fields import CaptchaField
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from docregsys.identity.normalize import normalize_code, refuse_invisible
from docregsys.identity.validators import bounded_captcha, validate_real_name
from registrations.numbers import LENGTH as CERTIFICATE_LENGTH
from registrations.numbers import is_valid_certificate_number

CODE_LENGTH = 16
CODE_ALPHABET = set("0123456789ABCDEFGHJKMNPQRSTVWXYZ")


def clean_certificate_number(value: str) -> str:
    """15 digits with the check digit; full-width digits are read as digits, invisible characters refused."""
    refuse_invisible(value, label=_("执业证书编码"))
    number = normalize_code(value)
    if not number:
        raise ValidationError(_("请输入执业证书编码。"), code="required")
    if not number.isascii() or not number.isdigit() or len(number) != CERTIFICATE_LENGTH:
        raise ValidationError(
            _("执业证书编码为%(n)d位数字，请核对后重新输入。") % {"n": CERTIFICATE_LENGTH},
            code="number_format",
        )
    if not is_valid_certificate_number(number):
        raise ValidationError(_("执业证书编码的校验位不正确，请核对是否输错。"), code="number_check_digit")
    return number


def clean_document_code(value: str) -> str:
    """A printed code (16 characters, groups of four with hyphens or spaces allowed) → its 16 characters."""
    refuse_invisible(value, label=_("核验编码"))
    code = "".join(ch for ch in normalize_code(value) if ch not in "-")
    if not code:
        raise ValidationError(_("请输入核验编码。"), code="required")
    # Crockford base32 reads O as 0 and I/L as 1, so a code read aloud or copied by hand still works.
    code = code.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))
    if len(code) != CODE_LENGTH or not set(code) <= CODE_ALPHABET:
        raise ValidationError(
            _("核验编码为16位字母和数字（如 ABCD-EFGH-JKMN-PQRS），请核对后重新输入。"), code="code_format"
        )
    return code


class PracticeLookupForm(forms.Form):
    """按姓名 + 执业证书编码 查询 (PUB-1)."""

    real_name = forms.CharField(
        label=_("姓名"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    certificate_number = forms.CharField(
        label=_("执业证书编码"),
        max_length=40,
        help_text=_("医师执业证书上的15位数字编码。"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric", "spellcheck": "false"}),
    )
    captcha = bounded_captcha(
        CaptchaField(
            label=_("验证码"),
            help_text=_("请输入图片中的字符，看不清可点击“换一张”。"),
            error_messages={
                "invalid": _("验证码不正确，请重新输入（不区分大小写）。"),
                "required": _("请输入验证码。"),
                "incomplete": _("请输入验证码。"),
            },
        )
    )

    def clean_real_name(self):
        return validate_real_name(self.cleaned_data["real_name"])

    def clean_certificate_number(self):
        return clean_certificate_number(self.cleaned_data["certificate_number"])


class CodeCheckForm(forms.Form):
    """核验编码: 行政审批编码, 成绩单验证码 or 证照编号 printed on a document."""

    code = forms.CharField(
        label=_("核验编码"),
        max_length=40,
        help_text=_("审核表上的行政审批编码、成绩单上的验证码或电子证照编号，16位字母和数字。"),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def clean_code(self):
        return clean_document_code(self.cleaned_data["code"])
