"""Benchmark issue 10: the application queues at scale and the cost of an approval (REG-4, REG-7, INS-6, APP-1).

Generates (once) 10,000 applications filed at one institution (a county hospital after the exam results:
half waiting for the hospital, a quarter with the county's health bureau, a quarter finished), then:
- asks the institution's three 业务办理 lists and the reviewer's admin changelist N times each (first page
  and page 10) as the officer / reviewer with Django's test client, and prints p50 / p95 in ms;
- approves 200 agreed 注册 applications of new passers one after another (each approval re-checks the
  rules, creates the record, draws the certificate number, logs and notifies), then another 200 from two
  threads at once on PostgreSQL (different applications must not wait on each other), and prints the
  latency per approval and the throughput.

The default database is a scratch SQLite file; PostgreSQL via DATABASE_URL (the database is created):

DATABASE_URL=postgres://postgres@127.0.0.1:5432/docregsys_bench_apps .venv/bin/python benches/applications.py
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benches"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "docregsys.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{tempfile.gettempdir()}/docregsys-bench-apps.sqlite3")

from import_exam_results import GIVEN, SURNAMES, ensure_database  # noqa: E402

REGISTRATION = "BENCH-APPS-X"


def resident_id(i: int) -> str:
    from stdnum.cn import ric

    body = "430102" + f"{1970 + i % 30}{1 + i % 12:02d}{1 + i % 28:02d}" + f"{i % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def _world():
    """Regions, the county's health bureau, a scope, the hospital with its 审批机关设置, officer and reviewer."""
    from accounts.models import User
    from docregsys.reference.models import Authority, ExamCategory, PracticeScope, Region
    from institutions.models import Institution, InstitutionAuthority

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
    scope, _ = PracticeScope.objects.get_or_create(
        code="11", defaults={"name": "内科专业", "category": "clinical"}
    )
    ExamCategory.objects.get_or_create(
        code="110", defaults={"name": "临床执业医师", "level": "physician", "category": "clinical"}
    )
    hospital, _ = Institution.objects.get_or_create(
        registration_number=REGISTRATION, defaults={"name": "基准医院", "region": county}
    )
    InstitutionAuthority.objects.get_or_create(
        institution=hospital, category="clinical", defaults={"authority": authority}
    )

    def user(username, **fields):
        found = User.objects.filter(username=username).first()
        if found is None:
            found = User(username=username, real_name="基准用户", **fields)
            found.set_unusable_password()
            found.save()
        return found

    officer = user("benchappsofficer", role=User.Role.OFFICER, institution=hospital)
    reviewer = user("benchappsreviewer", role=User.Role.REVIEWER, is_staff=True, authority=authority)
    return province, authority, scope, hospital, officer, reviewer


def generate(total: int, approvals: int) -> None:
    """`total` applications at the hospital (½ 机构审核中, ¼ 卫健委审批中, ¼ 已办结) of doctors with accounts,
    certificates and passing results, plus `approvals` × 2 agreed ones kept for the approval runs (bulk)."""
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import User
    from docregsys.identity.crypto import identity_columns
    from qualifications.models import QualificationCertificate
    from registrations.models import Application, ApplicationEvent

    province, authority, scope, hospital, _officer, _reviewer = _world()
    if Application.objects.filter(institution=hospital).count() >= total + 2 * approvals:
        return
    now = timezone.now()
    year = timezone.localdate().year
    people = total + 2 * approvals
    with transaction.atomic():
        users, certificates = [], []
        for i in range(people):
            number = resident_id(i)
            cipher, digest, masked = identity_columns(number)
            name = SURNAMES[i % len(SURNAMES)] + GIVEN[i % len(GIVEN)] + GIVEN[(i // 7) % len(GIVEN)]
            users.append(
                User(
                    username=f"benchapp{i:06d}", real_name=name, role=User.Role.DOCTOR, password="!",
                    id_number_cipher=cipher, id_number_digest=digest, id_number_masked=masked,
                    checked_at=now, activated_at=now,
                )
            )  # fmt: skip
            certificates.append(
                QualificationCertificate(
                    real_name=name, number=f"{year}110430{number}", level="physician", category="clinical",
                    year_obtained=year, id_number_cipher=cipher, id_number_digest=digest,
                    id_number_masked=masked, region_code="430102",
                )
            )  # fmt: skip
        users = User.objects.bulk_create(users, batch_size=2000)
        certificates = QualificationCertificate.objects.bulk_create(certificates, batch_size=2000)
        applications = []
        for i, (doctor, certificate) in enumerate(zip(users, certificates, strict=True)):
            spare = i >= total  # kept agreed for the approval runs
            state = "agreed" if spare else ("submitted", "submitted", "agreed", "approved")[i % 4]
            submitted = now - dt.timedelta(minutes=i)
            applications.append(
                Application(
                    kind="register", state=state, doctor=doctor, real_name=doctor.real_name,
                    id_number_digest=doctor.id_number_digest, id_number_masked=doctor.id_number_masked,
                    institution=hospital, authority=authority if state != "submitted" else None,
                    level="physician", category="clinical", location=province, qualification=certificate,
                    statement="新考试通过人员首次注册", submitted_at=submitted,
                    agreed_at=submitted if state != "submitted" else None,
                    due_date=(now + dt.timedelta(days=28 - i % 40)).date() if state == "agreed" else None,
                    decided_at=now if state == "approved" else None,
                )
            )  # fmt: skip
        applications = Application.objects.bulk_create(applications, batch_size=2000)
        through = Application.scopes.through
        through.objects.bulk_create(
            [through(application_id=a.pk, practicescope_id=scope.pk) for a in applications], batch_size=5000
        )
        ApplicationEvent.objects.bulk_create(
            [
                ApplicationEvent(application=a, action="submit", role="doctor", from_state="draft",
                                 to_state="submitted", actor=a.doctor, at=a.submitted_at)
                for a in applications
            ],
            batch_size=5000,
        )  # fmt: skip


def timed(client, url, params, n):
    client.get(url, params)  # warm-up: the first request of a kind compiles templates
    times = []
    for _ in range(n):
        started = time.perf_counter()
        response = client.get(url, params)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, params, response.status_code)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.95))]


