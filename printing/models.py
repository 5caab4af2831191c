"""Printed documents (PRN-1…PRN-4): one row per rendering of a subject's data, reused until that data changes."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def new_code() -> str:
    """An unguessable, typeable code: 16 characters of Crockford base32 (80 bits), grouped 4-4-4-4 on paper."""
    alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    return "".join(secrets.choice(alphabet) for _ in range(16))


def new_file_key() -> str:
    """The stored file's name (PrivateStore: 32 hex digits), fixed when the row is made so a redelivered
    render overwrites the same file instead of storing a second one."""
    return secrets.token_hex(16)


class Document(models.Model):
    """A PDF of one subject (an application's form, a practice record's certificate, an exam result's
    score report) as its data stood when it was asked for.

    `content_hash` is the SHA-256 of everything the PDF shows; the same subject with the same hash is
    the same document (the second print costs no render). When the data changes, a new row with a new
    `code` is made and the old one is marked superseded: its code then verifies as no longer valid.
    """

    class Kind(models.TextChoices):
        FORM = "form", _("申请审核表")
        CERTIFICATE = "certificate", _("电子证照")
        SCORE_REPORT = "score_report", _("成绩单")

    class State(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RENDERING = "rendering", _("生成中")
        DONE = "done", _("已生成")
        FAILED = "failed", _("生成失败")

    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    application = models.ForeignKey(
        "registrations.Application",
        verbose_name=_("业务申请"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="documents",
    )
    record = models.ForeignKey(
        "registrations.PracticeRecord",
        verbose_name=_("执业记录"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="documents",
    )
    exam_result = models.ForeignKey(
        "qualifications.ExamResult",
        verbose_name=_("考试成绩"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="documents",
    )
    content_hash = models.CharField(_("内容摘要"), max_length=64)
    # The code printed on the document and checked on the public page (行政审批编码, 证照编号, 验证码).
    code = models.CharField(_("编码"), max_length=16, unique=True, default=new_code, editable=False)
    state = models.CharField(
        _("状态"), max_length=12, choices=State.choices, default=State.QUEUED, db_index=True
    )
    file_key = models.CharField(max_length=32, default=new_file_key, editable=False)
    size = models.PositiveIntegerField(_("大小"), default=0)
    failure = models.CharField(_("失败原因"), max_length=200, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请打印人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The institution whose console printed it (PRN-1 forms), for the public check and the audit.
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("打印机构"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    rendered_at = models.DateTimeField(_("生成时间"), null=True, blank=True)
    render_ms = models.PositiveIntegerField(_("生成耗时（毫秒）"), default=0)
    superseded_at = models.DateTimeField(_("作废时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("打印文档")
        verbose_name_plural = _("打印文档")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="document_one_subject",
                condition=(
                    models.Q(
                        kind="form", application__isnull=False, record__isnull=True, exam_result__isnull=True
                    )
                    | models.Q(
                        kind="certificate",
                        application__isnull=True,
                        record__isnull=False,
                        exam_result__isnull=True,
                    )
                    | models.Q(
                        kind="score_report",
                        application__isnull=True,
                        record__isnull=True,
                        exam_result__isnull=False,
                    )
                ),
            ),
            # One current document per subject: a reprint of unchanged data reuses it.
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(superseded_at__isnull=True, application__isnull=False),
                name="document_current_form",
            ),
            models.UniqueConstraint(
                fields=["record"],
                condition=models.Q(superseded_at__isnull=True, record__isnull=False),
                name="document_current_certificate",
            ),
            models.UniqueConstraint(
                fields=["exam_result"],
                condition=models.Q(superseded_at__isnull=True, exam_result__isnull=False),
                name="document_current_score_report",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.code_display}"

    @property
    def subject_id(self) -> int:
        return self.application_id or self.record_id or self.exam_result_id

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None

    @property
    def code_display(self) -> str:
        """The code as printed: four groups of four."""
        return "-".join(self.code[i : i + 4] for i in range(0, len(self.code), 4))
