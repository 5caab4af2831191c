"""A worker killed in the middle of a render loses nothing (issue 11 acceptance; .ci/run's second pass).

A real Celery worker (a subprocess, solo pool, its own queue) takes a score-report job from the real
Redis broker and is SIGKILLed while the row says `rendering`. The job stays in kombu's `unacked` set
(acks_late: nothing was acknowledged). A second worker, started once the delivery is older than the
visibility timeout, restores it while it starts polling (`QoS.restore_visible`, called from
`MultiChannelPoller.on_poll_init` when the transport registers with the event loop: the first call of
a process always scans) and renders it: the row ends `done`, with exactly one signed PDF on disk.

Why it is deterministic: the kombu sweep of a running worker runs only every
`unacked_restore_interval × unacked_restore_throttle` seconds (10 × 10 by default), but the first
sweep of a fresh worker happens at start. The test waits until the delivery is older than
`CELERY_VISIBILITY_TIMEOUT=5` before starting the second worker, so that first sweep finds it.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.db import connection

from printing import services
from printing.models import Document
from printing.services import document_request, documents
from printing.signing import verify_pdf
from printing.tasks import document_render_task
from tests.conftest import TEST_IDENTITY_KEY
from tests.factories import ExamResultFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

REPO = Path(__file__).resolve().parents[2]
VISIBILITY_TIMEOUT = 5


def _database_url() -> str:
    """The test database (pytest-django's test_… name) as a URL for the worker subprocess."""
    db = connection.settings_dict
    auth = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"], safe="")
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or "5432"
    return f"postgres://{auth}@{host}:{port}/{db['NAME']}"


def _wait(predicate, *, timeout: float, what: str, poll: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(poll)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def _delivered_at(broker, queue: str) -> float | None:
    """When a worker took this queue's message (kombu's `unacked` hash + `unacked_index` sorted set)."""
    for tag, raw in broker.hgetall("unacked").items():
        _message, _exchange, routing_key = json.loads(raw)
        if routing_key == queue:
            return broker.zscore("unacked_index", tag)
    return None


class Worker:
    """`celery -A docregsys worker --pool solo` in its own process group, on one queue."""

    def __init__(self, *, queue: str, env: dict, log: Path):
        self.log = log
        self._out = open(log, "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "docregsys",
                "worker",
                "--pool",
                "solo",
                "-c",
                "1",
                "-Q",
                queue,
                "-n",
                f"{queue}-{uuid.uuid4().hex[:6]}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-l",
                "info",
            ],
            cwd=REPO,
            env=env,
            stdout=self._out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: killpg reaches the whole worker
        )

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self._out.close()

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def test_a_job_whose_worker_is_killed_mid_render_is_redelivered_and_finished_once(
    settings, tmp_path, monkeypatch
):
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    private_root = tmp_path / "private"
    settings.PRIVATE_MEDIA_ROOT = str(private_root)
    queue = f"printing-kill-{uuid.uuid4().hex[:8]}"
    broker = redis.Redis.from_url(settings.REDIS_URL)

    # Route this test's render to its own queue: other tests' workers (queue "celery") never see it.
    def _queue(document_id: int) -> None:
        document_render_task.apply_async(kwargs={"document_id": document_id}, queue=queue)

    monkeypatch.setattr(services, "_queue", _queue)

    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "DJANGO_SETTINGS_MODULE": "docregsys.settings",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "PRIVATE_MEDIA_ROOT": str(private_root),
        "IDENTITY_KEY": TEST_IDENTITY_KEY,
        "PRINTING_TEST_RENDER_DELAY": "3",
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
    }
    result = ExamResultFactory(real_name="王五", written_score=412)
    workers: list[Worker] = []
    try:
        first = Worker(queue=queue, env=env, log=tmp_path / "worker-1.log")
        workers.append(first)
        document = document_request(kind="score_report", subject=result)  # autocommit: queued at once
        _wait(
            lambda: Document.objects.filter(pk=document.pk, state=Document.State.RENDERING).exists(),
            timeout=40,
            what=f"the first worker to start rendering\n{first.output()}",
        )
        # The worker holds the message, unacknowledged (acks_late), in kombu's unacked index.
        delivered_at = _wait(lambda: _delivered_at(broker, queue), timeout=5, what="the unacked delivery")
        first.kill()  # SIGKILL in the middle of the render's pause: nothing acked, nothing written
        assert Document.objects.get(pk=document.pk).state == Document.State.RENDERING
        assert not (private_root / "documents").exists() or not any((private_root / "documents").iterdir())
        assert broker.llen(queue) == 0  # not back in the queue yet: it waits for the visibility timeout

        # Start the second worker once the delivery is older than the visibility timeout: the sweep it
        # runs when it starts polling puts the message back on the queue, and it takes it.
        time.sleep(max(0.0, delivered_at + VISIBILITY_TIMEOUT + 1 - time.time()))
        second = Worker(queue=queue, env=env, log=tmp_path / "worker-2.log")
        workers.append(second)
        _wait(
            lambda: Document.objects.filter(pk=document.pk, state=Document.State.DONE).exists(),
            timeout=40,
            what=f"the redelivered job to finish\n{second.output()}",
        )
    finally:
        for worker in workers:
            worker.stop()
        broker.delete(queue)

    document.refresh_from_db()
    assert document.state == Document.State.DONE and document.render_ms >= 3000
    files = sorted(p.name for p in (private_root / "documents").iterdir())
    assert files == [f"{document.file_key}.pdf"]  # one file, no partial left behind
    pdf = documents.read(files[0])[0]
    assert pdf.startswith(b"%PDF") and len(pdf) == document.size
    signature = verify_pdf(pdf)
    assert signature["signed"] and signature["intact"] and signature["valid"]
    assert Document.objects.filter(exam_result=result).count() == 1
    assert "printing.render" in second.output()  # the second worker did the job
