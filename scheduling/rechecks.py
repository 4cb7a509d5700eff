"""The 复查 visits of open 责令改正 as directed pairs for the joint scheduler: the firm, the window after the
rectification deadline, the department's items of the original task and the department's members of its team."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from inspections.disposals import rules
from inspections.disposals.models import Disposal
from inspections.draw.algorithm import ticket
from inspections.models import DrawTarget, InspectionItem, Task, TaskItem, TeamMember
from scheduling.algorithm import Member, Pair
from supervise.models import Department, Enterprise, Inspector


def recheck_pairs(
    session: Session, *, prefix: str, start: date, end: date
) -> tuple[list[Pair], dict[str, int], dict[str, int]]:
    """Directed pairs for the rechecks due in [start, end]; with the firm and inspector ids they name."""
    rows = session.exec(
        select(Disposal, Enterprise, DrawTarget, Department)
        .join(Enterprise, col(Enterprise.id) == col(Disposal.enterprise_id))
        .join(DrawTarget, col(DrawTarget.id) == col(Disposal.target_id))
        .join(Department, col(Department.id) == col(Disposal.department_id))
        .where(
            Disposal.kind == rules.RECTIFY,
            Disposal.status == rules.OPEN,
            col(Enterprise.region_code).startswith(prefix),
            col(Disposal.recheck_start) <= end,
            col(Disposal.recheck_end) >= start,
        )
        .order_by(col(Disposal.number))
    ).all()
    pairs: list[Pair] = []
    firm_ids: dict[str, int] = {}
    inspector_ids: dict[str, int] = {}
    for disposal, ent, target, dept in rows:
        assert disposal.recheck_start is not None and disposal.recheck_end is not None
        # The team that found the problem goes back: the department's members first (staff() takes one of
        # them), the rest of the original team filling to the two 执法人员 an inspection needs.
        members = session.exec(
            select(Inspector, Department.code)
            .join(TeamMember, col(TeamMember.inspector_id) == col(Inspector.id))
            .join(Department, col(Department.id) == col(Inspector.department_id))
            .where(TeamMember.target_id == target.id)
        ).all()
        items = session.exec(
            select(InspectionItem.code)
            .join(TaskItem, col(TaskItem.item_id) == col(InspectionItem.id))
            .join(Task, col(Task.id) == col(TaskItem.task_id))
            .where(Task.id == target.task_id, InspectionItem.department_kind == dept.kind)
        ).all()
        team = []
        for m, code in members:
            inspector_ids[m.badge_no] = m.id or 0
            team.append(Member(m.badge_no, code, ticket(disposal.number, "inspector", f"{ent.uscc}|{m.badge_no}")))
        firm_ids[ent.uscc] = ent.id or 0
        pairs.append(
            Pair(
                disposal.number,  # the 复查 carries the disposal's number where a visit carries task codes
                ent.uscc,
                ent.township_code or ent.region_code,
                max(disposal.recheck_start, start),
                min(disposal.recheck_end, end),
                True,
                (dept.code,),
                tuple(sorted(items)),
                tuple(sorted(team, key=lambda m: m.ticket)),
            )
        )
    return pairs, firm_ids, inspector_ids
