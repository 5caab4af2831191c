"""Benchmark QUA-3: plain COPY vs our exam-results import (first, re-import, 1% changed).

DATABASE_URL=postgres://postgres@127.0.0.1:5432/docregsys_bench .venv/bin/python benches/import_exam_results.py --rows 500000
"""

import argparse
import csv
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benches" / "data"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "docregsys.settings")

CATEGORIES = [
    ("110", "临床执业医师", "physician", "clinical"),
    ("120", "口腔执业医师", "physician", "dental"),
    ("130", "公共卫生执业医师", "physician", "public_health"),
    ("140", "中医执业医师", "physician", "tcm"),
    ("150", "中西医结合执业医师", "physician", "tcm"),
    ("210", "临床执业助理医师", "assistant", "clinical"),
    ("220", "口腔执业助理医师", "assistant", "dental"),
    ("230", "公共卫生执业助理医师", "assistant", "public_health"),
    ("240", "中医执业助理医师", "assistant", "tcm"),
    ("250", "中西医结合执业助理医师", "assistant", "tcm"),
]
HEADER = [
    "考试年度",
    "报考类别",
    "准考证号",
    "姓名",
    "证件类型",
    "证件号码",
    "考区",
    "考点",
    "笔试成绩",
    "合格线",
    "是否合格",
]
REGIONS = [
    ("110101", "北京市", "东城区"), ("310104", "上海市", "徐汇区"), ("430102", "湖南省", "芙蓉区"),
    ("430103", "湖南省", "天心区"), ("440106", "广东省", "天河区"), ("510107", "四川省", "武侯区"),
    ("420106", "湖北省", "武昌区"), ("320102", "江苏省", "玄武区"), ("330106", "浙江省", "西湖区"),
    ("370102", "山东省", "历下区"), ("410105", "河南省", "金水区"), ("610113", "陕西省", "雁塔区"),
]  # fmt: skip
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉兰俊文辉"


def resident_id(rng: random.Random, region: str) -> str:
    from stdnum.cn import ric

    # Born 1991+: stdnum dates region codes and ID-1 checks them against the birth year.
    birth = f"{rng.randint(1991, 2001)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    body = region + birth + f"{rng.randint(0, 999):03d}"
    return body + ric.calc_check_digit(body + "0")


def generate(path: Path, rows: int, seed: int = 2025) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        for i in range(rows):
            code = CATEGORIES[i % 10][0]
            region, province, county = rng.choice(REGIONS)
            name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))
            score = rng.randint(2000, 5200) / 10
            line = 360 if code[0] == "1" else 330
            writer.writerow(
                [2025, code, f"2025{code}{i:09d}", name, "居民身份证", resident_id(rng, region),
                 province, f"{province}{county}考点", f"{score:.1f}", line, "是" if score >= line else "否"]
            )  # fmt: skip


def change_one_percent(src: Path, dst: Path) -> int:
    changed = 0
    with src.open(encoding="utf-8", newline="") as fin, dst.open("w", encoding="utf-8", newline="") as fout:
        reader, writer = csv.reader(fin), csv.writer(fout)
        writer.writerow(next(reader))
        for i, row in enumerate(reader):
            if i % 100 == 7:
                row[8] = f"{float(row[8]) + 0.5:.1f}"
                changed += 1
            writer.writerow(row)
    return changed


def ensure_database(url: str) -> None:
    if not url.startswith("postgres"):
        return
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    ensure_database(os.environ.get("DATABASE_URL", ""))

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from docregsys.reference.models import ExamCategory
    from qualifications.importing import records_import
    from qualifications.models import ExamResult, ImportBatch

    call_command("migrate", verbosity=0)
    for code, name, level, category in CATEGORIES:
        ExamCategory.objects.get_or_create(
            code=code, defaults={"name": name, "level": level, "category": category}
        )
    with connection.cursor() as cur:  # raw deletes: the ORM's would write a "-" history row per record
        cur.execute(f"DELETE FROM {ExamResult.history.model._meta.db_table}")
        cur.execute(f"DELETE FROM {ExamResult._meta.db_table}")

    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"exam_results_{args.rows}.csv"
    if not path.exists():
        t = time.perf_counter()
        generate(path, args.rows)
        print(f"generated {path} in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    changed_path = DATA / f"exam_results_{args.rows}_changed.csv"
    expected_changed = change_one_percent(path, changed_path)

    results = []

    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("DROP TABLE IF EXISTS bench_plain_copy")
            cur.execute(
                "CREATE TABLE bench_plain_copy (year int, category text, ticket text, name text, id_type text,"
                " id_number text, area text, site text, score numeric, pass_line numeric, passed text)"
            )
            t = time.perf_counter()
            with (
                path.open("rb") as fh,
                cur.cursor.copy("COPY bench_plain_copy FROM STDIN (FORMAT csv, HEADER)") as cp,
            ):
                while chunk := fh.read(1 << 20):
                    cp.write(chunk)
            results.append(("plain COPY into a bare table", time.perf_counter() - t, "", "", "", ""))
            cur.execute("DROP TABLE bench_plain_copy")

    def run(label, file):
        t = time.perf_counter()
        with file.open("rb") as fh:
            batch = records_import(kind=ImportBatch.Kind.EXAM_RESULTS, fh=fh, filename=file.name)
        elapsed = time.perf_counter() - t
        assert batch.status == "done", batch.failure
        results.append((label, elapsed, batch.created, batch.updated, batch.unchanged, batch.rejected))
        return batch

    before = ExamResult.history.count()
    run("import (first)", path)
    after_first = ExamResult.history.count()
    batch = run("re-import, same file", path)
    assert batch.created == batch.updated == 0 and ExamResult.history.count() == after_first, (
        "re-import changed rows"
    )
    batch = run("re-import, 1% rows changed", changed_path)
    assert batch.updated == expected_changed, (batch.updated, expected_changed, batch.errors[:5])

    print(
        f"\n{args.rows} rows, {connection.vendor}, {os.cpu_count()} cores; history rows {before} → {ExamResult.history.count()}"
    )
    print(f"{'step':<32} {'seconds':>8} {'created':>8} {'updated':>8} {'unchanged':>9} {'rejected':>8}")
    for label, secs, *counts in results:
        print(f"{label:<32} {secs:>8.1f} " + " ".join(f"{c!s:>8}" for c in counts))


if __name__ == "__main__":
    main()
