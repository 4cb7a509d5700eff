"""The steps between 立案 and the decision: 告知, 陈述申辩 and its 复核, 听证, 法制审核, 集体讨论 and the extension of
the 90-day clock (行政处罚法 第四十四、四十五、五十七、五十八、六十、六十三、六十四条). Each takes effect once, on
the row-locked case, and is audited in the same transaction."""

from __future__ import annotations

import json
from datetime import date

from sqlmodel import Session, select

from inspections.disposals import procedure
from inspections.disposals.case_base import (
    OPEN_STATES,
    add_step,
    amount_of,
    check_day,
    investigators,
    load_case,
    step_data,
    steps_of,
    unused_number,
)
from inspections.disposals.models import Disposal, EnforcementCase
from supervise.db import locked
from supervise.errors import field_error
from supervise.holidays import work_calendar
from supervise.models import Enterprise, Inspector


def _required(name: str, value: str, label: str) -> str:
    if not value.strip():
        raise field_error(name, f"请填写{label}", named=label)
    return value.strip()


def inform_case(
    session: Session,
    *,
    case_id: int,
    inspector: Inspector,
    inform_number: str,
    informed_on: date,
    measures: list[str],
    amount: str | None,
    facts: str,
    reasons: str,
    basis: str,
    listing: bool,
    complex_case: bool,
    actor: str,
) -> EnforcementCase:
    """告知 the proposed penalty, its facts, reasons and basis and the party's rights; a 听证 is offered where
    第六十三条 lists the penalty, until 5 working days after the 告知 is served. Re-informing replaces the proposal."""
    case = load_case(session, case_id, inspector, *OPEN_STATES)
    if case.status == "informed" and steps_of(session, case_id, "hearing_requested"):
        raise field_error("inform_number", "当事人已申请听证，不能重新告知；请先办理听证", status=409)
    number = unused_number(session, EnforcementCase.inform_number, inform_number, "告知书文号")
    unknown = [m for m in measures if m not in procedure.MEASURES]
    if not measures or unknown:
        labels = "、".join(m["label"] for m in procedure.MEASURES.values())
        raise field_error("measures", f"请选择拟作出的处罚种类：{labels}")
    sum_ = amount_of("proposed_amount", amount)
    if sum_ is None and {"fine", "confiscate"} & set(measures):
        raise field_error("proposed_amount", "拟罚款或没收的，请填写金额（元）")
    check_day("informed_on", informed_on, case.filed_on, "告知送达日期")
    texts = {
        "facts": _required("facts", facts, "违法事实"),
        "reasons": _required("reasons", reasons, "处罚理由"),
        "basis": _required("basis", basis, "处罚依据"),
    }
    ent = session.get(Enterprise, case.enterprise_id)
    assert ent is not None
    kind = procedure.proposed_kind(measures, sum_, ent.uscc)
    if listing and kind != "heavy":
        raise field_error("listing", "只有较重行政处罚才可能列入严重违法失信名单（总局令第44号）")
    case.inform_number, case.informed_on, case.status = number, informed_on, "informed"
    case.proposed_kind, case.proposed_amount = kind, (str(sum_) if sum_ is not None else None)
    case.hearing_applies = procedure.hearing_applies(measures, sum_, ent.uscc)
    case.hearing_request_due = (
        work_calendar(session).add_working_days(informed_on, procedure.HEARING_REQUEST_WD)
        if case.hearing_applies
        else None
    )
    case.listing_notified, case.complex_case = listing, complex_case
    add_step(
        session, case, "notified", on=informed_on, actor=actor, inspector=inspector,
        data={
            "inform_number": number, "measures": measures, "amount": case.proposed_amount, "kind": kind,
            "hearing_applies": case.hearing_applies, "hearing_request_due": case.hearing_request_due,
            "listing": listing, "complex": complex_case, **texts,
        },
    )  # fmt: skip
    return case


def record_statement(
    session: Session, *, case_id: int, inspector: Inspector, stated_on: date, statement: str, actor: str
) -> EnforcementCase:
    """陈述、申辩 of the party, to be reviewed before the decision (第四十五条)."""
    case = load_case(session, case_id, inspector, "informed")
    check_day("stated_on", stated_on, case.informed_on, "陈述申辩日期")
    text = _required("statement", statement, "当事人陈述、申辩的内容")
    add_step(session, case, "statement", on=stated_on, actor=actor, inspector=inspector, data={"statement": text})
    return case


