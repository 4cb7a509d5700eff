"""Web pages of the 督查 follow-up: the 督查室's desk (open 整改 items overdue first, decisions waiting for a
second member, each unit's history), the form that issues a 通报 from the dashboard, and a unit's own items."""

from __future__ import annotations

from typing import Any, TypeVar

from flask import Blueprint, Flask, flash, redirect, render_template, request, url_for
from flask_login import current_user
from pydantic import BaseModel
from sqlmodel import col, select

from reports.oversight import printing, queries, reviews, rules, services
from reports.oversight.api import _user, propose_notice
from reports.oversight.schemas import (
    AccountabilityIn,
    InterviewIn,
    NoticeIn,
    RectifyIn,
    ReportIn,
    ReviewDecisionIn,
    ReviewRequestIn,
    VerdictIn,
)
from supervise import clock, listing
from supervise.api import spreadsheet, uploaded_files
from supervise.attachments import store
from supervise.auth import roles
from supervise.config import tuning
from supervise.models import Department, Region, User
from supervise.nav import NavItem, register_nav
from supervise.web import actor, pdf_download, register_audit_values, request_session

bp = Blueprint("oversight", __name__, template_folder="../templates")
M = TypeVar("M", bound=BaseModel)


def register_oversight_audit_values(app: Flask) -> None:
    """The 督查 codes the audit log shows by name."""
    units = {"department": "部门", "region": "地区"}
    register_audit_values(
        app, "oversight", {"kind": rules.DECISION_LABELS, "outcome": reviews.OUTCOMES, "unit_kind": units}
    )


def register_oversight_nav(app: Flask) -> None:
    """Menu entries of the 督查室's desk and a unit's 整改 items."""
    register_nav(
        app,
        NavItem("oversight.desk", "整改督办", frozenset({"supervisor", "auditor", "admin"}), 58),
        NavItem("oversight.mine", "本单位整改", frozenset({"unit"}), 10),
    )


@bp.get("/oversight")
@roles("supervisor", "auditor", "admin")
def desk() -> Any:
    session = request_session()
    rows, wanted = _items(session)
    return render_template(
        "oversight/desk.html", items=rows, f=wanted, item_states=rules.STATUS_LABELS,
        pending=queries.pending(session), history=queries.history(session), me=current_user.id,
        decision_labels=rules.DECISION_LABELS, recipients=rules.RECIPIENTS, interview_days=rules.INTERVIEW_DAYS,
        reviews=reviews.reviews(session), review_outcomes=reviews.OUTCOMES, mandate=tuning().oversight_mandate,
        papers_of=printing.available,
    )  # fmt: skip


def _items(session: Any) -> tuple[list[dict[str, Any]], listing.ListFilter]:
    wanted = listing.read_filter(request.args)
    rows = queries.items(session, only_open=request.args.get("all") != "1" and not wanted.state)
    text = ("number", "department", "period", "requirement")
    return listing.apply(rows, wanted, state="status", text=text, day="issued_on"), wanted


ITEM_HEADER = ("整改通知", "所属期间", "责任单位", "滞后情形", "整改要求", "下发日期", "整改期限", "是否逾期", "状态",
               "约谈", "追责建议")  # fmt: skip


@bp.get("/oversight.xlsx")
@roles("supervisor", "auditor", "admin")
def export() -> Any:
    rows, _wanted = _items(request_session())
    table = [
        (r["number"], r["period"], r["unit"]["name"], "；".join(r["reasons"]), r["requirement"], r["issued_on"],
         r["due"], "是" if r["overdue"] else "否", r["status_label"], (r["interview"] or {}).get("held_on", ""),
         (r["accountability"] or {}).get("to", ""))
        for r in rows
    ]  # fmt: skip
    return spreadsheet(f"整改督办事项-{clock.today():%Y%m%d}.xlsx", "xlsx", ITEM_HEADER, table)


@bp.get("/oversight/new")
@roles("supervisor")
def new() -> Any:
    session = request_session()
    region, period = request.args.get("region", ""), request.args.get("period", "")
    kind, code = request.args.get("kind", "department"), request.args.get("code", "")
    unit = services.flagged_unit(session, region=region, period=period, unit_kind=kind, unit_code=code)
    if kind == "department":
        dept = session.exec(select(Department).where(Department.code == code)).first()
    else:  # a region answers through its 市场监管 department unless the 督查室 names another
        dept = session.exec(select(Department).where(Department.region_code == code, Department.kind == "SCJG")).first()
    region_row = session.get(Region, region)
    issued = queries.issued_for(session, region=region, period=period).get((kind, code))
    return render_template(
        "oversight/new.html", unit=unit, region=region, period=period, kind=kind, code=code,
        department_code=dept.code if dept else "", main_to=unit["name"] if kind == "department" else
        f"{unit['name']}人民政府", copy_to=f"{region_row.name if region_row else region}人民政府办公室",
        days=rules.RECTIFY_DAYS, issued=issued,
        departments=session.exec(select(Department.code, Department.name).order_by(col(Department.code))).all(),
    )  # fmt: skip


