"""What the 督查室 and the units read: 整改 items with their escalation, the open ones overdue first, each
unit's history across periods, the next period's re-check, and the evidence bundle of a 追责建议."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from reports.dashboard import dashboard
from reports.oversight import rules
from reports.oversight.models import OversightDecision, OversightNotice, Rectification, RectificationReport
from reports.oversight.services import facts
from supervise import audit, clock
from supervise.errors import field_error
from supervise.models import AuditLog, Department, User
from supervise.paper import paper_date
from supervise.periods import parse_period


def item_view(session: Session, rect: Rectification, today: date) -> dict[str, Any]:
    """One 整改 item as the 督查室 and its unit see it."""
    f = facts(session, rect, today)
    step = rules.escalation(f)
    dept = session.get(Department, rect.department_id)
    reports = session.exec(
        select(RectificationReport)
        .where(RectificationReport.rectification_id == rect.id)
        .order_by(col(RectificationReport.id))
    ).all()
    checks = json.loads(rect.recheck_json or "[]")
    due = rect.interview_due or rect.due
    interview = accountability = None
    if rect.interview_on:
        interview = {"held_on": rect.interview_on.isoformat(), "participants": rect.interview_participants,
                     "minutes": rect.interview_minutes}  # fmt: skip
    if rect.accountability_on:
        accountability = {"on": rect.accountability_on.isoformat(), "to": rect.accountability_to,
                          "text": rect.accountability_text}  # fmt: skip
    return {
        "number": rect.number,
        "notice_id": rect.notice_id,
        "period": rect.period,
        "region_code": rect.region_code,
        "unit": {"kind": rect.unit_kind, "code": rect.unit_code, "name": rect.unit_name},
        "department": dept.name if dept else "",
        "reasons": [r["message"] for r in json.loads(rect.reasons_json)],
        "requirement": rect.requirement,
        "issued_on": rect.issued_on.isoformat(),
        "due": due.isoformat(),
        "overdue": rect.status != rules.ACCEPTED and today > due,
        "status": rect.status,
        "status_label": rules.STATUS_LABELS[rect.status],
        "reports": [
            {
                "submitted_at": clock.to_beijing(r.submitted_at).isoformat(),
                "text": r.text,
                "attachments": json.loads(r.attachments_json),
                "outcome": r.outcome,
                "reason": r.outcome_reason,
            }
            for r in reports
        ],  # fmt: skip
        "triggers": [rules.TRIGGER_LABELS[t] for t in rules.triggers(f)],
        "escalation": rules.DECISION_LABELS[step["step"]] if step else None,
        "interview": interview,
        "accountability": accountability,
        "recheck": checks,
        "recovered": (not checks[-1]["flagged"]) if checks else None,
    }


def items(session: Session, *, department_id: int | None = None, only_open: bool = False) -> list[dict[str, Any]]:
    """整改 items, overdue first, then by due date; a unit's own only when department_id is given."""
    stmt = select(Rectification)
    if department_id is not None:
        stmt = stmt.where(Rectification.department_id == department_id)
    if only_open:
        stmt = stmt.where(Rectification.status != rules.ACCEPTED)
    today = clock.today()
    rows = [item_view(session, r, today) for r in session.exec(stmt).all()]
    return sorted(rows, key=lambda r: (not r["overdue"], r["status"] == rules.ACCEPTED, r["due"], r["number"]))


def one(session: Session, *, number: str, user: User) -> dict[str, Any]:
    """One item; a unit account sees only its own department's (403 otherwise)."""
    rect = session.exec(select(Rectification).where(Rectification.number == number)).first()
    if rect is None:
        raise field_error("rectification", f"整改通知 {number} 不存在", status=404)
    if user.role == "unit" and user.department_id != rect.department_id:
        raise field_error("rectification", "只能查看本单位的整改事项", status=403)
    return item_view(session, rect, clock.today())


def pending(session: Session) -> list[dict[str, Any]]:
    """Decisions waiting for a second member of the 督查室."""
    names = dict(session.exec(select(User.id, User.display_name)).all())
    rows = session.exec(
        select(OversightDecision, Rectification.number)
        .join(Rectification, col(Rectification.id) == col(OversightDecision.rectification_id), isouter=True)
        .where(OversightDecision.state == rules.PENDING)
        .order_by(col(OversightDecision.id))
    ).all()
    return [
        {"id": d.id, "kind": d.kind, "label": rules.DECISION_LABELS[d.kind], "number": number,
         "proposed_by": names.get(d.proposed_by, ""), "proposed_by_id": d.proposed_by,
         "proposed_at": clock.to_beijing(d.proposed_at).strftime("%Y-%m-%d %H:%M"), "payload": json.loads(d.payload)}
        for d, number in rows
    ]  # fmt: skip


def history(session: Session) -> list[dict[str, Any]]:
    """Each unit's 通报 and 整改 by period; a unit flagged in two or more periods is a repeat laggard."""
    per: dict[tuple[str, str], dict[str, Any]] = {}
    rows: list[OversightNotice | Rectification] = [
        *session.exec(select(OversightNotice)).all(),
        *session.exec(select(Rectification)).all(),
    ]
    for row in rows:
        unit = per.setdefault((row.unit_kind, row.unit_code), {"name": row.unit_name, "periods": defaultdict(list)})
        unit["periods"][row.period].append(row.number)
        if isinstance(row, Rectification):  # still lagging when re-checked in a later period
            for check in json.loads(row.recheck_json or "[]"):
                if check["flagged"]:
                    unit["periods"][check["period"]].append("复核仍滞后")
    out = [
        {"kind": kind, "code": code, "name": u["name"], "periods": dict(sorted(u["periods"].items())),
         "repeat": len(u["periods"]) >= 2}
        for (kind, code), u in per.items()
    ]  # fmt: skip
    return sorted(out, key=lambda u: (not u["repeat"], -len(u["periods"]), u["code"]))


