"""Practice records (SPEC §6), multi-institution filings and old 多地点 records, the doctor's information
changes under the institution's review (REG-8, INS-7) and the console's doctor lookups (INS-8)."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from docregsys.identity.crypto import EncryptedIdentity, IdType, decrypt_id_number
from docregsys.identity.normalize import normalize_id_number
from docregsys.reference.models import Category, Level, PracticeScope


def resident_sex_birth(id_type: str, number: str) -> tuple[str, dt.date | None]:
    """("M"/"F", birth date) read off an 18-character resident ID number; ("", None) for anything else.

    Lenient on purpose: a record is what the registration system holds, not input to validate again.
    """
    number = normalize_id_number(number or "")
    if id_type != IdType.RESIDENT or len(number) != 18 or not number[:17].isdigit():
        return "", None
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return "", None
    return ("M" if int(number[16]) % 2 else "F"), birth


class PracticeRecord(EncryptedIdentity):
    """执业注册: one practice location of a doctor, as the registration system holds it (SPEC §6).

    Keyed, like the exam centre's records, by the person's name and ID number (digest), not by an
    account: records exist before their doctor signs up (ACC-3 matches them), and an account that
    an institution revokes (INS-9) leaves them in place.
    """

    class Sex(models.TextChoices):
        MALE = "M", _("男")
        FEMALE = "F", _("女")

    class State(models.TextChoices):
        VALID = "valid", _("有效")
        FILED = "filed", _("备案")
        DEREGISTERED = "deregistered", _("注销")
        TRANSFERRED_OUT = "transferred_out", _("变更出")
        MILITARY = "military", _("军队")
        # 助师升医师: "助理医师注册信息自动失效" (seed 002 §2.4) — neither a 注销 nor a 变更出.
        LAPSED = "lapsed", _("失效")

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
    # The person's details as the registration holds them (seed 002 §2.1): first from the qualification,
    # then from 信息维护 once the institution approves (REG-8); the exam centre's record never changes.
    ethnicity = models.CharField(_("民族"), max_length=20, blank=True)
    education = models.CharField(_("学历"), max_length=20, blank=True)
    school = models.CharField(_("毕业学校"), max_length=100, blank=True)
    major = models.CharField(_("所学专业"), max_length=60, blank=True)
    title = models.CharField(_("任职资格"), max_length=20, blank=True)
    photo = models.CharField(_("相片"), max_length=64, blank=True, editable=False)  # private storage name
    department = models.ForeignKey(
        "institutions.Department",
        verbose_name=_("所在科室"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="practice_records",
    )
    info_reviewed_at = models.DateTimeField(_("审核日期"), null=True, blank=True)  # last approved change
    # Read off the ID number when it is set, so that lists of thousands of doctors show 性别 and 年龄
    # without decrypting a number per row (INS-5, INS-11).
    sex = models.CharField(_("性别"), max_length=1, choices=Sex.choices, blank=True, editable=False)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("执业注册")
        verbose_name_plural = _("执业注册")
        ordering = ["-approval_date", "pk"]

    def __str__(self):
        return f"{self.real_name} {self.location} {self.get_state_display()}"

    def set_id_number(self, value: str) -> None:
        super().set_id_number(value)
        self.sex, self.birth_date = resident_sex_birth(self.id_type, value)

    def save(self, *args, **kwargs):
        # Bulk paths (the factories, imports) write the identity columns directly: fill in once here.
        if self.id_number_cipher and not self.sex and self.birth_date is None:
            self.sex, self.birth_date = resident_sex_birth(
                self.id_type, decrypt_id_number(self.id_number_cipher)
            )
        super().save(*args, **kwargs)

    @property
    def age(self) -> int | None:
        """Whole years today, from the birth date in the ID number."""
        if self.birth_date is None:
            return None
        today = dt.date.today()
        born = self.birth_date
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


class MultiInstitutionFiling(models.Model):
    """多执业机构备案: a doctor's practice record also filed at another institution, with its scopes."""

    class State(models.TextChoices):
        VALID = "valid", _("有效")
        CANCELLED = "cancelled", _("已取消")

    record = models.ForeignKey(
        PracticeRecord, verbose_name=_("执业注册"), on_delete=models.CASCADE, related_name="filings"
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("备案执业机构"),
        on_delete=models.PROTECT,
        related_name="filings",
    )
    scopes = models.ManyToManyField(PracticeScope, verbose_name=_("执业范围"), blank=True, related_name="+")
    authority = models.ForeignKey(
        "reference.Authority",
        verbose_name=_("审批机关"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    state = models.CharField(
        _("备案状态"), max_length=10, choices=State.choices, default=State.VALID, db_index=True
    )
    filed_on = models.DateField(_("备案日期"))
    cancelled_on = models.DateField(_("取消备案日期"), null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[scopes])

    class Meta:
        verbose_name = _("多执业机构备案")
        verbose_name_plural = _("多执业机构备案")
        ordering = ["-filed_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["record", "institution"],
                condition=models.Q(state="valid"),
                name="one_valid_filing_per_record_and_institution",
            )
        ]

    def __str__(self):
        return f"{self.record.real_name} → {self.institution}"


class ExtraLocation(models.Model):
    """多地点: an extra practice location under the old policy; it can be cancelled, never added (REG-2)."""

    class State(models.TextChoices):
        VALID = "valid", _("有效")
        CANCELLED = "cancelled", _("已取消")

    record = models.ForeignKey(
        PracticeRecord, verbose_name=_("执业注册"), on_delete=models.CASCADE, related_name="extra_locations"
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("执业机构"),
        on_delete=models.PROTECT,
        related_name="extra_locations",
    )
    location = models.ForeignKey(
        "reference.Region", verbose_name=_("执业地点"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        _("状态"), max_length=10, choices=State.choices, default=State.VALID, db_index=True
    )
    approved_on = models.DateField(_("批准日期"), null=True, blank=True)
    cancelled_on = models.DateField(_("取消日期"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("多地点执业")
        verbose_name_plural = _("多地点执业")
        ordering = ["-approved_on", "pk"]

    def __str__(self):
        return f"{self.record.real_name} → {self.institution}"


class ProfileChange(models.Model):
    """REG-8 信息维护: what a doctor asks to change (info and/or photo), pending the institution's review (INS-7).

    One pending request per doctor: a new edit or upload replaces the pending values ("重复上传将覆盖").
    Approval copies the values onto the doctor's practice records; the qualification record never changes.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("审核通过")
        REJECTED = "rejected", _("审核不通过")

    doctor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("医师"),
        on_delete=models.CASCADE,
        related_name="profile_changes",
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("审核机构"),
        on_delete=models.CASCADE,
        related_name="profile_changes",
    )
    info_changed = models.BooleanField(_("信息有更新"), default=False)
    education = models.CharField(_("学历"), max_length=20, blank=True)
    school = models.CharField(_("毕业学校"), max_length=100, blank=True)
    major = models.CharField(_("所学专业"), max_length=60, blank=True)
    title = models.CharField(_("任职资格"), max_length=20, blank=True)
    photo = models.CharField(_("相片"), max_length=64, blank=True, editable=False)  # private storage name
    state = models.CharField(
        _("审核状态"), max_length=10, choices=State.choices, default=State.PENDING, db_index=True
    )
    reason = models.CharField(_("不通过原因"), max_length=200, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("医师信息修改")
        verbose_name_plural = _("医师信息修改")
        ordering = ["-updated_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["doctor"], condition=models.Q(state="pending"), name="one_pending_profile_change"
            )
        ]

    def __str__(self):
        return f"{self.doctor} {self.get_state_display()}"

    @property
    def photo_changed(self) -> bool:
        return bool(self.photo)


class DoctorLookup(models.Model):
    """INS-8: every 医师验证 lookup by ID number: who asked, for which institution, what, when (digest only)."""

    class Kind(models.TextChoices):
        QUALIFICATION = "qualification", _("医师资格信息验证")
        REGISTRATION = "registration", _("医师注册信息验证")
        CREDIT = "credit", _("医师信用验证")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("查询人"), on_delete=models.PROTECT, related_name="+"
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("医疗机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("验证类型"), max_length=16, choices=Kind.choices)
    value_digest = models.CharField(_("证件号码摘要"), max_length=64, db_index=True)
    value_masked = models.CharField(_("证件号码"), max_length=40)
    found = models.PositiveSmallIntegerField(_("查到条数"), default=0)
    at = models.DateTimeField(_("查询时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("医师验证记录")
        verbose_name_plural = _("医师验证记录")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.value_masked}"
