"""Inspectors' assignments and results, and their publication (一公开)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from credit.feeds import feed_inspection_result
from credit.tiers import recompute_tier
from inspections.models import (
    RESULT_CATEGORIES,
    ConflictDeclaration,
    Draw,
    DrawTarget,
    InspectionResult,
    Task,
    TeamMember,
)
from inspections.services import task_items
from supervise import audit, clock
from supervise.db import lock_rows, locked
from supervise.errors import ApiError, field_error
from supervise.holidays import counts_deadlines, work_calendar
from supervise.models import Enterprise, Inspector
from supervise.workdays import PROVISIONAL_NOTE, PUBLICATION_WORKING_DAYS, WorkCalendar


def inspector_of_user(session: Session, user_id: int) -> Inspector:
    """The inspector record linked to a user account, or 403."""
    insp = session.exec(select(Inspector).where(Inspector.user_id == user_id)).first()
    if insp is None:
        raise ApiError(403, "本账户未关联执法检查人员", code="forbidden")
    return insp


def _team(session: Session, target_id: int) -> list[Inspector]:
    return list(
        session.exec(
            select(Inspector)
            .join(TeamMember, col(TeamMember.inspector_id) == col(Inspector.id))
            .where(TeamMember.target_id == target_id)
            .order_by(col(TeamMember.position))
        ).all()
    )


def _target_for(session: Session, target_id: int, inspector: Inspector) -> tuple[DrawTarget, list[Inspector]]:
    target = session.get(DrawTarget, target_id)
    if target is None:
        raise field_error("target_id", f"检查任务 {target_id} 不存在", status=404)
    team = _team(session, target_id)
    if inspector.id not in {m.id for m in team}:
        # Another inspector's assignment: forbidden, whatever it contains.
        raise ApiError(403, "这是其他检查组的任务，无权查看或录入", code="forbidden")
    return target, team


def assignment_view(
    session: Session,
    target: DrawTarget,
    team: list[Inspector],
    calendar: WorkCalendar | None = None,
    viewer_id: int | None = None,
) -> dict[str, Any]:
    """Everything a team member needs: firm, items with legal basis, window, teammates, result."""
    task = session.get(Task, target.task_id)
    ent = session.get(Enterprise, target.enterprise_id)
    assert task is not None and ent is not None
    result = session.exec(select(InspectionResult).where(InspectionResult.target_id == target.id)).first()
    return {
        "target_id": target.id,
        "task": task.code,
        "task_title": task.title,
        "uscc": ent.uscc,
        "enterprise_name": ent.name,
        "region_code": ent.region_code,
        "items": [
            {"code": i.code, "name": i.name, "legal_basis": i.legal_basis, "method": i.method}
            for i in task_items(session, task)
        ],
        "window": {"start": task.window_start.isoformat(), "end": task.window_end.isoformat()},
        "team": [{"badge": m.badge_no, "name": m.name} for m in team],
        "result": None
        if result is None
        else {
            "category": result.category,
            "findings": result.findings,
            "inspected_on": result.inspected_on.isoformat(),
            "confirmed": result.confirmed_at is not None,
            "recorded_by_me": viewer_id is not None and result.recorded_by == viewer_id,
            "publish_due": result.publish_due.isoformat(),
            **_provisional(calendar or work_calendar(session), result),
            "published": result.published_at is not None,
            "overdue": result.published_at is None and result.publish_due < clock.today(),
        },
    }


def _provisional(calendar: WorkCalendar, result: InspectionResult) -> dict[str, Any]:
    provisional = calendar.is_provisional(clock.beijing_date(result.recorded_at), result.publish_due)
    return {"publish_due_provisional": provisional, "publish_due_note": PROVISIONAL_NOTE if provisional else ""}


@counts_deadlines
def recompute_publish_dues(session: Session, *, calendar: WorkCalendar, since: date) -> dict[str, int]:
    """Recount the publication deadlines on or after `since` with `calendar`; return how many moved."""
    moved = 0
    for result in session.exec(
        select(InspectionResult).where(col(InspectionResult.publish_due) >= since).with_for_update()
    ).all():
        due = calendar.add_working_days(clock.beijing_date(result.recorded_at), PUBLICATION_WORKING_DAYS)
        if due != result.publish_due:
            result.publish_due, moved = due, moved + 1
            session.add(result)
    return {"inspection_results": moved}


def my_assignments(session: Session, *, inspector: Inspector) -> list[dict[str, Any]]:
    """The inspector's own assignments, newest task first."""
    targets = session.exec(
        select(DrawTarget)
        .join(TeamMember, col(TeamMember.target_id) == col(DrawTarget.id))
        .where(TeamMember.inspector_id == inspector.id)
        .order_by(col(DrawTarget.task_id).desc(), col(DrawTarget.ticket))
    ).all()
    calendar = work_calendar(session)
    return [assignment_view(session, t, _team(session, t.id or 0), calendar, inspector.id) for t in targets]


