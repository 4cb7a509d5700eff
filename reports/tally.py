"""The accountability tally (docs/reports.md) on plain rows: what counts as on time, completed, followed up.

Nothing here touches a database or Flask. reports.metrics loads the rows of a region and period, this module
adds them up per department and per region with the evidence behind every shortfall, and the same numbers feed
the dashboard, the API and the PDF.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from credit.rules import PROBLEM_CATEGORIES, Period
from reports import complaint_tally, enforcement
from reports.complaint_tally import ComplaintRow
from reports.enforcement import DisposalRow
from supervise.workdays import WorkCalendar, WorkdayCounter

Unit = tuple[str, str]  # ("department", code) or ("region", code)

REVIEW_WORKING_DAYS = 5  # a confirmed result is reviewed within this many working days (本地设定)
REPAIR_DECISION_WORKING_DAYS = 10  # used when a list type's rules give no `repair_decision` (本地设定)
COUNTERS = (
    "tasks",
    "tasks_drawn_on_time",
    "joint_tasks",
    "targets",
    "inspected_in_window",
    "results",
    "published_on_time",
    "problems",
    "followed_up",
    "listings",
    "listings_on_time",
    "objections",
    "objections_on_time",
    "repairs",
    "repairs_on_time",
    "outcomes",
    "outcomes_honoured",
    "draws",
    "draws_verified",
    "recorded",
    "recorded_on_time",
    "reviews",
    "reviews_on_time",
    *enforcement.COUNTERS,
    *complaint_tally.COUNTERS,
)
RATES = {
    "plan_draw_rate": ("tasks_drawn_on_time", "tasks"),
    "completion_rate": ("inspected_in_window", "targets"),
    "publication_rate": ("published_on_time", "results"),
    "joint_share": ("joint_tasks", "tasks"),
    "problem_rate": ("problems", "results"),
    "followup_rate": ("followed_up", "problems"),
    "listing_rate": ("listings_on_time", "listings"),
    "objection_rate": ("objections_on_time", "objections"),
    "repair_rate": ("repairs_on_time", "repairs"),
    "enforcement_rate": ("outcomes_honoured", "outcomes"),
    "integrity_rate": ("draws_verified", "draws"),
    "recording_rate": ("recorded_on_time", "recorded"),
    "review_rate": ("reviews_on_time", "reviews"),
    **enforcement.RATES,
    **complaint_tally.RATES,
}


@dataclass(frozen=True)
class TaskRow:
    """A planned task of the period and its draw, if any (dates in Beijing time)."""

    code: str
    region_code: str
    departments: tuple[str, ...]  # participating department codes
    window_start: date
    window_end: date
    drawn_on: date | None = None
    draw_id: str | None = None
    draw_verified: bool = True
    single_operator: bool = False


@dataclass(frozen=True)
class TargetRow:
    """A drawn firm of a task, with its result if one was recorded."""

    task: str
    uscc: str
    inspected_on: date | None = None
    publish_due: date | None = None
    published_on: date | None = None
    category: str | None = None
    disposed: bool = False  # the result has a 后续处置 (what counts as followed up)
    record_due: date | None = None
    recorded_on: date | None = None
    confirmed_on: date | None = None
    reviewed_on: date | None = None


@dataclass(frozen=True)
class EntryRow:
    """A credit list entry of a department in the region, with what the objection and repair deadlines need."""

    id: int
    department: str
    region_code: str
    objected_on: date | None = None
    objection_due: date | None = None  # verification due (after acceptance)
    objection_answered_on: date | None = None
    repair_applied_on: date | None = None
    repair_decision: Period | None = None  # the list type's rule
    repair_decided_on: date | None = None
    objection_accept_due: date | None = None  # accept or refuse the objection by this date
    objection_accepted_on: date | None = None
    repair_due: date | None = None  # as stored when the application was registered
    decision_due: date | None = None  # list by this date (the ground's deadline); None for imported lists
    listed_on: date | None = None
    pending: bool = False  # ordered, proposed or notified: not yet decided


@dataclass(frozen=True)
class OutcomeRow:
    """A licensing office's reported outcome of a check."""

    check_id: str
    uscc: str
    region_code: str
    department: str | None  # the checking officer's department
    reported_on: date
    breach: bool
    matter: str
    decision: str
    kind: str = "breach"  # breach | outcome_unreported | licence_unchecked: the evidence a failure leaves


