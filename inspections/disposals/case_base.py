"""What every step of a 行政处罚案件 shares: the locked case, dates, the audit entry, the step record, the facts."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlmodel import Session, col, select

from inspections.disposals import procedure
from inspections.disposals.models import CaseStep, Disposal, EnforcementCase
from supervise import audit, clock
from supervise.db import locked
from supervise.errors import ApiError, field_error
from supervise.models import Inspector

STATUS_LABELS = {
    "received": "待立案",
    "filed": "已立案",
    "informed": "已告知",
    "not_filed": "不予立案",
    "decided": "已作出处罚决定",
    "closed": "已结案",
    "no_penalty": "不予处罚（已结案）",
    "transferred": "已移送司法机关",
}
OPEN_STATES = ("filed", "informed")  # between 立案 and the decision


def load_case(session: Session, case_id: int, inspector: Inspector, *states: str) -> EnforcementCase:
    """The case row-locked, for an inspector of its 办案机构, in one of `states`."""
    case = locked(session, EnforcementCase, case_id)
    if case is None:
        raise field_error("case_id", f"案件 {case_id} 不存在", status=404)
    if inspector.department_id != case.department_id:
        raise ApiError(403, "只有办案机构的执法人员可以办理该案件", code="forbidden")
    if case.status not in states:
        raise field_error("case_id", f"案件当前为“{STATUS_LABELS[case.status]}”，不能办理此步骤", status=409)
    return case


def unused_number(session: Session, column: Any, value: str, label: str) -> str:
    """A 文号 or case number typed by an officer: present, and not already given to another case."""
    number = value.strip()
    name = column.key
    if not number:
        raise field_error(name, f"请填写{label}", named=label)
    if session.exec(select(EnforcementCase.id).where(column == number)).first():
        raise field_error(name, f"{label} {number} 已被使用", status=409, named=label)
    return number


def check_day(name: str, value: date, not_before: date | None, label: str) -> None:
    if value > clock.today():
        raise field_error(name, f"{label}不能晚于今天", named=label)
    if not_before and value < not_before:
        raise field_error(name, f"{label}不能早于 {not_before}", named=label)


def audit_case(session: Session, case: EnforcementCase, action: str, actor: str, payload: dict[str, Any]) -> None:
    audit.record(
        session, actor=actor, action=action, object_type="enforcement_case", object_id=case.id or 0,
        payload={"status": case.status, **payload},
    )  # fmt: skip


def add_step(
    session: Session,
    case: EnforcementCase,
    step: str,
    *,
    on: date,
    actor: str,
    inspector: Inspector | None,
    due: date | None = None,
    data: dict[str, Any] | None = None,
    derived: dict[str, Any] | None = None,
) -> CaseStep:
    """Record a step as it happened, and audit it as `case.<step>` in the same transaction. `data` is what was
    submitted (the same submission twice is refused); `derived` is what the step computed from it."""
    earlier = steps_of(session, case.id or 0, step)
    late = due is not None and on > due
    who = {"inspector_id": inspector.id, "inspector": inspector.name} if inspector else {}
    submitted = json.loads(json.dumps(data or {}, default=str))  # dates as ISO text, in the row and the audit
    # The case row is locked, so a repeated submission of the same step sees the first and is refused.
    if any(s.on == on and {k: json.loads(s.data).get(k) for k in submitted} == submitted for s in earlier):
        name = procedure.STEP_NAMES.get(step, step)
        raise field_error("case_id", f"该案件已于 {on} 登记过相同的“{name}”", status=409)
    recorded = {**submitted, **json.loads(json.dumps(derived or {}, default=str))}
    seq = len(earlier) + 1
    row = CaseStep(
        case_id=case.id or 0, step=step, seq=seq, on=on, due=due, late=late, actor=actor,
        data=json.dumps({**who, **recorded}, ensure_ascii=False, sort_keys=True),
    )  # fmt: skip
    session.add(row)
    session.add(case)
    payload = {"on": on.isoformat(), "due": due.isoformat() if due else None, "late": late, **recorded}
    audit_case(session, case, f"case.{step}", actor, payload)
    return row


def steps_of(session: Session, case_id: int, *names: str) -> list[CaseStep]:
    """The case's steps in the order they happened; only those named, when names are given."""
    stmt = select(CaseStep).where(CaseStep.case_id == case_id)
    if names:
        stmt = stmt.where(col(CaseStep.step).in_(names))
    return list(session.exec(stmt.order_by(col(CaseStep.on), col(CaseStep.id))))


