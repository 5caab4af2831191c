"""The custom user: one table for doctors, institution officers and reviewers (SPEC §1)."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from docregsys.identity.crypto import EncryptedIdentity, mask_email, mask_phone
from docregsys.messaging.models import Channel


class ActivationPath(models.TextChoices):
    """ACC-5: the four ways a doctor's account becomes active."""

    INSTITUTION_CODE = "code", _("医疗机构激活码")
    CERTIFICATE = "certificate", _("资格证书编码")
    ADMISSION_TICKET = "ticket", _("准考证号")
    APPROVAL = "approval", _("注册或变更业务审批通过")


class User(EncryptedIdentity, AbstractUser):
    """A person who logs in. Role and tenant (institution or authority) are data, not groups."""

    class Role(models.TextChoices):
        DOCTOR = "doctor", _("医师")
        OFFICER = "officer", _("医疗机构注册管理员")
        REVIEWER = "reviewer", _("审批人员")

    role = models.CharField(
        _("角色"), max_length=10, choices=Role.choices, default=Role.DOCTOR, db_index=True
    )
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
        "reference.Authority",
        verbose_name=_("所属审批机关"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reviewers",
    )
    # ACC-3 / ACC-5: when the doctor passed the qualification check, and when and how they activated.
    checked_at = models.DateTimeField(_("通过医师信息校验时间"), null=True, blank=True)
    activated_at = models.DateTimeField(_("激活时间"), null=True, blank=True)
    activation_path = models.CharField(
        _("激活方式"), max_length=16, choices=ActivationPath.choices, blank=True
    )
    # INS-1: an officer's initial password is sent by SMS and must be replaced at the first login.
    must_change_password = models.BooleanField(_("首次登录须修改密码"), default=False)
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
            # ACC-2/ACC-6: a verified phone or e-mail logs in and recovers exactly one account.
            models.UniqueConstraint(
                fields=["phone"],
                condition=models.Q(phone_verified_at__isnull=False) & ~models.Q(phone=""),
                name="one_account_per_verified_phone",
                violation_error_message=_("该手机号码已被其他账户验证使用，请更换手机号码。"),
            ),
            models.UniqueConstraint(
                Lower("email"),
                condition=models.Q(email_verified_at__isnull=False) & ~models.Q(email=""),
                name="one_account_per_verified_email",
                violation_error_message=_("该邮箱已被其他账户验证使用，请更换邮箱。"),
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
    def is_activated(self) -> bool:
        return self.activated_at is not None

    @property
    def phone_verified(self) -> bool:
        return bool(self.phone) and self.phone_verified_at is not None

    @property
    def email_verified(self) -> bool:
        return bool(self.email) and self.email_verified_at is not None

    @property
    def email_masked(self) -> str:
        return mask_email(self.email)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    @property
    def display_name(self) -> str:
        return self.real_name or self.username


class VerificationCode(models.Model):
    """ACC-4/ACC-6: a 6-digit code sent to a phone or mailbox, stored only as a keyed hash.

    Expires after CODE_TTL, single use (used_at), at most CODE_MAX_ATTEMPTS guesses counted by a
    conditional UPDATE (accounts.codes).
    """

    class Purpose(models.TextChoices):
        VERIFY = "verify", _("验证手机或邮箱")
        CHANGE = "change", _("更换手机或邮箱")
        RECOVER = "recover", _("找回账户")
        LOGIN = "login", _("登录验证")  # INS-1: an officer's first login, or a login from an unknown browser

    purpose = models.CharField(_("用途"), max_length=10, choices=Purpose.choices)
    channel = models.CharField(_("渠道"), max_length=5, choices=Channel.choices)
    # Keyed digest of the phone/e-mail the code went to: lookups without keeping a second clear copy.
    destination_digest = models.CharField(_("接收方摘要"), max_length=64)
    user = models.ForeignKey(
        User, verbose_name=_("用户"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    code_hash = models.CharField(_("验证码摘要"), max_length=64)
    created_at = models.DateTimeField(_("发送时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("失效时间"))
    attempts = models.PositiveSmallIntegerField(_("已尝试次数"), default=0)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("验证码")
        verbose_name_plural = _("验证码")
        indexes = [models.Index(fields=["destination_digest", "purpose", "-created_at"], name="code_lookup")]

    def __str__(self):
        return f"{self.get_purpose_display()} #{self.pk}"


class SendQuota(models.Model):
    """ACC-4: per phone/e-mail and per client, one code a minute and CODE_DAILY_LIMIT a day.

    One row per key (a keyed digest, never the clear phone or IP), taken with one conditional
    UPDATE so two simultaneous requests cannot both pass.
    """

    key = models.CharField(_("键"), max_length=80, primary_key=True)
    day = models.DateField(_("日期"))
    day_count = models.PositiveSmallIntegerField(_("当日次数"), default=0)
    last_sent_at = models.DateTimeField(_("最近发送时间"))

    class Meta:
        verbose_name = _("发送配额")
        verbose_name_plural = _("发送配额")

    def __str__(self):
        return f"{self.day} {self.day_count}"


class ActivationCode(models.Model):
    """ACC-5a / INS-4: a code an institution issues to one of its doctors; single use, expires."""

    doctor = models.ForeignKey(
        User, verbose_name=_("医师"), on_delete=models.CASCADE, related_name="activation_codes"
    )
    institution = models.ForeignKey(
        "institutions.Institution", verbose_name=_("医疗机构"), on_delete=models.CASCADE, related_name="+"
    )
    # Shown to the officer in the console (INS-4) and sent to the doctor; useless to anyone else.
    code = models.CharField(_("激活码"), max_length=12, unique=True)
    issued_by = models.ForeignKey(
        User, verbose_name=_("生成人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("失效时间"))
    used_at = models.DateTimeField(_("激活时间"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("账户激活码")
        verbose_name_plural = _("账户激活码")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.institution} → {self.doctor}"


class KnownDevice(models.Model):
    """INS-1: a browser an officer has confirmed with an SMS code; a login from any other one needs a code.

    The browser holds a random token in a signed cookie; only its keyed digest is stored here.
    """

    user = models.ForeignKey(User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="devices")
    token_digest = models.CharField(_("设备标识摘要"), max_length=64, unique=True)
    label = models.CharField(_("设备"), max_length=120, blank=True)  # the browser, as its User-Agent names it
    created_at = models.DateTimeField(_("首次确认时间"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("最近登录时间"), auto_now=True)

    class Meta:
        verbose_name = _("已确认设备")
        verbose_name_plural = _("已确认设备")
        ordering = ["-last_seen_at"]

    def __str__(self):
        return f"{self.user} {self.label}"


class AccountRevocation(models.Model):
    """INS-9 撤销医师账户: the audit of an institution revoking a wrongly registered doctor account.

    The account itself is deleted so the doctor can sign up again; this row keeps who, whom (masked name
    and ID, digest), why and when.
    """

    institution = models.ForeignKey(
        "institutions.Institution", verbose_name=_("医疗机构"), on_delete=models.PROTECT, related_name="+"
    )
    officer = models.ForeignKey(
        User, verbose_name=_("操作人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    username = models.CharField(_("被撤销的用户名"), max_length=150)
    real_name = models.CharField(_("姓名"), max_length=28)
    id_number_digest = models.CharField(_("证件号码摘要"), max_length=64, db_index=True)
    id_number_masked = models.CharField(_("证件号码"), max_length=40)
    reason = models.CharField(_("撤销原因"), max_length=200)
    at = models.DateTimeField(_("撤销时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("撤销医师账户记录")
        verbose_name_plural = _("撤销医师账户记录")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.real_name} {self.at:%Y-%m-%d}"


class Question(models.Model):
    """INS-12 向客服提问 / 我要提问: a question of a doctor or an officer, answered by a reviewer of its region."""

    asker = models.ForeignKey(
        User, verbose_name=_("提问人"), on_delete=models.CASCADE, related_name="questions"
    )
    region = models.ForeignKey(
        "reference.Region",
        verbose_name=_("所属地区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("问题标题"), max_length=50)
    description = models.TextField(_("问题详细描述"), max_length=1000)
    created_at = models.DateTimeField(_("提问时间"), auto_now_add=True, db_index=True)
    answer = models.TextField(_("回复"), max_length=2000, blank=True)
    answered_by = models.ForeignKey(
        User, verbose_name=_("回复人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(_("回复时间"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("客服提问")
        verbose_name_plural = _("客服提问")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    @property
    def answered(self) -> bool:
        return self.answered_at is not None
