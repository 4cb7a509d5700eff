"""How a case ends without a penalty: a 不予行政处罚决定 (审慎监管: 行政处罚法 第三十三条, with the 教育 recorded), or
a 移送司法机关 of a suspected crime (第二十七条; 国务院令第310号). Both close the 移送 as a lawful closure."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlmodel import Session

from inspections.disposals import procedure
from inspections.disposals.case_base import (
    OPEN_STATES,
    add_step,
    check_day,
    first_violation,
    load_case,
    unused_number,
)
from inspections.disposals.models import EnforcementCase, LenientItem
from inspections.disposals.services import close_for_case
from supervise.errors import field_error
from supervise.holidays import work_calendar
from supervise.models import Inspector


def decide_no_penalty(
    session: Session,
    *,
    case_id: int,
    inspector: Inspector,
    decision_number: str,
    decided_on: date,
    ground: str,
    education: str,
    correction: str,
    actor: str,
    lenient_item: int | None = None,
) -> EnforcementCase:
    """不予行政处罚决定 on a ground of 第三十三条: "初次违法" is checked against the firm's record, and the 教育
    given and the correction are recorded (第三十三条第三款). The case and the 移送 close."""
    case = load_case(session, case_id, inspector, *OPEN_STATES)
    rule = procedure.NO_PENALTY_GROUNDS.get(ground)
    if rule is None:
        labels = "；".join(r["label"] for r in procedure.NO_PENALTY_GROUNDS.values())
        raise field_error("ground", f"不予处罚的情形应为：{labels}", named="不予处罚情形")
    number = unused_number(session, EnforcementCase.decision_number, decision_number, "不予行政处罚决定书文号")
    check_day("decided_on", decided_on, case.filed_on, "决定日期")
    problems = procedure.lenient_blockers(
        ground, first_violation=first_violation(session, case, decided_on), education=education, correction=correction
    )
    assert case.decision_due is not None
    if decided_on > case.decision_due:
        problems.append(("decided_on", procedure.late_decision(case.decision_due)))
    listed = _listed(session, lenient_item, ground) if lenient_item is not None else None
    if problems:
        field, why = problems[0]
        raise field_error(field, why, named="不予处罚情形" if field == "ground" else None)
    case.decision_number, case.decided_on, case.no_penalty_ground = number, decided_on, ground
    case.status = "no_penalty"
    case.service_due = work_calendar(session).add_working_days(decided_on, procedure.SERVICE_WD)
    close_for_case(
        session, disposal_id=case.disposal_id, actor=actor,
        note=f"案件 {case.case_number} 不予行政处罚（{rule['label']}），已对当事人进行教育",
    )  # fmt: skip
    add_step(
        session, case, "no_penalty", on=decided_on, due=case.decision_due, actor=actor, inspector=inspector,
        data={"decision_number": number, "ground": ground, "education": education.strip(),
              "correction": correction.strip(), "lenient_item": listed},
    )  # fmt: skip
    return case


def _listed(session: Session, item_id: int, ground: str) -> dict[str, Any]:
    """The 清单 row a 不予处罚 rests on, copied into the step (a later list replaces rows, not decisions)."""
    item = session.get(LenientItem, item_id)
    if item is None or not item.active:
        raise field_error("lenient_item", "所选清单事项不存在或已停用", named="不予处罚清单事项")
    if item.kind != ground:
        raise field_error("lenient_item", "清单事项的类别与所选不予处罚情形不一致", named="不予处罚清单事项")
    return {"document_number": item.document_number, "issuer": item.issuer, "seq": item.seq,
            "violation": item.violation, "basis": item.basis, "conditions": item.conditions}  # fmt: skip


def transfer_case(
    session: Session,
    *,
    case_id: int,
    inspector: Inspector,
    reported_on: date,
    approved_on: date,
    transferred_on: date,
    approved_by: str,
    organ: str,
    actor: str,
) -> EnforcementCase:
    """移送司法机关: the head approves within 3 days of the report and the case goes within 24 hours; a late step is
    recorded as late, not refused, because the transfer must still happen."""
    case = load_case(session, case_id, inspector, "received", *OPEN_STATES)  # before 立案 too
    check_day("reported_on", reported_on, case.received_on, "报告日期")
    check_day("approved_on", approved_on, reported_on, "批准日期")
    check_day("transferred_on", transferred_on, approved_on, "移送日期")
    if not organ.strip():
        raise field_error("organ", "请填写接受移送的公安机关或司法机关")
    if not approved_by.strip():
        raise field_error("approved_by", "请填写批准移送的负责人", named="批准人")
    approve_due = reported_on + timedelta(days=3)
    case.status = "transferred"
    close_for_case(
        session, disposal_id=case.disposal_id, actor=actor,
        note=f"案件 {case.case_number} 涉嫌犯罪，已于 {transferred_on} 移送{organ.strip()}",
    )  # fmt: skip
    add_step(
        session, case, "transferred", on=transferred_on, due=approved_on + timedelta(days=1), actor=actor,
        inspector=inspector,
        data={"reported_on": reported_on, "approved_on": approved_on, "approve_due": approve_due,
              "approval_late": approved_on > approve_due, "approved_by": approved_by.strip(), "organ": organ.strip()},
    )  # fmt: skip
    return case
