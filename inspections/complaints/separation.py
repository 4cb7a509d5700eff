"""A 举报 born of another 工单: split from a mixed 投诉/举报 (办法第七条) or opened on a 线索 found in 调解
(第二十三条, 核查 within 15 working days of the discovery). It carries its parent's 工单号 and its own deadlines."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from inspections.complaints import rules
from inspections.complaints.models import Complaint
from inspections.complaints.workflow import apply_route, audit_step, locked_row, officer
from supervise import clock
from supervise.errors import field_error
from supervise.holidays import work_calendar
from supervise.models import User

SUFFIX = {"split": "JB", "clue": "XS"}


def spin_off(session: Session, parent: Complaint, *, origin: str, content: str, start: date, actor: str,
             handler: User | None = None) -> Complaint:  # fmt: skip
    """Open the 举报 that `parent` gives rise to; a second one of the same origin is 409."""
    ticket = f"{parent.ticket_no}-{SUFFIX[origin]}"
    if session.exec(select(Complaint.id).where(Complaint.ticket_no == ticket)).first() is not None:
        raise field_error("origin", f"已由此工单另立举报 {ticket}", status=409, named="来源")
    calendar = work_calendar(session)
    if origin == "clue":  # 第二十三条: 15 working days from the discovery (its own clock, not the 举报's)
        due = {"sign": start, "verify": calendar.add_working_days(start, rules.CLUE_DAYS)}
        due["close"] = calendar.add_working_days(start, dict(rules.steps_of(rules.REPORT))["close"])
    else:
        due = {step: calendar.add_working_days(start, days) for step, days in rules.steps_of(rules.REPORT)}
    child = Complaint(
        ticket_no=ticket, received_at=parent.received_at, channel=parent.channel, category=rules.REPORT,
        uscc=parent.uscc, firm_name=parent.firm_name, firm_address=parent.firm_address,
        enterprise_id=parent.enterprise_id, content=content, complainant_name=parent.complainant_name,
        complainant_phone=parent.complainant_phone, complainant_address=parent.complainant_address,
        confidential=parent.confidential, source=parent.source, trade=parent.trade, act_region=parent.act_region,
        other_region=parent.other_region, parent_ticket=parent.ticket_no, origin=origin, sign_due=due["sign"],
        verify_due=due["verify"], close_due=due["close"],
        provisional=any(calendar.is_provisional(start, d) for d in due.values()), created_by=actor,
    )  # fmt: skip
    if handler is not None:  # the officer who found the 线索 holds it: the 核查 is theirs to start
        child.department_id, child.route_rule = parent.department_id, f"调解中发现的线索→{rules.CLUE_SOURCE['article']}"
        child.received_at = clock.now()  # the day the 线索 was found, from which its 核查 is due
        child.state, child.handler_id, child.signed_at = rules.SIGNED, handler.id, clock.now()
    else:
        apply_route(session, child)
    session.add(child)
    session.flush()
    audit_step(session, child, f"complaint.{origin}", actor, parent=parent.ticket_no)
    return child


def open_report(session: Session, *, ticket_no: str, user: User, actor: str, origin: str, content: str) -> Complaint:
    """Split a 投诉's 举报 part off, or open the 核查 of a 线索 found in its 调解; the officer's own step."""
    parent = locked_row(session, ticket_no)
    officer(parent, user)
    if parent.category != rules.COMPLAINT or parent.origin:
        raise field_error("origin", "只有投诉工单可以另立举报", status=409, named="来源")
    if origin == "clue" and not parent.mediation_state:
        raise field_error(
            "origin", "调解中发现的违法线索方按第二十三条核查；未调解的请选择分别处理", status=409, named="来源"
        )
    start = clock.today() if origin == "clue" else clock.to_beijing(parent.received_at).date()
    handler = user if origin == "clue" else None  # a split 举报 goes where 第二十五条 sends it
    return spin_off(session, parent, origin=origin, content=content, start=start, actor=actor, handler=handler)
