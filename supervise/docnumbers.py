"""发文字号: one numbering series per document kind and year, which may span several tables."""

from __future__ import annotations

import zlib
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, col, func, select

from supervise import clock
from supervise.config import tuning
from supervise.db import is_postgres, promote_to_write

_LOCK = text("SELECT pg_advisory_xact_lock(:k)")


def series_head(kind: str, *, year: int | None = None, prefix: str | None = None) -> str:
    """The 文号 before its number: 代字 + series + 〔year〕 (浙政督通〔2026〕)."""
    code = tuning().doc_prefix if prefix is None else prefix
    return f"{code}{kind}〔{year or clock.today().year}〕"


def next_number(session: Session, head: str, *columns: Any) -> str:
    """Take the series' next 文号 in the caller's transaction, counting every table that numbers in it."""
    # Two writers must not both read n: SQLite's write lock serializes them; PostgreSQL queues them on an
    # advisory lock named by the series, held to commit (a unique column alone would fail the second).
    promote_to_write(session)
    if is_postgres(session):
        session.connection().execute(_LOCK, {"k": zlib.crc32(head.encode())})
    taken = sum(
        session.exec(select(func.count()).select_from(c.class_).where(col(c).startswith(head))).one() for c in columns
    )
    return f"{head}{taken + 1}号"
