"""Fixtures of the import tests."""

import contextlib

import pytest
from celery.contrib.testing.worker import start_worker

from docregsys.celery import app


@pytest.fixture
def import_worker():
    """A real Celery worker while the test runs when a broker is configured; nothing when tasks run eagerly."""
    if app.conf.task_always_eager:
        context = contextlib.nullcontext()
    else:
        context = start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10)
    with context:
        yield
