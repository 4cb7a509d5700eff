"""Accounts: the password rule, sign-in throttling, password changes, and what administrators do to users."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

from limits import parse
from limits.storage import RedisStorage
from limits.strategies import MovingWindowRateLimiter
from rapidfuzz.distance import Levenshtein
from sqlmodel import Session, col, func, select
from zxcvbn import zxcvbn

from supervise import audit
from supervise.auth import ROLE_LABELS, check_password, hash_password, issue_token
from supervise.errors import field_error
from supervise.models import ROLES, ApiToken, Department, User
from supervise.sessions import end_sessions_after_commit

log = logging.getLogger(__name__)

MIN_PASSWORD_LENGTH = 12
MIN_PASSWORD_SCORE = 3  # zxcvbn 0-4: below 3 it is a common password, a keyboard walk, a date or a name
# Sign-in throttling (本地设定): failures counted in a moving window, per account and per address.
ACCOUNT_FAILURES = parse("5/15 minutes")
ADDRESS_FAILURES = parse("20/15 minutes")


def password_problem(password: str, *, hints: tuple[str, ...] = ()) -> str | None:
    """Say what is wrong with a new password, or None if it is acceptable."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"密码至少 {MIN_PASSWORD_LENGTH} 个字符"
    if zxcvbn(password, user_inputs=list(hints))["score"] < MIN_PASSWORD_SCORE:
        return "密码太常见或太容易猜到（如常用密码、键盘顺序、日期或与用户名相近），请换一个更长、更不规则的密码"
    return None


@dataclass
class Throttle:
    """Failed sign-ins per account and per address, kept in Redis so every web process sees them."""

    limiter: MovingWindowRateLimiter

    @classmethod
    def on(cls, redis_conn: Any, namespace: str) -> Throttle:
        """A throttle on this process's Redis connection (real or embedded), apart for each installation."""
        storage = RedisStorage(
            "redis://", connection_pool=redis_conn.connection_pool, key_prefix=f"supervise-login:{namespace}"
        )
        return cls(MovingWindowRateLimiter(storage))

    def locked(self, *, username: str, address: str) -> int | None:
        """Seconds until sign-in may be tried again, or None if it may be tried now."""
        for item, key in ((ACCOUNT_FAILURES, f"user:{username.lower()}"), (ADDRESS_FAILURES, f"addr:{address}")):
            if not self.limiter.test(item, key):
                reset = self.limiter.get_window_stats(item, key).reset_time
                return max(1, int(reset - time.time()))
        return None

    def failed(self, *, username: str, address: str) -> None:
        """Count one failed sign-in."""
        self.limiter.hit(ACCOUNT_FAILURES, f"user:{username.lower()}")
        self.limiter.hit(ADDRESS_FAILURES, f"addr:{address}")


def too_close(new: str, current: str) -> bool:
    """True when a new password only edits the current one (adds, drops or changes up to three characters)."""
    a, b = new.casefold(), current.casefold()
    return a in b or b in a or Levenshtein.distance(a, b) <= 3


def change_password(
    session: Session,
    *,
    user_id: int,
    current: str,
    new: str,
    confirm: str,
    actor: str,
    keep_session: str | None = None,
) -> None:
    """Change one's own password after proving the current one; every other session of the user ends."""
    user = session.get(User, user_id)
    if user is None:
        raise field_error("user", "账户不存在", status=404)
    if not check_password(user.password_hash, current):
        raise field_error("current_password", "当前密码不正确")
    if new != confirm:
        raise field_error("confirm_password", "两次输入的新密码不一致")
    if new == current:
        raise field_error("new_password", "新密码不能与当前密码相同")
    if too_close(new, current):
        raise field_error("new_password", "新密码与当前密码过于相近（只增删或改动了几个字符），请换一个不同的密码")
    _set_password(session, user, new, field="new_password", actor=actor, action="user.password_changed")
    end_sessions_after_commit(session, user_id, keep=keep_session)


def _set_password(session: Session, user: User, password: str, *, field: str, actor: str, action: str) -> None:
    """Store a new password that follows the rule, and audit it."""
    problem = password_problem(password, hints=(user.username, user.display_name))
    if problem:
        raise field_error(field, problem)
    user.password_hash = hash_password(password)
    session.add(user)
    audit.record(session, actor=actor, action=action, object_type="user", object_id=user.id or 0)


def create_user(
    session: Session,
    *,
    username: str,
    display_name: str,
    role: str,
    password: str,
    department_code: str | None,
    actor: str,
) -> User:
    """Create an account that follows the password rule."""
    username = username.strip()
    if not (2 <= len(username) <= 64) or not username.replace("_", "").replace("-", "").replace(".", "").isalnum():
        raise field_error("username", "用户名为 2–64 位字母、数字、点、下划线或连字符")
    if role not in ROLES:
        raise field_error("role", f"角色应为：{'、'.join(ROLE_LABELS[r] for r in ROLES)}")
    if session.exec(select(User.id).where(User.username == username)).first():
        raise field_error("username", f"用户名 {username} 已存在", status=409)
    if role == "unit" and not department_code:
        raise field_error("department_code", "整改责任单位账户须指定所属部门")
    dept_id = None
    if department_code:
        dept = session.exec(select(Department).where(Department.code == department_code)).first()
        if dept is None:
            raise field_error("department_code", f"部门 {department_code} 不存在")
        dept_id = dept.id
    problem = password_problem(password, hints=(username, display_name))
    if problem:
        raise field_error("password", problem)
    user = User(
        username=username,
        display_name=display_name.strip()[:64] or username,
        role=role,
        password_hash=hash_password(password),
        department_id=dept_id,
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="user.created",
        object_type="user",
        object_id=user.id or 0,
        payload={"username": username, "role": role, "department": department_code},
    )
    return user


