"""The people of the access rules, defined once, with the tenants that make them differ.

Geography: 湖南省 → 长沙市 → 芙蓉区 and 天心区 (two counties of one city), 株洲市 → 荷塘区; 湖北省 → 武汉市
→ 江岸区. Institution X (芙蓉医院) lies in 芙蓉区, Y (天心医院) in 天心区.

- ``anonymous``: no session.
- ``doctor_a``: activated; a valid practice record at X and a qualification certificate.
- ``doctor_b``: activated; a valid practice record at Y.
- ``unactivated_doctor``: signed up (ID number given) but neither checked nor activated; a record at X
  waits for them.
- ``officer_x`` / ``officer_y``: 医疗机构注册管理员 of X / Y.
- ``county_reviewer`` / ``tianxin_reviewer``: reviewers of the 芙蓉区 / 天心区 health bureaus (same city).
- ``other_province_reviewer``: a reviewer of 湖北省's health commission.
- ``superuser``.

Every builder is get-or-create by a natural key, so fixtures and tests can ask for the same tenant or
person twice and get one row.
"""

from __future__ import annotations

import datetime as dt

from accounts.models import ActivationPath, User
from docregsys.reference.models import Authority, Region
from institutions.models import Institution
from qualifications.models import QualificationCertificate
from registrations.models import PracticeRecord

from .factories import (
    AuthorityFactory,
    CertificateFactory,
    DoctorFactory,
    InstitutionFactory,
    OfficerFactory,
    PracticeRecordFactory,
    RegionFactory,
    ReviewerFactory,
    UserFactory,
    make_resident_id,
)

PASSWORD = "Passw0rd2024"

# key: (code, name, full name, level, parent key)
REGIONS = {
    "province": ("430000", "湖南省", "湖南省", "province", None),
    "city": ("430100", "长沙市", "湖南省长沙市", "city", "province"),
    "furong": ("430102", "芙蓉区", "湖南省长沙市芙蓉区", "county", "city"),
    "tianxin": ("430103", "天心区", "湖南省长沙市天心区", "county", "city"),
    "zhuzhou": ("430200", "株洲市", "湖南省株洲市", "city", "province"),
    "hetang": ("430202", "荷塘区", "湖南省株洲市荷塘区", "county", "zhuzhou"),
    "hubei": ("420000", "湖北省", "湖北省", "province", None),
    "wuhan": ("420100", "武汉市", "湖北省武汉市", "city", "hubei"),
    "jiangan": ("420102", "江岸区", "湖北省武汉市江岸区", "county", "wuhan"),
}

# key: (region key, name); X and Y are the two institutions the personas belong to.
INSTITUTIONS = {
    "furong": ("furong", "芙蓉医院"),
    "tianxin": ("tianxin", "天心医院"),
    "hetang": ("hetang", "荷塘医院"),
    "jiangan": ("jiangan", "江岸医院"),
}
X, Y = "furong", "tianxin"

# Fixed ID numbers: the doctors' records are found by digest, so they must agree across builders.
DOCTOR_A_ID = make_resident_id("430102", "19850101", "231")
DOCTOR_B_ID = make_resident_id("430103", "19860202", "452")
UNACTIVATED_ID = make_resident_id("430102", "19900303", "673")

PERSONAS = (
    "anonymous",
    "doctor_a",
    "doctor_b",
    "unactivated_doctor",
    "officer_x",
    "officer_y",
    "county_reviewer",
    "tianxin_reviewer",
    "other_province_reviewer",
    "superuser",
)


def region(key: str) -> Region:
    code, name, full_name, level, parent = REGIONS[key]
    return RegionFactory(
        code=code, name=name, full_name=full_name, level=level, parent=region(parent) if parent else None
    )


def regions() -> dict[str, Region]:
    """Every region above, by key."""
    return {key: region(key) for key in REGIONS}


def authority(key: str) -> Authority:
    """The health commission (卫生健康委) of a region."""
    place = region(key)
    return AuthorityFactory(region=place, name=f"{place.full_name}卫生健康委")


