"""What waits for inspectors and reviewers (supervise.todo): returned results, parts to confirm, 复查 due, 工单
to sign and 工单 in hand, the reviewer's queue and 移送 to acknowledge."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, func, select

from inspections.complaints import rules as complaint_rules
from inspections.complaints.models import Complaint
from inspections.disposals.models import Disposal
from inspections.disposals.rules import OPEN, RECTIFY, REFER
from inspections.models import DrawTarget, InspectionResult, Plan, ResultPart, Task, TeamMember
from supervise.models import Inspector, User
from supervise.todo import TodoItem, provides_todo


def _item(key: str, label: str, dues: list[date | None], today: date, url: str, urgent: bool = False) -> TodoItem:
    return TodoItem(key, label, len(dues), sum(1 for d in dues if d is not None and d < today), url, urgent)


@provides_todo
def inspector_todo(session: Session, user: User, today: date) -> list[TodoItem]:
    """An inspector's returned results, teammates' parts to confirm, 复查 due and 工单."""
    if user.role != "inspector":
        return []
    me = session.exec(select(Inspector).where(Inspector.user_id == user.id)).first()
    if me is None:
        return []
    mine = select(TeamMember.target_id).where(TeamMember.inspector_id == me.id)
    returned = session.exec(
        select(col(InspectionResult.publish_due))
        .where(col(InspectionResult.target_id).in_(mine), col(InspectionResult.returned).is_(True))
        .where(col(InspectionResult.published_at).is_(None))
    ).all()
    to_confirm = session.exec(
        select(col(InspectionResult.publish_due))
        .join(ResultPart, col(ResultPart.result_id) == col(InspectionResult.id))
        .where(col(InspectionResult.target_id).in_(mine), col(ResultPart.confirmed_by).is_(None))
        .where(ResultPart.recorded_by != me.id, ResultPart.department_id == me.department_id)
    ).all()
    rechecks = session.exec(
        select(col(Disposal.recheck_end), col(Disposal.target_id), col(Complaint.ticket_no))
        .join(Complaint, col(Complaint.id) == col(Disposal.complaint_id), isouter=True)
        .where(Disposal.kind == RECTIFY, Disposal.status == OPEN, Disposal.owner_id == me.id)
        .where(col(Disposal.recheck_start) <= today)
        .order_by(col(Disposal.recheck_end))
    ).all()
    first = rechecks[0] if rechecks else None
    recheck_url = (f"/inspections/my/{first[1]}" if first[1] else f"/complaints/{first[2]}") if first else ""
    items = [
        _item(
            "inspections.returned",
            "审核退回、待更正的检查结果",
            list(returned),
            today,
            "/inspections/my?when=all",
            True,
        ),
        _item("inspections.confirm", "待本人确认的检查结果", list(to_confirm), today, "/inspections/my?when=all"),
        _item("disposals.recheck", "已到复查期间的责令改正", [r[0] for r in rechecks], today, recheck_url),
    ]
    if me.department_id is not None:
        unsigned = session.exec(
            select(col(Complaint.sign_due)).where(
                Complaint.department_id == me.department_id, Complaint.state == complaint_rules.RECEIVED
            )
        ).all()
        items.append(_item("complaints.sign", "本部门待签收的投诉举报", list(unsigned), today, "/complaints"))
    handling = session.exec(
        select(Complaint).where(Complaint.handler_id == user.id, Complaint.state != complaint_rules.REPLIED)
    ).all()
    items.append(_item("complaints.handle", "本人承办、尚未答复的投诉举报", [_next_due(c) for c in handling], today,
                       "/complaints"))  # fmt: skip
    return items


def _next_due(row: Complaint) -> date | None:
    """The deadline a 工单 in hand waits on: its statutory notices first, then the step it is at."""
    step = complaint_rules.current_step(row.category, row.state)
    dues = [
        row.notice_due if row.noticed_on is None else None,
        row.end_notice_due if row.end_noticed_on is None else None,
        row.mediation_due if row.mediation_state in complaint_rules.MEDIATION_OPEN else None,
    ]
    if step:
        dues.append(row.close_due if step == "reply" else getattr(row, f"{step}_due"))
    return min((d for d in dues if d is not None), default=None)


@provides_todo
def reviewer_todo(session: Session, user: User, today: date) -> list[TodoItem]:
    """A reviewer's queue (as /inspections/review lists it): unpublished results of the department's tasks."""
    if user.role != "reviewer" or user.department_id is None:
        return []
    due = session.exec(
        select(col(InspectionResult.publish_due))
        .join(DrawTarget, col(DrawTarget.id) == col(InspectionResult.target_id))
        .join(Task, col(Task.id) == col(DrawTarget.task_id))
        .join(Plan, col(Plan.id) == col(Task.plan_id))
        .where(Plan.department_id == user.department_id, col(InspectionResult.published_at).is_(None))
        .where(col(InspectionResult.returned).is_(False))  # a returned one is with the team
    ).all()
    return [_item("inspections.review", "待审核公示的检查结果", list(due), today, "/inspections/review")]


@provides_todo
def referral_todo(session: Session, user: User, today: date) -> list[TodoItem]:
    """移送 received by the user's department and not yet acknowledged."""
    if user.department_id is None or user.role not in ("inspector", "reviewer", "credit_officer", "licensing_officer"):
        return []
    count = session.exec(
        select(func.count()).select_from(Disposal)
        .where(Disposal.kind == REFER, Disposal.refer_department_id == user.department_id, Disposal.status == OPEN)
    ).one()  # fmt: skip
    return [TodoItem("disposals.referred", "移送本部门、待签收的案件线索", int(count), 0, "/disposals/inbox", True)]
