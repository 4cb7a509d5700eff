"""Anchors of the audit chain: its head and length, fixed in places that deleting audit rows cannot reach.

Every archived report prints one, every draw fixes one (shown on its public page), and a daily job writes
one. Each is stored in the audit_anchor table and appended to `audit-anchors.jsonl` in the instance folder
(after commit). Verification compares the chain with the newest anchor, so deleting the newest rows is
noticed: the row the anchor names is gone, or fewer rows lead up to it."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from flask import current_app, has_app_context
from sqlalchemy import func
from sqlmodel import Session, col, select

from supervise import audit, clock
from supervise.auditchain import Anchor, check_anchor
from supervise.db import after_commit
from supervise.models import AuditAnchor, AuditLog

log = logging.getLogger(__name__)
ANCHOR_FILE = "audit-anchors.jsonl"


def anchor_file() -> Path | None:
    """The instance folder's anchor file (None outside an application)."""
    if not has_app_context():
        return None
    return Path(current_app.extensions["supervise.settings"].instance_path) / ANCHOR_FILE


def fix_anchor(session: Session, *, source: str, actor: str) -> Anchor:
    """Append an 'audit.anchored' row, then record the chain's head (that row) and length as an anchor."""
    head = audit.record(
        session,
        actor=actor,
        action="audit.anchored",
        object_type="audit_log",
        object_id="chain",
        payload={"source": source},
    )
    rows = int(session.exec(select(func.count()).select_from(AuditLog)).one())  # appends are serialized
    now = clock.now()
    row = AuditAnchor(created_at=now, source=source[:64], head_id=head.id, head_hash=head.hash, rows=rows)
    session.add(row)
    anchor = Anchor(head.id, head.hash, rows, source[:64], clock.to_beijing(now).strftime("%Y-%m-%d %H:%M"))
    path = anchor_file()
    if path is not None:
        after_commit(session, lambda: _append(path, anchor))
    return anchor


def _append(path: Path, anchor: Anchor) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as out:
            out.write(json.dumps(anchor.as_json(), ensure_ascii=False) + "\n")
    except OSError:  # the table keeps the anchor; the file is the copy outside the database
        log.exception("could not append the audit anchor to %s", path)


def latest_anchor(session: Session) -> Anchor | None:
    """The newest anchor, from the table or the instance file, whichever reaches further."""
    candidates: list[Anchor] = []
    row = session.exec(select(AuditAnchor).order_by(col(AuditAnchor.head_id).desc()).limit(1)).first()
    if row is not None:
        candidates.append(
            Anchor(
                row.head_id,
                row.head_hash,
                row.rows,
                row.source,
                clock.to_beijing(row.created_at).strftime("%Y-%m-%d %H:%M"),
            )
        )
    path = anchor_file()
    if path is not None and path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                candidates.append(Anchor(**json.loads(line)))
            except (ValueError, TypeError):
                log.warning("unreadable line in %s", path)
    return max(candidates, key=lambda a: a.head_id, default=None)


def check_latest_anchor(session: Session) -> tuple[Anchor | None, str | None]:
    """Compare the chain with the newest anchor: (the anchor, what is missing or changed, or None)."""
    anchor = latest_anchor(session)
    if anchor is None:
        return None, None
    head_hash = session.exec(select(AuditLog.hash).where(AuditLog.id == anchor.head_id)).first()
    rows = int(session.exec(select(func.count()).select_from(AuditLog).where(col(AuditLog.id) <= anchor.head_id)).one())
    last_id = session.exec(select(func.max(AuditLog.id))).one()
    return anchor, check_anchor(anchor, head_hash=head_hash, rows_up_to_head=rows, last_id=last_id)
