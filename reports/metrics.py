"""Accountability metrics per department and per region for one quarter, from the stored facts (docs/reports.md).

Queries select and join in SQL; the per-unit tallies are plain Python over the selected rows, so the same
numbers feed the dashboard, the API and the PDF.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import func
from sqlalchemy.orm import undefer
from sqlmodel import Session, col, select

from credit.models import EntryEvent, LicensingCheck, ListEntry
from credit.reference import reference
from credit.services import PROBLEM_CATEGORIES
from inspections.draw.record import verify_bundle
from inspections.draw.teams import jurisdiction
from inspections.models import BUNDLE, Draw, DrawTarget, InspectionResult, Plan, Task, TaskDepartment
from reports.models import DrawVerdict
from scheduling.models import Schedule
from scheduling.services import check_year, parse_period
from supervise import clock
from supervise.holidays import work_calendar
from supervise.models import Department, Enterprise, Region, User
from supervise.workdays import WorkCalendar, WorkdayCounter

FOLLOWED_UP = frozenset({"发现问题已责令改正"})  # a problem result whose disposal is already recorded
REPAIR_DECISION_WORKING_DAYS = 10  # used when a list type's rules give no `repair_decision`
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
    "objections",
    "objections_on_time",
    "repairs",
    "repairs_on_time",
    "outcomes",
    "outcomes_honoured",
    "draws",
    "draws_verified",
)
RATES = {
    "plan_draw_rate": ("tasks_drawn_on_time", "tasks"),
    "completion_rate": ("inspected_in_window", "targets"),
    "publication_rate": ("published_on_time", "results"),
    "joint_share": ("joint_tasks", "tasks"),
    "problem_rate": ("problems", "results"),
    "followup_rate": ("followed_up", "problems"),
    "objection_rate": ("objections_on_time", "objections"),
    "repair_rate": ("repairs_on_time", "repairs"),
    "enforcement_rate": ("outcomes_honoured", "outcomes"),
    "integrity_rate": ("draws_verified", "draws"),
}


def _cst_day(ts: datetime | None) -> date | None:
    return clock.to_beijing(ts).date() if ts else None


class Tally:
    """Counters and evidence for departments and regions."""

    def __init__(self) -> None:
        self.units: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: dict.fromkeys(COUNTERS, 0))
        self.evidence: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)

    def add(self, units: Iterable[tuple[str, str]], **counts: int) -> None:
        for unit in units:
            row = self.units[unit]
            for key, n in counts.items():
                row[key] += n

    def note(self, units: Iterable[tuple[str, str]], kind: str, **fields: Any) -> None:
        for unit in units:
            self.evidence[unit].append({"kind": kind, **fields})


def _rates(row: dict[str, int]) -> dict[str, float | None]:
    return {k: (row[n] / row[d] if row[d] else None) for k, (n, d) in RATES.items()}


def _draw_key(draw: Draw) -> str:
    digest = hashlib.sha256()
    for text in (draw.record, draw.population_text, draw.inspectors_text):
        digest.update(hashlib.sha256(text.encode()).digest())
    return digest.hexdigest()


def draw_verdicts(session: Session, draws: list[Draw]) -> dict[int, bool]:
    """Whether each stored draw re-runs to its record; verdicts are cached by the files' SHA-256."""
    keys = {draw.id or 0: _draw_key(draw) for draw in draws}
    cached = {
        v.key: v.ok for v in session.exec(select(DrawVerdict).where(col(DrawVerdict.key).in_(set(keys.values())))).all()
    }
    for draw in draws:
        key = keys[draw.id or 0]
        if key not in cached:
            verdict = verify_bundle(draw.record, draw.population_text, draw.inspectors_text)
            cached[key] = verdict.ok
            session.add(DrawVerdict(key=key, ok=verdict.ok, reason="" if verdict.ok else str(verdict.difference)))
    return {draw_id: cached[key] for draw_id, key in keys.items()}


def parse_report_period(text: str) -> tuple[date, date, int, int | None]:
    """A quarter (2026Q3) or a whole year (2026): first day, last day, year, quarter or None."""
    if re.fullmatch(r"\d{4}", text or ""):
        check_year(int(text))
        return date(int(text), 1, 1), date(int(text), 12, 31), int(text), None
    start, end = parse_period(text)
    return start, end, start.year, int(text[-1])


def compute(session: Session, *, region: str, period: str, today: date) -> dict[str, Any]:
    """All metrics of a region's departments and counties for a quarter or year, with evidence rows."""
    return _compute(session, region=region, period=period, today=today)


