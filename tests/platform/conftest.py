"""Fixtures of the platform tests: requests through the project's WSGI handler inside the test's transaction."""

import pytest
from django.core import signals
from django.db import close_old_connections


@pytest.fixture
def wsgi_keeps_the_test_transaction():
    """Requests through the WSGI handler must not close the connection that holds the test's transaction.

    Django's own test client does the same.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)
