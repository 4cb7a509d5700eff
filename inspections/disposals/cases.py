"""The 行政处罚案件 a 移送 opens: 立案 or 不予立案, the 处罚决定 (published as 行政处罚信息; a 较重行政处罚 on a
总局令第44号 ground proposes a 严重违法失信 entry), 送达 and 履行, which closes the disposal."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlmodel import Session

from credit import bars
from credit.penalties import KINDS as PENALTY_KINDS
from credit.penalties import not_published
from credit.penalties import record as record_penalty
from credit.services import propose
from inspections.disposals import procedure
from inspections.disposals.case_base import (
    OPEN_STATES,
    add_step,
    amount_of,
    check_day,
    facts_of,
    first_violation,
    load_case,
    step_data,
    unused_number,
)
from inspections.disposals.models import Disposal, EnforcementCase
from inspections.disposals.services import close_for_case
from supervise import clock
from supervise.db import locked
from supervise.errors import field_error
from supervise.holidays import work_calendar
from supervise.models import Department, Enterprise, Inspector

SERIOUS_LIST = "BLACK"  # 严重违法失信名单 (credit/law.py)


def file_case(
    session: Session, *, case_id: int, inspector: Inspector, case_number: str, filed_on: date, actor: str
) -> EnforcementCase:
    """立案: the case gets its number and its 90-day clock; the filing deadline from receipt is met or missed."""
    case = load_case(session, case_id, inspector, "received")
    number = unused_number(session, EnforcementCase.case_number, case_number, "案件编号")
    check_day("filed_on", filed_on, case.received_on, "立案日期")
    case.case_number, case.filed_on, case.status = number, filed_on, "filed"
    case.decision_due = procedure.decision_due(filed_on, 0)
    # The 移送 was due to be decided on (立案); once filed it stays open until the case ends, and the case's own
    # clock (decision_due) is what the 督查 metrics count, so a penalty paid late is not a late decision.
    disposal = locked(session, Disposal, case.disposal_id)
    if disposal is not None:
        disposal.due = None
        session.add(disposal)
    add_step(
        session, case, "filed", on=filed_on, due=case.filing_due, actor=actor, inspector=inspector,
        data={"case_number": number, "decision_due": case.decision_due.isoformat()},
    )  # fmt: skip
    return case


def not_file(
    session: Session,
    *,
    case_id: int,
    inspector: Inspector,
    reason: str,
    actor: str,
    ground: str = "other",
    education: str = "",
    correction: str = "",
) -> EnforcementCase:
    """不予立案 on a ground of 程序规定 第二十条, with the reason; a leniency ground records the 教育 and the
    correction, and "初次违法" is checked against the firm's record. The 移送 is closed."""
    case = load_case(session, case_id, inspector, "received")
    rule = procedure.NOT_FILING_GROUNDS.get(ground)
    if rule is None:
        labels = "；".join(r["label"] for r in procedure.NOT_FILING_GROUNDS.values())
        raise field_error("ground", f"不予立案情形应为：{labels}", named="不予立案情形")
    if not reason.strip():
        raise field_error("reason", "请填写不予立案的理由")
    today = clock.today()
    problems = procedure.lenient_blockers(
        ground, first_violation=first_violation(session, case, today), education=education, correction=correction
    )
    if rule["lenient"] and ground != "no_fault" and not education.strip():
        problems.append(("education", "请填写对当事人进行教育的情况"))
    if problems:
        field, why = problems[0]
        raise field_error(field, why, named="不予立案情形" if field == "ground" else None)
    case.status, case.not_filed_reason, case.not_filed_ground = "not_filed", reason.strip(), ground
    close_for_case(
        session, disposal_id=case.disposal_id, note=f"不予立案（{rule['label']}）：{reason.strip()}", actor=actor
    )
    add_step(
        session, case, "not_filed", on=today, due=case.filing_due, actor=actor, inspector=inspector,
        data={"ground": ground, "reason": reason.strip(), "education": education.strip(),
              "correction": correction.strip()},
    )  # fmt: skip
    return case


