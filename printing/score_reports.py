"""PRN-4 成绩单: the exam centre's score report of seed 000, checkable on the public page by its 验证码."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext

from qualifications.models import ExamResult

from .kinds import DocumentKind, register
from .qr import qr_data_uri


def _data(result: ExamResult) -> dict:
    return {
        "year": result.year,
        "real_name": result.real_name,
        "admission_ticket": result.admission_ticket,
        "id_number_masked": result.id_number_masked,
        "exam_category": f"{result.exam_category.code} {result.exam_category.name}",
        "written_score": None if result.written_score is None else f"{result.written_score:.2f}",
        "passed": result.passed,
        "exam_area": result.exam_area,
        "exam_site": result.exam_site,
    }


def _check_url(document) -> str:
    from django.conf import settings

    return settings.PUBLIC_BASE_URL.rstrip("/") + reverse("verify:code", args=[document.code])


def _context(result: ExamResult, document) -> dict:
    return {
        **_data(result),
        "document": document,
        "check_url": _check_url(document),
        "qr": qr_data_uri(_check_url(document)),
    }


def _public(result: ExamResult, document) -> dict:
    """What the public check shows: the report's year, name, category, score and whether it passed.

    The title is the printed report's (Chinese, as on paper); labels follow the language.
    """
    return {
        "title": f"{result.year}年医师资格考试医学综合笔试成绩单",
        "rows": [
            (gettext("姓名"), result.real_name),
            (gettext("考试年度"), str(result.year)),
            (gettext("报考类别"), result.exam_category.name),
            (gettext("笔试总成绩"), "—" if result.written_score is None else f"{result.written_score:.2f}"),
            (gettext("考区"), result.exam_area or "—"),
        ],
    }


SCORE_REPORT = register(
    DocumentKind(
        kind="score_report",
        subject_field="exam_result",
        template="printing/pdf/score_report.html",
        stylesheet="score_report.css",
        data=_data,
        context=_context,
        public=_public,
        reason=lambda document: f"医师资格考试成绩单（验证码 {document.code_display}）",
        filename=lambda document: f"score-report-{document.code}.pdf",
    )
)
