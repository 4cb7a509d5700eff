"""Accountability metrics per department and per region for a quarter or year (docs/reports.md): load the
region's rows, tally them with the pure reports.tally, and assemble the document the dashboard, API and PDF use.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from datetime import date, datetime
from typing import Any

from sqlalchemy import String, func, type_coerce
from sqlalchemy import select as core_select
from sqlalchemy.orm import undefer
from sqlmodel import Session, col, select

from credit.control import outcome_due
from credit.models import EntryEvent, LicensingCheck, ListEntry
from credit.reference import reference
from inspections.disposals.models import Disposal
from inspections.draw.bundles import verify_files
from inspections.draw.services import bundle_files
from inspections.draw.teams import jurisdiction
from inspections.models import BUNDLE, Draw, DrawTarget, InspectionResult, Plan, Task, TaskDepartment
from reports.loop import complaint_facts, disposal_facts
from reports.models import DrawVerdict
from reports.tally import COUNTERS, EntryRow, Facts, OutcomeRow, Tally, TargetRow, TaskRow, rates, tally
from scheduling.models import Schedule
from supervise import clock
from supervise.holidays import work_calendar
from supervise.models import Department, Enterprise, License, Region, User
from supervise.periods import parse_period


def _cst_day(ts: datetime | None) -> date | None:
    return clock.beijing_date(ts) if ts else None


def _draw_key(files: dict[str, str]) -> str:
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(hashlib.sha256(f"{name}\n{files[name]}".encode()).digest())
    return digest.hexdigest()


def draw_verdicts(session: Session, draws: list[Draw]) -> dict[int, bool]:
    """Whether each stored draw re-runs to its record (its full bundle); verdicts are cached by the files' SHA-256."""
    tasks = {t.id: t for t in session.exec(select(Task).where(col(Task.id).in_([d.task_id for d in draws]))).all()}
    bundles = {draw.id or 0: bundle_files(draw, tasks[draw.task_id], full=True) for draw in draws}
    keys = {draw_id: _draw_key(files) for draw_id, files in bundles.items()}
    cached = {
        v.key: v.ok for v in session.exec(select(DrawVerdict).where(col(DrawVerdict.key).in_(set(keys.values())))).all()
    }
    for draw in draws:
        key = keys[draw.id or 0]
        if key not in cached:
            verdict = verify_files(bundles[draw.id or 0])
            cached[key] = verdict.ok
            session.add(DrawVerdict(key=key, ok=verdict.ok, reason="" if verdict.ok else str(verdict.difference)))
    return {draw_id: cached[key] for draw_id, key in keys.items()}


def compute(session: Session, *, region: str, period: str, today: date) -> dict[str, Any]:
    """All metrics of a region's departments and counties for a quarter or year, with evidence rows."""
    span = parse_period(period, whole_year=True)
    prefix = jurisdiction(region)
    depts = {
        d.id: d for d in session.exec(select(Department).where(col(Department.region_code).startswith(prefix))).all()
    }
    regions = {
        r.code: r.name
        for r in session.exec(
            select(Region).where(col(Region.code).startswith(prefix), col(Region.level).in_(("city", "county")))
        ).all()
    }
    facts = Facts(start=span.start, end=span.end, today=today, calendar=work_calendar(session))
    facts.tasks = _tasks(session, prefix=prefix, year=span.year, quarter=span.quarter)
    facts.targets = _targets(session, [t.code for t in facts.tasks])
    facts.entries = _entries(session, prefix=prefix)
    facts.outcomes = _outcomes(session, prefix=prefix, depts=depts, today=today)
    facts.disposals = disposal_facts(session, prefix=prefix)
    facts.complaints = complaint_facts(session, prefix=prefix, start=span.start, end=span.end)
    result = tally(facts, known_departments={d.code for d in depts.values()})
    return _assemble(
        result,
        depts=depts,
        regions=regions,
        schedules=_schedules(session, prefix=prefix, period=period),
        single_operator=[t.draw_id for t in facts.tasks if t.single_operator and t.draw_id],
        region=region,
        period=period,
        start=span.start,
        end=span.end,
    )


