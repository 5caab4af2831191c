"""ACC-5 activation: the institution's code (a), the certificate number (b), the admission ticket (c),
and the approval of a 注册/变更 application (d); INS-4 issuing the institution's codes.

Every attempt of a, b and c is counted (`quota_take`, outside the atomic block so a refusal keeps the
count): codes and numbers cannot be guessed by brute force. Activation itself is one conditional
UPDATE (``activated_at IS NULL``), so two parallel attempts activate once; a code is used up the same
way (``used_at IS NULL``).
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history

from docregsys.exceptions import TransitionRefused
from docregsys.identity.normalize import normalize_code
from docregsys.messaging.models import Channel
from docregsys.messaging.services import message_enqueue, message_enqueue_many
from qualifications.models import ExamResult, QualificationCertificate
from registrations.models import PracticeRecord

from ..models import ActivationCode, ActivationPath, User
from ..selectors import doctor_records
from .codes import quota_take

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud and typed without doubt
CODE_LENGTH = 8
DAILY_ATTEMPTS = 10

NOT_DOCTOR = _("只有医师账户需要激活。")
ALREADY_ACTIVATED = _("您的账户已激活，无需再次激活。")
NOT_CHECKED = _("您的账户尚未通过医师信息校验，请先完成医师信息校验。")
NOT_VERIFIED = _("激活账户前需要验证您的手机号码（手机无法接收短信时可验证邮箱），请先完成验证。")
ATTEMPTS_EXHAUSTED = _("今日激活尝试次数已达上限，请明天再试。")
CODE_WRONG = _("激活码不正确，请核对后重新输入。")
CODE_EXPIRED = _("激活码已失效，请向医疗机构重新申领。")
CERTIFICATE_WRONG = _("资格证书编码与您的身份信息不符，请核对后重新输入。")
TICKET_WRONG = _("准考证号与您的身份信息不符。")
TICKET_FAILED = _("该准考证号对应的考试成绩未合格，不能用于激活账户。")


def _has_valid_record_message(institution) -> str:
    return str(
        _(
            "您有有效的执业注册，账户激活码需要您到您执业所在医疗机构 %(institution)s 申领，"
            "请使用医疗机构生成的激活码激活账户。"
        )
        % {"institution": institution}
    )


# ------------------------------------------------------------------------------------ preconditions


def activation_refusal(user: User) -> TransitionRefused | None:
    """Why this account may not try paths a, b, c now (None when it may)."""
    if not user.is_doctor:
        return TransitionRefused(NOT_DOCTOR, code="not_doctor")
    if user.is_activated:
        return TransitionRefused(ALREADY_ACTIVATED, code="already_activated")
    if user.checked_at is None:
        return TransitionRefused(NOT_CHECKED, code="not_checked")
    if not (user.phone_verified or user.email_verified):
        return TransitionRefused(NOT_VERIFIED, code="not_verified")
    return None


def _attempt_take(user: User) -> None:
    """Count one attempt (commits on its own); the 11th of the day is refused."""
    if (refusal := activation_refusal(user)) is not None:
        raise refusal
    try:
        quota_take(f"activate:{user.pk}", interval_seconds=0, daily_limit=DAILY_ATTEMPTS)
    except TransitionRefused:
        raise TransitionRefused(ATTEMPTS_EXHAUSTED, code="attempts_exhausted") from None


def _activate(user: User, path: str, now: dt.datetime) -> bool:
    """The conditional UPDATE; True when this call activated the account. Call inside an atomic block."""
    rows = User.objects.filter(pk=user.pk, activated_at__isnull=True).update(
        activated_at=now, activation_path=path
    )
    if rows != 1:
        return False
    user.activated_at = now
    user.activation_path = path
    # The UPDATE bypasses signals: save the same values once so the User history records the activation.
    user.save(update_fields=["activated_at", "activation_path"])
    return True


def _activate_or_refuse(user: User, path: str) -> User:
    with transaction.atomic():
        if not _activate(user, path, timezone.now()):
            raise TransitionRefused(ALREADY_ACTIVATED, code="already_activated")
    return user


def _valid_institution(user: User):
    """The main institution of the doctor's valid practice record, or None."""
    valid = doctor_records(user).valid_records
    return valid[0].main_institution if valid else None


# ---------------------------------------------------------------------------------------- path a


def activation_code_consume(*, record: ActivationCode, user: User) -> User:
    """Use up one code and activate its doctor in one transaction; a second, parallel use is refused."""
    now = timezone.now()
    with transaction.atomic():
        used = ActivationCode.objects.filter(pk=record.pk, used_at__isnull=True, expires_at__gt=now).update(
            used_at=now
        )
        if used != 1:
            raise TransitionRefused(CODE_EXPIRED, code="code_expired", field="code")
        record.used_at = now
        record.save(update_fields=["used_at"])  # the code's history shows when it was used
        if not _activate(user, ActivationPath.INSTITUTION_CODE, now):
            raise TransitionRefused(ALREADY_ACTIVATED, code="already_activated")
    return user


