"""ACC-4: a broker outage never turns a saved action into an error page; the code goes out once, later.

Runs on .ci/run's second pass (real PostgreSQL + Redis). The test starts its OWN redis-server on a
free port and points the Celery app at it, so stopping the broker does not disturb anything else.
"""

import re
import shutil
import socket
import subprocess
import time

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.urls import reverse

from docregsys.celery import app
from docregsys.messaging.backends import read_file_outbox
from docregsys.messaging.models import OutboundMessage
from docregsys.messaging.tasks import outbox_drain
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True),  # on_commit must really fire: the kick runs after COMMIT
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed"),
]

PHONE = "15175070658"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """A throw-away redis-server on a fixed port, without persistence, that the test can stop and restart."""

    def __init__(self, port: int, workdir):
        self.port = port
        self.workdir = workdir
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            cwd=self.workdir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.5)
        deadline = time.monotonic() + 15
        while True:
            try:
                if client.ping():
                    return
            except redis.ConnectionError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError("the test redis-server did not start") from None
                time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None

    def is_up(self) -> bool:
        try:
            return redis.Redis(port=self.port, socket_connect_timeout=0.5).ping()
        except redis.ConnectionError:
            return False


def _use_broker(url: str) -> None:
    """Point the Celery app at `url` and drop its pooled connections/producers (they hold the old URL)."""
    app.conf.broker_url = url
    app._after_fork()  # what Celery does after a fork: forget the connection pool and the producer pool


@pytest.fixture
def own_broker(tmp_path):
    """Celery's broker is a private redis-server for the test; the real one is restored afterwards."""
    assert not app.conf.task_always_eager, "this test needs a real broker (the services pass)"
    server = RedisServer(_free_port(), tmp_path)
    server.start()
    original = app.conf.broker_url
    _use_broker(server.url)
    try:
        yield server
    finally:
        server.stop()
        _use_broker(original)


def _wait_for(predicate, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return predicate()


def test_the_code_is_sent_once_after_the_broker_comes_back(own_broker, client, settings, caplog):
    """ACC-4: Redis down → the page still says the code is on its way; Redis back → exactly one SMS."""
    doctor = UserFactory(checked=True, phone=PHONE)
    client.force_login(doctor)
    sms = lambda: read_file_outbox(settings.SMS_FILE_PATH)  # noqa: E731

    own_broker.stop()
    assert not own_broker.is_up()
    started = time.monotonic()
    response = client.post(reverse("accounts:verify_phone"), {"action": "send", "phone": PHONE})
    elapsed = time.monotonic() - started

    # The action was saved and the doctor is told the code is coming, not shown an error page.
    assert response.status_code == 200
    assert "校验码已发送至 151****0658，5 分钟内有效" in response.content.decode()
    assert elapsed < 3, f"the page waited {elapsed:.1f}s for the dead broker"
    print(f"page answered in {elapsed:.2f}s with the broker down")
    # The kick after COMMIT really failed (and was swallowed): this is the outage path, not luck.
    assert "outbox: broker unavailable" in caplog.text
    assert PHONE not in caplog.text
    message = OutboundMessage.objects.get()
    assert message.status == OutboundMessage.Status.PENDING
    assert sms() == []

    # The broker is back; a worker runs and beat's periodic retry fires (as beat would: .delay()).
    own_broker.start()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        outbox_drain.delay()
        assert _wait_for(lambda: len(sms()) >= 1), "the pending SMS was never sent"
        # A second run (beat again, or a duplicate delivery) sends nothing more.
        outbox_drain.delay()
        outbox_drain.delay()
        assert _wait_for(
            lambda: not OutboundMessage.objects.filter(status=OutboundMessage.Status.PENDING).exists()
        )
        time.sleep(1.0)  # give the extra runs time to (not) send
    messages = sms()
    assert len(messages) == 1 and messages[0]["to"] == PHONE
    message.refresh_from_db()
    assert message.status == OutboundMessage.Status.SENT and message.body == ""

    # The code that finally arrived verifies the phone.
    code = re.search(r"\b(\d{6})\b", messages[0]["text"]).group(1)
    response = client.post(
        reverse("accounts:verify_phone"), {"action": "confirm", "confirm-phone": PHONE, "confirm-code": code}
    )
    assert response.status_code == 302
    doctor.refresh_from_db()
    assert doctor.phone_verified

    # Draining again, directly, still sends nothing.
    from docregsys.messaging.services import outbox_drain as drain_now

    assert drain_now() == 0
    assert len(sms()) == 1


def test_with_the_broker_up_the_kick_after_commit_sends_at_once(own_broker, client, settings):
    """ACC-4: normally no retry is needed: the kick after COMMIT reaches the worker, which sends the code."""
    doctor = UserFactory(checked=True, phone=PHONE)
    client.force_login(doctor)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        response = client.post(reverse("accounts:verify_phone"), {"action": "send", "phone": PHONE})
        assert response.status_code == 200
        assert _wait_for(lambda: len(read_file_outbox(settings.SMS_FILE_PATH)) == 1), "the kick was lost"
    assert OutboundMessage.objects.get().status == OutboundMessage.Status.SENT
