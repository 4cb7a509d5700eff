"""Supervision periods as users write them: a quarter (2026Q3) or, for reports, a whole year (2026). Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from supervise.errors import field_error

FIRST_YEAR, LAST_YEAR = 2000, 2100  # the years a plan, schedule or report can be about
QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
YEAR = re.compile(r"^\d{4}$")


@dataclass(frozen=True)
class SupervisionPeriod:
    start: date
    end: date
    year: int
    quarter: int | None  # None: the whole year


def check_year(year: int) -> None:
    """Refuse a year no supervision period can be in."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise field_error("period", f"年份应在 {FIRST_YEAR} 至 {LAST_YEAR} 之间")


def parse_period(text: str, *, whole_year: bool = False) -> SupervisionPeriod:
    """The days of a quarter written like 2026Q3 (or, when whole_year, of a year written like 2026)."""
    text = text or ""
    if whole_year and YEAR.match(text):
        year = int(text)
        check_year(year)
        return SupervisionPeriod(date(year, 1, 1), date(year, 12, 31), year, None)
    match = QUARTER.match(text)
    if not match:
        raise field_error("period", f"期间应为季度，如 2026Q3，而不是 {text}")
    year, quarter = int(match.group(1)), int(match.group(2))
    check_year(year)
    start = date(year, 3 * quarter - 2, 1)
    end = (date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)) - timedelta(days=1)
    return SupervisionPeriod(start, end, year, quarter)


def period_label(text: str) -> str:
    """A period as users read it: 2026Q4 -> 2026年第四季度, 2026 -> 2026年 (anything else as it is)."""
    match = QUARTER.match(text)
    if match:
        return f"{match.group(1)}年第{'一二三四'[int(match.group(2)) - 1]}季度"
    return f"{text}年" if YEAR.match(text) else text
