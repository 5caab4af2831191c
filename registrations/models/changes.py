"""API-3 change feed: one append-only row per change to a practice record, its filings or its 多地点.

Rows are inserted with ``seq`` NULL; the feed's sequencer (``registrations.services.changes``) numbers the
committed ones in order, so that a reader resuming after the last ``seq`` it saw never misses a row that
committed later with a smaller id.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .applications import Application
from .records import ExtraLocation, MultiInstitutionFiling, PracticeRecord


class RecordChange(models.Model):
    """变更记录 (API-3): what happened to a practice record, for whom, and the record's public fields after it."""

    class Kind(models.TextChoices):
        CREATED = "created", _("新增执业注册")
        CHANGED = "changed", _("执业注册信息变更")
        TRANSFERRED_OUT = "transferred_out", _("变更出")
        DEREGISTERED = "deregistered", _("注销")
        LAPSED = "lapsed", _("失效")
        MILITARY = "military", _("变更到军队")
        ARCHIVED = "archived", _("注册备案")
        FILING_ADDED = "filing_added", _("多执业机构备案")
        FILING_CANCELLED = "filing_cancelled", _("多执业机构取消备案")
        FILING_MOVED = "filing_moved", _("多执业机构备案转入新执业注册")
        # 多地点 can no longer be added (REG-2): an old one enters the feed once, when it is backfilled.
        LOCATION_LISTED = "location_listed", _("多地点执业")
        LOCATION_CANCELLED = "location_cancelled", _("取消多地点执业")
        LOCATION_MOVED = "location_moved", _("多地点执业转入新执业注册")

    seq = models.BigIntegerField(_("序号"), null=True, blank=True, unique=True, editable=False)
    record = models.ForeignKey(
        PracticeRecord, verbose_name=_("执业注册"), on_delete=models.PROTECT, related_name="changes"
    )
    kind = models.CharField(_("变更类型"), max_length=20, choices=Kind.choices)
    # Who the change concerns: the record's main institution (after the change; the one it left for a
    # change in place that moved it), and the filing's or 多地点's institution, or the institution it left.
    institution = models.ForeignKey(
        "institutions.Institution", verbose_name=_("医疗机构"), on_delete=models.PROTECT, related_name="+"
    )
    other_institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("相关医疗机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The region code of the authority that holds the change ("" for a national one): reviewers' scope.
    region_code = models.CharField(_("审批机关地区代码"), max_length=12, blank=True, db_index=True)
    application = models.ForeignKey(
        Application,
        verbose_name=_("业务申请"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    filing = models.ForeignKey(
        MultiInstitutionFiling,
        verbose_name=_("多执业机构备案"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    extra_location = models.ForeignKey(
        ExtraLocation,
        verbose_name=_("多地点执业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)
    # The record's public fields after the change (never the ID number, phone or birth date).
    snapshot = models.JSONField(_("变更后信息"), default=dict)

    class Meta:
        verbose_name = _("执业注册变更记录")
        verbose_name_plural = _("执业注册变更记录")
        ordering = ["seq", "pk"]
        indexes = [
            # The sequencer looks for the rows it has not numbered yet: a small partial index.
            models.Index(
                fields=["id"], condition=models.Q(seq__isnull=True), name="recordchange_unsequenced"
            ),
            models.Index(fields=["institution", "seq"], name="recordchange_inst_seq"),
            models.Index(fields=["other_institution", "seq"], name="recordchange_other_seq"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.record_id} #{self.seq or '-'}"

    def save(self, *args, **kwargs):
        # Append-only: a change, once written, is never rewritten (the sequencer numbers rows with an UPDATE).
        if self.pk is not None:
            raise ValidationError(_("变更记录不能修改。"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("变更记录不能删除。"))
