"""Sign-in (throttled and audited), one's own account and password, and the administrators' user page."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from sqlmodel import col, select

from supervise import audit
from supervise.accounts import (
    MIN_PASSWORD_LENGTH,
    Throttle,
    change_password,
    create_user,
    end_sessions,
    mint_token,
    reset_password,
    revoke_token,
    set_active,
    users_overview,
)
from supervise.auth import PUBLIC, ROLE_LABELS, authenticate, current_session_id, roles, sign_in, sign_out
from supervise.errors import ApiError
from supervise.models import ROLES, ApiToken, Department
from supervise.queue import redis_connection
from supervise.web import actor, page_arg, request_session

bp = Blueprint("accounts", __name__)
ALL_ROLES = ROLES


def _safe_next(target: str | None) -> str:
    if target and not urlparse(target).netloc and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("core.index")


def _throttle() -> Throttle:
    settings = current_app.extensions["supervise.settings"]
    return Throttle.on(redis_connection(settings), settings.queue_name)


@bp.route("/login", methods=["GET", "POST"], endpoint="login")
@roles(PUBLIC)
def login() -> Any:
    if request.method != "POST":
        return render_template("supervise/login.html", username="")
    session = request_session()
    username = request.form.get("username", "").strip()[:64]
    address = request.remote_addr or "unknown"
    throttle = _throttle()
    wait = throttle.locked(username=username, address=address)
    if wait is not None:
        g.commit_refusal = True
        audit.record(
            session,
            actor="anonymous",
            action="user.login_locked",
            object_type="user",
            object_id=username,
            payload={"address": address},
        )
        flash(f"登录失败次数过多，账户已暂时锁定，请 {max(1, -(-wait // 60))} 分钟后再试", "error")
        return render_template("supervise/login.html", username=username), 429
    user = authenticate(session, username=username, password=request.form.get("password", ""))
    if user is None:
        throttle.failed(username=username, address=address)
        g.commit_refusal = True  # the failed attempt stays in the audit log
        audit.record(
            session,
            actor="anonymous",
            action="user.login_failed",
            object_type="user",
            object_id=username,
            payload={"address": address},
        )
        flash("用户名或密码错误", "error")
        return render_template("supervise/login.html", username=username), 401
    sign_in(user)
    audit.record(
        session, actor=f"user:{user.username}", action="user.login", object_type="user", object_id=user.id or 0
    )
    return redirect(_safe_next(request.args.get("next")))


@bp.post("/logout", endpoint="logout")
@roles(*ALL_ROLES)
def logout() -> Any:
    sign_out()
    return redirect(url_for("core.index"))


@bp.route("/account", methods=["GET", "POST"])
@roles(*ALL_ROLES)
def account() -> Any:
    session = request_session()
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        try:
            change_password(
                session,
                user_id=current_user.id,
                current=request.form.get("current_password", ""),
                new=request.form.get("new_password", ""),
                confirm=request.form.get("confirm_password", ""),
                actor=actor(),
                keep_session=current_session_id(),
            )
        except ApiError as exc:
            errors = {f["field"]: f["message"] for f in exc.fields}
            status = exc.status
        else:
            flash("密码已修改", "ok")
            return redirect(url_for("accounts.account"))
    tokens = session.exec(select(ApiToken).where(ApiToken.user_id == current_user.id).order_by(col(ApiToken.id))).all()
    return render_template(
        "supervise/account.html",
        tokens=tokens,
        errors=errors,
        min_length=MIN_PASSWORD_LENGTH,
        role_label=ROLE_LABELS.get(current_user.role, ""),
    ), status


def _admin_page(
    errors: dict[str, str] | None = None, form: dict[str, str] | None = None, new_token: str = "", status: int = 200
) -> Any:
    session = request_session()
    q = request.args.get("q", "").strip()[:64] or None
    rows, total = users_overview(session, q=q, page=page_arg(), per_page=USERS_PER_PAGE)
    return render_template(
        "supervise/users.html",
        users=rows,
        total=total,
        page=page_arg(),
        per_page=USERS_PER_PAGE,
        q=q or "",
        roles=[(r, ROLE_LABELS[r]) for r in ROLES],
        departments=session.exec(select(Department).order_by(col(Department.code))).all(),
        errors=errors or {},
        form=form or {},
        new_token=new_token,
        min_length=MIN_PASSWORD_LENGTH,
    ), status


USERS_PER_PAGE = 50  # a province has hundreds of accounts: one page of them loads fast on a phone


@bp.route("/admin/users", methods=["GET", "POST"])
@roles("admin")
def users() -> Any:
    if request.method != "POST":
        return _admin_page()
    form = {k: request.form.get(k, "").strip() for k in ("username", "display_name", "role", "department_code")}
    try:
        user = create_user(
            request_session(),
            username=form["username"],
            display_name=form["display_name"],
            role=form["role"],
            password=request.form.get("password", ""),
            department_code=form["department_code"] or None,
            actor=actor(),
        )
    except ApiError as exc:
        return _admin_page({f["field"]: f["message"] for f in exc.fields}, form, status=exc.status)
    flash(f"已创建账户 {user.username}", "ok")
    return redirect(url_for("accounts.users"))


@bp.post("/admin/users/<int:user_id>/<action>")
@roles("admin")
def user_action(user_id: int, action: str) -> Any:
    session = request_session()
    if action in ("enable", "disable"):
        user = set_active(
            session, user_id=user_id, active=action == "enable", actor=actor(), acting_user_id=current_user.id
        )
        flash(f"账户 {user.username} 已{'启用' if user.active else '停用'}", "ok")
    elif action == "password":
        try:
            reset_password(session, user_id=user_id, password=request.form.get("password", ""), actor=actor())
        except ApiError as exc:
            return _admin_page({f"password-{user_id}": exc.message}, status=exc.status)
        flash("密码已重置，请当面告知本人并提醒其登录后修改", "ok")
    elif action == "sessions":
        user = end_sessions(session, user_id=user_id, actor=actor())
        flash(f"账户 {user.username} 的所有登录会话已结束", "ok")
    elif action == "token":
        _row, clear = mint_token(session, user_id=user_id, name=request.form.get("name", ""), actor=actor())
        return _admin_page(new_token=clear)
    else:
        raise ApiError(404, "没有这个操作", code="not_found")
    return redirect(url_for("accounts.users"))


@bp.post("/admin/tokens/<int:token_id>/revoke")
@roles("admin")
def token_revoke(token_id: int) -> Any:
    revoke_token(request_session(), token_id=token_id, actor=actor())
    flash(f"令牌 {token_id} 已吊销", "ok")
    return redirect(url_for("accounts.users"))
