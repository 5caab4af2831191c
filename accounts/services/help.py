"""INS-12 向客服提问 / 我要提问: doctors and officers ask, the reviewers of the asker's region answer."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from docregsys.exceptions import TransitionRefused
from docregsys.identity.normalize import has_invisible, nfkc
from docregsys.messaging.models import Channel
from docregsys.messaging.services import message_enqueue
from registrations.models import PracticeRecord

from ..models import Question, User
from ..selectors import question_list_for
from .codes import quota_take

TITLE_MAX = 50
DESCRIPTION_MAX = 1000
ANSWER_MAX = 2000
DAILY_QUESTIONS = 10
QUESTION_LIMIT = _("今日提问次数已达上限（每天%(limit)d个问题），请明天再提问。")
NOT_ASKER = _("只有医师和医疗机构注册管理员可以向客服提问。")
NOT_IN_SCOPE = _("该问题不存在或不在您的管辖范围内。")


def question_text_clean(value: str | None, *, label, max_length: int, required: bool = True) -> str:
    """Typed text: NFKC, trimmed, line breaks unified; refused when empty, too long after normalising or
    holding invisible/bidi characters (X-4)."""
    text = nfkc(value).replace("\r\n", "\n").replace("\r", "\n").strip()
    if has_invisible(text):
        raise TransitionRefused(
            _("%(label)s含有看不见的特殊字符（如零宽字符或方向控制符），请删除后重新输入。")
            % {"label": label},
            code="invisible_characters",
        )
    if required and not text:
        raise TransitionRefused(_("请输入%(label)s。") % {"label": label}, code="required")
    if len(text) > max_length:
        raise TransitionRefused(
            _("%(label)s不能超过%(max)d个字。") % {"label": label, "max": max_length}, code="too_long"
        )
    return text


def question_region_for(asker: User) -> str | None:
    """The code of the region the question belongs to: the officer's institution's, or the doctor's valid main
    institution's (the first valid record); None when there is none (then only the national level answers)."""
    if asker.is_officer:
        return asker.institution.region_id if asker.institution_id else None
    if asker.is_doctor and asker.id_number_digest:
        return (
            PracticeRecord.objects.filter(
                id_number_digest=asker.id_number_digest,
                real_name=asker.real_name,
                state=PracticeRecord.State.VALID,
            )
            .order_by("-approval_date", "pk")
            .values_list("main_institution__region_id", flat=True)
            .first()
        )
    return None


def question_ask(*, asker: User, title: str, description: str) -> Question:
    """A doctor or officer asks; at most DAILY_QUESTIONS a day each (counted even when refused later)."""
    if asker.is_superuser or not (asker.is_doctor or asker.is_officer):
        raise TransitionRefused(NOT_ASKER, code="not_asker")
    title = question_text_clean(title, label=_("问题标题"), max_length=TITLE_MAX)
    description = question_text_clean(description, label=_("问题详细描述"), max_length=DESCRIPTION_MAX)
    try:
        # Commits on its own (accounts.services.codes): two tabs at once cannot both pass the limit.
        quota_take(f"question:{asker.pk}", interval_seconds=0, daily_limit=DAILY_QUESTIONS)
    except TransitionRefused:
        raise TransitionRefused(QUESTION_LIMIT % {"limit": DAILY_QUESTIONS}, code="daily_limit") from None
    return Question.objects.create(
        asker=asker, title=title, description=description, region_id=question_region_for(asker)
    )


@transaction.atomic
def question_answer(*, reviewer: User, question: Question, answer: str) -> Question:
    """A reviewer whose region holds the question's (a superuser: any) answers; the first answer sets
    answered_at and tells the asker by SMS when their phone is verified. Later edits keep answered_at."""
    answer = question_text_clean(answer, label=_("回复"), max_length=ANSWER_MAX)
    # Lock the row: two reviewers answering at once give one first answer and one notification.
    locked = question_list_for(user=reviewer).select_for_update(of=("self",)).filter(pk=question.pk).first()
    if locked is None or not (reviewer.is_superuser or reviewer.is_reviewer):
        raise TransitionRefused(NOT_IN_SCOPE, code="not_found")
    first = locked.answered_at is None
    locked.answer = answer
    locked.answered_by = reviewer
    if first:
        locked.answered_at = timezone.now()
    locked.save(update_fields=["answer", "answered_by", "answered_at"])
    asker = locked.asker
    if first and asker.phone_verified:
        message_enqueue(
            channel=Channel.SMS,
            destination=asker.phone,
            body=str(_("【医师电子化注册】您提出的问题已有回复，请登录系统在“帮助中心/客服中心”查看。")),
        )
    for name in ("answer", "answered_by", "answered_at"):
        setattr(question, name, getattr(locked, name))
    return locked
