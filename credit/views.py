"""Web pages of the credit module: licensing window check, credit officers' entries, public credit query."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Flask, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import and_, or_
from sqlmodel import Session, col, func, select

from credit import applications
from credit.control import pending_checks
from credit.law import LIST_TYPES
from credit.licensing import check, report_outcome
from credit.lifecycle import ACTION_LABELS, REVIEW_KINDS, STATE_LABELS, allowed_actions, repair_requirements
from credit.models import CreditApplication, EntryEvent, LicenseMatter, ListEntry, ListType
from credit.notice_paper import print_notice
from credit.penalties import public_penalties
from credit.public import credit_report, public_credit_report, public_entries, removal_history
from credit.schemas import (
    ApplicationCreate,
    CheckRequest,
    EntryCreate,
    OutcomeRequest,
    StatementRequest,
    StatusRequest,
    TransitionRequest,
)
from credit.services import (
    REGISTRAR_KIND,
    check_scope,
    entry_facts,
    entry_public,
    may_approve_higher,
    propose,
    record_statement,
    scoped_entries,
    transition,
)
from credit.todo import WAITING
from supervise import clock
from supervise.api import spreadsheet
from supervise.attachments import read as read_attachment
from supervise.attachments import store
from supervise.auth import PUBLIC, roles
from supervise.config import tuning
from supervise.errors import field_error
from supervise.holidays import work_calendar
from supervise.models import Department, Enterprise
from supervise.nav import NavItem, register_nav
from supervise.services import people_names
from supervise.web import actor, attachment, page_arg, pdf_download, register_audit_values, request_session

bp = Blueprint("credit", __name__, template_folder="templates")
ENTRIES_PER_PAGE = 50
EXTENSIONS = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}
DECISION_LABELS = {
    "deny": "不予许可",
    "restrict": "限制/从严审查",
    "allow_with_measures": "准予并适用激励措施",
    "allow": "正常办理",
}
NOTE_LABELS = {
    "object": "异议内容",
    "reject_objection": "不予受理的理由",
    "uphold": "核实结果",
    "remove": "核实结果",
    "record_review": "复议机关或法院、案号",
    "revoke": "撤销处罚的文书",
    "review_upheld": "维持的复议决定书或判决书",
    "apply_repair": "申请移出的事由（如已补报年报）",
    "reject_repair": "不予移出的理由",
}
EVENT_LABELS = {"proposed": "拟列入", "statement": "登记陈述申辩", "imported": "导入", "renewed": "续期"}


def register_credit_audit_values(app: Flask) -> None:
    """The credit codes the audit log shows by name: entry states, list types, decisions, application kinds."""
    types = {code: name for code, name, _colour, _rule in LIST_TYPES}
    register_audit_values(app, "list_entry", {"from": STATE_LABELS, "to": STATE_LABELS, "list_type": types})
    register_audit_values(app, "list_type", {"list_type": types})
    kinds = {k: label for k, (_action, label) in applications.KINDS.items()}
    register_audit_values(app, "credit_application", {"list_type": types, "kind": kinds})
    register_audit_values(app, "licensing_check", {"decision": DECISION_LABELS})
    tiers = {tier: f"{tier}类" for tier in "ABCD"}
    register_audit_values(app, "enterprise", {"from": tiers, "to": tiers})


def register_credit_nav(app: Flask) -> None:
    """Menu entries of the credit pages."""
    register_nav(
        app,
        NavItem("credit.public_query", "信用查询", frozenset({"public"}), 25),
        NavItem("credit.apply", "异议与修复", frozenset({"public"}), 26),
        NavItem("credit.licensing_check", "许可信用核查", frozenset({"licensing_officer", "admin"}), 30),
        NavItem("credit.entries", "名单管理", frozenset({"credit_officer", "admin"}), 30),
    )


@bp.get("/credit")
@roles(PUBLIC)
def public_query() -> Any:
    q = request.args.get("q", "").strip()
    session = request_session()
    rows = public_entries(session, q=q) if len(q) >= 2 else []
    history = removal_history(session, q=q) if len(q) >= 2 else []
    firm = session.exec(select(Enterprise).where(Enterprise.uscc == q.upper())).first() if len(q) == 18 else None
    fined = public_penalties(session, enterprise_id=firm.id or 0) if firm else []
    return render_template("credit/public.html", q=q, rows=rows, history=history, penalties=fined)


@bp.get("/credit/report/<uscc>.pdf")
@roles(PUBLIC)
def credit_report_pdf(uscc: str) -> Any:
    """A firm's 信用报告 (public information only), with its SHA-256 in a header as in the audit log."""
    uscc = uscc.strip().upper()
    if current_user.is_authenticated:  # officers' prints are audited, each with its own anchor
        number, pdf, digest = credit_report(request_session(), uscc=uscc, actor=actor())
    else:
        number, pdf, digest = public_credit_report(
            request_session(), uscc=uscc, address=request.remote_addr or "unknown"
        )
    return pdf_download(f"企业信用报告-{uscc}-{number}.pdf", pdf, digest)