def set_active(session: Session, *, user_id: int, active: bool, actor: str, acting_user_id: int | None) -> User:
    """Enable or disable an account (a disabled account can neither sign in nor use its tokens)."""
    user = session.get(User, user_id, with_for_update=True)
    if user is None:
        raise field_error("user_id", f"账户 {user_id} 不存在", status=404)
    if user_id == acting_user_id and not active:
        raise field_error("user_id", "不能停用自己的账户")
    if user.active == active:
        raise field_error("user_id", f"账户 {user.username} 已经{'启用' if active else '停用'}", status=409)
    user.active = active
    session.add(user)
    if not active:
        end_sessions_after_commit(session, user_id)
    audit.record(
        session,
        actor=actor,
        action="user.enabled" if active else "user.disabled",
        object_type="user",
        object_id=user_id,
        payload={"username": user.username},
    )
    return user


def reset_password(session: Session, *, user_id: int, password: str, actor: str) -> None:
    """Set a new password for another account (the administrator hands it over in person)."""
    user = session.get(User, user_id)
    if user is None:
        raise field_error("user_id", f"账户 {user_id} 不存在", status=404)
    _set_password(session, user, password, field="password", actor=actor, action="user.password_reset")
    end_sessions_after_commit(session, user_id)


def end_sessions(session: Session, *, user_id: int, actor: str) -> User:
    """End every signed-in session of an account (a lost phone, a shared computer), audited."""
    user = session.get(User, user_id)
    if user is None:
        raise field_error("user_id", f"账户 {user_id} 不存在", status=404)
    audit.record(
        session,
        actor=actor,
        action="user.sessions_ended",
        object_type="user",
        object_id=user_id,
        payload={"username": user.username},
    )
    end_sessions_after_commit(session, user_id)
    return user


def revoke_token(session: Session, *, token_id: int, actor: str) -> ApiToken:
    """Revoke a bearer token for good."""
    token = session.get(ApiToken, token_id, with_for_update=True)
    if token is None:
        raise field_error("token_id", f"令牌 {token_id} 不存在", status=404)
    if token.revoked:
        raise field_error("token_id", f"令牌 {token_id} 已经吊销", status=409)
    token.revoked = True
    session.add(token)
    audit.record(session, actor=actor, action="token.revoked", object_type="api_token", object_id=token_id)
    return token


def mint_token(session: Session, *, user_id: int, name: str, actor: str) -> tuple[ApiToken, str]:
    """Issue a bearer token for a user; the clear value is returned once."""
    name = name.strip()[:64] or "令牌"
    row, clear = issue_token(session, user_id=user_id, name=name)
    audit.record(
        session,
        actor=actor,
        action="token.issued",
        object_type="api_token",
        object_id=row.id or 0,
        payload={"name": name, "user_id": user_id},
    )
    return row, clear


def users_overview(
    session: Session, *, q: str | None = None, page: int = 1, per_page: int = 50
) -> tuple[list[dict[str, Any]], int]:
    """One page of accounts, by username, with department and tokens; `q` finds a username, name or department."""
    query = select(User).join(Department, col(Department.id) == col(User.department_id), isouter=True)
    if q:
        query = query.where(
            col(User.username).contains(q, autoescape=True)
            | col(User.display_name).contains(q, autoescape=True)
            | col(Department.name).contains(q, autoescape=True)
        )
    total = int(session.exec(select(func.count()).select_from(query.subquery())).one())
    users = session.exec(query.order_by(col(User.username)).offset((page - 1) * per_page).limit(per_page)).all()
    ids = [u.id for u in users]
    depts = {
        d.id: d
        for d in session.exec(
            select(Department).where(col(Department.id).in_({u.department_id for u in users if u.department_id}))
        ).all()
    }
    tokens: dict[int, list[ApiToken]] = {}
    for t in session.exec(select(ApiToken).where(col(ApiToken.user_id).in_(ids)).order_by(col(ApiToken.id))).all():
        tokens.setdefault(t.user_id, []).append(t)
    out = []
    for u in users:
        dept = depts.get(u.department_id)
        out.append(
            {
                "id": u.id,
                "username": u.username,
                "display_name": u.display_name,
                "role": ROLE_LABELS.get(u.role, u.role),
                "department": dept.name if dept else "",
                "active": u.active,
                "tokens": tokens.get(u.id or 0, []),
            }
        )
    return out, total
