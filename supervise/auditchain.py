"""Pure hash-chain logic for the audit log: canonical serialization, hashing and verification."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

GENESIS_HASH = "0" * 64


def canonical_json(value: Any) -> str:
    """Serialize a JSON value canonically: sorted keys, no spaces, UTF-8 characters kept."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


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
                "prev_hash does not match the hash of the row before it "
                "(a row before it was deleted, inserted or edited)",
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
            return ChainProblem(entry.id, "content does not match its stored hash (row edited)")
        expected_prev = entry.hash
    return None
