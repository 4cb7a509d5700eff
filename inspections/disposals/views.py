"""Web pages of the enforcement loop: disposals on the visit page, the 复查, the department's inbox of 抄告 and
its 行政处罚案件 with the next step of each."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlmodel import col, select

from credit import bars
from credit.penalties import KINDS as PENALTY_KINDS
from inspections.disposals import case_papers, cases, procedure, rules, services
from inspections.disposals.case_actions import ACTIONS, form_body
from inspections.disposals.case_base import STATUS_LABELS as CASE_LABELS
from inspections.disposals.case_base import STATUS_LABELS as CASE_STATUS_LABELS
from inspections.disposals.case_record import case_record
from inspections.disposals.lenient import lenient_items
from inspections.disposals.models import EnforcementCase
from inspections.disposals.schemas import (
    AckCreate,
    CaseDay,
    CaseDecide,
    CaseFile,
    CaseNotFile,
    CaseServe,
    DisposalCreate,
    RecheckCreate,
)
from inspections.results import inspector_of_user
from supervise import clock, listing
from supervise.api import spreadsheet
from supervise.auth import roles
from supervise.models import User
from supervise.nav import NavItem, register_nav
from supervise.web import actor, pdf_download, register_audit_values, request_session

bp = Blueprint("disposals", __name__)  # templates: inspections/templates/inspections
DEPARTMENT_ROLES = ("inspector", "reviewer", "credit_officer", "licensing_officer")


def register_disposal_audit_values(app: Flask) -> None:
    """The 后续处置 and case codes the audit log shows by name."""
    register_audit_values(app, "disposal", {"kind": rules.KINDS, "status": rules.STATUS_LABELS})
    register_audit_values(app, "enforcement_case", {"status": CASE_STATUS_LABELS})


def register_disposal_nav(app: Flask) -> None:
    """Menu entries of the department's 抄告 inbox and cases."""
    register_nav(
        app,
        NavItem("disposals.inbox", "抄告签收", frozenset(DEPARTMENT_ROLES), 17),
        NavItem("disposals.case_list", "案件办理", frozenset({"inspector"}), 16),
    )


def _form(*names: str) -> dict[str, Any]:
    return {k: request.form.get(k, "") for k in names}


def _persons(text: str) -> list[dict[str, str]]:
    """One person a line, "身份，姓名，身份证号" (Chinese or ASCII commas), as the decision's persons."""
    out = []
    for line in text.splitlines():
        parts = [p.strip() for p in line.replace("，", ",").split(",")]
        if any(parts):
            out.append(dict(zip(("role", "name", "id_number"), parts + [""] * (3 - len(parts)), strict=False)))
    return out


@bp.post("/inspections/my/<int:target_id>/disposals")
@roles("inspector")
def create(target_id: int) -> Any:
    raw = _form("kind", "reason", "legal_basis", "deadline_days", "refer_department")
    data = DisposalCreate.model_validate(
        {**raw, "deadline_days": raw["deadline_days"] or None, "refer_department": raw["refer_department"] or None}
    )
    session = request_session()
    d = services.create_disposal(
        session, target_id=target_id, inspector=inspector_of_user(session, current_user.id), kind=data.kind,
        reason=data.reason, legal_basis=data.legal_basis, deadline_days=data.deadline_days,
        refer_department=data.refer_department, actor=actor(),
    )  # fmt: skip
    flash(f"已登记后续处置 {d.number}（{rules.KINDS[d.kind]}）", "ok")
    return redirect(url_for("visits.visit", target_id=target_id))


@bp.post("/disposals/<int:disposal_id>/recheck")
@roles("inspector")
def recheck(disposal_id: int) -> Any:
    data = RecheckCreate.model_validate(_form("outcome", "checked_on", "note"))
    session = request_session()
    d = services.record_recheck(
        session, disposal_id=disposal_id, inspector=inspector_of_user(session, current_user.id),
        outcome=data.outcome, checked_on=data.checked_on, note=data.note, actor=actor(),
    )  # fmt: skip
    flash(f"已登记复查结论：{data.outcome}", "ok")
    if d.target_id is None:  # a 投诉举报's 责令改正: back to the 工单's page
        return redirect(request.referrer or url_for("complaints.index"))
    return redirect(url_for("visits.visit", target_id=d.target_id))


@bp.get("/disposals/inbox")
@roles(*DEPARTMENT_ROLES)
def inbox() -> Any:
    rows = services.disposal_rows(request_session(), refer_department_id=current_user.department_id or -1)
    return render_template("inspections/disposal_inbox.html", rows=rows)


@bp.post("/disposals/<int:disposal_id>/acknowledge")
@roles(*DEPARTMENT_ROLES)
def acknowledge(disposal_id: int) -> Any:
    data = AckCreate.model_validate(_form("note"))
    session = request_session()
    user = session.get(User, current_user.id)
    assert user is not None
    services.acknowledge(session, disposal_id=disposal_id, user=user, note=data.note, actor=actor())
    flash("已签收", "ok")
    return redirect(url_for("disposals.inbox"))


CASE_HEADER = ("案件编号", "当事人", "统一社会信用代码", "状态", "受理日期", "立案日期", "决定期限", "是否超期",
               "决定书文号", "决定日期", "处罚种类", "罚没金额")  # fmt: skip


