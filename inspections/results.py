"""Inspectors' assignments and results, and their publication (一公开)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from inspections.evidence import attachment_rows
from inspections.models import (
    ConflictDeclaration,
    Draw,
    DrawTarget,
    InspectionResult,
    PointResult,
    ResultPart,
    Task,
    TeamMember,
)
from inspections.recording import department_items, points_of_items, progress_of, task_departments, team_target
from inspections.services import task_items
from supervise import audit, clock
from supervise.config import tuning
from supervise.errors import ApiError, field_error
from supervise.holidays import counts_deadlines, work_calendar
from supervise.models import Department, Enterprise, Inspector
from supervise.workdays import PROVISIONAL_NOTE, PUBLICATION_WORKING_DAYS, WorkCalendar


def inspector_of_user(session: Session, user_id: int) -> Inspector:
    """The inspector record linked to a user account, or 403."""
    insp = session.exec(select(Inspector).where(Inspector.user_id == user_id)).first()
    if insp is None:
        raise ApiError(403, "本账户未关联执法检查人员", code="forbidden")
    return insp


def team_of(session: Session, target_id: int) -> list[Inspector]:
    """The team sent to a drawn firm, in position order."""
    return list(
        session.exec(
            select(Inspector)
            .join(TeamMember, col(TeamMember.inspector_id) == col(Inspector.id))
            .where(TeamMember.target_id == target_id)
            .order_by(col(TeamMember.position))
        ).all()
    )


def assignment_view(
    session: Session,
    target: DrawTarget,
    team: list[Inspector],
    calendar: WorkCalendar | None = None,
    viewer_id: int | None = None,
) -> dict[str, Any]:
    """Everything a team member needs: firm, items with their 检查要点, window, teammates, the parts recorded."""
    task = session.get(Task, target.task_id)
    ent = session.get(Enterprise, target.enterprise_id)
    assert task is not None and ent is not None
    viewer = next((m for m in team if m.id == viewer_id), None)
    depts = task_departments(session, task)
    my_dept = next((d for d in depts if viewer and d.id == viewer.department_id), None)
    mine = {i.id for i in department_items(session, task, my_dept, depts=depts)} if my_dept else set()
    items = task_items(session, task)
    points = points_of_items(session, items)
    result = session.exec(select(InspectionResult).where(InspectionResult.target_id == target.id)).first()
    recorded = (
        {p.point_id: p for p in session.exec(select(PointResult).where(PointResult.result_id == result.id)).all()}
        if result
        else {}
    )
    return {
        "target_id": target.id,
        "task": task.code,
        "task_title": task.title,
        "uscc": ent.uscc,
        "enterprise_name": ent.name,
        "region_code": ent.region_code,
        "items": [
            {
                "code": i.code,
                "name": i.name,
                "legal_basis": i.legal_basis,
                "method": i.method,
                "department_kind": i.department_kind,
                "mine": i.id in mine,
                "points": [
                    {
                        "id": p.id,
                        "seq": p.seq,
                        "text": p.text,
                        "legal_basis": p.legal_basis,
                        "criterion": p.criterion,
                        "severity": p.severity,
                        "outcome": recorded[p.id].outcome if p.id in recorded else None,
                        "note": recorded[p.id].note if p.id in recorded else "",
                    }
                    for p in points
                    if p.item_id == i.id
                ],
            }
            for i in items
        ],
        "window": {"start": task.window_start.isoformat(), "end": task.window_end.isoformat()},
        "team": [{"badge": m.badge_no, "name": m.name} for m in team],
        "state": progress_of(session, task, result, needed=len(depts)).state if result else None,
        "result": None
        if result is None
        else _result_view(session, task, result, calendar or work_calendar(session), viewer, my_dept, depts),
    }


def _result_view(
    session: Session,
    task: Task,
    result: InspectionResult,
    calendar: WorkCalendar,
    viewer: Inspector | None,
    my_dept: Department | None,
    depts: list[Department],
) -> dict[str, Any]:
    parts = session.exec(select(ResultPart).where(ResultPart.result_id == result.id).order_by(col(ResultPart.id))).all()
    names = {d.id: d.name for d in depts}
    people = {i.id: i.name for i in session.exec(select(Inspector).where(col(Inspector.id).in_(
        {p.recorded_by for p in parts} | {p.confirmed_by for p in parts if p.confirmed_by}
    ))).all()}  # fmt: skip
    published = result.published_at is not None
    vid = viewer.id if viewer else None
    return {
        "category": result.category,
        "findings": result.findings,
        "inspected_on": result.inspected_on.isoformat(),
        "confirmed": result.confirmed_at is not None,
        "recorded_by_me": vid is not None and result.recorded_by == vid,
        "parts": [
            {
                "department": names.get(p.department_id) or str(p.department_id),
                "category": p.category,
                "findings": p.findings,
                "recorded_by": people.get(p.recorded_by, ""),
                "confirmed_by": people.get(p.confirmed_by or 0),
                "mine": my_dept is not None and p.department_id == my_dept.id,
            }
            for p in parts
        ],
        "can_record": my_dept is not None and not published and all(p.department_id != my_dept.id for p in parts),
        "can_confirm": vid is not None and any(p.confirmed_at is None and p.recorded_by != vid for p in parts),
        "can_correct": result.returned and any(my_dept is not None and p.department_id == my_dept.id for p in parts),
        "returned": result.returned,
        "return_reason": result.return_reason,
        "attachments": attachment_rows(session, result_id=result.id or 0),
        "record_due": result.record_due.isoformat() if result.record_due else None,
        "recorded_late": result.recorded_late,
        "publish_due": result.publish_due.isoformat(),
        **_provisional(calendar, result),
        "published": published,
        "overdue": not published and result.publish_due < clock.today(),
    }


def _provisional(calendar: WorkCalendar, result: InspectionResult) -> dict[str, Any]:
    provisional = calendar.is_provisional(result.inspected_on, result.publish_due)
    return {"publish_due_provisional": provisional, "publish_due_note": PROVISIONAL_NOTE if provisional else ""}


@counts_deadlines
def recompute_publish_dues(session: Session, *, calendar: WorkCalendar, since: date) -> dict[str, int]:
    """Recount the publication and recording deadlines on or after `since` with `calendar`; return how many moved."""
    moved = 0
    days = tuning().recording_days
    for result in session.exec(
        select(InspectionResult).where(col(InspectionResult.publish_due) >= since).with_for_update()
    ).all():
        due = calendar.add_working_days(result.inspected_on, PUBLICATION_WORKING_DAYS)
        record_due = calendar.add_working_days(result.inspected_on, days) if result.record_due else None
        if (due, record_due) != (result.publish_due, result.record_due):
            result.publish_due, result.record_due, moved = due, record_due, moved + 1
            session.add(result)
    return {"inspection_results": moved}


WHEN = ("current", "upcoming", "past")


def my_assignments(
    session: Session, *, inspector: Inspector, when: str | None = None, limit: int = 500, offset: int = 0
) -> tuple[list[dict[str, Any]], int]:
    """The inspector's own assignments (current, upcoming or past window; all by default) and how many there are."""
    today = clock.today()
    stmt = (
        select(DrawTarget)
        .join(TeamMember, col(TeamMember.target_id) == col(DrawTarget.id))
        .join(Task, col(Task.id) == col(DrawTarget.task_id))
        .where(TeamMember.inspector_id == inspector.id)
    )
    if when == "current":
        stmt = stmt.where(col(Task.window_start) <= today, col(Task.window_end) >= today)
    elif when == "upcoming":
        stmt = stmt.where(col(Task.window_start) > today)
    elif when == "past":
        stmt = stmt.where(col(Task.window_end) < today)
    total = session.exec(select(func.count()).select_from(stmt.subquery())).one()
    # Current work first: the nearest window end, then the ticket order of the draw.
    order = (col(Task.window_end).desc(),) if when == "past" else (col(Task.window_end), col(Task.id))
    targets = session.exec(stmt.order_by(*order, col(DrawTarget.ticket)).offset(offset).limit(limit)).all()
    calendar = work_calendar(session)
    views = [assignment_view(session, t, team_of(session, t.id or 0), calendar, inspector.id) for t in targets]
    return views, int(total)


