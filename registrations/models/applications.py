"""Applications (业务申请, REG-2 … REG-9): one model for every business type, its attachments and its log.

The requested change is typed columns (what each type asks for), not a blob: the rules, the lists and
the admin filter on them. ``state`` is never written except by the services in
``registrations.services.applications`` and ``approvals.services`` (REG-4); every move leaves an
``ApplicationEvent`` row in the same transaction.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from docregsys.reference.models import Category, DeregistrationReason, FilingReason, Level, PracticeScope


class Kind(models.TextChoices):
    """业务类型: seed 002 §2.4's nine, REG-9's two and the institution's own (INS-10, REG-3)."""

    REGISTER = "register", pgettext_lazy("business type", "注册")
    UPGRADE = "upgrade", _("助理医师升执业医师")
    MILITARY_IN = "military_in", _("军队变更入")
    TO_MILITARY = "to_military", _("变更到军队")
    CHANGE = "change", _("变更")
    DEREGISTER = "deregister", pgettext_lazy("business type", "注销")
    FILING = "filing", _("多执业机构备案")
    FILING_CANCEL = "filing_cancel", _("多执业机构取消备案")
    LOCATION_CANCEL = "location_cancel", _("申请取消“多地点执业”")
    REISSUE = "reissue", _("证书补办")
    E_CERTIFICATE = "e_certificate", _("申领电子证照")
    ARCHIVE = "archive", _("注册备案")
    RENAME = "rename", _("机构更名变更")


# What a doctor files (in seed 002's order) and what an institution files (INS-10).
DOCTOR_KINDS = (
    Kind.REGISTER,
    Kind.UPGRADE,
    Kind.MILITARY_IN,
    Kind.TO_MILITARY,
    Kind.CHANGE,
    Kind.DEREGISTER,
    Kind.FILING,
    Kind.FILING_CANCEL,
    Kind.LOCATION_CANCEL,
    Kind.REISSUE,
    Kind.E_CERTIFICATE,
)
INSTITUTION_KINDS = (Kind.ARCHIVE, Kind.DEREGISTER, Kind.RENAME)


class State(models.TextChoices):
    """REG-4, with the words the doctor sees (机构审核中 / 卫健委审批中 / 已办结 / 已退回)."""

    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("机构审核中")
    AGREED = "agreed", _("卫健委审批中")
    APPROVED = "approved", _("已办结")
    RETURNED = "returned", _("已退回")
    DISAGREED = "disagreed", _("机构不同意")
    WITHDRAWN = "withdrawn", _("已撤回")


OPEN_STATES = (State.DRAFT, State.SUBMITTED, State.AGREED, State.RETURNED)
CLOSED_STATES = (State.APPROVED, State.DISAGREED, State.WITHDRAWN)


class Initiator(models.TextChoices):
    DOCTOR = "doctor", _("医师本人")
    INSTITUTION = "institution", _("医疗机构")


