"""Per-kind specs: the headers of each file, its cells in order, the model columns written, the natural key."""

from __future__ import annotations

from dataclasses import dataclass

from docregsys.reference.models import ExamCategory, Region

from ..models import AssessmentResult, ExamResult, ImportBatch, QualificationCertificate
from ..regions import ExamRegionResolver
from . import cells
from .errors import ImportRefused, RowError, RowErrors

Kind = ImportBatch.Kind

_IDENTITY_FIELDS = ("id_type", "id_number_cipher", "id_number_digest", "id_number_masked", "real_name")
_HOLDER_FIELDS = (*_IDENTITY_FIELDS, "region_code")


@dataclass(frozen=True)
class Spec:
    """How one kind of file maps to one model: headers, cell parsers, columns written, the natural key.

    ``cells`` run in order on each row; their values, in order (the identity cell gives five),
    are the model fields named in ``fields``.
    """

    model: type
    required: tuple[str, ...]
    optional: tuple[str, ...]
    cells: tuple[cells.Parser, ...]
    fields: tuple[str, ...]
    key: tuple[str, ...]  # natural key (a unique constraint) among `fields`
    key_label: str

    def parse(self, row: dict[str, str], ctx: dict) -> tuple:
        """The row's values in `fields` order, or RowErrors with every wrong cell of the row."""
        values: list = []
        errors: list[RowError] = []
        for cell in self.cells:
            try:
                value = cell(row, ctx)
            except RowError as exc:
                errors.append(exc)
                continue
            if type(value) is tuple:
                values.extend(value)
            else:
                values.append(value)
        if errors:
            raise RowErrors(errors)
        return tuple(values)

    def context(self) -> dict:
        """What the cells look up once per file (exam categories by code and name)."""
        if self.model is not ExamResult:
            return {}
        return {"categories": _exam_categories(), "exam_region": _exam_region_resolver()}

    def check_headers(self, header: list[str]) -> list[str]:
        """The column names of the header row, or ImportRefused naming what is missing, unknown or doubled."""
        names = [h.strip().lstrip("\ufeff") for h in header]
        while names and not names[-1]:
            names.pop()  # trailing empty cells of a spreadsheet
        dupes = sorted({n for n in names if names.count(n) > 1})
        unknown = [n for n in names if n not in self.required and n not in self.optional]
        missing = [n for n in self.required if n not in names]
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
                + "、".join(self.required + self.optional)
            )
        return names


def _exam_categories() -> dict[str, str]:
    mapping = {}
    for code, name in ExamCategory.objects.values_list("code", "name"):
        mapping[code] = code
        mapping[name] = code
        mapping[f"{code} {name}"] = code
        mapping[f"{code}{name}"] = code
    return mapping


def _exam_region_resolver() -> ExamRegionResolver:
    return ExamRegionResolver(
        Region.objects.filter(is_grouping=False).values_list("code", "name", "full_name", "level")
    )


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
        ),  # fmt: skip
        optional=("证件类型",),
        cells=(
            cells.identity,
            cells.year("考试年度"),
            cells.exam_category("报考类别"),
            cells.code("准考证号", 20, required=True),
            cells.text("考区", 50),
            cells.text("考点", 50),
            cells.score("笔试成绩"),
            cells.score("合格线"),
            cells.boolean("是否合格"),
            cells.exam_region("考区", "考点"),
        ),
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
            "region_code",
        ),
        key=("year", "admission_ticket"),
        key_label="准考证号",
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
        cells=(
            cells.identity_with_region,
            cells.code("资格证书编码", 32, required=True),
            cells.choice("医师级别", "level"),
            cells.choice("医师类别", "category"),
            cells.year("取得资格年度"),
            cells.text("毕业学校", 100),
            cells.text("所学专业", 60),
            cells.text("签发机关", 100),
            cells.date("签发日期"),
            cells.choice("资格来源", "origin", default="新人新办法"),
            cells.code("准考证号", 20),
        ),
        fields=_HOLDER_FIELDS
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
    ),
    Kind.ASSESSMENTS: Spec(
        model=AssessmentResult,
        required=("姓名", "证件号码", "考核周期", "考核机构", "考核结果", "执业证书编码"),
        optional=("证件类型",),
        cells=(
            cells.identity_with_region,
            cells.cycle("考核周期"),
            cells.text("考核机构", 100, required=True),
            cells.choice("考核结果", "result"),
            cells.code("执业证书编码", 32),
        ),
        fields=_HOLDER_FIELDS + ("cycle", "assessing_body", "result", "certificate_number"),
        key=("id_number_digest", "cycle"),
        key_label="证件号码",
    ),
}
