"""Benchmark INS-5: the six 本院执业医师信息 lists of an institution with 5,000 doctors.

Generates (once) one institution's 5,000 practice records — most valid, some 备案 — with scopes, departments,
doctor accounts for about two thirds of them, filings and 多地点 both ways with two neighbouring
institutions; then asks each list page N times as the institution's officer with Django's test client:
the first page, a filtered page and both exports. Prints p50 / p95 in ms (target: p95 < 100 ms for pages).

The default database is a scratch SQLite file; PostgreSQL via DATABASE_URL (the database is created):

DATABASE_URL=postgres://postgres@127.0.0.1:5432/docregsys_bench_lists .venv/bin/python benches/institution_lists.py
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benches"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "docregsys.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{tempfile.gettempdir()}/docregsys-bench-lists.sqlite3")

from import_exam_results import GIVEN, SURNAMES, ensure_database  # noqa: E402

REGISTRATION = "BENCH-LISTS-X"
SCOPES = [
    ("0101", "内科专业"),
    ("0102", "外科专业"),
    ("0103", "妇产科专业"),
    ("0104", "儿科专业"),
    ("0105", "眼耳鼻咽喉科专业"),
]
DEPARTMENTS = ["内科", "外科", "妇产科", "儿科", "眼科", "耳鼻喉科", "病理科", "检验科", "急诊科", "麻醉科"]


def resident_id(rng: random.Random) -> str:
    from stdnum.cn import ric

    birth = f"{rng.randint(1960, 1995)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    body = "430102" + birth + f"{rng.randint(0, 999):03d}"
    return body + ric.calc_check_digit(body + "0")


def _world():
    """Regions, an authority, scopes and three institutions; X's officer."""
    from accounts.models import User
    from docregsys.reference.models import Authority, PracticeScope, Region
    from institutions.models import Department, Institution

    province, _ = Region.objects.get_or_create(
        code="430000", defaults={"name": "湖南省", "full_name": "湖南省", "level": "province"}
    )
    city, _ = Region.objects.get_or_create(
        code="430100",
        defaults={"name": "长沙市", "full_name": "湖南省长沙市", "level": "city", "parent": province},
    )
    county, _ = Region.objects.get_or_create(
        code="430102",
        defaults={"name": "芙蓉区", "full_name": "湖南省长沙市芙蓉区", "level": "county", "parent": city},
    )
    authority, _ = Authority.objects.get_or_create(
        kind="health", region=county, defaults={"level": "county", "name": "芙蓉区卫生健康局"}
    )
    for code, name in SCOPES:
        PracticeScope.objects.get_or_create(code=code, defaults={"name": name, "category": "clinical"})
    institutions = [
        Institution.objects.get_or_create(
            registration_number=f"{REGISTRATION}{suffix}", defaults={"name": name, "region": county}
        )[0]
        for suffix, name in (("", "基准医院"), ("-Y", "邻近医院甲"), ("-Z", "邻近医院乙"))
    ]
    for name in DEPARTMENTS:
        Department.objects.get_or_create(institution=institutions[0], name=name)
    officer = User.objects.filter(username="benchlists").first()
    if officer is None:
        officer = User(
            username="benchlists", real_name="基准管理员", role=User.Role.OFFICER, institution=institutions[0]
        )
        officer.set_unusable_password()
        officer.save()
    return institutions, authority, officer


