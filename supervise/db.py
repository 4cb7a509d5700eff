"""Engine construction and the unit of work: one transaction per request, job or CLI command,
with side effects (such as enqueueing jobs) run only after it commits."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url
from sqlmodel import Session, create_engine

log = logging.getLogger(__name__)
T = TypeVar("T")

AFTER_COMMIT = "supervise.after_commit"
WRITE_OPTION = "supervise_write"


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets WAL, foreign keys and a busy timeout."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None  # the driver stops opening transactions itself: _sqlite_begin does
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Any) -> None:
            # A unit of work that writes takes SQLite's write lock when it starts (BEGIN IMMEDIATE). Concurrent
            # writers then queue on the busy timeout and each sees the others' committed state, instead of
            # failing with "database is locked" when a stale read snapshot tries to become a write.
            immediate = conn.get_execution_options().get(WRITE_OPTION)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)


def is_postgres(engine_or_session: Engine | Session) -> bool:
    """Return True when the bound database is PostgreSQL."""
    bind = engine_or_session.get_bind() if isinstance(engine_or_session, Session) else engine_or_session
    return bind.dialect.name == "postgresql"


def after_commit(session: Session, callback: Callable[[], Any]) -> None:
    """Run callback once the session's transaction has committed (never on rollback)."""
    session.info.setdefault(AFTER_COMMIT, []).append(callback)


def commit(session: Session) -> None:
    """Commit the session, then run its after-commit callbacks."""
    session.commit()
    callbacks = session.info.pop(AFTER_COMMIT, [])
    for callback in callbacks:
        try:
            callback()
        except Exception:  # the transaction stands; a lost side effect (Redis gone since its check) is logged
            log.exception("a step after commit failed")


def rollback(session: Session) -> None:
    """Roll back and forget pending after-commit callbacks."""
    session.rollback()
    session.info.pop(AFTER_COMMIT, None)
    session.info.pop("supervise.audit_head", None)  # supervise.witness: nothing of this transaction is witnessed


def write_session(engine: Engine) -> Session:
    """A session whose transaction may write: on SQLite it holds the write lock from its first statement."""
    session = Session(engine, expire_on_commit=False)
    session.connection(execution_options={WRITE_OPTION: True})
    session.info[WRITE_OPTION] = True
    return session


def promote_to_write(session: Session) -> None:
    """Let a reading session write from here on (a download that records its print in the audit log).

    On SQLite a read transaction cannot become a write once another writer has committed since it began (its
    snapshot is stale: SQLITE_BUSY at once, whatever the busy timeout). So the read transaction, which has
    written nothing, ends here and a short write transaction begins, queueing on the write lock. PostgreSQL
    needs nothing."""
    if session.info.get(WRITE_OPTION) or session.get_bind().dialect.name != "sqlite":
        return
    if session.new or session.dirty or session.deleted:  # a half-built change must stay in one transaction
        return
    session.commit()  # ends the read transaction (nothing pending: writes nothing; keeps loaded objects)
    session.connection(execution_options={WRITE_OPTION: True})
    session.info[WRITE_OPTION] = True


def locked(session: Session, model: type[T], ident: Any) -> T | None:
    """Load a row and lock it for the rest of the transaction (FOR UPDATE; SQLite's write lock covers it)."""
    return session.get(model, ident, with_for_update=True, populate_existing=True)


def lock_rows(statement: Any) -> Any:
    """Make a SELECT lock the rows it returns and reload them from the database."""
    return statement.with_for_update().execution_options(populate_existing=True)


@contextmanager
def unit_of_work(engine: Engine) -> Iterator[Session]:
    """Yield a session that commits once on success and rolls back on any error."""
    session = write_session(engine)
    try:
        yield session
        commit(session)
    except BaseException:
        rollback(session)
        raise
    finally:
        session.close()
