"""Who may be drawn and who may inspect whom, decided at the freeze (docs/draw-algorithm.md §2, §10.4, §10.8):
the 定向抽查 filter, and the recusals (declared conflicts, residence, rotation over the previous cycle)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from inspections.draw.teams import jurisdiction
from inspections.models import ConflictDeclaration, DrawTarget, Task, TaskDepartment, TaskItem, TeamMember
from supervise.models import Enterprise, Inspector


def directed_condition(population_filter: Mapping[str, list[str]] | None) -> list[Any]:
    """The SQL conditions of a 定向抽查 filter: firms of any listed industry and of any listed region."""
    if not population_filter:
        return []
    conds = []
    if population_filter.get("industries"):
        conds.append(or_(*(col(Enterprise.industry_code).startswith(c) for c in population_filter["industries"])))
    if population_filter.get("regions"):
        conds.append(
            or_(
                *(
                    col(Enterprise.township_code) == c
                    if len(c) == 9
                    else col(Enterprise.region_code).startswith(jurisdiction(c))
                    for c in population_filter["regions"]
                )
            )
        )
    return conds


def recusals_for(
    session: Session, task: Task, in_population: Callable[[str], bool], inspector_ids: set[Any]
) -> list[tuple[str, str, str]]:
    """Declared conflicts, residence, and rotation: nobody inspects a firm they inspected in the previous cycle.

    The previous cycle is, for each department and item of this task, the last earlier task with both."""
    triples: set[tuple[str, str, str]] = set()
    if not inspector_ids:
        return []

    def keep(rows: Any, reason: str) -> None:
        triples.update((b, u, reason) for b, u, _eid, iid in rows if iid in inspector_ids and in_population(u))

    keep(
        session.exec(
            select(Inspector.badge_no, Enterprise.uscc, Enterprise.id, Inspector.id)
            .join(ConflictDeclaration, col(ConflictDeclaration.inspector_id) == col(Inspector.id))
            .join(Enterprise, col(Enterprise.id) == col(ConflictDeclaration.enterprise_id))
        ).all(),
        "conflict",
    )
    previous = _previous_cycle(session, task)
    if previous:
        keep(
            session.exec(
                select(Inspector.badge_no, Enterprise.uscc, Enterprise.id, Inspector.id)
                .join(TeamMember, col(TeamMember.inspector_id) == col(Inspector.id))
                .join(DrawTarget, col(DrawTarget.id) == col(TeamMember.target_id))
                .join(Enterprise, col(Enterprise.id) == col(DrawTarget.enterprise_id))
                .where(col(DrawTarget.task_id).in_(previous))
            ).all(),
            "rotation",
        )
    if task.residence_rule:
        keep(
            session.execute(
                sa_select(col(Inspector.badge_no), col(Enterprise.uscc), col(Enterprise.id), col(Inspector.id))
                .join(Enterprise, col(Enterprise.township_code) == col(Inspector.residence_township_code))
                .where(col(Enterprise.region_code).startswith(jurisdiction(task.region_code)))
            ).all(),
            "residence",
        )
    return sorted(triples)


def _previous_cycle(session: Session, task: Task) -> set[int]:
    """The last earlier task of each (department, item) pair of this task."""
    mine = set(
        session.exec(
            select(TaskDepartment.department_id, TaskItem.item_id)
            .join(TaskItem, col(TaskItem.task_id) == col(TaskDepartment.task_id))
            .where(TaskDepartment.task_id == task.id)
        ).all()
    )
    if not mine:
        return set()
    rows = session.execute(
        sa_select(col(TaskDepartment.department_id), col(TaskItem.item_id), col(Task.window_end), col(Task.id))
        .join(TaskItem, col(TaskItem.task_id) == col(TaskDepartment.task_id))
        .join(Task, col(Task.id) == col(TaskDepartment.task_id))
        .where(
            col(Task.id) != task.id,
            col(Task.window_end) < task.window_start,
            col(TaskDepartment.department_id).in_({d for d, _i in mine}),
        )
    ).all()
    last: dict[tuple[int, int], tuple[Any, int]] = {}
    for dept, item, end, tid in rows:
        if (dept, item) in mine and (end, tid or 0) > last.get((dept, item), (end, -1)):
            last[(dept, item)] = (end, tid or 0)
    return {tid for _end, tid in last.values()}