@bp.post("/oversight/rectify")
@roles("supervisor")
def add_rectification() -> Any:
    raw = {k: request.form.get(k, "") for k in RectifyIn.model_fields}
    data = RectifyIn.model_validate({**raw, "days": raw["days"] or rules.RECTIFY_DAYS["default"]})
    row = propose_notice(data, rules.RECTIFY)
    flash(f"已提出“{rules.DECISION_LABELS[row.kind]}”，待另一名督查人员确认后生效", "ok")
    return redirect(url_for("oversight.desk"))


@bp.post("/oversight/new")
@roles("supervisor")
def issue() -> Any:
    raw = {k: request.form.get(k, "") for k in NoticeIn.model_fields}
    data = NoticeIn.model_validate({**raw, "days": raw["days"] or None})
    row = propose_notice(data, rules.NOTICE)
    flash(f"已提出“{rules.DECISION_LABELS[row.kind]}”，待另一名督查人员确认后生效", "ok")
    return redirect(url_for("oversight.desk"))


@bp.post("/oversight/decisions/<int:decision_id>/<any(confirm, withdraw):step>")
@roles("supervisor")
def decide(decision_id: int, step: str) -> Any:
    act = services.confirm if step == "confirm" else services.withdraw
    row = act(request_session(), decision_id=decision_id, user=_user(), actor=actor())
    done = f"已确认生效：{row.result}" if step == "confirm" else "已撤回"
    flash(f"{rules.DECISION_LABELS[row.kind]}，{done}", "ok")
    return redirect(url_for("oversight.desk"))


@bp.post("/oversight/items/<number>/<any(accept, return, interview, accountability):kind>")
@roles("supervisor")
def propose(number: str, kind: str) -> Any:
    form = request.form.to_dict()
    form.pop("csrf_token", None)
    schema: dict[str, type[BaseModel]] = {
        "accept": VerdictIn, "return": VerdictIn, "interview": InterviewIn, "accountability": AccountabilityIn,
    }  # fmt: skip
    payload = schema[kind].model_validate(form).model_dump(mode="json")
    services.propose(request_session(), kind=kind, user=_user(), actor=actor(), payload=payload, number=number)
    flash(f"已提出“{rules.DECISION_LABELS[kind]}”（{number}），待另一名督查人员确认后生效", "ok")
    return redirect(url_for("oversight.desk"))


@bp.get("/oversight/mine")
@roles("unit")
def mine() -> Any:
    dept = current_user.department_id
    session = request_session()
    rows = queries.items(session, department_id=dept) if dept else []
    notices = reviews.notices_for(session, department_id=dept) if dept else []
    return render_template("oversight/mine.html", items=rows, notices=notices, papers_of=printing.available)


def _posted(schema: type[M]) -> M:
    """The form's fields as the schema reads them."""
    return schema.model_validate({k: request.form.get(k, "") for k in schema.model_fields})


@bp.post("/oversight/notices/<number>/review")
@roles("unit")
def request_review(number: str) -> Any:
    data = _posted(ReviewRequestIn)
    reviews.request_review(
        request_session(), number=number, user=_user(), received_on=data.received_on, reasons=data.reasons,
        actor=actor(),
    )  # fmt: skip
    flash(f"已申请复核督查通报 {number}，督查机构应在三十日内作出复核决定", "ok")
    return redirect(url_for("oversight.mine"))


@bp.post("/oversight/reviews/<int:review_id>/decide")
@roles("supervisor")
def decide_review(review_id: int) -> Any:
    data = _posted(ReviewDecisionIn)
    row = reviews.decide_review(
        request_session(), review_id=review_id, user=_user(), outcome=data.outcome, decision=data.decision,
        actor=actor(),
    )  # fmt: skip
    flash(f"已登记复核决定：{reviews.OUTCOMES[row.outcome or '']}", "ok")
    return redirect(url_for("oversight.desk"))


@bp.post("/oversight/mine/<number>/report")
@roles("unit")
def report(number: str) -> Any:
    data = ReportIn.model_validate({"report_text": request.form.get("report_text", "")})
    files = uploaded_files()
    services.submit_report(
        request_session(), number=number, user=_user(), actor=actor(), text=data.report_text, attachments=store(files)
    )
    flash(f"整改报告已提交（{number}），等待督查室审核", "ok")
    return redirect(url_for("oversight.mine"))


@bp.get("/oversight/rectifications/<number>/evidence")
@roles("supervisor", "auditor", "admin")
def evidence(number: str) -> Any:
    session = request_session()
    bundle = queries.evidence(session, number=number)
    people = dict(session.exec(select(User.id, User.display_name)).all())
    return render_template("oversight/evidence.html", e=bundle, people=people, labels=rules.DECISION_LABELS,
                           states=rules.DECISION_STATES)  # fmt: skip


@bp.get("/oversight/rectifications/<number>/<any(notice, interview, accountability, verdict):kind>.pdf")
@roles("supervisor", "auditor", "admin", "unit")
def paper_pdf(number: str, kind: str) -> Any:
    session = request_session()
    user = session.get(User, current_user.id)
    assert user is not None
    name, pdf, digest = printing.print_paper(session, number=number, kind=kind, receipt=request.args.get("receipt")
                                             == "1", user=user, actor=actor())  # fmt: skip
    return pdf_download(name, pdf, digest)