@bp.route("/credit/apply", methods=["GET", "POST"])
@roles(PUBLIC)
def apply() -> Any:
    """The public form for a firm's 异议 or 信用修复 application."""
    session = request_session()
    if request.method == "POST":
        f = request.form
        data = ApplicationCreate.model_validate(
            {
                **{k: f.get(k, "") for k in ("uscc", "list_type", "kind", "contact_name", "contact_phone", "reason")},
                "conditions": {k[10:]: v for k, v in f.items() if k.startswith("condition:") and v.strip()},
                "commitment_letter": f.get("commitment_letter") == "on",
            }
        )
        files = [(u.filename or "附件", u.read()) for u in request.files.getlist("attachments") if u.filename]
        application = applications.submit(session, **data.model_dump(), attachments=store(files))
        flash(f"申请已提交，申请编号 {application.number}。请凭申请编号和统一社会信用代码查询办理进度。", "ok")
        return redirect(url_for("credit.application_status", number=application.number, uscc=application.uscc))
    rules = {t.code: t.rule() for t in session.exec(select(ListType)).all()}
    conditions = {
        code: label for code in ("BLACK",) if code in rules for code, label in repair_requirements(rules[code])
    }
    return render_template("credit/apply.html", conditions=conditions, today=clock.today().isoformat())


@bp.get("/credit/apply/status")
@roles(PUBLIC)
def application_status() -> Any:
    """An application's progress for whoever holds its number and the firm's USCC (no login)."""
    number, uscc = request.args.get("number", "").strip(), request.args.get("uscc", "").strip()
    found = None
    if number or uscc:
        data = StatusRequest.model_validate({"number": number, "uscc": uscc})
        found = applications.status(request_session(), number=data.number, uscc=data.uscc)
    return render_template("credit/apply_status.html", found=found, number=number, uscc=uscc)


@bp.post("/credit/applications/<int:application_id>/<action>")
@roles("credit_officer", "admin")
def application_action(application_id: int, action: str) -> Any:
    """Register an online application into due process, or return it with a reason."""
    session = request_session()
    if action == "register":
        done = applications.register(session, application_id=application_id, user_id=current_user.id, actor=actor())
        flash(f"网上申请 {done.number} 已登记，请由另一名信用管理人员作出决定", "ok")
    elif action == "return":
        note = request.form.get("note", "")
        done = applications.return_application(
            session, application_id=application_id, reason=note, user_id=current_user.id, actor=actor()
        )
        flash(f"网上申请 {done.number} 已退回", "ok")
    else:
        raise field_error("action", "操作应为登记或退回", status=404)
    return redirect(url_for("credit.entries"))


@bp.get("/credit/applications/<int:application_id>/files/<digest>")
@roles("credit_officer", "admin")
def application_file(application_id: int, digest: str) -> Any:
    """One attachment of an application, for the officers handling it."""
    session = request_session()
    app = session.get(CreditApplication, application_id)
    entry = session.get(ListEntry, app.entry_id) if app else None
    if entry is not None:
        check_scope(session, department_id=entry.department_id, user_id=current_user.id, what="信用申请")
    listed = {a["sha256"]: a for a in json.loads(app.attachments)} if app else {}
    if digest not in listed:
        raise field_error("digest", "附件不存在", status=404)
    meta = listed[digest]
    return Response(
        read_attachment(digest),
        mimetype=meta["type"],
        headers={"Content-Disposition": attachment(f"{app.number}-{digest[:8]}" + EXTENSIONS[meta["type"]])},  # type: ignore[union-attr]
    )


@bp.route("/credit/check", methods=["GET", "POST"])
@roles("licensing_officer", "admin")
def licensing_check() -> Any:
    session = request_session()
    matters = session.exec(select(LicenseMatter).order_by(col(LicenseMatter.code))).all()
    answer, form = None, {"uscc": "", "matter": ""}
    if request.method == "POST":
        form = {"uscc": request.form.get("uscc", "").strip(), "matter": request.form.get("matter", "")}
        data = CheckRequest.model_validate(form)
        answer = check(session, uscc=data.uscc, matter=data.matter, user_id=current_user.id, actor=actor())
    return render_template(
        "credit/check.html",
        matters=matters,
        answer=answer,
        form=form,
        pending=pending_checks(session, user_id=current_user.id),
        report_days=tuning().outcome_report_days,
        decision_labels=DECISION_LABELS,
    )


