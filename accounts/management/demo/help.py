"""Demo data: help (INS-12) — an answered and an open question of 长沙市第一医院's officer, one of a doctor."""

from django.utils import timezone

from accounts.models import Question, User
from accounts.services.help import question_region_for

# (asker username, title, description, answer or "" for an open question)
QUESTIONS = [
    (
        "csyyadmin",
        "医师注册后在“医师账户激活”中查不到",
        "本院一名医师说已在个人端注册成功，但我们在“医师账户激活”中查询不到他的信息，该怎么办？",
        "请到“医师验证”中验证该医师注册信息的执业地点是否与本机构的标准名称一致；若不一致，请联系卫生健康行政部门处理。",
    ),
    ("csyyadmin", "科室信息如何设置", "本院新增了两个科室，想知道在哪里设置科室并把医师分到科室。", ""),
    ("liujianguo", "激活码多久有效", "医院给我发了激活码，过几天再输入还有效吗？", ""),
]


def load(command) -> None:
    """Idempotent: a question is found by asker and title."""
    users = {u.username: u for u in User.objects.filter(username__in={q[0] for q in QUESTIONS})}
    reviewer = User.objects.filter(username="frreviewer").first()
    for username, title, description, answer in QUESTIONS:
        asker = users.get(username)
        if asker is None or Question.objects.filter(asker=asker, title=title).exists():
            continue
        region_id = question_region_for(asker)
        question = Question(asker=asker, title=title, description=description, region_id=region_id)
        if answer:
            # Demo rows, written directly: the service would also send an SMS to the demo phone.
            question.answer, question.answered_by, question.answered_at = answer, reviewer, timezone.now()
        question.save()
        command.created += 1
