"""Authentication (password sessions and bearer tokens) and per-route role declarations."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Flask, abort, redirect, request, url_for
from flask import session as flask_session
from flask_login import AnonymousUserMixin, LoginManager, UserMixin, current_user
from sqlalchemy import bindparam
from sqlalchemy import select as core_select
from sqlmodel import Session, select
from werkzeug.security import check_password_hash, generate_password_hash

from supervise import sessions
from supervise.messages import ROLE_LABELS as ROLE_LABELS  # re-exported: the labels are data in messages
from supervise.models import ROLES, ApiToken, User
from supervise.web import request_session, wants_json

F = TypeVar("F", bound=Callable[..., Any])
PUBLIC = "public"
SESSION_ID = "sid"  # the cookie's key naming the server-side session (supervise.sessions)

login_manager = LoginManager()
_USERS, _TOKENS = User.__table__, ApiToken.__table__  # type: ignore[attr-defined]
_TOKEN_USER = (
    core_select(_USERS.c.id, _USERS.c.username, _USERS.c.display_name, _USERS.c.role, _USERS.c.department_id)
    .join(_TOKENS, _TOKENS.c.user_id == _USERS.c.id)
    .where(
        _TOKENS.c.token_hash == bindparam("digest"),
        _TOKENS.c.revoked.is_(False),
        _USERS.c.active.is_(True),
    )
)


class Principal(UserMixin):
    """The signed-in user as the request sees it (a detached copy, not a table object)."""

    def __init__(
        self, *, id: int, username: str, display_name: str, role: str, department_id: int | None, via_token: bool
    ) -> None:
        self.id = id
        self.username = username
        self.display_name = display_name
        self.role = role
        self.department_id = department_id
        self.via_token = via_token

    @classmethod
    def of(cls, user: User) -> Principal:
        """The principal for a signed-in account."""
        assert user.id is not None
        return cls(
            id=user.id,
            username=user.username,
            display_name=user.display_name,
            role=user.role,
            department_id=user.department_id,
            via_token=False,
        )

    def get_id(self) -> str:
        return str(self.id)

    @property
    def actor(self) -> str:
        return f"user:{self.username}"


class Anonymous(AnonymousUserMixin):
    role = None
    actor = "anonymous"
    via_token = False


def hash_password(password: str) -> str:
    """Hash a password with werkzeug's salted scrypt."""
    return generate_password_hash(password)


def check_password(password_hash: str, password: str) -> bool:
    """Check a password against its stored hash."""
    return check_password_hash(password_hash, password)


def token_digest(token: str) -> str:
    """Return the SHA-256 under which a bearer token is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(session: Session, *, user_id: int, name: str) -> tuple[ApiToken, str]:
    """Create a bearer token for a user; the clear token is returned only this once."""
    clear = "sv_" + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user_id, name=name, token_hash=token_digest(clear))
    session.add(row)
    session.flush()
    return row, clear


def authenticate(session: Session, *, username: str, password: str) -> User | None:
    """Return the active user with these credentials, or None."""
    user = session.exec(select(User).where(User.username == username)).first()
    if user is None or not user.active or not check_password(user.password_hash, password):
        return None
    return user


def sign_in(user: User) -> None:
    """Start a server-side session for a user who proved their password, and tie the cookie to it."""
    from flask_login import login_user

    assert user.id is not None
    flask_session.clear()  # nothing from before sign-in carries over (session fixation)
    flask_session[SESSION_ID] = sessions.store().start(user.id)
    login_user(Principal.of(user))


def sign_out() -> None:
    """End this browser's session on the server and forget it in the cookie."""
    from flask_login import logout_user

    sid = flask_session.get(SESSION_ID)
    if isinstance(sid, str):
        sessions.store().end(sid, getattr(current_user, "id", None))
    logout_user()
    flask_session.clear()


def current_session_id() -> str | None:
    """The id of the signed-in browser's server-side session (None for bearer tokens)."""
    sid = flask_session.get(SESSION_ID)
    return sid if isinstance(sid, str) else None


def roles(*allowed: str) -> Callable[[F], F]:
    """Declare which roles may call a view; roles(PUBLIC) opens it to anonymous users."""
    unknown = set(allowed) - set(ROLES) - {PUBLIC}
    if unknown or not allowed:
        raise ValueError(f"unknown roles {sorted(unknown)}")

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if PUBLIC not in allowed:
                if not current_user.is_authenticated:
                    if wants_json():
                        abort(401)
                    return redirect(url_for("accounts.login", next=request.full_path))
                if current_user.role not in allowed:
                    abort(403)
            return view(*args, **kwargs)

        wrapper.allowed_roles = frozenset(allowed)  # type: ignore[attr-defined]
        return cast(F, wrapper)

    return decorate


def undeclared_endpoints(app: Flask) -> list[str]:
    """List endpoints whose views do not declare their roles (static files excepted)."""
    missing = []
    for endpoint, view in app.view_functions.items():
        if endpoint == "static" or endpoint.endswith(".static"):
            continue
        if not hasattr(view, "allowed_roles"):
            missing.append(endpoint)
    return sorted(missing)


def init_auth(app: Flask) -> None:
    """Wire flask-login: session cookies for people, bearer tokens for systems."""
    login_manager.init_app(app)
    login_manager.anonymous_user = Anonymous
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "请先登录"

    @login_manager.user_loader
    def load_user(user_id: str) -> Principal | None:
        # A request that presents a bearer token is judged by the token alone: a forged token beside a
        # session cookie must not ride on the cookie (and so skip the CSRF check cookies need).
        if request.headers.get("Authorization", "").startswith("Bearer ") or not user_id.isdigit():
            return None
        # The cookie only names a server-side session: one that was signed out, ended or timed out is no more.
        sid = flask_session.get(SESSION_ID)
        if not isinstance(sid, str) or sessions.store().user_of(sid) != int(user_id):
            return None
        user = request_session().get(User, int(user_id))
        return Principal.of(user) if user and user.active else None

    @login_manager.request_loader
    def load_from_token(req: Any) -> Principal | None:
        header = req.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            return None
        # Every API call by a licensing system comes through here: plain Core, only the columns needed.
        row = (
            request_session()
            .connection()
            .execute(_TOKEN_USER, {"digest": token_digest(header[7:].strip())})
            .mappings()
            .first()
        )
        return Principal(**row, via_token=True) if row else None
