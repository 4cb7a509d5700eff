"""Disposals of a visit's findings: created by the team, 复查 of a 责令改正 closing or escalating it, the receiving
department acknowledging an 抄告, and the list every office reads (supervise disposal list)."""

from __future__ import annotations

import hashlib
import logging
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, col, func, select

from credit.feeds import feed_inspection_result
from credit.models import ListEntry
from inspections.complaints.models import Complaint
from inspections.disposals import procedure, rules
from inspections.disposals.base import audit_disposal, close_abnormal, next_number
from inspections.disposals.case_base import add_step
from inspections.disposals.models import Disposal, EnforcementCase
from inspections.disposals.notice_pdf import render_notice
from inspections.models import CheckPoint, DrawTarget, InspectionResult, PointResult, Task
from inspections.recording import department_visit
from supervise import clock
from supervise.db import locked
from supervise.errors import ApiError, field_error
from supervise.fonts import find_cjk_font
from supervise.holidays import work_calendar
from supervise.models import Department, Enterprise, Inspector, User
from supervise.paper import paper_date

log = logging.getLogger(__name__)
REASON_MAX = 2000


def _days(key: str) -> int:
    return int(rules.DEADLINES[key]["amount"])


def _notice_number(session: Session, dept: Department) -> str:
    locked(session, Department, dept.id)  # one 文号 sequence per department and year
    year = clock.today().year
    n = session.exec(
        select(func.count())
        .select_from(Disposal)
        .where(
            Disposal.department_id == dept.id, Disposal.kind == rules.RECTIFY, col(Disposal.notice_number).is_not(None)
        )
        .where(col(Disposal.notice_on) >= date(year, 1, 1))
    ).one()
    return f"{dept.doc_prefix or dept.name}责改〔{year}〕{n + 1}号"  # the 代字 where the department has one


def noncompliant_points(session: Session, result_id: int) -> str:
    """The 不符合 points of a result with their legal basis, one per line (what a case is opened on)."""
    rows = session.exec(
        select(CheckPoint, PointResult)
        .join(PointResult, col(PointResult.point_id) == col(CheckPoint.id))
        .where(PointResult.result_id == result_id, PointResult.outcome == "不符合")
        .order_by(col(CheckPoint.item_id), col(CheckPoint.seq))
    ).all()
    return "\n".join(f"{p.text}（{p.legal_basis}）{'：' + r.note if r.note else ''}" for p, r in rows)


def _open_case(session: Session, disposal: Disposal, points: str) -> EnforcementCase:
    today = clock.today()
    case = EnforcementCase(
        disposal_id=disposal.id or 0,
        enterprise_id=disposal.enterprise_id,
        department_id=disposal.department_id,
        received_on=today,
        filing_due=work_calendar(session).add_working_days(today, _days("case_filing")),
        points=points or disposal.reason,
    )
    session.add(case)
    session.flush()
    disposal.case_id, disposal.due = case.id, case.filing_due
    session.add(disposal)
    return case


def _order_rectification(session: Session, disposal: Disposal, dept: Department, deadline_days: int | None) -> None:
    """A 责令改正's notice number, and its 复查 window after the deadline in working days."""
    limit, calendar, today = _days("rectify_max"), work_calendar(session), clock.today()
    if deadline_days is None or not 1 <= deadline_days <= limit:
        raise field_error("deadline_days", f"改正期限应为 1 至 {limit} 个工作日")
    disposal.notice_number, disposal.notice_on = _notice_number(session, dept), today
    disposal.recheck_start = calendar.add_working_days(today, deadline_days)
    disposal.recheck_end = calendar.add_working_days(disposal.recheck_start, _days("recheck_after"))
    disposal.due = disposal.recheck_end