@bp.post("/credit/check/<check_id>/outcome")
@roles("licensing_officer", "admin")
def licensing_outcome(check_id: str) -> Any:
    chosen = request.form.get("granted")
    if chosen not in ("0", "1"):
        raise field_error("granted", "请选择办理结果：准予许可或不予许可")
    data = OutcomeRequest.model_validate(
        {"granted": chosen == "1", "measures_applied": request.form.getlist("measures_applied")}
    )
    done = report_outcome(
        request_session(),
        check_id=check_id,
        granted=data.granted,
        measures_applied=data.measures_applied,
        actor=actor(),
        user_id=current_user.id,
    )
    verdict = "准予许可" if done["granted"] else "不予许可"
    if done["breach"]:
        flash(f"已报告办理结果：{verdict}。该结果未落实核查要求的联合惩戒措施，已记为未落实", "error")
    else:
        flash(f"已报告办理结果：{verdict}", "ok")
    return redirect(url_for("credit.licensing_check"))


def _entries_query(session: Session) -> tuple[dict[str, str], Any]:
    """The entries the officer reaches that the list's search and filters keep (the page and its export)."""
    filters = {k: request.args.get(k, "").strip() for k in ("q", "list_type", "state", "overdue")}
    query = select(ListEntry)
    if filters["q"]:
        firms = select(Enterprise.id).where(
            col(Enterprise.name).contains(filters["q"], autoescape=True)
            | col(Enterprise.uscc).startswith(filters["q"].upper(), autoescape=True)
        )
        query = query.where(col(ListEntry.enterprise_id).in_(firms))
    if filters["list_type"]:
        query = query.where(ListEntry.list_type == filters["list_type"])
    if filters["state"]:
        query = query.where(ListEntry.state == filters["state"])
    if filters["overdue"] == "1":  # the deadline each waiting state runs against (credit.todo.WAITING) has passed
        today = clock.today()
        query = query.where(
            or_(
                *(
                    and_(col(ListEntry.state) == state, col(getattr(ListEntry, due)) < today)
                    for state, (due, _l) in WAITING.items()
                )
            )
        )
    scoped = scoped_entries(session, user_id=current_user.id)
    if scoped is not None:
        query = query.where(scoped)
    return filters, query


EXPORT_HEADER = (
    "编号", "统一社会信用代码", "企业名称", "名单", "列入事由", "状态", "决定期限", "列入日期", "决定书文号",
    "法律依据",
)  # fmt: skip


@bp.get("/credit/entries.xlsx")
@roles("credit_officer", "admin")
def entries_export() -> Any:
    session = request_session()
    _filters, query = _entries_query(session)
    rows = session.exec(
        select(ListEntry, Enterprise).join(Enterprise, col(Enterprise.id) == col(ListEntry.enterprise_id))
        .where(col(ListEntry.id).in_(query.with_only_columns(col(ListEntry.id)).scalar_subquery()))
        .order_by(col(ListEntry.id).desc()).limit(5000)
    ).all()  # fmt: skip
    names = {t.code: t.name for t in session.exec(select(ListType)).all()}
    table = [
        (e.id, f.uscc, f.name, names.get(e.list_type, e.list_type), e.reason, STATE_LABELS.get(e.state, e.state),
         e.decision_due.isoformat(), e.listed_on.isoformat() if e.listed_on else "", e.decision_number or "",
         e.legal_basis)
        for e, f in rows
    ]  # fmt: skip
    return spreadsheet(f"信用名单条目-{clock.today():%Y%m%d}.xlsx", "xlsx", EXPORT_HEADER, table)