def generate(doctors: int, seed: int = 5) -> None:
    """`doctors` records at X (10% 备案), accounts for two thirds (checked; a third activated; one in ten with a
    pending information change), filings and 多地点 both ways (bulk writes)."""
    from django.db import transaction

    from accounts.models import User
    from docregsys.identity.crypto import identity_columns
    from docregsys.reference.models import PracticeScope
    from institutions.models import Department
    from registrations.models import (
        ExtraLocation,
        MultiInstitutionFiling,
        PracticeRecord,
        ProfileChange,
        resident_sex_birth,
    )

    (x, y, z), authority, _officer = _world()
    if PracticeRecord.objects.filter(main_institution=x).count() >= doctors:
        return
    rng = random.Random(seed)
    scopes = list(PracticeScope.objects.filter(code__in=[c for c, _ in SCOPES]))
    departments = list(Department.objects.filter(institution=x))
    now = dt.datetime.now(dt.UTC)
    with transaction.atomic():
        records, users, seen = [], [], set()
        outsiders = doctors // 10  # doctors of Y and Z filed or 多地点 at X
        while len(records) < doctors + outsiders:
            number = resident_id(rng)
            if number in seen:
                continue
            seen.add(number)
            i = len(records)
            name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))
            cipher, digest, masked = identity_columns(number)
            sex, birth = resident_sex_birth("resident", number)
            here = i < doctors
            records.append(
                PracticeRecord(
                    real_name=name, id_number_cipher=cipher, id_number_digest=digest, id_number_masked=masked,
                    certificate_number=f"B{i:014d}", level="physician", category="clinical",
                    location_id="430102", main_institution=x if here else rng.choice((y, z)), authority=authority,
                    approval_date=dt.date(2010 + i % 14, 1 + i % 12, 1),
                    state="filed" if here and i % 10 == 9 else "valid",
                    department=rng.choice(departments) if here and i % 3 else None,
                    info_reviewed_at=now if i % 7 == 0 else None, sex=sex, birth_date=birth,
                )
            )  # fmt: skip
            if i % 3 != 2:
                users.append(
                    User(
                        username=f"benchdoc{i:06d}", real_name=name, role=User.Role.DOCTOR,
                        id_number_cipher=cipher, id_number_digest=digest, id_number_masked=masked,
                        password="!", activated_at=now if i % 3 == 0 else None, checked_at=now,
                    )
                )  # fmt: skip
        records = PracticeRecord.objects.bulk_create(records, batch_size=2000)
        users = User.objects.bulk_create(users, batch_size=2000)
        # 本院医师信息审核: one doctor in ten with an information change waiting for the institution (REG-8).
        ProfileChange.objects.bulk_create(
            [
                ProfileChange(doctor=u, institution=x, info_changed=True, title="主治医师")
                for u in users[::10]
            ],
            batch_size=2000,
        )
        through = PracticeRecord.scopes.through
        through.objects.bulk_create(
            [
                through(practicerecord_id=r.pk, practicescope_id=s.pk)
                for r in records
                for s in rng.sample(scopes, rng.randint(1, 2))
            ],
            batch_size=5000,
        )
        mine, theirs = records[:doctors], records[doctors:]
        filings = [
            MultiInstitutionFiling(record=r, institution=rng.choice((y, z)), filed_on=dt.date(2022, 1, 1))
            for r in mine[: doctors // 10]
            if r.state == "valid"
        ] + [
            MultiInstitutionFiling(record=r, institution=x, filed_on=dt.date(2023, 1, 1))
            for r in theirs[: len(theirs) // 2]
        ]
        filings = MultiInstitutionFiling.objects.bulk_create(filings, batch_size=2000)
        fthrough = MultiInstitutionFiling.scopes.through
        fthrough.objects.bulk_create(
            [fthrough(multiinstitutionfiling_id=f.pk, practicescope_id=scopes[0].pk) for f in filings],
            batch_size=5000,
        )
        ExtraLocation.objects.bulk_create(
            [
                ExtraLocation(record=r, institution=y, location_id="430102", approved_on=dt.date(2015, 1, 1))
                for r in mine[doctors // 10 : doctors // 10 + doctors // 25]
                if r.state == "valid"
            ]
            + [
                ExtraLocation(record=r, institution=x, location_id="430102", approved_on=dt.date(2016, 1, 1))
                for r in theirs[len(theirs) // 2 :]
            ],
            batch_size=2000,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--doctors", type=int, default=5000)
    parser.add_argument("-n", type=int, default=50, help="requests per URL")
    args = parser.parse_args()
    ensure_database(os.environ.get("DATABASE_URL", ""))

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from institutions.models import Department
    from institutions.views.doctor_lists import KINDS, filtered
    from registrations.models import ExtraLocation, MultiInstitutionFiling, PracticeRecord

    # No setup_test_environment(): its instrumented rendering copies every template context (slow, not real).
    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    t = time.perf_counter()
    generate(args.doctors)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh bulk-loaded tables: give the planner real row counts
    (x, _y, _z), _authority, officer = _world()
    print(
        f"data ready in {time.perf_counter() - t:.1f} s: {PracticeRecord.objects.filter(main_institution=x).count():,} "
        f"records at X, {MultiInstitutionFiling.objects.count():,} filings, {ExtraLocation.objects.count():,} 多地点",
        file=sys.stderr,
    )
    department = Department.objects.filter(institution=x, name="内科").first()
    client = Client()
    client.force_login(officer)
    cases = []
    for kind in ("main", "filed-out", "filed-in", "locations-out", "locations-in", "archived"):
        url = f"/institution/doctors/{kind}/"
        filters = {"name": "王"}
        if kind in ("main", "archived"):
            filters.update(department=department.pk, changed="no")
        cases += [
            (kind, "first page", url, {}),
            (kind, "filtered", url, filters),
            (kind, "page 10", url, {"page": 10}),
            (kind, "export csv", url, {"export": "csv"}),
            (kind, "export xlsx", url, {"export": "xlsx"}),
        ]
    # The console's other lists over the same institution (INS-3, INS-4, INS-7, INS-9, INS-11, 外省).
    for name, url in (
        ("医师账户激活", "/institution/activation/"),
        ("撤销医师账户", "/institution/revoke/"),
        ("本院医师账户管理", "/institution/doctor-accounts/"),
        ("本院医师所在科室信息维护", "/institution/system/department-members/"),
        ("本院医师信息审核", "/institution/reviews/"),
        ("医师在外省注册情况", "/institution/outside/"),
        ("统计信息", "/institution/statistics/"),
    ):
        cases += [(name, "first page", url, {}), (name, "page 10", url, {"page": 10})]
    cases = [c for c in cases if not (c[0] == "统计信息" and c[1] == "page 10")]
    print(f"\n{args.doctors:,} doctors at one institution, {django.db.connection.vendor}, N={args.n} each")
    print("| list | request | rows | p50 ms | p95 ms |\n|---|---|---|---|---|")
    for kind, label, url, params in cases:
        client.get(url, params)  # warm-up: the first request of a kind compiles templates
        times = []
        for _ in range(args.n if "export" not in label else max(5, args.n // 5)):  # exports: fewer, slower
            started = time.perf_counter()
            response = client.get(url, params)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, params, response.status_code)
        if kind.replace("-", "_") in KINDS:
            _form, qs = filtered(KINDS[kind.replace("-", "_")], user=officer, data=params)
            rows = qs.count()
        else:
            rows = "—"
        times.sort()
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        print(f"| {kind} | {label} | {rows} | {statistics.median(times):.1f} | {p95:.1f} |")


if __name__ == "__main__":
    main()
