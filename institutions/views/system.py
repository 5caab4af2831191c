"""Console pages: 系统功能 — 审批机关设置 (INS-2), 设置本院科室信息 and 本院医师所在科室信息维护 (INS-3).

Seed 002 chapter 3 §3, §4 and §4.1. Everything is the officer's own institution's: departments and
records are fetched through the scoping selectors, so another institution's is a 404.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from accounts.selectors import department_member_list_for
from accounts.services.departments import doctor_department_set
from docregsys.exceptions import TransitionRefused
from docregsys.identity.normalize import normalize_text
from docregsys.reference.models import Authority, Category, TreatmentSubject
from institutions.selectors import (
    authority_settings_of,
    department_list_for,
    departments_of,
    treatment_subject_options,
)
from institutions.services import department_create, department_delete, institution_authority_set
from registrations.selectors import practice_record_list_for

from . import officer_required
from .tables import export_format, export_response, paginate

# Seed 002 §3's headings (公卫, not 公共卫生).
AUTHORITY_HEADINGS = {
    Category.CLINICAL: _("临床类别医师审批机关"),
    Category.DENTAL: _("口腔类别医师审批机关"),
    Category.PUBLIC_HEALTH: _("公卫类别医师审批机关"),
    Category.TCM: _("中医类别医师审批机关"),
}


# ------------------------------------------------------------------ 审批机关设置 (INS-2)


class AuthorityForm(forms.Form):
    category = forms.ChoiceField(choices=Category.choices, widget=forms.HiddenInput)
    authority = forms.ModelChoiceField(
        queryset=Authority.objects.all(),
        label=_("修改设置："),
        error_messages={
            "required": _("请选择审批机关。"),
            "invalid_choice": _("所选审批机关不存在，请重新选择。"),
        },
    )


@officer_required
def authorities(request):
    """审批机关设置: for each category the current authority and a choice among the allowed ones, 【保存】."""
    institution = request.user.institution
    errors: dict[str, list] = {}
    if request.method == "POST":
        form = AuthorityForm(request.POST)
        category = request.POST.get("category", "")
        if form.is_valid():
            category = form.cleaned_data["category"]
            try:
                institution_authority_set(
                    actor=request.user,
                    institution=institution,
                    category=category,
                    authority=form.cleaned_data["authority"],
                )
            except TransitionRefused as exc:
                errors[category] = [exc.message]
            else:
                messages.success(
                    request,
                    _("已保存%(heading)s：%(authority)s。")
                    % {"heading": AUTHORITY_HEADINGS[category], "authority": form.cleaned_data["authority"]},
                )
                return redirect("console:authorities")
        elif category in AUTHORITY_HEADINGS:
            errors[category] = [e for field_errors in form.errors.values() for e in field_errors]
        else:  # no block to show it in: a tampered or missing category
            errors[""] = [_("请选择医师类别。")]
            messages.error(request, errors[""][0])
    blocks = [
        {"setting": s, "heading": AUTHORITY_HEADINGS[s.category], "errors": errors.get(s.category, [])}
        for s in authority_settings_of(institution)
    ]
    status = 400 if errors else 200
    return render(request, "institutions/system/authorities.html", {"blocks": blocks}, status=status)


# ------------------------------------------------------------------ 设置本院科室信息 (INS-3)


class DepartmentForm(forms.Form):
    name = forms.CharField(
        label=_("科室名称"),
        max_length=50,
        error_messages={"required": _("请输入要设置的科室名称。")},
    )
    subjects = forms.ModelMultipleChoiceField(
        queryset=TreatmentSubject.objects.all(),
        label=_("诊疗科目"),
        error_messages={
            "required": _("请为设置的科室选择诊疗科目。"),
            "invalid_choice": _("所选诊疗科目不存在，请重新选择。"),
            "invalid_pk_value": _("所选诊疗科目不存在，请重新选择。"),
        },
    )

    def clean_name(self):
        return normalize_text(self.cleaned_data["name"])


@officer_required
def departments(request):
    """设置本院科室信息: 第一步 科室名称, 第二步 诊疗科目 (filter as you type), 第三步 确认; the list with 删除."""
    institution = request.user.institution
    form = DepartmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            department = department_create(
                actor=request.user,
                institution=institution,
                name=form.cleaned_data["name"],
                subjects=form.cleaned_data["subjects"],
            )
        except TransitionRefused as exc:
            exc.add_to_form(form)
        else:
            messages.success(request, _("已增加科室“%(name)s”。") % {"name": department.name})
            return redirect("console:departments")
    chosen = set(request.POST.getlist("subjects")) if request.method == "POST" else set()
    context = {
        "form": form,
        "subjects": treatment_subject_options(),
        "chosen": chosen,
        "departments": departments_of(institution.pk),
    }
    status = 400 if form.errors else 200
    return render(request, "institutions/system/departments.html", context, status=status)


@officer_required
@require_POST
def department_remove(request, pk: int):
    """【删除】 a department of the officer's institution (refused, with the reason, while doctors are in it)."""
    department = get_object_or_404(
        department_list_for(user=request.user).select_related("institution"), pk=pk
    )
    try:
        department_delete(actor=request.user, department=department)
    except TransitionRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已删除科室“%(name)s”。") % {"name": department.name})
    return redirect("console:departments")


