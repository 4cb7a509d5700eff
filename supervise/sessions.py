"""Server-side sign-in sessions, kept in Redis so that every web process sees them end.

The browser's signed cookie carries only a random session id. The session itself lives in Redis: which user,
when it began and when it was last used. Signing out deletes it; a password change, a disabled account or an
administrator's "end sessions" deletes every session of that user. A session also ends after an idle time and
an absolute lifetime (SUPERVISE_SESSION_IDLE_MINUTES, SUPERVISE_SESSION_MAX_HOURS)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

import redis

from supervise import clock
from supervise.config import current
from supervise.queue import redis_connection

TOUCH_EVERY = 60  # seconds: a session's last use is written at most this often (one Redis write a minute)


@dataclass(frozen=True)
class SessionStore:
    """The sessions of one installation (its queue name keeps installations sharing a Redis apart)."""

    conn: redis.Redis
    namespace: str
    idle_seconds: int
    max_seconds: int

    def _key(self, sid: str) -> str:
        return f"supervise-session:{self.namespace}:{sid}"

    def _user_key(self, user_id: int) -> str:
        return f"supervise-sessions-of:{self.namespace}:{user_id}"

    def start(self, user_id: int) -> str:
        """Open a session for a user who has just signed in; return its id for the cookie."""
        sid = secrets.token_urlsafe(32)
        now = int(clock.now().timestamp())
        pipe = self.conn.pipeline()
        pipe.hset(self._key(sid), mapping={"user": user_id, "started": now, "seen": now})
        pipe.expire(self._key(sid), self.idle_seconds)
        pipe.sadd(self._user_key(user_id), sid)
        pipe.expire(self._user_key(user_id), self.max_seconds)
        pipe.execute()
        return sid

    def user_of(self, sid: str) -> int | None:
        """The user of a live session, or None when it ended, was ended, or ran past its idle or absolute time."""
        raw: dict[Any, Any] = self.conn.hgetall(self._key(sid))  # type: ignore[assignment]
        if not raw:
            return None
        user_id, started, seen = (int(raw[k]) for k in (b"user", b"started", b"seen"))
        now = int(clock.now().timestamp())
        if now - seen > self.idle_seconds or now - started > self.max_seconds:
            self.end(sid, user_id)
            return None
        if now - seen >= TOUCH_EVERY:
            pipe = self.conn.pipeline()
            pipe.hset(self._key(sid), "seen", str(now))
            pipe.expire(self._key(sid), self.idle_seconds)
            pipe.execute()
        return user_id

    def end(self, sid: str, user_id: int | None = None) -> None:
        """End one session (signing out)."""
        pipe = self.conn.pipeline()
        pipe.delete(self._key(sid))
        if user_id is not None:
            pipe.srem(self._user_key(user_id), sid)
        pipe.execute()

    def end_all(self, user_id: int, *, keep: str | None = None) -> int:
        """End every session of a user (but the one kept, if any); return how many ended."""
        sids = [s.decode() for s in self.conn.smembers(self._user_key(user_id))]  # type: ignore[union-attr]
        gone = [s for s in sids if s != keep]
        if gone:
            pipe = self.conn.pipeline()
            for sid in gone:
                pipe.delete(self._key(sid))
            pipe.srem(self._user_key(user_id), *gone)
            pipe.execute()
        return len(gone)

    def count(self, user_id: int) -> int:
        """How many sessions of the user are live."""
        sids = [s.decode() for s in self.conn.smembers(self._user_key(user_id))]  # type: ignore[union-attr]
        return sum(1 for s in sids if self.conn.exists(self._key(s)))


def store() -> SessionStore:
    """The installation's session store on this process's Redis connection."""
    settings = current()
    return SessionStore(
        redis_connection(settings),
        settings.queue_name,
        settings.tuning.session_idle_minutes * 60,
        settings.tuning.session_max_hours * 3600,
    )


def end_sessions_after_commit(session: Any, user_id: int, *, keep: str | None = None) -> None:
    """End a user's sessions once the change that calls for it (password, disabled account) has committed."""
    from supervise.db import after_commit

    after_commit(session, lambda: store().end_all(user_id, keep=keep))
