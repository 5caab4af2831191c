"""The outbox (ACC-4): messages written with the action, sent exactly once, retried, blanked once sent."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from docregsys.messaging import services as outbox
from docregsys.messaging.backends import read_file_outbox
from docregsys.messaging.models import Channel, OutboundMessage
from docregsys.messaging.services import MAX_SEND_ATTEMPTS, message_enqueue, outbox_drain

pytestmark = pytest.mark.django_db

PHONE = "15175070658"


@pytest.fixture
def eager_tasks():
    """Tasks run in-process for this test, also on the pass that has a real broker (no worker there)."""
    from docregsys.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


class Broken:
    """A gateway that refuses everything."""

    def send(self, phone, text):
        raise RuntimeError("gateway down")


def sent_files(settings):
    return read_file_outbox(settings.SMS_FILE_PATH)


def test_a_message_waits_in_the_outbox_until_drained(settings):
    """ACC-4: inside the action's transaction the message is only a row; the drain sends it."""
    message = message_enqueue(channel=Channel.SMS, destination=PHONE, body="校验码 123456")
    assert message.status == OutboundMessage.Status.PENDING
    assert sent_files(settings) == []
    assert outbox_drain() == 1
    assert [(m["to"], m["text"]) for m in sent_files(settings)] == [(PHONE, "校验码 123456")]


def test_the_body_is_blanked_once_sent(settings):
    """ACC-4: the code does not stay readable in the database after it left."""
    message = message_enqueue(channel=Channel.SMS, destination=PHONE, body="校验码 123456")
    outbox_drain()
    message.refresh_from_db()
    assert message.status == OutboundMessage.Status.SENT
    assert message.body == "" and message.sent_at is not None and message.attempts == 1


def test_a_message_is_sent_exactly_once_when_the_drain_runs_twice(settings):
    """ACC-4: the drain is idempotent (the task may be delivered twice, beat runs it again)."""
    message_enqueue(channel=Channel.SMS, destination=PHONE, body="一次")
    assert outbox_drain() == 1
    assert outbox_drain() == 0
    assert [m["text"] for m in sent_files(settings)] == ["一次"]


def test_outbox_drain_command_twice_sends_once(settings):
    """ACC-4: `manage.py outbox_drain`, run twice, sends each message once."""
    message_enqueue(channel=Channel.SMS, destination=PHONE, body="命令")
    call_command("outbox_drain")
    call_command("outbox_drain")
    assert [m["text"] for m in sent_files(settings)] == ["命令"]


def test_a_failing_backend_leaves_the_message_pending_for_later(settings, monkeypatch):
    """ACC-4: a gateway error is retried later: pending, attempts + 1, next attempt in the future."""
    monkeypatch.setattr(outbox, "get_backend", Broken)
    message = message_enqueue(channel=Channel.SMS, destination=PHONE, body="稍后")
    before = timezone.now()
    assert outbox_drain() == 0
    message.refresh_from_db()
    assert message.status == OutboundMessage.Status.PENDING
    assert message.attempts == 1
    assert message.next_attempt_at > before + dt.timedelta(seconds=20)
    assert "RuntimeError" in message.last_error
    assert message.body == "稍后"
    # Not due yet: a second drain does not hammer the gateway.
    assert outbox_drain() == 0
    message.refresh_from_db()
    assert message.attempts == 1


def test_the_retry_sends_once_the_gateway_is_back(settings, monkeypatch):
    """ACC-4: after the back-off the message goes out, once."""
    monkeypatch.setattr(outbox, "get_backend", Broken)
    message = message_enqueue(channel=Channel.SMS, destination=PHONE, body="重试")
    outbox_drain()
    monkeypatch.undo()
    OutboundMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    assert outbox_drain() == 1
    message.refresh_from_db()
    assert message.status == OutboundMessage.Status.SENT and message.attempts == 2
    assert [m["text"] for m in sent_files(settings)] == ["重试"]


