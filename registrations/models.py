"""Practice records (SPEC §6); the applications that change them come next."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from docregsys.identity.crypto import EncryptedIdentity
from docregsys.reference.models import Category, Level, PracticeScope


class PracticeRecord(EncryptedIdentity):
    """执业注册: one practice location of a doctor, as the registration system holds it (SPEC §6).

    Keyed, like the exam centre's records, by the person's name and ID number (digest), not by an
    account: records exist before their doctor signs up (ACC-3 matches them), and an account that
    an institution revokes (INS-9) leaves them in place.
    """

    class State(models.TextChoices):
        VALID = "valid", _("有效")
        FILED = "filed", _("备案")
        DEREGISTERED = "deregistered", _("注销")
        TRANSFERRED_OUT = "transferred_out", _("变更出")

    real_name = models.CharField(_("姓名"), max_length=28)
    certificate_number = models.CharField(_("执业证书编码"), max_length=32, blank=True, db_index=True)
    qualification_number = models.CharField(_("资格证书编码"), max_length=32, blank=True)
    level = models.CharField(_("医师级别"), max_length=10, choices=Level.choices)
    category = models.CharField(_("医师类别"), max_length=20, choices=Category.choices)
    scopes = models.ManyToManyField(PracticeScope, verbose_name=_("执业范围"), blank=True)
    location = models.ForeignKey(
        "reference.Region", verbose_name=_("执业地点"), on_delete=models.PROTECT, related_name="+"
    )
    main_institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("主要执业机构"),
        on_delete=models.PROTECT,
        related_name="practice_records",
    )
    authority = models.ForeignKey(
        "reference.Authority", verbose_name=_("审批机关"), on_delete=models.PROTECT, related_name="+"
    )
    approval_date = models.DateField(_("审批日期"), null=True, blank=True)
    state = models.CharField(
        _("注册状态"), max_length=16, choices=State.choices, default=State.VALID, db_index=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("执业注册")
        verbose_name_plural = _("执业注册")
        ordering = ["-approval_date", "pk"]

    def __str__(self):
        return f"{self.real_name} {self.location} {self.get_state_display()}"
