"""抽查事项清单, plans and tasks (抽查工作细则): creation with the rules a real task must satisfy."""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any

from sqlmodel import Session, col, select

from credit.models import LicenseMatter  # the catalogue of 许可事项 is kept by the credit module
from inspections.draw.algorithm import TIERS
from inspections.draw.teams import jurisdiction
from inspections.models import METHODS, Draw, InspectionItem, Plan, Task, TaskDepartment, TaskItem, TaskParticipant
from inspections.schemas import ItemCreate, ItemPublic, ItemUpdate, PlanCreate, TaskCreate, TaskPublic
from inspections.services import task_definition
from supervise import audit, clock
from supervise.canonical import canonical_json
from supervise.config import tuning
from supervise.errors import field_error
from supervise.models import Department, Region


def general_max_ratio() -> Fraction:
    """The configurable cap on sampling ratios of general (non-key) items."""
    return Fraction(tuning().general_max_ratio)


def item_public(item: InspectionItem) -> ItemPublic:
    """Project an item for the API."""
    return ItemPublic(
        code=item.code,
        department_kind=item.department_kind,
        name=item.name,
        legal_basis=item.legal_basis,
        scope_industries=[x for x in item.scope_industries.split(",") if x],
        scope_matters=[x for x in item.scope_matters.split(",") if x],
        method=item.method,
        specialty=item.specialty,
        key_item=item.key_item,
        active=item.active,
        check_methods=[x for x in item.check_methods.split(",") if x],
    )


def _check_matters(session: Session, codes: list[str] | None) -> None:
    """Refuse licence-scope codes that are not licensing matters of the catalogue."""

    if not codes:
        return
    known = set(session.exec(select(LicenseMatter.code).where(col(LicenseMatter.code).in_(codes))).all())
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise field_error("scope_matters", f"未知的许可事项代码：{'、'.join(unknown)}")


def create_item(session: Session, *, data: ItemCreate, actor: str) -> InspectionItem:
    """Add an item to the 抽查事项清单."""
    if data.method not in METHODS:
        raise field_error("method", f"检查方式应为以下之一：{'、'.join(METHODS)}")
    if session.exec(select(InspectionItem.id).where(InspectionItem.code == data.code)).first():
        raise field_error("code", f"抽查事项 {data.code} 已存在", status=409)
    if not session.exec(select(Department.id).where(Department.kind == data.department_kind)).first():
        raise field_error("department_kind", f"没有类别为 {data.department_kind} 的部门")
    _check_matters(session, data.scope_matters)
    item = InspectionItem(
        **data.model_dump(exclude={"scope_industries", "scope_matters", "check_methods"}),
        scope_industries=",".join(data.scope_industries),
        scope_matters=",".join(data.scope_matters),
        check_methods=",".join(data.check_methods),
    )
    session.add(item)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="item.created",
        object_type="inspection_item",
        object_id=data.code,
        payload=data.model_dump(),
    )
    return item


def update_item(session: Session, *, code: str, data: ItemUpdate, actor: str) -> InspectionItem:
    """Change an item of the 抽查事项清单 (tasks already drawn keep what their record says)."""
    item = session.exec(select(InspectionItem).where(InspectionItem.code == code)).first()
    if item is None:
        raise field_error("code", f"抽查事项 {code} 不存在", status=404)
    changes = data.model_dump(exclude_unset=True, exclude_none=True)  # an explicit null changes nothing
    if "method" in changes and changes["method"] not in METHODS:
        raise field_error("method", f"检查方式应为以下之一：{'、'.join(METHODS)}")
    _check_matters(session, data.scope_matters)
    for key, value in changes.items():
        setattr(item, key, ",".join(value) if key.startswith("scope_") or key == "check_methods" else value)
    session.add(item)
    audit.record(
        session, actor=actor, action="item.updated", object_type="inspection_item", object_id=code, payload=changes
    )
    return item


def create_plan(session: Session, *, data: PlanCreate, actor: str) -> Plan:
    """Create and publish a department's 抽查计划."""
    dept = session.exec(select(Department).where(Department.code == data.department_code)).first()
    if dept is None:
        raise field_error("department_code", f"部门 {data.department_code} 不存在")
    if session.exec(select(Plan.id).where(Plan.code == data.code)).first():
        raise field_error("code", f"抽查计划 {data.code} 已存在", status=409)
    plan = Plan(
        code=data.code,
        department_id=dept.id or 0,
        title=data.title,
        year=data.year,
        quarter=data.quarter,
        published_at=clock.now(),
    )
    session.add(plan)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="plan.published",
        object_type="plan",
        object_id=data.code,
        payload=data.model_dump(),
    )
    return plan


