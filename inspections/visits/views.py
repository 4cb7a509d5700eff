"""Web pages of a visit: the inspector's assignments (current, upcoming, past), the visit page with its checklist
form, team confirmation and correction, and the reviewer's queue (审核 → 退回 or 公示)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlmodel import col, select
from werkzeug.datastructures import MultiDict

from inspections.disposals.rules import KINDS
from inspections.disposals.services import disposal_rows
from inspections.evidence import attach
from inspections.models import RESULT_CATEGORIES
from inspections.outcomes import POINT_OUTCOMES, RECORDING, RETURNED, TO_CONFIRM, TO_DISPOSE, TO_REVIEW
from inspections.record_sheet import record_sheet
from inspections.recording import PointEntry, confirm_result, correct_result, record_result
from inspections.results import WHEN, get_assignment, inspector_of_user, my_assignments
from inspections.reviewing import publish_result, return_result, review_queue, review_view
from inspections.schemas import ResultCorrect, ResultCreate, ResultReturn
from inspections.visits.api import attachment_response
from supervise import clock, listing
from supervise.api import spreadsheet, uploaded_files
from supervise.auth import roles
from supervise.errors import field_error
from supervise.models import Department, User
from supervise.nav import NavItem, register_nav
from supervise.web import actor, page_arg, pdf_download, request_session

bp = Blueprint("visits", __name__)  # templates: inspections/templates/inspections
PER_PAGE = 10
WHEN_LABELS = {"current": "当前", "upcoming": "即将开始", "past": "已结束", "all": "全部"}


def register_visit_nav(app: Flask) -> None:
    """Menu entries of the inspectors' and reviewers' pages."""
    register_nav(
        app,
        NavItem("visits.my_tasks", "我的检查任务", frozenset({"inspector"}), 15),
        NavItem("visits.review", "结果审核", frozenset({"reviewer"}), 16),
    )


@bp.get("/inspections/my")
@roles("inspector")
def my_tasks() -> Any:
    session = request_session()
    when = request.args.get("when", "current")
    if when not in WHEN_LABELS:
        when = "current"
    me = inspector_of_user(session, current_user.id)
    page = page_arg()
    rows, total = my_assignments(
        session, inspector=me, when=None if when == "all" else when, limit=PER_PAGE, offset=(page - 1) * PER_PAGE
    )
    return render_template(
        "inspections/my.html", assignments=rows, total=total, page=page, per_page=PER_PAGE, when=when,
        when_labels=WHEN_LABELS, choices=WHEN,
    )  # fmt: skip


@bp.get("/inspections/my/<int:target_id>")
@roles("inspector")
def visit(target_id: int) -> Any:
    session = request_session()
    view = get_assignment(session, target_id=target_id, inspector=inspector_of_user(session, current_user.id))
    return render_template(
        "inspections/visit.html", a=view, categories=RESULT_CATEGORIES, outcomes=POINT_OUTCOMES,
        today=clock.today().isoformat(), **_disposal_context(target_id, view["region_code"]),
    )  # fmt: skip


def _disposal_context(target_id: int, region_code: str) -> dict[str, Any]:
    session = request_session()
    depts = session.exec(select(Department).where(Department.region_code == region_code).order_by(col(Department.code)))
    return {
        "disposals": disposal_rows(session, target_id=target_id),
        "disposal_kinds": KINDS,
        "departments": [(d.code, d.name) for d in depts.all()],
    }


def _points(form: MultiDict[str, str]) -> list[dict[str, Any]]:
    """The per-point outcomes of the visit form (point-<id> and note-<id>)."""
    out = []
    for key, outcome in form.items():
        if key.startswith("point-") and key[6:].isdigit():
            out.append({"point_id": int(key[6:]), "outcome": outcome, "note": form.get(f"note-{key[6:]}", "")})
    return out


def _fields(form: MultiDict[str, str], *names: str) -> dict[str, Any]:
    return {**{k: form.get(k, "") for k in names}, "points": _points(form)}


@bp.post("/inspections/my/<int:target_id>/result")
@roles("inspector")
def my_result(target_id: int) -> Any:
    session = request_session()
    me = inspector_of_user(session, current_user.id)
    # The form obeys the API's limits (检查情况 at most 4000 characters, a known outcome per point).
    data = ResultCreate.model_validate(_fields(request.form, "category", "findings", "inspected_on"))
    record_result(
        session, target_id=target_id, inspector=me, category=data.category, findings=data.findings,
        inspected_on=data.inspected_on, points=[PointEntry(p.point_id, p.outcome, p.note) for p in data.points],
        actor=actor(),
    )  # fmt: skip
    flash("检查结果已录入", "ok")
    return redirect(url_for("visits.visit", target_id=target_id))


@bp.post("/inspections/my/<int:target_id>/correct")
@roles("inspector")
def my_correct(target_id: int) -> Any:
    session = request_session()
    me = inspector_of_user(session, current_user.id)
    data = ResultCorrect.model_validate(_fields(request.form, "category", "findings"))
    correct_result(
        session, target_id=target_id, inspector=me, category=data.category, findings=data.findings,
        points=[PointEntry(p.point_id, p.outcome, p.note) for p in data.points], actor=actor(),
    )  # fmt: skip
    flash("检查结果已更正，请同组检查人员重新确认", "ok")
    return redirect(url_for("visits.visit", target_id=target_id))


@bp.post("/inspections/my/<int:target_id>/confirm")
@roles("inspector")
def my_confirm(target_id: int) -> Any:
    session = request_session()
    confirm_result(session, target_id=target_id, inspector=inspector_of_user(session, current_user.id), actor=actor())
    flash("已确认检查结果", "ok")
    return redirect(url_for("visits.visit", target_id=target_id))


def _reviewer() -> User:
    user = request_session().get(User, current_user.id)
    if user is None or user.department_id is None:
        raise field_error("department", "审核人员账户未关联部门，请联系系统管理员", status=403)
    return user


REVIEW_HEADER = (
    "企业名称",
    "统一社会信用代码",
    "任务",
    "检查结果",
    "检查日期",
    "公示期限",
    "是否超期",
    "状态",
    "退回理由",
)


def _review_rows() -> tuple[list[dict[str, Any]], Any]:
    wanted = listing.read_filter(request.args)
    rows = review_queue(request_session(), reviewer=_reviewer(), limit=5000)
    text = ("enterprise_name", "uscc", "task", "task_title")
    return listing.apply(rows, wanted, text=text, day="inspected_on"), wanted


@bp.get("/inspections/review")
@roles("reviewer")
def review() -> Any:
    rows, wanted = _review_rows()
    states = {s: s for s in (RECORDING, TO_DISPOSE, TO_CONFIRM, TO_REVIEW, RETURNED)}
    return render_template("inspections/review.html", rows=rows, f=wanted, states=states,
                           categories=RESULT_CATEGORIES)  # fmt: skip


@bp.get("/inspections/review.xlsx")
@roles("reviewer")
def review_export() -> Any:
    rows, _wanted = _review_rows()
    table = [
        (r["enterprise_name"], r["uscc"], r["task"], r["category"], r["inspected_on"], r["publish_due"],
         "是" if r["overdue"] else "否", r["state"], r["return_reason"] or "")
        for r in rows
    ]  # fmt: skip
    return spreadsheet(f"待审核检查结果-{clock.today():%Y%m%d}.xlsx", "xlsx", REVIEW_HEADER, table)


@bp.post("/inspections/review/<int:target_id>/publish")
@roles("reviewer")
def review_publish(target_id: int) -> Any:
    publish_result(request_session(), target_id=target_id, reviewer=_reviewer(), actor=actor())
    flash("已审核通过并公示", "ok")
    return redirect(url_for("visits.review"))


@bp.post("/inspections/review/<int:target_id>/return")
@roles("reviewer")
def review_return(target_id: int) -> Any:
    data = ResultReturn.model_validate({"reason": request.form.get("reason", "")})
    return_result(request_session(), target_id=target_id, reviewer=_reviewer(), reason=data.reason, actor=actor())
    flash("已退回检查组更正", "ok")
    return redirect(url_for("visits.review"))


@bp.get("/inspections/review/<int:target_id>")
@roles("reviewer")
def review_detail(target_id: int) -> Any:
    view = review_view(request_session(), target_id=target_id, reviewer=_reviewer())
    return render_template(
        "inspections/visit.html", a=view, reviewing=True, categories=RESULT_CATEGORIES, outcomes=POINT_OUTCOMES,
        today=clock.today().isoformat(), **_disposal_context(target_id, view["region_code"]),
    )  # fmt: skip


def _sheet(target_id: int) -> Any:
    name, pdf, digest = record_sheet(
        request_session(), target_id=target_id, blank=request.args.get("blank") == "1", actor=actor()
    )
    return pdf_download(name, pdf, digest)


@bp.get("/inspections/my/<int:target_id>/sheet.pdf")
@roles("inspector")
def my_sheet(target_id: int) -> Any:
    """The visit's 随机抽查情况记录表, blank (?blank=1) before the visit or filled after it; team members only."""
    session = request_session()
    get_assignment(session, target_id=target_id, inspector=inspector_of_user(session, current_user.id))
    return _sheet(target_id)


