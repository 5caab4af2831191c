"""我的科室 (seed 002 §2.3.3, REG-8): an activated doctor picks their department of their main institution."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _

from docregsys.exceptions import TransitionRefused
from institutions.selectors import departments_of

from ..decorators import activated_required
from ..selectors import department_record_for
from ..services.departments import doctor_department_set


class MyDepartmentForm(forms.Form):
    department = forms.ModelChoiceField(
        queryset=None,
        widget=forms.RadioSelect,
        label=_("请选择您所在的科室："),
        error_messages={
            "required": _("请选择您所在的科室。"),
            "invalid_choice": _("所选科室不属于您的主要执业机构，请重新选择。"),
        },
    )

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments


@activated_required
def my_department(request):
    """我的科室: the departments of the main institution of the valid record, 保存."""
    record = department_record_for(request.user)
    departments = departments_of(record.main_institution_id if record else None)
    form = MyDepartmentForm(
        request.POST or None,
        departments=departments,
        initial={"department": record.department_id if record else None},
    )
    if request.method == "POST" and record is not None and form.is_valid():
        try:
            doctor_department_set(
                actor=request.user, record=record, department=form.cleaned_data["department"]
            )
        except TransitionRefused as exc:
            exc.add_to_form(form)
        else:
            messages.success(request, _("已保存您所在的科室。"))
            return redirect("accounts:my_department")
    context = {
        "record": record,
        "form": form,
        "departments": list(departments),
        "current": record.department_id if record else None,
    }
    status = 400 if form.errors else 200
    return render(request, "accounts/doctor/my_department.html", context, status=status)


urlpatterns = [
    path("department/", my_department, name="my_department"),
]
