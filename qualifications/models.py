"""The exam centre's records: exam results, qualification certificates, periodic assessments, imports."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from docregsys.identity.crypto import EncryptedIdentity, mask_id_number
from docregsys.reference.models import Category, ExamCategory, Level

from .regions import resident_region


class PersonRecord(EncryptedIdentity):
    """Who a record is about: the name and (encrypted) ID number as the exam centre holds them.

    The digest is indexed by each model's Meta.indexes rather than `db_index`: on PostgreSQL
    `db_index` on a CharField adds a second `varchar_pattern_ops` index, and the history tables
    would copy both. Every index costs time on a national year's import (QUA-3); lookups go
    by digest or by the records' own numbers, never by name prefix.
    """

    real_name = models.CharField(_("姓名"), max_length=28)
    # Whose region the record is in, for the reviewers' scope (APP-5): see qualifications.regions.
    region_code = models.CharField(_("所属地区代码"), max_length=6, blank=True, editable=False)
    id_number_digest = models.CharField(_("证件号码摘要"), max_length=64, blank=True, editable=False)
    # The last import that wrote the record.
    batch = models.ForeignKey(
        "ImportBatch",
        verbose_name=_("导入批次"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # only read when a batch is deleted; not worth its cost on every imported row
    )

    class Meta:
        abstract = True


class HolderRegionRecord(PersonRecord):
    """A record that belongs to the holder's region: the first six digits of a resident ID."""

    class Meta:
        abstract = True

    def set_id_number(self, value: str) -> None:
        super().set_id_number(value)
        self.region_code = resident_region(self.id_type, value.strip().upper() if value else "")


def mask_certificate_number(number: str) -> str:
    """200843110 4301**********0315: year, province and category shown, the holder's ID in it masked (X-3)."""
    number = (number or "").strip().upper()
    if len(number) == 27 and number[:9].isdigit():
        return number[:9] + mask_id_number(number[9:])
    return mask_id_number(number)


class ExamResult(PersonRecord):
    """QUA-1: one candidate's result in one year's exam (考试成绩)."""

    year = models.PositiveSmallIntegerField(_("考试年度"))
    exam_category = models.ForeignKey(
        ExamCategory, verbose_name=_("报考类别"), on_delete=models.PROTECT, db_index=False
    )  # ten categories: an index would not be selective
    admission_ticket = models.CharField(_("准考证号"), max_length=20)
    exam_area = models.CharField(_("考区"), max_length=50, blank=True)
    exam_site = models.CharField(_("考点"), max_length=50, blank=True)
    written_score = models.DecimalField(_("笔试成绩"), max_digits=5, decimal_places=1, null=True, blank=True)
    pass_line = models.DecimalField(_("合格线"), max_digits=5, decimal_places=1, null=True, blank=True)
    passed = models.BooleanField(_("是否合格"), default=False)
    history = HistoricalRecords(excluded_fields=["batch"])

    class Meta:
        verbose_name = _("考试成绩")
        verbose_name_plural = _("考试成绩")
        ordering = ["-year", "admission_ticket"]
        constraints = [
            models.UniqueConstraint(fields=["year", "admission_ticket"], name="exam_result_unique_ticket")
        ]
        indexes = [models.Index(fields=["id_number_digest"], name="exam_result_digest")]

    def __str__(self):
        return f"{self.year} {self.admission_ticket} {self.real_name}"


class QualificationCertificate(HolderRegionRecord):
    """QUA-2: a 医师资格证书 (certificate number, level, category, origin …)."""

    class Origin(models.TextChoices):
        EXAM = "exam", _("新人新办法")
        LEGACY = "legacy", _("老人老办法")
        MILITARY = "military", _("军队")

    number = models.CharField(_("资格证书编码"), max_length=32, unique=True)
    level = models.CharField(_("医师级别"), max_length=10, choices=Level.choices)
    category = models.CharField(_("医师类别"), max_length=20, choices=Category.choices)
    year_obtained = models.PositiveSmallIntegerField(_("取得资格年度"))
    school = models.CharField(_("毕业学校"), max_length=100, blank=True)
    major = models.CharField(_("所学专业"), max_length=60, blank=True)
    issuing_authority = models.CharField(_("签发机关"), max_length=100, blank=True)
    issue_date = models.DateField(_("签发日期"), null=True, blank=True)
    origin = models.CharField(_("资格来源"), max_length=10, choices=Origin.choices, default=Origin.EXAM)
    admission_ticket = models.CharField(_("准考证号"), max_length=20, blank=True)
    history = HistoricalRecords(excluded_fields=["batch"])

    class Meta:
        verbose_name = _("医师资格证书")
        verbose_name_plural = _("医师资格证书")
        ordering = ["number"]
        indexes = [models.Index(fields=["id_number_digest"], name="certificate_digest")]

    def __str__(self):
        # The admin's history and log entries print this: the number holds the full ID.
        return f"{self.number_masked} {self.real_name}"

    @property
    def number_masked(self) -> str:
        return mask_certificate_number(self.number)


