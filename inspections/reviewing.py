"""Review before publication (一公开 with control): the lead department's 审核人员 returns a result with a reason or
publishes it, and only a complete, confirmed result can be published."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from inspections.models import DrawTarget, InspectionResult, Plan, Task
from inspections.outcomes import RETURNED, TO_REVIEW
from inspections.recording import progress_of, task_departments
from inspections.results import assignment_view, team_of
from supervise import audit, clock
from supervise.db import lock_rows
from supervise.errors import ApiError, field_error
from supervise.holidays import work_calendar
from supervise.models import Department, Enterprise, User

REASON_MAX = 1000


def _lead(session: Session, task: Task) -> Department:
    plan = session.get(Plan, task.plan_id)
    dept = session.get(Department, plan.department_id) if plan else None
    assert dept is not None
    return dept


def _led_by(session: Session, target_id: int, reviewer: User) -> tuple[DrawTarget, Task]:
    """The visit and its task, only for a reviewer of the task's lead department (403 otherwise)."""
    target = session.get(DrawTarget, target_id)
    if target is None:
        raise field_error("target_id", f"检查任务 {target_id} 不存在", status=404)
    task = session.get(Task, target.task_id)
    assert task is not None
    lead = _lead(session, task)
    if reviewer.role != "reviewer" or reviewer.department_id != lead.id:
        raise ApiError(403, f"该结果由{lead.name}的审核人员审核，您无权审核或查看", code="forbidden")
    return target, task


def _reviewable(session: Session, *, target_id: int, reviewer: User) -> tuple[InspectionResult, Task]:
    _target, task = _led_by(session, target_id, reviewer)
    result = session.exec(lock_rows(select(InspectionResult).where(InspectionResult.target_id == target_id))).first()
    if result is None:
        raise field_error("target_id", f"任务 {target_id} 尚无检查结果", status=404)
    if result.published_at is not None:
        at = clock.to_beijing(result.published_at).strftime("%Y-%m-%d %H:%M")
        raise field_error("target_id", f"该结果已于 {at} 公示，不能重复公示或退回", status=409)
    return result, task


def publish_result(session: Session, *, target_id: int, reviewer: User, actor: str) -> InspectionResult:
    """Approve a complete, confirmed result and publish it on the public pages."""
    result, task = _reviewable(session, target_id=target_id, reviewer=reviewer)
    state = progress_of(session, task, result).state
    if state != TO_REVIEW:
        raise field_error("target_id", f"该结果当前为“{state}”，须各部门录入并经同组确认后才能审核公示", status=409)
    now = clock.now()
    result.reviewed_by, result.reviewed_at, result.published_at = reviewer.id, now, now
    session.add(result)
    audit.record(
        session,
        actor=actor,
        action="result.published",
        object_type="draw_target",
        object_id=target_id,
        payload={"late": clock.today() > result.publish_due, "reviewer": reviewer.username},
    )
    return result


def return_result(session: Session, *, target_id: int, reviewer: User, reason: str, actor: str) -> InspectionResult:
    """Return a result to its team with the reason (退回); the team corrects it and confirms it again."""
    reason = reason.strip()
    if not reason:
        raise field_error("reason", "请填写退回理由")
    if len(reason) > REASON_MAX:
        raise field_error("reason", f"退回理由不能超过 {REASON_MAX} 字")
    result, _task = _reviewable(session, target_id=target_id, reviewer=reviewer)
    if result.returned:
        raise field_error("target_id", f"该结果已被退回，正在等待检查组更正（{RETURNED}）", status=409)
    result.returned, result.returned_by, result.returned_at, result.return_reason = (
        True,
        reviewer.id,
        clock.now(),
        reason,
    )
    session.add(result)
    audit.record(
        session,
        actor=actor,
        action="result.returned",
        object_type="draw_target",
        object_id=target_id,
        payload={"reason": reason, "reviewer": reviewer.username},
    )
    return result


def review_view(session: Session, *, target_id: int, reviewer: User) -> dict[str, Any]:
    """A result as its team recorded it, point by point, for the lead department's reviewer."""
    target, _task = _led_by(session, target_id, reviewer)
    return assignment_view(session, target, team_of(session, target_id))


def review_queue(session: Session, *, reviewer: User, limit: int = 200) -> list[dict[str, Any]]:
    """The unpublished results of the reviewer's department's tasks, overdue first, then by deadline."""
    rows = session.exec(
        select(InspectionResult, DrawTarget, Task, Enterprise)
        .join(DrawTarget, col(DrawTarget.id) == col(InspectionResult.target_id))
        .join(Task, col(Task.id) == col(DrawTarget.task_id))
        .join(Plan, col(Plan.id) == col(Task.plan_id))
        .join(Enterprise, col(Enterprise.id) == col(DrawTarget.enterprise_id))
        .where(Plan.department_id == reviewer.department_id, col(InspectionResult.published_at).is_(None))
        .order_by(col(InspectionResult.publish_due), col(InspectionResult.id))
        .limit(limit)
    ).all()
    today, calendar = clock.today(), work_calendar(session)
    counts: dict[int, int] = {}

    def needed(task: Task) -> int:  # the departments a task's visits need, looked up once per task
        if task.id not in counts:
            counts[task.id or 0] = len(task_departments(session, task))
        return counts[task.id or 0]

    out = []
    for result, target, task, ent in rows:
        overdue = result.publish_due < today
        out.append(
            {
                "target_id": target.id,
                "task": task.code,
                "task_title": task.title,
                "uscc": ent.uscc,
                "enterprise_name": ent.name,
                "category": result.category,
                "inspected_on": result.inspected_on.isoformat(),
                "publish_due": result.publish_due.isoformat(),
                "overdue": overdue,
                "working_days_overdue": calendar.working_days_between(result.publish_due, today) if overdue else 0,
                "recorded_late": result.recorded_late,
                "state": progress_of(session, task, result, needed=needed(task)).state,
                "return_reason": result.return_reason if result.returned else None,
            }
        )
    return out
