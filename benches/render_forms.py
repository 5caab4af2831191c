"""Benchmark issue 11: what a printed document costs (PRN-2), against WeasyPrint alone.

In one run:
(a) bare WeasyPrint: a fixed one-page Chinese A4 page (a table like the form's, the project's font),
    `weasyprint.HTML(string=…).write_pdf()` fresh each time, warm (one FontConfiguration, after a first
    render), N times — the floor STACK.md measured (~160 ms);
(b) the real path, warm: `document_request` for a subject never printed before → commit → the task travels
    through Redis to a real Celery worker (a subprocess, solo pool, its own queue) → template, WeasyPrint,
    pyhanko signature, atomic file write → row `done`. Measured: request-to-done wall time as the asker
    sees it (to the worker's `rendered_at`) and the worker's own `render_ms`; N subjects; goal b/a ≤ 1.6×;
(c) a cached download: a second `document_request` for unchanged data (hash, row lock, reuse) plus the
    stored PDF read (`document_pdf`), N times; goal ≤ 5 % of a render.

Subjects are generated at scale first (`--subjects`, bulk): score reports (exam results) or agreed
applications (the forms). PostgreSQL via DATABASE_URL (the database is created), Redis via REDIS_URL:

DATABASE_URL=postgres://postgres@127.0.0.1:5432/docregsys_bench_print REDIS_URL=redis://127.0.0.1:6379/14 \\
    .venv/bin/python benches/render_forms.py --kind form -n 30
"""

import argparse
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benches"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "docregsys.settings")
os.environ.setdefault("PRIVATE_MEDIA_ROOT", tempfile.mkdtemp(prefix="docregsys-bench-print-"))

from import_exam_results import GIVEN, SURNAMES, ensure_database  # noqa: E402

BARE_ROWS = [
    ("姓名", "王小明"),
    ("性别", "男"),
    ("身份证件号码", "4301**********1234"),
    ("医师资格证书编码", "2025110430**************"),
    ("执业类别", "临床"),
    ("执业范围", "内科专业"),
    ("主要执业机构", "长沙市第一医院"),
    ("机构所在地", "湖南省长沙市芙蓉区"),
    ("申请事项", "执业注册（新考试通过人员首次注册）"),
    ("申请日期", "2026-11-20"),
    ("机构意见", "同意"),
    ("机构同意日期", "2026-11-22"),
    ("审批机关", "芙蓉区卫生健康局"),
    ("备注", "本人承诺所填信息真实、准确，所附材料合法、有效。"),
]


def bare_page() -> str:
    """A fixed one-page Chinese A4 page, about the form's size, with the font on `html` (STACK.md)."""
    rows = "".join(f"<tr><th>{label}</th><td>{value}</td></tr>" for label, value in BARE_ROWS * 2)
    font = (Path(ROOT) / "printing" / "fonts" / "wqy-zenhei.ttc").as_uri()
    return f"""<!doctype html><html lang="zh-hans"><head><meta charset="utf-8"><style>
@font-face {{ font-family: 'WenQuanYi Zen Hei'; src: url('{font}'); }}
@page {{ size: A4; margin: 18mm 16mm; @bottom-center {{ content: "第 " counter(page) " 页"; }} }}
html {{ font-family: 'WenQuanYi Zen Hei'; font-size: 11pt; }}
h1 {{ text-align: center; font-size: 18pt; }}
table {{ width: 100%; border-collapse: collapse; }}
th, td {{ border: 1px solid #000; padding: 4pt 6pt; text-align: left; }}
th {{ width: 30%; }}
</style></head><body><h1>医师执业、变更执业、多机构备案申请审核表</h1><table>{rows}</table>
<p>本表由医疗机构打印，行政审批编码可在国家医师电子化注册信息系统核验。</p></body></html>"""


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * q))]


