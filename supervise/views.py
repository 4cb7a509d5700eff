"""Web pages of the application shell: sign-in, home per role, market entities, audit and jobs."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, send_from_directory, url_for
from flask_login import current_user
from sqlalchemy import func
from sqlmodel import select

from supervise import audit, clock, reminders
from supervise.auth import PUBLIC, ROLE_LABELS, roles
from supervise.errors import ApiError, field_error
from supervise.holidays import enter_year, parse_days, years_overview
from supervise.jobs import request_audit_verification
from supervise.messages import AUDIT_ACTIONS
from supervise.models import ROLES, Department, Enterprise, Inspector, License, Region, User
from supervise.nav import NavItem, register_nav
from supervise.services import get_enterprise, licenses_of, people_names, search_enterprises, to_public
from supervise.todo import todo_for
from supervise.web import actor, page_arg, request_session
from supervise.workdays import PROVISIONAL_NOTE

bp = Blueprint("core", __name__)
AUDIT_PER_PAGE = 50
ALL_ROLES = ROLES


def register_core_nav(app: Any) -> None:
    """Menu entries of the shell's own pages."""
    register_nav(
        app,
        NavItem("core.index", "首页", frozenset({"public"}), 0),
        NavItem("core.enterprises", "市场主体", frozenset({"public"}), 10),
        NavItem("core.my_inspector", "我的执法证", frozenset({"inspector"}), 16),
        NavItem("core.audit_log", "审计日志", frozenset({"supervisor", "auditor", "admin"}), 80),
        NavItem("core.calendar", "节假日日历", frozenset({"admin"}), 85),
        NavItem("accounts.account", "账户", frozenset(ALL_ROLES), 90),
        NavItem("core.inbox", "消息", frozenset(ALL_ROLES), 89),
        NavItem("accounts.users", "用户管理", frozenset({"admin"}), 88),
    )


@bp.get("/favicon.ico")
@roles(PUBLIC)
def favicon() -> Any:
    """The site's icon where browsers look for it by default."""
    return send_from_directory(Path(__file__).parent / "static", "favicon.svg", mimetype="image/svg+xml", max_age=86400)


@bp.get("/")
@roles(PUBLIC)
def index() -> Any:
    session = request_session()
    counts = {
        "enterprises": session.exec(select(func.count()).select_from(Enterprise)).one(),
        "licenses": session.exec(select(func.count()).select_from(License)).one(),
        "departments": session.exec(select(func.count()).select_from(Department)).one(),
        "inspectors": session.exec(select(func.count()).select_from(Inspector)).one(),
        "regions": session.exec(select(func.count()).select_from(Region).where(Region.level == "county")).one(),
    }
    todo, unread = [], 0
    if current_user.is_authenticated:
        me = session.get(User, current_user.id)
        if me is not None:
            todo, unread = todo_for(session, me), reminders.unread(session, user_id=me.id or 0)
    return render_template(
        "supervise/index.html", counts=counts, role_label=ROLE_LABELS.get(current_user.role or "", ""), todo=todo,
        unread=unread,
    )  # fmt: skip


@bp.get("/inbox")
@roles(*ALL_ROLES)
def inbox() -> Any:
    return render_template("supervise/inbox.html", messages=reminders.inbox(request_session(), user_id=current_user.id))


@bp.post("/inbox/read")
@roles(*ALL_ROLES)
def inbox_read() -> Any:
    n = reminders.mark_read(request_session(), user_id=current_user.id)
    flash(f"已将 {n} 条消息标为已读", "ok")
    return redirect(url_for("core.inbox"))


@bp.get("/enterprises")
@roles(PUBLIC)
def enterprises() -> Any:
    q = request.args.get("q", "").strip() or None
    result = search_enterprises(request_session(), q=q, region=request.args.get("region") or None, page=page_arg())
    return render_template("supervise/enterprises.html", result=result, q=q or "")


@bp.get("/enterprises/<uscc>")
@roles(PUBLIC)
def enterprise(uscc: str) -> Any:
    session = request_session()
    ent = get_enterprise(session, uscc=uscc)
    region = session.get(Region, ent.region_code)
    return render_template(
        "supervise/enterprise.html",
        ent=to_public(ent, region.name if region else None),
        licenses=licenses_of(session, uscc=uscc),
    )


@bp.get("/me/inspector")
@roles("inspector")
def my_inspector() -> Any:
    session = request_session()
    insp = session.exec(select(Inspector).where(Inspector.user_id == current_user.id)).first()
    dept = session.get(Department, insp.department_id) if insp else None
    return render_template("supervise/my_inspector.html", insp=insp, dept=dept)


@bp.get("/audit")
@roles("supervisor", "auditor", "admin")
def audit_log() -> Any:
    args = request.args
    since, until = _day_arg("since"), _day_arg("until")
    rows, total, page = audit.search(
        request_session(),
        action=args.get("action") or None,
        actor=args.get("actor", "").strip()[:64] or None,
        object_id=args.get("object", "").strip()[:64] or None,
        since=datetime.combine(since, time(), clock.BEIJING) if since else None,
        until=datetime.combine(until + timedelta(days=1), time(), clock.BEIJING) if until else None,
        page=page_arg(),
        per_page=AUDIT_PER_PAGE,
    )
    return render_template(
        "supervise/audit.html",
        rows=rows,
        total=total,
        page=page,
        per_page=AUDIT_PER_PAGE,
        actions=sorted(AUDIT_ACTIONS.items(), key=lambda kv: kv[1]),
        names=people_names(request_session(), [r.actor for r in rows]),
        job_id=args.get("job"),
    )


def _day_arg(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


@bp.post("/audit/verify")
@roles("supervisor", "admin")
def audit_verify() -> Any:
    job_id = request_audit_verification(request_session(), actor=actor(), owner_id=current_user.id)
    return redirect(url_for("core.audit_log", job=job_id))


@bp.route("/admin/calendar", methods=["GET", "POST"])
@roles("admin")
def calendar() -> Any:
    session = request_session()
    form: dict[str, Any] = {
        "year": clock.today().year + 1,
        "notice": "",
        "holidays": "",
        "workdays": "",
        "complete": False,
    }
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        form = {k: request.form.get(k, "").strip() for k in ("year", "notice", "holidays", "workdays")}
        form["complete"] = request.form.get("complete") == "1"
        try:
            year = int(form["year"]) if form["year"].isdigit() else None
            if year is None:
                raise field_error("year", "年份应为四位数字，如 2027")
            summary = enter_year(
                session,
                year=year,
                notice=form["notice"],
                holidays=parse_days(form["holidays"], field="holidays"),
                workdays=parse_days(form["workdays"], field="workdays"),
                complete=form["complete"],
                actor=actor(),
            )
        except ApiError as exc:
            errors = {f["field"]: f["message"] for f in exc.fields} or {"year": exc.message}
            status = exc.status
        else:
            moved = sum(summary["deadlines_recomputed"].values())
            flash(f"已保存 {year} 年节假日安排，重新计算了 {moved} 个期限", "ok")
            return redirect(url_for("core.calendar"))
    return (
        render_template(
            "supervise/calendar.html",
            years=years_overview(session),
            form=form,
            errors=errors,
            provisional_note=PROVISIONAL_NOTE,
        ),
        status,
    )
