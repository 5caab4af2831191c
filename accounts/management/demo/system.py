"""Demo data: 系统功能 — the departments (INS-3) and every category's approving authority (INS-2) of the
demo institutions, and two activated doctors of 长沙市第一医院 already in a department."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from stdnum.cn import ric

from accounts.models import ActivationPath, User
from docregsys.reference.models import Category, Level, TreatmentSubject
from institutions.models import Department, InstitutionAuthority
from institutions.selectors import authority_choices_for
from registrations.models import PracticeRecord

# (name, treatment subject codes): seed 002 ch.3 §4's examples.
DEPARTMENTS = [("内科", ["03", "03.01"]), ("外科", ["04", "04.01"]), ("口腔科", ["12"])]

# (username, name, region, birth date, sequence, certificate number, department): activated, so the
# officer's 本院医师所在科室信息维护 shows them with their department and the doctor's 我的科室 works.
FIRST_HOSPITAL = "44500078543010211A1001"
ASSIGNED = [
    ("sunlixin", "孙立新", "430102", "19800512", "135", "110430100077001", "内科"),
    ("zhouhaiyan", "周海燕", "430103", "19830921", "246", "110430100077002", "外科"),
]


def _resident_id(region: str, birth: str, seq: str) -> str:
    body = region + birth + seq
    return body + ric.calc_check_digit(body + "0")


def load(command) -> None:
    subjects = {s.code: s for s in TreatmentSubject.objects.all()}
    for institution in command.institutions.values():
        _departments(command, institution, subjects)
        _authorities(command, institution)
    _assigned_doctors(command)


def _departments(command, institution, subjects) -> None:
    allowed = set(institution.subjects.values_list("code", flat=True)) or set(subjects)
    for name, codes in DEPARTMENTS:
        chosen = [subjects[c] for c in codes if c in subjects and c in allowed]
        if not chosen or Department.objects.filter(institution=institution, name=name).exists():
            continue
        department = Department.objects.create(institution=institution, name=name)
        department.subjects.set(chosen)
        command.created += 1


def _authorities(command, institution) -> None:
    """Every category gets a setting: the nearest allowed authority (中医: the TCM administration first)."""
    for category in Category.values:
        if InstitutionAuthority.objects.filter(institution=institution, category=category).exists():
            continue
        choices = list(authority_choices_for(region_code=institution.region_id, category=category))
        if not choices:
            continue
        choices.sort(key=lambda a: (category == Category.TCM and a.kind != "tcm", -int(a.region_id)))
        InstitutionAuthority.objects.create(institution=institution, category=category, authority=choices[0])
        command.created += 1


def _assigned_doctors(command) -> None:
    from accounts.management.commands.load_demo import DEMO_PASSWORD

    institution = command.institutions.get(FIRST_HOSPITAL)
    setting = institution and institution.authority_settings.filter(category=Category.CLINICAL).first()
    if setting is None:
        return
    for username, name, region, birth, seq, number, department_name in ASSIGNED:
        id_number = _resident_id(region, birth, seq)
        department = Department.objects.filter(institution=institution, name=department_name).first()
        record = PracticeRecord.objects.filter(certificate_number=number).first()
        if record is None:
            record = PracticeRecord(
                real_name=name,
                certificate_number=number,
                level=Level.PHYSICIAN,
                category=Category.CLINICAL,
                location_id="430000",
                main_institution=institution,
                authority=setting.authority,
                approval_date=dt.date(2016, 7, 1),
                department=department,
            )
            record.set_id_number(id_number)
            record.save()
            command.created += 1
        if not User.objects.filter(username=username).exists():
            now = timezone.now()
            user = User(
                username=username,
                real_name=name,
                role=User.Role.DOCTOR,
                checked_at=now,
                activated_at=now,
                activation_path=ActivationPath.INSTITUTION_CODE,
            )
            user.set_id_number(id_number)
            user.set_password(DEMO_PASSWORD)
            user.save()
            command.created += 1