def create_disposal(
    session: Session,
    *,
    target_id: int,
    inspector: Inspector,
    kind: str,
    reason: str,
    legal_basis: str = "",
    deadline_days: int | None = None,
    refer_department: str | None = None,
    actor: str,
) -> Disposal:
    """Record the 后续处置 of the inspector's department for a visit's finding."""
    target, _task, dept, result = department_visit(session, target_id, inspector)
    if result is None:
        raise field_error("target_id", "请先录入检查结果，再登记后续处置", status=409)
    if kind not in rules.KINDS:
        raise field_error("kind", f"处置方式应为：{'、'.join(rules.KINDS.values())}")
    reason = reason.strip()
    if not reason or len(reason) > REASON_MAX:
        raise field_error("reason", f"请填写处置事由（不超过 {REASON_MAX} 字）")
    same = session.exec(
        select(Disposal.number).where(
            Disposal.target_id == target_id, Disposal.department_id == dept.id, Disposal.kind == kind,
            Disposal.reason == reason, Disposal.status == rules.OPEN,
        )
    ).first()  # fmt: skip
    if same is not None:  # a second click, or a second tab: the same order is registered once
        raise field_error("reason", f"已登记相同的{rules.KINDS[kind]}（{same}），不再重复登记", status=409)
    today, calendar = clock.today(), work_calendar(session)
    disposal = Disposal(
        number=next_number(session, target_id),
        result_id=result.id or 0,
        target_id=target_id,
        enterprise_id=target.enterprise_id,
        department_id=dept.id or 0,
        owner_id=inspector.id,
        kind=kind,
        reason=reason,
        legal_basis=legal_basis.strip()[:256],
        created_by=actor,
    )
    if kind == rules.NONE:
        disposal.status, disposal.closed_at, disposal.closed_by = rules.CLOSED, clock.now(), actor
        disposal.close_note = "无需处置：" + reason
    elif kind == rules.RECTIFY:
        _order_rectification(session, disposal, dept, deadline_days)
    elif kind == rules.REFER:
        other = session.exec(select(Department).where(Department.code == (refer_department or ""))).first()
        if other is None or other.id == dept.id:
            raise field_error("refer_department", "请选择接收抄告的其他部门")
        disposal.refer_department_id = other.id
        disposal.due = calendar.add_working_days(today, _days("refer_ack"))
    elif kind == rules.ABNORMAL:
        entry = _abnormal_entry(session, target_id=target_id, result=result)
        disposal.entry_id, disposal.department_id = entry.id, entry.department_id
        close_abnormal(disposal, entry, actor)
    session.add(disposal)
    session.flush()
    if kind in rules.CASE_KINDS:
        _open_case(session, disposal, noncompliant_points(session, result.id or 0))
    if kind == rules.CRIMINAL:  # reported today: the head decides on the transfer within 3 days
        disposal.due = today + timedelta(days=_days("criminal_approval"))
    audit_disposal(session, disposal, "disposal.created", actor, {"reason": reason[:200]})
    return disposal


def _abnormal_entry(session: Session, *, target_id: int, result: InspectionResult) -> ListEntry:
    entry = session.exec(
        select(ListEntry).where(ListEntry.source_target_id == target_id, ListEntry.list_type == "ABNORMAL")
    ).first()
    if entry is None:
        entry = feed_inspection_result(
            session, target_id=target_id, category=result.category, inspected_on=result.inspected_on
        )
    if entry is None:
        raise field_error("kind", f"检查结果“{result.category}”不构成列入经营异常名录的事由")
    return entry


def _locked_disposal(session: Session, disposal_id: int) -> Disposal:
    disposal = locked(session, Disposal, disposal_id)
    if disposal is None:
        raise field_error("disposal_id", f"处置 {disposal_id} 不存在", status=404)
    return disposal


