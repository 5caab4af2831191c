"""Loaders for the reference data of SPEC §2: regions, authorities and the fixed code lists.

Each loader reads its file under `fixtures/`, upserts every row in a few set-based statements
(`bulk_create(update_conflicts=True)`: INSERT … ON CONFLICT DO UPDATE on SQLite and PostgreSQL)
and returns the number of rows it wrote. Running a loader again rewrites the same values, so
loading is idempotent. Rows that disappear from a file are left alone: other tables point at
reference rows with PROTECT, and a code, once issued, keeps its meaning.
"""

import csv
from pathlib import Path

from django.conf import settings
from django.db import models

from docregsys.reference.models import (
    Authority,
    DeregistrationReason,
    ExamCategory,
    FilingReason,
    PracticeScope,
    Region,
    Title,
    TreatmentSubject,
)

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
REGIONS = FIXTURES / "regions"
REFERENCE = FIXTURES / "reference"

# Rows of the code table that only group counties under a province; they are not cities.
GROUPING_NAMES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}

# Not in the mainland code table but valid as a place of birth or origin; no sub-divisions,
# and no mainland authority approves anything there.
OUTSIDE_MAINLAND = [("810000", "香港特别行政区"), ("820000", "澳门特别行政区"), ("710000", "台湾省")]

NATIONAL_AUTHORITIES = [
    (Authority.Kind.HEALTH, "国家卫生健康委员会"),
    (Authority.Kind.TCM, "国家中医药管理局"),
]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return [{k: v.strip() for k, v in row.items()} for row in csv.DictReader(f)]


def _upsert(model: type[models.Model], objs: list[models.Model], unique_fields: list[str]) -> int:
    """INSERT … ON CONFLICT (unique_fields) DO UPDATE every other concrete field."""
    update_fields = [
        f.name for f in model._meta.concrete_fields if not f.primary_key and f.name not in unique_fields
    ]
    model.objects.bulk_create(
        objs, update_conflicts=True, unique_fields=unique_fields, update_fields=update_fields, batch_size=1000
    )
    return len(objs)


def regions_load() -> int:
    """Load the GB/T 2260 province → city → county tree, plus HK, Macau and Taiwan."""
    provinces = {r["code"] + "0000": r["name"] for r in _rows(REGIONS / "provinces.csv")}
    cities = _rows(REGIONS / "cities.csv")
    areas = _rows(REGIONS / "areas.csv")

    rows = [
        Region(code=code, name=name, full_name=name, level=Region.Level.PROVINCE, parent=None)
        for code, name in [*provinces.items(), *OUTSIDE_MAINLAND]
    ]
    city_full_names = {}
    for r in cities:
        code, province = r["code"] + "00", r["provinceCode"] + "0000"
        grouping = r["name"] in GROUPING_NAMES
        full_name = provinces[province] + ("" if grouping else r["name"])
        city_full_names[code] = full_name
        rows.append(
            Region(
                code=code,
                name=r["name"],
                full_name=full_name,
                level=Region.Level.CITY,
                parent_id=province,
                is_grouping=grouping,
            )
        )
    for r in areas:
        code, city = r["code"], r["cityCode"] + "00"
        # 东莞, 中山, 儋州 have no counties; the table repeats the city as its own county row
        # under the same six-digit code, which is the city row already.
        if code == city:
            continue
        rows.append(
            Region(
                code=code,
                name=r["name"],
                full_name=city_full_names[city] + r["name"],
                level=Region.Level.COUNTY,
                parent_id=city,
            )
        )
    # Parents come before children, so each batch only points at rows already written.
    return _upsert(Region, rows, ["code"])


def _authority(region: Region, kind: str, suffix: str) -> Authority:
    # Region and Authority levels share their values below the national level.
    return Authority(kind=kind, level=region.level, region=region, name=f"{region.full_name}{suffix}")


def authorities_load() -> int:
    """Create a health authority per region (but grouping rows) and a TCM one per mainland province."""
    written = 0
    # NULL regions never conflict in a unique constraint, so the national ones are matched by hand.
    for kind, name in NATIONAL_AUTHORITIES:
        updated = Authority.objects.filter(level=Authority.Level.NATIONAL, kind=kind, region=None).update(
            name=name
        )
        if not updated:
            Authority.objects.create(level=Authority.Level.NATIONAL, kind=kind, region=None, name=name)
        written += 1

    outside = {code for code, _ in OUTSIDE_MAINLAND}
    regions = (
        Region.objects.filter(is_grouping=False).exclude(code__in=outside).only("code", "level", "full_name")
    )
    rows = []
    for region in regions:
        # Counties have a 卫生健康局, provinces and cities a 卫生健康委员会.
        suffix = "卫生健康局" if region.level == Region.Level.COUNTY else "卫生健康委员会"
        rows.append(_authority(region, Authority.Kind.HEALTH, suffix))
        if region.level == Region.Level.PROVINCE:
            rows.append(_authority(region, Authority.Kind.TCM, "中医药管理局"))
    # Only name and level come from the reference: statutory_days and is_active are set by each
    # authority in the admin and must survive a reload.
    Authority.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["kind", "region"],
        update_fields=["name", "level"],
        batch_size=1000,
    )
    return written + len(rows)


def exam_categories_load() -> int:
    """Load the exam centre's 报考类别 (110 … 250)."""
    rows = [ExamCategory(**r) for r in _rows(REFERENCE / "exam_categories.csv")]
    return _upsert(ExamCategory, rows, ["code"])


def practice_scopes_load() -> int:
    """Load the 执业范围 of each doctor category."""
    rows = [PracticeScope(order=i, **r) for i, r in enumerate(_rows(REFERENCE / "practice_scopes.csv"), 1)]
    return _upsert(PracticeScope, rows, ["code"])


def treatment_subjects_load() -> int:
    """Load the 医疗机构诊疗科目名录; a subject's parent is its code less the last segment."""
    rows = [
        TreatmentSubject(code=r["code"], name=r["name"], parent_id=r["code"].rpartition(".")[0] or None)
        for r in _rows(REFERENCE / "treatment_subjects.csv")
    ]
    return _upsert(TreatmentSubject, rows, ["code"])


def _ordered_list_load(model: type[models.Model], filename: str) -> int:
    rows = [model(order=i, **r) for i, r in enumerate(_rows(REFERENCE / filename), 1)]
    return _upsert(model, rows, ["code"])


def titles_load() -> int:
    """Load the 任职资格 (医士 … 主任医师)."""
    return _ordered_list_load(Title, "titles.csv")


def deregistration_reasons_load() -> int:
    """Load the ten 注销情形 of seed 002 §6."""
    return _ordered_list_load(DeregistrationReason, "deregistration_reasons.csv")


def filing_reasons_load() -> int:
    """Load the 注册备案情形 of seed 002 §8.1."""
    return _ordered_list_load(FilingReason, "filing_reasons.csv")


# In dependency order: authorities need regions.
LOADERS = {
    "regions": regions_load,
    "authorities": authorities_load,
    "exam categories": exam_categories_load,
    "practice scopes": practice_scopes_load,
    "treatment subjects": treatment_subjects_load,
    "titles": titles_load,
    "deregistration reasons": deregistration_reasons_load,
    "filing reasons": filing_reasons_load,
}