def approve_all(ids, reviewer, latencies):
    from django.db import connection

    from approvals.services import application_approve

    try:
        for pk in ids:
            started = time.perf_counter()
            application_approve(reviewer=reviewer, application_id=pk)
            latencies.append((time.perf_counter() - started) * 1000)
    finally:
        connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--applications", type=int, default=10_000)
    parser.add_argument("--approvals", type=int, default=200)
    parser.add_argument("-n", type=int, default=50, help="requests per URL")
    args = parser.parse_args()
    ensure_database(os.environ.get("DATABASE_URL", ""))

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from registrations.models import Application, PracticeRecord

    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    t = time.perf_counter()
    generate(args.applications, args.approvals)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    _province, _authority, _scope, hospital, officer, reviewer = _world()
    count = Application.objects.filter(institution=hospital).count()
    print(f"data ready in {time.perf_counter() - t:.1f} s: {count:,} applications", file=sys.stderr)

    print(f"\n{count:,} applications at one hospital, {connection.vendor}, N={args.n} each")
    print("| list | request | p50 ms | p95 ms |\n|---|---|---|---|")
    client = Client()
    client.force_login(officer)
    cases = [
        ("医师申请业务办理", "/institution/business/"),
        ("医师正在申办的业务列表", "/institution/business/open/"),
        ("已完成审批业务列表", "/institution/business/done/"),
    ]
    for label, url in cases:
        for request, params in (("first page", {}), ("page 10", {"page": 10})):
            p50, p95 = timed(client, url, params, args.n)
            print(f"| {label} | {request} | {p50:.1f} | {p95:.1f} |")
    admin = Client()
    admin.force_login(reviewer)
    for request, params in (
        ("first page", {}),
        ("page 10", {"p": 9}),
        ("filtered: 卫健委审批中", {"state": "agreed"}),
    ):
        p50, p95 = timed(admin, "/admin/registrations/application/", params, args.n)
        print(f"| admin changelist (芙蓉区) | {request} | {p50:.1f} | {p95:.1f} |")

    # Approvals: the spare agreed applications not approved by an earlier run.
    spare = list(
        Application.objects.filter(institution=hospital, state="agreed", result_record__isnull=True)
        .order_by("-pk")
        .values_list("pk", flat=True)[: 2 * args.approvals]
    )
    if len(spare) < 2 * args.approvals:
        print(
            "\n(not enough agreed applications left for the approval runs: drop the database to start over)"
        )
        return
    before = PracticeRecord.objects.count()
    serial = []
    started = time.perf_counter()
    approve_all(spare[: args.approvals], reviewer, serial)
    serial_s = time.perf_counter() - started
    serial.sort()
    print("\n| approvals | how | count | p50 ms | p95 ms | per second |\n|---|---|---|---|---|---|")
    print(
        f"| 注册 批准 | one after another | {len(serial)} | {statistics.median(serial):.1f} | "
        f"{serial[int(len(serial) * 0.95)]:.1f} | {len(serial) / serial_s:.0f} |"
    )
    if connection.vendor == "postgresql":
        parallel, threads = [], []
        half = args.approvals // 2
        rest = spare[args.approvals :]
        started = time.perf_counter()
        for chunk in (rest[:half], rest[half:]):
            thread = threading.Thread(target=approve_all, args=(chunk, reviewer, parallel))
            thread.start()
            threads.append(thread)
        for thread in threads:
            thread.join()
        parallel_s = time.perf_counter() - started
        parallel.sort()
        print(
            f"| 注册 批准 | two threads at once | {len(parallel)} | {statistics.median(parallel):.1f} | "
            f"{parallel[int(len(parallel) * 0.95)]:.1f} | {len(parallel) / parallel_s:.0f} |"
        )
    made = PracticeRecord.objects.count() - before
    numbers = (
        PracticeRecord.objects.exclude(certificate_number="").values("certificate_number").distinct().count()
    )
    print(f"\n{made} records created; {numbers:,} distinct certificate numbers in the table", file=sys.stderr)


if __name__ == "__main__":
    main()
