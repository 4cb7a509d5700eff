"""What other parts of the system feed into the lists: inspection findings, the daily expiry and escalation."""

from __future__ import annotations

import logging
from datetime import date

from sqlmodel import Session, col, select

from credit.models import ListEntry, ListType
from credit.penalties import end_displays
from credit.rules import ACTIVE_STATES
from credit.services import propose, registering_authority, rule_of, transition
from inspections.models import DrawTarget
from supervise import clock
from supervise.errors import ApiError, Conflict
from supervise.models import Department, Enterprise

log = logging.getLogger(__name__)

# Inspection results that by law mean 经营异常, and the ground of the 经营异常名录 each is (credit/law.py).
FINDING_GROUNDS = {
    "未按规定公示应当公示的信息": "INSTANT_INFO",  # a 责令限期公示 step comes first
    "公示信息隐瞒真实情况、弄虚作假": "FALSE_INFO",
    "通过登记的住所（经营场所）无法联系": "UNREACHABLE",
}


def feed_inspection_result(session: Session, *, target_id: int, category: str, inspected_on: date) -> ListEntry | None:
    """A result that by law means 经营异常 becomes a proposal of the firm's registering authority."""
    ground_code = FINDING_GROUNDS.get(category)
    if ground_code is None or session.get(ListType, "ABNORMAL") is None:
        return None
    target = session.get(DrawTarget, target_id)
    ent = session.get(Enterprise, target.enterprise_id) if target else None
    registrar = registering_authority(session, ent) if ent else None
    if ent is None or registrar is None:
        log.warning("no registering authority for the firm of target %s: no 经营异常 proposal", target_id)
        return None
    ground = rule_of(session, "ABNORMAL").ground(ground_code)
    assert ground is not None, ground_code
    try:
        return propose(
            session,
            uscc=ent.uscc,
            list_type="ABNORMAL",
            ground=ground_code,
            user_id=None,
            actor="system:inspection",
            reason=f"双随机抽查结果：{category}",
            legal_basis=ground.basis,
            department_code=registrar.code,
            public_summary=f"抽查发现{category}",
            found_on=inspected_on,
            source_target_id=target_id,
        )
    except ApiError as exc:
        if isinstance(exc, Conflict):  # already on its way to the list
            return None
        raise


def expire_due(session: Session, *, today: date | None = None) -> dict[str, int]:
    """Expire entries past their maximum period and escalate long abnormal entries; safe to run twice."""
    today = today or clock.today()
    expired = 0
    due = session.exec(
        select(ListEntry).where(col(ListEntry.state).in_(ACTIVE_STATES), col(ListEntry.expires_on) <= today)
    ).all()
    for entry in due:
        transition(
            session,
            entry_id=entry.id or 0,
            action="expire",
            user_id=None,
            actor="system:expiry",
            today=today,
            note=f"公示期于 {entry.expires_on} 届满",
        )
        expired += 1
    ended = end_displays(session, today=today)
    return {"expired": expired, "escalated": _escalate(session, today), "penalties_ended": ended}


def _escalate(session: Session, today: date) -> int:
    """Propose entries listed too long (经营异常名录满三年) for the list their rule names."""
    escalated = 0
    for row in session.exec(select(ListType)).all():
        rule = rule_of(session, row.code)
        if not (rule.escalate_after and rule.escalate_to):
            continue
        target = rule_of(session, rule.escalate_to)
        ground = target.ground(rule.escalate_ground)
        for entry in session.exec(
            select(ListEntry).where(ListEntry.list_type == row.code, col(ListEntry.state).in_(ACTIVE_STATES))
        ).all():
            if entry.listed_on is None or rule.escalate_after.after(entry.listed_on) > today:
                continue
            ent = session.get(Enterprise, entry.enterprise_id)
            open_states = ("ordered", "proposed", "notified", *ACTIVE_STATES)
            if (
                ent is None
                or session.exec(
                    select(ListEntry.id).where(
                        ListEntry.enterprise_id == ent.id,
                        ListEntry.list_type == rule.escalate_to,
                        col(ListEntry.state).in_(open_states),
                    )
                ).first()
            ):
                continue
            dept = session.get(Department, entry.department_id)
            propose(
                session,
                uscc=ent.uscc,
                list_type=rule.escalate_to,
                ground=rule.escalate_ground,
                user_id=None,
                actor="system:expiry",
                reason=f"列入{rule.name}满{rule.escalate_after.describe()}仍未移出",
                legal_basis=ground.basis if ground else entry.legal_basis,
                department_code=dept.code if dept else "",
                public_summary=f"拟列入{target.name}",
                found_on=today,
            )
            escalated += 1
    return escalated
