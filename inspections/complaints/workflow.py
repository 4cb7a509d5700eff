"""The 工单's way from 签收 to 答复: routing to the handling department (rules, or an override with a reason),
签收 by an officer of that department (who becomes the handling officer), 受理 or 核查 with a team and a window
for the directed visit, the 核查's finding, 办结 and the 答复 the platform polls. One row lock per step."""

from __future__ import annotations

import json
import logging
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from credit.tiers import recompute_tier
from inspections.complaints import rules
from inspections.complaints.models import Complaint
from inspections.disposals.models import Disposal
from inspections.disposals.rules import CASE, RECTIFY
from inspections.disposals.services import create_for_complaint
from inspections.models import CheckPoint, InspectionItem
from inspections.outcomes import NONCOMPLIANT, POINT_OUTCOMES
from supervise import audit, clock
from supervise.db import lock_rows
from supervise.errors import field_error
from supervise.holidays import work_calendar
from supervise.models import Department, Enterprise, Inspector, User

log = logging.getLogger(__name__)
HANDLING_ROLES = frozenset({"inspector", "reviewer"})


def locked_row(session: Session, ticket_no: str) -> Complaint:
    """The 工单, row-locked for this step, or 404."""
    row = session.exec(lock_rows(select(Complaint).where(Complaint.ticket_no == ticket_no))).first()
    if row is None:
        raise field_error("ticket_no", f"工单 {ticket_no} 不存在", status=404)
    return row


def _advance(row: Complaint, action: str, decision: str | None = None) -> str:
    try:
        return rules.next_state(row.category, row.state, action, decision, mediation=row.mediation_state)
    except rules.WorkflowRefused as exc:
        raise field_error("state", str(exc), status=409) from None


def audit_step(session: Session, row: Complaint, action: str, actor: str, **extra: Any) -> None:
    """Audit a step of the 工单 with its new state (never the complainant's contact)."""
    # The complainant's contact never goes into the audit log, which officers and auditors read.
    audit.record(
        session, actor=actor, action=action, object_type="complaint", object_id=row.ticket_no,
        payload={"state": row.state, **extra},
    )  # fmt: skip


def apply_route(session: Session, row: Complaint) -> None:
    """Route a 工单 to its department by the 办法's rules; one whose place is not yet known waits for its firm."""
    if row.department_id is not None:
        return
    ent = session.get(Enterprise, row.enterprise_id) if row.enterprise_id is not None else None
    try:
        region, rule = rules.route(row.category, row.trade, firm_region=ent.region_code if ent else None,
                                   act_region=row.act_region, other_region=row.other_region)  # fmt: skip
    except rules.RouteMissing as exc:
        raise field_error("other_region", str(exc), named="广告发布者所在地区划代码") from None
    if region is None:
        return
    dept = session.exec(
        select(Department).where(Department.kind == rules.ROUTE_KIND, Department.region_code == region)
    ).first()
    if dept is not None:
        row.department_id = dept.id
        row.route_rule = f"{row.category}·{rules.TRADE_LABELS[row.trade]}→{rule['source']['article']}"[:128]


def reroute(session: Session, *, ticket_no: str, department_code: str, reason: str, actor: str) -> Complaint:
    """Send a 工单 to another department by hand (交办), recording why; only before it is signed."""
    row = locked_row(session, ticket_no)
    if row.state != rules.RECEIVED:
        raise field_error("state", f"工单已{rules.STATE_LABELS[row.state]}，不能再改派", status=409)
    wanted = department_code.strip()  # the picker sends the code; a name typed in full is accepted too
    dept = session.exec(
        select(Department).where((Department.code == wanted) | (Department.name == wanted)).order_by(col(Department.id))
    ).first()
    if dept is None:
        raise field_error("department_code", f"没有名称或代码为“{wanted}”的部门，请从列表中选择")
    if not reason.strip():
        raise field_error("reason", "改派须写明理由")
    before = row.department_id
    row.department_id, row.route_rule, row.route_reason = dept.id, "manual", reason.strip()
    session.add(row)
    audit_step(session, row, "complaint.rerouted", actor, department=dept.code, before=before, reason=reason.strip())
    return row


def officer(row: Complaint, user: User) -> None:
    """Refuse anyone but an officer of the handling department (403)."""
    if user.role not in HANDLING_ROLES or user.department_id is None or user.department_id != row.department_id:
        raise field_error("ticket_no", "只有承办部门的工作人员可以办理此工单", status=403)


