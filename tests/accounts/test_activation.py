"""ACC-5 activation: the four paths, every refusal, attempts counted, codes single use (INS-4 issuing)."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.decorators import activated_required
from accounts.models import ActivationCode, ActivationPath, User
from accounts.services.activation import (
    account_activate_on_approval,
    account_activate_with_certificate,
    account_activate_with_code,
    account_activate_with_ticket,
    activation_code_consume,
    activation_code_issue,
)
from docregsys.api import refusal_status
from docregsys.exceptions import TransitionRefused
from docregsys.messaging.models import OutboundMessage
from registrations.models import PracticeRecord
from tests.factories import (
    ActivationCodeFactory,
    CertificateFactory,
    ExamResultFactory,
    InstitutionFactory,
    PracticeRecordFactory,
    UserFactory,
    make_resident_id,
)

pytestmark = pytest.mark.django_db

ID = make_resident_id(seq="111")
OTHER_ID = make_resident_id(seq="222")


def doctor(**kwargs):
    kwargs.setdefault("phone_verified", True)
    return UserFactory(real_name="王芳", id_number=ID, **kwargs)


def refused(call, **kwargs):
    with pytest.raises(TransitionRefused) as info:
        call(**kwargs)
    return info.value


def reload(user):
    return User.objects.get(pk=user.pk)


# ------------------------------------------------------------------------------------------ path a


@pytest.fixture
def registered():
    """A checked, phone-verified doctor with a valid record at 芙蓉医院."""
    user = doctor()
    hospital = InstitutionFactory(name="芙蓉医院")
    PracticeRecordFactory(real_name="王芳", id_number=ID, main_institution=hospital)
    return user, hospital


def test_code_activates_once_and_is_used_up(registered):
    """ACC-5a: the institution's code activates the account; the code is used; history records both."""
    user, hospital = registered
    code = activation_code_issue(doctor=user, institution=hospital, issued_by=None)
    account_activate_with_code(user=user, code=code.code.lower())
    user = reload(user)
    assert user.is_activated and user.activation_path == ActivationPath.INSTITUTION_CODE
    assert user.history.first().activated_at is not None
    code.refresh_from_db()
    assert code.used_at is not None
    assert code.history.first().used_at is not None


def test_wrong_code_and_another_doctors_code_get_the_same_answer(registered):
    """ACC-5a: a code of another doctor is answered exactly like a wrong code."""
    user, hospital = registered
    other = ActivationCodeFactory(code="ZZZZ2222", institution=hospital)
    wrong = refused(account_activate_with_code, user=user, code="ABCDEFGH")
    others = refused(account_activate_with_code, user=user, code=other.code)
    assert str(wrong.message) == str(others.message) == "激活码不正确，请核对后重新输入。"
    assert wrong.code == others.code and wrong.field == others.field == "code"
    assert not reload(user).is_activated


def test_expired_code_refused(registered):
    """ACC-5a: an expired code is refused and points back to the institution."""
    user, hospital = registered
    ActivationCodeFactory(doctor=user, institution=hospital, code="EXPD2345", expires_at=timezone.now())
    exc = refused(account_activate_with_code, user=user, code="EXPD2345")
    assert str(exc.message) == "激活码已失效，请向医疗机构重新申领。"


def test_used_code_refused(registered):
    """ACC-5a: a used code cannot be used again (here: after the account was reset to not activated)."""
    user, hospital = registered
    code = ActivationCodeFactory(doctor=user, institution=hospital, code="USED2345")
    account_activate_with_code(user=user, code="USED2345")
    User.objects.filter(pk=user.pk).update(activated_at=None, activation_path="")
    exc = refused(account_activate_with_code, user=reload(user), code=code.code)
    assert exc.code == "code_expired"


def test_two_parallel_uses_give_one_success(registered):
    """ACC-5a: both requests read the code unused; the conditional UPDATEs let only one through."""
    user, hospital = registered
    code = ActivationCodeFactory(doctor=user, institution=hospital, code="PARA2345")
    stale_code, stale_user = ActivationCode.objects.get(pk=code.pk), reload(user)
    activation_code_consume(record=code, user=user)
    with pytest.raises(TransitionRefused):
        activation_code_consume(record=stale_code, user=stale_user)
    assert ActivationCode.objects.get(pk=code.pk).used_at is not None
    assert reload(user).activation_path == ActivationPath.INSTITUTION_CODE


def test_new_code_kills_the_earlier_one(registered):
    """INS-4: issuing again makes the earlier unused code stop working."""
    user, hospital = registered
    first = activation_code_issue(doctor=user, institution=hospital)
    second = activation_code_issue(doctor=user, institution=hospital)
    assert first.code != second.code and len(second.code) == 8
    assert refused(account_activate_with_code, user=user, code=first.code).code == "code_expired"
    account_activate_with_code(user=user, code=second.code)


