"""What every console list shares: paging, and export of the same rows to XLSX or CSV.

Hospital HR departments take these lists into spreadsheets; a cell that starts with ``= + - @`` (or a tab
or carriage return) would run as a formula there, so every exported text cell is neutralised with a
leading apostrophe (OWASP "CSV injection").
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from urllib.parse import quote

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook

PER_PAGE = 20
EXPORT_FORMATS = ("xlsx", "csv")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def paginate(request, queryset, per_page: int = PER_PAGE):
    """The requested page of `queryset` (a count query and a slice; out-of-range numbers give the last page)."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def neutralise(value):
    """A cell value safe for a spreadsheet: formulas-to-be become text; numbers and dates stay as they are."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def export_format(request) -> str | None:
    """``xlsx`` or ``csv`` when the request asks for an export (``?export=xlsx``), else None."""
    fmt = request.GET.get("export", "")
    return fmt if fmt in EXPORT_FORMATS else None


def export_response(fmt: str, *, name: str, headers: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    """The rows as a download named ``<name>-<date>.<fmt>``; every text cell neutralised."""
    stamp = timezone.localdate().strftime("%Y%m%d")
    filename = f"{name}-{stamp}.{fmt}"
    if fmt == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")  # Excel opens UTF-8 CSV as Chinese only with a byte-order mark
        writer = csv.writer(buffer)
        writer.writerow([neutralise(str(h)) for h in headers])
        for row in rows:
            writer.writerow([neutralise(v) for v in row])
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        sheet.append([str(h) for h in headers])
        for row in rows:
            sheet.append([neutralise(v) for v in row])
        out = io.BytesIO()
        workbook.save(out)
        response = HttpResponse(
            out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    # RFC 6266: an ASCII fallback and the UTF-8 name.
    response["Content-Disposition"] = (
        f"attachment; filename=\"export.{fmt}\"; filename*=UTF-8''{quote(filename)}"
    )
    return response


def export_workbook(
    *, name: str, sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence]]]
) -> HttpResponse:
    """Several tables as one XLSX download, one sheet each: [(sheet title, headers, rows)]; cells neutralised."""
    stamp = timezone.localdate().strftime("%Y%m%d")
    filename = f"{name}-{stamp}.xlsx"
    workbook = Workbook(write_only=True)
    for title, headers, rows in sheets:
        # Excel refuses sheet titles longer than 31 characters or holding []:*?/\
        sheet = workbook.create_sheet(title="".join(c for c in str(title) if c not in "[]:*?/\\")[:31])
        sheet.append([str(h) for h in headers])
        for row in rows:
            sheet.append([neutralise(v) for v in row])
    out = io.BytesIO()
    workbook.save(out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        f"attachment; filename=\"export.xlsx\"; filename*=UTF-8''{quote(filename)}"
    )
    return response
