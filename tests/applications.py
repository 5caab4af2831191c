"""Scenario builders for the application tests (REG-2 … REG-7): people whose records satisfy the SPEC's rules.

Built on the personas' geography (tests/personas.py): 湖南省 → 长沙市 → 芙蓉区 (X, 芙蓉医院) and 天心区
(Y, 天心医院), 株洲市 → 荷塘区 (荷塘医院); 湖北省 → 武汉市 → 江岸区 (江岸医院). ``route()`` gives an
institution its 审批机关设置 (INS-2): without one, an institution cannot agree to anything.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from docregsys.reference.models import (
    Authority,
    Category,
    DeregistrationReason,
    FilingReason,
    Level,
    PracticeScope,
)
from institutions.models import Institution, InstitutionAuthority
from registrations.models import Kind, PracticeRecord
from registrations.rules import Draft

from . import personas
from .factories import (
    AuthorityFactory,
    CertificateFactory,
    DoctorFactory,
    ExamCategoryFactory,
    ExamResultFactory,
    PracticeRecordFactory,
    ReviewerFactory,
    make_resident_id,
)

SCOPES = {  # (code, name, category) as in fixtures/reference/practice_scopes.csv
    "内科专业": ("11", "clinical"),
    "外科专业": ("12", "clinical"),
    "儿科专业": ("14", "clinical"),
    "口腔专业": ("21", "dental"),
    "公共卫生类别专业": ("31", "public_health"),
    "中医专业": ("41", "tcm"),
}


def scope(name: str = "内科专业") -> PracticeScope:
    """A practice scope of the reference list (created on first use, as load_reference would)."""
    code, category = SCOPES[name]
    found, _created = PracticeScope.objects.get_or_create(
        code=code, defaults={"name": name, "category": category}
    )
    return found


def reason(code: str = "10") -> DeregistrationReason:
    """注销情形 by its code (10: 本人主动申请的; 04/05: the assessment grounds of REG-10)."""
    names = {
        "01": "死亡或者被宣告失踪的",
        "04": "医师定期考核不合格，并经培训后再次考核仍不合格的",
        "05": "连续两个考核周期未参加医师定期考核的",
        "06": "中止医师执业活动满两年的",
        "10": "本人主动申请的",
    }
    found, _created = DeregistrationReason.objects.get_or_create(
        code=code, defaults={"name": names.get(code, code)}
    )
    return found


def filing_reason(code: str = "02") -> FilingReason:
    names = {"01": "调离", "02": "退休", "03": "退职", "04": "被辞退", "05": "被开除"}
    found, _created = FilingReason.objects.get_or_create(code=code, defaults={"name": names[code]})
    return found


def route(
    institution: Institution, category: str = Category.CLINICAL, authority: Authority | None = None
) -> Authority:
    """INS-2: the institution's doctors of `category` are approved by `authority` (default: its county's)."""
    authority = authority or AuthorityFactory(region=institution.region)
    InstitutionAuthority.objects.update_or_create(
        institution=institution, category=category, defaults={"authority": authority}
    )
    return authority


def reviewer_for(authority: Authority, username: str | None = None):
    """A reviewer of `authority` (one per authority)."""
    username = username or f"rv{authority.pk:05d}"
    return personas._existing(username) or ReviewerFactory(username=username, authority=authority)


def new_passer(
    *,
    real_name: str = "周新",
    level: str = Level.PHYSICIAN,
    category: str = Category.CLINICAL,
    year: int | None = None,
    activated: bool = True,
    certificate: bool = True,
    **traits,
):
    """A doctor who passed this year's exam: a passing result, a certificate (unless certificate=False),
    no practice record yet. Activated by default (path b/c); pass activated=False for ACC-5d."""
    year = year or timezone.localdate().year
    id_number = make_resident_id("430102", "19980505")
    code = {Level.PHYSICIAN: "110", Level.ASSISTANT: "210"}[level]
    ExamResultFactory(
        real_name=real_name,
        id_number=id_number,
        year=year,
        exam_category=ExamCategoryFactory(code=code, level=level, category=category),
    )
    if certificate:
        CertificateFactory(
            real_name=real_name,
            id_number=id_number,
            level=level,
            category=category,
            year_obtained=year,
            number=f"{year}{code}430{id_number}",
        )
    state = {"activated": True} if activated else {"phone_verified": True}
    return DoctorFactory(real_name=real_name, id_number=id_number, **state, **traits)


def registered_doctor(
    *,
    at: Institution,
    real_name: str = "吴医",
    level: str = Level.PHYSICIAN,
    category: str = Category.CLINICAL,
    scopes=("内科专业",),
    obtained: int = 2015,
    approval_date: dt.date = dt.date(2016, 3, 1),
    **traits,
):
    """An activated doctor holding a certificate and a valid record at `at` (location: its province for a
    执业医师, its county for an assistant); returns (doctor, record)."""
    id_number = make_resident_id("430103", "19880808")
    code = {Level.PHYSICIAN: "110", Level.ASSISTANT: "210"}[level]
    CertificateFactory(
        real_name=real_name,
        id_number=id_number,
        level=level,
        category=category,
        year_obtained=obtained,
        number=f"{obtained}{code}430{id_number}",
    )
    location = at.region if level == Level.ASSISTANT else province_of(at)
    record = PracticeRecordFactory(
        real_name=real_name,
        id_number=id_number,
        level=level,
        category=category,
        main_institution=at,
        location=location,
        authority=route(at, category),
        approval_date=approval_date,
    )
    record.scopes.set([scope(name) for name in scopes])
    doctor = DoctorFactory(real_name=real_name, id_number=id_number, activated=True, **traits)
    return doctor, record


def province_of(institution: Institution):
    """The province region of an institution (a 执业医师's location)."""
    from docregsys.reference.models import Region

    return Region.objects.get(code=institution.region_id[:2] + "0000")


def registration_draft(
    *,
    institution: Institution,
    level: str = Level.PHYSICIAN,
    category: str = Category.CLINICAL,
    scopes=("内科专业",),
    **extra,
) -> Draft:
    """A 注册 draft at `institution` in the location the level asks for."""
    location = institution.region if level == Level.ASSISTANT else province_of(institution)
    return Draft(
        kind=Kind.REGISTER,
        institution=institution,
        level=level,
        category=category,
        location=location,
        scopes=[scope(name) for name in scopes],
        statement="申请执业注册",
        **extra,
    )


def valid_records_of(doctor) -> list[PracticeRecord]:
    return list(
        PracticeRecord.objects.filter(
            id_number_digest=doctor.id_number_digest, state=PracticeRecord.State.VALID
        )
    )
