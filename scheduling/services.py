"""Build, store and read joint-inspection schedules (the stored side of scheduling.algorithm)."""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, col, delete, select

from inspections.draw.algorithm import ticket
from inspections.draw.services import ticket_key
from inspections.draw.teams import jurisdiction
from inspections.models import (
    ConflictDeclaration,
    Draw,
    DrawTarget,
    InspectionItem,
    InspectionResult,
    Task,
    TaskDepartment,
    TaskItem,
    TeamMember,
)
from scheduling.algorithm import Limits, Member, Pair, build_schedule
from scheduling.complaint_visits import complaint_pairs
from scheduling.models import Schedule, ScheduledVisit, VisitInspector
from scheduling.rechecks import recheck_pairs
from supervise import audit, clock
from supervise.canonical import canonical_json
from supervise.config import tuning
from supervise.errors import field_error
from supervise.holidays import work_calendar
from supervise.models import Department, Enterprise, Inspector, Region
from supervise.periods import parse_period
from supervise.queue import RegionJob

log = logging.getLogger(__name__)
SCHEDULE_BUILD = RegionJob(
    func="scheduling.jobs.build_schedule",
    action="schedule.build_requested",
    object_type="schedule",
    what="联合检查排期",
    description="schedule",
    timeout=1800,
)


def configured_limits() -> Limits:
    """The burden cap and daily capacity (SUPERVISE_CAP_QUARTER, SUPERVISE_CAP_YEAR, SUPERVISE_DAILY_VISITS)."""
    t = tuning()
    return Limits(per_quarter=t.cap_quarter, per_year=t.cap_year, daily_capacity=t.daily_visits)


def _inputs(session: Session, *, region: str, start: date, end: date) -> dict[str, Any]:
    """Every staffed, not yet inspected (task, firm) pair of the region whose task window meets the period."""
    prefix = jurisdiction(region)
    rows = session.exec(
        select(DrawTarget, Task, Draw, Enterprise)
        .join(Task, col(Task.id) == col(DrawTarget.task_id))
        .join(Draw, col(Draw.id) == col(DrawTarget.draw_id))
        .join(Enterprise, col(Enterprise.id) == col(DrawTarget.enterprise_id))
        .outerjoin(InspectionResult, col(InspectionResult.target_id) == col(DrawTarget.id))
        .where(
            col(Enterprise.region_code).startswith(prefix),
            col(Task.window_start) <= end,
            col(Task.window_end) >= start,
            col(DrawTarget.unstaffed_reason).is_(None),
            col(InspectionResult.id).is_(None),
        )
        .order_by(col(Task.code), col(Enterprise.uscc))
    ).all()
    task_ids = sorted({task.id or 0 for _t, task, _d, _e in rows})
    items: dict[int, list[str]] = defaultdict(list)
    for task_id, code in session.exec(
        select(col(TaskItem.task_id), col(InspectionItem.code))
        .join(InspectionItem, col(InspectionItem.id) == col(TaskItem.item_id))
        .where(col(TaskItem.task_id).in_(task_ids))
    ).all():
        items[task_id].append(code)
    # A task's department per kind: inspectors drawn from a higher level serve the task's own department.
    dept_of_kind: dict[int, dict[str, str]] = defaultdict(dict)
    for task_id, kind, code in session.exec(
        select(col(TaskDepartment.task_id), col(Department.kind), col(Department.code))
        .join(Department, col(Department.id) == col(TaskDepartment.department_id))
        .where(col(TaskDepartment.task_id).in_(task_ids))
    ).all():
        dept_of_kind[task_id][kind] = code
    members: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    target_ids = [target.id or 0 for target, _t, _d, _e in rows]
    for n in range(0, len(target_ids), 5000):
        for target_id, inspector_id, badge, kind in session.exec(
            select(col(TeamMember.target_id), col(Inspector.id), col(Inspector.badge_no), col(Department.kind))
            .join(Inspector, col(Inspector.id) == col(TeamMember.inspector_id))
            .join(Department, col(Department.id) == col(Inspector.department_id))
            .where(col(TeamMember.target_id).in_(target_ids[n : n + 5000]))
        ).all():
            members[target_id].append((inspector_id or 0, badge, kind))
    seeds: dict[int, str] = {}
    badge_of: dict[int, str] = {}
    pairs, firm_ids, inspector_ids = [], {}, {}
    for target, task, draw, ent in rows:
        task_id = task.id or 0
        if task_id not in seeds:
            seeds[task_id] = ticket_key(draw, task)
        team = []
        for inspector_id, badge, kind in members[target.id or 0]:
            badge_of[inspector_id], inspector_ids[badge] = badge, inspector_id
            # The draw's own inspector ticket (docs/draw-algorithm.md, §11.3 for v3's key) orders who stays on a
            # merged team.
            ticket_ = ticket(seeds[task_id], "inspector", f"{ent.uscc}|{badge}")
            team.append(Member(badge, dept_of_kind[task_id].get(kind, kind), ticket_))
        firm_ids[ent.uscc] = ent.id
        pairs.append(
            Pair(
                task.code,
                ent.uscc,
                ent.township_code or ent.region_code,
                max(task.window_start, start),
                min(task.window_end, end),
                task.directed,
                tuple(sorted(dept_of_kind[task_id].values())),
                tuple(sorted(items[task_id])),
                tuple(sorted(team, key=lambda m: m.ticket)),
            )
        )
    for directed in (recheck_pairs, complaint_pairs):
        extra, extra_firms, extra_inspectors = directed(session, prefix=prefix, start=start, end=end)
        pairs += extra
        firm_ids |= extra_firms
        inspector_ids |= extra_inspectors
        badge_of |= {i: b for b, i in extra_inspectors.items()}
    codes = {p.task for p in pairs}
    history: dict[str, list[date]] = defaultdict(list)
    if firm_ids:
        for uscc, day in session.exec(
            select(col(Enterprise.uscc), col(InspectionResult.inspected_on))
            .join(DrawTarget, col(DrawTarget.enterprise_id) == col(Enterprise.id))
            .join(InspectionResult, col(InspectionResult.target_id) == col(DrawTarget.id))
            .join(Task, col(Task.id) == col(DrawTarget.task_id))
            .where(
                col(Enterprise.id).in_(list(firm_ids.values())),
                col(Task.directed).is_(False),
                col(Task.code).not_in(codes),
                col(InspectionResult.inspected_on) >= end - timedelta(days=364),
            )
        ).all():
            history[uscc].append(day)
    recused = frozenset(
        (badge_of[c.inspector_id], uscc)
        for c, uscc in session.exec(
            select(ConflictDeclaration, Enterprise.uscc).join(
                Enterprise, col(Enterprise.id) == col(ConflictDeclaration.enterprise_id)
            )
        ).all()
        if c.inspector_id in badge_of
    )
    return {
        "pairs": pairs,
        "history": {k: sorted(v) for k, v in history.items()},
        "recused": recused,
        "firm_ids": firm_ids,
        "inspector_ids": inspector_ids,
    }


