"""Working days on China's official calendar (chinesecalendar), with overrides for uncovered years."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

import chinese_calendar

PUBLICATION_WORKING_DAYS = 20  # results are public within 20 working days of being recorded


class CalendarGap(LookupError):
    """The official calendar for this date is not known (neither the library nor an override has it)."""


def is_working_day(day: date, overrides: Mapping[date, bool] | None = None) -> bool:
    """Return True if `day` is an official working day; overrides (admin-maintained) win."""
    if overrides and day in overrides:
        return overrides[day]
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        # A year the library lacks: its holidays and make-up days come from the override table, and
        # other days follow the Monday-Friday week. With no entry at all for the year, refuse to guess.
        if overrides and any(d.year == day.year for d in overrides):
            return day.weekday() < 5
        raise CalendarGap(
            f"the official calendar for {day.year} is not available; add its holidays and make-up "
            "working days to the override table"
        ) from None


def add_working_days(start: date, n: int, overrides: Mapping[date, bool] | None = None) -> date:
    """Return the n-th working day after `start` (start itself not counted)."""
    day, counted = start, 0
    while counted < n:
        day += timedelta(days=1)
        if is_working_day(day, overrides):
            counted += 1
    return day


def working_days_between(start: date, end: date, overrides: Mapping[date, bool] | None = None) -> int:
    """Count working days after `start` up to and including `end` (0 if end <= start)."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day, overrides):
            count += 1
    return count


class WorkdayCounter:
    """working_days_between with each calendar day looked up once (for reports over many results)."""

    def __init__(self, overrides: Mapping[date, bool] | None = None) -> None:
        self.overrides = overrides
        self._working: dict[date, bool] = {}

    def _is_working(self, day: date) -> bool:
        known = self._working.get(day)
        if known is None:
            known = self._working[day] = is_working_day(day, self.overrides)
        return known

    def between(self, start: date, end: date) -> int:
        """Count working days after `start` up to and including `end`, as working_days_between does."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            count += self._is_working(day)
        return count
