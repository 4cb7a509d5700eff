"""Working days on China's official calendar: pure rules, no database.

A year is *official* when chinesecalendar covers it or when an administrator has entered the State
Council's notice for it and marked it complete. In any other year a deadline is still computed, on the
Monday-Friday week plus whatever days were entered so far, and is *provisional*: it is shown as such and
recomputed when the year is entered (supervise.holidays). No deadline ever fails for lack of a calendar."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

import chinese_calendar

# Inspection results are public within 20 working days of the end of the inspection (a visit's date: it ends the
# day it is made). The instrument could not be read here; the value is as the 总局 stated it publicly.
PUBLICATION_WORKING_DAYS = 20
PUBLICATION_SOURCE = {
    "instrument": "",
    "number": "",
    "article": None,
    "note": "双随机抽查检查结果自抽查检查结束之日起20个工作日内公示：据新华社2018年报道转引国家市场监督管理总局负责人"
    "“双随机抽查检查结果要在抽查检查结束之日起20个工作日之内及时公布”；所依据的规范性文件原文未能读到",
}
PROVISIONAL_NOTE = "暂按工作日计算，待节假日安排公布后自动更新"
# The holidays whose dates never move (《全国年节及纪念日放假办法》（2024年修订）第二条: 元旦 1月1日, 劳动节 5月1日、
# 2日, 国庆节 10月1日至3日): off even in a year whose State Council notice is not yet known. The lunar holidays and
# the 调休 come only with the notice.
FIXED_HOLIDAYS = frozenset({(1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3)})


@cache
def library_covers(year: int) -> bool:
    """Return True if the installed chinesecalendar knows the holidays of `year`."""
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


@dataclass(frozen=True)
class WorkCalendar:
    """The official calendar: the library, the administrators' day entries, and the years they completed."""

    overrides: Mapping[date, bool] = field(default_factory=dict)  # day -> working (admin-entered)
    complete_years: frozenset[int] = frozenset()  # years entered in full from the State Council notice
    # Each day is looked up once: a province's yearly report asks about the same days hundreds of thousands of times.
    _known: dict[date, bool] = field(default_factory=dict, compare=False, repr=False)

    def is_official_year(self, year: int) -> bool:
        """Return True if the holidays of `year` are known for certain."""
        return year in self.complete_years or library_covers(year)

    def is_working_day(self, day: date) -> bool:
        """Return True if `day` is a working day (provisionally Monday-Friday less the fixed holidays in a year not
        yet known)."""
        known = self._known.get(day)
        if known is None:
            if day in self.overrides:
                known = self.overrides[day]
            elif library_covers(day.year):
                known = bool(chinese_calendar.is_workday(day))
            else:
                known = day.weekday() < 5 and (day.month, day.day) not in FIXED_HOLIDAYS
            self._known[day] = known
        return known

    def add_working_days(self, start: date, n: int) -> date:
        """Return the n-th working day after `start` (start itself not counted)."""
        day, counted = start, 0
        while counted < n:
            day += timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Count working days after `start` up to and including `end` (0 if end <= start)."""
        return WorkdayCounter(self).between(start, end)

    def is_provisional(self, start: date, end: date) -> bool:
        """Return True if a count of working days from `start` to `end` rests on a year not yet known."""
        return any(not self.is_official_year(y) for y in range(min(start, end).year, max(start, end).year + 1))


STATUTORY_WEEK = WorkCalendar()  # the library alone: for pure code and tests with no administrator entries


class WorkdayCounter:
    """working_days_between with each calendar day looked up once (for reports over many results)."""

    def __init__(self, calendar: WorkCalendar) -> None:
        self.calendar = calendar
        self._working: dict[date, bool] = {}
        self._spans: dict[tuple[date, date], int] = {}  # a report counts the same (start, end) spans many times

    def _is_working(self, day: date) -> bool:
        known = self._working.get(day)
        if known is None:
            known = self._working[day] = self.calendar.is_working_day(day)
        return known

    def between(self, start: date, end: date) -> int:
        """Count working days after `start` up to and including `end`, as working_days_between does."""
        known = self._spans.get((start, end))
        if known is not None:
            return known
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            count += self._is_working(day)
        self._spans[(start, end)] = count
        return count