def review_statement(
    session: Session, *, case_id: int, inspector: Inspector, reviewed_on: date, adopted: bool, opinion: str, actor: str
) -> EnforcementCase:
    """复核 the party's statement: adopted or not, with the reasons (第四十五条第一款)."""
    case = load_case(session, case_id, inspector, "informed")
    steps = steps_of(session, case_id)
    made = [s for s in steps if s.step == "statement"]
    if len(made) <= sum(1 for s in steps if s.step == "statement_reviewed"):
        raise field_error("reviewed_on", "没有待复核的陈述、申辩", status=409)
    check_day("reviewed_on", reviewed_on, made[-1].on, "复核日期")
    text = _required("opinion", opinion, "复核意见")
    add_step(
        session, case, "statement_reviewed", on=reviewed_on, actor=actor, inspector=inspector,
        data={"adopted": adopted, "opinion": text},
    )  # fmt: skip
    return case


def request_hearing(
    session: Session, *, case_id: int, inspector: Inspector, requested_on: date, actor: str
) -> EnforcementCase:
    """The party asks for a 听证 within 5 working days of the 告知 (第六十四条第（一）项, 第八十五条)."""
    case = load_case(session, case_id, inspector, "informed")
    if not case.hearing_applies or case.hearing_request_due is None:
        raise field_error("requested_on", "告知的处罚不属于行政处罚法第六十三条规定的听证范围", status=409)
    if step_data(session, case_id, "hearing_requested") is not None:
        raise field_error("requested_on", "当事人已申请听证", status=409)
    check_day("requested_on", requested_on, case.informed_on, "申请听证日期")
    if requested_on > case.hearing_request_due:
        raise field_error("requested_on", f"听证申请期限已于 {case.hearing_request_due} 届满（行政处罚法第六十四条）")
    add_step(
        session, case, "hearing_requested", on=requested_on, due=case.hearing_request_due, actor=actor,
        inspector=inspector,
    )  # fmt: skip
    return case


def notice_hearing(
    session: Session,
    *,
    case_id: int,
    inspector: Inspector,
    notice_number: str,
    noticed_on: date,
    hearing_on: date,
    place: str,
    host_badge: str,
    actor: str,
    recusal: str = "",
) -> EnforcementCase:
    """听证通知: the time and place at least 7 working days ahead, a host who did not investigate the case
    (第六十四条第（二）、（四）项). A new notice replaces the old one, e.g. after the host is recused."""
    case = load_case(session, case_id, inspector, "informed")
    steps = {s.step for s in steps_of(session, case_id, "hearing_requested", "hearing_held", "hearing_waived")}
    if "hearing_requested" not in steps:
        raise field_error("noticed_on", "当事人未申请听证", status=409)
    if steps & {"hearing_held", "hearing_waived"}:
        raise field_error("noticed_on", "听证已经结束", status=409)
    check_day("noticed_on", noticed_on, case.informed_on, "通知日期")
    earliest = work_calendar(session).add_working_days(noticed_on, procedure.HEARING_NOTICE_WD)
    if hearing_on < earliest:
        why = f"应当在举行听证的七日前通知：{noticed_on} 通知的，听证最早于 {earliest} 举行（行政处罚法第六十四条）"
        raise field_error("hearing_on", why)
    host = session.exec(
        select(Inspector).where(Inspector.badge_no == host_badge.strip(), Inspector.department_id == case.department_id)
    ).first()
    if host is None:
        raise field_error("host_badge", "请填写本机构执法人员的执法证号作为听证主持人")
    if host.id in investigators(session, case_id):
        raise field_error("host_badge", "听证由非本案调查人员主持（行政处罚法第六十四条第（四）项）")
    add_step(
        session, case, "hearing_noticed", on=noticed_on, actor=actor, inspector=inspector,
        data={"notice_number": _required("notice_number", notice_number, "听证通知书文号"), "hearing_on": hearing_on,
              "place": _required("place", place, "听证地点"), "host_id": host.id,
              "host": host.name, "recusal": recusal.strip()},
    )  # fmt: skip
    return case


def hold_hearing(
    session: Session, *, case_id: int, inspector: Inspector, held_on: date, waived: bool, record: str, actor: str
) -> EnforcementCase:
    """The 听证 held with its record, or the party's waiver (not attending without good reason)."""
    case = load_case(session, case_id, inspector, "informed")
    notice = step_data(session, case_id, "hearing_noticed")
    if notice is None:
        raise field_error("held_on", "请先登记听证通知", status=409)
    if steps_of(session, case_id, "hearing_held", "hearing_waived"):
        raise field_error("held_on", "听证已经结束", status=409)
    scheduled = date.fromisoformat(notice["hearing_on"])
    check_day("held_on", held_on, scheduled, "听证日期")
    text = _required("record", record, "听证笔录摘要" if not waived else "放弃听证的情况")
    step = "hearing_waived" if waived else "hearing_held"
    add_step(
        session, case, step, on=held_on, actor=actor, inspector=inspector,
        data={"record": text, "host": notice["host"], "scheduled": scheduled},
    )  # fmt: skip
    return case