def _cases_sheet(records: list[dict[str, Any]]) -> Any:
    table = [
        (r["case_number"] or "待立案", r["enterprise"], r["uscc"], r["status_label"], r["received_on"] or "",
         r["filed_on"] or "", r["decision_due"] or "", "是" if r["overdue"] else "否", r["decision_number"] or "",
         r["decided_on"] or "", r["penalty_kind"] or "", r["amount"] if r["amount"] is not None else "")
        for r in records
    ]  # fmt: skip
    return spreadsheet(f"案件-{clock.today():%Y%m%d}.xlsx", "xlsx", CASE_HEADER, table)


@bp.get("/disposals/cases.xlsx", endpoint="cases_export")
@bp.get("/disposals/cases")
@roles("inspector")
def case_list() -> Any:
    session = request_session()
    me = inspector_of_user(session, current_user.id)
    stmt = select(EnforcementCase).where(EnforcementCase.department_id == me.department_id)
    only = request.args.get("case", type=int)  # one case, from a link on a 工单 or a visit
    if only is not None:
        stmt = stmt.where(EnforcementCase.id == only)
    rows = session.exec(
        stmt.order_by(col(EnforcementCase.status).in_(["closed", "not_filed", "no_penalty", "transferred"]),
                      col(EnforcementCase.filing_due))
    ).all()  # fmt: skip
    wanted = listing.read_filter(request.args)
    records = listing.apply([case_record(session, c) for c in rows], wanted, state="status", day="received_on",
                            text=("case_number", "decision_number", "enterprise", "uscc"))  # fmt: skip
    if request.path.endswith(".xlsx"):
        return _cases_sheet(records)
    return render_template(
        "inspections/cases.html", rows=records, labels=CASE_LABELS, only=only, f=wanted,
        penalty_kinds=PENALTY_KINDS, measures=procedure.MEASURES, not_filing=procedure.NOT_FILING_GROUNDS,
        no_penalty=procedure.NO_PENALTY_GROUNDS, papers=case_papers.PAPERS, lenient=lenient_items(session),
    )  # fmt: skip


@bp.post("/cases/<int:case_id>/<step>")
@roles("inspector")
def case_step(case_id: int, step: str) -> Any:
    session = request_session()
    me = inspector_of_user(session, current_user.id)
    if step in ACTIONS:
        action = ACTIONS[step]
        action.run(session, case_id, me, action.schema.model_validate(form_body(action, request.form)), actor())
    elif step == "file":
        f = CaseFile.model_validate(_form("case_number", "filed_on"))
        cases.file_case(
            session, case_id=case_id, inspector=me, case_number=f.case_number, filed_on=f.filed_on, actor=actor()
        )
    elif step == "not-file":
        raw = _form("reason", "ground", "education", "correction")
        n = CaseNotFile.model_validate({k: v for k, v in raw.items() if v})
        cases.not_file(
            session, case_id=case_id, inspector=me, reason=n.reason, ground=n.ground, education=n.education,
            correction=n.correction, actor=actor(),
        )  # fmt: skip
    elif step == "decide":
        raw = _form("decision_number", "decided_on", "penalty_kind", "content", "amount", "field", "restricted_until")
        d = CaseDecide.model_validate(
            {
                **raw,
                "serious_ground": request.form.get("serious_ground") == "on",
                "field": raw["field"] or None,
                "restricted_until": raw["restricted_until"] or None,
                "measures": request.form.getlist("measures") or None,
                "rep_responsible": request.form.get("rep_responsible") == "on",
                "persons": _persons(request.form.get("persons", "")),
            }
        )
        cases.decide_case(
            session, case_id=case_id, inspector=me, decision_number=d.decision_number, decided_on=d.decided_on,
            penalty_kind=d.penalty_kind, content=d.content, amount=d.amount, serious_ground=d.serious_ground,
            field=d.field, user_id=current_user.id, actor=actor(), restricted_until=d.restricted_until,
            measures=d.measures, rep_responsible=d.rep_responsible,
            persons=[bars.Barred(p.role, p.name, p.id_number) for p in d.persons],
        )  # fmt: skip
    elif step == "serve":
        served = CaseServe.model_validate(
            {**_form("on"), "publication_notified": request.form.get("publication_notified") == "on"}
        )
        cases.serve_case(
            session, case_id=case_id, inspector=me, served_on=served.on, actor=actor(),
            publication_notified=served.publication_notified,
        )  # fmt: skip
    elif step == "fulfil":
        cases.fulfil_case(
            session, case_id=case_id, inspector=me, fulfilled_on=CaseDay.model_validate(_form("on")).on, actor=actor()
        )
    else:
        abort(404)
    flash("案件办理已登记", "ok")
    return redirect(url_for("disposals.case_list") + f"#case-{case_id}")


@bp.get("/disposals/cases/<int:case_id>/<any(inform, 'hearing-notice', 'no-penalty'):paper>.pdf")
@roles("inspector")
def case_paper(case_id: int, paper: str) -> Any:
    """A case's 告知书, 听证通知书 or 不予行政处罚决定书 (the 办案机构's inspectors)."""
    session = request_session()
    name, pdf, digest = case_papers.case_paper(
        session, case_id=case_id, paper=paper, inspector=inspector_of_user(session, current_user.id), actor=actor()
    )
    return pdf_download(name, pdf, digest)


@bp.get("/disposals/<int:disposal_id>/notice.pdf")
@roles("inspector")
def notice(disposal_id: int) -> Any:
    """The 责令改正通知书 (the deciding department's inspectors)."""
    session = request_session()
    name, pdf, digest = services.rectification_notice(
        session, disposal_id=disposal_id, inspector=inspector_of_user(session, current_user.id), actor=actor()
    )
    return pdf_download(name, pdf, digest)
