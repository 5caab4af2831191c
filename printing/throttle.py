"""Counting public lookups (PUB-1): per client and per looked-up target, per minute and per day.

The counters live in the cache (Redis in production): `add` then `incr` is atomic there, so two
requests at once cannot both slip under a limit (DRF's throttles read, then write, and can). Keys hold
keyed digests only: no IP address, name or number is stored in the clear.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

# (window in seconds, lookups allowed per window), per key.
PAGE_LIMITS = ((60, 10), (86400, 100))
# The API has no captcha: an anonymous client gets less than a person with the page does; a client with
# an API token (any role) is counted per account instead.
API_ANONYMOUS_LIMITS = ((60, 5), (86400, 30))
API_ACCOUNT_LIMITS = ((60, 30), (86400, 1000))

THROTTLED_MESSAGE = _("查询过于频繁，请%(seconds)s秒后再试。")


class LookupThrottled(Exception):
    """Over a limit: `retry_after` seconds until the window that refused ends."""

    def __init__(self, retry_after: int):
        super().__init__(retry_after)
        self.retry_after = max(1, int(retry_after))

    @property
    def message(self) -> str:
        return str(THROTTLED_MESSAGE % {"seconds": self.retry_after})


def lookup_key(purpose: str, value: str) -> str:
    """A counter's key: a keyed digest of the client or target, never the clear value."""
    return f"{purpose}:{salted_hmac('docregsys.verify.' + purpose, value or '').hexdigest()[:32]}"


def _count(key: str, window: int, now: float) -> int:
    # LOOKUP_QUOTA_PREFIX: counters of separate runs kept apart (each test sets its own) without flushing the cache.
    prefix = getattr(settings, "LOOKUP_QUOTA_PREFIX", "")
    bucket = f"verify-quota:{prefix}{key}:{window}:{int(now // window)}"
    cache.add(bucket, 0, timeout=window + 5)
    try:
        return cache.incr(bucket)
    except ValueError:  # expired between add and incr
        cache.add(bucket, 1, timeout=window + 5)
        return 1


def lookup_take(*keys: str, limits=PAGE_LIMITS, now: float | None = None) -> None:
    """Count one lookup against every key; raise LookupThrottled when any key is over a limit.

    A refused lookup is counted too: a client that keeps trying stays refused until the window ends."""
    now = time.time() if now is None else now
    refused = 0
    for key in keys:
        for window, limit in limits:
            if _count(key, window, now) > limit:
                refused = max(refused, window - int(now % window))
    if refused:
        raise LookupThrottled(refused)
