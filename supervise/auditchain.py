"""Pure hash-chain logic for the audit log: canonical serialization, hashing and verification."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from supervise.canonical import canonical_json

GENESIS_HASH = "0" * 64


def format_timestamp(ts: datetime) -> str:
    """Format a timestamp in UTC with microseconds, the only form that is hashed."""
    aware = ts if ts.tzinfo else ts.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class ChainEntry:
    """The hashed content of one audit row, exactly as stored."""

    id: int
    created_at: datetime
    actor: str
    action: str
    object_type: str
    object_id: str
    payload: str  # canonical JSON text, stored verbatim
    prev_hash: str
    hash: str


def entry_hash(
    *,
    prev_hash: str,
    created_at: datetime,
    actor: str,
    action: str,
    object_type: str,
    object_id: str,
    payload: str,
) -> str:
    """Return SHA-256 over the previous hash and this row's canonical content."""
    content = canonical_json(
        {
            "action": action,
            "actor": actor,
            "created_at": format_timestamp(created_at),
            "object_id": object_id,
            "object_type": object_type,
            "payload": payload,
        }
    )
    return hashlib.sha256(f"{prev_hash}\n{content}".encode()).hexdigest()


@dataclass(frozen=True)
class ChainProblem:
    """The first row at which the chain stops being consistent."""

    row_id: int
    reason: str


def verify_chain(entries: Iterable[ChainEntry], *, start_hash: str = GENESIS_HASH) -> ChainProblem | None:
    """Walk entries in id order and return the first broken row, or None if the chain holds."""
    expected_prev = start_hash
    for entry in entries:
        if entry.prev_hash != expected_prev:
            return ChainProblem(
                entry.id,
                "记录的前一条哈希与前一条记录不符（其前面的记录被删除、插入或改动）",
            )
        recomputed = entry_hash(
            prev_hash=entry.prev_hash,
            created_at=entry.created_at,
            actor=entry.actor,
            action=entry.action,
            object_type=entry.object_type,
            object_id=entry.object_id,
            payload=entry.payload,
        )
        if recomputed != entry.hash:
            return ChainProblem(entry.id, "内容与其存储的哈希不符（该记录被改动）")
        expected_prev = entry.hash
    return None


@dataclass(frozen=True)
class Anchor:
    """The chain's head and length at one moment, kept where deleting audit rows cannot reach it."""

    head_id: int
    head_hash: str
    rows: int
    source: str
    created_at: str

    def as_json(self) -> dict[str, Any]:
        return {
            "head_id": self.head_id,
            "head_hash": self.head_hash,
            "rows": self.rows,
            "source": self.source,
            "created_at": self.created_at,
        }


def check_anchor(anchor: Anchor, *, head_hash: str | None, rows_up_to_head: int, last_id: int | None) -> str | None:
    """Compare the stored chain with an anchor; say what is missing or changed, or None if it agrees."""
    where = f"锚点（{anchor.source}，{anchor.created_at}）"
    if head_hash is None:
        return (
            f"{where}记录的第 {anchor.head_id} 条审计记录已不存在，现存最后一条为第 {last_id or 0} 条："
            f"末尾至少 {anchor.rows - rows_up_to_head} 条审计记录被删除"
        )
    if head_hash != anchor.head_hash:
        return f"第 {anchor.head_id} 条审计记录的哈希与{where}记录的不符：已被改动"
    if rows_up_to_head != anchor.rows:
        return (
            f"{where}记录截至第 {anchor.head_id} 条共 {anchor.rows} 条审计记录，现存 {rows_up_to_head} 条："
            f"缺少 {anchor.rows - rows_up_to_head} 条"
        )
    return None