def decide_case(
    session: Session,
    *,
    case_id: int,
    inspector: Inspector,
    decision_number: str,
    decided_on: date,
    penalty_kind: str,
    content: str,
    amount: str | None,
    serious_ground: bool,
    field: str | None,
    user_id: int | None,
    actor: str,
    restricted_until: date | None = None,
    measures: Sequence[str] | None = None,
    persons: Sequence[bars.Barred] = (),
    rep_responsible: bool = False,
) -> EnforcementCase:
    """Record the 处罚决定 once every step before it is done: published as 行政处罚信息 (a 警告 alone is not, 45号令
    第二条第二款); a 较重 one on a 44号令 ground is proposed for listing. A case is decided by the 普通程序."""
    case = load_case(session, case_id, inspector, *OPEN_STATES)
    if penalty_kind not in PENALTY_KINDS:
        raise field_error("penalty_kind", f"处罚种类应为：{'、'.join(PENALTY_KINDS.values())}")
    if not content.strip():
        raise field_error("content", "请填写处罚内容")
    decision_number = unused_number(session, EnforcementCase.decision_number, decision_number, "处罚决定书文号")
    if serious_ground and penalty_kind != "heavy":
        raise field_error("serious_ground", "只有较重行政处罚才可能列入严重违法失信名单（总局令第44号）")
    sum_ = amount_of("amount", amount)
    check_day("decided_on", decided_on, case.informed_on or case.filed_on, "处罚决定日期")
    told = step_data(session, case_id, "notified") or {}
    chosen = list(measures if measures is not None else told.get("measures", []))
    if any(m not in procedure.MEASURES for m in chosen):
        raise field_error("measures", "处罚措施不在所列种类之中", named="处罚措施")
    untold = [procedure.MEASURES[m]["label"] for m in chosen if told and m not in told.get("measures", [])]
    if untold:
        why = f"{'、'.join(untold)}未经告知，须重新告知（行政处罚法第四十四条）"
        raise field_error("measures", why, named="处罚措施")
    if any(procedure.MEASURES[m]["heavy"] for m in chosen) and penalty_kind != "heavy":
        raise field_error(
            "penalty_kind", "吊销、责令停产停业、责令关闭、限制从业等属于较重行政处罚，请选择“较重行政处罚”"
        )
    blockers = procedure.decision_blockers(
        facts_of(session, case), decided_on=decided_on, kind=penalty_kind, amount=sum_, listing=serious_ground
    )
    if blockers:
        raise field_error(*blockers[0])
    ent, dept = session.get(Enterprise, case.enterprise_id), session.get(Department, case.department_id)
    assert ent is not None and dept is not None
    penalty = None
    if not_published(penalty_kind, "ordinary") is None:
        penalty = record_penalty(
            session, uscc=ent.uscc, decision_number=decision_number.strip(), decided_on=decided_on, kind=penalty_kind,
            field=field, content=content.strip(), department_code=dept.code, user_id=user_id, actor=actor,
            restricted_until=restricted_until,
        )  # fmt: skip
    case.decision_number, case.decided_on, case.penalty_kind = decision_number.strip(), decided_on, penalty_kind
    case.penalty_content, case.heavy = content.strip(), penalty_kind == "heavy"
    case.amount = str(sum_) if sum_ is not None else None
    case.penalty_id, case.status = (penalty.id if penalty else None), "decided"
    case.service_due = work_calendar(session).add_working_days(decided_on, procedure.SERVICE_WD)
    if serious_ground:
        case.entry_id = _propose_listing(session, case, ent.uscc, dept.code, field, user_id, actor)
    barred = bars.record(
        session, kinds=bars.kinds_for(chosen, field, rep_responsible), firm=ent, decision_number=case.decision_number,
        decided_on=decided_on, persons=persons, actor=actor,
    )  # fmt: skip
    add_step(
        session, case, "decided", on=decided_on, due=case.decision_due, actor=actor, inspector=inspector,
        data={
            "decision_number": case.decision_number, "heavy": case.heavy, "penalty": case.penalty_id,
            "entry": case.entry_id, "kind": penalty_kind, "amount": case.amount, "measures": chosen,
            "bars": sorted({b.kind for b in barred}),
        },
    )  # fmt: skip
    return case


def _propose_listing(
    session: Session, case: EnforcementCase, uscc: str, dept_code: str, field: str | None, user_id: int | None,
    actor: str,
) -> int | None:  # fmt: skip
    disposal = session.get(Disposal, case.disposal_id)
    number, content = case.decision_number or "", case.penalty_content or ""
    assert case.decided_on is not None
    entry = propose(
        session, uscc=uscc, list_type=SERIOUS_LIST, ground="HEAVY_PENALTY", user_id=user_id, actor=actor,
        reason=f"案件 {case.case_number} 受到较重行政处罚（{number}）：{content}",
        legal_basis=(disposal.legal_basis if disposal else "") or "《市场监督管理严重违法失信名单管理办法》",
        department_code=dept_code, public_summary=content[:200], found_on=case.decided_on,
        penalty_number=number, penalty_on=case.decided_on, penalty_field=field,
        source_target_id=disposal.target_id if disposal else None,
    )  # fmt: skip
    return entry.id


def serve_case(
    session: Session,
    *,
    case_id: int,
    inspector: Inspector,
    served_on: date,
    actor: str,
    publication_notified: bool = False,
) -> EnforcementCase:
    """送达 of the decision, due in 7 working days (行政处罚法 第六十一条, 第八十五条); a decision to be published is
    served with the written notice that it will be."""
    case = load_case(session, case_id, inspector, "decided")
    if case.served_on is not None:
        raise field_error("served_on", f"已于 {case.served_on} 送达", status=409)
    check_day("served_on", served_on, case.decided_on, "送达日期")
    if case.penalty_id is not None and not publication_notified:
        raise field_error(
            "publication_notified",
            "该处罚决定应当公示：送达行政处罚决定书时须书面告知当事人行政处罚信息将向社会进行公示（总局令第45号第八条）",
        )
    case.served_on, case.publication_notified = served_on, case.penalty_id is not None
    add_step(
        session, case, "served", on=served_on, due=case.service_due, actor=actor, inspector=inspector,
        data={"publication_notified": case.publication_notified},
    )  # fmt: skip
    return case


def fulfil_case(
    session: Session, *, case_id: int, inspector: Inspector, fulfilled_on: date, actor: str
) -> EnforcementCase:
    """履行: the penalty is carried out; the case is closed and so is the 移送."""
    case = load_case(session, case_id, inspector, "decided")
    if case.served_on is None:
        raise field_error("fulfilled_on", "请先登记送达")
    check_day("fulfilled_on", fulfilled_on, case.served_on, "履行日期")
    case.fulfilled_on, case.status = fulfilled_on, "closed"
    close_for_case(
        session,
        disposal_id=case.disposal_id,
        note=f"案件 {case.case_number} 处罚决定已履行（{fulfilled_on}）",
        actor=actor,
    )
    add_step(session, case, "fulfilled", on=fulfilled_on, actor=actor, inspector=inspector)
    return case
