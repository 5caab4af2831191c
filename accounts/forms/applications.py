"""业务申请 forms: the guided start's questions (智能引导) and one form per business type (REG-2 … REG-9).

Each type's form holds only the fields of ``registrations.rules.Draft`` the type uses; what follows from
another answer (the 执业地点 from the institution and the level, the confirming institution of a 注销 from
the record) is derived, shown, never asked. The rules themselves live in ``registrations.rules``: a form
checks the shape of the input, the services check the rest.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from docregsys.identity.validators import ATTACHMENT_MAX_BYTES, validate_attachment
from docregsys.reference.models import Category, DeregistrationReason, Level, PracticeScope, Region
from institutions.models import Institution
from registrations.models import Attachment, Kind
from registrations.rules import HAS_LOCATION, Draft, Person, draft_complete
from registrations.services.applications import TEXT_LIMITS

from ..selectors import (
    applicant_extra_locations,
    applicant_filings,
    applicant_valid_records,
)

SEARCH_MAX_LENGTH = 50
EMPTY = [("", "——")]

# Which Draft fields each type asks for (the rest is derived or unused).
ASKS_INSTITUTION = (Kind.REGISTER, Kind.UPGRADE, Kind.CHANGE, Kind.FILING, Kind.MILITARY_IN)
ASKS_RECORD = (
    Kind.UPGRADE,
    Kind.CHANGE,
    Kind.FILING,
    Kind.DEREGISTER,
    Kind.TO_MILITARY,
    Kind.REISSUE,
    Kind.E_CERTIFICATE,
)
ASKS_LEVEL = (Kind.REGISTER, Kind.MILITARY_IN)
ASKS_CATEGORY = (Kind.REGISTER, Kind.UPGRADE, Kind.CHANGE, Kind.MILITARY_IN)
ASKS_SCOPES = (Kind.REGISTER, Kind.UPGRADE, Kind.CHANGE, Kind.FILING, Kind.MILITARY_IN)
ASKS_MILITARY_UNIT = (Kind.MILITARY_IN, Kind.TO_MILITARY)
# The 执业地点 follows the institution (province for a 执业医师, county for an assistant): shown, not asked.

A = Attachment.Kind
ATTACHMENTS = {
    Kind.REGISTER: (A.ID_CARD, A.QUALIFICATION, A.PHOTO, A.CONTRACT, A.LICENCE, A.HEALTH, A.TRAINING, A.FORM),
    Kind.UPGRADE: (A.ID_CARD, A.QUALIFICATION, A.PRACTICE_CERTIFICATE, A.PHOTO, A.FORM),
    Kind.CHANGE: (A.ID_CARD, A.PRACTICE_CERTIFICATE, A.CONTRACT, A.LICENCE, A.PHOTO, A.FORM),
    Kind.FILING: (A.ID_CARD, A.PRACTICE_CERTIFICATE, A.CONTRACT, A.LICENCE, A.FORM),
    Kind.FILING_CANCEL: (A.ID_CARD, A.PRACTICE_CERTIFICATE),
    Kind.DEREGISTER: (A.ID_CARD, A.PRACTICE_CERTIFICATE, A.FORM),
    Kind.MILITARY_IN: (A.ID_CARD, A.QUALIFICATION, A.MILITARY, A.CONTRACT, A.LICENCE, A.PHOTO, A.FORM),
    Kind.TO_MILITARY: (A.ID_CARD, A.PRACTICE_CERTIFICATE, A.MILITARY),
    Kind.LOCATION_CANCEL: (A.ID_CARD, A.PRACTICE_CERTIFICATE),
    Kind.REISSUE: (A.PHOTO, A.ID_CARD),
    Kind.E_CERTIFICATE: (A.ID_CARD,),
}
# Every type also takes 委托书 (an agent files) and 其他材料.
ALWAYS = (A.AUTHORISATION, A.OTHER)
ACCEPT = ".jpg,.jpeg,.png,.pdf,image/jpeg,image/png,application/pdf"


def attachment_kinds(kind: str) -> tuple[str, ...]:
    return (*ATTACHMENTS.get(kind, ()), *ALWAYS)


def attachment_field_name(attachment_kind: str) -> str:
    return f"file_{attachment_kind}"


def record_label(record) -> str:
    return "{location} · {institution} · {level}（{category}）{number}".format(
        location=record.location.full_name or record.location.name,
        institution=record.main_institution.name,
        level=record.get_level_display(),
        category=record.get_category_display(),
        number=f" · {record.certificate_number}" if record.certificate_number else "",
    )


class RecordSelect(forms.Select):
    """The record picker: each option carries its level (the 执业地点 of a 变更 follows it)."""

    levels: dict = {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        level = self.levels.get(str(getattr(value, "value", value)))
        if level:
            option["attrs"]["data-level"] = level
        return option


class RecordChoiceField(forms.ModelChoiceField):
    widget = RecordSelect

    def label_from_instance(self, obj):
        return record_label(obj)


class FilingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _("在%(inst)s的多执业机构备案（%(date)s备案）") % {
            "inst": obj.institution.name,
            "date": obj.filed_on,
        }


class ExtraLocationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.location.full_name or obj.location.name} · {obj.institution.name}"


class InstitutionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.registration_number}）"


class InstitutionSelect(forms.Select):
    """The picker's select: each option carries the 执业地点 it gives (province, county), so a small script
    can show the location as soon as the institution and level are chosen."""

    places: dict = {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        province, county = self.places.get(str(getattr(value, "value", value)), ("", ""))
        if county:
            option["attrs"].update({"data-province": province, "data-county": county})
        return option


def institution_field(required: bool = True) -> InstitutionChoiceField:
    return InstitutionChoiceField(
        widget=InstitutionSelect,
        label=_("医疗机构"),
        queryset=Institution.objects.filter(is_active=True),
        required=required,
        empty_label="——",
        error_messages={
            "required": _("请选择医疗机构。"),
            "invalid_choice": _("所选医疗机构不存在或已停用，请重新搜索。"),
        },
    )


def search_field() -> forms.CharField:
    return forms.CharField(
        label=_("搜索医疗机构"),
        max_length=SEARCH_MAX_LENGTH,
        required=False,
        help_text=_("输入机构名称、登记号或名称拼音首字母，然后点击“搜索机构”。"),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


def limit_institution_choices(field, options, selected=None) -> None:
    """Offer only the search results (and the institution already chosen), never the whole table."""
    shown = list(options)
    if selected is not None and all(option.pk != selected.pk for option in shown):
        shown.insert(0, selected)
    field.widget.choices = EMPTY + [(option.pk, field.label_from_instance(option)) for option in shown]
    provinces = {
        region.code: region.full_name or region.name
        for region in Region.objects.filter(code__in={option.region_id[:2] + "0000" for option in shown})
    }
    field.widget.places = {
        str(option.pk): (
            provinces.get(option.region_id[:2] + "0000", ""),
            option.region.full_name or option.region.name,
        )
        for option in shown
    }


class GuideForm(forms.Form):
    """智能引导: what do you want to do, and at which institution (GET: it changes nothing)."""

    want = forms.ChoiceField(
        label=_("您要办理什么业务？"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("请选择您要办理的业务。"),
            "invalid_choice": _("请选择您要办理的业务。"),
        },
    )
    q = search_field()
    institution = institution_field(required=False)

    def __init__(self, *args, wants, options=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["want"].choices = [(key, label) for key, label, _kind in wants]
        self.fields["institution"].label = _("在哪家医疗机构执业？")
        selected = None
        if self.is_bound and self.data.get("institution"):
            selected = Institution.objects.filter(
                is_active=True, pk=_int(self.data.get("institution"))
            ).first()
        limit_institution_choices(self.fields["institution"], options, selected)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class InstitutionSearchForm(forms.Form):
    """The institution picker's search box on a type's form (GET, beside the POST form: no answer is lost
    to a search, since the search comes first)."""

    q = search_field()


class WithdrawForm(forms.Form):
    """撤回: the page itself is the confirmation; the reason is optional."""

    reason = forms.CharField(
        label=_("撤回原因（可不填）"),
        max_length=TEXT_LIMITS["statement"],
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ScopeCheckboxes(forms.CheckboxSelectMultiple):
    """执业范围 checkboxes carrying their category, so a small script can hide the other categories' ones."""

    def __init__(self, *args, categories=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.categories = categories or {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        key = getattr(value, "value", value)
        option["attrs"]["data-category"] = self.categories.get(str(key), "")
        return option


class ApplicationForm(forms.Form):
    """One business type's form: only the fields the type uses (REG-2), then the statement and attachments."""

    def __init__(self, *args, kind: str, doctor, options=(), application=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.doctor = doctor
        self.application = application
        fields = self.fields
        if kind in ASKS_RECORD:
            records = applicant_valid_records(doctor)
            if kind == Kind.UPGRADE:
                records = records.filter(level=Level.ASSISTANT)
            fields["record"] = RecordChoiceField(
                label=_("办理业务的执业注册"),
                queryset=records,
                empty_label="——",
                error_messages={
                    "required": _("请选择要办理业务的执业注册。"),
                    "invalid_choice": _("请选择您本人有效的执业注册。"),
                },
            )
            fields["record"].widget.levels = {
                str(pk): level for pk, level in records.values_list("pk", "level")
            }
        if kind == Kind.FILING_CANCEL:
            fields["filing"] = FilingChoiceField(
                label=_("要取消的多执业机构备案"),
                queryset=applicant_filings(doctor),
                empty_label="——",
                error_messages={
                    "required": _("请选择要取消的多执业机构备案。"),
                    "invalid_choice": _("请选择您本人有效的多执业机构备案。"),
                },
            )
        if kind == Kind.LOCATION_CANCEL:
            fields["extra_location"] = ExtraLocationChoiceField(
                label=_("要取消的多地点执业"),
                queryset=applicant_extra_locations(doctor),
                empty_label="——",
                help_text=_("一次业务只允许取消一个多地点。"),
                error_messages={
                    "required": _("请选择要取消的多地点。"),
                    "invalid_choice": _("请选择您本人有效的多地点执业。"),
                },
            )
        if kind in ASKS_INSTITUTION:
            fields["institution"] = institution_field()
            fields["institution"].label = {
                Kind.CHANGE: _("拟执业机构（变更后的主要执业机构）"),
                Kind.FILING: _("拟备案执业机构"),
                Kind.UPGRADE: _("主要执业机构"),
            }.get(kind, _("拟执业机构"))
            selected = None
            if self.is_bound:
                selected = Institution.objects.filter(
                    is_active=True, pk=_int(self.data.get("institution"))
                ).first()
            else:
                selected = self.initial.get("institution")
            limit_institution_choices(fields["institution"], options, selected)
        if kind in ASKS_LEVEL:
            fields["level"] = forms.ChoiceField(
                label=_("医师级别"),
                choices=EMPTY + list(Level.choices),
                error_messages={"required": _("请选择医师级别。"), "invalid_choice": _("请选择医师级别。")},
            )
        if kind in ASKS_CATEGORY:
            fields["category"] = forms.ChoiceField(
                label=_("医师类别"),
                choices=EMPTY + list(Category.choices),
                error_messages={"required": _("请选择医师类别。"), "invalid_choice": _("请选择医师类别。")},
            )
        if kind in ASKS_SCOPES:
            scopes = PracticeScope.objects.order_by("category", "order", "code")
            fields["scopes"] = forms.ModelMultipleChoiceField(
                label=_("执业范围"),
                queryset=scopes,
                required=False,
                widget=ScopeCheckboxes(categories={str(s.pk): s.category for s in scopes}),
                error_messages={"invalid_choice": _("所选执业范围不存在。")},
            )
        if kind == Kind.DEREGISTER:
            fields["deregistration_reason"] = forms.ModelChoiceField(
                label=_("注销情形"),
                queryset=DeregistrationReason.objects.order_by("order", "code"),
                empty_label="——",
                widget=forms.RadioSelect,
                error_messages={"required": _("请选择注销情形。"), "invalid_choice": _("请选择注销情形。")},
            )
        if kind in ASKS_MILITARY_UNIT:
            fields["military_unit"] = forms.CharField(
                label=_("军队单位") if kind == Kind.MILITARY_IN else _("拟变更到的军队单位"),
                max_length=TEXT_LIMITS["military_unit"],
                error_messages={"required": _("请填写军队单位。")},
            )
        fields["statement"] = forms.CharField(
            label=_("提交本次业务的缘由"),
            max_length=TEXT_LIMITS["statement"],
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
        )
        for attachment_kind in attachment_kinds(kind):
            fields[attachment_field_name(attachment_kind)] = forms.FileField(
                label=A(attachment_kind).label,
                required=False,
                widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
            )

    # ------------------------------------------------------------------ checks of shape, not of rules

    def clean(self):
        cleaned = super().clean()
        for attachment_kind in attachment_kinds(self.kind):
            name = attachment_field_name(attachment_kind)
            upload = cleaned.get(name)
            if not upload:
                continue
            if upload.size > ATTACHMENT_MAX_BYTES:  # before reading it into memory
                self.add_error(
                    name,
                    _("附件不能超过%(mb)dMB，当前文件为%(kb)dKB。")
                    % {"mb": ATTACHMENT_MAX_BYTES // (1024 * 1024), "kb": (upload.size + 1023) // 1024},
                )
                continue
            try:
                validate_attachment(upload)
            except forms.ValidationError as error:
                self.add_error(name, error.messages[0])
        return cleaned

    # ------------------------------------------------------------------ what the services take

    def uploads(self) -> list[tuple[str, object]]:
        """(attachment kind, file) of every attachment sent with this submission."""
        found = []
        for attachment_kind in attachment_kinds(self.kind):
            upload = self.cleaned_data.get(attachment_field_name(attachment_kind))
            if upload:
                found.append((attachment_kind, upload))
        return found

    def draft(self) -> Draft:
        """The typed request (a valid form): the answers, and what follows from them."""
        return draft_for(self.kind, self.cleaned_data, doctor=self.doctor)

    def location_preview(self):
        """The 执业地点 the answers give, for the page to show (bound or initial data)."""
        if self.kind not in HAS_LOCATION:
            return None
        source = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else self.initial
        return draft_for(self.kind, source).location


def draft_for(kind: str, data: dict, *, doctor=None) -> Draft:
    """A Draft from answers (cleaned data or an application's initial values); the rest is derived by
    ``registrations.rules.draft_complete`` (institution, level, 执业地点 and, given the doctor, the qualification)."""
    level = data.get("level") or "" if kind in ASKS_LEVEL else ""
    draft = Draft(
        kind=kind,
        institution=data.get("institution") if kind in ASKS_INSTITUTION else None,
        record=data.get("record"),
        level=level,
        category=data.get("category") or "" if kind in ASKS_CATEGORY else "",
        scopes=list(data.get("scopes") or []),
        filing=data.get("filing"),
        extra_location=data.get("extra_location"),
        deregistration_reason=data.get("deregistration_reason"),
        military_unit=data.get("military_unit") or "",
        statement=data.get("statement") or "",
    )
    return draft_complete(
        draft, person=Person.of_user(doctor) if doctor is not None else None, given={"institution", "scopes"}
    )


def initial_of(application) -> dict:
    """The form's initial values from a draft or returned application being amended."""
    initial = {
        name: getattr(application, name)
        for name in (
            "record",
            "filing",
            "extra_location",
            "institution",
            "level",
            "category",
            "deregistration_reason",
            "military_unit",
            "statement",
        )
    }
    initial["scopes"] = list(application.scopes.all())
    return initial
