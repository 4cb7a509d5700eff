"""A refused form comes back as the user left it: their input kept, the error beside the field.

When a service refuses an HTML form (a 4xx), nothing is saved; the input (never passwords) is kept for ten
minutes in Redis under a key held in the user's session, and the browser goes back to the page that had the
form (post/redirect/get). That page's template asks `kept(name)` and `refused(name)` for each field."""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any, cast
from urllib.parse import unquote, urlsplit

import redis
from flask import Flask, current_app, flash, g, redirect, request, session
from markupsafe import Markup

from supervise.queue import redis_connection

log = logging.getLogger(__name__)
TTL_SECONDS = 600
MAX_VALUE = 4000  # the longest text field; anything longer was refused for its length anyway
_SESSION_KEY = "refused_form"


def _key(token: str) -> str:
    return f"supervise:form:{current_app.extensions['supervise.settings'].queue_name}:{token}"


def _back() -> str | None:
    """The same-site page the form was on (from the Referer header), or None."""
    ref = request.referrer
    if not ref:
        return None
    parts = urlsplit(ref)
    if parts.netloc and parts.netloc != request.host:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def keep_refused_form(message: str, fields: list[dict[str, str]]) -> Any | None:
    """Keep a refused HTML form's input and redirect back to its page; None when that cannot be done."""
    if request.method != "POST" or request.is_json or not request.form or request.path.startswith("/api/"):
        return None
    back = _back()
    if back is None:
        return None
    values: dict[str, Any] = {
        k: ([x[:MAX_VALUE] for x in v] if len(v) > 1 else v[0][:MAX_VALUE])  # a multi-select keeps every choice
        for k, v in request.form.lists()
        if k != "csrf_token" and "password" not in k
    }
    data = {
        "back": urlsplit(back).path,
        "action": request.path,
        "values": values,
        "errors": {f["field"]: f["message"] for f in fields},
    }
    token = uuid.uuid4().hex
    try:
        conn = redis_connection(current_app.extensions["supervise.settings"])
        conn.set(_key(token), json.dumps(data, ensure_ascii=False), ex=TTL_SECONDS)
    except redis.RedisError:
        log.warning("could not keep a refused form: Redis unavailable")
        return None
    session[_SESSION_KEY] = token
    text = (
        message
        if not fields
        else "未保存：" + "；".join(f"{f.get('label', f['field'])}：{f['message']}" for f in fields)
    )
    if any(f.filename for f in request.files.values()):  # a browser never refills a file input
        text += "。已填写的内容已保留，附件须重新选择"
    flash(text, "error")
    return redirect(back, 303)


def _load() -> dict[str, Any] | None:
    if "refused_form_loaded" in g:
        return cast(dict[str, Any] | None, g.refused_form_loaded)
    data = None
    token = session.pop(_SESSION_KEY, None) if request.method == "GET" else None
    if token:
        try:
            conn = redis_connection(current_app.extensions["supervise.settings"])
            raw = cast(bytes | None, conn.getdel(_key(token)))
            data = json.loads(raw) if raw else None
        except redis.RedisError:
            data = None
        if data and data.get("back") != request.path:
            data = None
    g.refused_form_loaded = data
    return data


def _same_action(action: str | None, data: dict[str, Any]) -> bool:
    # url_for percent-encodes a number like 督改〔2026〕1号; request.path, kept as the action, is decoded
    return action is None or unquote(action) == data["action"]


def kept(name: str, default: Any = "", action: str | None = None) -> Any:
    """What the user typed into `name` before the form was refused (for the form posting to `action`)."""
    data = _load()
    if not data or not _same_action(action, data):
        return default
    return data["values"].get(name, default)


def refused_here(action: str) -> bool:
    """Return True if the form posting to `action` is the one just refused (to show it open)."""
    data = _load()
    return data is not None and _same_action(action, data)


def refused(name: str, action: str | None = None) -> Markup:
    """The error beside field `name`, as HTML (empty when there is none)."""
    data = _load()
    if not data or not _same_action(action, data):
        return Markup("")
    message = data["errors"].get(name)
    # escape() makes the message safe; Markup.format escapes its arguments too
    return Markup('<span class="field-error">{}</span>').format(message) if message else Markup("")


def init_formkeep(app: Flask) -> None:
    """Offer kept() and refused() to templates."""
    app.add_template_global(kept, "kept")
    app.add_template_global(refused, "refused")
    app.add_template_global(refused_here, "refused_here")
