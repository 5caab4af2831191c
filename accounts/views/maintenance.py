"""REG-8 信息维护 (seed 002 §2.3): the doctor asks to change 学历/毕业学校/所学专业/任职资格 and the photo.

The request waits for the main institution's review (INS-7); the doctor sees what is pending or how the
last one ended. Photos are handed out here one by one, to their owner only, never from a public URL.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from docregsys.exceptions import TransitionRefused
from registrations.photos import photo_read
from registrations.selectors import profile_changes_of, profile_review_institution_for
from registrations.services.profile import profile_change_submit, profile_photo_submit

from ..decorators import activated_required
from ..forms.maintenance import ProfileInfoForm, ProfilePhotoForm
from ..selectors import doctor_basic_info, doctor_records

PANELS = ("changes", "photo", "edit", "upload")


def photo_response(name: str) -> HttpResponse:
    """One private photo, never cached by the browser or a proxy, never sniffed as anything but an image."""
    found = photo_read(name)
    if found is None:
        raise Http404
    data, content_type = found
    response = HttpResponse(data, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _my_department_url() -> str | None:
    try:
        return reverse("accounts:my_department")
    except NoReverseMatch:  # 我的科室 comes with another part of the work: no dead tab meanwhile
        return None


@activated_required
def maintenance(request):
    """信息维护 (REG-8): current values, the pending request or the last outcome, and the two forms."""
    user = request.user
    panel = request.GET.get("panel", "")
    panel = panel if panel in PANELS else ""
    info_form = photo_form = None
    if request.method == "POST":
        institution = profile_review_institution_for(doctor=user)
        if request.POST.get("action") == "photo":
            panel = "upload"
            photo_form = ProfilePhotoForm(request.POST, request.FILES)
            if photo_form.is_valid():
                try:
                    profile_photo_submit(
                        doctor=user, institution=institution, data=photo_form.cleaned_data["photo"]
                    )
                except TransitionRefused as refusal:
                    refusal.add_to_form(photo_form)
                else:
                    messages.success(request, _("相片已上传，须等待您所在医疗机构审核。"))
                    return redirect(f"{reverse('accounts:maintenance')}?panel=photo")
        else:
            panel = "edit"
            info_form = ProfileInfoForm(request.POST)
            if info_form.is_valid():
                try:
                    profile_change_submit(doctor=user, institution=institution, **info_form.cleaned_data)
                except TransitionRefused as refusal:
                    refusal.add_to_form(info_form)
                else:
                    messages.success(request, _("修改已提交，须等待您所在医疗机构审核。"))
                    return redirect(f"{reverse('accounts:maintenance')}?panel=changes")
    records = doctor_records(user)
    info = doctor_basic_info(user, records)
    if info_form is None:
        info_form = ProfileInfoForm(
            initial={
                "school": info.school,
                "education": info.education,
                "major": info.major,
                "title": info.title,
            }
        )
    changes = profile_changes_of(doctor=user)
    return render(
        request,
        "accounts/doctor/maintenance.html",
        {
            "info": info,
            "panel": panel,
            "info_form": info_form,
            "photo_form": photo_form or ProfilePhotoForm(),
            "info_change": changes.filter(info_changed=True).select_related("institution").first(),
            "photo_change": changes.exclude(photo="").select_related("institution").first(),
            "my_department_url": _my_department_url(),
            "may_submit": info.record is not None,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_GET
@activated_required
def photo(request, pk: int):
    """A photo the doctor uploaded (pending or decided): only their own."""
    change = get_object_or_404(profile_changes_of(doctor=request.user).exclude(photo=""), pk=pk)
    return photo_response(change.photo)


@require_GET
@activated_required
def current_photo(request):
    """The approved photo on the doctor's valid practice record."""
    info = doctor_basic_info(request.user, doctor_records(request.user))
    if not info.photo:
        raise Http404
    return photo_response(info.photo)


urlpatterns = [
    path("maintenance/", maintenance, name="maintenance"),
    path("maintenance/photos/<int:pk>/", photo, name="photo"),
    path("maintenance/photo/", current_photo, name="current_photo"),
]