def _check_ratios(data: TaskCreate, items: list[InspectionItem]) -> None:
    cap = general_max_ratio()
    general = [i.code for i in items if not i.key_item]
    for tier, text in data.ratios.items():
        if tier not in TIERS:
            raise field_error(f"ratios.{tier}", f"信用风险类别 {tier} 不存在（应为 A、B、C、D）")
        try:
            value = Fraction(text)
        except (ValueError, ZeroDivisionError):
            raise field_error(f"ratios.{tier}", f"{text} 不是小数形式的比例") from None
        if not 0 <= value <= 1:
            raise field_error(f"ratios.{tier}", "抽查比例应在 0 到 1 之间")
        if general and value > cap:
            raise field_error(
                f"ratios.{tier}",
                f"general items ({', '.join(general)}) may be sampled at most at "
                f"{float(cap):.0%}; only key items (重点事项) may exceed it",
            )


def create_task(session: Session, *, data: TaskCreate, actor: str) -> Task:
    """Create a (joint) task with its 抽查工作细则, refusing parameters a real task may not have."""
    plan = session.exec(select(Plan).where(Plan.code == data.plan_code)).first()
    if plan is None:
        raise field_error("plan_code", f"抽查计划 {data.plan_code} 不存在")
    if session.exec(select(Task.id).where(Task.code == data.code)).first():
        raise field_error("code", f"抽查任务 {data.code} 已存在", status=409)
    if session.get(Region, data.region_code) is None:
        raise field_error("region_code", f"行政区划 {data.region_code} 不存在")
    if data.window_end < data.window_start:
        raise field_error("window_end", "检查截止日期早于开始日期")
    depts = []
    for code in sorted(set(data.department_codes)):
        dept = session.exec(select(Department).where(Department.code == code)).first()
        if dept is None:
            raise field_error("department_codes", f"部门 {code} 不存在")
        depts.append(dept)
    if data.team_size < len(depts):
        raise field_error("team_size", f"{len(depts)} 个部门的联合任务，每组至少需要 {len(depts)} 名检查人员")
    items = []
    for code in sorted(set(data.item_codes)):
        item = session.exec(select(InspectionItem).where(InspectionItem.code == code)).first()
        if item is None or not item.active:
            raise field_error("item_codes", f"抽查事项 {code} 不存在或已停用")
        items.append(item)
    kinds = {d.kind for d in depts}
    stray = [i.code for i in items if i.department_kind not in kinds]
    if stray:
        raise field_error("item_codes", f"抽查事项 {'、'.join(stray)} 不属于参与任务的任何部门")
    _check_ratios(data, items)
    task = Task(
        code=data.code,
        plan_id=plan.id or 0,
        title=data.title,
        region_code=data.region_code,
        window_start=data.window_start,
        window_end=data.window_end,
        ratios=canonical_json(data.ratios),
        sample_count=data.sample_count,
        team_size=data.team_size,
        max_per_inspector=data.max_per_inspector,
        directed=data.directed,
        residence_rule=data.residence_rule,
        assignment=data.assignment,
        filter_json=_filter_json(session, data),
    )
    session.add(task)
    session.flush()
    session.add_all([TaskDepartment(task_id=task.id or 0, department_id=d.id or 0) for d in depts])
    session.add_all([TaskItem(task_id=task.id or 0, item_id=i.id or 0) for i in items])
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="task.created",
        object_type="task",
        object_id=data.code,
        payload=json.loads(data.model_dump_json()),
    )
    return task


def task_public(session: Session, task: Task) -> TaskPublic:
    """The published view of a task: its 细则, status, commitments (never secrets before the draw), and once
    frozen the published freeze (its digest, the parts' digests, per-tier counts, the beacon's issue) with the
    task exactly as committed, so that anyone can hold the reveals and the draw to it."""
    plan = session.get(Plan, task.plan_id)
    state = json.loads(task.freeze_json) if task.freeze_json else None
    draw = session.exec(select(Draw.public_id).where(Draw.task_id == task.id)).first()
    commitments: list[dict[str, Any]] = [
        {
            "participant": p.participant,
            "commitment": p.commitment,
            "committed_at": p.committed_at.isoformat(),
            "revealed": p.reveal is not None,
        }
        for p in session.exec(
            select(TaskParticipant).where(TaskParticipant.task_id == task.id).order_by(col(TaskParticipant.participant))
        ).all()
    ]
    return TaskPublic(
        code=task.code,
        plan=plan.code if plan else "",
        title=task.title,
        status=task.status,
        definition=state["task"] if state else task_definition(session, task),
        commitments=commitments,
        freeze=state["freeze"] if state else None,
        frozen_at=task.frozen_at.isoformat() if state and task.frozen_at else None,
        draw=draw,
    )


def _filter_json(session: Session, data: TaskCreate) -> str | None:
    """The 定向抽查 filter as stored: sorted, each region known and inside the task's region."""
    wanted = data.population_filter
    if wanted is None or not (wanted.industries or wanted.regions):
        return None
    for code in wanted.regions:
        if session.get(Region, code) is None or not code.startswith(jurisdiction(data.region_code)):
            raise field_error("population_filter.regions", f"行政区划 {code} 不存在或不在任务的行政区划内")
    return canonical_json({"industries": sorted(set(wanted.industries)), "regions": sorted(set(wanted.regions))})
