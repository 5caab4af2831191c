"""Working days for the authorities' time limits (SPEC §12: 20 working days unless a province promises less)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings


def _holidays() -> frozenset[dt.date]:
    return frozenset(dt.date.fromisoformat(day) for day in getattr(settings, "PUBLIC_HOLIDAYS", ()))


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date `days` working days after `start` (weekends and settings.PUBLIC_HOLIDAYS skipped)."""
    holidays = _holidays()
    day = start
    left = days
    while left > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            left -= 1
    return day
