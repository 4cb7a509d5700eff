"""The 行政处罚案件 a 移送 opens: 立案 or 不予立案, the 处罚决定 (published as 行政处罚信息; a 较重行政处罚 on a
总局令第44号 ground proposes a 严重违法失信 entry), 送达 and 履行, which closes the disposal."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session, select

from credit.penalties import KINDS as PENALTY_KINDS
from credit.penalties import not_published
from credit.penalties import record as record_penalty
from credit.services import propose
from inspections.disposals.models import Disposal, EnforcementCase
from inspections.disposals.services import close_for_case
from supervise import audit, clock
from supervise.db import locked
from supervise.errors import ApiError, field_error
from supervise.models import Department, Enterprise, Inspector

STATUS_LABELS = {
    "received": "待立案",
    "filed": "已立案",
    "not_filed": "不予立案",
    "decided": "已作出处罚决定",
    "closed": "已结案",
}
SERIOUS_LIST = "BLACK"  # 严重违法失信名单 (credit/law.py)


def _case(session: Session, case_id: int, inspector: Inspector, *states: str) -> EnforcementCase:
    case = locked(session, EnforcementCase, case_id)
    if case is None:
        raise field_error("case_id", f"案件 {case_id} 不存在", status=404)
    if inspector.department_id != case.department_id:
        raise ApiError(403, "只有办案机构的执法人员可以办理该案件", code="forbidden")
    if case.status not in states:
        raise field_error("case_id", f"案件当前为“{STATUS_LABELS[case.status]}”，不能办理此步骤", status=409)
    return case


def _day(name: str, value: date, not_before: date | None, label: str) -> None:
    if value > clock.today():
        raise field_error(name, f"{label}不能晚于今天")
    if not_before and value < not_before:
        raise field_error(name, f"{label}不能早于 {not_before}")


def _audit(session: Session, case: EnforcementCase, action: str, actor: str, payload: dict[str, Any]) -> None:
    audit.record(
        session, actor=actor, action=action, object_type="enforcement_case", object_id=case.id or 0,
        payload={"status": case.status, **payload},
    )  # fmt: skip


def file_case(
    session: Session, *, case_id: int, inspector: Inspector, case_number: str, filed_on: date, actor: str
) -> EnforcementCase:
    """立案: the case gets its number; the filing deadline counted from receipt is met or missed."""
    case = _case(session, case_id, inspector, "received")
    number = case_number.strip()
    if not number:
        raise field_error("case_number", "请填写案件编号")
    if session.exec(select(EnforcementCase.id).where(EnforcementCase.case_number == number)).first():
        raise field_error("case_number", f"案件编号 {number} 已被使用", status=409)
    _day("filed_on", filed_on, case.received_on, "立案日期")
    case.case_number, case.filed_on, case.status = number, filed_on, "filed"
    session.add(case)
    # The 移送 was due to be decided on (立案); once filed it stays open until the decision is carried out, with
    # no further deadline here (the period for the decision could not be checked against its text on this machine).
    disposal = locked(session, Disposal, case.disposal_id)
    if disposal is not None:
        disposal.due = None
        session.add(disposal)
    _audit(session, case, "case.filed", actor, {"case_number": number, "late": filed_on > case.filing_due})
    return case


def not_file(session: Session, *, case_id: int, inspector: Inspector, reason: str, actor: str) -> EnforcementCase:
    """不予立案 with the reason; the 移送 is closed."""
    case = _case(session, case_id, inspector, "received")
    if not reason.strip():
        raise field_error("reason", "请填写不予立案的理由")
    case.status, case.not_filed_reason = "not_filed", reason.strip()
    session.add(case)
    close_for_case(session, disposal_id=case.disposal_id, note=f"不予立案：{reason.strip()}", actor=actor)
    _audit(session, case, "case.not_filed", actor, {})
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
) -> EnforcementCase:
    """Record the 处罚决定: published as 行政处罚信息 (a 警告 alone is not, 45号令 第二条第二款); a 较重 one on a 44号令
    ground is proposed for listing. A case is decided by the 普通程序, whose decisions are published."""
    case = _case(session, case_id, inspector, "filed")
    if penalty_kind not in PENALTY_KINDS:
        raise field_error("penalty_kind", f"处罚种类应为：{'、'.join(PENALTY_KINDS.values())}")
    if not content.strip():
        raise field_error("content", "请填写处罚内容")
    if serious_ground and penalty_kind != "heavy":
        raise field_error("serious_ground", "只有较重行政处罚才可能列入严重违法失信名单（总局令第44号）")
    _day("decided_on", decided_on, case.filed_on, "处罚决定日期")
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
    case.penalty_content, case.amount, case.heavy = (
        content.strip(),
        (amount or "").strip() or None,
        penalty_kind == "heavy",
    )
    case.penalty_id, case.status = (penalty.id if penalty else None), "decided"
    if serious_ground:
        disposal = session.get(Disposal, case.disposal_id)
        entry = propose(
            session, uscc=ent.uscc, list_type=SERIOUS_LIST, ground="HEAVY_PENALTY", user_id=user_id, actor=actor,
            reason=f"案件 {case.case_number} 受到较重行政处罚（{decision_number.strip()}）：{content.strip()}",
            legal_basis=(disposal.legal_basis if disposal else "") or "《市场监督管理严重违法失信名单管理办法》",
            department_code=dept.code, public_summary=content.strip()[:200], found_on=decided_on,
            penalty_number=decision_number.strip(), penalty_on=decided_on, penalty_field=field,
            source_target_id=disposal.target_id if disposal else None,
        )  # fmt: skip
        case.entry_id = entry.id
    session.add(case)
    _audit(
        session, case, "case.decided", actor,
        {
            "decision_number": case.decision_number, "heavy": case.heavy, "penalty": case.penalty_id,
            "entry": case.entry_id,
        },
    )  # fmt: skip
    return case


def serve_case(
    session: Session,
    *,
    case_id: int,
    inspector: Inspector,
    served_on: date,
    actor: str,
    publication_notified: bool = False,
) -> EnforcementCase:
    """送达 of the decision; a decision to be published is served with the written notice that it will be."""
    case = _case(session, case_id, inspector, "decided")
    if case.served_on is not None:
        raise field_error("served_on", f"已于 {case.served_on} 送达", status=409)
    _day("served_on", served_on, case.decided_on, "送达日期")
    if case.penalty_id is not None and not publication_notified:
        raise field_error(
            "publication_notified",
            "该处罚决定应当公示：送达行政处罚决定书时须书面告知当事人行政处罚信息将向社会进行公示（总局令第45号第八条）",
        )
    case.served_on, case.publication_notified = served_on, case.penalty_id is not None
    session.add(case)
    _audit(
        session, case, "case.served", actor,
        {"on": served_on.isoformat(), "publication_notified": case.publication_notified},
    )  # fmt: skip
    return case


def fulfil_case(
    session: Session, *, case_id: int, inspector: Inspector, fulfilled_on: date, actor: str
) -> EnforcementCase:
    """履行: the penalty is carried out; the case is closed and so is the 移送."""
    case = _case(session, case_id, inspector, "decided")
    if case.served_on is None:
        raise field_error("fulfilled_on", "请先登记送达")
    _day("fulfilled_on", fulfilled_on, case.served_on, "履行日期")
    case.fulfilled_on, case.status = fulfilled_on, "closed"
    session.add(case)
    close_for_case(
        session,
        disposal_id=case.disposal_id,
        note=f"案件 {case.case_number} 处罚决定已履行（{fulfilled_on}）",
        actor=actor,
    )
    _audit(session, case, "case.fulfilled", actor, {"on": fulfilled_on.isoformat()})
    return case