def _compute(session: Session, *, region: str, period: str, today: date) -> dict[str, Any]:
    start, end, year, quarter = parse_report_period(period)
    prefix = jurisdiction(region)
    calendar = work_calendar(session)
    depts = {
        d.id: d for d in session.exec(select(Department).where(col(Department.region_code).startswith(prefix))).all()
    }
    regions = {
        r.code: r.name
        for r in session.exec(
            select(Region).where(col(Region.code).startswith(prefix), col(Region.level).in_(("city", "county")))
        ).all()
    }
    tally = Tally()

    def units(dept_ids: Iterable[int], region_code: str) -> list[tuple[str, str]]:
        out = [("department", depts[i].code) for i in dept_ids if i in depts]
        return [*out, ("region", region_code)]

    # --- tasks, draws, targets and results --------------------------------------------------------
    tasks = session.exec(
        select(Task, Draw)
        .join(Plan, col(Plan.id) == col(Task.plan_id))
        .outerjoin(Draw, col(Draw.task_id) == col(Task.id))
        .where(
            Plan.year == year,
            *([Plan.quarter == quarter] if quarter else []),
            col(Task.region_code).startswith(prefix),
        )
        .order_by(col(Task.code))
        # Every draw is re-verified (or its cached verdict looked up by its files' hash): load its files here.
        .options(*(undefer(getattr(Draw, attribute)) for attribute in BUNDLE.values()))
    ).all()
    task_depts: dict[int, list[int]] = defaultdict(list)
    for task_id, dept_id in session.exec(
        select(TaskDepartment.task_id, TaskDepartment.department_id).where(
            col(TaskDepartment.task_id).in_([t.id for t, _d in tasks])
        )
    ).all():
        task_depts[task_id].append(dept_id)
    task_units = {}
    single_operator = []
    verified_draws = draw_verdicts(session, [draw for _task, draw in tasks if draw is not None])
    for task, draw in tasks:
        u = units(task_depts[task.id or 0], task.region_code)
        task_units[task.id] = (u, task)
        on_time = draw is not None and _cst_day(draw.created_at) <= task.window_start  # type: ignore[operator]
        tally.add(u, tasks=1, tasks_drawn_on_time=int(on_time), joint_tasks=int(len(task_depts[task.id or 0]) > 1))
        if not on_time:
            when = _cst_day(draw.created_at).isoformat() if draw else "未抽取"  # type: ignore[union-attr]
            tally.note(u, "draw_late", task=task.code, window_start=task.window_start.isoformat(), drawn=when)
        if draw is not None:
            verified = verified_draws[draw.id or 0]
            tally.add(u, draws=1, draws_verified=int(verified))
            if not verified:
                tally.note(u, "draw_mismatch", task=task.code, draw=draw.public_id)
            if draw.single_operator:
                single_operator.append(draw.public_id)
                tally.note(u, "single_operator", task=task.code, draw=draw.public_id)
    targets = session.exec(
        select(  # type: ignore[call-overload]
            col(DrawTarget.task_id),
            col(DrawTarget.id),
            col(InspectionResult.inspected_on),
            col(InspectionResult.publish_due),
            col(InspectionResult.published_at),
            col(InspectionResult.category),
            col(Enterprise.uscc),
        )
        .join(Enterprise, col(Enterprise.id) == col(DrawTarget.enterprise_id))
        .outerjoin(InspectionResult, col(InspectionResult.target_id) == col(DrawTarget.id))
        .where(col(DrawTarget.task_id).in_(list(task_units)))
    ).all()
    listed_from = set(
        session.exec(select(ListEntry.source_target_id).where(col(ListEntry.source_target_id).is_not(None))).all()
    )
    counter = WorkdayCounter(calendar)
    # Per task first (targets, in window, results, on time, problems, followed up), then once per unit.
    per_task: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0, 0])
    for task_id, target_id, inspected, due, published, category, uscc in targets:
        c = per_task[task_id]
        task = task_units[task_id][1]
        closed = task.window_end < today  # completion is judged once the inspection window has closed
        if inspected is None:
            c[0] += closed
            continue
        c[0] += closed
        c[1] += closed and task.window_start <= inspected <= task.window_end
        problem = category in PROBLEM_CATEGORIES
        pub_day = _cst_day(published)
        on_time = pub_day is not None and pub_day <= due
        c[2] += 1
        c[3] += on_time
        c[4] += problem
        c[5] += problem and (category in FOLLOWED_UP or target_id in listed_from)
        if not on_time and (pub_day is not None or today > due):
            tally.note(
                task_units[task_id][0],
                "publication_overdue",
                task=task.code,
                uscc=uscc,
                due=due.isoformat(),
                working_days=counter.between(due, pub_day or today),
                published=pub_day.isoformat() if pub_day else None,
            )
    for task_id, c in per_task.items():
        tally.add(
            task_units[task_id][0],
            targets=c[0],
            inspected_in_window=c[1],
            results=c[2],
            published_on_time=c[3],
            problems=c[4],
            followed_up=c[5],
        )
    _credit(session, tally, depts=depts, prefix=prefix, start=start, end=end, today=today, calendar=calendar)
    schedules: dict[str, dict[str, Any]] = {}
    for sched in session.exec(
        select(Schedule).where(col(Schedule.period).startswith(period), col(Schedule.region_code).startswith(prefix))
    ).all():
        summary = json.loads(sched.summary)  # a year adds up its quarters' schedules
        acc = schedules.setdefault(sched.region_code, {"repeat_checks_avoided": 0, "firms_over_cap": 0})
        acc["repeat_checks_avoided"] += summary["repeat_checks_avoided"]
        acc["firms_over_cap"] += summary["firms_over_cap"]
    return _assemble(
        tally,
        depts=depts,
        regions=regions,
        schedules=schedules,
        single_operator=single_operator,
        region=region,
        period=period,
        start=start,
        end=end,
    )