def create_for_complaint(
    session: Session, *, complaint_id: int, enterprise_id: int, department: Department, owner_id: int | None,
    kind: str, reason: str, legal_basis: str, points: str, actor: str, deadline_days: int | None = None,
    case_number: str | None = None,
) -> Disposal:  # fmt: skip
    """The 后续处置 of a 投诉举报's 核查: a 责令改正 with its 复查 window, or a case filed on the 立案 decision."""
    today = clock.today()
    disposal = Disposal(
        number=next_number(session, None, complaint_id), complaint_id=complaint_id, enterprise_id=enterprise_id,
        department_id=department.id or 0, owner_id=owner_id, kind=kind, reason=reason,
        legal_basis=legal_basis.strip()[:256], created_by=actor,
    )  # fmt: skip
    if kind == rules.RECTIFY:
        _order_rectification(session, disposal, department, deadline_days)
    session.add(disposal)
    session.flush()
    if kind == rules.CASE:
        case = _open_case(session, disposal, points)
        if case_number:  # the 核查 of a 举报 ends in the 立案 decision itself
            if session.exec(select(EnforcementCase.id).where(EnforcementCase.case_number == case_number)).first():
                raise field_error("case_number", f"案件编号 {case_number} 已被使用", status=409)
            case.status, case.case_number, case.filed_on = "filed", case_number, today
            case.decision_due = procedure.decision_due(today, 0)  # 行政处罚法 第六十条
            disposal.due = None  # filed: the case's own clock counts from here, as for a 移送 once filed
            session.add(disposal)
            owner = session.get(Inspector, owner_id) if owner_id else None
            add_step(
                session, case, "filed", on=today, due=case.filing_due, actor=actor, inspector=owner,
                data={"case_number": case_number, "complaint": complaint_id},
            )  # fmt: skip
    audit_disposal(session, disposal, "disposal.created", actor, {"reason": reason[:200], "complaint": complaint_id})
    return disposal


def record_recheck(
    session: Session, *, disposal_id: int, inspector: Inspector, outcome: str, checked_on: date, note: str, actor: str
) -> Disposal:
    """Record the 复查 of a 责令改正: 已改正 closes it, 未改正 escalates it to a 立案查处."""
    disposal = _locked_disposal(session, disposal_id)
    if disposal.kind != rules.RECTIFY:
        raise field_error("disposal_id", "只有责令改正需要复查", status=409)
    if inspector.department_id != disposal.department_id:
        raise ApiError(403, "复查由作出责令改正的部门进行", code="forbidden")
    if outcome not in (rules.RECHECK_FIXED, rules.RECHECK_NOT_FIXED):
        raise field_error("outcome", f"复查结论应为“{rules.RECHECK_FIXED}”或“{rules.RECHECK_NOT_FIXED}”")
    if checked_on > clock.today() or (disposal.notice_on and checked_on < disposal.notice_on):
        raise field_error("checked_on", f"复查日期应在责令改正之日（{disposal.notice_on}）至今天之间")
    try:
        disposal.status = rules.move("close" if outcome == rules.RECHECK_FIXED else "escalate", disposal.status)
    except ValueError as exc:
        raise field_error("disposal_id", str(exc), status=409) from None
    disposal.recheck_on, disposal.recheck_outcome, disposal.recheck_by = checked_on, outcome, inspector.id
    disposal.closed_at, disposal.closed_by = clock.now(), actor
    disposal.close_note = f"复查{outcome}" + (f"：{note.strip()}" if note.strip() else "")
    session.add(disposal)
    session.flush()
    if outcome == rules.RECHECK_NOT_FIXED:
        case = Disposal(
            number=next_number(session, disposal.target_id, disposal.complaint_id),
            result_id=disposal.result_id,
            target_id=disposal.target_id,
            complaint_id=disposal.complaint_id,
            enterprise_id=disposal.enterprise_id,
            department_id=disposal.department_id,
            owner_id=inspector.id,
            kind=rules.CASE,
            reason=f"责令改正（{disposal.notice_number}）逾期未改正：{disposal.reason}",
            legal_basis=disposal.legal_basis,
            created_by=actor,
        )
        session.add(case)
        session.flush()
        points = noncompliant_points(session, disposal.result_id) if disposal.result_id else ""
        _open_case(session, case, points)
        disposal.escalated_to = case.id
        session.add(disposal)
        audit_disposal(session, case, "disposal.created", actor, {"escalated_from": disposal.number})
    audit_disposal(session, disposal, "disposal.rechecked", actor, {"outcome": outcome, "on": checked_on.isoformat()})
    return disposal


