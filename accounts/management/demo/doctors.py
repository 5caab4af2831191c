"""Demo data: 本院执业医师信息 (INS-5): more doctors at the two demo institutions, filings between them both
ways, two 多地点 and one 备案 record, so that each of the six lists shows rows."""

from __future__ import annotations

import datetime as dt

from stdnum.cn import ric

from docregsys.reference.models import Category, Level, PracticeScope
from registrations.models import ExtraLocation, MultiInstitutionFiling, PracticeRecord

FIRST, XIANGYA = "44500078543010211A1001", "44500091243010311A1002"  # 长沙市第一医院, 湘雅测试医院

# (certificate number, name, region + birth + sequence of the synthetic ID number, main institution, state,
#  scope name fragment, education, title); the 17th digit of the ID number gives the sex.
RECORDS = [
    ("110430100020001", "王晓红", ("430102", "19810214", "022"), FIRST, "valid", "内科", "本科", "主治医师"),
    (
        "110430100020002",
        "杨志强",
        ("430102", "19780930", "013"),
        FIRST,
        "valid",
        "外科",
        "硕士研究生",
        "副主任医师",
    ),
    ("110430100020003", "孙丽", ("430103", "19830507", "024"), FIRST, "valid", "内科", "本科", "医师"),
    (
        "110430100020004",
        "许文斌",
        ("430103", "19820611", "035"),
        XIANGYA,
        "valid",
        "内科",
        "本科",
        "主治医师",
    ),
    (
        "110430100020005",
        "郭敏",
        ("430103", "19750122", "046"),
        XIANGYA,
        "valid",
        "外科",
        "博士研究生",
        "主任医师",
    ),
    ("110430100020006", "马建华", ("430102", "19590818", "057"), FIRST, "filed", "内科", "大专", "主任医师"),
]
# (certificate number of the record, institution it is filed at, filed on)
FILINGS = [
    ("110430100020001", XIANGYA, dt.date(2022, 4, 8)),  # 本院多执业机构备案医师 of 长沙市第一医院
    ("110430100020004", FIRST, dt.date(2023, 2, 20)),  # 外院在本院多执业机构医师 of 长沙市第一医院
]
# 多地点 (old policy, approved before 2017): (certificate number, institution, approved on)
LOCATIONS = [
    ("110430100020002", XIANGYA, dt.date(2015, 9, 1)),
    ("110430100020005", FIRST, dt.date(2016, 3, 15)),
]


def _resident_id(region: str, birth: str, seq: str) -> str:
    body = region + birth + seq
    return body + ric.calc_check_digit(body + "0")


def _scope(fragment: str):
    return PracticeScope.objects.filter(category=Category.CLINICAL, name__contains=fragment).first()


def load(command) -> None:
    institutions = command.institutions
    records = {}
    for number, name, (region, birth, seq), at, state, scope, education, title in RECORDS:
        record = PracticeRecord.objects.filter(certificate_number=number).first()
        if record is None:
            institution = institutions[at]
            setting = institution.authority_settings.filter(category=Category.CLINICAL).first()
            record = PracticeRecord(
                real_name=name,
                certificate_number=number,
                level=Level.PHYSICIAN,
                category=Category.CLINICAL,
                location_id=institution.region_id,
                main_institution=institution,
                authority=setting.authority,
                approval_date=dt.date(2016, 5, 1),
                state=state,
                education=education,
                title=title,
            )
            record.set_id_number(_resident_id(region, birth, seq))
            record.save()
            if found := _scope(scope):
                record.scopes.add(found)
            command.created += 1
        records[number] = record
    for number, at, filed_on in FILINGS:
        record, institution = records[number], institutions[at]
        if not MultiInstitutionFiling.objects.filter(record=record, institution=institution).exists():
            filing = MultiInstitutionFiling.objects.create(
                record=record,
                institution=institution,
                filed_on=filed_on,
                authority=record.authority,
            )
            filing.scopes.set(record.scopes.all())
            command.created += 1
    for number, at, approved_on in LOCATIONS:
        record, institution = records[number], institutions[at]
        _location, created = ExtraLocation.objects.get_or_create(
            record=record,
            institution=institution,
            defaults={"location_id": institution.region_id, "approved_on": approved_on},
        )
        command.created += created