def legal_review(
    session: Session, *, case_id: int, inspector: Inspector, reviewed_on: date, passed: bool, opinion: str, actor: str
) -> EnforcementCase:
    """法制审核 by an officer who did not investigate the case (第五十八条); a failed review blocks the decision."""
    case = load_case(session, case_id, inspector, "informed")
    if inspector.id in investigators(session, case_id):
        raise field_error("reviewed_on", "法制审核应由非本案调查人员进行（行政处罚法第五十八条）", status=403)
    check_day("reviewed_on", reviewed_on, case.informed_on, "审核日期")
    text = _required("opinion", opinion, "审核意见")
    add_step(
        session, case, "legal_review", on=reviewed_on, actor=actor, inspector=inspector,
        data={"passed": passed, "opinion": text},
    )  # fmt: skip
    return case


def collective_discussion(
    session: Session, *, case_id: int, inspector: Inspector, held_on: date, attendees: str, conclusion: str, actor: str
) -> EnforcementCase:
    """The heads' 集体讨论 of a 较重 case (第五十七条第二款): who attended and what they concluded."""
    case = load_case(session, case_id, inspector, "informed")
    check_day("held_on", held_on, case.informed_on, "讨论日期")
    add_step(
        session, case, "collective", on=held_on, actor=actor, inspector=inspector,
        data={"attendees": _required("attendees", attendees, "参加讨论的负责人"),
              "conclusion": _required("conclusion", conclusion, "讨论结论")},
    )  # fmt: skip
    return case


def extend_case(
    session: Session,
    *,
    case_id: int,
    inspector: Inspector,
    days: int,
    approved_on: date,
    approved_by: str,
    reason: str,
    actor: str,
) -> EnforcementCase:
    """Extend the 90-day clock with the head's approval, recorded before the deadline passes."""
    case = load_case(session, case_id, inspector, *OPEN_STATES)
    if not 1 <= days <= procedure.EXTENSION_MAX_DAYS:
        raise field_error("days", f"每次延长 1 至 {procedure.EXTENSION_MAX_DAYS} 日（本地设定）", named="延长天数")
    check_day("approved_on", approved_on, case.filed_on, "批准日期")
    assert case.decision_due is not None
    if approved_on > case.decision_due:
        raise field_error("approved_on", f"办案期限已于 {case.decision_due} 届满，延长应在期限届满前批准")
    previous = case.decision_due
    case.extension_days += days
    case.decision_due = procedure.decision_due(case.filed_on or approved_on, case.extension_days)
    add_step(
        session, case, "extended", on=approved_on, due=previous, actor=actor, inspector=inspector,
        data={"days": days, "approved_by": _required("approved_by", approved_by, "批准人"),
              "reason": _required("reason", reason, "延长理由")},
        derived={"decision_due": case.decision_due},
    )  # fmt: skip
    return case


def extend_filing(
    session: Session,
    *,
    case_id: int,
    inspector: Inspector,
    approved_on: date,
    approved_by: str,
    reason: str,
    testing_days: int,
    actor: str,
) -> EnforcementCase:
    """Move the 立案 deadline: once by 15 working days with the head's approval, and by the working days spent on
    检测、检验、检疫、鉴定, which are not counted (程序规定 第十八条)."""
    case = load_case(session, case_id, inspector, "received")
    check_day("approved_on", approved_on, case.received_on, "批准日期")
    if approved_on > case.filing_due:
        raise field_error("approved_on", f"立案期限已于 {case.filing_due} 届满，延长应在期限届满前批准")
    if not 0 <= testing_days <= 365:
        raise field_error("testing_days", "检测等不计入的工作日应为 0 至 365", named="检测等所需工作日")
    again = any(json.loads(s.data).get("approved") for s in steps_of(session, case_id, "filing_extended"))
    approved = bool(approved_by.strip())
    if approved and again:
        raise field_error("approved_by", "立案期限只能经批准延长一次（十五个工作日）", status=409, named="批准人")
    if not approved and testing_days == 0:
        raise field_error("approved_by", "请填写批准延长的负责人，或检测等不计入的工作日", named="批准人")
    previous = case.filing_due
    added = (procedure.FILING_EXTENSION_WD if approved else 0) + testing_days
    case.filing_due = work_calendar(session).add_working_days(previous, added)
    disposal = locked(session, Disposal, case.disposal_id)
    if disposal is not None:
        disposal.due = case.filing_due
        session.add(disposal)
    add_step(
        session, case, "filing_extended", on=approved_on, due=previous, actor=actor, inspector=inspector,
        data={"approved": approved, "approved_by": approved_by.strip(), "testing_days": testing_days,
              "reason": _required("reason", reason, "延长理由")},
        derived={"filing_due": case.filing_due},
    )  # fmt: skip
    return case
