"""QUA-3: bulk import of the exam centre's files (CSV/XLSX) into exam results, certificates, assessments.

Rows are validated in Python while they stream into a temporary staging table (PostgreSQL
`COPY`, SQLite `executemany`); set-based SQL then classifies them (new / changed / unchanged),
upserts, and writes the simple-history rows of what was created or changed. Ciphertexts are
random, so "changed" is decided on the ID digest and the other columns, never on the cipher.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import functools
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone, translation

from docregsys.identity.crypto import IdType, identity_columns
from docregsys.identity.normalize import normalize_code
from docregsys.identity.validators import validate_id_number, validate_real_name
from docregsys.reference.models import Category, ExamCategory, Level

from .models import AssessmentResult, ExamResult, ImportBatch, QualificationCertificate

Kind = ImportBatch.Kind


class ImportRefused(Exception):
    """The whole file is refused (unknown format, wrong headers …); nothing is written."""


class RowError(Exception):
    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column = column
        self.message = message


# ---------------------------------------------------------------- reading files


def sniff_format(head: bytes) -> str:
    """'xlsx' or 'csv' from the first bytes of the file (never from its name)."""
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportRefused("不支持旧版Excel（.xls）文件，请另存为.xlsx或CSV（UTF-8）后再导入。")
    if not head.strip():
        raise ImportRefused("文件是空的。")
    if b"\x00" in head:
        raise ImportRefused("文件不是CSV或XLSX表格。")
    return "csv"


def _csv_encoding(fh) -> str:
    """UTF-8 (with or without BOM) if the whole file decodes as such, else GB18030."""
    fh.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := fh.read(1 << 20):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
        encoding = "utf-8-sig"
    except UnicodeDecodeError:
        encoding = "gb18030"
    fh.seek(0)
    return encoding


def _read_csv(fh) -> Iterator[list[str]]:
    encoding = _csv_encoding(fh)
    text = io.TextIOWrapper(fh, encoding=encoding, errors="strict", newline="")
    try:
        yield from csv.reader(text)
    except UnicodeDecodeError:
        raise ImportRefused("文件编码无法识别，请保存为UTF-8或GB18030编码的CSV。") from None
    except csv.Error as exc:
        raise ImportRefused(f"CSV格式错误：{exc}") from None
    finally:
        text.detach()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_xlsx(fh) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    fh.seek(0)
    try:
        with zipfile.ZipFile(fh) as zf:
            if "xl/workbook.xml" not in zf.namelist():
                raise ImportRefused("文件不是XLSX表格。")
        fh.seek(0)
        workbook = load_workbook(fh, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise ImportRefused("XLSX文件已损坏，无法读取。") from None
    try:
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield [_cell(v) for v in row]
    finally:
        workbook.close()


def check_upload(fh) -> str:
    """'csv' or 'xlsx' when the upload looks like a spreadsheet by its content, else ImportRefused."""
    fh.seek(0)
    head = fh.read(64 * 1024)
    fh.seek(0)
    kind = sniff_format(head[:4096])
    if kind == "xlsx":
        try:
            with zipfile.ZipFile(fh) as zf:
                ok = "xl/workbook.xml" in zf.namelist()
        except zipfile.BadZipFile:
            ok = False
        fh.seek(0)
        if not ok:
            raise ImportRefused("文件是ZIP压缩包而不是XLSX表格，请上传CSV或XLSX文件。")
        return kind
    if head.startswith(b"%PDF-") or b"\x00" in head:
        raise ImportRefused("文件不是CSV或XLSX表格，请上传CSV或XLSX文件。")
    try:
        text = codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        try:
            text = codecs.getincrementaldecoder("gb18030")().decode(head, final=False)
        except UnicodeDecodeError:
            raise ImportRefused("文件不是UTF-8或GB18030编码的CSV，请上传CSV或XLSX文件。") from None
    if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", text):
        raise ImportRefused("文件不是CSV或XLSX表格，请上传CSV或XLSX文件。")
    return kind


def read_rows(fh) -> Iterator[list[str]]:
    """Rows of a CSV or XLSX file (the first one is the header), each a list of strings."""
    fh.seek(0)
    kind = sniff_format(fh.read(4096))
    return _read_xlsx(fh) if kind == "xlsx" else _read_csv(fh)


def count_lines(fh) -> int | None:
    """About how many rows the file has, for a progress bar (None for XLSX)."""
    fh.seek(0)
    if fh.read(4) == b"PK\x03\x04":
        fh.seek(0)
        return None
    fh.seek(0)
    n = 0
    while chunk := fh.read(1 << 20):
        n += chunk.count(b"\n")
    fh.seek(0)
    return n


# ---------------------------------------------------------------- parsing cells


@functools.cache
def _choices() -> dict[str, dict[str, str]]:
    """Chinese label → stored value, per choice set (labels are lazy: evaluate them once)."""
    with translation.override("zh-hans"):
        return {
            "id_type": {str(label): value for value, label in IdType.choices} | {v: v for v in IdType.values},
            "level": {str(label): value for value, label in Level.choices} | {"助理医师": Level.ASSISTANT},
            "category": {str(label): value for value, label in Category.choices}
            | {"中西医结合": Category.TCM, "民族医": Category.TCM},
            "origin": {str(label): value for value, label in QualificationCertificate.Origin.choices},
            "result": {str(label): value for value, label in AssessmentResult.Result.choices},
        }


_YES = {"是", "合格", "Y", "1", "TRUE"}
_NO = {"否", "不合格", "N", "0", "FALSE"}
_TICKET = re.compile(r"^[0-9A-Za-z]{1,20}$")
_CERT_NUMBER = re.compile(r"^[0-9A-Za-z]{1,32}$")
_CYCLE = re.compile(r"^(\d{4})(?:\s*[-—至~]\s*(\d{4}))?$")


def _required(column: str, value: str) -> str:
    if not value:
        raise RowError(column, f"{column}不能为空。")
    return value


def _text(column: str, value: str, max_length: int, *, required: bool = False) -> str:
    if required:
        _required(column, value)
    if len(value) > max_length:
        raise RowError(column, f"{column}不能超过{max_length}个字符，此处有{len(value)}个。")
    return value


def _choice(column: str, value: str, choices: dict[str, str]) -> str:
    _required(column, value)
    try:
        return choices[value]
    except KeyError:
        allowed = "、".join(k for k in choices if not k.isascii())
        raise RowError(column, f"{column}“{value}”无效，应为：{allowed}。") from None


def _year(column: str, value: str) -> int:
    _required(column, value)
    if not (len(value) == 4 and value.isdigit() and 1950 <= int(value) <= _THIS_YEAR + 1):
        raise RowError(column, f"{column}“{value}”不是有效的年份（四位数字）。")
    return int(value)


def _score(column: str, value: str) -> Decimal | None:
    if not value:
        return None
    try:
        score = Decimal(value)
    except InvalidOperation:
        raise RowError(column, f"{column}“{value}”不是数字。") from None
    if not score.is_finite() or score < 0 or score > 1000:
        raise RowError(column, f"{column}“{value}”应在0至1000之间。")
    if score != score.quantize(Decimal("0.1")):
        raise RowError(column, f"{column}“{value}”最多保留一位小数。")
    return score.quantize(Decimal("0.1"))


def _bool(column: str, value: str) -> bool:
    _required(column, value)
    if value.upper() in _YES:
        return True
    if value.upper() in _NO:
        return False
    raise RowError(column, f"{column}“{value}”无效，应填“是”或“否”。")


_THIS_YEAR = dt.date.today().year
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y.%m.%d", "%Y年%m月%d日")


def _date(column: str, value: str) -> dt.date | None:
    if not value:
        return None
    for fmt in _DATE_FORMATS:
        try:
            date = dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
        if date.year < 1950 or date > timezone.localdate():
            raise RowError(column, f"{column}“{value}”不在合理范围内。")
        return date
    raise RowError(column, f"{column}“{value}”不是有效日期，应为“2024-08-31”的格式。")


def _identity(row: dict[str, str]) -> tuple[str, str, str, str, str]:
    """(id_type, cipher, digest, masked, real_name) with ID-1 and ID-2 applied."""
    id_type = _choice("证件类型", row.get("证件类型") or "居民身份证", _choices()["id_type"])
    try:
        number = validate_id_number(id_type, row["证件号码"])
    except ValidationError as exc:
        raise RowError("证件号码", exc.messages[0]) from None
    name = row["姓名"]
    try:
        name = validate_real_name(name, mainland=True)
    except ValidationError as exc:
        if id_type != IdType.PASSPORT:
            raise RowError("姓名", exc.messages[0]) from None
        try:  # a passport holder's name may be Chinese or Latin
            name = validate_real_name(name, mainland=False)
        except ValidationError:
            raise RowError("姓名", exc.messages[0]) from None
    cipher, digest, masked = identity_columns(number)
    return id_type, cipher, digest, masked, name


# ---------------------------------------------------------------- per-kind specs


@dataclass
class Spec:
    """How one kind of file maps to one model: headers, columns written, the natural key."""

    model: type
    required: tuple[str, ...]
    optional: tuple[str, ...]
    fields: tuple[str, ...]  # model field names, in the order parse() returns them
    key: tuple[str, ...]  # natural key (a unique constraint) among `fields`
    parse: Callable[[dict[str, str], dict], tuple]
    key_label: str = ""
    context: dict = field(default_factory=dict)


def _exam_categories() -> dict[str, str]:
    mapping = {}
    for code, name in ExamCategory.objects.values_list("code", "name"):
        mapping[code] = code
        mapping[name] = code
        mapping[f"{code} {name}"] = code
        mapping[f"{code}{name}"] = code
    return mapping


def _parse_exam_result(row: dict[str, str], ctx: dict) -> tuple:
    # Written out without helpers-in-closures: this runs half a million times per national file.
    errors = []
    identity = year = category = ticket = area = site = score = pass_line = passed = None
    try:
        identity = _identity(row)
    except RowError as exc:
        errors.append(exc)
    try:
        year = _year("考试年度", row["考试年度"])
    except RowError as exc:
        errors.append(exc)
    category = ctx["categories"].get(row["报考类别"])
    if category is None:
        value = row["报考类别"]
        errors.append(
            RowError("报考类别", f"报考类别“{value}”不存在，应为类别代码（如110）或名称（如临床执业医师）。")
            if value
            else RowError("报考类别", "报考类别不能为空。")
        )
    ticket = normalize_code(row["准考证号"])
    if not _TICKET.match(ticket):
        errors.append(
            RowError("准考证号", f"准考证号“{ticket}”应为1至20位字母或数字。")
            if ticket
            else RowError("准考证号", "准考证号不能为空。")
        )
    try:
        area = _text("考区", row["考区"], 50)
        site = _text("考点", row["考点"], 50)
    except RowError as exc:
        errors.append(exc)
    try:
        score = _score("笔试成绩", row["笔试成绩"])
    except RowError as exc:
        errors.append(exc)
    try:
        pass_line = _score("合格线", row["合格线"])
    except RowError as exc:
        errors.append(exc)
    try:
        passed = _bool("是否合格", row["是否合格"])
    except RowError as exc:
        errors.append(exc)
    if errors:
        raise RowErrors(errors)
    return (*identity, year, category, ticket, area, site, score, pass_line, passed)


class _Fields:
    """One row's parsed values, collecting every field's error so a row reports all its problems at once."""

    def __init__(self):
        self.values: dict = {}
        self.errors: list[RowError] = []

    def take(self, name: str, parse: Callable[[], object]) -> None:
        try:
            self.values[name] = parse()
        except RowError as exc:
            self.errors.append(exc)

    def check(self) -> None:
        if self.errors:
            raise RowErrors(self.errors)


def _parse_certificate(row: dict[str, str], ctx: dict) -> tuple:
    fields = _Fields()
    take, out = fields.take, fields.values

    def number():
        value = normalize_code(_required("资格证书编码", row["资格证书编码"]))
        if not _CERT_NUMBER.match(value):
            raise RowError("资格证书编码", f"资格证书编码“{value}”应为1至32位字母或数字。")
        return value

    def ticket():
        value = normalize_code(row["准考证号"])
        if value and not _TICKET.match(value):
            raise RowError("准考证号", f"准考证号“{value}”应为1至20位字母或数字。")
        return value

    take("number", number)
    take("identity", lambda: _identity(row))
    take("level", lambda: _choice("医师级别", row["医师级别"], _choices()["level"]))
    take("category", lambda: _choice("医师类别", row["医师类别"], _choices()["category"]))
    take("year", lambda: _year("取得资格年度", row["取得资格年度"]))
    take("school", lambda: _text("毕业学校", row["毕业学校"], 100))
    take("major", lambda: _text("所学专业", row["所学专业"], 60))
    take("authority", lambda: _text("签发机关", row["签发机关"], 100))
    take("issue_date", lambda: _date("签发日期", row["签发日期"]))
    take("origin", lambda: _choice("资格来源", row["资格来源"] or "新人新办法", _choices()["origin"]))
    take("ticket", ticket)
    fields.check()
    id_type, cipher, digest, masked, name = out["identity"]
    return (
        id_type, cipher, digest, masked, name, out["number"], out["level"], out["category"], out["year"],
        out["school"], out["major"], out["authority"], out["issue_date"], out["origin"], out["ticket"],
    )  # fmt: skip


def _parse_assessment(row: dict[str, str], ctx: dict) -> tuple:
    fields = _Fields()
    take, out = fields.take, fields.values

    def cycle():
        value = _required("考核周期", row["考核周期"])
        match = _CYCLE.match(value)
        if not match or (match[2] and int(match[2]) < int(match[1])):
            raise RowError("考核周期", f"考核周期“{value}”无效，应为“2021-2023”的格式。")
        return f"{match[1]}-{match[2]}" if match[2] else match[1]

    def certificate_number():
        value = normalize_code(row["执业证书编码"])
        if value and not _CERT_NUMBER.match(value):
            raise RowError("执业证书编码", f"执业证书编码“{value}”应为1至32位字母或数字。")
        return value

    take("identity", lambda: _identity(row))
    take("cycle", cycle)
    take("body", lambda: _text("考核机构", row["考核机构"], 100, required=True))
    take("result", lambda: _choice("考核结果", row["考核结果"], _choices()["result"]))
    take("cert", certificate_number)
    fields.check()
    id_type, cipher, digest, masked, name = out["identity"]
    return (id_type, cipher, digest, masked, name, out["cycle"], out["body"], out["result"], out["cert"])


class RowErrors(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__(errors)
        self.errors = errors


_IDENTITY_FIELDS = ("id_type", "id_number_cipher", "id_number_digest", "id_number_masked", "real_name")

SPECS: dict[str, Spec] = {
    Kind.EXAM_RESULTS: Spec(
        model=ExamResult,
        required=(
            "考试年度",
            "报考类别",
            "准考证号",
            "姓名",
            "证件号码",
            "考区",
            "考点",
            "笔试成绩",
            "合格线",
            "是否合格",
        ),
        optional=("证件类型",),
        fields=_IDENTITY_FIELDS
        + (
            "year",
            "exam_category",
            "admission_ticket",
            "exam_area",
            "exam_site",
            "written_score",
            "pass_line",
            "passed",
        ),
        key=("year", "admission_ticket"),
        key_label="准考证号",
        parse=_parse_exam_result,
    ),
    Kind.CERTIFICATES: Spec(
        model=QualificationCertificate,
        required=(
            "资格证书编码",
            "姓名",
            "证件号码",
            "医师级别",
            "医师类别",
            "取得资格年度",
            "毕业学校",
            "所学专业",
            "签发机关",
            "签发日期",
            "资格来源",
            "准考证号",
        ),  # fmt: skip
        optional=("证件类型",),
        fields=_IDENTITY_FIELDS
        + (
            "number",
            "level",
            "category",
            "year_obtained",
            "school",
            "major",
            "issuing_authority",
            "issue_date",
            "origin",
            "admission_ticket",
        ),  # fmt: skip
        key=("number",),
        key_label="资格证书编码",
        parse=_parse_certificate,
    ),
    Kind.ASSESSMENTS: Spec(
        model=AssessmentResult,
        required=("姓名", "证件号码", "考核周期", "考核机构", "考核结果", "执业证书编码"),
        optional=("证件类型",),
        fields=_IDENTITY_FIELDS + ("cycle", "assessing_body", "result", "certificate_number"),
        key=("id_number_digest", "cycle"),
        key_label="证件号码",
        parse=_parse_assessment,
    ),
}


def _check_headers(spec: Spec, header: list[str]) -> list[str]:
    names = [h.strip().lstrip("\ufeff") for h in header]
    while names and not names[-1]:
        names.pop()  # trailing empty cells of a spreadsheet
    dupes = sorted({n for n in names if names.count(n) > 1})
    unknown = [n for n in names if n not in spec.required and n not in spec.optional]
    missing = [n for n in spec.required if n not in names]
    problems = []
    if missing:
        problems.append("缺少列：" + "、".join(missing))
    if unknown:
        problems.append("无法识别的列：" + "、".join(n or "（空列名）" for n in unknown))
    if dupes:
        problems.append("重复的列：" + "、".join(dupes))
    if problems:
        raise ImportRefused(
            "表头不正确（"
            + "；".join(problems)
            + "）。第1行应为以下列名："
            + "、".join(spec.required + spec.optional)
        )
    return names


# ---------------------------------------------------------------- SQL


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _distinct(a: str, b: str) -> str:
    # The one vendor difference in the comparison: SQLite < 3.39 has no IS DISTINCT FROM.
    return f"{a} IS NOT {b}" if connection.vendor == "sqlite" else f"{a} IS DISTINCT FROM {b}"


class _Staging:
    """A temporary table with the validated rows (plus their line number and action)."""

    def __init__(self, spec: Spec, cursor):
        self.spec = spec
        self.cursor = cursor
        self.table = f"import_staging_{spec.model._meta.model_name}"
        self.fields = [spec.model._meta.get_field(name) for name in spec.fields]
        self.columns = [f.column for f in self.fields]
        self.buffer: list[tuple] = []
        self._copy = None

    def __enter__(self):
        cols = ", ".join(
            f"{_q(f.column)} {f.db_type(connection) or f.rel_db_type(connection)}" for f in self.fields
        )
        self.cursor.execute(f"DROP TABLE IF EXISTS {self.table}")
        self.cursor.execute(
            f"CREATE TEMPORARY TABLE {self.table} (line integer, {cols}, action char(1) DEFAULT 'n', target_id bigint)"
        )
        if connection.vendor == "postgresql":
            raw = self.cursor.cursor
            self._copy_cm = raw.copy(
                f"COPY {self.table} (line, {', '.join(_q(c) for c in self.columns)}) FROM STDIN"
            )
            self._copy = self._copy_cm.__enter__()
        return self

    def write(self, line: int, values: tuple) -> None:
        if self._copy is not None:
            self._copy.write_row((line, *values))
            return
        self.buffer.append((line, *values))
        if len(self.buffer) >= 5000:
            self.flush()

    def flush(self) -> None:
        if self.buffer:
            marks = ", ".join(["%s"] * (len(self.columns) + 1))
            self.cursor.executemany(
                f"INSERT INTO {self.table} (line, {', '.join(_q(c) for c in self.columns)}) VALUES ({marks})",
                self.buffer,
            )
            self.buffer = []

    def __exit__(self, exc_type, exc, tb):
        if self._copy is not None:
            self._copy_cm.__exit__(exc_type, exc, tb)
            self._copy = None
        elif exc_type is None:
            self.flush()
        return False


def _apply(spec: Spec, cursor, staging: _Staging, *, batch: ImportBatch, user, when) -> tuple[int, int, int]:
    """Classify, upsert and audit the staged rows; returns (created, updated, unchanged)."""
    model = spec.model
    table = _q(model._meta.db_table)
    s = staging.table
    key_cols = [model._meta.get_field(k).column for k in spec.key]
    cols = staging.columns
    compared = [c for c in cols if c not in key_cols and c != "id_number_cipher"]
    on_key = " AND ".join(f"t.{_q(c)} = {s}.{_q(c)}" for c in key_cols)
    differs = " OR ".join(_distinct(f"t.{_q(c)}", f"{s}.{_q(c)}") for c in compared)

    if connection.vendor == "postgresql":
        cursor.execute(f"ANALYZE {s}")  # temp tables are never auto-analysed
    cursor.execute(
        f"UPDATE {s} SET target_id = t.id, action = CASE WHEN {differs} THEN 'c' ELSE 'u' END "
        f"FROM {table} t WHERE {on_key}"
    )
    cursor.execute(f"SELECT action, COUNT(*) FROM {s} GROUP BY action")
    counts = dict(cursor.fetchall())
    created, updated, unchanged = counts.get("n", 0), counts.get("c", 0), counts.get("u", 0)

    if created or updated:
        col_list = ", ".join(_q(c) for c in cols)
        excluded_differs = " OR ".join(_distinct(f"t.{_q(c)}", f"excluded.{_q(c)}") for c in compared)
        sets = ", ".join(f"{_q(c)} = excluded.{_q(c)}" for c in cols if c not in key_cols)
        cursor.execute(
            f"INSERT INTO {table} AS t ({col_list}, batch_id) "
            f"SELECT {col_list}, %s FROM {s} WHERE action <> 'u' "
            f"ON CONFLICT ({', '.join(_q(c) for c in key_cols)}) DO UPDATE SET {sets}, batch_id = excluded.batch_id "
            f"WHERE {excluded_differs}",
            [batch.pk],
        )
        history = model.history.model
        tracked = [f.column for f in history._meta.concrete_fields if f.column not in _HISTORY_OWN]
        cursor.execute(
            f"INSERT INTO {_q(history._meta.db_table)} "
            f"({', '.join(_q(c) for c in tracked)}, history_date, history_type, history_user_id, history_change_reason) "
            f"SELECT {', '.join('t.' + _q(c) for c in tracked)}, %s, "
            f"CASE WHEN {s}.action = 'n' THEN '+' ELSE '~' END, %s, %s "
            f"FROM {table} t JOIN {s} ON {on_key} WHERE {s}.action <> 'u'",
            [when, getattr(user, "pk", None), f"导入批次#{batch.pk}：{batch.filename}"[:100]],
        )
    cursor.execute(f"DROP TABLE {s}")
    return created, updated, unchanged


_HISTORY_OWN = {"history_id", "history_date", "history_type", "history_user_id", "history_change_reason"}


# ---------------------------------------------------------------- the service


def records_import(
    *,
    kind: str,
    fh,
    filename: str,
    user=None,
    progress: Callable[[int], None] | None = None,
    batch: ImportBatch | None = None,
) -> ImportBatch:
    """Import one file of `kind` (QUA-3); returns its ImportBatch with counts and the first errors.

    A file-level problem (format, headers, a database error) leaves no record written and the
    batch marked failed with the reason. `batch` is the queued batch when the worker runs it.
    """
    spec = SPECS[kind]
    if batch is None:
        batch = ImportBatch.objects.create(kind=kind, filename=filename[:200], started_by=user)
    try:
        # Reasons are stored, so they are written in Chinese whatever the uploader's language.
        with transaction.atomic(), translation.override("zh-hans"):
            report = _run(spec, fh, batch=batch, user=user, progress=progress)
    except ImportRefused as exc:
        batch.status = ImportBatch.Status.FAILED
        batch.failure = str(exc)
    else:
        batch.status = ImportBatch.Status.DONE
        batch.total_rows, batch.created, batch.updated, batch.unchanged, batch.rejected, batch.errors = report
    batch.finished_at = timezone.now()
    batch.save()
    return batch


def _run(spec: Spec, fh, *, batch, user, progress):
    rows = read_rows(fh)
    try:
        header = next(rows)
    except StopIteration:
        raise ImportRefused("文件是空的。") from None
    names = _check_headers(spec, header)
    width = len(names)
    ctx = {"categories": _exam_categories()} if spec.model is ExamResult else {}
    key_index = [spec.fields.index(k) for k in spec.key]
    seen: dict[tuple, int] = {}
    errors: list[dict] = []
    total = rejected = 0

    def reject(line, column, message):
        if len(errors) < ImportBatch.ERRORS_KEPT:
            errors.append({"line": line, "column": column, "message": message})

    with connection.cursor() as cursor:
        with _Staging(spec, cursor) as staging:
            for line, cells in enumerate(rows, start=2):
                if progress and line % 1000 == 0:
                    progress(1000)
                cells = [c.strip() for c in cells[:width]]
                if not any(cells):
                    continue
                total += 1
                if len(cells) < width:
                    cells += [""] * (width - len(cells))
                row = dict(zip(names, cells))  # noqa: B905 (padded to width above)
                try:
                    values = spec.parse(row, ctx)
                except RowErrors as exc:
                    rejected += 1
                    for err in exc.errors:
                        reject(line, err.column, err.message)
                    continue
                key = tuple(values[i] for i in key_index)
                first = seen.setdefault(key, line)
                if first != line:
                    rejected += 1
                    reject(
                        line, spec.key_label, f"{spec.key_label}与第{first}行重复，同一文件中只能出现一次。"
                    )
                    continue
                staging.write(line, values)
        created, updated, unchanged = _apply(
            spec, cursor, staging, batch=batch, user=user, when=timezone.now()
        )
    return total, created, updated, unchanged, rejected, errors
