"""Recording a visit against the checklists: each department records its own items point by point (谁检查、谁录入),
a teammate confirms each part, and a returned result is corrected by the team."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from credit.feeds import feed_inspection_result
from credit.tiers import recompute_tier
from inspections.disposals.base import open_abnormal_disposal, result_disposals
from inspections.models import (
    RESULT_CATEGORIES,
    CheckPoint,
    DrawTarget,
    InspectionItem,
    InspectionResult,
    Plan,
    PointResult,
    ResultPart,
    Task,
    TaskDepartment,
    TeamMember,
)
from inspections.outcomes import (
    NONCOMPLIANT,
    POINT_OUTCOMES,
    PROBLEM_CATEGORIES,
    Progress,
    consistency_error,
    overall_category,
)
from inspections.services import task_items
from supervise import audit, clock
from supervise.config import tuning
from supervise.db import lock_rows, locked
from supervise.errors import ApiError, field_error
from supervise.holidays import work_calendar
from supervise.models import Department, Enterprise, Inspector
from supervise.workdays import PUBLICATION_WORKING_DAYS

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PointEntry:
    """An inspector's outcome for one 检查要点."""

    point_id: int
    outcome: str
    note: str = ""


def task_departments(session: Session, task: Task) -> list[Department]:
    """The departments that record a visit of `task`: those with items in it, the lead (plan's) department first."""
    plan = session.get(Plan, task.plan_id)
    lead = plan.department_id if plan else None
    ids = set(session.exec(select(TaskDepartment.department_id).where(TaskDepartment.task_id == task.id)).all())
    depts = [d for d in (session.get(Department, i) for i in ids | ({lead} if lead else set())) if d is not None]
    kinds = {i.department_kind for i in task_items(session, task)}
    recording = [d for d in depts if d.kind in kinds] or [d for d in depts if d.id == lead]
    return sorted(recording, key=lambda d: (d.id != lead, d.code))


def department_items(
    session: Session, task: Task, department: Department, *, depts: Sequence[Department] | None = None
) -> list[InspectionItem]:
    """The items of `task` that `department` checks (all of them when only one department records)."""
    items = task_items(session, task)
    if len(task_departments(session, task) if depts is None else depts) == 1:
        return items
    return [i for i in items if i.department_kind == department.kind]


def points_of_items(session: Session, items: Sequence[InspectionItem]) -> list[CheckPoint]:
    """The 检查要点 of `items`, in item and sheet order."""
    order = {item.id: n for n, item in enumerate(items)}
    points = session.exec(select(CheckPoint).where(col(CheckPoint.item_id).in_(list(order)))).all()
    return sorted(points, key=lambda p: (order[p.item_id], p.seq))


def progress_of(session: Session, task: Task, result: InspectionResult, *, needed: int | None = None) -> Progress:
    """How far the visit's result has come (which review state it is in)."""
    parts = session.exec(select(ResultPart).where(ResultPart.result_id == result.id)).all()
    finding = any(p.category in PROBLEM_CATEGORIES for p in parts) or bool(
        session.exec(
            select(PointResult.id).where(PointResult.result_id == result.id, PointResult.outcome == NONCOMPLIANT)
        ).first()
    )
    return Progress(
        departments_needed=len(task_departments(session, task)) if needed is None else needed,
        parts_recorded=len(parts),
        parts_confirmed=sum(1 for p in parts if p.confirmed_at is not None),
        returned=result.returned,
        published=result.published_at is not None,
        needs_disposal=finding,
        disposals=result_disposals(session, result.id or 0) if finding else 0,
    )


def team_target(session: Session, target_id: int, inspector: Inspector) -> DrawTarget:
    """The drawn firm of an assignment, only for a member of its team (403 otherwise)."""
    target = session.get(DrawTarget, target_id)
    if target is None:
        raise field_error("target_id", f"检查任务 {target_id} 不存在", status=404)
    if not session.exec(
        select(TeamMember.target_id).where(TeamMember.target_id == target_id, TeamMember.inspector_id == inspector.id)
    ).first():
        # Another inspector's assignment: forbidden, whatever it contains.
        raise ApiError(403, "这是其他检查组的任务，无权查看或录入", code="forbidden")
    return target


def inspector_department(session: Session, task: Task, inspector: Inspector) -> Department:
    """The inspector's department among those recording the task (谁检查、谁录入), or 403."""
    for dept in task_departments(session, task):
        if dept.id == inspector.department_id:
            return dept
    raise ApiError(403, "本部门在该任务中没有检查事项，无需录入（谁检查、谁录入）", code="forbidden")