def sign(session: Session, *, ticket_no: str, user: User, actor: str) -> Complaint:
    """签收: an officer of the handling department takes the 工单 and becomes its handling officer."""
    row = locked_row(session, ticket_no)
    if row.department_id is None:
        raise field_error("department_code", "工单尚未确定承办部门（先确认涉及的经营主体或改派）", status=409)
    officer(row, user)
    row.state = _advance(row, "sign")
    row.handler_id, row.signed_at = user.id, clock.now()
    session.add(row)
    audit_step(session, row, "complaint.signed", actor, late=clock.today() > row.sign_due)
    return row


def _team(session: Session, row: Complaint, badges: list[str]) -> list[Inspector]:
    found = session.exec(select(Inspector).where(col(Inspector.badge_no).in_(badges))).all()
    known = {i.badge_no: i for i in found}
    for b in badges:
        i = known.get(b)
        if i is None or not i.active or i.department_id != row.department_id:
            raise field_error("team", f"执法证号 {b} 不是承办部门在岗的执法人员")
    if len(set(badges)) < 2:
        raise field_error("team", "核查须由两名以上执法人员进行")
    return [known[b] for b in badges]


def _items(session: Session, row: Complaint, codes: list[str]) -> list[InspectionItem]:
    dept = session.get(Department, row.department_id)
    assert dept is not None
    found = {i.code: i for i in session.exec(select(InspectionItem).where(col(InspectionItem.code).in_(codes)))}
    for c in codes:
        if c not in found or found[c].department_kind != dept.kind or not found[c].active:
            raise field_error("items", f"检查事项 {c} 不是承办部门在用的事项")
    if not codes:
        raise field_error("items", "核查须选择检查事项，按其检查要点记录")
    return [found[c] for c in codes]


def accept(
    session: Session, *, ticket_no: str, user: User, actor: str, decision: str | None = None, reason: str = "",
    team: list[str] | None = None, items: list[str] | None = None, ground: str | None = None,
) -> Complaint:  # fmt: skip
    """受理 or 不予受理 a 投诉, or start the 核查 of a 举报; a 核查 plans a directed visit of the firm."""
    row = locked_row(session, ticket_no)
    officer(row, user)
    state = _advance(row, "accept", decision)
    if state == rules.REJECTED:
        if ground not in rules.REJECT_GROUNDS:
            raise field_error("ground", "不予受理须选择办法第十五条规定的情形", named="不予受理情形")
        if ground == "6" and not reason.strip():
            raise field_error(
                "reason", "以“法律、法规、规章规定不予受理的其他情形”不予受理的，须写明所依据的规定", named="补充说明"
            )
        row.reject_ground = ground
    if state != rules.REJECTED and (team or row.category == rules.REPORT):
        if row.enterprise_id is None:
            raise field_error("uscc", "核查前须确认涉及的经营主体")
        _team(session, row, list(team or []))
        _items(session, row, list(items or []))
        row.check_team, row.check_items = ",".join(team or []), ",".join(items or [])
        row.check_start = clock.today()
        row.check_end = row.verify_due or row.close_due
    row.state, row.accepted_at = state, clock.now()
    row.accept_decision = "核查" if state == rules.VERIFYING else decision
    if state == rules.REJECTED:
        item = f"第十五条第（{rules.NUMERALS[int(ground or 1) - 1]}）项：{rules.REJECT_GROUNDS[ground or '1']}"
        row.reject_reason = f"{item}{'；' + reason.strip() if reason.strip() else ''}"
    session.add(row)
    late = row.accept_due is not None and clock.today() > row.accept_due
    audit_step(session, row, "complaint.accepted", actor, decision=row.accept_decision, team=row.check_team, late=late)
    return row


def _points(session: Session, row: Complaint, points: dict[str, str]) -> dict[str, str]:
    codes = [c for c in row.check_items.split(",") if c]
    allowed = {
        str(p.id)
        for p in session.exec(
            select(CheckPoint)
            .join(InspectionItem, col(InspectionItem.id) == col(CheckPoint.item_id))
            .where(col(InspectionItem.code).in_(codes))
        )
    }
    for pid, outcome in points.items():
        if pid not in allowed:
            raise field_error("points", f"检查要点 {pid} 不属于本次核查的检查事项")
        if outcome not in POINT_OUTCOMES:
            raise field_error("points", f"检查要点 {pid} 的结论应为{'、'.join(POINT_OUTCOMES)}之一")
    missing = allowed - set(points)
    if missing:
        raise field_error("points", f"还有 {len(missing)} 个检查要点未记录结论")
    return points