def test_issue_sends_the_code_by_sms(registered, sms_inbox):
    """INS-4: the code goes to the doctor's verified phone, naming the institution."""
    user, hospital = registered
    code = activation_code_issue(doctor=user, institution=hospital)
    texts = [m["text"] for m in sms_inbox() if m["to"] == user.phone]
    assert texts and code.code in texts[-1] and "芙蓉医院" in texts[-1]
    assert code.expires_at - code.created_at >= dt.timedelta(days=6)


def test_issue_falls_back_to_verified_email(mailoutbox):
    """INS-4: no verified phone but a verified e-mail → the code is e-mailed."""
    user = UserFactory(
        real_name="王芳", id_number=ID, checked=True, email="wf@example.com", email_verified_at=timezone.now()
    )
    hospital = InstitutionFactory()
    PracticeRecordFactory(real_name="王芳", id_number=ID, main_institution=hospital)
    code = activation_code_issue(doctor=user, institution=hospital)
    assert OutboundMessage.objects.filter(channel="email", destination="wf@example.com").exists()
    assert code.code


@pytest.mark.parametrize(
    "situation",
    ["other_institution", "record_filed", "not_checked", "not_verified", "activated", "officer"],
)
def test_issue_refusals(situation):
    """INS-4: only for checked, reachable, not-activated doctors whose valid record is at this institution."""
    hospital = InstitutionFactory()
    traits = {"not_checked": {}, "not_verified": {"checked": True}, "activated": {"activated": True}}
    user = UserFactory(real_name="王芳", id_number=ID, **traits.get(situation, {"phone_verified": True}))
    if situation == "officer":
        user.role = User.Role.OFFICER
    record_at = InstitutionFactory() if situation == "other_institution" else hospital
    state = PracticeRecord.State.FILED if situation == "record_filed" else PracticeRecord.State.VALID
    PracticeRecordFactory(real_name="王芳", id_number=ID, main_institution=record_at, state=state)
    with pytest.raises(TransitionRefused):
        activation_code_issue(doctor=user, institution=hospital)
    assert not ActivationCode.objects.exists()
    assert not OutboundMessage.objects.exists()


# ------------------------------------------------------------------------------------------ path b


def test_certificate_activates_a_doctor_without_valid_record():
    """ACC-5b: the certificate number of the account's name + ID activates it."""
    user = doctor()
    cert = CertificateFactory(real_name="王芳", id_number=ID)
    PracticeRecordFactory(real_name="王芳", id_number=ID, state=PracticeRecord.State.DEREGISTERED)
    account_activate_with_certificate(user=user, number=f" {cert.number} ")
    assert reload(user).activation_path == ActivationPath.CERTIFICATE


@pytest.mark.parametrize("whose", ["other_id", "other_name", "unknown"])
def test_certificate_of_someone_else_refused(whose):
    """ACC-5b: another person's certificate (ID or name differ) or an unknown number: one message."""
    user = doctor()
    if whose == "other_id":
        cert = CertificateFactory(real_name="王芳", id_number=OTHER_ID)
    elif whose == "other_name":
        cert = CertificateFactory(real_name="王方", id_number=ID)
    number = "999" if whose == "unknown" else cert.number
    exc = refused(account_activate_with_certificate, user=user, number=number)
    assert str(exc.message) == "资格证书编码与您的身份信息不符，请核对后重新输入。"
    assert exc.field == "number"
    assert not reload(user).is_activated


def test_certificate_refused_when_a_valid_record_exists():
    """ACC-5b: a validly registered doctor gets the code from their institution, which is named."""
    user = doctor()
    cert = CertificateFactory(real_name="王芳", id_number=ID)
    PracticeRecordFactory(
        real_name="王芳", id_number=ID, main_institution=InstitutionFactory(name="天心医院")
    )
    exc = refused(account_activate_with_certificate, user=user, number=cert.number)
    assert "天心医院" in str(exc.message) and exc.code == "has_valid_record"


# ------------------------------------------------------------------------------------------ path c


def test_ticket_of_a_passing_result_activates():
    """ACC-5c: the admission ticket of a passed exam activates the account."""
    user = doctor()
    result = ExamResultFactory(real_name="王芳", id_number=ID)
    account_activate_with_ticket(user=user, ticket=result.admission_ticket)
    assert reload(user).activation_path == ActivationPath.ADMISSION_TICKET


def test_ticket_of_a_failed_result_refused():
    """ACC-5c: a failed result cannot activate."""
    user = doctor()
    result = ExamResultFactory(real_name="王芳", id_number=ID, passed=False, written_score=300)
    exc = refused(account_activate_with_ticket, user=user, ticket=result.admission_ticket)
    assert str(exc.message) == "该准考证号对应的考试成绩未合格，不能用于激活账户。"


