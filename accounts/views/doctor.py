"""The home page for everyone, the doctor's own record pages and the help centre (ACC-8)."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.urls import path

from docregsys.reference.selectors import announcement_list_current
from printing.selectors import documents_current_of

from ..decorators import activated_required
from ..faq import DOCTOR, GUIDE, faq_list_for
from ..selectors import (
    activation_next_step,
    assessments_for,
    doctor_basic_info,
    doctor_records,
    open_application_count,
    practice_records_for,
)
from . import console_entrance_url, layout_for


def home(request):
    """Anonymous visitors, officers and reviewers: the portal home. Doctors: their own 首页 (ACC-8)."""
    user = request.user
    if user.is_authenticated and user.is_doctor and not user.is_superuser:
        step = activation_next_step(user)
        if step is not None:
            # Until activated, only what activation needs is reachable (ACC-5): go to the next step.
            return redirect(step.url)
        return _doctor_home(request)
    announcements = list(announcement_list_current())
    context = {
        "announcements": announcements,
        "layout": layout_for(user),
        "console_url": console_entrance_url(),
    }
    return render(request, "home.html", context)


def _doctor_home(request):
    user = request.user
    records = doctor_records(user)
    return render(
        request,
        "accounts/doctor/home.html",
        {
            "info": doctor_basic_info(user, records),
            "practice_records": records.practice_records,
            "open_applications": open_application_count(user),
            "announcements": list(announcement_list_current()),
        },
    )


@activated_required
def qualification(request):
    """资格信息: the doctor's qualification certificates and passed exam results (each with its 成绩单, PRN-4)."""
    records = doctor_records(request.user)
    reports = documents_current_of(kind="score_report", subject_ids=[e.pk for e in records.passed_exams])
    exams = [{"exam": exam, "report": reports.get(exam.pk)} for exam in records.passed_exams]
    return render(
        request,
        "accounts/doctor/qualification.html",
        {"certificates": records.certificates, "passed_exams": records.passed_exams, "exams": exams},
    )


@activated_required
def practice(request):
    """执业信息: every practice location with its state, valid ones first."""
    return render(
        request, "accounts/doctor/practice.html", {"practice_records": practice_records_for(request.user)}
    )


@activated_required
def assessment(request):
    """考核信息 (REG-10): the periodic assessment results."""
    return render(request, "accounts/doctor/assessment.html", {"assessments": assessments_for(request.user)})


def help_centre(request):
    """帮助中心 (INS-12): 在线提问 and the seed's 热点问题 · 系统操作指南, open to everyone."""
    faqs = faq_list_for(DOCTOR)
    context = {
        "layout": layout_for(request.user),
        "guides": [faq for faq in faqs if faq.category == GUIDE],
        "questions": [faq for faq in faqs if faq.category != GUIDE],
    }
    return render(request, "accounts/doctor/help.html", context)


urlpatterns = [
    path("help/", help_centre, name="help"),
    path("qualification/", qualification, name="qualification"),
    path("practice/", practice, name="practice"),
    path("assessment/", assessment, name="assessment"),
]
