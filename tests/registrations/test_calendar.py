"""SPEC §12: an authority's time limit counts working days — weekends and the configured public holidays skipped."""

import datetime as dt

from registrations.calendar import add_working_days


def test_weekends_are_not_working_days():
    """Friday + 1 working day is Monday; 20 working days from a Monday are four weeks later."""
    friday = dt.date(2026, 11, 27)
    assert add_working_days(friday, 1) == dt.date(2026, 11, 30)
    assert add_working_days(dt.date(2026, 11, 30), 20) == dt.date(2026, 12, 28)


def test_public_holidays_are_skipped(settings):
    """The 2026 National Day week (1–7 October) adds five working days to a limit that crosses it."""
    settings.PUBLIC_HOLIDAYS = [f"2026-10-0{day}" for day in range(1, 8)]
    assert add_working_days(dt.date(2026, 9, 30), 1) == dt.date(2026, 10, 8)
    settings.PUBLIC_HOLIDAYS = []
    assert add_working_days(dt.date(2026, 9, 30), 1) == dt.date(2026, 10, 1)


def test_a_province_may_promise_less():
    """湖南's portal promises 12 working days: the due date is that much sooner than the statutory 20."""
    start = dt.date(2026, 11, 30)
    assert add_working_days(start, 12) < add_working_days(start, 20)
    assert add_working_days(start, 0) == start