@bp.route("/credit/entries", methods=["GET", "POST"])
@roles("credit_officer", "admin")
def entries() -> Any:
    session = request_session()
    if request.method == "POST":
        # An empty optional field (a penalty date for a 经营异常 entry) is no value, not an empty string.
        form = {k: v for k, v in request.form.items() if k != "csrf_token" and v != ""}
        data = EntryCreate.model_validate(form)
        entry = propose(session, user_id=current_user.id, actor=actor(), **data.model_dump())
        flash(f"已拟列入，编号 {entry.id}", "ok")
        return redirect(url_for("credit.entries"))
    filters, query = _entries_query(session)
    total = int(session.exec(select(func.count()).select_from(query.subquery())).one())
    page = max(1, min(page_arg(), -(-total // ENTRIES_PER_PAGE) or 1))
    rows = session.exec(
        query.order_by(col(ListEntry.id).desc()).offset((page - 1) * ENTRIES_PER_PAGE).limit(ENTRIES_PER_PAGE)
    ).all()
    types = session.exec(select(ListType).order_by(col(ListType.code))).all()
    calendar = work_calendar(session)
    today = clock.today()
    kinds = {t.code: t.kind for t in types}
    rules = {t.code: t.rule() for t in types}
    waiting = applications.queue(session, user_id=current_user.id)
    # The buttons come from the same state machine the service enforces: an action that must wait says why.
    offers = {e.id: allowed_actions(entry_facts(e), rules[e.list_type], today, user_id=current_user.id) for e in rows}
    for e in rows:  # 上一级同意 is offered only to the officers of the department one level up
        if any(o.action == "approve_higher" for o in offers[e.id]) and not may_approve_higher(
            session, e, current_user.id
        ):
            offers[e.id] = [o for o in offers[e.id] if o.action != "approve_higher"]
    return render_template(
        "credit/entries.html",
        today=today.isoformat(),
        offers=offers,
        page=page,
        per_page=ENTRIES_PER_PAGE,
        total=total,
        rows=[(entry_public(session, e, calendar), e) for e in rows],
        types=types,
        labels=ACTION_LABELS,
        states=STATE_LABELS,
        kinds=kinds,
        rules=rules,
        filters=filters,
        departments=session.exec(
            select(Department).where(Department.kind == REGISTRAR_KIND).order_by(col(Department.code))
        ).all(),
        own_department=_own_department(session),
        review_kinds=REVIEW_KINDS,
        note_labels=NOTE_LABELS,
        applications=waiting,
        attachments={a.id: json.loads(a.attachments) for a in waiting},
        application_kinds={k: v[1] for k, v in applications.KINDS.items()},
        condition_labels={code: label for rule in rules.values() for code, label in repair_requirements(rule)},
    )


def _own_department(session: Session) -> str:
    dept = session.get(Department, current_user.department_id) if current_user.department_id else None
    return dept.code if dept else ""


@bp.get("/credit/entries/<int:entry_id>")
@roles("credit_officer", "admin")
def entry_history(entry_id: int) -> Any:
    session = request_session()
    entry = session.get(ListEntry, entry_id)
    if entry is None:
        raise field_error("entry_id", f"名单条目 {entry_id} 不存在", status=404)
    check_scope(session, department_id=entry.department_id, user_id=current_user.id)
    events = session.exec(
        select(EntryEvent).where(EntryEvent.entry_id == entry_id).order_by(col(EntryEvent.at), col(EntryEvent.id))
    ).all()
    return render_template(
        "credit/entry.html",
        p=entry_public(session, entry),
        entry=entry,
        events=events,
        states=STATE_LABELS,
        labels={**ACTION_LABELS, **EVENT_LABELS},
        names=people_names(session, [ev.actor for ev in events]),  # 办理人 by name, not by account
    )


@bp.post("/credit/entries/<int:entry_id>/<action>")
@roles("credit_officer", "admin")
def entry_action(entry_id: int, action: str) -> Any:
    session = request_session()
    f = request.form
    if action == "statement":
        data = StatementRequest.model_validate({"note": f.get("note", "")})
        record_statement(session, entry_id=entry_id, note=data.note, actor=actor(), user_id=current_user.id)
    else:
        move = TransitionRequest.model_validate(
            {
                "action": action,
                "note": f.get("note", ""),
                "decision_number": f.get("decision_number") or None,
                "commitment_letter": f.get("commitment_letter") == "on",
                "conditions": {k[len("condition:") :]: v for k, v in f.items() if k.startswith("condition:")},
                "review_kind": f.get("review_kind") or None,
                "served_on": f.get("served_on") or None,
            }
        )
        transition(
            session,
            entry_id=entry_id,
            action=move.action,
            user_id=current_user.id,
            actor=actor(),
            note=move.note,
            decision_number=move.decision_number,
            commitment_letter=move.commitment_letter,
            conditions=dict(move.conditions),
            review_kind=move.review_kind,
            served_on=move.served_on,
        )
    entry = session.get(ListEntry, entry_id)
    state = STATE_LABELS.get(entry.state, entry.state) if entry else ""
    flash(f"已{ACTION_LABELS.get(action, action)}：名单条目 {entry_id} 现为“{state}”" if state else "已办理", "ok")
    return redirect(url_for("credit.entries"))


@bp.get("/credit/entries/<int:entry_id>/notice.pdf")
@roles("credit_officer", "admin")
def entry_notice(entry_id: int) -> Any:
    name, pdf, digest = print_notice(request_session(), entry_id=entry_id, user_id=current_user.id, actor=actor())
    return pdf_download(name, pdf, digest)
