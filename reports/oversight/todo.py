"""What waits in 督查 (supervise.todo): a unit's open 整改 items, and decisions waiting for the 督查室's second
member (four eyes: not the proposer)."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from reports.oversight import rules
from reports.oversight.models import OversightDecision, Rectification
from supervise.models import User
from supervise.todo import TodoItem, provides_todo


@provides_todo
def oversight_todo(session: Session, user: User, today: date) -> list[TodoItem]:
    """The unit's 整改 deadlines; the decisions another member of the 督查室 proposed."""
    if user.role == "unit" and user.department_id is not None:
        dues = session.exec(
            select(col(Rectification.due)).where(
                Rectification.department_id == user.department_id,
                col(Rectification.status).not_in([rules.ACCEPTED, rules.REVOKED]),
            )
        ).all()
        overdue = sum(1 for d in dues if d is not None and d < today)
        return [TodoItem("oversight.rectify", "本单位未完成的整改事项", len(dues), overdue, "/oversight/mine", True)]
    if user.role == "supervisor":
        waiting = session.exec(
            select(OversightDecision.id).where(
                OversightDecision.state == rules.PENDING, col(OversightDecision.proposed_by) != user.id
            )
        ).all()
        return [TodoItem("oversight.confirm", "待本人确认的督查决定（他人提出）", len(waiting), 0, "/oversight", True)]
    return []
