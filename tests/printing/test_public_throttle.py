"""PUB-1 lookup counters: per minute and per day, atomic under concurrent requests, digests only in keys."""

import threading

import pytest

from printing.throttle import LookupThrottled, lookup_key, lookup_take


def test_the_eleventh_lookup_of_a_minute_is_refused_until_the_minute_ends():
    key = lookup_key("client", "192.0.2.1")
    now = 1_800_000_000.0 + 15  # 15 seconds into a minute
    for _ in range(10):
        lookup_take(key, now=now)
    with pytest.raises(LookupThrottled) as refused:
        lookup_take(key, now=now)
    assert refused.value.retry_after == 45
    lookup_take(key, now=now + 60)  # the next minute


def test_the_day_limit_holds_across_minutes():
    key = lookup_key("client", "192.0.2.2")
    limits = ((60, 10), (86400, 3))
    start = 1_800_000_000.0 - (1_800_000_000 % 86400)  # midnight UTC
    for minute in range(3):
        lookup_take(key, limits=limits, now=start + 60 * minute)
    with pytest.raises(LookupThrottled) as refused:
        lookup_take(key, limits=limits, now=start + 600)
    assert refused.value.retry_after == 86400 - 600
    assert "查询过于频繁" in refused.value.message


def test_keys_hold_no_clear_address_or_name():
    assert "192.0.2.1" not in lookup_key("client", "192.0.2.1")
    assert "刘建国" not in lookup_key("person", "刘建国\n432020000000012")
    assert lookup_key("client", "x") != lookup_key("person", "x")


def test_concurrent_lookups_never_slip_past_the_limit():
    """PUB-1: 30 requests at once, 10 allowed: exactly 10 pass (add + incr are atomic in the cache)."""
    key = lookup_key("client", "192.0.2.3")
    passed, barrier = [], threading.Barrier(30)

    def one():
        barrier.wait()
        try:
            lookup_take(key, limits=((60, 10),), now=1_800_000_000.0)
            passed.append(1)
        except LookupThrottled:
            pass

    threads = [threading.Thread(target=one) for _ in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(passed) == 10