@pytest.mark.parametrize("whose", ["other_id", "other_name", "unknown"])
def test_ticket_of_someone_else_refused(whose):
    """ACC-5c: someone else's ticket (even a failed one) or an unknown ticket: 准考证号与您的身份信息不符。"""
    user = doctor()
    if whose == "other_id":
        result = ExamResultFactory(real_name="王芳", id_number=OTHER_ID, passed=False)
    elif whose == "other_name":
        result = ExamResultFactory(real_name="王方", id_number=ID)
    ticket = "2025000000" if whose == "unknown" else result.admission_ticket
    exc = refused(account_activate_with_ticket, user=user, ticket=ticket)
    assert str(exc.message) == "准考证号与您的身份信息不符。" and exc.field == "ticket"


# ------------------------------------------------------------------------------------ preconditions


@pytest.mark.parametrize(
    ("traits", "code"),
    [
        ({}, "not_checked"),
        ({"checked": True}, "not_verified"),
        ({"activated": True}, "already_activated"),
    ],
)
def test_preconditions(traits, code):
    """ACC-5: not checked, phone not verified, already activated: refused with the next step, nothing counted."""
    user = UserFactory(real_name="王芳", id_number=ID, **traits)
    cert = CertificateFactory(real_name="王芳", id_number=ID)
    for call, kwargs in (
        (account_activate_with_certificate, {"number": cert.number}),
        (account_activate_with_code, {"code": "ABCDEFGH"}),
        (account_activate_with_ticket, {"ticket": "1"}),
    ):
        assert refused(call, user=user, **kwargs).code == code


def test_eleventh_attempt_of_the_day_refused():
    """ACC-5: at most 10 attempts a day, counted even when each one is refused (no brute force)."""
    user = doctor()
    cert = CertificateFactory(real_name="王芳", id_number=ID)
    for _i in range(10):
        assert refused(account_activate_with_code, user=user, code="WRONG234").code == "code_invalid"
    exc = refused(account_activate_with_certificate, user=user, number=cert.number)
    assert str(exc.message) == "今日激活尝试次数已达上限，请明天再试。" and refusal_status(exc) == 429
    assert not reload(user).is_activated


# ------------------------------------------------------------------------------------------ path d


def test_approval_hook_is_idempotent():
    """ACC-5d: an approved application activates the account once; later calls change nothing."""
    user = UserFactory(real_name="王芳", id_number=ID)
    assert account_activate_on_approval(user=user) is True
    first = reload(user).activated_at
    assert account_activate_on_approval(user=reload(user)) is False
    user = reload(user)
    assert user.activated_at == first and user.activation_path == ActivationPath.APPROVAL


def test_approval_hook_keeps_an_earlier_path():
    """ACC-5d: an account already activated by a code keeps that path."""
    user = UserFactory(activated=True)
    assert account_activate_on_approval(user=user) is False
    assert reload(user).activation_path == ActivationPath.CERTIFICATE


# ------------------------------------------------------------------------------------- the decorator


@pytest.mark.parametrize(
    ("traits", "target"),
    [
        ({}, "accounts:check"),
        ({"checked": True}, "accounts:verify_phone"),
        ({"phone_verified": True}, "accounts:activation"),
    ],
)
def test_activated_required_explains_and_links_the_next_step(traits, target):
    """ACC-5: until activated, other pages say why (403) and link the next step."""
    view = activated_required(lambda request: HttpResponse("the-protected-page"))
    request = RequestFactory().get("/somewhere/")
    request.user = UserFactory(**traits)
    response = view(request)
    assert response.status_code == 403
    body = response.content.decode()
    assert "the-protected-page" not in body and reverse(target) in body


def test_activated_required_lets_activated_doctors_through():
    """ACC-5: an activated doctor reaches the page; anonymous visitors go to login."""
    view = activated_required(lambda request: HttpResponse("the-protected-page"))
    request = RequestFactory().get("/somewhere/")
    request.user = UserFactory(activated=True)
    assert view(request).content == b"the-protected-page"
    request.user = AnonymousUser()
    assert view(request).status_code == 302


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_parallel_code_use_on_postgres_activates_once():
    """ACC-5a: two requests with the same code at the same moment (two connections): one activation."""
    import threading

    from django.db import connection

    user = doctor()
    hospital = InstitutionFactory()
    PracticeRecordFactory(real_name="王芳", id_number=ID, main_institution=hospital)
    code = ActivationCodeFactory(doctor=user, institution=hospital, code="RACE2345")
    barrier = threading.Barrier(2)
    outcomes = []

    def use():
        try:
            barrier.wait()
            account_activate_with_code(user=User.objects.get(pk=user.pk), code="RACE2345")
            outcomes.append("ok")
        except TransitionRefused as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=use) for _i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(outcomes) == 2 and outcomes.count("ok") == 1, outcomes
    assert ActivationCode.objects.get(pk=code.pk).used_at is not None
    assert reload(user).activation_path == ActivationPath.INSTITUTION_CODE
