"""A real Celery worker takes a task from the real Redis broker (issue 3; runs on .ci/run's second pass)."""

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from docregsys.celery import app, ping


@pytest.mark.services
def test_a_task_goes_through_redis_to_a_real_worker():
    assert not app.conf.task_always_eager
    assert app.conf.broker_url.startswith("redis://")
    broker = redis.Redis.from_url(settings.REDIS_URL)
    queue = app.conf.task_default_queue or "celery"
    broker.delete(queue)

    result = ping.delay()
    # The message sits in Redis until a worker takes it.
    assert broker.llen(queue) == 1

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        assert result.get(timeout=20) == "pong"
    assert broker.llen(queue) == 0