def working_days(session: Session, start: date, end: date) -> list[date]:
    """The official working days of a period, with the admin's calendar entries."""
    calendar = work_calendar(session)
    days, day = [], start
    while day <= end:
        if calendar.is_working_day(day):
            days.append(day)
        day += timedelta(days=1)
    return days


def build(
    session: Session,
    *,
    region: str,
    period: str,
    actor: str,
    limits: Limits | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Schedule:
    """Build (or rebuild in place) the schedule of a region and period and audit it."""
    if session.get(Region, region) is None:
        raise field_error("region", f"行政区划 {region} 不存在", status=404)
    span = parse_period(period)
    start, end = span.start, span.end
    limits = limits or configured_limits()
    data = _inputs(session, region=region, start=start, end=end)
    days = working_days(session, start, end)
    result = build_schedule(
        data["pairs"],
        period=(start, end),
        working_days=days,
        limits=limits,
        history=data["history"],
        recused=data["recused"],
        progress=progress,
    )
    digest = hashlib.sha256(
        canonical_json(
            {
                "pairs": [p._asdict() for p in data["pairs"]],
                "history": data["history"],
                "recused": sorted(data["recused"]),
                "days": days,
            },
            default=str,  # dates
        ).encode()
    ).hexdigest()
    row = session.exec(select(Schedule).where(Schedule.region_code == region, Schedule.period == period)).first()
    if row is None:
        row = Schedule(region_code=region, period=period, built_by=actor, inputs_sha256="", limits="", summary="")
        session.add(row)
        session.flush()
    else:
        old = select(ScheduledVisit.id).where(ScheduledVisit.schedule_id == row.id)
        session.exec(delete(VisitInspector).where(col(VisitInspector.visit_id).in_(old)))
        session.exec(delete(ScheduledVisit).where(col(ScheduledVisit.schedule_id) == row.id))
    row.built_at, row.built_by, row.inputs_sha256 = clock.now(), actor, digest
    row.limits = canonical_json(limits.__dict__, default=str)
    row.summary = canonical_json(result.summary, default=str)
    session.add(row)
    for v in result.visits:
        visit = ScheduledVisit(
            schedule_id=row.id or 0,
            enterprise_id=data["firm_ids"][v.firm],
            township_code=v.township,
            window_start=v.start,
            window_end=v.end,
            day=v.day,
            status=v.status,
            reason=v.reason,
            notes="\n".join(v.notes),
            tasks=",".join(v.tasks),
            departments=",".join(v.departments),
            items=",".join(v.items),
            directed=v.directed,
        )
        session.add(visit)
        session.flush()
        for pos, m in enumerate(v.team):
            session.add(
                VisitInspector(visit_id=visit.id or 0, inspector_id=data["inspector_ids"][m.badge], position=pos)
            )
    audit.record(
        session,
        actor=actor,
        action="schedule.built",
        object_type="schedule",
        object_id=f"{region}/{period}",
        payload={"inputs_sha256": digest, "limits": limits.__dict__, "summary": result.summary},
    )
    return row
