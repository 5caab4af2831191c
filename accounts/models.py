"""The custom user: one table for doctors, institution officers and reviewers (SPEC §1)."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .idcrypto import EncryptedIdentity, mask_phone


class User(EncryptedIdentity, AbstractUser):
    """A person who logs in. Role and tenant (institution or authority) are data, not groups."""

    class Role(models.TextChoices):
        DOCTOR = "doctor", _("医师")
        OFFICER = "officer", _("医疗机构注册管理员")
        REVIEWER = "reviewer", _("审批人员")

    role = models.CharField(_("角色"), max_length=10, choices=Role.choices, default=Role.DOCTOR, db_index=True)
    real_name = models.CharField(_("姓名"), max_length=28, blank=True)
    phone = models.CharField(_("手机号码"), max_length=11, blank=True, db_index=True)
    phone_verified_at = models.DateTimeField(_("手机验证时间"), null=True, blank=True)
    email_verified_at = models.DateTimeField(_("邮箱验证时间"), null=True, blank=True)
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("所属医疗机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="officers",
    )
    authority = models.ForeignKey(
        "approvals.Authority",
        verbose_name=_("所属审批机关"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reviewers",
    )
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = UserManager()

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="officer") | models.Q(institution__isnull=False),
                name="officer_has_institution",
                violation_error_message=_("医疗机构注册管理员必须属于一个医疗机构。"),
            ),
            models.CheckConstraint(
                condition=~models.Q(role="reviewer") | models.Q(authority__isnull=False),
                name="reviewer_has_authority",
                violation_error_message=_("审批人员必须属于一个审批机关。"),
            ),
            models.UniqueConstraint(
                fields=["id_number_digest"],
                condition=models.Q(role="doctor") & ~models.Q(id_number_digest=""),
                name="one_doctor_account_per_id_number",
                violation_error_message=_("该证件号码已注册过账户。"),
            ),
        ]

    def __str__(self):
        return f"{self.real_name or self.username}"

    @property
    def is_doctor(self) -> bool:
        return self.role == self.Role.DOCTOR

    @property
    def is_officer(self) -> bool:
        return self.role == self.Role.OFFICER

    @property
    def is_reviewer(self) -> bool:
        return self.role == self.Role.REVIEWER

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    @property
    def display_name(self) -> str:
        return self.real_name or self.username
