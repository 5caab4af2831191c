"""The Celery application: settings come from Django's, prefixed CELERY_."""

import os

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "docregsys.settings")

app = Celery("docregsys")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="docregsys.ping")
def ping() -> str:
    """A task with no side effects, used by /healthz?worker=1 and the worker test."""
    return "pong"


@worker_process_init.connect
def _warm_printing(**_kwargs):
    """STACK.md: import WeasyPrint and load the font at worker start, not in the first job."""
    from printing.engine import warm

    warm()