# ------------------------------------------------------------------ 本院医师所在科室信息维护 (INS-3)


class MemberFilterForm(forms.Form):
    name = forms.CharField(label=_("输入医师姓名过滤："), max_length=28, required=False)

    def clean_name(self):
        return normalize_text(self.cleaned_data["name"])


class MemberDepartmentForm(forms.Form):
    department = forms.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        error_messages={"required": _("请选择科室。"), "invalid": _("请选择科室。")},
    )
    # Where to come back to: the list's filter and page, re-encoded (never a URL taken from the form).
    name = forms.CharField(max_length=28, required=False)
    page = forms.IntegerField(min_value=1, max_value=100000, required=False)


def _account_state(record) -> str:
    if record.activated:
        return _("已激活")
    return _("未激活") if record.has_account else _("未注册账户")


MEMBER_HEADERS = (
    _("姓名"),
    _("性别"),
    _("年龄"),
    _("医师类别"),
    _("医师级别"),
    _("执业范围"),
    _("医师账户状态"),
    _("所在科室"),
)


@officer_required
@require_safe
def department_members(request):
    """本院医师所在科室信息维护: 姓名 性别 年龄 医师类别 医师级别 执业范围 医师账户状态 所在科室, 设置 per activated doctor."""
    filter_form = MemberFilterForm(request.GET or None)
    records = department_member_list_for(user=request.user)
    if filter_form.is_valid() and filter_form.cleaned_data["name"]:
        records = records.filter(real_name__contains=filter_form.cleaned_data["name"])
    if (fmt := export_format(request)) is not None:
        return export_response(
            fmt,
            name="本院医师所在科室信息维护",
            headers=MEMBER_HEADERS,
            rows=(
                (
                    r.real_name,
                    r.get_sex_display(),
                    r.age,
                    r.get_category_display(),
                    r.get_level_display(),
                    "、".join(s.name for s in r.scopes.all()),
                    str(_account_state(r)),
                    r.department.name if r.department else "",
                )
                for r in records
            ),
        )
    page = paginate(request, records)
    rows = [
        {"record": r, "sex": r.get_sex_display(), "age": r.age, "account": _account_state(r)}
        for r in page.object_list
    ]
    context = {
        "filter_form": filter_form,
        "page": page,
        "rows": rows,
        "departments": list(departments_of(request.user.institution_id)),
        "name": filter_form.cleaned_data.get("name", "")
        if filter_form.is_bound and filter_form.is_valid()
        else "",
    }
    return render(request, "institutions/system/department_members.html", context)


@officer_required
@require_POST
def department_member_set(request, pk: int):
    """设置 one doctor's department (activated doctors only); back to the list, same filter and page."""
    record = get_object_or_404(practice_record_list_for(user=request.user), pk=pk)
    form = MemberDepartmentForm(request.POST)
    back = reverse("console:department_members")
    if not form.is_valid():
        messages.error(request, _("请选择科室。"))
        return redirect(back)
    query = {k: v for k in ("name", "page") if (v := form.cleaned_data.get(k))}
    if query:
        back = f"{back}?{urlencode(query)}"
    department = department_list_for(user=request.user).filter(pk=form.cleaned_data["department"]).first()
    try:
        doctor_department_set(actor=request.user, record=record, department=department)
    except TransitionRefused as exc:
        messages.error(request, f"{record.real_name}：{exc.message}")
    else:
        messages.success(
            request,
            _("已将%(doctor)s的所在科室设置为“%(department)s”。")
            % {"doctor": record.real_name, "department": department.name},
        )
    return redirect(back)


urlpatterns = [
    path("system/authorities/", authorities, name="authorities"),
    path("system/departments/", departments, name="departments"),
    path("system/departments/<int:pk>/delete/", department_remove, name="department_delete"),
    path("system/department-members/", department_members, name="department_members"),
    path("system/department-members/<int:pk>/", department_member_set, name="department_member_set"),
]
