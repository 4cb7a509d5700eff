"""Per-request unit of work, CSRF and error handling shared by every blueprint."""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Mapping
from datetime import datetime
from functools import lru_cache
from typing import Any
from urllib.parse import quote

import redis
from flask import Flask, Response, current_app, g, jsonify, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError, CSRFProtect
from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from sqlmodel import Session
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from supervise import clock
from supervise.db import commit, rollback, write_session
from supervise.errors import ApiError, field_error
from supervise.formkeep import init_formkeep, keep_refused_form
from supervise.messages import (
    AUDIT_ACTIONS,
    HTTP_MESSAGES,
    JOB_STATES,
    OBJECT_LABELS,
    actor_label,
    label,
    payload_label,
    pydantic_message,
    unstaffed_reason,
)
from supervise.periods import period_label

log = logging.getLogger(__name__)
csrf = CSRFProtect()


def pdf_download(name: str, pdf: bytes, digest: str) -> Response:
    """A PDF as a download with its SHA-256 in X-Content-SHA256 (as the audit log records it)."""
    return Response(
        pdf, mimetype="application/pdf", headers={"Content-Disposition": attachment(name), "X-Content-SHA256": digest}
    )


def attachment(filename: str) -> str:
    """A Content-Disposition for a download: an ASCII fallback name plus the real one (RFC 6266 / RFC 5987).

    gunicorn refuses non-ASCII header values outright, so a Chinese file name must travel percent-encoded."""
    stem, dot, ext = filename.rpartition(".")
    if not dot:
        stem, ext = filename, ""
    # Old clients that ignore filename* get the name's letters and digits (督改〔2026〕2号 -> 2026-2)
    ascii_stem = "-".join(re.findall(r"[A-Za-z0-9]+", stem)) or "download"
    fallback = f"{ascii_stem}.{re.sub(r'[^A-Za-z0-9]', '', ext)}" if ext else ascii_stem
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def page_arg() -> int:
    """The ?page= of a listing page: a positive integer, whatever was typed (an absurd one shows the last page)."""
    raw = request.args.get("page", "1")
    return max(1, min(int(raw), 10**9)) if raw.isdigit() and len(raw) < 12 else 1


def request_session() -> Session:
    """Return the request's session; the request commits once when it succeeds."""
    session: Session | None = g.get("db_session")
    if session is None:
        from flask import current_app

        engine = current_app.extensions["supervise.engine"]
        if request.method in ("GET", "HEAD", "OPTIONS"):
            session = Session(engine, expire_on_commit=False)
        else:
            session = write_session(engine)
        g.db_session = session
    return session


def actor() -> str:
    """Name the current user for the audit log."""
    return str(getattr(current_user, "actor", "anonymous"))


def _error_body(
    status: int, code: str, message: str, fields: list[dict[str, str]] | None = None, **extra: Any
) -> Response:
    body: dict[str, Any] = {"error": code, "message": message}
    if fields:
        body["fields"] = fields
    body.update(extra)
    resp = jsonify(body)
    resp.status_code = status
    return resp


@lru_cache(maxsize=256)
def _schema_titles(model_name: str) -> dict[str, str]:
    """The labels a schema gives its own fields (Field(title=…)), found by the schema's name."""
    pending: list[type[BaseModel]] = [BaseModel]
    found: list[type[BaseModel]] = []
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__name__ == model_name:
            found.append(cls)
    if len(found) != 1:  # unknown or ambiguous: the shared labels of supervise.messages
        return {}
    return {name: f.title for name, f in found[0].model_fields.items() if f.title}


def _pydantic_fields(exc: ValidationError) -> list[dict[str, str]]:
    out = []
    titles = _schema_titles(str(exc.title))
    for err in exc.errors():
        loc = ".".join(str(p) for p in err.get("loc", ()) if p != "__root__") or "body"
        out.append({"field": loc, "label": titles.get(loc) or label(loc), "message": pydantic_message(err)})
    return out