def department_visit(
    session: Session, target_id: int, inspector: Inspector
) -> tuple[DrawTarget, Task, Department, InspectionResult | None]:
    """Lock a visit for a team member and return it with its task, the member's department and the result."""
    locked(session, DrawTarget, target_id)  # two teammates acting at once: the second sees the first's work
    target = team_target(session, target_id, inspector)
    task = session.get(Task, target.task_id)
    assert task is not None
    dept = inspector_department(session, task, inspector)
    result = session.exec(lock_rows(select(InspectionResult).where(InspectionResult.target_id == target_id))).first()
    return target, task, dept, result


def _checked_points(
    session: Session, task: Task, dept: Department, category: str, points: Sequence[PointEntry]
) -> list[PointEntry]:
    """Refuse unless every point of the department's items has one known outcome agreeing with the category."""
    if category not in RESULT_CATEGORIES:
        raise field_error("category", f"检查结果“{category}”不在结果类别中")
    expected = {p.id or 0: p for p in points_of_items(session, department_items(session, task, dept))}
    given: dict[int, PointEntry] = {}
    for entry in points:
        if entry.point_id not in expected:
            raise field_error("points", f"检查要点 {entry.point_id} 不属于本部门在该任务中的检查事项")
        if entry.point_id in given:
            raise field_error("points", f"检查要点“{expected[entry.point_id].text}”重复录入")
        if entry.outcome not in POINT_OUTCOMES:
            raise field_error("points", f"检查要点的结论应为：{'、'.join(POINT_OUTCOMES)}")
        given[entry.point_id] = entry
    missing = [p for pid, p in expected.items() if pid not in given]
    if missing:
        raise field_error("points", f"检查要点“{missing[0].text}”未录入结论（共 {len(missing)} 项未录入）")
    problem = consistency_error(category, (e.outcome for e in given.values()))
    if problem:
        raise field_error("category", problem)
    return [given[pid] for pid in expected]


def _check_day(task: Task, inspected_on: date) -> None:
    if inspected_on > clock.today():
        raise field_error("inspected_on", "检查日期不能晚于今天")
    if inspected_on < task.window_start:
        raise field_error("inspected_on", f"检查日期早于任务的检查期限（{task.window_start} 起）")


def _store_points(session: Session, result_id: int, entries: Sequence[PointEntry]) -> None:
    for entry in entries:
        session.add(PointResult(result_id=result_id, point_id=entry.point_id, outcome=entry.outcome, note=entry.note))


def _set_overall(session: Session, result: InspectionResult) -> None:
    parts = session.exec(select(ResultPart).where(ResultPart.result_id == result.id).order_by(col(ResultPart.id)))
    result.category = overall_category([p.category for p in parts.all()])
    session.add(result)


def record_result(
    session: Session,
    *,
    target_id: int,
    inspector: Inspector,
    category: str,
    findings: str,
    inspected_on: date,
    points: Sequence[PointEntry] = (),
    actor: str,
) -> InspectionResult:
    """Record the inspector's department's part of a visit; publication is due 20 working days after the visit."""
    locked(session, DrawTarget, target_id)  # two teammates recording at once: the second sees the first's part
    target = team_target(session, target_id, inspector)
    task = session.get(Task, target.task_id)
    assert task is not None
    dept = inspector_department(session, task, inspector)
    entries = _checked_points(session, task, dept, category, points)
    _check_day(task, inspected_on)
    result = session.exec(select(InspectionResult).where(InspectionResult.target_id == target_id)).first()
    today = clock.today()
    if result is None:
        calendar = work_calendar(session)
        record_due = calendar.add_working_days(inspected_on, tuning().recording_days)
        result = InspectionResult(
            target_id=target_id,
            category=category,
            findings=findings.strip(),
            inspected_on=inspected_on,
            recorded_by=inspector.id or 0,
            publish_due=calendar.add_working_days(inspected_on, PUBLICATION_WORKING_DAYS),
            record_due=record_due,
            recorded_late=today > record_due,
        )
        session.add(result)
        session.flush()
    elif session.exec(
        select(ResultPart.id).where(ResultPart.result_id == result.id, ResultPart.department_id == dept.id)
    ).first():
        raise field_error("target_id", f"{dept.name}已录入该任务的检查结果，不能重复录入", status=409)
    elif inspected_on != result.inspected_on:
        raise field_error("inspected_on", f"联合检查应一次到位：检查日期应与已录入部门相同（{result.inspected_on}）")
    elif result.published_at is not None:
        raise field_error("target_id", "该结果已公示，不能再录入", status=409)
    session.add(
        ResultPart(
            result_id=result.id or 0,
            department_id=dept.id or 0,
            category=category,
            findings=findings.strip(),
            recorded_by=inspector.id or 0,
        )
    )
    _store_points(session, result.id or 0, entries)
    session.flush()
    _set_overall(session, result)
    ent = session.get(Enterprise, target.enterprise_id)
    audit.record(
        session,
        actor=actor,
        action="result.recorded",
        object_type="draw_target",
        object_id=target_id,
        payload={
            "uscc": ent.uscc if ent else None,
            "department": dept.code,
            "category": category,
            "inspected_on": inspected_on.isoformat(),
            "publish_due": result.publish_due.isoformat(),
            "late": result.recorded_late,
            "noncompliant": sum(1 for e in entries if e.outcome == "不符合"),
        },
    )
    return result


