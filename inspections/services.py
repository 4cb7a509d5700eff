"""Tasks as the other modules read them: departments, items, the record's task definition, scope."""

from __future__ import annotations

import json
import logging
from typing import Any

from sqlalchemy import and_, false, or_, true
from sqlmodel import Session, col, select

from inspections.models import (
    InspectionItem,
    Plan,
    Task,
    TaskDepartment,
    TaskItem,
)
from supervise.errors import field_error
from supervise.models import Department, Enterprise, License

log = logging.getLogger(__name__)


def task_departments(session: Session, task: Task) -> list[Department]:
    """The participating departments of a task, by code."""
    return list(
        session.exec(
            select(Department)
            .join(TaskDepartment, col(TaskDepartment.department_id) == col(Department.id))
            .where(TaskDepartment.task_id == task.id)
            .order_by(col(Department.code))
        ).all()
    )


def task_items(session: Session, task: Task) -> list[InspectionItem]:
    """The inspection items of a task."""
    return list(
        session.exec(
            select(InspectionItem)
            .join(TaskItem, col(TaskItem.item_id) == col(InspectionItem.id))
            .where(TaskItem.task_id == task.id)
            .order_by(col(InspectionItem.code))
        ).all()
    )


def task_definition(session: Session, task: Task) -> dict[str, Any]:
    """The task as it is written into the draw record (docs/draw-algorithm.md §6)."""
    plan = session.get(Plan, task.plan_id)
    kinds = {d.kind: d.code for d in task_departments(session, task)}
    return {
        "code": task.code,
        "title": task.title,
        "plan": plan.code if plan else "",
        "departments": sorted(kinds.values()),
        "items": [
            {
                "code": i.code,
                "name": i.name,
                "department": kinds.get(i.department_kind, i.department_kind),
                "legal_basis": i.legal_basis,
                "specialty": i.specialty,
            }
            for i in task_items(session, task)
        ],
        "window": {"start": task.window_start.isoformat(), "end": task.window_end.isoformat()},
        "sample": {"ratios": json.loads(task.ratios), "count": task.sample_count},
        "team_size": task.team_size,
        "max_per_inspector": task.max_per_inspector,
        "directed": task.directed,
        "assignment": task.assignment,
        "scope": json.loads(task.scope_json) if task.scope_json else {"region": task.region_code},
    }


def get_task(session: Session, *, code: str, for_update: bool = False) -> Task:
    """Return the task with this code (locked for the transaction if asked) or raise a 404 naming it."""
    stmt = select(Task).where(Task.code == code)
    if for_update:
        stmt = stmt.with_for_update()
    task = session.exec(stmt).first()
    if task is None:
        raise field_error("task", f"抽查任务 {code} 不存在", status=404)
    return task


def scope_condition(items: list[InspectionItem]) -> Any:
    """The SQL condition for firms within any of these items' scope (industries and licence matters)."""
    conds = []
    for item in items:
        parts = []
        industries = [x for x in item.scope_industries.split(",") if x]
        matters = [x for x in item.scope_matters.split(",") if x]
        if industries:
            parts.append(col(Enterprise.industry_code).in_(industries))
        if matters:
            parts.append(
                col(Enterprise.id).in_(select(License.enterprise_id).where(col(License.matter_code).in_(matters)))
            )
        conds.append(and_(*parts) if parts else true())
    return or_(*conds) if conds else false()