def get_assignment(session: Session, *, target_id: int, inspector: Inspector) -> dict[str, Any]:
    """One assignment, only for a member of its team."""
    target, team = _target_for(session, target_id, inspector)
    return assignment_view(session, target, team)


def record_result(
    session: Session,
    *,
    target_id: int,
    inspector: Inspector,
    category: str,
    findings: str,
    inspected_on: date,
    actor: str,
) -> InspectionResult:
    """Record a team's result; the publication deadline is 20 working days after today."""
    locked(session, DrawTarget, target_id)  # two teammates recording at once: the second sees the first's result
    target, _team_members = _target_for(session, target_id, inspector)
    if category not in RESULT_CATEGORIES:
        raise field_error("category", f"检查结果“{category}”不在结果类别中")
    task = session.get(Task, target.task_id)
    assert task is not None
    today = clock.today()
    if inspected_on > today:
        raise field_error("inspected_on", "检查日期不能晚于今天")
    if inspected_on < task.window_start:
        raise field_error("inspected_on", f"检查日期早于任务的检查期限（{task.window_start} 起）")
    if session.exec(select(InspectionResult.id).where(InspectionResult.target_id == target_id)).first():
        raise field_error("target_id", "该任务已录入检查结果，不能重复录入", status=409)
    result = InspectionResult(
        target_id=target_id,
        category=category,
        findings=findings.strip(),
        inspected_on=inspected_on,
        recorded_by=inspector.id or 0,
        publish_due=work_calendar(session).add_working_days(today, PUBLICATION_WORKING_DAYS),
    )
    session.add(result)
    session.flush()
    ent = session.get(Enterprise, target.enterprise_id)
    _feed_credit(session, target=target, category=category, inspected_on=inspected_on)
    audit.record(
        session,
        actor=actor,
        action="result.recorded",
        object_type="draw_target",
        object_id=target_id,
        payload={
            "uscc": ent.uscc if ent else None,
            "category": category,
            "inspected_on": inspected_on.isoformat(),
            "publish_due": result.publish_due.isoformat(),
        },
    )
    return result


def confirm_result(session: Session, *, target_id: int, inspector: Inspector, actor: str) -> None:
    """A second team member confirms the recorded result."""
    _target_for(session, target_id, inspector)
    result = session.exec(lock_rows(select(InspectionResult).where(InspectionResult.target_id == target_id))).first()
    if result is None:
        raise field_error("target_id", "该任务尚未录入检查结果，无法确认", status=409)
    if result.recorded_by == inspector.id:
        raise ApiError(403, "录入人不能确认自己录入的结果，请由同组另一名检查人员确认", code="forbidden")
    if result.confirmed_at is not None:
        who = session.get(Inspector, result.confirmed_by)
        at = clock.to_beijing(result.confirmed_at).strftime("%Y-%m-%d %H:%M")
        raise field_error(
            "target_id", f"该结果已由{who.name if who else '同组检查人员'}于 {at} 确认，无需重复确认", 409
        )
    result.confirmed_by, result.confirmed_at = inspector.id, clock.now()
    session.add(result)
    audit.record(session, actor=actor, action="result.confirmed", object_type="draw_target", object_id=target_id)


def publish_result(session: Session, *, target_id: int, actor: str) -> InspectionResult:
    """Publish a recorded result on the public pages."""
    result = session.exec(lock_rows(select(InspectionResult).where(InspectionResult.target_id == target_id))).first()
    if result is None:
        raise field_error("target_id", f"任务 {target_id} 尚无检查结果", status=404)
    if result.published_at is not None:
        at = clock.to_beijing(result.published_at).strftime("%Y-%m-%d %H:%M")
        raise field_error("target_id", f"该结果已于 {at} 公示，不能重复公示", status=409)
    result.published_at = clock.now()
    session.add(result)
    audit.record(
        session,
        actor=actor,
        action="result.published",
        object_type="draw_target",
        object_id=target_id,
        payload={"late": clock.today() > result.publish_due},
    )
    return result


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


def _feed_credit(session: Session, *, target: DrawTarget, category: str, inspected_on: date) -> None:
    """Findings that by law mean 经营异常 become proposals; every result moves the firm's risk tier."""

    session.flush()
    # 谁登记、谁管理: the proposal goes to the firm's registering authority, whichever departments inspected.
    feed_inspection_result(session, target_id=target.id or 0, category=category, inspected_on=inspected_on)
    recompute_tier(session, enterprise_id=target.enterprise_id)
