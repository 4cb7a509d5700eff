"""What the public may read of the credit lists (信用查询): entries in force and the removal history, never a
proposal, never personal data, never a firm's risk tier."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from credit.lifecycle import ENDED_STATES
from credit.models import EntryEvent, ListEntry, ListType
from credit.rules import ACTIVE_STATES
from supervise.models import Department, Enterprise

# Why an entry left the list, as the public reads it (the last action that ended it).
REMOVAL_REASONS = {
    "approve_repair": "信用修复（申请移出）获准",
    "remove": "异议核实后撤销列入",
    "revoke": "所依据的行政处罚被撤销",
    "expire": "公示期满",
}


def _matching(q: str) -> Any:
    return col(Enterprise.name).contains(q, autoescape=True) | col(Enterprise.uscc).startswith(
        q.upper(), autoescape=True
    )


def public_entries(session: Session, *, q: str) -> list[dict[str, Any]]:
    """Entries in force (信用查询) by USCC or name."""
    stmt = (
        select(ListEntry, ListType, Enterprise)
        .join(ListType, col(ListType.code) == col(ListEntry.list_type))
        .join(Enterprise, col(Enterprise.id) == col(ListEntry.enterprise_id))
        .where(col(ListEntry.state).in_(ACTIVE_STATES), _matching(q))
    )
    return [
        {
            "uscc": e.uscc,
            "enterprise_name": e.name,
            "list_type": lt.name,
            "kind": lt.kind,
            "summary": entry.public_summary,
            "decision_number": entry.decision_number,
            "listed_on": entry.listed_on.isoformat() if entry.listed_on else None,
            "expires_on": entry.expires_on.isoformat() if entry.expires_on else None,
        }
        for entry, lt, e in session.exec(stmt.limit(200)).all()
    ]


def removal_history(session: Session, *, q: str) -> list[dict[str, Any]]:
    """Entries that were listed and have left the list: 移出日期, 原因, 作出决定机关."""
    stmt = (
        select(ListEntry, ListType, Enterprise, Department)
        .join(ListType, col(ListType.code) == col(ListEntry.list_type))
        .join(Enterprise, col(Enterprise.id) == col(ListEntry.enterprise_id))
        .join(Department, col(Department.id) == col(ListEntry.department_id))
        .where(col(ListEntry.state).in_(ENDED_STATES), col(ListEntry.listed_on).is_not(None), _matching(q))
        .order_by(col(ListEntry.ended_on).desc())
    )
    rows = session.exec(stmt.limit(200)).all()
    ending = {
        ev.entry_id: ev.action
        for ev in session.exec(
            select(EntryEvent)
            .where(col(EntryEvent.entry_id).in_([r[0].id for r in rows]), col(EntryEvent.to_state).in_(ENDED_STATES))
            .order_by(col(EntryEvent.id))
        ).all()
    }
    return [
        {
            "uscc": e.uscc,
            "enterprise_name": e.name,
            "list_type": lt.name,
            "kind": lt.kind,
            "listed_on": entry.listed_on.isoformat() if entry.listed_on else None,
            "removed_on": entry.ended_on.isoformat() if entry.ended_on else None,
            "reason": REMOVAL_REASONS.get(ending.get(entry.id or 0, ""), "移出"),
            "authority": dept.name,
        }
        for entry, lt, e, dept in rows
    ]