def _beijing(ts: Any, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """Show a stored timestamp (UTC) in Beijing time."""
    if ts is None:
        return ""
    if isinstance(ts, str):
        ts = datetime.fromisoformat(ts)
    return clock.to_beijing(ts).strftime(fmt)


DATABASE_UNAVAILABLE = "数据库暂不可用，本次操作未保存，请稍后再试"
DATABASE_BUSY = "数据库暂不可用或繁忙，请稍后重新打开或下载"  # a reader saved nothing: never say 未保存 to them


def _database_message() -> str:
    return DATABASE_BUSY if request.method in ("GET", "HEAD", "OPTIONS") else DATABASE_UNAVAILABLE


QUEUE_UNAVAILABLE = "任务队列暂不可用，本次操作未保存，请稍后再试"


def _unavailable(message: str, part: str) -> Any:
    """503 for an outage; the page needs neither the database nor the signed-in user to render."""
    if wants_json() or request.is_json:
        resp = _error_body(503, "unavailable", message, unavailable=part)
    else:
        resp = Response(render_template("supervise/unavailable.html", message=message), 503)
    resp.headers["Retry-After"] = "30"
    return resp


class RowIdConverter(IntegerConverter):
    """<int:...> in URLs: a row id fits a 64-bit integer; a longer number is a 404, not an overflow."""

    def __init__(self, url_map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", 2**63 - 1)
        super().__init__(url_map, *args, **kwargs)


def wants_json() -> bool:
    """Return True for API-style requests, which get JSON errors instead of pages."""
    return request.path.startswith("/api/") or request.path == "/healthz"


AUDIT_VALUES = "supervise.audit_values"


def register_audit_values(app: Flask, object_type: str, labels: Mapping[str, Mapping[str, str]]) -> None:
    """Let the audit log show a domain's coded payload values by their labels (key -> code -> label)."""
    app.extensions.setdefault(AUDIT_VALUES, {}).setdefault(object_type, {}).update(labels)


def init_web(app: Flask) -> None:
    """Install the unit of work, CSRF protection and error handlers on the app."""
    csrf.init_app(app)
    app.url_map.converters["int"] = RowIdConverter
    app.add_template_filter(_beijing, "beijing")
    app.add_template_filter(unstaffed_reason, "unstaffed_zh")
    app.add_template_filter(lambda a: AUDIT_ACTIONS.get(a, a), "action_zh")
    app.add_template_filter(lambda s: JOB_STATES.get(s, s), "job_state_zh")
    app.add_template_filter(actor_label, "actor_zh")
    app.add_template_filter(label, "field_label")
    app.add_template_filter(
        lambda text, object_type="": payload_label(text, current_app.extensions.get(AUDIT_VALUES, {}).get(object_type)),
        "payload_zh",
    )
    app.add_template_filter(lambda t: OBJECT_LABELS.get(t, t), "object_zh")
    app.add_template_filter(period_label, "period")
    init_formkeep(app)
    app.add_template_global(lambda: g.setdefault("csp_nonce", secrets.token_urlsafe(16)), "csp_nonce")

    @app.after_request
    def _security_headers(response: Response) -> Response:
        nonce = g.get("csp_nonce")
        scripts = f"'self' 'nonce-{nonce}'" if nonce else "'self'"
        response.headers.setdefault(
            "Content-Security-Policy",
            f"default-src 'self'; script-src {scripts}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
        )
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    @app.before_request
    def _csrf_for_cookie_sessions() -> None:
        # API calls authenticated by a bearer token are exempt (blueprint-level exemption below);
        # anything else that changes state must carry the CSRF token, form field or X-CSRFToken.
        # Anonymous callers get their 401 from the role check instead: there is no session to forge.
        if (
            request.method in ("POST", "PUT", "PATCH", "DELETE")
            and request.path.startswith("/api/")
            and current_user.is_authenticated
            and not current_user.via_token  # authenticated by the session cookie: a forgeable request
        ):
            csrf.protect()

    @app.before_request
    def _no_nul_characters() -> None:
        # A NUL byte in a search or a form field is never text a person typed; PostgreSQL refuses to compare or
        # store it (a 500). Refuse it up front, naming the field.
        pairs = list(request.args.items(multi=True))
        if request.method in ("POST", "PUT", "PATCH") and request.mimetype in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            pairs += list(request.form.items(multi=True))
        for key, value in pairs:
            key, value = key or "", value or ""  # a malformed multipart part may have no name at all
            if "\x00" in key or "\x00" in value:
                raise field_error(key.replace("\x00", "") or "q", f"{label(key)}不能包含空字符（\\u0000）")

    @app.after_request
    def _commit(response: Response) -> Response:
        session: Session | None = g.pop("db_session", None)
        if session is None:
            return response
        try:
            # A refusal normally writes nothing; a few (a failed sign-in) must still leave their audit row.
            if response.status_code < 400 or g.pop("commit_refusal", False):
                commit(session)
            else:
                rollback(session)
        except IntegrityError as exc:
            rollback(session)
            log.warning("commit conflict: %s", exc.orig)
            return _error_body(409, "conflict", "与已保存的数据冲突（可能有人同时进行了相同操作），本次操作未保存")
        except OperationalError:
            rollback(session)
            log.exception("commit failed")
            return _error_body(503, "unavailable", _database_message(), unavailable="database")
        finally:
            session.close()
        return response

    @app.teardown_request
    def _close(_exc: BaseException | None) -> None:
        session: Session | None = g.pop("db_session", None)
        if session is not None:  # an exception skipped after_request
            rollback(session)
            session.close()

    def _back_to_form(message: str, fields: list[dict[str, str]]) -> Any | None:
        # Nothing of the refused request may be saved: roll back before the redirect (a 303 would commit).
        session: Session | None = g.pop("db_session", None)
        if session is not None:
            rollback(session)
            session.close()
        return keep_refused_form(message, fields)

    @app.errorhandler(ApiError)
    def _api_error(exc: ApiError) -> Any:
        if wants_json() or request.is_json:
            return _error_body(exc.status, exc.code, exc.message, exc.fields, **exc.extra)
        back = _back_to_form(exc.message, exc.fields) if exc.status in (409, 413, 422) else None
        if back is not None:
            return back
        return render_template(
            "supervise/error.html", status=exc.status, message=exc.message, fields=exc.fields
        ), exc.status

    @app.errorhandler(ValidationError)
    def _validation_error(exc: ValidationError) -> Any:
        fields = _pydantic_fields(exc)
        message = "；".join(f"{f['label']}：{f['message']}" for f in fields)
        if wants_json() or request.is_json:
            return _error_body(422, "validation_error", message, fields)
        back = _back_to_form(message, fields)
        if back is not None:
            return back
        return render_template("supervise/error.html", status=422, message=message, fields=fields), 422

    @app.errorhandler(CSRFError)
    def _csrf_error(exc: CSRFError) -> Any:
        if wants_json():
            message = "缺少或无效的 CSRF 令牌（以登录会话调用接口时须带 X-CSRFToken 请求头）"
            return _error_body(400, "csrf", message, [{"field": "csrf_token", "label": "表单令牌", "message": message}])
        return render_template(
            "supervise/error.html", status=400, message="表单已过期或缺少 CSRF 令牌，请刷新后重试", fields=[]
        ), 400

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Any:
        status = exc.code or 500
        message = HTTP_MESSAGES.get(status, "请求未能完成")
        if wants_json():
            resp = _error_body(status, (exc.name or "error").lower().replace(" ", "_"), message)
            for key, value in exc.get_headers():
                if key.lower() == "allow":  # RFC 9110: a 405 lists the allowed methods
                    resp.headers[key] = value
            return resp
        return render_template("supervise/error.html", status=status, message=message, fields=[]), status

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def _database_unavailable(exc: Exception) -> Any:
        log.error("database unavailable on %s %s: %s", request.method, request.path, exc)
        return _unavailable(_database_message(), "database")

    @app.errorhandler(redis.exceptions.ConnectionError)
    @app.errorhandler(redis.exceptions.TimeoutError)
    def _queue_unavailable(exc: Exception) -> Any:
        log.error("Redis unavailable on %s %s: %s", request.method, request.path, exc)
        return _unavailable(QUEUE_UNAVAILABLE, "redis")

    @app.errorhandler(RecursionError)
    def _too_deep(exc: RecursionError) -> Any:
        if request.is_json:  # a hostile body nested thousands of levels deep
            return _error_body(
                400, "bad_request", "JSON 嵌套层数过多", [{"field": "body", "message": "JSON 嵌套层数过多"}]
            )
        return _unexpected(exc)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Any:
        log.exception("unhandled error on %s %s", request.method, request.path)
        if wants_json():
            return _error_body(500, "internal_error", "系统内部错误，已记录")
        return render_template("supervise/error.html", status=500, message="系统内部错误，已记录。", fields=[]), 500