@bp.get("/inspections/review/<int:target_id>/sheet.pdf")
@roles("reviewer")
def review_sheet(target_id: int) -> Any:
    """The filled record sheet of a visit the reviewer's department leads."""
    review_view(request_session(), target_id=target_id, reviewer=_reviewer())
    return _sheet(target_id)


@bp.post("/inspections/my/<int:target_id>/attachments")
@roles("inspector")
def my_attachments(target_id: int) -> Any:
    session = request_session()
    raw = request.form.get("point_id", "").strip()
    if raw and not raw.isdigit():
        raise field_error("point_id", "检查要点编号应为整数")
    kept = attach(
        session, target_id=target_id, inspector=inspector_of_user(session, current_user.id),
        files=uploaded_files(), point_id=int(raw) if raw else None, actor=actor(),
    )  # fmt: skip
    flash(f"已上传 {len(kept)} 个附件", "ok")
    return redirect(url_for("visits.visit", target_id=target_id))


@bp.get("/inspections/my/<int:target_id>/attachments/<sha256>")
@roles("inspector")
def my_attachment(target_id: int, sha256: str) -> Any:
    session = request_session()
    view = get_assignment(session, target_id=target_id, inspector=inspector_of_user(session, current_user.id))
    return attachment_response(session, view, sha256)


@bp.get("/inspections/review/<int:target_id>/attachments/<sha256>")
@roles("reviewer")
def review_attachment(target_id: int, sha256: str) -> Any:
    session = request_session()
    return attachment_response(session, review_view(session, target_id=target_id, reviewer=_reviewer()), sha256)