def verify(
    session: Session, *, ticket_no: str, user: User, actor: str, visited_on: date, finding: str, note: str,
    points: dict[str, str] | None = None, case_decision: str | None = None, case_number: str | None = None,
) -> Complaint:  # fmt: skip
    """Record the 核查: the visit day, whether the complaint holds, each 检查要点 and, for a 举报, the 立案 decision."""
    row = locked_row(session, ticket_no)
    officer(row, user)
    state = _advance(row, "verify")
    if finding not in rules.FINDINGS:
        raise field_error("finding", f"核查结论应为{'、'.join(rules.FINDINGS)}之一")
    if visited_on > clock.today() or (row.check_start and visited_on < row.check_start):
        raise field_error("visited_on", "核查日期应在受理之日至今天之间")
    outcomes = _points(session, row, points or {}) if row.check_items else {}
    if finding not in rules.SUBSTANTIATED and NONCOMPLIANT in outcomes.values():
        raise field_error("finding", "有检查要点“不符合”，核查结论不能为“不属实”")
    if row.category == rules.REPORT:
        if case_decision not in rules.CASE_DECISIONS:
            raise field_error("case_decision", "举报核查后应决定立案或者不予立案")
        if case_decision == "立案" and not (case_number or "").strip():
            raise field_error("case_number", "立案须填写立案文号", named="立案文号")
    elif case_decision:
        raise field_error("case_decision", "投诉不作立案决定；发现违法线索的，另行按举报或移送办理")
    row.state, row.verified_on, row.finding, row.finding_note = state, visited_on, finding, note.strip()
    row.points_json = json.dumps(outcomes, ensure_ascii=False, sort_keys=True) if outcomes else None
    row.case_decision, row.case_number = case_decision, (case_number or "").strip() or None
    if case_decision:
        row.case_decided_on = clock.today()
        if rules.real_name(row.complainant_name, row.complainant_phone):  # 第三十一条第二款; none for the anonymous
            row.notice_due = work_calendar(session).add_working_days(row.case_decided_on, rules.REPORT_NOTICE_DAYS)
    session.add(row)
    audit_step(
        session, row, "complaint.verified", actor, finding=finding, case=row.case_decision, number=row.case_number
    )
    if case_decision == "立案" and row.enterprise_id is not None:
        # The 立案 opens the case of the enforcement loop, already filed: decision, 送达, 履行 and credit follow.
        _dispose(session, row, user, actor, kind=CASE, reason=f"{row.category}核查属实：{note.strip()}"[:1000],
                 legal_basis="", case_number=row.case_number)  # fmt: skip
    if finding in rules.SUBSTANTIATED and row.enterprise_id is not None:
        session.flush()
        recompute_tier(session, enterprise_id=row.enterprise_id)  # a substantiated complaint raises the tier
    return row


def _dispose(session: Session, row: Complaint, user: User, actor: str, **kw: Any) -> Disposal:
    dept = session.get(Department, row.department_id)
    assert dept is not None and row.enterprise_id is not None
    me = session.exec(select(Inspector).where(Inspector.user_id == user.id)).first()
    return create_for_complaint(
        session, complaint_id=row.id or 0, enterprise_id=row.enterprise_id, department=dept,
        owner_id=me.id if me else None, points=_point_texts(session, row), actor=actor, **kw,
    )  # fmt: skip


def _point_texts(session: Session, row: Complaint) -> str:
    """The 核查's 不符合 points with their legal basis, one per line (what a case or notice rests on)."""
    failed = [int(pid) for pid, outcome in json.loads(row.points_json or "{}").items() if outcome == NONCOMPLIANT]
    points = session.exec(select(CheckPoint).where(col(CheckPoint.id).in_(failed)).order_by(col(CheckPoint.id))).all()
    return "\n".join(f"{p.text}（{p.legal_basis}）" for p in points)