def account_activate_with_code(*, user: User, code: str) -> User:
    """ACC-5a: activate with the code the doctor's institution generated for them."""
    _attempt_take(user)
    record = ActivationCode.objects.filter(code=normalize_code(code)).first()
    # Someone else's code is answered exactly like a wrong one: it reveals nothing.
    if record is None or record.doctor_id != user.pk:
        raise TransitionRefused(CODE_WRONG, code="code_invalid", field="code")
    if record.used_at is not None or record.expires_at <= timezone.now():
        raise TransitionRefused(CODE_EXPIRED, code="code_expired", field="code")
    return activation_code_consume(record=record, user=user)


# ---------------------------------------------------------------------------------------- path b


def account_activate_with_certificate(*, user: User, number: str) -> User:
    """ACC-5b: a doctor without a valid registration activates with their qualification-certificate number."""
    _attempt_take(user)
    number = normalize_code(number)
    certificate = QualificationCertificate.objects.filter(number=number).first()
    if (
        certificate is None
        or not user.id_number_digest
        or certificate.id_number_digest != user.id_number_digest
        or certificate.real_name != user.real_name
    ):
        raise TransitionRefused(CERTIFICATE_WRONG, code="certificate_mismatch", field="number")
    if (institution := _valid_institution(user)) is not None:
        raise TransitionRefused(
            _has_valid_record_message(institution), code="has_valid_record", field="number"
        )
    return _activate_or_refuse(user, ActivationPath.CERTIFICATE)


# ---------------------------------------------------------------------------------------- path c


def account_activate_with_ticket(*, user: User, ticket: str) -> User:
    """ACC-5c: a new exam passer activates with the admission ticket number of a passing written exam."""
    _attempt_take(user)
    ticket = normalize_code(ticket)
    results = [
        r
        for r in ExamResult.objects.filter(admission_ticket=ticket).order_by("-year")
        if user.id_number_digest
        and r.id_number_digest == user.id_number_digest
        and r.real_name == user.real_name
    ]
    if not ticket or not results:
        raise TransitionRefused(TICKET_WRONG, code="ticket_mismatch", field="ticket")
    if not any(r.passed for r in results):
        raise TransitionRefused(TICKET_FAILED, code="exam_not_passed", field="ticket")
    if (institution := _valid_institution(user)) is not None:
        raise TransitionRefused(
            _has_valid_record_message(institution), code="has_valid_record", field="ticket"
        )
    return _activate_or_refuse(user, ActivationPath.ADMISSION_TICKET)


# ---------------------------------------------------------------------------------------- path d


def account_activate_on_approval(*, user: User) -> bool:
    """ACC-5d hook for REG-7: an approved 注册/变更 activates the account (True when it did; idempotent)."""
    if not user.is_doctor or user.is_activated:
        return False
    with transaction.atomic():
        return _activate(user, ActivationPath.APPROVAL, timezone.now())


# ------------------------------------------------------------------------------------ issuing (INS-4)


def _new_code() -> str:
    for _attempt in range(10):
        code = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
        if not ActivationCode.objects.filter(code=code).exists():
            return code
    raise RuntimeError("could not draw a free activation code")  # 32^8 codes: never in practice


def activation_code_issue_refusal(*, doctor: User, institution) -> TransitionRefused | None:
    """Why no code may be issued for this doctor at this institution (None when it may)."""
    if not doctor.is_doctor:
        return TransitionRefused(_("只能为医师账户生成激活码。"), code="not_doctor")
    if doctor.is_activated:
        return TransitionRefused(_("该医师账户已激活，无需生成激活码。"), code="already_activated")
    if doctor.checked_at is None:
        return TransitionRefused(_("该医师尚未通过医师信息校验，不能生成激活码。"), code="not_checked")
    if not any(r.main_institution_id == institution.pk for r in doctor_records(doctor).valid_records):
        return TransitionRefused(
            _("该医师在本机构没有有效的执业注册（主要执业机构），不能生成激活码。"),
            code="not_registered_here",
        )
    if not (doctor.phone_verified or doctor.email_verified):
        return TransitionRefused(
            _("该医师尚未验证手机号码或邮箱，激活码无法送达，请提醒医师先验证手机。"),
            code="not_verified",
        )
    return None


def _code_message(record: ActivationCode, institution) -> tuple[str, str, str, str]:
    """(channel, destination, body, subject) of the message carrying a code: the verified phone, else e-mail."""
    doctor = record.doctor
    if doctor.phone_verified:
        channel, destination = Channel.SMS, doctor.phone
    else:
        channel, destination = Channel.EMAIL, doctor.email
    body = str(
        _("【医师电子化注册】您的账户激活码为 %(code)s，由 %(institution)s 生成，%(date)s 前有效。")
        % {
            "code": record.code,
            "institution": institution.name,
            "date": timezone.localtime(record.expires_at).strftime("%Y-%m-%d %H:%M"),
        }
    )
    subject = str(_("医师电子化注册信息系统账户激活码")) if channel == Channel.EMAIL else ""
    return channel, destination, body, subject


