"""调解 of an accepted 投诉 (办法第十六条至第二十二条): start, 中止 for a recusal request or testing and resume
(time not counted moves the 45-working-day limit), an agreement with its paper, or 终止 on a ground of 第二十一条
and the notice of it to both parties within 7 working days. One row lock per step, audited."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session

from inspections.complaints import rules
from inspections.complaints.models import Complaint
from inspections.complaints.workflow import audit_step, locked_row, officer
from supervise import clock
from supervise.errors import field_error
from supervise.holidays import work_calendar
from supervise.models import User


def mediate(
    session: Session, *, ticket_no: str, user: User, actor: str, action: str, reason: str | None = None,
    paper: str | None = None, ground: str | None = None, note: str = "",
) -> Complaint:  # fmt: skip
    """Take one step of a 投诉's 调解; a step its state does not allow is 409 with the reason."""
    row = locked_row(session, ticket_no)
    officer(row, user)
    today, calendar = clock.today(), work_calendar(session)
    state = row.mediation_state
    if row.category != rules.COMPLAINT:
        raise field_error("action", "只有投诉可以调解；举报按行政处罚程序核查", status=409, named="调解步骤")
    if action == "start":
        if state or row.state not in (rules.ACCEPTED, rules.VERIFIED):
            raise field_error("action", "投诉受理后、办结前方可组织调解，且只组织一次", status=409, named="调解步骤")
        accepted = clock.to_beijing(row.accepted_at).date() if row.accepted_at else today
        row.mediation_state, row.mediation_due = "mediating", calendar.add_working_days(accepted, rules.MEDIATION_DAYS)
    elif action == "suspend":
        _expect(row, "mediating", "中止")
        if reason not in rules.SUSPEND_REASONS:
            raise field_error("reason", "请选择中止事由：申请回避或检定、检验、检测、鉴定", named="中止事由")
        row.mediation_state, row.suspended_on, row.suspend_reason = "suspended", today, reason
    elif action == "resume":
        _expect(row, "suspended", "恢复")
        assert row.suspended_on is not None and row.mediation_due is not None
        paused = calendar.working_days_between(row.suspended_on, today)  # not counted (第二十条; 本地设定 for 回避)
        row.mediation_due = calendar.add_working_days(row.mediation_due, paused)
        row.mediation_state, row.suspended_on = "mediating", None
    elif action == "agree":
        _expect(row, "mediating", "登记调解协议")
        assert row.mediation_due is not None
        if today > row.mediation_due:
            raise field_error(
                "action", f"调解期限已于 {row.mediation_due} 届满，应当终止调解（办法第二十一条第一款第（五）项）",
                status=409, named="调解步骤",
            )  # fmt: skip
        if paper not in rules.AGREEMENT_PAPERS:
            raise field_error(
                "paper", f"请选择调解书的情形：{'、'.join(rules.AGREEMENT_PAPERS)}（办法第二十二条）", named="调解书"
            )
        row.mediation_state, row.mediation_paper, row.mediation_ended_on = "agreed", paper, today
    elif action == "terminate":
        if state not in rules.MEDIATION_OPEN:
            raise field_error("action", "调解未在进行，不能终止", status=409, named="调解步骤")
        if ground not in rules.END_GROUNDS:
            raise field_error("ground", "请选择终止调解的情形（办法第二十一条第一款）", named="终止情形")
        if ground == "5" and row.mediation_due is not None and today <= row.mediation_due:
            raise field_error(
                "ground", f"调解期限至 {row.mediation_due} 届满，届满前不能以第（五）项终止", named="终止情形"
            )
        row.mediation_state, row.mediation_ground, row.mediation_ended_on = "terminated", ground, today
        row.end_notice_due = calendar.add_working_days(today, rules.END_NOTICE_DAYS)
    else:
        raise field_error("action", "未知的调解步骤", named="调解步骤")
    session.add(row)
    audit_step(session, row, f"complaint.mediation_{action}", actor, reason=reason, paper=paper, ground=ground,
               due=row.mediation_due.isoformat() if row.mediation_due else None, note=note.strip()[:500])  # fmt: skip
    return row


def _expect(row: Complaint, state: str, what: str) -> None:
    if row.mediation_state != state:
        label = rules.MEDIATION_LABELS.get(row.mediation_state, "未开始调解")
        raise field_error("action", f"调解当前为“{label}”，不能{what}", status=409, named="调解步骤")


def notify_end(
    session: Session, *, ticket_no: str, user: User, actor: str, notified_on: date, channel: str
) -> Complaint:
    """Record that both parties were told of the 终止调解 (due within 7 working days, 第二十一条第二款)."""
    row = locked_row(session, ticket_no)
    officer(row, user)
    if row.mediation_state != "terminated" or row.end_noticed_on is not None:
        raise field_error("action", "只有终止调解且尚未告知的工单需要告知", status=409)
    if row.mediation_ended_on and (notified_on < row.mediation_ended_on or notified_on > clock.today()):
        raise field_error("notified_on", "告知日期应在终止调解之日至今天之间", named="告知日期")
    row.end_noticed_on = notified_on
    session.add(row)
    late = row.end_notice_due is not None and notified_on > row.end_notice_due
    audit_step(session, row, "complaint.mediation_end_noticed", actor, channel=channel, late=late)
    return row


def mediation_view(row: Complaint) -> dict[str, Any] | None:
    """The 调解 as the 工单's page and API show it (None when none was started)."""
    if not row.mediation_state:
        return None
    today = clock.today()
    open_notice = row.mediation_state == "terminated" and row.end_noticed_on is None
    return {
        "state": row.mediation_state,
        "state_label": rules.MEDIATION_LABELS[row.mediation_state],
        "due": row.mediation_due.isoformat() if row.mediation_due else None,
        "overdue": bool(row.mediation_state in rules.MEDIATION_OPEN and row.mediation_due
                        and today > row.mediation_due),
        "suspend_reason": rules.SUSPEND_REASONS[row.suspend_reason][0] if row.suspend_reason else None,
        "paper": row.mediation_paper,
        "ground": f"第二十一条第一款第（{rules.NUMERALS[int(row.mediation_ground) - 1]}）项："
        f"{rules.END_GROUNDS[row.mediation_ground]}" if row.mediation_ground else None,
        "ended_on": row.mediation_ended_on.isoformat() if row.mediation_ended_on else None,
        "notice_due": row.end_notice_due.isoformat() if row.end_notice_due else None,
        "noticed_on": row.end_noticed_on.isoformat() if row.end_noticed_on else None,
        "notice_overdue": bool(open_notice and row.end_notice_due and today > row.end_notice_due),
    }  # fmt: skip
