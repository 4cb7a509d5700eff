"""What other parts of the system feed into the lists: inspection findings and the daily expiry."""

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
from supervise.models import Enterprise

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
    """Expire entries past their maximum period and end penalty displays that are due; safe to run twice."""
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
    return {"expired": expired, "penalties_ended": ended}