def _credit(
    session: Session,
    tally: Tally,
    *,
    depts: dict[int | None, Department],
    prefix: str,
    start: date,
    end: date,
    today: date,
    calendar: WorkCalendar,
) -> None:
    rules = reference(session).rules
    entries = session.exec(
        select(ListEntry, Department)
        .join(Department, col(Department.id) == col(ListEntry.department_id))
        .where(col(Department.region_code).startswith(prefix))
    ).all()
    decisions = {
        entry_id: _cst_day(at)
        for entry_id, at in session.exec(
            select(EntryEvent.entry_id, func.max(EntryEvent.at))
            .where(col(EntryEvent.action).in_(("approve_repair", "reject_repair")))
            .group_by(col(EntryEvent.entry_id))
        ).all()
    }
    for entry, dept in entries:
        u = [("department", dept.code), ("region", dept.region_code)]
        if entry.objected_on and start <= entry.objected_on <= end and entry.objection_due:
            answered = entry.objection_answered_on
            ok = answered is not None and answered <= entry.objection_due
            if answered is not None or today > entry.objection_due:
                tally.add(u, objections=1, objections_on_time=int(ok))
                if not ok:
                    tally.note(
                        u,
                        "objection_late",
                        entry=entry.id,
                        due=entry.objection_due.isoformat(),
                        answered=answered.isoformat() if answered else None,
                    )
        if entry.repair_applied_on and start <= entry.repair_applied_on <= end:
            period_rule = rules[entry.list_type].repair_decision
            due = (
                period_rule.after(entry.repair_applied_on, calendar)
                if period_rule
                else calendar.add_working_days(entry.repair_applied_on, REPAIR_DECISION_WORKING_DAYS)
            )
            decided = decisions.get(entry.id or 0)
            if decided is not None or today > due:
                ok = decided is not None and decided <= due
                tally.add(u, repairs=1, repairs_on_time=int(ok))
                if not ok:
                    tally.note(
                        u,
                        "repair_late",
                        entry=entry.id,
                        due=due.isoformat(),
                        decided=decided.isoformat() if decided else None,
                    )
    checks = session.exec(
        select(LicensingCheck, Enterprise, User)
        .join(Enterprise, col(Enterprise.id) == col(LicensingCheck.enterprise_id))
        .outerjoin(User, col(User.id) == col(LicensingCheck.checked_by))
        .where(col(LicensingCheck.outcome_reported_at).is_not(None), col(Enterprise.region_code).startswith(prefix))
    ).all()
    for check, ent, user in checks:
        day = _cst_day(check.outcome_reported_at)
        if day is None or not start <= day <= end:
            continue
        lic_dept = depts.get(user.department_id) if user else None
        u = [("region", ent.region_code), *([("department", lic_dept.code)] if lic_dept else [])]
        tally.add(u, outcomes=1, outcomes_honoured=int(not check.breach))
        if check.breach:
            tally.note(u, "breach", check=check.public_id, uscc=ent.uscc, matter=check.matter, decision=check.decision)


def _assemble(
    tally: Tally,
    *,
    depts: dict[int | None, Department],
    regions: dict[str, str],
    schedules: dict[str, dict[str, Any]],
    single_operator: list[str],
    region: str,
    period: str,
    start: date,
    end: date,
) -> dict[str, Any]:
    names = {("department", d.code): d.name for d in depts.values()} | {("region", c): n for c, n in regions.items()}
    rows: dict[str, list[dict[str, Any]]] = {"department": [], "region": []}
    for (kind, code), counts in sorted(tally.units.items()):
        sched = schedules.get(code) if kind == "region" else None
        rows[kind].append(
            {
                "kind": kind,
                "code": code,
                "name": names.get((kind, code), code),
                "counts": counts,
                "rates": _rates(counts),
                "repeat_checks_avoided": sched["repeat_checks_avoided"] if sched else None,
                "firms_over_cap": sched["firms_over_cap"] if sched else None,
                "evidence": tally.evidence.get((kind, code), []),
            }
        )
    total = dict.fromkeys(COUNTERS, 0)
    for row in rows["region"]:
        for key in COUNTERS:
            total[key] += row["counts"][key]
    return {
        "region": region,
        "region_name": regions.get(region, region),
        "period": period,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "total": {"counts": total, "rates": _rates(total)},
        "schedules": {
            code: {"repeat_checks_avoided": s["repeat_checks_avoided"], "firms_over_cap": s["firms_over_cap"]}
            for code, s in sorted(schedules.items())
        },
        "single_operator_draws": sorted(single_operator),
        "departments": rows["department"],
        "regions": rows["region"],
    }
