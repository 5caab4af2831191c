"""INS-5 本院执业医师信息: the six doctor lists, their filters and columns, shared by the pages, the exports
and the API (seed 002 ch.3 §6.1, §6.4, §6.5).

A list is a scoping selector (registrations.selectors) plus the filters the officer typed; the rows are
practice records (主执业, 备案) or filings / 多地点 with their record. Each column reads one row and gives
the cell shown on screen and written to the export.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.selectors import AccountState, with_account_state
from docregsys.identity.normalize import normalize_text, refuse_invisible
from docregsys.reference.models import Category, Level
from institutions.models import Department
from registrations import selectors
from registrations.models import PracticeRecord

ALL, YES, NO = "", "yes", "no"


def record_of(row) -> PracticeRecord:
    """The practice record a list row shows: the row itself, or the filing's / 多地点's record."""
    return row if isinstance(row, PracticeRecord) else row.record


def scope_names(scopes) -> str:
    return ",".join(scope.name for scope in scopes.all())  # prefetched by the selector


def _date(value) -> str:
    return value.strftime("%Y-%m-%d") if value else ""


def _datetime(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if value else ""


@dataclass(frozen=True)
class Column:
    label: object
    cell: Callable[[object], object]
    key: str


def _rec(get: Callable[[PracticeRecord], object]) -> Callable[[object], object]:
    return lambda row: get(record_of(row))


YES_NO = ((True, _("是")), (False, _("否")))
_LABELS = {
    "sex": PracticeRecord.Sex.choices,
    "category": Category.choices,
    "level": Level.choices,
    "account": tuple(AccountState.LABELS.items()),
    "yes_no": YES_NO,
}


@lru_cache(maxsize=512)
def _translated(language: str, kind: str, value) -> str:
    return str(dict(_LABELS[kind]).get(value, value or ""))


def label(kind: str, value) -> str:
    """A choice's label, translated once per language and value: an export of 5,000 rows would otherwise
    translate the same lazy strings tens of thousands of times (seconds, not milliseconds)."""
    return _translated(get_language(), kind, value)


NAME = Column(_("姓名"), _rec(lambda r: r.real_name), "real_name")
SEX = Column(_("性别"), _rec(lambda r: label("sex", r.sex)), "sex")
AGE = Column(_("年龄"), _rec(lambda r: r.age if r.age is not None else ""), "age")
CATEGORY = Column(_("医师类别"), _rec(lambda r: label("category", r.category)), "category")
LEVEL = Column(_("医师级别"), _rec(lambda r: label("level", r.level)), "level")
SCOPES = Column(_("执业范围"), _rec(lambda r: scope_names(r.scopes)), "scopes")
CERTIFICATE = Column(_("执业证书编码"), _rec(lambda r: r.certificate_number), "certificate_number")
DEPARTMENT = Column(_("所在科室"), _rec(lambda r: r.department.name if r.department else ""), "department")
ACCOUNT = Column(_("医师账户状态"), lambda row: label("account", row.account_state), "account_state")
CHANGED = Column(
    _("是否修改过信息"), _rec(lambda r: label("yes_no", r.info_reviewed_at is not None)), "info_changed"
)
REVIEWED = Column(_("审核日期"), _rec(lambda r: _datetime(r.info_reviewed_at)), "info_reviewed_at")
MAIN_INSTITUTION = Column(_("主要执业机构"), _rec(lambda r: r.main_institution.name), "main_institution")
FILED_AT = Column(_("备案执业机构"), lambda f: f.institution.name, "filing_institution")
FILED_SCOPES = Column(_("备案执业范围"), lambda f: scope_names(f.scopes), "filing_scopes")
FILED_ON = Column(_("备案日期"), lambda f: _date(f.filed_on), "filed_on")
LOCATED_AT = Column(_("多地点执业机构"), lambda loc: loc.institution.name, "location_institution")
LOCATION = Column(_("执业地点"), lambda loc: loc.location.full_name, "location")
APPROVED_ON = Column(_("批准日期"), lambda loc: _date(loc.approved_on), "approved_on")

DETAIL = "detail"  # where the 详细信息 link goes among the columns
PERSON = [NAME, SEX, AGE, CATEGORY, LEVEL, SCOPES, CERTIFICATE]


@dataclass(frozen=True)
class Kind:
    """One list: its menu title, scoping selector, columns (DETAIL marks the link) and filters."""

    key: str
    title: object
    selector: Callable[..., QuerySet]
    columns: list
    record_rows: bool  # rows are practice records (else filings / 多地点 with .record)
    export_name: str

    @property
    def data_columns(self) -> list[Column]:
        return [c for c in self.columns if c != DETAIL]

    @property
    def has_record_filters(self) -> bool:
        """所在科室 and 信息修改 filter the institution's own records (seed §6.1); the others filter by name."""
        return self.record_rows