def last_step(session: Session, case_id: int, step: str) -> CaseStep | None:
    rows = steps_of(session, case_id, step)
    return rows[-1] if rows else None


def step_data(session: Session, case_id: int, step: str) -> dict[str, Any] | None:
    """The data of the last `step` recorded, or None."""
    row = last_step(session, case_id, step)
    return json.loads(row.data) if row else None


def investigators(session: Session, case_id: int) -> set[int]:
    """The inspectors who investigated the case (filed or informed it): not its hearing host or legal reviewer."""
    return {json.loads(s.data).get("inspector_id") for s in steps_of(session, case_id, "filed", "notified")}


def amount_of(name: str, raw: str | None) -> Decimal | None:
    """A sum in yuan typed by a person, or None when left blank."""
    text = (raw or "").strip().replace(",", "")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise field_error(name, "金额应为数字（元）") from None
    if value < 0 or not value.is_finite():
        raise field_error(name, "金额不能为负数")
    return value


def facts_of(session: Session, case: EnforcementCase, steps: list[CaseStep] | None = None) -> procedure.CaseFacts:
    """What the decision checks read, from the case and its steps (loaded here unless the caller has them)."""
    steps = steps_of(session, case.id or 0) if steps is None else steps
    count = {name: sum(1 for s in steps if s.step == name) for name in procedure.STEP_NAMES}
    reviews = [json.loads(s.data) for s in steps if s.step == "legal_review"]
    assert case.filed_on is not None
    return procedure.CaseFacts(
        filed_on=case.filed_on, extension_days=case.extension_days, notified_on=case.informed_on,
        hearing_applies=case.hearing_applies, hearing_request_due=case.hearing_request_due,
        hearing_requested=count["hearing_requested"] > 0,
        hearing_held=count["hearing_held"] + count["hearing_waived"] > 0,
        statement_made=count["statement"] > 0, statement_reviewed=count["statement_reviewed"] >= count["statement"],
        complex_case=case.complex_case, legal_reviewed=bool(reviews and reviews[-1].get("passed")),
        collective_done=count["collective"] > 0, listing_notified=case.listing_notified,
        notified_kind=case.proposed_kind, notified_amount=amount_of("amount", case.proposed_amount),
    )  # fmt: skip


def _instrument(basis: str) -> str:
    """The kind of violation: the first instrument a legal basis names (《…》), else the basis itself."""
    found = re.search(r"《[^》]+》", basis or "")
    return found.group(0) if found else (basis or "").strip()


def first_violation(session: Session, case: EnforcementCase, on: date) -> bool:
    """Return True if the firm had no penalty for the same kind of violation in the look-back before `on`."""
    disposal = session.get(Disposal, case.disposal_id)
    kind = _instrument(disposal.legal_basis if disposal else "")
    since = on - timedelta(days=365 * procedure.FIRST_VIOLATION_YEARS)
    earlier = session.exec(
        select(Disposal.legal_basis)
        .join(EnforcementCase, col(EnforcementCase.disposal_id) == col(Disposal.id))
        .where(
            EnforcementCase.enterprise_id == case.enterprise_id, EnforcementCase.id != case.id,
            col(EnforcementCase.status).in_(["decided", "closed"]), col(EnforcementCase.decided_on) >= since,
            col(EnforcementCase.decided_on) <= on,
        )
    ).all()  # fmt: skip
    return not any(_instrument(b) == kind for b in earlier)