def order_rectification(
    session: Session, *, ticket_no: str, user: User, actor: str, reason: str, legal_basis: str, deadline_days: int
) -> Disposal:
    """责令改正 after a 核查 found the 工单 true: the notice, and a 复查 by the 核查's team after the deadline."""
    row = locked_row(session, ticket_no)
    officer(row, user)
    if row.state != rules.VERIFIED or row.finding not in rules.SUBSTANTIATED:
        raise field_error("state", "核查属实、办结之前方可责令改正", status=409)
    if not row.check_team:
        raise field_error("state", "责令改正须有现场核查的检查组（复查由其进行）", status=409)
    if not reason.strip():
        raise field_error("reason", "请填写责令改正事由")
    disposal = _dispose(session, row, user, actor, kind=RECTIFY, reason=reason.strip(), legal_basis=legal_basis,
                        deadline_days=deadline_days)  # fmt: skip
    audit_step(session, row, "complaint.rectification_ordered", actor, disposal=disposal.number)
    return disposal


def close(session: Session, *, ticket_no: str, user: User, actor: str, note: str) -> Complaint:
    """办结 a 工单 with what was done."""
    row = locked_row(session, ticket_no)
    officer(row, user)
    row.state = _advance(row, "close")
    if row.mediation_state in rules.MEDIATION_OPEN:
        raise field_error("state", "调解尚未结束：请先登记调解协议或终止调解", status=409)
    if row.mediation_state == "terminated" and row.end_noticed_on is None:
        raise field_error(
            "state", f"终止调解须先告知投诉人和被投诉人（{row.end_notice_due} 前，办法第二十一条第二款）", status=409
        )
    if row.notice_due is not None and row.noticed_on is None:
        raise field_error(
            "state", f"实名举报须先告知举报人是否立案（{row.notice_due} 前，办法第三十一条第二款）", status=409
        )
    if not note.strip():
        raise field_error("note", "办结须写明办理结果")
    row.closed_at, row.close_note = clock.now(), note.strip()
    session.add(row)
    audit_step(session, row, "complaint.closed", actor, late=clock.today() > row.close_due)
    return row


def notify_reporter(
    session: Session, *, ticket_no: str, user: User, actor: str, notified_on: date, channel: str
) -> Complaint:
    """Record that the 实名 reporter was told whether a case was filed (5 working days, 第三十一条第二款)."""
    row = locked_row(session, ticket_no)
    officer(row, user)
    if row.notice_due is None or row.noticed_on is not None:
        raise field_error("state", "只有已作出立案决定、尚未告知的实名举报需要告知举报人", status=409)
    if row.case_decided_on and (notified_on < row.case_decided_on or notified_on > clock.today()):
        raise field_error("notified_on", "告知日期应在作出立案决定之日至今天之间", named="告知日期")
    row.noticed_on, row.notice_channel = notified_on, channel
    session.add(row)
    audit_step(session, row, "complaint.reporter_noticed", actor, channel=channel, late=notified_on > row.notice_due)
    return row


def reply(session: Session, *, ticket_no: str, user: User, actor: str, channel: str, text: str) -> Complaint:
    """答复 the complainant, with the day and the channel; the platform polls it."""
    row = locked_row(session, ticket_no)
    officer(row, user)
    row.state = _advance(row, "reply")
    if channel not in rules.REPLY_CHANNELS:
        raise field_error("channel", f"答复方式应为{'、'.join(rules.REPLY_CHANNELS)}之一")
    if not text.strip():
        raise field_error("reply", "答复内容不能为空")
    row.replied_at, row.reply_channel, row.reply_text = clock.now(), channel, text.strip()
    session.add(row)
    audit_step(session, row, "complaint.replied", actor, channel=channel, late=clock.today() > row.close_due)
    return row


def platform_status(row: Complaint) -> dict[str, Any]:
    """What the 12345 platform polls: the state, the step dates and, once answered, the 答复."""

    def at(ts: Any) -> str | None:
        return clock.to_beijing(ts).isoformat() if ts else None

    return {
        "ticket_no": row.ticket_no,
        "state": row.state,
        "state_label": rules.STATE_LABELS[row.state],
        "signed_at": at(row.signed_at),
        "accepted_at": at(row.accepted_at),
        "accept_decision": row.accept_decision,
        "closed_at": at(row.closed_at),
        "replied_at": at(row.replied_at),
        "reply_channel": row.reply_channel,
        "reply_text": row.reply_text,
    }
