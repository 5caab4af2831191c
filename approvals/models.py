"""Regions (GB/T 2260), approving authorities and announcements: the health commissions' side."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


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
    history = HistoricalRecords()

    class Meta:
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
    history = HistoricalRecords()

    objects = AnnouncementQuerySet.as_manager()

    class Meta:
        verbose_name = _("通告")
        verbose_name_plural = _("通告")
        ordering = ["-publish_from"]

    def __str__(self):
        return self.title
