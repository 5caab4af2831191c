"""Reference data every area reads (SPEC §2): regions, approving authorities, announcements, code lists.

The lowest domain layer above the kernel. The tables keep the names of the apps that first held them
(`approvals_region`, `registrations_practicescope` …): moving the models here changed no table.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Level(models.TextChoices):
    """医师级别."""

    PHYSICIAN = "physician", _("执业医师")
    ASSISTANT = "assistant", _("执业助理医师")


class Category(models.TextChoices):
    """医师类别 (中医 covers 中医, 民族医 and 中西医结合)."""

    CLINICAL = "clinical", _("临床")
    DENTAL = "dental", _("口腔")
    PUBLIC_HEALTH = "public_health", _("公共卫生")
    TCM = "tcm", _("中医")


class ExamCategory(models.Model):
    """报考类别 with the exam centre's code (110 临床执业医师 … 250)."""

    code = models.CharField(_("类别代码"), max_length=3, primary_key=True)
    name = models.CharField(_("名称"), max_length=30)
    level = models.CharField(_("医师级别"), max_length=10, choices=Level.choices)
    category = models.CharField(_("医师类别"), max_length=20, choices=Category.choices)

    class Meta:
        verbose_name = _("报考类别")
        verbose_name_plural = _("报考类别")
        db_table = "qualifications_examcategory"
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"


class Region(models.Model):
    """One GB/T 2260 administrative division: province, prefecture (city) or county level."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("省级")
        CITY = "city", _("地市级")
        COUNTY = "county", _("县级")

    code = models.CharField(_("区划代码"), max_length=6, primary_key=True)
    name = models.CharField(_("名称"), max_length=50)
    full_name = models.CharField(_("全称"), max_length=120)
    level = models.CharField(_("级别"), max_length=10, choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级区划"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # 市辖区 / 县 / 省直辖县级行政区划: rows of the code table that group counties, not real cities.
    is_grouping = models.BooleanField(_("仅为分组"), default=False)

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]
        db_table = "approvals_region"

    def __str__(self):
        return self.full_name

    @property
    def prefix(self) -> str:
        """The leading digits every region under this one shares (43, 4301, 430102)."""
        return {"province": self.code[:2], "city": self.code[:4]}.get(self.level, self.code)

    @property
    def province_code(self) -> str:
        return self.code[:2] + "0000"


class Authority(models.Model):
    """An approving authority (审批机关): a health commission or TCM administration tied to a region."""

    class Kind(models.TextChoices):
        HEALTH = "health", _("卫生健康委")
        TCM = "tcm", _("中医药管理局")

    class Level(models.TextChoices):
        NATIONAL = "national", _("国家级")
        PROVINCE = "province", _("省级")
        CITY = "city", _("地市级")
        COUNTY = "county", _("县级")

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.HEALTH)
    level = models.CharField(_("级别"), max_length=10, choices=Level.choices, db_index=True)
    region = models.ForeignKey(
        Region, verbose_name=_("所辖区划"), null=True, blank=True, on_delete=models.PROTECT, related_name="authorities"
    )
    statutory_days = models.PositiveSmallIntegerField(
        _("法定办理时限（工作日）"), default=20, help_text=_("承诺时限可短于法定的20个工作日。")
    )
    is_active = models.BooleanField(_("启用"), default=True)
    history = HistoricalRecords(table_name="approvals_historicalauthority")

    class Meta:
        db_table = "approvals_authority"
        verbose_name = _("审批机关")
        verbose_name_plural = _("审批机关")
        ordering = ["region_id", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "region"], name="authority_one_per_kind_and_region"),
            models.CheckConstraint(
                condition=models.Q(level="national") | models.Q(region__isnull=False),
                name="authority_region_unless_national",
                violation_error_message=_("除国家级外，审批机关必须对应一个行政区划。"),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def region_prefix(self) -> str:
        """'' for the national level: every region code starts with it."""
        return self.region.prefix if self.region_id else ""


class AnnouncementQuerySet(models.QuerySet):
    def current(self, *, now=None):
        now = now or timezone.now()
        return self.filter(is_active=True, publish_from__lte=now).filter(
            models.Q(publish_until__isnull=True) | models.Q(publish_until__gt=now)
        )


class Announcement(models.Model):
    """A notice (通告) by province or nationwide, shown on the doctors' sign-up and login pages."""

    region = models.ForeignKey(
        Region,
        verbose_name=_("省份"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        limit_choices_to={"level": "province"},
        help_text=_("留空表示全国。"),
    )
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("内容"), blank=True)
    is_active = models.BooleanField(_("发布"), default=True)
    publish_from = models.DateTimeField(_("发布时间"), default=timezone.now)
    publish_until = models.DateTimeField(_("截止时间"), null=True, blank=True)
    authority = models.ForeignKey(
        Authority, verbose_name=_("发布机关"), null=True, blank=True, on_delete=models.PROTECT
    )
    history = HistoricalRecords(table_name="approvals_historicalannouncement")

    objects = AnnouncementQuerySet.as_manager()

    class Meta:
        db_table = "approvals_announcement"
        verbose_name = _("通告")
        verbose_name_plural = _("通告")
        ordering = ["-publish_from"]

    def __str__(self):
        return self.title


class TreatmentSubject(models.Model):
    """A treatment subject (诊疗科目) of the 医疗机构诊疗科目名录, with its hierarchical code."""

    code = models.CharField(_("代码"), max_length=10, primary_key=True)
    name = models.CharField(_("名称"), max_length=60)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级科目"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        verbose_name = _("诊疗科目")
        verbose_name_plural = _("诊疗科目")
        db_table = "institutions_treatmentsubject"
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"


class ReferenceItem(models.Model):
    """A coded entry of a fixed list, shown in list order."""

    code = models.CharField(_("代码"), max_length=10, primary_key=True)
    name = models.CharField(_("名称"), max_length=100)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        abstract = True
        ordering = ["order", "code"]

    def __str__(self):
        return self.name


class PracticeScope(ReferenceItem):
    """执业范围, per doctor category."""

    category = models.CharField(_("医师类别"), max_length=20, choices=Category.choices, db_index=True)

    class Meta(ReferenceItem.Meta):
        db_table = "registrations_practicescope"
        verbose_name = _("执业范围")
        verbose_name_plural = _("执业范围")


class Title(ReferenceItem):
    """任职资格 (医士 … 主任医师)."""

    class Meta(ReferenceItem.Meta):
        db_table = "registrations_title"
        verbose_name = _("任职资格")
        verbose_name_plural = _("任职资格")


class DeregistrationReason(ReferenceItem):
    """注销情形: the ten of seed 002 §6."""

    class Meta(ReferenceItem.Meta):
        db_table = "registrations_deregistrationreason"
        verbose_name = _("注销情形")
        verbose_name_plural = _("注销情形")


class FilingReason(ReferenceItem):
    """注册备案情形 (调出, 退休, 辞职, 辞退, 开除)."""

    class Meta(ReferenceItem.Meta):
        db_table = "registrations_filingreason"
        verbose_name = _("注册备案情形")
        verbose_name_plural = _("注册备案情形")
