"""Cell parsers, one style for every kind: ``parser(row, ctx)`` returns the stored value or raises RowError.

A parser is made once per spec by a small factory that binds its column (``year("考试年度")``), so the
row loop calls plain functions: this runs half a million times per national file (QUA-3).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from docregsys.identity.crypto import IdType, identity_columns
from docregsys.identity.normalize import normalize_code
from docregsys.identity.validators import validate_id_number, validate_real_name
from docregsys.reference.models import Category, Level

from ..models import AssessmentResult, QualificationCertificate
from ..regions import resident_region
from .errors import RowError

Parser = Callable[[dict[str, str], dict], object]

_YES = {"是", "合格", "Y", "1", "TRUE"}
_NO = {"否", "不合格", "N", "0", "FALSE"}
_CYCLE = re.compile(r"^(\d{4})(?:\s*[-—至~]\s*(\d{4}))?$")
_THIS_YEAR = dt.date.today().year
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y.%m.%d", "%Y年%m月%d日")


@functools.cache
def choices() -> dict[str, dict[str, str]]:
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


def _required(column: str, value: str) -> str:
    if not value:
        raise RowError(column, f"{column}不能为空。")
    return value


def _choice_value(column: str, value: str, mapping: dict[str, str]) -> str:
    _required(column, value)
    try:
        return mapping[value]
    except KeyError:
        allowed = "、".join(k for k in mapping if not k.isascii())
        raise RowError(column, f"{column}“{value}”无效，应为：{allowed}。") from None


# ---------------------------------------------------------------- parser factories


def text(column: str, max_length: int, *, required: bool = False) -> Parser:
    def parse(row, ctx):
        value = row[column]
        if required:
            _required(column, value)
        if len(value) > max_length:
            raise RowError(column, f"{column}不能超过{max_length}个字符，此处有{len(value)}个。")
        return value

    return parse


def code(column: str, max_length: int, *, required: bool = False) -> Parser:
    """A ticket or certificate number: 1 to max_length letters or digits, normalised by the kernel (X-4)."""
    pattern = re.compile(rf"^[0-9A-Za-z]{{1,{max_length}}}$")

    def parse(row, ctx):
        value = normalize_code(row[column])
        if not value:
            if required:
                raise RowError(column, f"{column}不能为空。")
            return value
        if not pattern.match(value):
            raise RowError(column, f"{column}“{value}”应为1至{max_length}位字母或数字。")
        return value

    return parse


def choice(column: str, choice_set: str, *, default: str | None = None) -> Parser:
    def parse(row, ctx):
        return _choice_value(column, row[column] or default or "", choices()[choice_set])

    return parse


def year(column: str) -> Parser:
    def parse(row, ctx):
        value = _required(column, row[column])
        if not (len(value) == 4 and value.isdigit() and 1950 <= int(value) <= _THIS_YEAR + 1):
            raise RowError(column, f"{column}“{value}”不是有效的年份（四位数字）。")
        return int(value)

    return parse


def score(column: str) -> Parser:
    def parse(row, ctx):
        value = row[column]
        if not value:
            return None
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise RowError(column, f"{column}“{value}”不是数字。") from None
        if not number.is_finite() or number < 0 or number > 1000:
            raise RowError(column, f"{column}“{value}”应在0至1000之间。")
        if number != number.quantize(Decimal("0.1")):
            raise RowError(column, f"{column}“{value}”最多保留一位小数。")
        return number.quantize(Decimal("0.1"))

    return parse


def boolean(column: str) -> Parser:
    def parse(row, ctx):
        value = _required(column, row[column])
        if value.upper() in _YES:
            return True
        if value.upper() in _NO:
            return False
        raise RowError(column, f"{column}“{value}”无效，应填“是”或“否”。")

    return parse


def date(column: str) -> Parser:
    def parse(row, ctx):
        value = row[column]
        if not value:
            return None
        for fmt in _DATE_FORMATS:
            try:
                parsed = dt.datetime.strptime(value, fmt).date()
            except ValueError:
                continue
            if parsed.year < 1950 or parsed > timezone.localdate():
                raise RowError(column, f"{column}“{value}”不在合理范围内。")
            return parsed
        raise RowError(column, f"{column}“{value}”不是有效日期，应为“2024-08-31”的格式。")

    return parse


def cycle(column: str) -> Parser:
    def parse(row, ctx):
        value = _required(column, row[column])
        match = _CYCLE.match(value)
        if not match or (match[2] and int(match[2]) < int(match[1])):
            raise RowError(column, f"{column}“{value}”无效，应为“2021-2023”的格式。")
        return f"{match[1]}-{match[2]}" if match[2] else match[1]

    return parse


def exam_category(column: str) -> Parser:
    """A category code (110) or name (临床执业医师), looked up in ``ctx["categories"]``."""

    def parse(row, ctx):
        value = row[column]
        found = ctx["categories"].get(value)
        if found is None:
            if not value:
                raise RowError(column, f"{column}不能为空。")
            raise RowError(
                column, f"{column}“{value}”不存在，应为类别代码（如110）或名称（如临床执业医师）。"
            )
        return found

    return parse


def identity(row: dict[str, str], ctx: dict) -> tuple[str, str, str, str, str]:
    """(id_type, cipher, digest, masked, real_name) with ID-1 and ID-2 applied."""
    id_type = _choice_value("证件类型", row.get("证件类型") or "居民身份证", choices()["id_type"])
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


def identity_with_region(row: dict[str, str], ctx: dict) -> tuple[str, str, str, str, str, str]:
    """The identity plus the holder's region (APP-5): the first six digits of a resident ID."""
    values = identity(row, ctx)
    return (*values, resident_region(values[0], row["证件号码"].strip().upper()))


def exam_region(area_column: str, site_column: str) -> Parser:
    """The region of the exam (APP-5), from the exam area and site through ``ctx["exam_region"]``."""

    def parse(row, ctx):
        return ctx["exam_region"](row[area_column], row[site_column])

    return parse
