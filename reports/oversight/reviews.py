"""The 复核 of a 督查结论 (政府督查工作条例 第十七条): the unit asks within 30 days of receiving the 通报, the
decision is due within 30 days of the request, and those who made the 结论 take no part in it. A revoked 结论
ends the 整改 it ordered. One row lock per change, audited in the same transaction."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, col, select

from reports.oversight import rules
from reports.oversight.models import OversightNotice, OversightReview, Rectification
from reports.oversight.queries import addressed_to
from supervise import audit, clock
from supervise.db import lock_rows
from supervise.errors import field_error
from supervise.models import User

OUTCOMES = {"upheld": "维持督查结论", "changed": "变更督查结论", "revoked": "撤销督查结论"}


def _notice(session: Session, number: str) -> OversightNotice:
    row = session.exec(lock_rows(select(OversightNotice).where(OversightNotice.number == number))).first()
    if row is None:
        raise field_error("notice", f"督查通报 {number} 不存在", status=404)
    return row


def _audit(session: Session, action: str, actor: str, number: str, **payload: Any) -> None:
    audit.record(session, actor=actor, action=action, object_type="oversight", object_id=number, payload=payload)


def request_review(
    session: Session, *, number: str, user: User, received_on: date, reasons: str, actor: str
) -> OversightReview:
    """The unit's request for 复核 of a 通报 addressed to it, within 30 days of receiving it."""
    notice = _notice(session, number)
    if user.role != "unit" or not addressed_to(session, notice, user.department_id):
        raise field_error("notice", "只能对发给本单位的督查结论申请复核", status=403)
    if session.exec(select(OversightReview.id).where(OversightReview.notice_id == notice.id)).first():
        raise field_error("notice", f"已就督查通报 {number} 申请复核", status=409)
    today, issued = clock.today(), clock.to_beijing(notice.issued_at).date()
    if not issued <= received_on <= today:
        raise field_error("received_on", f"收到日期应在 {issued}（通报日期）至今天之间")
    last = received_on + timedelta(days=rules.REVIEW_REQUEST_DAYS)
    if today > last:
        raise field_error(
            "received_on", f"应当自收到督查结论之日起三十日内申请复核，已于 {last} 届满（《政府督查工作条例》第十七条）"
        )
    if not reasons.strip():
        raise field_error("reasons", "请填写申请复核的事实和理由", named="申请复核的事实和理由")
    row = OversightReview(
        notice_id=notice.id or 0, received_on=received_on, requested_on=today, reasons=reasons.strip(),
        requested_by=actor, decision_due=today + timedelta(days=rules.REVIEW_DECISION_DAYS),
    )  # fmt: skip
    session.add(row)
    session.flush()
    _audit(session, "oversight.review_requested", actor, number, received_on=received_on.isoformat(),
           decision_due=row.decision_due.isoformat())  # fmt: skip
    return row


def decide_review(
    session: Session, *, review_id: int, user: User, outcome: str, decision: str, actor: str
) -> OversightReview:
    """Record the 复核决定; neither who proposed nor who confirmed the 通报 may decide it (回避)."""
    row = session.exec(lock_rows(select(OversightReview).where(OversightReview.id == review_id))).first()
    if row is None:
        raise field_error("review_id", f"复核申请 {review_id} 不存在", status=404)
    if row.decided_on is not None:
        raise field_error("review_id", f"该复核申请已于 {row.decided_on} 作出决定", status=409)
    notice = session.get(OversightNotice, row.notice_id)
    assert notice is not None
    if actor in (notice.proposed_by, notice.confirmed_by):
        raise field_error(
            "review_id", "参与作出督查结论的工作人员在复核中应当回避（《政府督查工作条例》第十七条）", status=403
        )
    if outcome not in OUTCOMES:
        raise field_error("outcome", f"复核决定应为：{'、'.join(OUTCOMES.values())}", named="复核决定")
    if not decision.strip():
        raise field_error("decision", "请填写复核决定的理由", named="复核决定的理由")
    today = clock.today()
    row.decided_on, row.outcome, row.decision, row.decided_by = today, outcome, decision.strip(), actor
    session.add(row)
    if outcome == "revoked":
        notice.revoked_on = today
        session.add(notice)
        for rect in session.exec(
            lock_rows(
                select(Rectification).where(
                    Rectification.notice_id == notice.id, col(Rectification.status) != rules.ACCEPTED
                )
            )
        ):
            rect.status = rules.REVOKED
            session.add(rect)
    _audit(session, "oversight.review_decided", actor, notice.number, outcome=outcome,
           late=today > row.decision_due)  # fmt: skip
    return row


def reviews(session: Session, *, department_id: int | None = None) -> list[dict[str, Any]]:
    """Every 复核 request, undecided first (overdue flagged), or one department's."""
    stmt = select(OversightReview, OversightNotice).join(
        OversightNotice, col(OversightNotice.id) == col(OversightReview.notice_id)
    )
    if department_id is not None:
        stmt = stmt.where(OversightNotice.department_id == department_id)
    today, out = clock.today(), []
    for row, notice in session.exec(
        stmt.order_by(col(OversightReview.decided_on).is_not(None), col(OversightReview.decision_due))
    ):
        out.append(
            {
                "id": row.id, "notice": notice.number, "unit": notice.unit_name,
                "received_on": row.received_on.isoformat(),
                "requested_on": row.requested_on.isoformat(), "reasons": row.reasons,
                "decision_due": row.decision_due.isoformat(),
                "overdue": row.decided_on is None and today > row.decision_due,
                "decided_on": row.decided_on.isoformat() if row.decided_on else None, "outcome": row.outcome,
                "outcome_label": OUTCOMES.get(row.outcome or "", "待复核"), "decision": row.decision,
                "recused": [notice.proposed_by, notice.confirmed_by],
            }
        )  # fmt: skip
    return out


def notices_for(session: Session, *, department_id: int) -> list[dict[str, Any]]:
    """The 通报 addressed to a unit, with the last day to ask for 复核 counted from their date, and its review."""
    done = {r["notice"]: r for r in reviews(session)}
    out = []
    for notice in session.exec(select(OversightNotice).order_by(col(OversightNotice.issued_at).desc())):
        if not addressed_to(session, notice, department_id):
            continue
        issued = clock.to_beijing(notice.issued_at).date()
        out.append(
            {
                "id": notice.id, "number": notice.number, "period": notice.period, "issued_on": issued.isoformat(),
                "revoked_on": notice.revoked_on.isoformat() if notice.revoked_on else None,
                "review": done.get(notice.number),
            }
        )  # fmt: skip
    return out