def institution(key: str) -> Institution:
    region_key, name = INSTITUTIONS[key]
    found = Institution.objects.filter(name=name).first()
    return found or InstitutionFactory(name=name, region=region(region_key))


def institutions() -> dict[str, Institution]:
    """Four institutions in four counties: 芙蓉区, 天心区 (both 长沙市), 荷塘区 (株洲市), 江岸区 (湖北省)."""
    return {key: institution(key) for key in INSTITUTIONS}


def _existing(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _practice_record(*, id_number: str, real_name: str, at: str, number: str) -> PracticeRecord:
    place = institution(at)
    found = PracticeRecord.objects.filter(certificate_number=number).first()
    return found or PracticeRecordFactory(
        id_number=id_number,
        real_name=real_name,
        certificate_number=number,
        main_institution=place,
        location=place.region,
        authority=authority(INSTITUTIONS[at][0]),
        approval_date=dt.date(2015, 6, 1),
    )


def _doctor(username: str, *, real_name: str, id_number: str, at: str, number: str, **traits) -> User:
    _practice_record(id_number=id_number, real_name=real_name, at=at, number=number)
    return _existing(username) or DoctorFactory(
        username=username, real_name=real_name, id_number=id_number, **traits
    )


def doctor_a() -> User:
    """Activated (certificate path); a valid record at X and a qualification certificate."""
    if not QualificationCertificate.objects.filter(number="201043110430102198501010231").exists():
        CertificateFactory(number="201043110430102198501010231", real_name="王甲", id_number=DOCTOR_A_ID)
    return _doctor(
        "doctora",
        real_name="王甲",
        id_number=DOCTOR_A_ID,
        at=X,
        number="110430100000001",
        activated=True,
        activation_path=ActivationPath.CERTIFICATE,
    )


def doctor_b() -> User:
    """Activated; a valid record at Y."""
    return _doctor(
        "doctorb", real_name="李乙", id_number=DOCTOR_B_ID, at=Y, number="110430100000002", activated=True
    )


def unactivated_doctor() -> User:
    """Signed up with an ID number, not yet checked or activated; a valid record at X is theirs."""
    return _doctor("doctorc", real_name="赵丙", id_number=UNACTIVATED_ID, at=X, number="110430100000003")


def officer_x() -> User:
    return _existing("officerx") or OfficerFactory(
        username="officerx", real_name="刘管理", institution=institution(X)
    )


def officer_y() -> User:
    return _existing("officery") or OfficerFactory(
        username="officery", real_name="陈管理", institution=institution(Y)
    )


def reviewer(username: str, region_key: str) -> User:
    """A reviewer of the health commission of ``region_key``."""
    return _existing(username) or ReviewerFactory(username=username, authority=authority(region_key))


def county_reviewer() -> User:
    """Reviewer of 芙蓉区 (where X lies)."""
    return reviewer("frreviewer", "furong")


def tianxin_reviewer() -> User:
    """Reviewer of 天心区 (where Y lies): same city as 芙蓉区, another county."""
    return reviewer("txreviewer", "tianxin")


def other_province_reviewer() -> User:
    """Reviewer of 湖北省: a whole province, but not the one X and Y lie in."""
    return reviewer("hbreviewer", "hubei")


def city_reviewer() -> User:
    return reviewer("csreviewer", "city")


def province_reviewer() -> User:
    return reviewer("hnreviewer", "province")


def national_reviewer() -> User:
    found = _existing("gjreviewer")
    if found:
        return found
    national = Authority.objects.filter(level="national", region=None).first() or Authority.objects.create(
        name="国家卫生健康委员会", level="national", region=None
    )
    return ReviewerFactory(username="gjreviewer", authority=national)


def superuser() -> User:
    return _existing("admin") or UserFactory(username="admin", is_staff=True, is_superuser=True)


def persona(name: str) -> User | None:
    """The user behind a persona name (None for ``anonymous``)."""
    return None if name == "anonymous" else globals()[name]()


def everyone() -> dict[str, User | None]:
    """All personas of the access matrix, by name."""
    return {name: persona(name) for name in PERSONAS}
