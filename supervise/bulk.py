"""Bulk loading inside the caller's transaction: COPY on PostgreSQL, executemany on SQLite."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import text
from sqlmodel import Session


def bulk_insert(session: Session, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert rows (tuples in column order) in bulk and return how many were written."""
    connection = session.connection()
    raw = connection.connection.driver_connection
    count = 0
    if connection.dialect.name == "postgresql":
        cols = ", ".join(f'"{c}"' for c in columns)
        with raw.cursor() as cur, cur.copy(f'COPY "{table}" ({cols}) FROM STDIN') as copy:  # type: ignore[union-attr]
            for row in rows:
                copy.write_row(row)
                count += 1
        return count
    placeholders = ", ".join("?" for _ in columns)
    cols = ", ".join(f'"{c}"' for c in columns)
    sql = f'INSERT INTO "{table}" ({cols}) VALUES ({placeholders})'  # noqa: S608 - our own identifiers
    cur = raw.cursor()  # type: ignore[union-attr]
    batch: list[Sequence[Any]] = []
    for row in rows:
        batch.append(tuple(_sqlite_value(v) for v in row))
        if len(batch) >= 10_000:
            cur.executemany(sql, batch)
            count += len(batch)
            batch.clear()
    if batch:
        cur.executemany(sql, batch)
        count += len(batch)
    cur.close()
    return count


def reset_sequences(session: Session, tables: Sequence[str]) -> None:
    """After loading explicit ids on PostgreSQL, move each id sequence past the largest id."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in tables:
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "  # noqa: S608 - table names are ours
                f'COALESCE((SELECT MAX(id) FROM "{table}"), 0) + 1, false)'
            )
        )


def _sqlite_value(value: Any) -> Any:
    # Write dates and times in SQLAlchemy's own SQLite text formats, so ORM reads parse them.
    if isinstance(value, datetime):
        naive = value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
        return naive.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    return value
