"""QUA-3: importing exam results, certificates and assessments from CSV/XLSX."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection

from docregsys.identity.crypto import id_number_digest
from qualifications.importing import records_import
from qualifications.models import AssessmentResult, ExamResult, ImportBatch, QualificationCertificate
from tests.factories import UserFactory, make_resident_id

from .helpers import EXAM_HEADER, categories, csv_bytes, exam_row, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _categories():
    categories()


def run(data: bytes, kind=ImportBatch.Kind.EXAM_RESULTS, user=None, filename="成绩.csv"):
    return records_import(kind=kind, fh=io.BytesIO(data), filename=filename, user=user)


def errors_by_line(batch):
    return {(e["line"], e["column"]): e["message"] for e in batch.errors}


def test_it_imports_a_good_file():
    """QUA-3: every good row becomes a record, linked to its batch."""
    rows = [exam_row(ticket=f"20251100000{i:02d}") for i in range(5)]
    batch = run(csv_bytes(rows))
    assert batch.status == ImportBatch.Status.DONE
    assert (batch.total_rows, batch.created, batch.updated, batch.unchanged, batch.rejected) == (
        5,
        5,
        0,
        0,
        0,
    )
    result = ExamResult.objects.get(admission_ticket="2025110000000")
    assert result.exam_category_id == "110"
    assert result.written_score == Decimal("412.5")
    assert result.passed is True
    assert result.batch_id == batch.pk


def test_it_stores_the_id_number_encrypted_only():
    """QUA-3 + ID at rest: the clear number is in no column; digest and mask are."""
    number = make_resident_id(seq="123")
    run(csv_bytes([exam_row(id_number=number)]))
    result = ExamResult.objects.get()
    assert result.id_number == number
    assert result.id_number_digest == id_number_digest(number)
    assert result.id_number_masked == number[:4] + "*" * 10 + number[-4:]
    with connection.cursor() as cur:
        cur.execute(f"SELECT * FROM {ExamResult._meta.db_table}")
        assert not any(number in str(value) for value in cur.fetchone())


def test_it_reports_bad_rows_with_line_column_and_reason_and_imports_the_good_ones():
    """QUA-3: bad rows are reported (line, column, Chinese reason) and not written."""
    good = make_resident_id(seq="001")
    wrong_check = good[:17] + ("0" if good[17] != "0" else "1")
    bad_birth_body = "43010219901332123"
    rows = [
        exam_row(ticket="T001", id_number=good),  # line 2
        exam_row(ticket="T002", id_number=wrong_check),  # 3
        exam_row(ticket="T003", id_number="430102900101123"),  # 4: 15 digits
        exam_row(ticket="T004", id_number=bad_birth_body + "X"),  # 5
        exam_row(ticket="T005", name="Wang小明"),  # 6
        exam_row(ticket="T006", 报考类别="999"),  # 7
        exam_row(ticket="T007", 笔试成绩="四百"),  # 8
        exam_row(ticket="T001"),  # 9: same ticket as line 2
        exam_row(ticket="T009"),  # 10
    ]
    batch = run(csv_bytes(rows))
    assert (batch.total_rows, batch.created, batch.rejected) == (9, 2, 7)
    errors = errors_by_line(batch)
    assert "校验位" in errors[(3, "证件号码")]
    assert "15位" in errors[(4, "证件号码")]
    assert "出生日期" in errors[(5, "证件号码")]
    assert "字母" in errors[(6, "姓名")]
    assert "报考类别“999”不存在" in errors[(7, "报考类别")]
    assert "不是数字" in errors[(8, "笔试成绩")]
    assert "与第2行重复" in errors[(9, "准考证号")]
    assert set(ExamResult.objects.values_list("admission_ticket", flat=True)) == {"T001", "T009"}


def test_it_reports_every_bad_cell_of_a_row():
    batch = run(csv_bytes([exam_row(笔试成绩="-1", 是否合格="也许", 考试年度="25")]))
    assert {e["column"] for e in batch.errors} == {"笔试成绩", "是否合格", "考试年度"}
    assert batch.rejected == 1


@pytest.mark.parametrize(
    ("header", "fragment"),
    [
        (EXAM_HEADER[:-1], "缺少列：是否合格"),
        ([*EXAM_HEADER, "备注"], "无法识别的列：备注"),
        (["考试年份", *EXAM_HEADER[1:]], "缺少列：考试年度"),
    ],
)
def test_it_refuses_a_file_with_wrong_headers_and_writes_nothing(header, fragment):
    """QUA-3: missing or unknown headers refuse the whole file."""
    rows = [exam_row()[: len(header)] + [""] * max(0, len(header) - len(EXAM_HEADER))]
    batch = run(csv_bytes(rows, header=header))
    assert batch.status == ImportBatch.Status.FAILED
    assert fragment in batch.failure
    assert not ExamResult.objects.exists()
    assert batch.created == 0


def test_it_reads_xlsx_with_numbers_and_dates_as_cells():
    rows = [exam_row(ticket="X1"), exam_row(ticket="X2", 证件号码="123")]
    rows[0][0] = 2025  # numbers in cells, as Excel keeps them
    rows[0][8] = 412.5
    rows[0][9] = 360
    batch = run(xlsx_bytes(rows), filename="成绩.xlsx")
    assert (batch.created, batch.rejected) == (1, 1)
    assert errors_by_line(batch)[(3, "证件号码")]
    assert ExamResult.objects.get().written_score == Decimal("412.5")


def test_it_reads_gb18030_csv_and_csv_without_bom():
    run(csv_bytes([exam_row(ticket="G1")], encoding="gb18030"))
    run(csv_bytes([exam_row(ticket="U1")], encoding="utf-8"))
    assert set(ExamResult.objects.values_list("real_name", flat=True)) == {"王小明"}
    assert ExamResult.objects.count() == 2


def test_reimporting_the_same_file_changes_nothing():
    """QUA-3: idempotent — no row updated, no history row written."""
    data = csv_bytes([exam_row(ticket=f"R{i}") for i in range(4)])
    run(data)
    history_before = ExamResult.history.count()
    ciphers_before = set(ExamResult.objects.values_list("id_number_cipher", flat=True))
    batch = run(data)
    assert (batch.created, batch.updated, batch.unchanged) == (0, 0, 4)
    assert ExamResult.history.count() == history_before
    assert set(ExamResult.objects.values_list("id_number_cipher", flat=True)) == ciphers_before


def test_a_changed_row_is_updated_and_audited_with_the_user():
    """QUA-3: a changed row updates its record and writes one "~" history row naming the batch."""
    user = UserFactory(reviewer=True)
    rows = [exam_row(ticket="C1"), exam_row(ticket="C2")]
    run(csv_bytes(rows), user=user)
    rows[1][8] = "300"
    rows[1][10] = "否"
    batch = run(csv_bytes(rows), user=user)
    assert (batch.created, batch.updated, batch.unchanged) == (0, 1, 1)
    record = ExamResult.objects.get(admission_ticket="C2")
    assert record.written_score == Decimal("300") and record.passed is False
    assert record.batch_id == batch.pk
    changes = ExamResult.history.filter(history_type="~")
    assert changes.count() == 1
    change = changes.get()
    assert change.id == record.pk
    assert change.history_user == user
    assert change.written_score == Decimal("300")
    assert f"导入批次#{batch.pk}" in change.history_change_reason
    assert change.history_date >= batch.started_at


def test_a_changed_id_number_is_an_update():
    rows = [exam_row(ticket="D1", id_number=make_resident_id(seq="011"))]
    run(csv_bytes(rows))
    new_number = make_resident_id(seq="012")
    rows[0][5] = new_number
    batch = run(csv_bytes(rows))
    assert batch.updated == 1
    assert ExamResult.objects.get().id_number == new_number


def test_it_keeps_only_the_first_errors(settings, monkeypatch):
    monkeypatch.setattr(ImportBatch, "ERRORS_KEPT", 3)
    batch = run(csv_bytes([exam_row(ticket=f"E{i}", 笔试成绩="x") for i in range(5)]))
    assert batch.rejected == 5
    assert len(batch.errors) == 3


def test_it_refuses_a_non_spreadsheet():
    batch = run(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", filename="a.csv")
    assert batch.status == ImportBatch.Status.FAILED
    assert not ExamResult.objects.exists()


CERT_HEADER = [
    "资格证书编码", "姓名", "证件号码", "医师级别", "医师类别", "取得资格年度",
    "毕业学校", "所学专业", "签发机关", "签发日期", "资格来源", "准考证号",
]  # fmt: skip


def test_it_imports_certificates():
    number = make_resident_id(seq="021")
    rows = [
        ["202543110430102199001010021", "赵六", number, "执业医师", "临床", "2025", "中南大学", "临床医学",
         "国家卫生健康委员会", "2025-12-01", "新人新办法", "2025110000001"],
        ["202543110430102199001010022", "赵七", make_resident_id(), "主任医师", "临床", "2025", "", "", "",
         "2025-13-01", "新人新办法", ""],
    ]  # fmt: skip
    batch = run(csv_bytes(rows, header=CERT_HEADER), kind=ImportBatch.Kind.CERTIFICATES)
    assert (batch.created, batch.rejected) == (1, 1)
    errors = errors_by_line(batch)
    assert "医师级别" in errors[(3, "医师级别")]
    assert "不是有效日期" in errors[(3, "签发日期")]
    cert = QualificationCertificate.objects.get()
    assert (cert.level, cert.category, cert.origin) == ("physician", "clinical", "exam")
    assert str(cert.issue_date) == "2025-12-01"
    again = run(csv_bytes(rows, header=CERT_HEADER), kind=ImportBatch.Kind.CERTIFICATES)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)


def test_it_imports_assessments_keyed_on_person_and_cycle():
    number = make_resident_id(seq="031")
    header = ["姓名", "证件号码", "考核周期", "考核机构", "考核结果", "执业证书编码"]
    rows = [
        ["孙八", number, "2021-2023", "长沙市医师协会", "合格", "110430100012345"],
        ["孙八", number, "2021-2023", "长沙市医师协会", "不合格", ""],
        ["孙八", number, "2018-2020", "长沙市医师协会", "优秀", ""],
    ]
    batch = run(csv_bytes(rows, header=header), kind=ImportBatch.Kind.ASSESSMENTS)
    assert (batch.created, batch.rejected) == (1, 2)
    errors = errors_by_line(batch)
    assert "与第2行重复" in errors[(3, "证件号码")]
    assert "考核结果" in errors[(4, "考核结果")]
    assert AssessmentResult.objects.get().result == "passed"


def test_the_command_imports_and_prints_the_summary(tmp_path, capsys):
    """QUA-3: the command imports through import_batch_enqueue, as the named superuser."""
    UserFactory(username="root", is_staff=True, is_superuser=True)
    path = tmp_path / "成绩.csv"
    path.write_bytes(csv_bytes([exam_row(ticket="M1"), exam_row(ticket="M2", 姓名="A")]))
    call_command("import_records", "--kind", "exam_results", "--user", "root", str(path))
    out = capsys.readouterr().out
    assert "新增1" in out and "错误行1" in out
    assert "第3行 [姓名]" in out


def test_the_import_stores_each_records_region_for_the_reviewers_scope():
    """APP-5: exam results get the region of 考区/考点, certificates the holder's resident-ID region."""
    from tests.factories import region_tree

    region_tree()
    number = make_resident_id(region="420102", seq="041")
    run(
        csv_bytes(
            [exam_row(ticket="R1", 考区="湖南省", 考点="长沙市第一考点"), exam_row(ticket="R2", 考区="火星")]
        )
    )
    assert dict(ExamResult.objects.values_list("admission_ticket", "region_code")) == {
        "R1": "430100",
        "R2": "",
    }
    header = [
        "资格证书编码", "姓名", "证件号码", "医师级别", "医师类别", "取得资格年度",
        "毕业学校", "所学专业", "签发机关", "签发日期", "资格来源", "准考证号",
    ]  # fmt: skip
    row = [f"200842110{number}", "周一", number, "执业医师", "临床", "2008", "", "", "", "", "", ""]
    batch = run(csv_bytes([row], header=header), kind=ImportBatch.Kind.CERTIFICATES)
    assert batch.created == 1, batch.errors
    assert QualificationCertificate.objects.get().region_code == "420102"
    # A re-import finds nothing changed: the region is compared like every other column.
    assert run(csv_bytes([row], header=header), kind=ImportBatch.Kind.CERTIFICATES).unchanged == 1
