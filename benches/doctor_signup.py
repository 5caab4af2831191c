"""Benchmark ACC-1…ACC-5 at exam-results scale: a new passer's whole way from sign-up to activation.

After each year's results about 250,000 new doctors sign up within weeks. This script loads
`--people` passing exam results (default 200,000: the check looks them up among all of them),
then walks `--doctors` new passers through the real views with Django's test client:
sign-up step 1 and 2 (with the production password hasher), the qualification check, the phone
code (sent through the outbox by the file backend), and activation by admission ticket. It prints
the latency of each step and the single-core sign-up rate.

DATABASE_URL=postgres://postgres@127.0.0.1:5432/docregsys_bench .venv/bin/python benches/doctor_signup.py
"""

import argparse
import os
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benches"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "docregsys.settings")
os.environ.setdefault("CAPTCHA_TEST_MODE", "true")  # the captcha accepts "PASSED"
os.environ.setdefault("SMS_BACKEND", "file")
os.environ.setdefault("SMS_FILE_PATH", tempfile.mkdtemp(prefix="bench-sms-"))
os.environ.pop("REDIS_URL", None)  # tasks in-process: the outbox is drained right after each commit

from import_exam_results import CATEGORIES, GIVEN, REGIONS, SURNAMES, ensure_database, resident_id  # noqa: E402


def load_people(count: int, seed: int = 4) -> list[dict]:
    """`count` passing 2025 results with valid IDs, bulk-inserted; returns who they are."""
    from docregsys.identity.crypto import identity_columns
    from docregsys.reference.models import ExamCategory
    from qualifications.models import ExamResult

    for code, name, level, category in CATEGORIES:
        ExamCategory.objects.get_or_create(
            code=code, defaults={"name": name, "level": level, "category": category}
        )
    from django.db import connection

    with connection.cursor() as cur:  # raw deletes: the ORM's would write a "-" history row per record
        for table in (ExamResult.history.model._meta.db_table, ExamResult._meta.db_table):
            cur.execute(f"DELETE FROM {table} WHERE admission_ticket LIKE 'B25%%'")
    rng = random.Random(seed)
    people, rows, seen = [], [], set()
    while len(rows) < count:
        region = rng.choice(REGIONS)[0]
        id_number = resident_id(rng, region)
        if id_number in seen:
            continue
        seen.add(id_number)
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
        ticket = f"B25{len(rows):09d}"
        cipher, digest, masked = identity_columns(id_number)
        rows.append(
            ExamResult(
                real_name=name, id_number_cipher=cipher, id_number_digest=digest, id_number_masked=masked,
                year=2025, exam_category_id="110", admission_ticket=ticket, written_score=400,
                pass_line=360, passed=True,
            )
        )  # fmt: skip
        people.append({"name": name, "id": id_number, "ticket": ticket})
    ExamResult.objects.bulk_create(rows, batch_size=5000)
    return people


def walk(client_class, person: dict, n: int, timings: dict, sms_path: Path) -> None:
    from docregsys.messaging.backends import read_file_outbox

    client = client_class()
    phone = f"139{n:08d}"

    def step(label, method, url, data=None, expect=(200, 302)):
        t = time.perf_counter()
        response = getattr(client, method)(url, data or {})
        timings.setdefault(label, []).append(time.perf_counter() - t)
        assert response.status_code in expect, (label, response.status_code)
        return response

    step("sign-up step 1", "post", "/accounts/signup/", {
        "real_name": person["name"], "id_number": person["id"], "captcha_0": "x", "captcha_1": "PASSED", "agree": "on",
    }, expect=(302,))  # fmt: skip
    step("sign-up step 2 (hashes the password)", "post", "/accounts/signup/account/", {
        "phone": phone, "email": f"d{n}@example.com", "username": f"bench{n:07d}",
        "password1": "Yiliao2024go", "password2": "Yiliao2024go",
    }, expect=(302,))  # fmt: skip
    step("qualification check", "get", "/accounts/check/", expect=(200,))
    step(
        "send phone code (outbox)",
        "post",
        "/accounts/security/phone/",
        {"action": "send", "phone": phone},
        expect=(200,),
    )
    texts = [m["text"] for m in read_file_outbox(sms_path) if m["to"] == phone]
    code = re.search(r"\b(\d{6})\b", texts[-1]).group(1)
    step(
        "confirm phone code",
        "post",
        "/accounts/security/phone/",
        {"action": "confirm", "confirm-phone": phone, "confirm-code": code},
        expect=(302,),
    )
    response = step(
        "activate by admission ticket",
        "post",
        "/accounts/activation/",
        {"path": "ticket", "ticket": person["ticket"]},
    )
    assert response.status_code == 302 and response.url == "/", "activation refused"
    step("home page", "get", "/", expect=(200,))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=200_000)
    parser.add_argument("--doctors", type=int, default=100)
    args = parser.parse_args()
    ensure_database(os.environ.get("DATABASE_URL", ""))

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from accounts.models import SendQuota, User
    from qualifications.models import ExamResult

    setup_test_environment()  # the test client's hooks; settings (hasher, database) stay as configured
    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    User.objects.filter(username__startswith="bench").delete()
    SendQuota.objects.all().delete()  # every simulated doctor comes from the same client address

    t = time.perf_counter()
    people = load_people(args.people)
    print(f"loaded {args.people:,} passing exam results in {time.perf_counter() - t:.1f} s "
          f"({ExamResult.objects.count():,} in the table)", file=sys.stderr)  # fmt: skip

    sms_path = Path(settings.SMS_FILE_PATH)
    chosen = random.Random(7).sample(people, args.doctors)
    timings: dict[str, list[float]] = {}
    t = time.perf_counter()
    for n, person in enumerate(chosen):
        walk(Client, person, n, timings, sms_path)
        SendQuota.objects.all().delete()
    total = time.perf_counter() - t

    hasher = settings.PASSWORD_HASHERS[0].rsplit(".", 1)[-1]
    print(
        f"\n{args.doctors} new passers, {args.people:,} exam results, {django.db.connection.vendor}, hasher {hasher}"
    )
    print("| step | median ms | p95 ms |\n|---|---|---|")
    for label, values in timings.items():
        values.sort()
        p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
        print(f"| {label} | {statistics.median(values) * 1000:.1f} | {p95 * 1000:.1f} |")
    print(f"\nwhole journey: {total / args.doctors * 1000:.0f} ms per doctor on one core "
          f"→ {args.doctors / total * 3600:,.0f} doctors an hour per web process")  # fmt: skip
    User.objects.filter(username__startswith="bench").delete()


if __name__ == "__main__":
    main()