def test_the_back_off_grows_and_the_message_fails_in_the_end(settings, monkeypatch):
    """ACC-4: after MAX_SEND_ATTEMPTS the message is given up (and its body blanked)."""
    monkeypatch.setattr(outbox, "get_backend", Broken)
    message = message_enqueue(channel=Channel.SMS, destination=PHONE, body="放弃")
    delays = []
    for _ in range(MAX_SEND_ATTEMPTS):
        now = timezone.now()
        OutboundMessage.objects.filter(pk=message.pk).update(next_attempt_at=now)
        outbox_drain()
        message.refresh_from_db()
        delays.append(message.next_attempt_at - now)
    assert message.status == OutboundMessage.Status.FAILED
    assert message.attempts == MAX_SEND_ATTEMPTS and message.body == ""
    assert delays[1] > delays[0]


def test_one_failing_message_does_not_block_the_others(settings, monkeypatch):
    """ACC-4: a message to a broken mailbox does not keep the SMS behind it from going out."""
    from django.core import mail

    def broken_mail(*args, **kwargs):
        raise OSError("smtp down")

    monkeypatch.setattr(outbox, "send_mail", broken_mail)
    message_enqueue(channel=Channel.EMAIL, destination="a@example.com", body="邮件", subject="主题")
    message_enqueue(channel=Channel.SMS, destination=PHONE, body="短信")
    assert outbox_drain() == 1
    assert [m["text"] for m in sent_files(settings)] == ["短信"]
    assert mail.outbox == []


def test_email_messages_go_through_django_mail(settings, mailoutbox):
    """ACC-4: e-mail messages use Django's e-mail backend with their subject."""
    message_enqueue(channel=Channel.EMAIL, destination="a@example.com", body="正文", subject="主题")
    outbox_drain()
    assert [(m.to, m.subject, m.body) for m in mailoutbox] == [(["a@example.com"], "主题", "正文")]


def test_the_kick_waits_for_the_commit(settings, django_capture_on_commit_callbacks, eager_tasks):
    """ACC-4: the task is enqueued only after the transaction commits (never for a rolled-back action)."""
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            message_enqueue(channel=Channel.SMS, destination=PHONE, body="提交后")
            assert sent_files(settings) == []
    assert len(callbacks) == 1
    # The kick ran the drain (in-process here; tests/platform/test_outbox_broker_outage.py: a real worker).
    assert [m["text"] for m in sent_files(settings)] == ["提交后"]


def test_a_rolled_back_action_sends_nothing(settings, django_capture_on_commit_callbacks):
    """ACC-4: the message row and the kick disappear with the action."""
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            message_enqueue(channel=Channel.SMS, destination=PHONE, body="回滚")
            raise RuntimeError
    assert callbacks == []
    assert not OutboundMessage.objects.exists()
    outbox_drain()
    assert sent_files(settings) == []


def test_the_kick_never_raises_when_the_broker_is_down(settings, monkeypatch, caplog):
    """ACC-4: a broker outage after the commit is a log line, not an error page; the row waits."""
    from docregsys.messaging import tasks

    def down(*args, **kwargs):
        raise ConnectionRefusedError("redis down")

    monkeypatch.setattr(tasks.outbox_drain, "apply_async", down)
    message = message_enqueue(channel=Channel.SMS, destination=PHONE, body="稍后发送")
    outbox.outbox_kick()
    message.refresh_from_db()
    assert message.status == OutboundMessage.Status.PENDING
    assert "broker unavailable" in caplog.text
    assert PHONE not in caplog.text


def test_the_task_drains_the_outbox(settings, eager_tasks):
    """ACC-4: the Celery task (what beat runs) calls the drain."""
    from docregsys.messaging.tasks import outbox_drain as task

    message_enqueue(channel=Channel.SMS, destination=PHONE, body="任务")
    assert task.delay().get() == 1
    assert task.delay().get() == 0
    assert [m["text"] for m in sent_files(settings)] == ["任务"]


def test_beat_runs_the_drain_periodically(settings):
    """ACC-4: the retry loop is scheduled."""
    from django.conf import settings as conf

    from docregsys.messaging.tasks import outbox_drain

    assert conf.CELERY_BEAT_SCHEDULE["outbox-drain"]["task"] == outbox_drain.name == "messaging.outbox_drain"
