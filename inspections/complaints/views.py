"""Web pages of 投诉举报: the list (the department's own for its officers), the staff form for a 工单 taken by
letter or visit, and a 工单's page with the steps its viewer may take: matching the firm and 交办 for the 督查室,
签收, 受理, 核查 (per 检查要点), 办结 and 答复 for the handling department."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlmodel import col, func, select

from inspections.complaints import mediation, rules, separation, services, workflow
from inspections.complaints.models import Complaint
from inspections.complaints.schemas import (
    AcceptIn,
    CloseIn,
    ComplaintIn,
    MatchConfirm,
    MediateIn,
    NoticeIn,
    RectifyIn,
    ReplyIn,
    RerouteIn,
    SpinOffIn,
    VerifyIn,
)
from inspections.disposals.services import disposal_rows
from supervise import clock, listing
from supervise.api import spreadsheet
from supervise.auth import roles
from supervise.models import Department, User
from supervise.nav import NavItem, register_nav
from supervise.web import actor, register_audit_values, request_session

bp = Blueprint("complaints", __name__)  # templates: inspections/templates/complaints
READERS = ("supervisor", "auditor", "admin", "inspector", "reviewer")
INTAKE = ("supervisor", "inspector", "reviewer")


def register_complaint_audit_values(app: Flask) -> None:
    """The 工单 codes the audit log shows by name."""
    register_audit_values(app, "complaint", {"state": rules.STATE_LABELS, "source": {"api": "12345平台接口"}})


def register_complaint_nav(app: Flask) -> None:
    """Menu entry of the complaints list."""
    register_nav(app, NavItem("complaints.index", "投诉举报", frozenset(READERS), 18))


def _me() -> User:
    user = request_session().get(User, current_user.id)
    assert user is not None
    return user


EXPORT_HEADER = ("工单号", "受理时间", "渠道", "类别", "涉及经营主体", "统一社会信用代码", "承办部门", "状态", "下一步",
                 "期限", "是否超期", "核查结论", "立案决定", "立案文号")  # fmt: skip


def _filtered() -> tuple[list[dict[str, Any]], Any]:
    wanted = listing.read_filter(request.args)
    rows = services.complaint_rows(
        request_session(), viewer_role=current_user.role, viewer_id=current_user.id,
        department_id=current_user.department_id,
    )  # fmt: skip
    text = ("ticket_no", "firm_name", "uscc", "content", "department")
    return listing.apply(rows, wanted, text=text, day="received_at"), wanted


@bp.get("/complaints")
@roles(*READERS)
def index() -> Any:
    rows, wanted = _filtered()
    return render_template("complaints/list.html", rows=rows, can_intake=current_user.role in INTAKE, f=wanted,
                           states=rules.STATE_LABELS, categories=rules.CATEGORIES)  # fmt: skip


@bp.get("/complaints.xlsx")
@roles(*READERS)
def export() -> Any:
    rows, _wanted = _filtered()
    table = [
        (c["ticket_no"], c["received_at"][:16].replace("T", " "), c["channel"], c["category"], c["firm_name"],
         c["uscc"] or "", c["department"] or "未分派", c["state_label"], c["next_step"] or "", c["next_due"] or "",
         "是" if c["overdue"] else "否", c["finding"] or "", c["case_decision"] or "", c["case_number"] or "")
        for c in rows
    ]  # fmt: skip
    return spreadsheet(f"投诉举报工单-{clock.today():%Y%m%d}.xlsx", "xlsx", EXPORT_HEADER, table)


@bp.get("/complaints/new")
@roles(*INTAKE)
def new() -> Any:
    now = clock.beijing_now().strftime("%Y-%m-%dT%H:%M")
    return render_template("complaints/new.html", channels=("来访", "信件", "其他"), now=now, trades=rules.TRADE_LABELS)


@bp.post("/complaints/new")
@roles(*INTAKE)
def create() -> Any:
    form = request.form
    session = request_session()
    ticket = form.get("ticket_no", "").strip() or _local_number(session)
    received = form.get("received_at", "").strip()
    data = ComplaintIn.model_validate({
        "ticket_no": ticket, "received_at": f"{received}:00+08:00" if len(received) == 16 else received,
        "channel": form.get("channel", ""), "category": form.get("category", ""), "uscc": form.get("uscc") or None,
        "firm_name": form.get("firm_name", ""), "firm_address": form.get("firm_address", ""),
        "content": form.get("content", ""), "complainant_name": form.get("complainant_name", ""),
        "complainant_phone": form.get("complainant_phone", ""), "confidential": form.get("confidential") == "on",
        "complainant_address": form.get("complainant_address", ""), "trade": form.get("trade", ""),
        "act_region": form.get("act_region") or None, "other_region": form.get("other_region") or None,
    })  # fmt: skip
    row, created = services.receive(session, data=data, source="form", actor=actor())
    handler = session.get(Department, row.department_id) if row.department_id else None
    where = f"，已转{handler.name}承办" if handler else "，待督查室分派承办部门"
    flash(f"已登记工单 {row.ticket_no}{where}" if created else f"工单 {row.ticket_no} 已存在，未改动", "ok")
    return redirect(url_for("complaints.detail", ticket_no=row.ticket_no))


def _local_number(session: Any) -> str:
    """A 工单号 for a complaint taken by letter or visit (XF-date-n, 本地设定)."""
    day = clock.today()
    n = session.exec(
        select(func.count()).select_from(Complaint).where(col(Complaint.ticket_no).startswith(f"XF-{day:%Y%m%d}-"))
    ).one()
    return f"XF-{day:%Y%m%d}-{n + 1:04d}"


@bp.get("/complaints/<ticket_no>")
@roles(*READERS)
def detail(ticket_no: str) -> Any:
    session = request_session()
    row = services.visible_row(
        session, ticket_no=ticket_no, viewer_role=current_user.role, department_id=current_user.department_id,
        viewer_actor=actor(),
    )  # fmt: skip
    view = services.views(session, [row], viewer_role=current_user.role, viewer_id=current_user.id)[0]
    officer = current_user.role in workflow.HANDLING_ROLES and current_user.department_id == row.department_id
    oversight = current_user.role in ("supervisor", "admin")
    return render_template(
        "complaints/detail.html", c=view, row=row, officer=officer, oversight=oversight,
        candidates=services.match_candidates(session, ticket_no=ticket_no) if oversight and not view["matched"] else [],
        departments=session.exec(select(Department.code, Department.name).order_by(col(Department.code))).all()
        if oversight and row.state == rules.RECEIVED else [],
        context=services.handling_context(session, row) if officer else {}, findings=rules.FINDINGS,
        reply_channels=rules.REPLY_CHANNELS, today=clock.today().isoformat(),
        deadlines=[(r["label"], r["source"]) for r in rules.DEADLINES.values()],
        disposals=disposal_rows(session, complaint_id=row.id) if row.id else [],
        reject_grounds=rules.REJECT_GROUNDS, end_grounds=rules.END_GROUNDS, numerals=rules.NUMERALS,
        papers=rules.AGREEMENT_PAPERS, suspend_reasons=rules.SUSPEND_REASONS,
        children=session.exec(select(Complaint.ticket_no, Complaint.origin).where(Complaint.parent_ticket == ticket_no)
                              .order_by(col(Complaint.ticket_no))).all(),
    )  # fmt: skip


def _back(ticket_no: str, message: str) -> Any:
    flash(message, "ok")
    return redirect(url_for("complaints.detail", ticket_no=ticket_no))


@bp.post("/complaints/<ticket_no>/match")
@roles("supervisor", "admin")
def match(ticket_no: str) -> Any:
    data = MatchConfirm.model_validate({"uscc": request.form.get("uscc", "")})
    services.confirm_match(request_session(), ticket_no=ticket_no, uscc=data.uscc, actor=actor())
    return _back(ticket_no, f"已确认涉及的经营主体：{data.uscc}")


@bp.post("/complaints/<ticket_no>/route")
@roles("supervisor", "admin")
def reroute(ticket_no: str) -> Any:
    data = RerouteIn.model_validate({k: request.form.get(k, "") for k in ("department_code", "reason")})
    workflow.reroute(request_session(), ticket_no=ticket_no, department_code=data.department_code, reason=data.reason,
                     actor=actor())  # fmt: skip
    return _back(ticket_no, "已改派承办部门")


@bp.post("/complaints/<ticket_no>/rectify")
@roles(*workflow.HANDLING_ROLES)
def rectify(ticket_no: str) -> Any:
    raw = {k: request.form.get(k, "") for k in ("reason", "legal_basis", "deadline_days")}
    data = RectifyIn.model_validate({**raw, "deadline_days": raw["deadline_days"] or 0})
    d = workflow.order_rectification(
        request_session(), ticket_no=ticket_no, user=_me(), actor=actor(), reason=data.reason,
        legal_basis=data.legal_basis, deadline_days=data.deadline_days,
    )  # fmt: skip
    return _back(ticket_no, f"已责令改正（{d.notice_number}），复查期间 {d.recheck_start} 至 {d.recheck_end}")


@bp.post("/complaints/<ticket_no>/<any(sign, accept, verify, close, reply):step>")
@roles(*workflow.HANDLING_ROLES)
def act(ticket_no: str, step: str) -> Any:
    session, form, user = request_session(), request.form, _me()
    common: dict[str, Any] = {"ticket_no": ticket_no, "user": user, "actor": actor()}
    if step == "sign":
        workflow.sign(session, **common)
    elif step == "accept":
        a = AcceptIn.model_validate({"decision": form.get("decision") or None, "reason": form.get("reason", ""),
                                     "team": form.getlist("team"), "items": form.getlist("items"),
                                     "ground": form.get("ground") or None})  # fmt: skip
        workflow.accept(session, **common, decision=a.decision, reason=a.reason, team=a.team, items=a.items,
                        ground=a.ground)  # fmt: skip
    elif step == "verify":
        points = {k[6:]: v for k, v in form.items() if k.startswith("point-") and v}  # 请选择 is no finding
        v = VerifyIn.model_validate({
            "visited_on": form.get("visited_on", ""), "finding": form.get("finding", ""), "note": form.get("note", ""),
            "points": points, "case_decision": form.get("case_decision") or None,
            "case_number": form.get("case_number") or None,
        })  # fmt: skip
        workflow.verify(session, **common, visited_on=v.visited_on, finding=v.finding, note=v.note,
                        points=dict(v.points), case_decision=v.case_decision, case_number=v.case_number)  # fmt: skip
    elif step == "close":
        workflow.close(session, **common, note=CloseIn.model_validate({"note": form.get("note", "")}).note)
    else:
        r = ReplyIn.model_validate({"channel": form.get("channel", ""), "reply": form.get("reply", "")})
        workflow.reply(session, **common, channel=r.channel, text=r.reply)
    row = services.complaint_row(session, ticket_no)  # say what the step did: the state the 工单 is now in
    return _back(ticket_no, f"已办理：工单 {ticket_no} 现为“{rules.STATE_LABELS[row.state]}”")


@bp.post("/complaints/<ticket_no>/mediate")
@roles(*workflow.HANDLING_ROLES)
def mediate(ticket_no: str) -> Any:
    form = request.form
    m = MediateIn.model_validate({k: form.get(k) or None for k in ("action", "reason", "paper", "ground")}
                                 | {"note": form.get("note", "")})  # fmt: skip
    row = mediation.mediate(request_session(), ticket_no=ticket_no, user=_me(), actor=actor(), action=m.action,
                            reason=m.reason, paper=m.paper, ground=m.ground, note=m.note)  # fmt: skip
    return _back(ticket_no, f"调解：{rules.MEDIATION_LABELS[row.mediation_state]}")


@bp.post("/complaints/<ticket_no>/<any(reporter, mediation):whom>-notice")
@roles(*workflow.HANDLING_ROLES)
def notice(ticket_no: str, whom: str) -> Any:
    n = NoticeIn.model_validate({k: request.form.get(k, "") for k in ("notified_on", "channel")})
    step = workflow.notify_reporter if whom == "reporter" else mediation.notify_end
    step(request_session(), ticket_no=ticket_no, user=_me(), actor=actor(), notified_on=n.notified_on,
         channel=n.channel)  # fmt: skip
    return _back(ticket_no, "已登记告知")


@bp.post("/complaints/<ticket_no>/reports")
@roles(*workflow.HANDLING_ROLES)
def spin_off(ticket_no: str) -> Any:
    data = SpinOffIn.model_validate({k: request.form.get(k, "") for k in ("origin", "content")})
    child = separation.open_report(request_session(), ticket_no=ticket_no, user=_me(), actor=actor(),
                                   origin=data.origin, content=data.content)  # fmt: skip
    flash(f"已另立举报工单 {child.ticket_no}", "ok")
    return redirect(url_for("complaints.detail", ticket_no=child.ticket_no))