def acknowledge(session: Session, *, disposal_id: int, user: User, note: str, actor: str) -> Disposal:
    """The receiving department acknowledges an 抄告/移交; that closes the disposal."""
    disposal = _locked_disposal(session, disposal_id)
    # Scope first: another department learns nothing of a disposal that is not addressed to it.
    if disposal.kind != rules.REFER or user.department_id is None or user.department_id != disposal.refer_department_id:
        raise ApiError(403, "只有接收部门可以签收抄告/移交", code="forbidden")
    if disposal.acked_at is not None:
        raise field_error("disposal_id", f"已于 {clock.to_beijing(disposal.acked_at):%Y-%m-%d %H:%M} 签收", status=409)
    disposal.status = rules.move("close", disposal.status)
    disposal.acked_at = disposal.closed_at = clock.now()
    disposal.acked_by = disposal.closed_by = actor
    disposal.ack_note = note.strip() or None
    disposal.close_note = "接收部门已签收" + (f"：{note.strip()}" if note.strip() else "")
    session.add(disposal)
    audit_disposal(session, disposal, "disposal.acknowledged", actor, {})
    return disposal


def close_for_case(session: Session, *, disposal_id: int, note: str, actor: str) -> None:
    """Close a 移送 when its case ends (不予立案, or the decision fulfilled)."""
    disposal = _locked_disposal(session, disposal_id)
    disposal.status = rules.move("close", disposal.status)
    disposal.closed_at, disposal.closed_by, disposal.close_note = clock.now(), actor, note
    session.add(disposal)
    audit_disposal(session, disposal, "disposal.closed", actor, {"note": note[:200]})


def disposal_rows(
    session: Session,
    *,
    status: str | None = None,
    target_id: int | None = None,
    complaint_id: int | None = None,
    department_id: int | None = None,
    refer_department_id: int | None = None,
    disposal_id: int | None = None,
    limit: int = 1000,
) -> list[dict[str, Any]]:
    """Disposals with kind, status, due date and links to the result, the 复查 window and the case, due first."""
    stmt = select(Disposal, Enterprise).join(Enterprise, col(Enterprise.id) == col(Disposal.enterprise_id))
    for column, value in (
        (Disposal.status, status), (Disposal.target_id, target_id), (Disposal.complaint_id, complaint_id),
        (Disposal.department_id, department_id),
        (Disposal.refer_department_id, refer_department_id), (Disposal.id, disposal_id),
    ):  # fmt: skip
        if value is not None:
            stmt = stmt.where(column == value)
    rows = session.exec(
        stmt.order_by(col(Disposal.due).is_(None), col(Disposal.due), col(Disposal.id)).limit(limit)
    ).all()
    # The departments and cases these rows name, each loaded once.
    dept_ids = {d.department_id for d, _e in rows} | {d.refer_department_id for d, _e in rows if d.refer_department_id}
    depts = {d.id: d for d in session.exec(select(Department).where(col(Department.id).in_(dept_ids))).all()}
    complaint_ids = {d.complaint_id for d, _e in rows if d.complaint_id}
    tickets = dict(
        session.exec(select(Complaint.id, Complaint.ticket_no).where(col(Complaint.id).in_(complaint_ids))).all()
    )
    case_ids = [d.case_id for d, _e in rows if d.case_id]
    cases = {c.id: c for c in session.exec(select(EnforcementCase).where(col(EnforcementCase.id).in_(case_ids))).all()}
    today = clock.today()
    out = []
    for d, ent in rows:
        case = cases.get(d.case_id) if d.case_id else None
        out.append(
            {
                "number": d.number, "id": d.id, "kind": d.kind, "kind_label": rules.KINDS[d.kind],
                "status": d.status, "status_label": rules.STATUS_LABELS[d.status],
                "uscc": ent.uscc, "enterprise_name": ent.name,
                "department": depts[d.department_id].name if d.department_id in depts else "",
                "reason": d.reason, "legal_basis": d.legal_basis,
                "due": d.due.isoformat() if d.due else None,
                "overdue": d.status == rules.OPEN and d.due is not None and d.due < today,
                "closed_at": d.closed_at.isoformat() if d.closed_at else None, "closed_by": d.closed_by,
                "close_note": d.close_note,
                "result": {"target_id": d.target_id, "result_id": d.result_id, "complaint_id": d.complaint_id,
                           "ticket_no": tickets.get(d.complaint_id)},
                "notice_number": d.notice_number,
                "recheck": None if d.kind != rules.RECTIFY else {
                    "window_start": d.recheck_start and d.recheck_start.isoformat(),
                    "window_end": d.recheck_end and d.recheck_end.isoformat(),
                    "on": d.recheck_on and d.recheck_on.isoformat(), "outcome": d.recheck_outcome,
                },
                "refer_department": depts[d.refer_department_id].name if d.refer_department_id in depts else None,
                "acked_at": d.acked_at.isoformat() if d.acked_at else None,
                "case": None if case is None else {
                    "id": case.id, "status": case.status, "case_number": case.case_number,
                    "filing_due": case.filing_due.isoformat(), "decision_number": case.decision_number,
                    "heavy": case.heavy, "penalty_id": case.penalty_id, "entry_id": case.entry_id,
                    "decision_due": case.decision_due.isoformat() if case.decision_due else None,
                    "inform_number": case.inform_number, "hearing_applies": case.hearing_applies,
                    "hearing_request_due": (
                        case.hearing_request_due.isoformat() if case.hearing_request_due else None
                    ),
                },
                "entry_id": d.entry_id or (case.entry_id if case else None),
                "escalated_to": d.escalated_to,
            }
        )  # fmt: skip
    return out