def activation_code_issue(*, doctor: User, institution, issued_by: User | None = None) -> ActivationCode:
    """INS-4: a new code for a checked doctor whose valid registration's main institution is this one."""
    if (refusal := activation_code_issue_refusal(doctor=doctor, institution=institution)) is not None:
        raise refusal
    now = timezone.now()
    expires_at = now + dt.timedelta(days=settings.ACTIVATION_CODE_TTL_DAYS)
    with transaction.atomic():
        for earlier in ActivationCode.objects.select_for_update().filter(
            doctor=doctor, institution=institution, used_at__isnull=True, expires_at__gt=now
        ):
            earlier.expires_at = now  # the newest code is the only one that works
            earlier.save(update_fields=["expires_at"])
        record = ActivationCode.objects.create(
            doctor=doctor,
            institution=institution,
            code=_new_code(),
            issued_by=issued_by,
            expires_at=expires_at,
        )
        channel, destination, body, subject = _code_message(record, institution)
        message_enqueue(channel=channel, destination=destination, body=body, subject=subject)
    return record


ISSUE_BATCH = 200


def activation_issuable_doctors(*, institution) -> QuerySet[User]:
    """The doctors `activation_code_issue_refusal` allows at this institution, as one query (INS-4 bulk)."""
    records = PracticeRecord.objects.filter(
        state=PracticeRecord.State.VALID,
        main_institution=institution,
        id_number_digest=OuterRef("id_number_digest"),
        real_name=OuterRef("real_name"),
    )
    reachable = (Q(phone_verified_at__isnull=False) & ~Q(phone="")) | (
        Q(email_verified_at__isnull=False) & ~Q(email="")
    )
    return (
        User.objects.filter(role=User.Role.DOCTOR, activated_at__isnull=True, checked_at__isnull=False)
        .exclude(id_number_digest="")
        .filter(reachable)
        .filter(Exists(records))
    )


def _outstanding_codes(*, institution, now):
    return ActivationCode.objects.filter(institution=institution, used_at__isnull=True, expires_at__gt=now)


def _new_codes(count: int) -> list[str]:
    """`count` distinct codes no row holds yet (one query per draw; a second draw never happens in practice)."""
    codes: set[str] = set()
    while len(codes) < count:
        drawn = {
            "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
            for _n in range(count - len(codes))
        } - codes
        taken = set(ActivationCode.objects.filter(code__in=drawn).values_list("code", flat=True))
        codes |= drawn - taken
    return list(codes)


def activation_code_issue_all(*, institution, issued_by: User | None = None, renew: bool = False) -> int:
    """INS-4 为全部符合条件的医师生成激活码: a code for every eligible doctor here; returns how many were issued.

    Idempotent per doctor: one who already holds an unused, unexpired code is skipped unless `renew`
    (then that code expires and a new one goes out). Batches of ISSUE_BATCH doctors, each one transaction
    of a fixed number of queries (lock and re-read the doctors, expire or find their open codes, draw
    the codes, insert codes + their history, insert the messages): 400 doctors take about a dozen queries,
    not 400 times the single path. A doctor activated or issued a code by a parallel request between the
    first read and the batch's lock is re-checked under the lock and skipped.
    """
    now = timezone.now()
    candidates = activation_issuable_doctors(institution=institution)
    if not renew:
        candidates = candidates.exclude(
            Exists(_outstanding_codes(institution=institution, now=now).filter(doctor=OuterRef("pk")))
        )
    ids = list(candidates.order_by("pk").values_list("pk", flat=True))
    issued = 0
    for start in range(0, len(ids), ISSUE_BATCH):
        issued += _issue_batch(
            ids[start : start + ISSUE_BATCH], institution=institution, issued_by=issued_by, renew=renew
        )
    return issued


def _issue_batch(ids: list[int], *, institution, issued_by: User | None, renew: bool) -> int:
    now = timezone.now()
    expires_at = now + dt.timedelta(days=settings.ACTIVATION_CODE_TTL_DAYS)
    with transaction.atomic():
        doctors = list(
            activation_issuable_doctors(institution=institution)
            .select_for_update()
            .filter(pk__in=ids)
            .order_by("pk")
        )
        open_codes = _outstanding_codes(institution=institution, now=now).filter(doctor__in=doctors)
        if renew:
            open_codes.update(expires_at=now)  # the newest code is the only one that works
        else:
            busy = set(open_codes.values_list("doctor_id", flat=True))
            doctors = [d for d in doctors if d.pk not in busy]
        if not doctors:
            return 0
        records = [
            ActivationCode(
                doctor=doctor, institution=institution, code=code, issued_by=issued_by, expires_at=expires_at
            )
            for doctor, code in zip(doctors, _new_codes(len(doctors)), strict=True)
        ]
        bulk_create_with_history(records, ActivationCode, default_user=issued_by)
        messages = []
        for record in records:
            channel, destination, body, subject = _code_message(record, institution)
            messages.append({"channel": channel, "destination": destination, "body": body, "subject": subject})
        message_enqueue_many(messages)
    return len(records)