def recheck(session: Session, *, region: str, period: str, lagging: list[dict[str, Any]]) -> list[str]:
    """Record, on every item of the period before, whether its unit is still lagging in this period's metrics."""
    start = parse_period(period).start
    touched = []
    for rect in session.exec(select(Rectification).where(Rectification.region_code == region)).all():
        if parse_period(rect.period).start >= start:
            continue
        flagged = next((u for u in lagging if (u["kind"], u["code"]) == (rect.unit_kind, rect.unit_code)), None)
        checks = [c for c in json.loads(rect.recheck_json or "[]") if c["period"] != period]
        checks.append({
            "period": period, "start": start.isoformat(), "flagged": flagged is not None,
            "reasons": [r["message"] for r in flagged["reasons"]] if flagged else [],
            "checked_on": clock.today().isoformat(),
        })  # fmt: skip
        rect.recheck_json = json.dumps(sorted(checks, key=lambda c: c["period"]), ensure_ascii=False)
        session.add(rect)
        touched.append(rect.number)
    return touched


def recheck_period(
    session: Session, *, region: str, period: str, actor: str, lagging: list[dict[str, Any]] | None = None
) -> list[str]:
    """Re-check the units under 整改 against a later period's lagging list (computed unless given), audited."""
    if lagging is None:
        lagging = dashboard(session, region=region, period=period)["lagging"]
    touched = recheck(session, region=region, period=period, lagging=lagging)
    if touched:
        audit.record(session, actor=actor, action="oversight.rechecked", object_type="oversight",
                     object_id=f"{region}/{period}", payload={"items": touched})  # fmt: skip
    return touched


def evidence(session: Session, *, number: str) -> dict[str, Any]:
    """The evidence bundle of a 追责建议: the item, its 通报, reports, decisions and their audit entries."""
    rect = session.exec(select(Rectification).where(Rectification.number == number)).first()
    if rect is None:
        raise field_error("rectification", f"整改通知 {number} 不存在", status=404)
    notice = session.get(OversightNotice, rect.notice_id) if rect.notice_id else None
    decisions = session.exec(
        select(OversightDecision)
        .where(OversightDecision.rectification_id == rect.id)
        .order_by(col(OversightDecision.id))
    ).all()
    ids = [number, *(f"decision-{d.id}" for d in decisions), *([notice.number] if notice else [])]
    logged = session.exec(select(AuditLog).where(col(AuditLog.object_id).in_(ids)).order_by(col(AuditLog.id))).all()
    return {
        "rectification": item_view(session, rect, clock.today()),
        "notice": {"number": notice.number, "main_to": notice.main_to, "copy_to": notice.copy_to,
                   "reasons": json.loads(notice.reasons_json), "requirement": notice.requirement} if notice else None,
        "decisions": [{"id": d.id, "kind": d.kind, "state": d.state, "proposed_by": d.proposed_by,
                       "confirmed_by": d.confirmed_by, "payload": json.loads(d.payload)} for d in decisions],
        "audit": [{"id": a.id, "at": clock.to_beijing(a.created_at).isoformat(), "actor": a.actor, "action": a.action,
                   "object_id": a.object_id, "hash": a.hash} for a in logged],
        "duty": rules.SUPERVISION_DUTY,
    }  # fmt: skip


def addressed_to(session: Session, notice: OversightNotice, department_id: int | None) -> bool:
    """Whether a 通报 concerns this department: it is the unit, or the department answering its 整改通知."""
    dept = session.get(Department, department_id) if department_id else None
    if dept is None:
        return False
    if notice.unit_kind == "department" and notice.unit_code == dept.code:
        return True
    return (
        session.exec(
            select(Rectification.id).where(Rectification.notice_id == notice.id, Rectification.department_id == dept.id)
        ).first()
        is not None
    )


def notice_data(session: Session, *, number: str) -> dict[str, Any]:
    """A 督查通报 as plain data for its PDF."""
    notice = session.exec(select(OversightNotice).where(OversightNotice.number == number)).first()
    if notice is None:
        raise field_error("rectification", f"督查通报 {number} 不存在", status=404)
    rect = session.exec(select(Rectification).where(Rectification.notice_id == notice.id)).first()
    span = parse_period(notice.period)
    day = clock.to_beijing(notice.issued_at).date()
    return {
        "issuer": notice.issuer, "number": notice.number, "unit_name": notice.unit_name,
        "period": f"{span.year}年第{'一二三四'[(span.quarter or 1) - 1]}季度",
        "main_to": notice.main_to, "copy_to": notice.copy_to, "reasons": json.loads(notice.reasons_json),
        "requirement": notice.requirement, "date": paper_date(day),
        "rectification": {"number": rect.number, "due": paper_date(rect.due)} if rect else None,
        "approved_by": notice.approved_by, "as_of": paper_date(day),
    }  # fmt: skip


def issued_for(session: Session, *, region: str, period: str) -> dict[tuple[str, str], dict[str, Any]]:
    """The 通报 already issued in a region and period, by unit: its 文号 and whether a 整改通知 followed."""
    notices = session.exec(
        select(OversightNotice).where(OversightNotice.region_code == region, OversightNotice.period == period)
    ).all()
    followed = set(
        session.exec(
            select(Rectification.notice_id).where(
                col(Rectification.notice_id).in_([n.id for n in notices]), Rectification.period == period
            )
        ).all()
    )
    return {(n.unit_kind, n.unit_code): {"number": n.number, "rectified": n.id in followed} for n in notices}
