"""The one clock of the application: timestamps in UTC, dates in Beijing time (Asia/Shanghai).

Services, forms, jobs and tests all ask this module, never `date.today()` or `datetime.now()`, so the
machine's own time zone can never decide which day it is. Tests install a FixedClock to set the time."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

log = logging.getLogger(__name__)

BEIJING = ZoneInfo("Asia/Shanghai")


class Clock(Protocol):
    def now(self) -> datetime:
        """Return the current instant as an aware datetime."""
        ...


class SystemClock:
    """The machine's clock, read in UTC."""

    def now(self) -> datetime:
        """Return the machine's current instant in UTC."""
        return datetime.now(UTC)


class FixedClock:
    """A clock that stays where it is set (for tests and replays)."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self.at = at

    def now(self) -> datetime:
        """Return the instant the clock is set to."""
        return self.at

    def set(self, at: datetime) -> None:
        """Move the clock to `at` (aware)."""
        if at.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self.at = at


class OffsetClock:
    """The machine's clock moved to start at another instant, and ticking from there (for test servers)."""

    def __init__(self, start: datetime) -> None:
        self.offset = start - datetime.now(UTC)

    def now(self) -> datetime:
        """Return the moved instant."""
        return datetime.now(UTC) + self.offset


_clock: Clock = SystemClock()


def install(clock: Clock) -> Clock:
    """Make `clock` the application's clock; return the one it replaces."""
    global _clock
    previous, _clock = _clock, clock
    return previous


@contextmanager
def using(clock: Clock) -> Iterator[Clock]:
    """Use `clock` inside the block, then restore the previous one."""
    previous = install(clock)
    try:
        yield clock
    finally:
        install(previous)


def now() -> datetime:
    """Return the current instant as an aware UTC datetime (what every table stores)."""
    return _clock.now().astimezone(UTC)


def beijing_now() -> datetime:
    """Return the current instant in Beijing time."""
    return _clock.now().astimezone(BEIJING)


def today() -> date:
    """Return today's date in Beijing time."""
    return beijing_now().date()


def to_beijing(ts: datetime) -> datetime:
    """Convert a timestamp (aware, or naive meaning UTC) to Beijing time."""
    return (ts if ts.tzinfo else ts.replace(tzinfo=UTC)).astimezone(BEIJING)


_UTC_PLUS_8 = timedelta(hours=8)


def beijing_date(ts: datetime) -> date:
    """Return the Beijing calendar date of a stored timestamp."""
    if ts.tzinfo is None and ts.year >= 1992:  # stored UTC; UTC+8 all year since 1992: no zone lookup (reports)
        return (ts + _UTC_PLUS_8).date()
    return to_beijing(ts).date()
