"""Medical institutions (医疗机构), their treatment subjects, departments (INS-3) and approving authorities (INS-2)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from docregsys.reference.models import Category, TreatmentSubject

from .pinyin import pinyin_initials


class Institution(models.Model):
    """A licensed medical institution; its officers and doctors see only its own data."""

    name = models.CharField(_("机构标准名称"), max_length=100, db_index=True)
    # The name's pinyin initials (芙蓉医院 → "fryy"), kept by save(): the institution picker matches typed
    # initials with an indexed prefix search instead of computing pinyin over every row.
    name_initials = models.CharField(
        _("名称拼音首字母"), max_length=100, blank=True, db_index=True, editable=False
    )
    registration_number = models.CharField(_("登记号"), max_length=40, unique=True)
    licence_number = models.CharField(_("执业许可证号"), max_length=40, blank=True)
    licence_valid_until = models.DateField(_("许可证有效期至"), null=True, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    postcode = models.CharField(_("邮政编码"), max_length=6, blank=True)
    region = models.ForeignKey(
        "reference.Region", verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="institutions"
    )
    subjects = models.ManyToManyField(TreatmentSubject, verbose_name=_("诊疗科目"), blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[subjects])

    class Meta:
        verbose_name = _("医疗机构")
        verbose_name_plural = _("医疗机构")
        ordering = ["region_id", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(postcode="") | models.Q(postcode__regex=r"^\d{6}$"),
                name="institution_postcode_six_digits",
                violation_error_message=_("邮政编码应为6位数字。"),
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_initials = pinyin_initials(self.name)[:100]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_initials"}
        super().save(*args, **kwargs)


class InstitutionAuthority(models.Model):
    """INS-2: which authority approves this institution's doctors of one category."""

    institution = models.ForeignKey(
        Institution, verbose_name=_("医疗机构"), on_delete=models.CASCADE, related_name="authority_settings"
    )
    category = models.CharField(_("医师类别"), max_length=20, choices=Category.choices)
    authority = models.ForeignKey("reference.Authority", verbose_name=_("审批机关"), on_delete=models.PROTECT)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("审批机关设置")
        verbose_name_plural = _("审批机关设置")
        constraints = [
            models.UniqueConstraint(fields=["institution", "category"], name="one_authority_per_category")
        ]

    def __str__(self):
        return f"{self.institution} · {self.get_category_display()} → {self.authority}"


class Department(models.Model):
    """INS-3 科室: a department of one institution, mapped to one or more treatment subjects."""

    institution = models.ForeignKey(
        Institution, verbose_name=_("医疗机构"), on_delete=models.CASCADE, related_name="departments"
    )
    name = models.CharField(_("科室名称"), max_length=50)
    subjects = models.ManyToManyField(TreatmentSubject, verbose_name=_("诊疗科目"), related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[subjects])

    class Meta:
        verbose_name = _("科室")
        verbose_name_plural = _("科室")
        ordering = ["institution_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "name"], name="one_department_name_per_institution"
            )
        ]

    def __str__(self):
        return self.name
