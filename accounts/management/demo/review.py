"""Demo data: review — one pending 信息维护 request (REG-8) with a photo, for 本院医师信息审核 (INS-7)."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

from accounts.models import User
from docregsys.reference.models import Title
from registrations.models import ProfileChange
from registrations.selectors import profile_review_institution_for
from registrations.services.profile import profile_change_submit, profile_photo_submit

DOCTOR = "liujianguo"  # 刘建国: a valid registration at 长沙市第一医院 (load_demo's path a)


def demo_photo() -> bytes:
    """A 354×472 white-background ID-photo stand-in (a grey silhouette), JPEG, well under 80 KB."""
    image = Image.new("RGB", (354, 472), "white")
    draw = ImageDraw.Draw(image)
    draw.ellipse((122, 90, 232, 215), fill=(96, 104, 120))  # head
    draw.rounded_rectangle((70, 230, 284, 472), radius=60, fill=(52, 70, 110))  # shoulders
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def load(command) -> None:
    doctor = User.objects.filter(username=DOCTOR, role=User.Role.DOCTOR).first()
    if doctor is None or ProfileChange.objects.filter(doctor=doctor).exists():
        return
    institution = profile_review_institution_for(doctor=doctor)
    if institution is None:
        return
    title = "主治医师" if Title.objects.filter(name="主治医师").exists() else ""
    profile_change_submit(
        doctor=doctor,
        institution=institution,
        education="硕士研究生",
        school="中南大学湘雅医学院",
        major="内科学",
        title=title,
    )
    profile_photo_submit(doctor=doctor, institution=institution, data=io.BytesIO(demo_photo()))
    command.created += 1
