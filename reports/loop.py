"""Load the enforcement loop's rows for the accountability tally: each disposal of the region's visits with
its 复查 and its case (reports.enforcement adds them up)."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session, col, select

from inspections.disposals.models import Disposal, EnforcementCase
from inspections.models import DrawTarget, Task
from reports.enforcement import DisposalRow
from supervise import clock
from supervise.models import Department


def _day(ts: datetime | None) -> date | None:
    return clock.to_beijing(ts).date() if ts else None


def disposal_facts(session: Session, *, prefix: str) -> list[DisposalRow]:
    """Every disposal of the visits of tasks in the region, with its owner department and the task's region."""
    rows = session.exec(
        select(Disposal, Task.region_code, Department.code, EnforcementCase)
        .join(DrawTarget, col(DrawTarget.id) == col(Disposal.target_id))
        .join(Task, col(Task.id) == col(DrawTarget.task_id))
        .join(Department, col(Department.id) == col(Disposal.department_id))
        .outerjoin(EnforcementCase, col(EnforcementCase.disposal_id) == col(Disposal.id))
        .where(col(Task.region_code).startswith(prefix))
        .order_by(col(Disposal.id))
    ).all()
    return [
        DisposalRow(
            number=d.number,
            department=dept,
            region_code=region,
            kind=d.kind,
            due=d.due,
            ended_on=_day(d.closed_at) if d.status != "open" else None,
            recheck_end=d.recheck_end,
            recheck_on=d.recheck_on,
            filing_due=case.filing_due if case else None,
            filed_on=case.filed_on if case else None,
            not_filed=bool(case and case.status == "not_filed"),
        )
        for d, region, dept, case in rows
    ]
