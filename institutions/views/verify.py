"""Console pages: 医师验证 (INS-8, seed 002 §6.2–6.3): qualification, registration and credit lookups by ID number.

The ID number is POSTed and never put in a URL; each lookup is audited (registrations.DoctorLookup) and
counted against the officer's daily limit by the service.
"""

from django import forms
from django.shortcuts import render
from django.urls import path
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from docregsys.exceptions import TransitionRefused
from docregsys.identity.validators import validate_resident_id
from qualifications.models import mask_certificate_number
from registrations.models import DoctorLookup
from registrations.services.lookups import LookupResult, doctor_lookup

from . import officer_required

TITLES = {
    DoctorLookup.Kind.QUALIFICATION: (_("医师资格信息验证"), _("资格查询")),
    DoctorLookup.Kind.REGISTRATION: (_("医师注册信息验证"), _("注册信息查询")),
    DoctorLookup.Kind.CREDIT: (_("医师信用验证"), _("信用查询")),
}


class IdNumberLookupForm(forms.Form):
    """身份证号码 [查询]: one resident ID number, normalised and checked (ID-1) before any lookup."""

    id_number = forms.CharField(
        label=_("身份证号码"),
        max_length=30,
        error_messages={"required": _("请输入身份证号码。")},
        help_text=_("请输入要验证的医师的18位居民身份证号码。"),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def clean_id_number(self):
        return validate_resident_id(self.cleaned_data["id_number"]).number


def _date(value) -> str:
    return date_format(value, "Y年m月d日") if value else ""


def sex_display(record) -> str:
    """性别 of a record: its ``sex`` column when the model has one, else the parity of the ID's 17th character."""
    if hasattr(record, "get_sex_display"):
        return str(record.get_sex_display())
    masked = record.id_number_masked or ""
    if record.id_type == "resident" and len(masked) == 18 and masked[16].isdigit():
        return str(_("男") if int(masked[16]) % 2 else _("女"))
    return ""


def _certificate_card(cert) -> tuple:
    return (
        str(cert.year_obtained),
        [
            ("year_obtained", _("获得年度"), cert.year_obtained),
            ("level", _("医师级别"), cert.get_level_display()),
            ("category", _("医师类别"), cert.get_category_display()),
            ("school", _("毕业院校"), cert.school),
            ("major", _("所学专业"), cert.major),
            ("number", _("资格证书编码"), cert.number_masked),
            ("issuing_authority", _("发证机关"), cert.issuing_authority),
        ],
    )


def _exam_card(exam) -> tuple:
    return (
        _("%(year)d年考试合格（尚无资格证书）") % {"year": exam.year},
        [
            ("year", _("年度"), exam.year),
            ("exam_category", _("报考类别"), exam.exam_category.name),
            ("result", _("考试结果"), _("合格")),
        ],
    )


def _record_card(record) -> tuple:
    return (
        record.get_state_display(),
        [
            ("state", _("业务状态"), record.get_state_display()),
            ("real_name", _("姓名"), record.real_name),
            ("sex", _("性别"), sex_display(record)),
            ("id_number", _("身份证号"), record.id_number_masked),
            ("certificate_number", _("执业证书编码"), record.certificate_number),
            (
                "qualification_number",
                _("资格证书编码"),
                mask_certificate_number(record.qualification_number) if record.qualification_number else "",
            ),
            ("institution", _("执业机构"), record.main_institution.name),
            ("location", _("执业地点"), record.location.full_name),
            ("level", _("级别"), record.get_level_display()),
            ("category", _("类别"), record.get_category_display()),
            ("authority", _("审批机关"), record.authority.name),
            ("approval_date", _("批准日期"), _date(record.approval_date)),
        ],
    )


def _assessment_card(assessment) -> tuple:
    return (
        _("定期考核 %(cycle)s") % {"cycle": assessment.cycle},
        [
            ("cycle", _("考核周期"), assessment.cycle),
            ("assessing_body", _("考核机构"), assessment.assessing_body),
            ("result", _("考核结果"), assessment.get_result_display()),
            ("certificate_number", _("执业证书编码"), assessment.certificate_number),
        ],
    )


def lookup_cards(result: LookupResult) -> list[tuple[str, str, list]]:
    """(section key, card title, [(key, label, value)]) for every row found, in the order the page shows them."""
    return [
        *(("certificates", *_certificate_card(c)) for c in result.certificates),
        *(("passed_exams", *_exam_card(e)) for e in result.passed_exams),
        *(("assessments", *_assessment_card(a)) for a in result.assessments),
        *(("practice_records", *_record_card(r)) for r in result.practice_records),
    ]


def _lookup_view(kind: str):
    @officer_required
    @require_http_methods(["GET", "POST"])
    def view(request):
        title, card_title = TITLES[kind]
        result = None
        form = IdNumberLookupForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                result = doctor_lookup(user=request.user, kind=kind, id_number=form.cleaned_data["id_number"])
                # The clear number does not stay on the page next to its masked result.
                form = IdNumberLookupForm()
            except TransitionRefused as refusal:
                refusal.add_to_form(form)
        return render(
            request,
            "institutions/verify/lookup.html",
            {
                "form": form,
                "title": title,
                "card_title": card_title,
                "kind": kind,
                "result": result,
                "cards": lookup_cards(result) if result else [],
            },
        )

    view.__name__ = f"verify_{kind}"
    view.__doc__ = f"INS-8 {TITLES[kind][0]}: POST 身份证号码 → what the records say, audited."
    return view


verify_qualification = _lookup_view(DoctorLookup.Kind.QUALIFICATION)
verify_registration = _lookup_view(DoctorLookup.Kind.REGISTRATION)
verify_credit = _lookup_view(DoctorLookup.Kind.CREDIT)

urlpatterns: list = [
    path("verify/qualification/", verify_qualification, name="verify_qualification"),
    path("verify/registration/", verify_registration, name="verify_registration"),
    path("verify/credit/", verify_credit, name="verify_credit"),
]
