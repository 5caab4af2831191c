"""Demo data: printed documents (PRN-1…PRN-4), made through the printing services like real ones.

hetao01's approved 注册 gets its 电子证照 (when the certificate kind is installed), the 变更 of wujing01 that
长沙市第一医院 agreed to gets its coded 申请审核表 (printed by csyyadmin), and the exam passer limingxuan
gets a 成绩单. Each is asked for inside load_demo's transaction and rendered when it commits: in-process
under `make run` (no REDIS_URL: tasks run eagerly), by the worker when Redis is configured. A second run
finds the same documents (same data, same code) and renders nothing.
"""

from __future__ import annotations

from accounts.models import User
from printing.application_forms import form_printable, form_request
from printing.kinds import KINDS
from printing.models import Document
from printing.services import document_request
from qualifications.models import ExamResult
from registrations.models import Application, PracticeRecord

SCORE_REPORT_TICKET = "2025110430100013"  # limingxuan's admission ticket (load_demo's EXAM_RESULTS)


def load(command) -> None:
    made: list[tuple[str, str, Document]] = []
    before = Document.objects.count()
    officer = User.objects.filter(username="csyyadmin").first()

    approved = Application.objects.filter(doctor__username="hetao01", state="approved").first()
    record = (
        PracticeRecord.objects.filter(pk=approved.result_record_id).first()
        if approved is not None and approved.result_record_id
        else None
    )
    if record is not None and "certificate" in KINDS:
        made.append(("hetao01", "电子证照", document_request(kind="certificate", subject=record)))

    agreed = Application.objects.filter(doctor__username="wujing01").first()
    if agreed is not None and officer is not None and form_printable(agreed):
        made.append(
            ("csyyadmin", "申请审核表（吴静 变更）", form_request(officer=officer, application=agreed))
        )

    result = ExamResult.objects.filter(admission_ticket=SCORE_REPORT_TICKET, passed=True).first()
    if result is not None:
        made.append(("limingxuan", "成绩单", document_request(kind="score_report", subject=result)))

    command.created += Document.objects.count() - before
    if made:
        command.stdout.write("演示打印文档（编码可在 /verify/ 核验；make run 时随数据提交在本进程内生成）：")
        for who, what, document in made:
            command.stdout.write(f"  {who:<12}{what:<16}{document.code_display}")
