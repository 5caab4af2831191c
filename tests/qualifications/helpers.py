"""Small files for import tests: rows as lists, written to CSV or XLSX bytes."""

import csv
import io

from openpyxl import Workbook

from tests.factories import ExamCategoryFactory, make_resident_id

EXAM_HEADER = [
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


def exam_row(ticket="2025110000001", name="王小明", id_number=None, **overrides):
    row = {
        "考试年度": "2025",
        "报考类别": "110",
        "准考证号": ticket,
        "姓名": name,
        "证件类型": "居民身份证",
        "证件号码": id_number or make_resident_id(),
        "考区": "湖南省",
        "考点": "长沙市第一考点",
        "笔试成绩": "412.5",
        "合格线": "360",
        "是否合格": "是",
    }
    row.update(overrides)
    return [row[h] for h in EXAM_HEADER]


def csv_bytes(rows, header=EXAM_HEADER, encoding="utf-8-sig") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows, header=EXAM_HEADER) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def categories():
    ExamCategoryFactory(code="110", name="临床执业医师", level="physician", category="clinical")
    ExamCategoryFactory(code="210", name="临床执业助理医师", level="assistant", category="clinical")
