"""The enforcement loop in the accountability tally (pure): 后续处置 closed by their due dates, 复查 inside their
windows, 移送 turned into 立案, cases decided within their 90 days, and the evidence of every shortfall.
reports.tally calls it with the period's rows."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

Unit = tuple[str, str]
COUNTERS = (
    "disposals",
    "disposals_closed",
    "disposals_overdue",
    "rechecks",
    "rechecks_on_time",
    "transfers",
    "transfers_filed",
    "cases",
    "cases_decided_on_time",
)
RATES = {
    "closure_rate": ("disposals_closed", "disposals"),
    "recheck_rate": ("rechecks_on_time", "rechecks"),
    "filing_rate": ("transfers_filed", "transfers"),
    "decision_rate": ("cases_decided_on_time", "cases"),
}


@dataclass(frozen=True)
class DisposalRow:
    """A 后续处置 of a department's finding, with its 复查 and its case where it has them."""

    number: str
    department: str
    region_code: str  # the task's region
    kind: str
    due: date | None
    ended_on: date | None = None  # closed, or escalated to a 移送 (Beijing date)
    recheck_end: date | None = None
    recheck_on: date | None = None
    filing_due: date | None = None  # a 移送's case: 立案 decision due
    filed_on: date | None = None
    not_filed: bool = False
    decision_due: date | None = None  # 90 days from 立案 plus approved extensions (行政处罚法 第六十条)
    decided_on: date | None = None  # a penalty, a 不予处罚 (a lawful closure) or a 移送司法机关


def tally_disposals(
    rows: Iterable[DisposalRow],
    *,
    start: date,
    end: date,
    today: date,
    add: Callable[..., None],
    note: Callable[..., None],
) -> None:
    """Count each disposal, 复查 and 移送 whose deadline falls in the period, once it is met or has passed."""
    for d in rows:
        units: list[Unit] = [("department", d.department), ("region", d.region_code)]
        _closure(d, units, start, end, today, add, note)
        if d.recheck_end and start <= d.recheck_end <= end and (d.recheck_on or today > d.recheck_end):
            ok = d.recheck_on is not None and d.recheck_on <= d.recheck_end
            add(units, rechecks=1, rechecks_on_time=int(ok))
            if not ok:
                note(units, "recheck_late", disposal=d.number, due=d.recheck_end.isoformat(), on=_iso(d.recheck_on))
        if d.filing_due and start <= d.filing_due <= end and (d.filed_on or d.not_filed or today > d.filing_due):
            add(units, transfers=1, transfers_filed=int(d.filed_on is not None))
            if d.filed_on is None and not d.not_filed:
                note(units, "filing_overdue", disposal=d.number, due=d.filing_due.isoformat())
        due = d.decision_due
        if due and start <= due <= end and (d.decided_on or today > due):
            ok = d.decided_on is not None and d.decided_on <= due
            add(units, cases=1, cases_decided_on_time=int(ok))
            if not ok:
                note(units, "decision_overdue", disposal=d.number, due=due.isoformat(), on=_iso(d.decided_on))


def _closure(
    d: DisposalRow, units: list[Unit], start: date, end: date, today: date, add: Callable[..., None], note: Any
) -> None:
    if d.due is None or not start <= d.due <= end or (d.ended_on is None and today <= d.due):
        return
    ok = d.ended_on is not None and d.ended_on <= d.due
    add(units, disposals=1, disposals_closed=int(ok), disposals_overdue=int(d.ended_on is None))
    if not ok:
        note(
            units,
            "disposal_overdue",
            disposal=d.number,
            disposal_kind=d.kind,
            due=d.due.isoformat(),
            closed=_iso(d.ended_on),
        )


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