def bare_render(html: str, font_config=None) -> tuple[float, float, object]:
    """One fresh `HTML(...).write_pdf()`: (wall ms, CPU ms), sharing only the FontConfiguration."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    font_config = font_config or FontConfiguration()
    started, cpu = time.perf_counter(), time.process_time()
    pdf = HTML(string=html, base_url=str(ROOT)).write_pdf(font_config=font_config)
    assert pdf.startswith(b"%PDF")
    return (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000, font_config


def cpu_ms(pid: int) -> float:
    """CPU time (user + system) a process has used so far, in ms (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


# Subjects -----------------------------------------------------------------------------------------


def score_report_subjects(total: int):
    """`total` exam results (bulk, once); returns the ones never printed, newest first."""
    from django.db.models import Exists, OuterRef

    from docregsys.identity.crypto import identity_columns
    from docregsys.reference.models import ExamCategory
    from printing.models import Document
    from qualifications.models import ExamResult

    category, _ = ExamCategory.objects.get_or_create(
        code="110", defaults={"name": "临床执业医师", "level": "physician", "category": "clinical"}
    )
    have = ExamResult.objects.filter(admission_ticket__startswith="BP").count()
    if have < total:
        from applications import resident_id

        rows = []
        for i in range(have, total):
            cipher, digest, masked = identity_columns(resident_id(i))
            name = SURNAMES[i % len(SURNAMES)] + GIVEN[i % len(GIVEN)] + GIVEN[(i // 7) % len(GIVEN)]
            rows.append(
                ExamResult(
                    real_name=name, year=2025, exam_category=category, admission_ticket=f"BP{i:010d}",
                    exam_area="湖南省", exam_site="长沙市", written_score=300 + i % 200, pass_line=360,
                    passed=300 + i % 200 >= 360, id_number_cipher=cipher, id_number_digest=digest,
                    id_number_masked=masked,
                )
            )  # fmt: skip
        ExamResult.objects.bulk_create(rows, batch_size=2000)
    printed = Document.objects.filter(exam_result=OuterRef("pk"))
    return (
        ExamResult.objects.filter(admission_ticket__startswith="BP").exclude(Exists(printed)).order_by("-pk")
    )


def form_subjects(total: int):
    """`total` applications at one hospital (benches/applications.py's generator); the agreed ones never
    printed, newest first."""
    from applications import _world, generate
    from django.db.models import Exists, OuterRef

    from printing.models import Document
    from registrations.models import Application

    generate(total, 200)
    hospital = _world()[3]
    printed = Document.objects.filter(application=OuterRef("pk"))
    return (
        Application.objects.filter(institution=hospital, state="agreed")
        .exclude(Exists(printed))
        .select_related("institution", "authority")
        .order_by("-pk")
    )


SUBJECTS = {"score_report": score_report_subjects, "form": form_subjects}


# The worker -----------------------------------------------------------------------------------------


def start_worker(queue: str, log: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = open(log, "ab")  # noqa: SIM115 - lives as long as the worker
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "docregsys", "worker", "--pool", "solo", "-c", "1",
         "-Q", queue, "-n", f"{queue}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat",
         "-l", "warning"],
        cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip


def wait_done(document_id: int, timeout: float = 60.0):
    """The finished row. Polled every 20 ms only to know when to go on: the time of completion is the
    worker's own `rendered_at`, so a busy poll does not take CPU from the worker being measured."""
    from printing.models import Document

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        row = Document.objects.filter(pk=document_id).values("state", "render_ms", "rendered_at").first()
        if row["state"] == Document.State.DONE:
            return row
        if row["state"] == Document.State.FAILED:
            raise SystemExit(f"document {document_id} failed to render: see the worker's log")
        time.sleep(0.02)
    raise SystemExit(f"document {document_id} not done after {timeout} s: is the worker running?")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--kind", choices=sorted(SUBJECTS), default="form")
    parser.add_argument("-n", type=int, default=30, help="renders / downloads per measurement")
    parser.add_argument("--subjects", type=int, default=5_000, help="subjects generated (once)")
    args = parser.parse_args()
    if not os.environ.get("REDIS_URL"):
        raise SystemExit("REDIS_URL is needed: (b) measures the render in a real Celery worker")
    ensure_database(os.environ.get("DATABASE_URL", ""))

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from printing import services
    from printing.models import Document
    from printing.selectors import document_pdf
    from printing.tasks import document_render_task

    call_command("migrate", verbosity=0)
    t = time.perf_counter()
    subjects = SUBJECTS[args.kind](args.subjects)
    fresh = list(subjects[: args.n + 2])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"data ready in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    if len(fresh) < args.n + 2:
        raise SystemExit(f"only {len(fresh)} unprinted subjects left: raise --subjects or drop the database")

    # (a) and (b) interleaved, one of each in turn, so a busy machine weighs on both alike.
    logging.getLogger("weasyprint").setLevel(logging.WARNING)  # its progress log is INFO
    bare_page_html, font_config = bare_page(), None
    queue = f"bench-print-{uuid.uuid4().hex[:8]}"
    services._queue = lambda document_id: document_render_task.apply_async(
        kwargs={"document_id": document_id}, queue=queue
    )
    log = Path(tempfile.gettempdir()) / f"{queue}.log"
    worker = start_worker(queue, log)
    bare, walls, render_ms, requests, reuse = [], [], [], [], []
    bare_cpu, worker_cpus = [], []
    try:
        for i, subject in enumerate(fresh):
            # (a) WeasyPrint alone, in this process.
            elapsed, elapsed_cpu, font_config = bare_render(bare_page_html, font_config)
            # (b) the real path through Redis and the worker on its own queue.
            started, clock, worker_cpu = time.perf_counter(), time.time(), cpu_ms(worker.pid)
            document = services.document_request(kind=args.kind, subject=subject)
            asked = (time.perf_counter() - started) * 1000
            row = wait_done(document.pk, timeout=120 if i == 0 else 30)  # the first waits for the worker
            job_cpu = cpu_ms(worker.pid) - worker_cpu
            if i < 2:
                continue  # warm-up: imports, fonts, the worker's first templates and signature
            walls.append((row["rendered_at"].timestamp() - clock) * 1000)
            render_ms.append(row["render_ms"])
            requests.append(asked)
            bare.append(elapsed)
            bare_cpu.append(elapsed_cpu)
            worker_cpus.append(job_cpu)
        # (c) the second ask of unchanged data and the stored file's read.
        for subject in fresh[2:]:
            started = time.perf_counter()
            document = services.document_request(kind=args.kind, subject=subject)
            pdf = document_pdf(document)
            reuse.append((time.perf_counter() - started) * 1000)
            assert document.state == Document.State.DONE and pdf.startswith(b"%PDF")
    finally:
        worker.terminate()
        worker.wait(timeout=30)

    a50, b50, c50 = statistics.median(bare), statistics.median(walls), statistics.median(reuse)
    print(f"\nkind={args.kind}, {connection.vendor}, Redis broker, one solo worker, N={args.n}")
    print("| measurement | p50 ms | p95 ms | vs (a) | goal |\n|---|---|---|---|---|")
    print(
        f"| (a) bare WeasyPrint, one Chinese A4 page | {a50:.0f} | {percentile(bare, 0.95):.0f} | 1.00× | |"
    )
    print(
        f"| (b) request → done through Redis + worker (wall) | {b50:.0f} | {percentile(walls, 0.95):.0f} "
        f"| {b50 / a50:.2f}× | ≤ 1.6× |"
    )
    print(
        f"| (b) … of which the worker's render_ms (template, render, sign, write) | "
        f"{statistics.median(render_ms):.0f} | {percentile(render_ms, 0.95):.0f} "
        f"| {statistics.median(render_ms) / a50:.2f}× | |"
    )
    cpu_a, cpu_b = statistics.median(bare_cpu), statistics.median(worker_cpus)
    print(f"| (a) CPU time of the bare render | {cpu_a:.0f} | {percentile(bare_cpu, 0.95):.0f} | 1.00× | |")
    print(
        f"| (b) the worker's CPU time per job (claim, template, render, sign, write, ack) | {cpu_b:.0f} "
        f"| {percentile(worker_cpus, 0.95):.0f} | {cpu_b / cpu_a:.2f}× | |"
    )
    print(
        f"| (b) … of which the request (hash, lock, insert, commit, publish) | "
        f"{statistics.median(requests):.0f} | {percentile(requests, 0.95):.0f} | | |"
    )
    print(
        f"| (c) cached: second request + stored PDF read | {c50:.1f} | {percentile(reuse, 0.95):.1f} "
        f"| {c50 / b50:.1%} of (b) | ≤ 5 % |"
    )


if __name__ == "__main__":
    main()
