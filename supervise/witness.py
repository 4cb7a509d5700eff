"""The audit chain's witnessed head: after every commit that wrote audit rows, the newest row's id and hash are
appended to `audit-witness.jsonl` in the instance folder (fsync'd), outside the database.

Deleting the newest audit rows then leaves a witness line naming a row that is gone, and `supervise audit
verify` names the missing rows. What remains possible is said in docs/audit.md: someone who can rewrite both the
database and the instance folder can cut the tail unseen (copy the witness off the machine to close that)."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, has_app_context
from sqlalchemy import func
from sqlmodel import Session, col, select

from supervise.db import after_commit
from supervise.models import AuditLog

log = logging.getLogger(__name__)
WITNESS_FILE = "audit-witness.jsonl"
_HEAD = "supervise.audit_head"


@dataclass(frozen=True)
class Witnessed:
    """One witnessed head: the newest audit row of a committed transaction."""

    id: int
    hash: str


def witness_file() -> Path | None:
    """The application's witness file (None outside an application)."""
    if not has_app_context():
        return None
    return Path(current_app.extensions["supervise.settings"].instance_path) / WITNESS_FILE


def note_head(session: Session, *, row_id: int, digest: str) -> None:
    """Remember a transaction's newest audit row; it is witnessed once the transaction commits."""
    first = _HEAD not in session.info
    session.info[_HEAD] = Witnessed(row_id, digest)
    if first:
        after_commit(session, lambda: _witness(session))


def _witness(session: Session) -> None:
    head = session.info.pop(_HEAD, None)
    path = witness_file()
    if head is None or path is None:
        return
    append(path, head)


def forget_head(session: Session) -> None:
    """Drop the head of a transaction that rolled back (nothing of it is witnessed)."""
    session.info.pop(_HEAD, None)


def append(path: Path, head: Witnessed) -> None:
    """Append one head and fsync it; an append of one short line is atomic between processes (O_APPEND)."""
    line = (json.dumps({"id": head.id, "hash": head.hash}) + "\n").encode()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        try:
            os.write(fd, line)
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError:  # the chain stands; a missing witness line is reported by verify as no witness for it
        log.exception("could not append the audit head to %s", path)


def read(path: Path) -> Iterator[Witnessed]:
    """Every readable head in a witness file, in the order appended."""
    if not path.exists():
        return
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            try:
                raw = json.loads(line)
                yield Witnessed(int(raw["id"]), str(raw["hash"]))
            except (ValueError, KeyError, TypeError):
                log.warning("unreadable line in %s", path)


def newest(path: Path) -> Witnessed | None:
    """The witnessed head that reaches furthest."""
    return max(read(path), key=lambda w: w.id, default=None)


def check(session: Session, path: Path | None = None) -> str | None:
    """Compare the audit table with the newest witnessed head; say which rows are missing or changed, or None."""
    path = path or witness_file()
    head = newest(path) if path else None
    if head is None:
        return None
    stored = session.exec(select(AuditLog.hash).where(AuditLog.id == head.id)).first()
    if stored is None:
        last = session.exec(select(func.max(AuditLog.id))).one() or 0
        later = session.exec(select(func.count()).select_from(AuditLog).where(col(AuditLog.id) > head.id)).one()
        if later:
            return f"见证记录的第 {head.id} 条审计记录已不存在（被删除）"
        return (
            f"见证文件记录的最新审计记录为第 {head.id} 条，现存最后一条为第 {last} 条："
            f"第 {last + 1} 条至第 {head.id} 条之间的审计记录被删除"
        )
    if stored != head.hash:
        return f"第 {head.id} 条审计记录的哈希与见证文件记录的不符：已被改动"
    return None