@dataclass
class Facts:
    """Everything the tally reads, loaded for one region and period."""

    start: date
    end: date
    today: date
    tasks: Sequence[TaskRow] = ()
    targets: Sequence[TargetRow] = ()
    entries: Sequence[EntryRow] = ()
    outcomes: Sequence[OutcomeRow] = ()
    disposals: Sequence[DisposalRow] = ()
    complaints: Sequence[ComplaintRow] = ()
    calendar: WorkCalendar = field(default_factory=WorkCalendar)


class Tally:
    """Counters and evidence for departments and regions."""

    def __init__(self) -> None:
        self.units: dict[Unit, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COUNTERS, 0))
        self.evidence: dict[Unit, list[dict[str, Any]]] = defaultdict(list)

    def add(self, units: Iterable[Unit], **counts: int) -> None:
        for unit in units:
            row = self.units[unit]
            for key, n in counts.items():
                row[key] += n

    def note(self, units: Iterable[Unit], kind: str, **fields: Any) -> None:
        for unit in units:
            self.evidence[unit].append({"kind": kind, **fields})


def rates(row: Mapping[str, int]) -> dict[str, float | None]:
    """Each rate of a unit's counters (None where nothing was due)."""
    return {k: (row[n] / row[d] if row[d] else None) for k, (n, d) in RATES.items()}


def tally(facts: Facts, *, known_departments: Iterable[str] | None = None) -> Tally:
    """Add up the period's facts per department and region, noting the evidence of every shortfall."""
    known = set(known_departments) if known_departments is not None else None
    t = Tally()
    task_units: dict[str, tuple[list[Unit], TaskRow]] = {}
    for task in facts.tasks:
        units: list[Unit] = [("department", d) for d in task.departments if known is None or d in known]
        units.append(("region", task.region_code))
        task_units[task.code] = (units, task)
        on_time = task.drawn_on is not None and task.drawn_on <= task.window_start
        t.add(units, tasks=1, tasks_drawn_on_time=int(on_time), joint_tasks=int(len(task.departments) > 1))
        if not on_time:
            drawn = task.drawn_on.isoformat() if task.drawn_on else "未抽取"
            t.note(units, "draw_late", task=task.code, window_start=task.window_start.isoformat(), drawn=drawn)
        if task.draw_id is not None:
            t.add(units, draws=1, draws_verified=int(task.draw_verified))
            if not task.draw_verified:
                t.note(units, "draw_mismatch", task=task.code, draw=task.draw_id)
            if task.single_operator:
                t.note(units, "single_operator", task=task.code, draw=task.draw_id)
    _results(t, facts, task_units)
    _credit(t, facts)
    enforcement.tally_disposals(
        facts.disposals, start=facts.start, end=facts.end, today=facts.today, add=t.add, note=t.note
    )
    complaint_tally.tally_complaints(
        facts.complaints, start=facts.start, end=facts.end, today=facts.today, calendar=facts.calendar, add=t.add,
        note=t.note,
    )  # fmt: skip
    return t


def _results(t: Tally, facts: Facts, task_units: Mapping[str, tuple[list[Unit], TaskRow]]) -> None:
    counter = WorkdayCounter(facts.calendar)
    # Per task first (targets, in window, results, on time, problems, followed up), then once per unit.
    per_task: dict[str, list[int]] = defaultdict(lambda: [0] * 10)
    review_due: dict[date, date] = {}  # confirmation day -> review deadline (few distinct days, many results)
    for row in facts.targets:
        c = per_task[row.task]
        units, task = task_units[row.task]
        closed = task.window_end < facts.today  # completion is judged once the inspection window has closed
        c[0] += closed
        if row.inspected_on is None or row.publish_due is None:
            continue
        c[1] += closed and task.window_start <= row.inspected_on <= task.window_end
        problem = row.category in PROBLEM_CATEGORIES
        on_time = row.published_on is not None and row.published_on <= row.publish_due
        c[2] += 1
        c[3] += on_time
        c[4] += problem
        c[5] += problem and row.disposed
        _recording_and_review(t, units, task, row, facts, c, review_due)
        if not on_time and (row.published_on is not None or facts.today > row.publish_due):
            t.note(
                units,
                "publication_overdue",
                task=task.code,
                uscc=row.uscc,
                due=row.publish_due.isoformat(),
                working_days=counter.between(row.publish_due, row.published_on or facts.today),
                published=row.published_on.isoformat() if row.published_on else None,
            )
    for code, c in per_task.items():
        t.add(
            task_units[code][0],
            targets=c[0],
            inspected_in_window=c[1],
            results=c[2],
            published_on_time=c[3],
            problems=c[4],
            followed_up=c[5],
            recorded=c[6],
            recorded_on_time=c[7],
            reviews=c[8],
            reviews_on_time=c[9],
        )