def correct_result(
    session: Session,
    *,
    target_id: int,
    inspector: Inspector,
    category: str,
    findings: str,
    points: Sequence[PointEntry] = (),
    actor: str,
) -> InspectionResult:
    """Correct the inspector's department's part of a returned result; it then needs confirming again."""
    _target, task, dept, result = department_visit(session, target_id, inspector)
    part = (
        session.exec(
            select(ResultPart).where(ResultPart.result_id == result.id, ResultPart.department_id == dept.id)
        ).first()
        if result
        else None
    )
    if result is None or part is None:
        raise field_error("target_id", f"{dept.name}尚未录入该任务的检查结果，无可更正", status=409)
    if not result.returned:
        raise field_error("target_id", "只有被退回的结果才能更正", status=409)
    entries = _checked_points(session, task, dept, category, points)
    mine = {p.id for p in points_of_items(session, department_items(session, task, dept))}
    for old in session.exec(select(PointResult).where(PointResult.result_id == result.id)).all():
        if old.point_id in mine:
            session.delete(old)
    session.flush()
    _store_points(session, result.id or 0, entries)
    part.category, part.findings, part.recorded_by, part.recorded_at = (
        category,
        findings.strip(),
        inspector.id or 0,
        clock.now(),
    )
    part.confirmed_by = part.confirmed_at = None
    result.returned, result.confirmed_by, result.confirmed_at = False, None, None
    if part.id == session.exec(select(col(ResultPart.id)).where(ResultPart.result_id == result.id)).first():
        result.findings = findings.strip()
    session.add(part)
    session.flush()
    _set_overall(session, result)
    audit.record(
        session,
        actor=actor,
        action="result.corrected",
        object_type="draw_target",
        object_id=target_id,
        payload={"department": dept.code, "category": category},
    )
    return result


def confirm_result(session: Session, *, target_id: int, inspector: Inspector, actor: str) -> None:
    """Confirm the parts a teammate recorded (同组确认); the result is confirmed when every part is."""
    target = team_target(session, target_id, inspector)
    result = session.exec(lock_rows(select(InspectionResult).where(InspectionResult.target_id == target_id))).first()
    if result is None:
        raise field_error("target_id", "该任务尚未录入检查结果，无法确认", status=409)
    parts = session.exec(lock_rows(select(ResultPart).where(ResultPart.result_id == result.id))).all()
    open_parts = [p for p in parts if p.confirmed_at is None]
    if not open_parts:
        who = session.get(Inspector, parts[-1].confirmed_by) if parts else None
        raise field_error("target_id", f"该结果已由{who.name if who else '同组检查人员'}确认，无需重复确认", 409)
    mine = [p for p in open_parts if p.recorded_by != inspector.id]
    if not mine:
        raise ApiError(403, "录入人不能确认自己录入的结果，请由同组另一名检查人员确认", code="forbidden")
    now = clock.now()
    for part in mine:
        part.confirmed_by, part.confirmed_at = inspector.id, now
        session.add(part)
    task = session.get(Task, target.task_id)
    assert task is not None
    session.flush()
    if progress_of(session, task, result).complete and all(p.confirmed_at for p in parts):
        result.confirmed_by, result.confirmed_at = inspector.id, now
        session.add(result)
        # Effects follow the four eyes: a finding moves the tier, and one that by law means 经营异常 becomes a
        # proposal and the result's disposal, only once a teammate who did not record it has confirmed it.
        _feed_credit(session, target=target, result=result, categories=[p.category for p in parts], actor=actor)
    departments = [session.get(Department, p.department_id) for p in mine]
    audit.record(
        session,
        actor=actor,
        action="result.confirmed",
        object_type="draw_target",
        object_id=target_id,
        payload={"departments": [d.code for d in departments if d]},
    )


def _feed_credit(
    session: Session, *, target: DrawTarget, result: InspectionResult, categories: list[str], actor: str
) -> None:
    """Findings that by law mean 经营异常 become proposals (and the result's disposal); the result moves the tier."""
    session.flush()
    # 谁登记、谁管理: the proposal goes to the firm's registering authority, whichever departments inspected.
    for category in categories:
        entry = feed_inspection_result(
            session, target_id=target.id or 0, category=category, inspected_on=result.inspected_on
        )
        if entry is not None:
            open_abnormal_disposal(session, result=result, entry=entry, actor=actor)
    recompute_tier(session, enterprise_id=target.enterprise_id)
