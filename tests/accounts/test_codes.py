"""One-time codes and send quotas (ACC-4): hashed, 5 minutes, single use, 5 guesses, 1/min and 10/day."""

import datetime as dt

import pytest
from django.utils import timezone

from accounts.models import SendQuota, VerificationCode
from accounts.services.codes import code_confirm, code_issue, digest, quota_take, send_quota_take
from docregsys.api import refusal_status
from docregsys.exceptions import TransitionRefused
from docregsys.messaging.models import Channel, OutboundMessage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PHONE = "15175070658"
VERIFY = VerificationCode.Purpose.VERIFY


def issue(user=None, phone=PHONE, purpose=VERIFY):
    return code_issue(purpose=purpose, channel=Channel.SMS, destination=phone, user=user)


def refused_code(**kwargs):
    with pytest.raises(TransitionRefused) as caught:
        code_confirm(**kwargs)
    assert caught.value.field == "code"
    return caught.value.code


def wrong(code):
    return f"{(int(code) + 1) % 10**6:06d}"


def test_a_code_is_six_digits_and_confirms_once(sms_inbox):
    """ACC-4: a 6-digit code; right once, then spent."""
    user = UserFactory()
    issue(user)
    code = sms_inbox.last_code(PHONE)
    assert len(code) == 6 and code.isdigit()
    record = code_confirm(purpose=VERIFY, destination=PHONE, code=code, user=user)
    assert record.used_at is not None
    assert refused_code(purpose=VERIFY, destination=PHONE, code=code, user=user) == "code_expired"


def test_the_code_is_stored_hashed_never_in_clear(sms_inbox):
    """ACC-4: the database holds a keyed hash of the code and a digest of the phone, not the values."""
    user = UserFactory()
    record = issue(user)
    code = sms_inbox.last_code(PHONE)
    row = VerificationCode.objects.filter(pk=record.pk).values().get()
    for value in row.values():
        assert code not in str(value)
        assert PHONE not in str(value)
    assert row["destination_digest"] == digest(PHONE)
    # Once sent, the outbox no longer holds the text either.
    assert not OutboundMessage.objects.filter(body__contains=code).exists()


