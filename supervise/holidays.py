"""The official calendar as stored: administrators' day entries and years, and the deadlines they move.

Every deadline counted in working days (inspection results' publication, the credit lists' procedure)
reads its calendar here, so one table of entries serves all of them. When a year is entered or a day is
changed, every stored deadline that reaches into that year is recomputed in the same transaction."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from supervise import audit, clock
from supervise.errors import field_error
from supervise.models import CalendarOverride, CalendarYear
from supervise.workdays import WorkCalendar, library_covers

log = logging.getLogger(__name__)
NOTICE_MAX = 128
FIRST_YEAR, LAST_YEAR = 2004, 2100  # chinesecalendar starts in 2004; beyond 2100 is a typing error


def work_calendar(session: Session) -> WorkCalendar:
    """The official calendar: the library plus the administrators' entries and completed years."""
    overrides = {o.day: o.working for o in session.exec(select(CalendarOverride)).all()}
    complete = session.exec(select(CalendarYear.year).where(col(CalendarYear.complete).is_(True))).all()
    return WorkCalendar(overrides=overrides, complete_years=frozenset(complete))


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise field_error("year", f"年份应在 {FIRST_YEAR} 至 {LAST_YEAR} 之间")


def set_day(session: Session, *, day: date, working: bool, note: str, actor: str) -> dict[str, int]:
    """Set one official working or non-working day and recompute the deadlines it moves."""
    _check_year(day.year)
    row = session.get(CalendarOverride, day) or CalendarOverride(day=day, working=working)
    row.working, row.note = working, note[:64]
    session.add(row)
    session.flush()
    moved = recompute_deadlines(session, since=date(day.year, 1, 1))
    audit.record(
        session,
        actor=actor,
        action="calendar.override_set",
        object_type="calendar",
        object_id=day.isoformat(),
        payload={"working": working, "note": note[:64], "deadlines_recomputed": moved},
    )
    return moved


def enter_year(
    session: Session,
    *,
    year: int,
    notice: str,
    holidays: Iterable[date],
    workdays: Iterable[date],
    complete: bool,
    actor: str,
) -> dict[str, Any]:
    """Enter a year's holidays and 调休 working days from the State Council notice, replacing earlier entries."""
    _check_year(year)
    notice = notice.strip()
    if not notice:
        raise field_error("notice", "请填写国务院办公厅通知的文号")
    if len(notice) > NOTICE_MAX:
        raise field_error("notice", f"通知文号不能超过 {NOTICE_MAX} 个字符")
    off, on = sorted(set(holidays)), sorted(set(workdays))
    for name, days in (("holidays", off), ("workdays", on)):
        stray = [d for d in days if d.year != year]
        if stray:
            label = "放假日期" if name == "holidays" else "调休上班日期"
            raise field_error(name, f"{label}中的 {stray[0].isoformat()} 不在 {year} 年")
    both = sorted(set(off) & set(on))
    if both:
        raise field_error("workdays", f"{both[0].isoformat()} 不能既是放假日期又是调休上班日期")
    if complete and not off:
        raise field_error("holidays", "完整录入的年份至少应有一个法定节假日")
    row = session.get(CalendarYear, year, with_for_update=True) or CalendarYear(year=year)
    for old in session.exec(
        select(CalendarOverride).where(
            col(CalendarOverride.day) >= date(year, 1, 1), col(CalendarOverride.day) <= date(year, 12, 31)
        )
    ).all():
        session.delete(old)
    session.flush()
    source = notice[:64]
    for day in off:
        session.add(CalendarOverride(day=day, working=False, note=source))
    for day in on:
        session.add(CalendarOverride(day=day, working=True, note=source))
    row.notice, row.complete, row.updated_at, row.updated_by = notice, complete, clock.now(), actor[:64]
    session.add(row)
    session.flush()
    moved = recompute_deadlines(session, since=date(year, 1, 1))
    summary = {
        "year": year,
        "notice": notice,
        "holidays": len(off),
        "workdays": len(on),
        "complete": complete,
        "deadlines_recomputed": moved,
    }
    audit.record(
        session,
        actor=actor,
        action="calendar.year_entered",
        object_type="calendar_year",
        object_id=year,
        payload=summary,
    )
    return summary


# The domains own their deadlines: each registers how to recount its own (inspections.results, credit.services).
DeadlineRecounter = Callable[..., dict[str, int]]  # (session, *, calendar, since) -> moved per kind
_recounters: list[DeadlineRecounter] = []


def counts_deadlines(recounter: DeadlineRecounter) -> DeadlineRecounter:
    """Register a domain's recount of its stored working-day deadlines (used as a decorator)."""
    if recounter not in _recounters:
        _recounters.append(recounter)
    return recounter


def recompute_deadlines(session: Session, *, since: date) -> dict[str, int]:
    """Recompute every stored working-day deadline that falls on or after `since`; return counts per kind."""
    calendar = work_calendar(session)
    moved: dict[str, int] = {}
    for recount in _recounters:
        moved.update(recount(session, calendar=calendar, since=since))
    if any(moved.values()):
        log.info("calendar change moved deadlines since %s: %s", since, moved)
    return moved


def years_overview(session: Session, *, around: int | None = None) -> list[dict[str, Any]]:
    """The calendar's state for the years around `around` (default: this year) and every entered year."""
    this_year = around or clock.today().year
    entered = {r.year: r for r in session.exec(select(CalendarYear)).all()}
    counts: dict[int, list[int]] = {}
    for o in session.exec(select(CalendarOverride)).all():
        counts.setdefault(o.day.year, [0, 0])[1 if o.working else 0] += 1
    years = sorted({*range(this_year - 1, this_year + 3), *entered, *counts})
    out = []
    for year in years:
        row = entered.get(year)
        if library_covers(year) and not (row and row.complete):
            status, label = "library", "官方日历（系统内置的国务院放假安排）"
        elif row and row.complete:
            status, label = "complete", "已完整录入"
        elif row or year in counts:
            status, label = "partial", "录入中（期限暂按工作日计算）"
        else:
            status, label = "missing", "未录入（期限暂按工作日计算）"
        holidays, workdays = counts.get(year, [0, 0])
        out.append(
            {
                "year": year,
                "status": status,
                "label": label,
                "official": status in ("library", "complete"),
                "notice": row.notice if row else "",
                "holidays": holidays,
                "workdays": workdays,
                "updated_at": row.updated_at if row else None,
                "updated_by": row.updated_by if row else "",
            }
        )
    return out


def parse_days(text: str, *, field: str) -> list[date]:
    """Parse dates and ranges ('2027-01-01', '2027-02-06..2027-02-12' or with '~' / '至') from free text."""
    days: list[date] = []
    for token in text.replace("，", ",").replace("、", ",").replace(",", " ").split():
        for sep in ("..", "~", "至"):
            if sep in token:
                first, _, last = token.partition(sep)
                break
        else:
            first = last = token
        try:
            start, end = date.fromisoformat(first), date.fromisoformat(last)
        except ValueError:
            raise field_error(
                field, f"无法识别的日期“{token[:32]}”，应为 YYYY-MM-DD 或 YYYY-MM-DD..YYYY-MM-DD"
            ) from None
        if end < start or (end - start).days > 31:
            raise field_error(field, f"日期范围“{token[:32]}”无效（结束早于开始或超过 31 天）")
        days.extend(date.fromordinal(o) for o in range(start.toordinal(), end.toordinal() + 1))
    return days