class Application(models.Model):
    """业务申请: who, which type, what change, routed where, in which state, by when (REG-2, REG-4)."""

    kind = models.CharField(_("业务类型"), max_length=20, choices=Kind.choices, db_index=True)
    initiator = models.CharField(
        _("申请方"), max_length=12, choices=Initiator.choices, default=Initiator.DOCTOR
    )
    state = models.CharField(
        _("办理状态"),
        max_length=10,
        choices=State.choices,
        default=State.DRAFT,
        db_index=True,
        editable=False,
    )
    # The person: the account when there is one (a doctor files; INS-10 may concern a doctor without an
    # account), and always the name and the ID-number digest, so reviewers find it by POSTed ID number.
    doctor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("医师"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    real_name = models.CharField(_("姓名"), max_length=28, db_index=True)
    id_number_digest = models.CharField(_("证件号码摘要"), max_length=64, db_index=True, editable=False)
    id_number_masked = models.CharField(_("证件号码"), max_length=40, blank=True, editable=False)
    # The practice record the application acts on (upgrade, change, filing, deregistration, …); none for a
    # first registration or a 军队变更入 without a local record.
    record = models.ForeignKey(
        "registrations.PracticeRecord",
        verbose_name=_("原执业注册"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    # Routing (APP-1): the institution that confirms (for 变更 and 备案, the *target* institution) and the
    # authority that approves, from that institution's 审批机关设置 for the category.
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("确认机构"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    authority = models.ForeignKey(
        "reference.Authority",
        verbose_name=_("审批机关"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    # ---- the requested change, typed per business type (blank where a type does not use a column)
    level = models.CharField(_("医师级别"), max_length=10, choices=Level.choices, blank=True)
    category = models.CharField(_("医师类别"), max_length=20, choices=Category.choices, blank=True)
    location = models.ForeignKey(
        "reference.Region",
        verbose_name=_("执业地点"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    scopes = models.ManyToManyField(PracticeScope, verbose_name=_("执业范围"), blank=True, related_name="+")
    qualification = models.ForeignKey(
        "qualifications.QualificationCertificate",
        verbose_name=_("医师资格证书"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    exam_result = models.ForeignKey(
        "qualifications.ExamResult",
        verbose_name=_("考试合格成绩"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    filing = models.ForeignKey(
        "registrations.MultiInstitutionFiling",
        verbose_name=_("多执业机构备案"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    extra_location = models.ForeignKey(
        "registrations.ExtraLocation",
        verbose_name=_("多地点执业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    deregistration_reason = models.ForeignKey(
        DeregistrationReason,
        verbose_name=_("注销情形"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    filing_reason = models.ForeignKey(
        FilingReason,
        verbose_name=_("备案情形"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    military_unit = models.CharField(_("军队单位"), max_length=100, blank=True)
    new_institution_name = models.CharField(_("变更后机构名称"), max_length=100, blank=True)
    statement = models.CharField(_("提交本次业务的缘由"), max_length=500, blank=True)
    # ---- dates: the authority's clock starts when the institution agrees (REG-4, SPEC §12)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    submitted_at = models.DateTimeField(_("申请时间"), null=True, blank=True, editable=False, db_index=True)
    agreed_at = models.DateTimeField(_("机构同意时间"), null=True, blank=True, editable=False)
    due_date = models.DateField(_("办理时限"), null=True, blank=True, editable=False, db_index=True)
    decided_at = models.DateTimeField(_("办结时间"), null=True, blank=True, editable=False)
    # Bumped on every amendment: a printed form of an older version is no longer valid (printing).
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)
    # What approval produced: the record created or changed (shown to the doctor, linked in the admin).
    result_record = models.ForeignKey(
        "registrations.PracticeRecord",
        verbose_name=_("办结后的执业注册"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("业务申请")
        verbose_name_plural = _("业务申请")
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(fields=["authority", "state", "-submitted_at"], name="application_authority_queue"),
            models.Index(fields=["institution", "state", "-submitted_at"], name="application_institution_q"),
        ]
        constraints = [
            # REG-5: one open application per doctor and type, held by the database as well as the rules.
            models.UniqueConstraint(
                fields=["id_number_digest", "kind"],
                condition=models.Q(state__in=["draft", "submitted", "agreed", "returned"])
                & ~models.Q(id_number_digest=""),
                name="one_open_application_per_doctor_and_kind",
                violation_error_message=_("您已有一件同类业务正在办理中，不能重复申请。"),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.real_name} · {self.get_state_display()}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def is_overdue(self) -> bool:
        return (
            self.state == State.AGREED and self.due_date is not None and self.due_date < timezone.localdate()
        )


class Attachment(models.Model):
    """ID-7 附件: a checked scan (JPG/PNG/PDF) kept in private storage and served by an authorising view."""

    class Kind(models.TextChoices):
        ID_CARD = "id_card", _("身份证")
        QUALIFICATION = "qualification", _("医师资格证书")
        PRACTICE_CERTIFICATE = "practice_cert", _("医师执业证书")
        TRAINING = "training", _("医师执业培训合格证书")
        CONTRACT = "contract", _("聘用合同或劳动关系证明")
        LICENCE = "licence", _("医疗机构执业许可证")
        HEALTH = "health", _("健康体检证明")
        PHOTO = "photo", _("二寸白底免冠照片")
        FORM = "form", _("申请审核表")
        MILITARY = "military", _("军队转业或调动证明")
        AUTHORISATION = "authorisation", _("委托书")
        OTHER = "other", _("其他材料")

    application = models.ForeignKey(
        Application, verbose_name=_("业务申请"), on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField(_("材料类型"), max_length=16, choices=Kind.choices)
    stored_name = models.CharField(_("存储名"), max_length=64, editable=False)
    original_name = models.CharField(_("文件名"), max_length=100)
    content_type = models.CharField(_("文件类型"), max_length=40, editable=False)
    size = models.PositiveIntegerField(_("大小（字节）"), editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("申请附件")
        verbose_name_plural = _("申请附件")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.original_name}"


class Action(models.TextChoices):
    """What happened to an application: one per REG-4 transition."""

    CREATE = "create", _("保存草稿")
    SUBMIT = "submit", _("提交申请")
    WITHDRAW = "withdraw", _("撤回申请")
    AGREE = "agree", _("机构同意")
    DISAGREE = "disagree", _("机构不同意")
    REVOKE = "revoke", _("机构撤销同意")
    APPROVE = "approve", _("审批通过")
    RETURN = "return", _("审批退回")
    RESUBMIT = "resubmit", _("修改后重新提交")


class ApplicationEvent(models.Model):
    """The append-only transition log (REG-4): who, in which role, when, from which state to which, why."""

    class Role(models.TextChoices):
        DOCTOR = "doctor", _("医师")
        OFFICER = "officer", _("医疗机构")
        REVIEWER = "reviewer", _("卫生健康行政部门")
        SYSTEM = "system", _("系统")

    application = models.ForeignKey(
        Application, verbose_name=_("业务申请"), on_delete=models.PROTECT, related_name="events"
    )
    action = models.CharField(_("操作"), max_length=10, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    role = models.CharField(_("角色"), max_length=10, choices=Role.choices)
    from_state = models.CharField(_("原状态"), max_length=10, choices=State.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=10, choices=State.choices)
    reason = models.CharField(_("意见或原因"), max_length=500, blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        # Append-only: a log row, once written, is never rewritten.
        if self.pk is not None:
            raise ValidationError(_("办理记录不能修改。"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("办理记录不能删除。"))


class MaterialList(models.Model):
    """申请材料 per province and business type (SPEC §12); without a row, the default list applies."""

    province = models.ForeignKey(
        "reference.Region",
        verbose_name=_("省份"),
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to={"level": "province"},
    )
    kind = models.CharField(_("业务类型"), max_length=20, choices=Kind.choices)
    items = models.TextField(_("材料清单"), max_length=4000, help_text=_("每行一项。"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("申请材料清单")
        verbose_name_plural = _("申请材料清单")
        ordering = ["province", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["province", "kind"], name="one_material_list_per_province_kind")
        ]

    def __str__(self):
        return f"{self.province} {self.get_kind_display()}"

    @property
    def item_list(self) -> list[str]:
        return [line.strip() for line in self.items.splitlines() if line.strip()]


class CertificateSequence(models.Model):
    """The counter behind 执业证书编码 where the database has no sequences (SQLite); one row."""

    last = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("执业证书编码序号")
        verbose_name_plural = _("执业证书编码序号")

    def __str__(self):
        return str(self.last)