def _tasks(session: Session, *, prefix: str, year: int, quarter: int | None) -> list[TaskRow]:
    rows = session.exec(
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
    departments: dict[int, list[str]] = defaultdict(list)
    for task_id, code in session.exec(
        select(TaskDepartment.task_id, Department.code)
        .join(Department, col(Department.id) == col(TaskDepartment.department_id))
        .where(col(TaskDepartment.task_id).in_([t.id for t, _d in rows]))
    ).all():
        departments[task_id].append(code)
    verified = draw_verdicts(session, [draw for _task, draw in rows if draw is not None])
    return [
        TaskRow(
            code=task.code,
            region_code=task.region_code,
            departments=tuple(departments[task.id or 0]),
            window_start=task.window_start,
            window_end=task.window_end,
            drawn_on=_cst_day(draw.created_at) if draw else None,
            draw_id=draw.public_id if draw else None,
            draw_verified=verified[draw.id or 0] if draw else True,
            single_operator=bool(draw and draw.single_operator),
        )
        for task, draw in rows
    ]


def _targets(session: Session, task_codes: list[str]) -> list[TargetRow]:
    disposed = set(session.exec(select(Disposal.target_id).distinct()).all())
    result = InspectionResult
    # Plain columns, not table objects: a province's year is half a million results, and building an ORM object
    # for each took most of the report's time.
    rows = session.connection().execute(
        core_select(
            type_coerce(col(Task.code), String), col(DrawTarget.id), type_coerce(col(Enterprise.uscc), String),
            col(result.id), col(result.inspected_on), col(result.publish_due), col(result.published_at),
            type_coerce(col(result.category), String), col(result.record_due), col(result.recorded_at),
            col(result.confirmed_at), col(result.reviewed_at),
        )
        .join(Task, col(Task.id) == col(DrawTarget.task_id))
        .join(Enterprise, col(Enterprise.id) == col(DrawTarget.enterprise_id))
        .outerjoin(result, col(result.target_id) == col(DrawTarget.id))
        .where(col(Task.code).in_(task_codes))
        .order_by(col(DrawTarget.id))
    ).all()  # fmt: skip
    return [
        TargetRow(task=code, uscc=uscc)
        if result_id is None
        else TargetRow(
            task=code,
            uscc=uscc,
            inspected_on=inspected_on,
            publish_due=publish_due,
            published_on=_cst_day(published_at),
            category=category,
            disposed=target_id in disposed,
            record_due=record_due,
            recorded_on=_cst_day(recorded_at),
            confirmed_on=_cst_day(confirmed_at),
            reviewed_on=_cst_day(reviewed_at),
        )
        for (
            code, target_id, uscc, result_id, inspected_on, publish_due, published_at, category, record_due,
            recorded_at, confirmed_at, reviewed_at,
        ) in rows
    ]  # fmt: skip


def _entries(session: Session, *, prefix: str) -> list[EntryRow]:
    rules = reference(session).rules
    decisions = {
        entry_id: _cst_day(at)
        for entry_id, at in session.exec(
            select(EntryEvent.entry_id, func.max(EntryEvent.at))
            .where(col(EntryEvent.action).in_(("approve_repair", "reject_repair")))
            .group_by(col(EntryEvent.entry_id))
        ).all()
    }
    e = ListEntry
    rows = session.connection().execute(
        core_select(
            col(e.id), col(e.list_type), col(e.state), col(e.objected_on), col(e.objection_due),
            col(e.objection_answered_on), col(e.repair_applied_on), col(e.objection_accept_due),
            col(e.objection_accepted_on), col(e.repair_due), col(e.decision_due), col(e.listed_on),
            col(Department.code), col(Department.region_code),
        )
        .join(Department, col(Department.id) == col(e.department_id))
        .where(col(Department.region_code).startswith(prefix))
    )  # fmt: skip
    return [
        EntryRow(
            id=r.id,
            department=r.code,
            region_code=r.region_code,
            objected_on=r.objected_on,
            objection_due=r.objection_due,
            objection_answered_on=r.objection_answered_on,
            repair_applied_on=r.repair_applied_on,
            repair_decision=rules[r.list_type].repair_decision,
            repair_decided_on=decisions.get(r.id),
            objection_accept_due=r.objection_accept_due,
            objection_accepted_on=r.objection_accepted_on,
            repair_due=r.repair_due,
            decision_due=None if rules[r.list_type].imported else r.decision_due,
            listed_on=r.listed_on,
            pending=r.state in ("ordered", "proposed", "notified"),
        )
        for r in rows
    ]


def _outcomes(session: Session, *, prefix: str, depts: dict[int | None, Department], today: date) -> list[OutcomeRow]:
    rows = session.exec(
        select(LicensingCheck, Enterprise, User)
        .join(Enterprise, col(Enterprise.id) == col(LicensingCheck.enterprise_id))
        .outerjoin(User, col(User.id) == col(LicensingCheck.checked_by))
        .where(col(LicensingCheck.outcome_reported_at).is_not(None), col(Enterprise.region_code).startswith(prefix))
    ).all()
    out = []
    for check, ent, user in rows:
        lic_dept = depts.get(user.department_id) if user else None  # the checking officer's department
        out.append(
            OutcomeRow(
                check_id=check.public_id,
                uscc=ent.uscc,
                region_code=ent.region_code,
                department=lic_dept.code if lic_dept else None,
                reported_on=_cst_day(check.outcome_reported_at),  # type: ignore[arg-type]
                breach=check.breach,
                matter=check.matter,
                decision=check.decision,
            )
        )
    unreported = _unreported(session, prefix=prefix, depts=depts, today=today)
    return out + unreported + _unchecked(session, prefix=prefix, depts=depts)


def _unreported(session: Session, *, prefix: str, depts: dict[int | None, Department], today: date) -> list[OutcomeRow]:
    """Checks whose outcome never came: each counts as a failed outcome on the day it became overdue."""
    calendar = work_calendar(session)
    rows = session.exec(
        select(LicensingCheck, Enterprise, User)
        .join(Enterprise, col(Enterprise.id) == col(LicensingCheck.enterprise_id))
        .outerjoin(User, col(User.id) == col(LicensingCheck.checked_by))
        .where(col(LicensingCheck.outcome_reported_at).is_(None), col(Enterprise.region_code).startswith(prefix))
    ).all()
    out = []
    for check, ent, user in rows:
        overdue = outcome_due(calendar, check.checked_at)
        if overdue >= today:
            continue
        dept = depts.get(user.department_id) if user else None
        out.append(
            OutcomeRow(
                check_id=check.public_id,
                uscc=ent.uscc,
                region_code=ent.region_code,
                department=dept.code if dept else None,
                reported_on=overdue,
                breach=True,
                matter=check.matter,
                decision=check.decision,
                kind="outcome_unreported",
            )  # fmt: skip
        )
    return out


def _unchecked(session: Session, *, prefix: str, depts: dict[int | None, Department]) -> list[OutcomeRow]:
    """Licences issued with no check before them (未查询即许可): failed outcomes of the issuing department."""
    rows = session.exec(
        select(License, Enterprise)
        .join(Enterprise, col(Enterprise.id) == col(License.enterprise_id))
        .where(col(License.unchecked).is_(True), col(Enterprise.region_code).startswith(prefix))
    ).all()
    return [
        OutcomeRow(
            check_id=f"license:{lic.id}",
            uscc=ent.uscc,
            region_code=ent.region_code,
            department=depts[lic.department_id].code if lic.department_id in depts else None,
            reported_on=lic.issued_on,
            breach=True,
            matter=lic.matter_code,
            decision="unchecked",
            kind="licence_unchecked",
        )  # fmt: skip
        for lic, ent in rows
    ]


def _schedules(session: Session, *, prefix: str, period: str) -> dict[str, dict[str, Any]]:
    schedules: dict[str, dict[str, Any]] = {}
    for sched in session.exec(
        select(Schedule).where(col(Schedule.period).startswith(period), col(Schedule.region_code).startswith(prefix))
    ).all():
        summary = json.loads(sched.summary)  # a year adds up its quarters' schedules
        acc = schedules.setdefault(sched.region_code, {"repeat_checks_avoided": 0, "firms_over_cap": 0})
        acc["repeat_checks_avoided"] += summary["repeat_checks_avoided"]
        acc["firms_over_cap"] += summary["firms_over_cap"]
    return schedules


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
                "rates": rates(counts),
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
        "total": {"counts": total, "rates": rates(total)},
        "schedules": {
            code: {"repeat_checks_avoided": s["repeat_checks_avoided"], "firms_over_cap": s["firms_over_cap"]}
            for code, s in sorted(schedules.items())
        },
        "single_operator_draws": sorted(single_operator),
        "departments": rows["department"],
        "regions": rows["region"],
    }
