"""Printing tests render in-process at commit, on both CI passes.

With REDIS_URL set (.ci/run's second pass) Celery would send the render to the broker, where no worker
listens during these tests, and every "rendered at commit" assertion would fail. Only the tests marked
`services` (the killed worker) use the real broker and a real worker.
"""

import pytest


@pytest.fixture(autouse=True)
def _renders_in_process(request):
    if request.node.get_closest_marker("services"):
        yield
        return
    from docregsys.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before