def get_assignment(session: Session, *, target_id: int, inspector: Inspector) -> dict[str, Any]:
    """One assignment, only for a member of its team."""
    target = team_target(session, target_id, inspector)
    return assignment_view(session, target, team_of(session, target_id), viewer_id=inspector.id)


def _published(q: str | None) -> Any:
    stmt = (
        sa_select(
            col(Enterprise.uscc),
            col(Enterprise.name),
            col(Task.code),
            col(Task.title),
            col(InspectionResult.category),
            col(InspectionResult.inspected_on),
            col(InspectionResult.published_at),
            col(Draw.public_id),
        )
        .join(DrawTarget, col(DrawTarget.id) == col(InspectionResult.target_id))
        .join(Enterprise, col(Enterprise.id) == col(DrawTarget.enterprise_id))
        .join(Task, col(Task.id) == col(DrawTarget.task_id))
        .join(Draw, col(Draw.id) == col(DrawTarget.draw_id))
        .where(col(InspectionResult.published_at).is_not(None))
    )
    if q:
        stmt = stmt.where(
            col(Enterprise.name).contains(q, autoescape=True)
            | col(Enterprise.uscc).startswith(q.upper(), autoescape=True)
        )
    return stmt


def count_public_results(session: Session, *, q: str | None = None) -> int:
    """How many published results match the search."""
    return int(session.execute(sa_select(func.count()).select_from(_published(q).subquery())).scalar_one())


