"""A case as officers and `supervise case show` read it: its dates, deadlines and every step with its source."""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session, select

from credit.rules import cite
from inspections.disposals import procedure
from inspections.disposals.case_base import STATUS_LABELS, facts_of, steps_of
from inspections.disposals.models import CaseStep, EnforcementCase
from supervise import clock
from supervise.errors import field_error
from supervise.models import Department, Enterprise

_SOURCE_OF = {"statement_reviewed": "statement", "hearing_waived": "hearing_held"}
_BY_STEP = {s["step"]: s for s in procedure.STEPS}


def short_cite(source: dict[str, Any]) -> str:
    """Instrument and article only, for a narrow table (the full citation is its tooltip)."""
    name = source["instrument"].replace("中华人民共和国", "")
    if name == "本地设定":
        return name
    return name + (source.get("article") or "（条号待核对）")


def _cell(text: str) -> str:
    return text.replace("|", "｜")


def rules_markdown() -> str:
    """The table of docs/cases.md: every step, when it applies, its deadline and its source."""
    lines = ["| 步骤 | 适用 | 期限 | 依据 |", "|---|---|---|---|"]
    lines += [
        f"| {s['name']} | {_cell(s['applies'])} | {_cell(s['deadline'])} | {_cell(cite(s['source']))} |"
        for s in procedure.STEPS
    ]
    extra = [
        ("较大数额（听证）", procedure.LARGE_AMOUNT_SOURCE),
        ("“初次违法”的回溯期", procedure.FIRST_VIOLATION_SOURCE),
        ("不予立案情形", procedure.NOT_FILING_SOURCE),
        ("不予处罚后的教育", procedure.EDUCATION_SOURCE),
        ("“五日”“七日”按工作日", procedure.WORKING_DAYS_RULE),
    ]
    lines += ["", "| 规则 | 依据 |", "|---|---|", *(f"| {name} | {_cell(cite(src))} |" for name, src in extra)]
    return "\n".join(lines) + "\n"


def case_by_number(session: Session, number: str) -> EnforcementCase:
    case = session.exec(
        select(EnforcementCase).where(
            (EnforcementCase.case_number == number) | (EnforcementCase.decision_number == number)
        )
    ).first()
    if case is None and number.isdigit():
        case = session.get(EnforcementCase, int(number))
    if case is None:
        raise field_error("number", f"没有案件编号或决定书文号为 {number} 的案件", status=404)
    return case


def case_record(session: Session, case: EnforcementCase) -> dict[str, Any]:
    """The case with its `steps` (name, date, due date, late, source, what was recorded) and what comes next."""
    ent, dept = session.get(Enterprise, case.enterprise_id), session.get(Department, case.department_id)
    rows, steps = steps_of(session, case.id or 0), []
    for row in rows:
        rule = _BY_STEP.get(_SOURCE_OF.get(row.step, row.step))
        steps.append(
            {
                "step": row.step, "name": procedure.STEP_NAMES.get(row.step, row.step), "on": row.on.isoformat(),
                "due": row.due.isoformat() if row.due else None, "late": row.late, "actor": row.actor,
                "source": rule["source"] if rule else None, "citation": cite(rule["source"]) if rule else "",
                "short": short_cite(rule["source"]) if rule else "",
                "data": json.loads(row.data),
            }
        )  # fmt: skip
    out: dict[str, Any] = {
        "id": case.id, "case_number": case.case_number, "status": case.status,
        "status_label": STATUS_LABELS[case.status], "enterprise": ent.name if ent else "",
        "uscc": ent.uscc if ent else "", "department": dept.name if dept else "",
        "received_on": case.received_on.isoformat(), "filing_due": case.filing_due.isoformat(),
        "filed_on": _iso(case.filed_on), "decision_due": _iso(case.decision_due),
        "extension_days": case.extension_days, "inform_number": case.inform_number,
        "informed_on": _iso(case.informed_on), "proposed_kind": case.proposed_kind,
        "proposed_amount": case.proposed_amount, "hearing_applies": case.hearing_applies,
        "hearing_request_due": _iso(case.hearing_request_due), "decision_number": case.decision_number,
        "decided_on": _iso(case.decided_on), "penalty_kind": case.penalty_kind, "amount": case.amount,
        "no_penalty_ground": case.no_penalty_ground, "service_due": _iso(case.service_due),
        "served_on": _iso(case.served_on), "points": case.points, "steps": steps,
        "overdue": overdue(case), "waiting": waiting(session, case, rows),
    }  # fmt: skip
    return out


def _iso(day: Any) -> str | None:
    return day.isoformat() if day else None


def overdue(case: EnforcementCase) -> list[str]:
    """The deadlines this case has passed today without the step done (counted in the 督查 metrics)."""
    today, out = clock.today(), []
    if case.status == "received" and today > case.filing_due:
        out.append(f"立案期限 {case.filing_due} 已过")
    if case.status in ("filed", "informed") and case.decision_due and today > case.decision_due:
        out.append(f"办案期限 {case.decision_due} 已过（自立案之日起九十日）")
    if case.status == "decided" and case.served_on is None and case.service_due and today > case.service_due:
        out.append(f"送达期限 {case.service_due} 已过")
    return out


def waiting(session: Session, case: EnforcementCase, steps: list[CaseStep]) -> list[str]:
    """What the decision still waits for, in Chinese (empty once it may be made today)."""
    if case.status not in ("filed", "informed"):
        return []
    facts = facts_of(session, case, steps)
    kind = case.proposed_kind or "ordinary"
    blockers = procedure.decision_blockers(
        facts, decided_on=clock.today(), kind=kind, amount=None, listing=case.listing_notified
    )
    return [reason for _field, reason in blockers]