def _recording_and_review(
    t: Tally, units: list[Unit], task: TaskRow, row: TargetRow, facts: Facts, c: list[int], review_due: dict[date, date]
) -> None:
    """Late recording (after the recording deadline) and slow review (after REVIEW_WORKING_DAYS of confirmation);
    the counts go to the task's counters `c` (added to its units once), the evidence to the units."""
    if row.record_due is not None and row.recorded_on is not None:
        ok = row.recorded_on <= row.record_due
        c[6] += 1
        c[7] += ok
        if not ok:
            due, on = row.record_due.isoformat(), row.recorded_on.isoformat()
            t.note(units, "recording_late", task=task.code, uscc=row.uscc, due=due, recorded=on)
    if row.confirmed_on is not None:
        due_day = review_due.get(row.confirmed_on)
        if due_day is None:
            due_day = review_due[row.confirmed_on] = facts.calendar.add_working_days(
                row.confirmed_on, REVIEW_WORKING_DAYS
            )
        if row.reviewed_on is not None or facts.today > due_day:
            ok = row.reviewed_on is not None and row.reviewed_on <= due_day
            c[8] += 1
            c[9] += ok
            if not ok:
                reviewed = row.reviewed_on.isoformat() if row.reviewed_on else None
                t.note(units, "review_late", task=task.code, uscc=row.uscc, due=due_day.isoformat(), reviewed=reviewed)


def _listing(t: Tally, units: list[Unit], entry: EntryRow, facts: Facts) -> None:
    """应列未列: a listing decision due in the period, counted once it was made or its day has passed."""
    due = entry.decision_due
    if due is None or not facts.start <= due <= facts.end or not (entry.pending or entry.listed_on):
        return
    if entry.listed_on is None and facts.today <= due:
        return
    ok = entry.listed_on is not None and entry.listed_on <= due
    t.add(units, listings=1, listings_on_time=int(ok))
    if not ok:
        listed = entry.listed_on.isoformat() if entry.listed_on else None
        t.note(units, "listing_late", entry=entry.id, due=due.isoformat(), listed=listed)


def _objection(t: Tally, units: list[Unit], entry: EntryRow, today: date) -> None:
    """An objection is on time if accepted or refused by its first deadline and, if accepted, verified by the second."""
    first = entry.objection_accepted_on or entry.objection_answered_on
    steps = [(entry.objection_accept_due, first)] if entry.objection_accept_due else []
    if entry.objection_due and (entry.objection_accepted_on or not entry.objection_accept_due):
        steps.append((entry.objection_due, entry.objection_answered_on))
    if not steps:
        return
    settled = all(done is not None or today > due for due, done in steps)
    if not settled:
        return
    late = [(due, done) for due, done in steps if done is None or done > due]
    t.add(units, objections=1, objections_on_time=int(not late))
    for due, done in late[:1]:
        t.note(
            units, "objection_late", entry=entry.id, due=due.isoformat(), answered=done.isoformat() if done else None
        )


def _credit(t: Tally, facts: Facts) -> None:
    start, end, today, calendar = facts.start, facts.end, facts.today, facts.calendar
    for entry in facts.entries:
        units: list[Unit] = [("department", entry.department), ("region", entry.region_code)]
        _listing(t, units, entry, facts)
        if entry.objected_on and start <= entry.objected_on <= end:
            _objection(t, units, entry, today)
        if entry.repair_applied_on and start <= entry.repair_applied_on <= end:
            due = entry.repair_due or (
                entry.repair_decision.after(entry.repair_applied_on, calendar)
                if entry.repair_decision
                else calendar.add_working_days(entry.repair_applied_on, REPAIR_DECISION_WORKING_DAYS)
            )
            decided = entry.repair_decided_on
            if decided is not None or today > due:
                ok = decided is not None and decided <= due
                t.add(units, repairs=1, repairs_on_time=int(ok))
                if not ok:
                    t.note(
                        units,
                        "repair_late",
                        entry=entry.id,
                        due=due.isoformat(),
                        decided=decided.isoformat() if decided else None,
                    )
    for out in facts.outcomes:
        if not start <= out.reported_on <= end:
            continue
        units = [("region", out.region_code), *([("department", out.department)] if out.department else [])]
        t.add(units, outcomes=1, outcomes_honoured=int(not out.breach))
        if out.breach:
            t.note(units, out.kind, check=out.check_id, uscc=out.uscc, matter=out.matter, decision=out.decision)
