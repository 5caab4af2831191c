"""The outbox: messages written with the action that needs them, sent by a worker exactly once."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """How a message reaches a person."""

    SMS = "sms", _("短信")
    EMAIL = "email", _("电子邮件")


class OutboundMessage(models.Model):
    """The outbox: an SMS or e-mail written in the same transaction as the action that needs it.

    A task drains it (and a periodic retry does, when the broker was down at commit time); the body
    is blanked once sent, so codes do not linger in the database.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")

    channel = models.CharField(_("渠道"), max_length=5, choices=Channel.choices)
    destination = models.CharField(_("接收方"), max_length=254)
    subject = models.CharField(_("主题"), max_length=100, blank=True)
    body = models.TextField(_("内容"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("发送次数"), default=0)
    last_error = models.CharField(_("最近错误"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("下次发送时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        db_table = "accounts_outboundmessage"
        verbose_name = _("待发消息")
        verbose_name_plural = _("待发消息")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]

    def __str__(self):
        return f"{self.get_channel_display()} #{self.pk} {self.get_status_display()}"