_RECORD_COLUMNS = [*PERSON, DEPARTMENT, ACCOUNT, DETAIL, CHANGED, REVIEWED]
KINDS = {
    kind.key: kind
    for kind in (
        Kind(
            "main", _("主执业机构在本院医师"), selectors.main_doctor_list_for, _RECORD_COLUMNS, True, "main"
        ),
        Kind(
            "filed_out",
            _("本院多执业机构备案医师"),
            selectors.filed_out_doctor_list_for,
            [*PERSON, FILED_AT, FILED_SCOPES, FILED_ON, DETAIL],
            False,
            "filed-out",
        ),
        Kind(
            "filed_in",
            _("外院在本院多执业机构医师"),
            selectors.filed_in_doctor_list_for,
            [*PERSON, MAIN_INSTITUTION, FILED_SCOPES, FILED_ON, DETAIL],
            False,
            "filed-in",
        ),
        Kind(
            "locations_out",
            _("本院多地点医师"),
            selectors.locations_out_doctor_list_for,
            [*PERSON, LOCATED_AT, LOCATION, APPROVED_ON, DETAIL],
            False,
            "locations-out",
        ),
        Kind(
            "locations_in",
            _("多地点执业在本院医师"),
            selectors.locations_in_doctor_list_for,
            [*PERSON, MAIN_INSTITUTION, LOCATION, APPROVED_ON, DETAIL],
            False,
            "locations-in",
        ),
        Kind(
            "archived",
            _("本院备案医师"),
            selectors.archived_doctor_list_for,
            _RECORD_COLUMNS,
            True,
            "archived",
        ),
    )
}


class DoctorFilterForm(forms.Form):
    """医师姓名, 所在科室 (请选择科室...), 信息修改 (全部/是/否): seed 002 §6.1's filter bar."""

    name = forms.CharField(label=_("医师姓名"), max_length=28, required=False)
    department = forms.ModelChoiceField(
        label=_("所在科室"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=_("请选择科室..."),
    )
    changed = forms.ChoiceField(
        label=_("信息修改"), choices=[(ALL, _("全部")), (YES, _("是")), (NO, _("否"))], required=False
    )

    def __init__(self, *args, user, kind: Kind, **kwargs):
        super().__init__(*args, **kwargs)
        if kind.has_record_filters:
            self.fields["department"].queryset = Department.objects.filter(
                institution_id=user.institution_id
            ).order_by("name")
        else:
            del self.fields["department"], self.fields["changed"]

    def clean_name(self):
        value = normalize_text(self.cleaned_data["name"])
        refuse_invisible(value, label=_("医师姓名"))
        return value


def filtered(kind: Kind, *, user, data) -> tuple[DoctorFilterForm, QuerySet]:
    """The kind's rows in the user's scope, narrowed by the valid filters of `data` (a GET QueryDict)."""
    form = DoctorFilterForm(data or None, user=user, kind=kind)
    qs = kind.selector(user=user)
    prefix = "" if kind.record_rows else "record__"
    if kind.record_rows:
        qs = with_account_state(qs)
    if form.is_bound:
        form.is_valid()  # a wrong value is shown as an error; the valid filters still apply
        cleaned = form.cleaned_data
        if name := cleaned.get("name"):
            qs = qs.filter(**{f"{prefix}real_name__contains": name})
        if department := cleaned.get("department"):
            qs = qs.filter(department=department)
        if (changed := cleaned.get("changed")) in (YES, NO):
            qs = qs.filter(info_reviewed_at__isnull=changed == NO)
    return form, qs
