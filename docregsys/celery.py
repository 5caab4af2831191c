"""The Celery application: settings come from Django's, prefixed CELERY_."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "docregsys.settings")

app = Celery("docregsys")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="docregsys.ping")
def ping() -> str:
    """A task with no side effects, used by /healthz?worker=1 and the worker test."""
    return "pong"
