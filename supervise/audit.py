"""Append to and verify the audit log inside the caller's transaction."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import func, text
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from supervise import clock
from supervise.auditchain import (
    GENESIS_HASH,
    ChainEntry,
    ChainProblem,
    canonical_json,
    entry_hash,
    verify_chain,
)
from supervise.db import is_postgres, promote_to_write
from supervise.models import AuditLog
from supervise.witness import note_head

log = logging.getLogger(__name__)

# Arbitrary constant naming the PostgreSQL advisory lock that serializes chain appends.
_AUDIT_LOCK_KEY = 0x5355_5056  # "SUPV"
_TABLE = AuditLog.__table__  # type: ignore[attr-defined]
_LOCK = text("SELECT pg_advisory_xact_lock(:k)")
_HEAD = core_select(_TABLE.c.hash).order_by(_TABLE.c.id.desc()).limit(1)
_APPEND = _TABLE.insert().returning(_TABLE.c.id)


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    object_type: str,
    object_id: str | int,
    payload: dict[str, Any] | None = None,
) -> ChainEntry:
    """Append one row to the audit chain in the session's open transaction."""
    # Pending ORM changes go first so the audit row follows what it records; the append itself is
    # plain Core, because it runs on every request that changes state (licensing checks included).
    promote_to_write(session)
    session.flush()
    conn = session.connection()
    if is_postgres(session):
        # Concurrent transactions would otherwise both extend the same head and one would fail
        # on the unique prev_hash; the lock makes them queue instead (released at commit). The head
        # is read by a later statement, whose snapshot therefore sees the last committed append.
        conn.execute(_LOCK, {"k": _AUDIT_LOCK_KEY})
    prev = conn.execute(_HEAD).scalar() or GENESIS_HASH
    body = canonical_json(payload or {})
    now = clock.now()
    fields: dict[str, Any] = {
        "created_at": now,
        "actor": actor,
        "action": action,
        "object_type": object_type,
        "object_id": str(object_id),
        "payload": body,
    }
    digest = entry_hash(prev_hash=prev, **fields)
    row_id = conn.execute(_APPEND, {"prev_hash": prev, "hash": digest, **fields}).scalar_one()
    note_head(session, row_id=row_id, digest=digest)
    return ChainEntry(id=row_id, prev_hash=prev, hash=digest, **fields)


def _entries(session: Session, batch: int = 5000) -> Iterator[ChainEntry]:
    last_id = 0
    while True:
        rows = session.exec(
            select(AuditLog).where(AuditLog.id > last_id).order_by(AuditLog.id).limit(batch)  # type: ignore[arg-type,operator]
        ).all()
        if not rows:
            return
        for r in rows:
            assert r.id is not None
            yield ChainEntry(
                id=r.id,
                created_at=r.created_at,
                actor=r.actor,
                action=r.action,
                object_type=r.object_type,
                object_id=r.object_id,
                payload=r.payload,
                prev_hash=r.prev_hash,
                hash=r.hash,
            )
        last_id = rows[-1].id or last_id
        session.expunge_all()


def verify(session: Session, *, progress: Callable[[int, int], None] | None = None) -> tuple[int, ChainProblem | None]:
    """Walk the whole chain; return the number of rows checked and the first problem, if any."""
    total = session.exec(select(func.count()).select_from(AuditLog)).one()
    checked = 0

    def counted() -> Iterator[ChainEntry]:
        nonlocal checked
        for entry in _entries(session):
            checked += 1
            if progress and checked % 1000 == 0:
                progress(checked, total)
            yield entry

    problem = verify_chain(counted())
    if progress:
        progress(checked, total)
    return checked, problem


def search(
    session: Session,
    *,
    action: str | None = None,
    actor: str | None = None,
    object_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    page: int = 1,
    per_page: int = 50,
) -> tuple[list[AuditLog], int, int]:
    """Audit rows matching the filters, newest first: (rows of the page, total, the page actually shown)."""
    conds = []
    if action:
        conds.append(col(AuditLog.action) == action)
    if actor:
        conds.append(col(AuditLog.actor).contains(actor, autoescape=True))
    if object_id:
        conds.append(col(AuditLog.object_id) == object_id)
    if since:
        conds.append(col(AuditLog.created_at) >= since)
    if until:
        conds.append(col(AuditLog.created_at) < until)
    total = int(session.exec(select(func.count()).select_from(AuditLog).where(*conds)).one())
    page = max(1, min(page, -(-total // per_page) or 1))
    rows = session.exec(
        select(AuditLog).where(*conds).order_by(col(AuditLog.id).desc()).offset((page - 1) * per_page).limit(per_page)
    ).all()
    return list(rows), total, page