def public_results(
    session: Session, *, q: str | None = None, limit: int = 100, offset: int = 0
) -> list[dict[str, Any]]:
    """Published results (抽查结果公告), searchable by firm name or USCC, newest first."""
    stmt = _published(q).order_by(col(InspectionResult.published_at).desc(), col(InspectionResult.id).desc())
    rows = session.execute(stmt.offset(offset).limit(limit)).all()
    return [
        {
            "uscc": u,
            "enterprise_name": n,
            "task": tc,
            "task_title": tt,
            "category": c,
            "inspected_on": d.isoformat(),
            "published_at": p.isoformat(),
            "draw": dr,
        }
        for u, n, tc, tt, c, d, p, dr in rows
    ]


def overdue_publications(session: Session, *, today: date | None = None) -> list[dict[str, Any]]:
    """Results not published by their deadline (or published late), with working days overdue."""
    today = today or clock.today()
    calendar = work_calendar(session)
    rows = session.execute(
        sa_select(
            col(InspectionResult.target_id),
            col(Enterprise.uscc),
            col(Enterprise.name),
            col(Task.code),
            col(InspectionResult.publish_due),
            col(InspectionResult.published_at),
        )
        .join(DrawTarget, col(DrawTarget.id) == col(InspectionResult.target_id))
        .join(Enterprise, col(Enterprise.id) == col(DrawTarget.enterprise_id))
        .join(Task, col(Task.id) == col(DrawTarget.task_id))
        .where(col(InspectionResult.published_at).is_(None), col(InspectionResult.publish_due) < today)
    ).all()
    return [
        {
            "target_id": t,
            "uscc": u,
            "enterprise_name": n,
            "task": tc,
            "publish_due": due.isoformat(),
            "working_days_overdue": calendar.working_days_between(due, today),
        }
        for t, u, n, tc, due, _p in rows
    ]


def declare_conflict(session: Session, *, inspector: Inspector, uscc: str, relation: str, actor: str) -> None:
    """Record an inspector's declared relation to a firm (回避); later draws never send them there."""
    ent = session.exec(select(Enterprise).where(Enterprise.uscc == uscc)).first()
    if ent is None:
        raise field_error("uscc", f"统一社会信用代码 {uscc} 未登记", status=404)
    if not relation.strip():
        raise field_error("relation", "请说明关联关系（如 亲属任股东、曾任职）")
    if session.exec(
        select(ConflictDeclaration.id).where(
            ConflictDeclaration.inspector_id == inspector.id, ConflictDeclaration.enterprise_id == ent.id
        )
    ).first():
        raise field_error("uscc", f"已申报过与 {uscc} 的回避关系", status=409)
    session.add(
        ConflictDeclaration(inspector_id=inspector.id or 0, enterprise_id=ent.id or 0, relation=relation.strip())
    )
    audit.record(
        session,
        actor=actor,
        action="conflict.declared",
        object_type="inspector",
        object_id=inspector.badge_no,
        payload={"uscc": uscc},
    )