def test_an_expired_code_is_refused(sms_inbox):
    """ACC-4: codes expire after 5 minutes."""
    user = UserFactory()
    record = issue(user)
    code = sms_inbox.last_code(PHONE)
    lifetime = record.expires_at - record.created_at
    assert dt.timedelta(minutes=4, seconds=59) < lifetime <= dt.timedelta(minutes=5)
    VerificationCode.objects.filter(pk=record.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert refused_code(purpose=VERIFY, destination=PHONE, code=code, user=user) == "code_expired"
    assert VerificationCode.objects.get(pk=record.pk).used_at is None


def test_a_wrong_code_is_refused_and_counted(sms_inbox):
    """ACC-4: every guess is counted in the database."""
    user = UserFactory()
    record = issue(user)
    code = sms_inbox.last_code(PHONE)
    assert refused_code(purpose=VERIFY, destination=PHONE, code=wrong(code), user=user) == "code_invalid"
    assert VerificationCode.objects.get(pk=record.pk).attempts == 1


def test_the_sixth_attempt_is_refused_even_with_the_right_code(sms_inbox):
    """ACC-4: at most 5 attempts; after five wrong guesses the right code no longer works."""
    user = UserFactory()
    record = issue(user)
    code = sms_inbox.last_code(PHONE)
    for _ in range(5):
        assert refused_code(purpose=VERIFY, destination=PHONE, code=wrong(code), user=user) == "code_invalid"
    assert refused_code(purpose=VERIFY, destination=PHONE, code=code, user=user) == "code_locked"
    record.refresh_from_db()
    assert record.attempts == 5 and record.used_at is None


def test_the_fifth_attempt_may_still_be_right(sms_inbox):
    """ACC-4: five attempts means the fifth counts."""
    user = UserFactory()
    issue(user)
    code = sms_inbox.last_code(PHONE)
    for _ in range(4):
        refused_code(purpose=VERIFY, destination=PHONE, code=wrong(code), user=user)
    assert code_confirm(purpose=VERIFY, destination=PHONE, code=code, user=user).attempts == 4


def test_a_new_code_invalidates_the_older_ones(sms_inbox):
    """ACC-4: only the newest code sent to a phone works."""
    user = UserFactory()
    first = issue(user)
    old = sms_inbox.last_code(PHONE)
    issue(user)
    new = sms_inbox.last_code(PHONE)
    assert VerificationCode.objects.get(pk=first.pk).expires_at <= timezone.now()
    if old != new:
        assert refused_code(purpose=VERIFY, destination=PHONE, code=old, user=user) == "code_invalid"
    assert code_confirm(purpose=VERIFY, destination=PHONE, code=new, user=user)


def test_a_code_of_another_account_or_purpose_does_not_work(sms_inbox):
    """ACC-4: a code is bound to the account and the purpose it was asked for."""
    owner, other = UserFactory(), UserFactory()
    issue(owner)
    code = sms_inbox.last_code(PHONE)
    assert refused_code(purpose=VERIFY, destination=PHONE, code=code, user=other) == "code_expired"
    change = VerificationCode.Purpose.CHANGE
    assert refused_code(purpose=change, destination=PHONE, code=code, user=owner) == "code_expired"
    assert refused_code(purpose=VERIFY, destination="13900000000", code=code, user=owner) == "code_expired"
    assert code_confirm(purpose=VERIFY, destination=PHONE, code=code, user=owner)


def test_a_second_request_for_a_phone_takes_a_newer_code_from_the_first_account(sms_inbox):
    """ACC-4: two accounts asking for the same phone: only the last code sent is alive."""
    first, second = UserFactory(), UserFactory()
    issue(first)
    first_code = sms_inbox.last_code(PHONE)
    issue(second)
    assert refused_code(purpose=VERIFY, destination=PHONE, code=first_code, user=first) == "code_expired"


def test_the_sms_text_names_the_purpose_and_lifetime(sms_inbox):
    """ACC-4: the message says what the code is for and how long it lasts."""
    issue(UserFactory())
    text = sms_inbox()[-1]["text"]
    assert "验证手机号码或邮箱" in text and "5 分钟内有效" in text and "请勿告诉他人" in text


def test_an_email_code_goes_by_mail(mail_code, mailoutbox):
    """ACC-4: the same codes by e-mail."""
    user = UserFactory()
    code_issue(purpose=VERIFY, channel=Channel.EMAIL, destination="Doc@Example.com", user=user)
    code = mail_code("Doc@Example.com")
    assert mailoutbox[-1].subject == "医师电子化注册信息系统校验码"
    # E-mail addresses compare without case.
    assert code_confirm(purpose=VERIFY, destination="doc@example.com", code=code, user=user)


# ------------------------------------------------------------------------------------ quotas


def test_resending_within_a_minute_is_refused_per_phone():
    """ACC-4: once a minute per phone, whatever client asks."""
    send_quota_take(destination=PHONE, client="10.0.0.1")
    with pytest.raises(TransitionRefused) as caught:
        send_quota_take(destination=PHONE, client="10.0.0.2")
    assert caught.value.code == "too_soon" and refusal_status(caught.value) == 429
    assert "一分钟" in str(caught.value.message)


def test_a_second_phone_from_the_same_client_within_a_minute_is_refused():
    """ACC-4: once a minute per client, whatever phone it asks for."""
    send_quota_take(destination=PHONE, client="10.0.0.1")
    with pytest.raises(TransitionRefused) as caught:
        send_quota_take(destination="13912345678", client="10.0.0.1")
    assert caught.value.code == "too_soon"
    # The refused request did not count against the second phone: another client may still use it.
    send_quota_take(destination="13912345678", client="10.0.0.3")


def _age(key_part, *, seconds):
    SendQuota.objects.filter(key__startswith=key_part).update(
        last_sent_at=timezone.now() - dt.timedelta(seconds=seconds)
    )


def test_after_a_minute_the_phone_may_ask_again():
    """ACC-4: the minute passes."""
    send_quota_take(destination=PHONE, client="10.0.0.1")
    _age("", seconds=61)
    send_quota_take(destination=PHONE, client="10.0.0.1")
    assert SendQuota.objects.get(key=f"to:{digest(PHONE)}").day_count == 2


def test_ten_a_day_per_phone():
    """ACC-4: at most 10 codes a day to one phone, from any number of clients."""
    for n in range(10):
        send_quota_take(destination=PHONE, client=f"10.0.1.{n}")
        _age("", seconds=61)
    with pytest.raises(TransitionRefused) as caught:
        send_quota_take(destination=PHONE, client="10.0.2.1")
    assert caught.value.code == "daily_limit" and refusal_status(caught.value) == 429
    assert "明天" in str(caught.value.message)


def test_ten_a_day_per_client():
    """ACC-4: at most 10 codes a day from one client, to any number of phones."""
    for n in range(10):
        send_quota_take(destination=f"1391234{n:04d}", client="10.0.0.9")
        _age("", seconds=61)
    with pytest.raises(TransitionRefused) as caught:
        send_quota_take(destination="13800000000", client="10.0.0.9")
    assert caught.value.code == "daily_limit"


def test_the_day_count_starts_again_the_next_day():
    """ACC-4: the daily limit is per calendar day."""
    for n in range(10):
        send_quota_take(destination=PHONE, client=f"10.0.1.{n}")
        _age("", seconds=61)
    SendQuota.objects.update(day=timezone.localdate() - dt.timedelta(days=1))
    send_quota_take(destination=PHONE, client="10.0.3.1")
    assert SendQuota.objects.get(key=f"to:{digest(PHONE)}").day_count == 1


def test_quota_rows_hold_digests_not_phones_or_addresses():
    """ACC-4 / security: no clear phone or IP address in the quota table."""
    send_quota_take(destination=PHONE, client="10.0.0.1")
    keys = list(SendQuota.objects.values_list("key", flat=True))
    assert len(keys) == 2
    assert all(PHONE not in k and "10.0.0.1" not in k for k in keys)


def test_a_generic_quota_counts_all_keys_or_none():
    """quota_take: a refusal on one key gives back the others."""
    quota_take("a", interval_seconds=0, daily_limit=1)
    with pytest.raises(TransitionRefused):
        quota_take("b", "a", interval_seconds=0, daily_limit=1)
    assert not SendQuota.objects.filter(key="b", day_count__gt=0).exists()


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_parallel_confirms_of_one_code_give_one_success(sms_inbox):
    """ACC-4: single use under concurrency (PostgreSQL): 4 threads with the right code, one wins."""
    import threading

    from django.db import connection

    user = UserFactory()
    issue(user)
    code = sms_inbox.last_code(PHONE)
    results, barrier = [], threading.Barrier(4)

    def attempt():
        try:
            barrier.wait()
            code_confirm(purpose=VERIFY, destination=PHONE, code=code, user=user)
            results.append("ok")
        except TransitionRefused as exc:
            results.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count("ok") == 1
    # The others are told the code is spent (not "too many wrong attempts": none was wrong).
    assert sorted(results) == ["code_expired"] * 3 + ["ok"]


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_parallel_sends_to_one_phone_take_the_quota_once():
    """ACC-4: once a minute holds under concurrency (PostgreSQL): 8 simultaneous requests, one passes."""
    import threading

    from django.db import connection

    results, barrier = [], threading.Barrier(8)

    def attempt(n):
        try:
            barrier.wait()
            send_quota_take(destination=PHONE, client=f"10.9.0.{n}")
            results.append("ok")
        except TransitionRefused as exc:
            results.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count("ok") == 1 and results.count("too_soon") == 7
