"""What waits for credit officers (supervise.todo): list decisions, objections and repair applications due in
the departments they reach."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from credit.models import ListEntry
from credit.services import scoped_entries
from supervise.models import User
from supervise.todo import TodoItem, provides_todo

# state -> (the deadline it waits on, what the officer must do)
WAITING = {
    "proposed": ("decision_due", "待作出列入决定的名单条目"),
    "notified": ("decision_due", "待作出列入决定的名单条目"),
    "objection_filed": ("objection_accept_due", "待决定是否受理的异议"),
    "objected": ("objection_due", "待核实答复的异议"),
    "repair_applied": ("repair_due", "待决定的移出（信用修复）申请"),
}


@provides_todo
def credit_todo(session: Session, user: User, today: date) -> list[TodoItem]:
    """Entries waiting on the officer's department, grouped by what is to be done."""
    if user.role != "credit_officer":
        return []
    stmt = select(ListEntry).where(col(ListEntry.state).in_(list(WAITING)))
    within = scoped_entries(session, user_id=user.id)
    if within is not None:
        stmt = stmt.where(within)
    grouped: dict[str, list[date | None]] = {}
    for entry in session.exec(stmt).all():
        field, label = WAITING[entry.state]
        grouped.setdefault(label, []).append(getattr(entry, field))
    return [
        TodoItem(f"credit.{label}", label, len(d), sum(1 for x in d if x is not None and x < today), "/credit/entries")
        for label, d in grouped.items()
    ]
