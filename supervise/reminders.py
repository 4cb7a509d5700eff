"""Daily reminders from the to-do lists (supervise.todo): one outbox row per user, kind and day, delivered into
the in-app inbox and, when SUPERVISE_REMINDER_WEBHOOK is set, posted to the government messaging platform.

Each step is idempotent: the outbox key is unique per user, so a second run the same day adds nothing; the
inbox holds one message per outbox row; a webhook post is claimed under a row lock before it is sent (outside
any transaction) and carries the outbox id as its idempotency key, so a receiver can drop a repeat after a crash."""

from __future__ import annotations

import json
import logging
import urllib.request
from datetime import date
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, func, select

from supervise import clock
from supervise.db import lock_rows
from supervise.models import InboxMessage, Outbox, User
from supervise.todo import todo_for

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
_OUTBOX, _INBOX = Outbox.__table__, InboxMessage.__table__  # type: ignore[attr-defined]
TIMEOUT_SECONDS = 10


def _insert(session: Session, table: Any, values: dict[str, Any], unique: list[str]) -> int:
    """INSERT … ON CONFLICT DO NOTHING on either backend; 1 if a row was added."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(table).values(**values).on_conflict_do_nothing(index_elements=unique)
    # RETURNING counts what was added on both backends (psycopg reports no rowcount for ON CONFLICT DO NOTHING)
    return len(session.execute(stmt.returning(table.c.id)).all())


def queue_reminders(session: Session, *, today: date, webhook: bool) -> int:
    """Write today's reminders for every active user with overdue or urgent work; return how many are new."""
    made = 0
    for user in session.exec(select(User).where(col(User.active).is_(True)).order_by(col(User.id))).all():
        for item in todo_for(session, user, today):
            if not (item.overdue or item.urgent):
                continue
            late = f"，其中 {item.overdue} 件已超期" if item.overdue else ""
            made += _insert(
                session, _OUTBOX,
                {"user_id": user.id, "key": f"{item.key}:{today.isoformat()}"[:128],
                 "title": f"待办提醒：{item.label}", "body": f"您有 {item.count} 件{item.label}{late}，请及时办理。",
                 "url": item.url, "created_at": clock.now(), "webhook_state": "pending" if webhook else "",
                 "webhook_attempts": 0},
                ["user_id", "key"],
            )  # fmt: skip
    return made


def deliver(session: Session) -> int:
    """Copy undelivered outbox rows into the inbox (each once); return how many."""
    rows = session.exec(lock_rows(select(Outbox).where(col(Outbox.delivered_at).is_(None)).order_by(col(Outbox.id))))
    count = 0
    for row in rows.all():
        count += _insert(
            session, _INBOX,
            {"user_id": row.user_id, "outbox_id": row.id, "title": row.title, "body": row.body, "url": row.url,
             "created_at": clock.now()},
            ["outbox_id"],
        )  # fmt: skip
        row.delivered_at = clock.now()
        session.add(row)
    return count


def claim_posts(session: Session, *, limit: int = 500) -> list[dict[str, Any]]:
    """Claim pending webhook posts (row lock, state → claimed) and return what to send after the commit."""
    rows = session.exec(
        lock_rows(select(Outbox).where(Outbox.webhook_state == "pending").order_by(col(Outbox.id)).limit(limit))
    ).all()
    names = dict(session.exec(select(User.id, User.username).where(col(User.id).in_({r.user_id for r in rows}))).all())
    out = []
    for row in rows:
        row.webhook_state, row.webhook_attempts = "claimed", row.webhook_attempts + 1
        session.add(row)
        out.append({"id": row.id, "user": names.get(row.user_id, ""), "title": row.title, "body": row.body,
                    "url": row.url})  # fmt: skip
    return out


def post(url: str, messages: list[dict[str, Any]]) -> dict[int, str | None]:
    """POST each message as JSON; return outbox id -> None when accepted, else the error (no transaction open)."""
    results: dict[int, str | None] = {}
    if not url.startswith(("https://", "http://")):  # a configured URL, never a file: or custom scheme
        return dict.fromkeys((m["id"] for m in messages), "提醒推送地址须以 http:// 或 https:// 开头")
    for m in messages:
        body = json.dumps({"msgtype": "text", "text": {"content": f"{m['title']}\n{m['body']}"}, **m},
                          ensure_ascii=False).encode()  # fmt: skip
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
            url, data=body, method="POST",
            headers={"Content-Type": "application/json; charset=utf-8", "Idempotency-Key": f"supervise-{m['id']}"},
        )  # fmt: skip
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 - scheme checked
                results[m["id"]] = None if 200 <= response.status < 300 else f"HTTP {response.status}"
        except OSError as exc:  # URLError, HTTPError and timeouts are OSErrors
            results[m["id"]] = str(exc)[:256]
    return results


def record_posts(session: Session, results: dict[int, str | None]) -> dict[str, int]:
    """Mark posted messages sent; a failed one goes back to pending until MAX_ATTEMPTS."""
    counts = {"sent": 0, "failed": 0}
    for row in session.exec(lock_rows(select(Outbox).where(col(Outbox.id).in_(list(results))))).all():
        error = results[row.id or 0]
        if error is None:
            row.webhook_state, row.webhook_sent_at, row.webhook_error = "sent", clock.now(), None
            counts["sent"] += 1
        else:
            row.webhook_state = "failed" if row.webhook_attempts >= MAX_ATTEMPTS else "pending"
            row.webhook_error = error
            counts["failed"] += 1
            log.warning("reminder %s not posted: %s", row.id, error)
        session.add(row)
    return counts


def inbox(session: Session, *, user_id: int, limit: int = 200) -> list[InboxMessage]:
    """The user's messages, newest first."""
    stmt = select(InboxMessage).where(InboxMessage.user_id == user_id)
    return list(session.exec(stmt.order_by(col(InboxMessage.id).desc()).limit(limit)).all())


def unread(session: Session, *, user_id: int) -> int:
    """How many of the user's messages are unread."""
    stmt = select(func.count()).select_from(InboxMessage)
    return int(session.exec(stmt.where(InboxMessage.user_id == user_id, col(InboxMessage.read_at).is_(None))).one())


def mark_read(session: Session, *, user_id: int) -> int:
    """Mark all the user's messages read; return how many changed."""
    rows = session.exec(
        select(InboxMessage).where(InboxMessage.user_id == user_id, col(InboxMessage.read_at).is_(None))
    ).all()
    for row in rows:
        row.read_at = clock.now()
        session.add(row)
    return len(rows)
