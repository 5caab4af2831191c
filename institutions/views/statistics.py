"""Console pages: 统计信息 (INS-11) with server-drawn SVG bar charts, and 医师在外省注册情况.

Both count or list only the officer's own doctors (valid records whose main institution is the officer's)
with a fixed number of queries, and export what they show.
"""

from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from registrations.selectors import institution_statistics_for, outside_record_list_for

from . import officer_required
from .tables import export_format, export_response, export_workbook, paginate

BAR_ROW_HEIGHT = 28  # px per bar: the SVG's height grows with the number of bars, its width with the page
LABEL_WIDTH = 34  # % of the chart for the labels
BAR_SPACE = 52  # % of the chart for the longest bar (the rest holds the count)


def chart_bars(pairs) -> dict:
    """[(label, count)] → what templates/institutions/_bar_chart.html draws: positions and widths in Python."""
    pairs = list(pairs)
    top = max((count for _label, count in pairs), default=0) or 1
    bars = []
    for i, (label, count) in enumerate(pairs):
        width = round(BAR_SPACE * count / top, 2)
        bars.append(
            {
                "label": label,
                "count": count,
                "y": i * BAR_ROW_HEIGHT + 4,
                "text_y": i * BAR_ROW_HEIGHT + 19,
                "width": f"{width}%",
                "count_x": f"{LABEL_WIDTH + width + 1}%",
            }
        )
    return {"bars": bars, "height": max(len(bars), 1) * BAR_ROW_HEIGHT + 4, "bar_x": f"{LABEL_WIDTH}%"}


@officer_required
@require_GET
def statistics(request):
    """INS-11: the officer's doctors counted by category, level, scope, title, department, sex and age band."""
    data = institution_statistics_for(user=request.user)
    fmt = export_format(request)
    headers = [_("名称"), _("人数")]
    if fmt == "xlsx":
        return export_workbook(
            name="统计信息",
            sheets=[(title, headers, counts) for _key, title, counts in data["dimensions"]],
        )
    if fmt == "csv":
        rows = [
            (str(title), label, count)
            for _key, title, counts in data["dimensions"]
            for label, count in counts
        ]
        return export_response(fmt, name="统计信息", headers=[_("统计项"), *headers], rows=rows)
    charts = [
        {"key": key, "title": title, "counts": counts, "chart": chart_bars(counts)}
        for key, title, counts in data["dimensions"]
    ]
    return render(request, "institutions/statistics.html", {"total": data["total"], "charts": charts})


OUTSIDE_HEADERS = [
    _("姓名"),
    _("执业证书编码"),
    _("本院执业地点"),
    _("外省执业地点"),
    _("外省执业机构"),
    _("状态"),
    _("审批机关"),
    _("批准日期"),
]


def _outside_row(record) -> list:
    return [
        record.real_name,
        record.home_certificate_number,
        record.home_location,
        record.location.full_name,
        record.main_institution.name,
        str(record.get_state_display()),
        record.authority.name,
        record.approval_date,
    ]


@officer_required
@require_GET
def outside(request):
    """The officer's doctors' practice records in other provinces: paged (2 queries), exportable."""
    records = outside_record_list_for(user=request.user)
    fmt = export_format(request)
    if fmt:
        return export_response(
            fmt, name="医师在外省注册情况", headers=OUTSIDE_HEADERS, rows=(_outside_row(r) for r in records)
        )
    page = paginate(request, records)
    return render(request, "institutions/outside.html", {"page": page, "headers": OUTSIDE_HEADERS})


urlpatterns: list = [
    path("statistics/", statistics, name="statistics"),
    path("outside/", outside, name="outside"),
]