class AssessmentResult(HolderRegionRecord):
    """REG-10: a periodic assessment (定期考核) result for one doctor and cycle."""

    class Result(models.TextChoices):
        PASSED = "passed", _("合格")
        FAILED = "failed", _("不合格")

    cycle = models.CharField(_("考核周期"), max_length=20, help_text=_("例如 2021-2023"))
    assessing_body = models.CharField(_("考核机构"), max_length=100)
    result = models.CharField(_("考核结果"), max_length=10, choices=Result.choices)
    certificate_number = models.CharField(_("执业证书编码"), max_length=32, blank=True)
    history = HistoricalRecords(excluded_fields=["batch"])

    class Meta:
        verbose_name = _("定期考核结果")
        verbose_name_plural = _("定期考核结果")
        ordering = ["-cycle"]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_digest", "cycle"], name="assessment_unique_person_cycle"
            )
        ]

    def __str__(self):
        return f"{self.cycle} {self.real_name} {self.get_result_display()}"


class ImportBatch(models.Model):
    """One import of an exam-centre file (QUA-3): who, what, and the row-by-row report."""

    class Kind(models.TextChoices):
        EXAM_RESULTS = "exam_results", _("考试成绩")
        CERTIFICATES = "certificates", _("医师资格证书")
        ASSESSMENTS = "assessments", _("定期考核结果")

    class Status(models.TextChoices):
        RUNNING = "running", _("导入中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    kind = models.CharField(_("数据类型"), max_length=20, choices=Kind.choices)
    filename = models.CharField(_("文件名"), max_length=200)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.RUNNING, db_index=True
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("导入人"), null=True, blank=True, on_delete=models.SET_NULL
    )
    started_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    total_rows = models.PositiveIntegerField(_("总行数"), default=0)
    created = models.PositiveIntegerField(_("新增"), default=0)
    updated = models.PositiveIntegerField(_("更新"), default=0)
    unchanged = models.PositiveIntegerField(_("未变化"), default=0)
    rejected = models.PositiveIntegerField(_("错误行"), default=0)
    # [{"line": 12, "column": "身份证号", "message": "…"}, …], the first ERRORS_KEPT of them.
    errors = models.JSONField(_("错误明细"), default=list, blank=True)
    failure = models.TextField(_("失败原因"), blank=True)
    # Where the uploaded file waits for the worker (default storage); deleted once imported.
    upload_path = models.CharField(_("上传文件"), max_length=200, blank=True, editable=False)

    ERRORS_KEPT = 1000

    class Meta:
        verbose_name = _("导入批次")
        verbose_name_plural = _("导入批次")
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.filename}"


class RecordLookup(models.Model):
    """APP-5: one exact lookup of exam-centre records by a reviewer, reaching outside their region.

    Holds who, when, what kind of lookup and the value's digest and masked form, never the clear value.
    """

    class By(models.TextChoices):
        ID_NUMBER = "id_number", _("证件号码")
        CERTIFICATE_NUMBER = "certificate_number", _("资格证书编码")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("查找人"), null=True, on_delete=models.SET_NULL
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    record_kind = models.CharField(_("数据类型"), max_length=20, choices=ImportBatch.Kind.choices)
    by = models.CharField(_("查找方式"), max_length=20, choices=By.choices)
    value_digest = models.CharField(_("查找值摘要"), max_length=64)
    value_masked = models.CharField(_("查找值"), max_length=40)
    found = models.PositiveIntegerField(_("找到记录数"), default=0)
    outside_region = models.PositiveIntegerField(_("其中辖区外"), default=0)
    found_ids = models.JSONField(_("找到的记录"), default=list, blank=True)

    class Meta:
        verbose_name = _("精确查找记录")
        verbose_name_plural = _("精确查找记录")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.get_by_display()} {self.value_masked}"
