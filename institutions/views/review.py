"""Console pages: 业务办理 → 本院医师信息审核 (INS-7, seed 002 ch.3 §7).

The queue lists the pending 信息维护 requests (REG-8) the officer's institution reviews; one request shows
the values the registration holds next to what the doctor asks for, both photos, and 审核通过 / 不通过.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from accounts.selectors import doctor_basic_info, doctor_records
from accounts.views.maintenance import photo_response
from docregsys.exceptions import TransitionRefused
from docregsys.identity.normalize import normalize_text
from registrations.models import PracticeRecord, ProfileChange
from registrations.selectors import practice_record_list_for, profile_change_list_for
from registrations.services.profile import REASON_MAX_LENGTH, profile_change_approve, profile_change_reject

from . import officer_required
from .tables import export_format, export_response, paginate


class InfoReviewFilterForm(forms.Form):
    name = forms.CharField(label=_("医师姓名"), max_length=28, required=False)


class InfoRejectForm(forms.Form):
    reason = forms.CharField(
        label=_("不通过原因"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写不通过的原因。")},
    )


def pending_changes_for(officer, *, name: str = ""):
    """The institution's pending requests, newest first, with the doctor (one query per page)."""
    qs = (
        profile_change_list_for(user=officer)
        .filter(state=ProfileChange.State.PENDING)
        .select_related("doctor")
        .order_by("-updated_at", "-pk")
    )
    if name:
        qs = qs.filter(doctor__real_name__contains=name)
    return qs


@require_GET
@officer_required
def info_reviews(request):
    """本院医师信息审核: 医师姓名 [查询]; 姓名, 身份证号, 注册时间, 信息是否有更新, 操作 [审核]."""
    form = InfoReviewFilterForm(request.GET or None)
    name = normalize_text(form.cleaned_data["name"]) if form.is_valid() else ""
    changes = pending_changes_for(request.user, name=name)
    if (fmt := export_format(request)) is not None:
        rows = (
            (
                c.doctor.real_name,
                c.doctor.id_number_masked,
                timezone.localtime(c.doctor.date_joined).strftime("%Y-%m-%d %H:%M:%S"),
                " ".join(
                    str(t) for t, on in ((INFO_UPDATED, c.info_changed), (PHOTO_UPDATED, c.photo)) if on
                ),
            )
            for c in changes
        )
        return export_response(fmt, name="本院医师信息审核", headers=REVIEW_HEADERS, rows=rows)
    page = paginate(request, changes)
    return render(request, "institutions/review/list.html", {"form": form, "page": page, "name": name})


INFO_UPDATED, PHOTO_UPDATED = _("信息有更新"), _("相片有更新")
REVIEW_HEADERS = (_("姓名"), _("身份证号"), _("注册时间"), _("信息是否有更新"))


def _record_here(officer, doctor) -> PracticeRecord | None:
    """The doctor's valid record whose main institution is the officer's (for the current photo)."""
    if not doctor.id_number_digest:
        return None
    return (
        practice_record_list_for(user=officer)
        .filter(
            id_number_digest=doctor.id_number_digest,
            real_name=doctor.real_name,
            state=PracticeRecord.State.VALID,
        )
        .first()
    )


@officer_required
def info_review(request, pk: int):
    """One request: 个人信息修改对照原始资格信息 next to 该医师请求变更的内容; 审核通过 or 不通过 (with reason)."""
    change = get_object_or_404(pending_changes_for(request.user), pk=pk)
    reject_form = InfoRejectForm()
    status = 200
    if request.method == "POST":
        if request.POST.get("action") == "reject":
            reject_form = InfoRejectForm(request.POST)
            if reject_form.is_valid():
                try:
                    profile_change_reject(
                        officer=request.user, change=change, reason=reject_form.cleaned_data["reason"]
                    )
                except TransitionRefused as refusal:
                    refusal.add_to_form(reject_form)
                else:
                    messages.success(request, _("已审核：不通过。"))
                    return redirect("console:info_reviews")
        else:
            try:
                profile_change_approve(officer=request.user, change=change)
            except TransitionRefused as refusal:
                messages.error(request, refusal.message)  # no form field to tie it to: the page's message
            else:
                messages.success(request, _("已审核通过，医师的执业注册信息已更新。"))
                return redirect("console:info_reviews")
        status = 400
    doctor = change.doctor
    records = doctor_records(doctor)
    return render(
        request,
        "institutions/review/detail.html",
        {
            "change": change,
            "doctor": doctor,
            "info": doctor_basic_info(doctor, records),
            "record": _record_here(request.user, doctor),
            "reject_form": reject_form,
        },
        status=status,
    )


@require_GET
@officer_required
def info_review_photo(request, pk: int):
    """The photo a doctor uploaded, for the institution that reviews the request (any state)."""
    change = get_object_or_404(profile_change_list_for(user=request.user).exclude(photo=""), pk=pk)
    return photo_response(change.photo)


@require_GET
@officer_required
def record_photo(request, pk: int):
    """The approved photo on a practice record whose main institution is the officer's."""
    record = get_object_or_404(practice_record_list_for(user=request.user).exclude(photo=""), pk=pk)
    return photo_response(record.photo)


urlpatterns = [
    path("reviews/", info_reviews, name="info_reviews"),
    path("reviews/<int:pk>/", info_review, name="info_review"),
    path("reviews/<int:pk>/photo/", info_review_photo, name="info_review_photo"),
    path("records/<int:pk>/photo/", record_photo, name="record_photo"),
]
