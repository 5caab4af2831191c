"""Registration reference data: practice scopes, titles, deregistration and filing reasons (SPEC §2)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from qualifications.models import Category


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
        verbose_name = _("执业范围")
        verbose_name_plural = _("执业范围")


class Title(ReferenceItem):
    """任职资格 (医士 … 主任医师)."""

    class Meta(ReferenceItem.Meta):
        verbose_name = _("任职资格")
        verbose_name_plural = _("任职资格")


class DeregistrationReason(ReferenceItem):
    """注销情形: the ten of seed 002 §6."""

    class Meta(ReferenceItem.Meta):
        verbose_name = _("注销情形")
        verbose_name_plural = _("注销情形")


class FilingReason(ReferenceItem):
    """注册备案情形 (调出, 退休, 辞职, 辞退, 开除)."""

    class Meta(ReferenceItem.Meta):
        verbose_name = _("注册备案情形")
        verbose_name_plural = _("注册备案情形")
