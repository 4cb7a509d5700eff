"""Load the enforcement loop's rows for the accountability tally: each disposal of the region's visits with
its 复查 and its case (reports.enforcement adds them up), and each 投诉举报 工单 (reports.complaint_tally)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlmodel import Session, col, func, select

from inspections.complaints.models import Complaint
from inspections.complaints.services import repeats
from inspections.disposals.models import CaseStep, Disposal, EnforcementCase
from inspections.models import DrawTarget, Task
from reports.complaint_tally import ComplaintRow
from reports.enforcement import DisposalRow
from supervise import clock
from supervise.models import Department, Enterprise


def _day(ts: datetime | None) -> date | None:
    return clock.to_beijing(ts).date() if ts else None


def _ended(case: EnforcementCase, transferred_on: date | None) -> date | None:
    """The day the case was decided: a penalty or a 不予处罚 decision, or the 移送司法机关."""
    return case.decided_on or transferred_on


def disposal_facts(session: Session, *, prefix: str) -> list[DisposalRow]:
    """Every disposal of the region's visits and 工单, with its owner department and the region it counts for."""
    ended = {
        case_id: on
        for case_id, on in session.exec(
            select(col(CaseStep.case_id), col(CaseStep.on)).where(CaseStep.step == "transferred")
        ).all()
    }
    rows = session.exec(
        select(Disposal, func.coalesce(Task.region_code, Department.region_code), Department.code, EnforcementCase)
        .outerjoin(DrawTarget, col(DrawTarget.id) == col(Disposal.target_id))
        .outerjoin(Task, col(Task.id) == col(DrawTarget.task_id))
        .join(Department, col(Department.id) == col(Disposal.department_id))
        .outerjoin(EnforcementCase, col(EnforcementCase.disposal_id) == col(Disposal.id))
        # a visit's disposal counts for the task's region; a 投诉举报's for its department's
        .where(func.coalesce(Task.region_code, Department.region_code).startswith(prefix))
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
            decision_due=case.decision_due if case else None,
            decided_on=_ended(case, ended.get(case.id or 0)) if case else None,
        )
        for d, region, dept, case in rows
    ]


def complaint_facts(session: Session, *, prefix: str, start: date, end: date) -> list[ComplaintRow]:
    """The 工单 received in the period about firms of the region or handled by its departments."""
    rows = session.exec(
        select(Complaint, Department.code, Department.region_code, Enterprise.region_code)
        .outerjoin(Department, col(Department.id) == col(Complaint.department_id))
        .outerjoin(Enterprise, col(Enterprise.id) == col(Complaint.enterprise_id))
        .where(
            col(Complaint.received_at) >= datetime.combine(start, time(), clock.BEIJING),
            col(Complaint.received_at) < datetime.combine(end + timedelta(days=1), time(), clock.BEIJING),
        )
        .order_by(col(Complaint.id))
    ).all()
    mine = [r for r in rows if (r[2] or r[3] or "").startswith(prefix)]
    repeated = repeats(session, [c for c, *_rest in mine])
    return [
        ComplaintRow(
            ticket_no=c.ticket_no,
            department=dept,
            region_code=dept_region or firm_region,
            received_on=clock.to_beijing(c.received_at).date(),
            sign_due=c.sign_due,
            close_due=c.close_due,
            signed_on=_day(c.signed_at),
            closed_on=_day(c.closed_at),
            finding=c.finding,
            repeat=c.id in repeated,
        )
        for c, dept, dept_region, firm_region in mine
    ]