def _occasion(session: Session, disposal: Disposal) -> tuple[date | None, str]:
    """When and on what occasion the problem was found: a visit of a task, or a 工单's 核查."""
    if disposal.result_id is not None:
        result, target = session.get(InspectionResult, disposal.result_id), session.get(DrawTarget, disposal.target_id)
        task = session.get(Task, target.task_id) if target else None
        return (result.inspected_on if result else None), (task.title if task else "")
    complaint = session.get(Complaint, disposal.complaint_id) if disposal.complaint_id else None
    if complaint is None:
        return None, ""
    return complaint.verified_on, f"{complaint.category}核查（工单号 {complaint.ticket_no}）"


def rectification_notice(
    session: Session, *, disposal_id: int, inspector: Inspector, actor: str
) -> tuple[str, bytes, str]:
    """Render a 责令改正's notice (its department's inspectors only) and audit it; (file name, PDF, SHA-256)."""
    disposal = session.get(Disposal, disposal_id)
    if disposal is None or disposal.kind != rules.RECTIFY:
        raise field_error("disposal_id", f"责令改正 {disposal_id} 不存在", status=404)
    if inspector.department_id != disposal.department_id:
        raise ApiError(403, "只有作出责令改正的部门可以打印通知书", code="forbidden")
    font = find_cjk_font()
    if font is None:
        raise field_error("disposal_id", "服务器未安装可嵌入的中文字体，暂不能生成通知书", status=503)
    ent, dept = session.get(Enterprise, disposal.enterprise_id), session.get(Department, disposal.department_id)
    found_on, occasion = _occasion(session, disposal)
    if not (ent and dept and found_on and disposal.notice_on and disposal.recheck_start and disposal.recheck_end):
        raise field_error("disposal_id", f"责令改正 {disposal.number} 的记录不完整，暂不能打印通知书", status=409)
    pdf = render_notice(
        {
            "issuer": dept.name, "notice_number": disposal.notice_number, "firm_name": ent.name, "uscc": ent.uscc,
            "inspected_on": paper_date(found_on), "task": occasion, "reason": disposal.reason,
            "legal_basis": disposal.legal_basis, "deadline": paper_date(disposal.recheck_start),
            "recheck_start": paper_date(disposal.recheck_start), "recheck_end": paper_date(disposal.recheck_end),
            "notice_on": paper_date(disposal.notice_on),
        },
        font=font,
    )  # fmt: skip
    digest = hashlib.sha256(pdf).hexdigest()
    audit_disposal(session, disposal, "disposal.notice_printed", actor, {"sha256": digest})
    return f"责令改正通知书-{disposal.number}.pdf", pdf, digest
