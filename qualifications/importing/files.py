"""Reading the uploaded file: its type decoded from the content (never the name), rows as lists of strings."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator

from .errors import ImportRefused


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
