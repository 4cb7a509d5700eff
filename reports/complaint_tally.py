"""投诉举报 in the accountability tally (pure): 签收 and 办结 by their deadlines, the share found 属实, repeat
complaints and the average handling time, with the evidence of every late step. reports.tally calls it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from supervise.workdays import WorkCalendar, WorkdayCounter

Unit = tuple[str, str]
COUNTERS = (
    "complaints",
    "complaints_sign_due",
    "complaints_signed_on_time",
    "complaints_close_due",
    "complaints_closed_on_time",
    "complaints_verified",
    "complaints_substantiated",
    "complaints_repeat",
    "complaints_closed",
    "complaint_handling_days",
)
RATES = {
    "complaint_sign_rate": ("complaints_signed_on_time", "complaints_sign_due"),
    "complaint_close_rate": ("complaints_closed_on_time", "complaints_close_due"),
    "complaint_substantiated_share": ("complaints_substantiated", "complaints_verified"),
    "complaint_repeat_rate": ("complaints_repeat", "complaints"),
    # working days per closed 工单: a ratio like the rest, but shown as days, not a percentage
    "complaint_avg_days": ("complaint_handling_days", "complaints_closed"),
}
SUBSTANTIATED = frozenset({"属实", "部分属实"})


@dataclass(frozen=True)
class ComplaintRow:
    """A 工单 received in the period, with its handling department and the days of its steps (Beijing time)."""

    ticket_no: str
    department: str | None  # not yet routed: counted for its region only
    region_code: str | None
    received_on: date
    sign_due: date
    close_due: date
    signed_on: date | None = None
    closed_on: date | None = None
    finding: str | None = None
    repeat: bool = False


def tally_complaints(
    rows: Iterable[ComplaintRow],
    *,
    start: date,
    end: date,
    today: date,
    calendar: WorkCalendar,
    add: Callable[..., None],
    note: Callable[..., None],
) -> None:
    """Count each 工单 received in the period; a step counts once it is taken or its deadline has passed."""
    counter = WorkdayCounter(calendar)
    for c in rows:
        if not start <= c.received_on <= end:
            continue
        units: list[Unit] = [("department", c.department)] if c.department else []
        if c.region_code:
            units.append(("region", c.region_code))
        add(units, complaints=1, complaints_repeat=int(c.repeat))
        for step, due, done, (counted, on_time) in (
            ("sign", c.sign_due, c.signed_on, ("complaints_sign_due", "complaints_signed_on_time")),
            ("close", c.close_due, c.closed_on, ("complaints_close_due", "complaints_closed_on_time")),
        ):
            if done is None and today <= due:
                continue  # neither taken nor due yet
            ok = done is not None and done <= due
            add(units, **{counted: 1, on_time: int(ok)})
            if not ok:
                days = counter.between(due, done or today)
                note(units, f"complaint_{step}_late", ticket=c.ticket_no, due=due.isoformat(), working_days=days)
        if c.closed_on is not None:
            add(units, complaints_closed=1, complaint_handling_days=counter.between(c.received_on, c.closed_on))
        if c.finding is not None:
            add(units, complaints_verified=1, complaints_substantiated=int(c.finding in SUBSTANTIATED))
