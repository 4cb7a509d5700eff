"""Time `supervise seed demo` (generate + bulk load) against a raw bulk load of the same rows.

Usage: .venv/bin/python bench/seed.py [--sizes 100000,1000000] [--backends sqlite,postgresql]
PostgreSQL: DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/postgres) names the server;
the bench creates and drops its own databases there. Prints one line per size and backend."""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from seeds.demo import ENTERPRISE_COLUMNS, LICENSE_COLUMNS, firm_rows, reference_rows, seed_demo
from seeds.generate import build_province, inspector_rows
from supervise.auth import hash_password
from supervise.bulk import bulk_insert, reset_sequences
from supervise.config import normalize_database_url
from supervise.db import make_engine, unit_of_work
from supervise.migrate import upgrade

SEED = 1


@contextmanager
def fresh_database(backend: str) -> Iterator[Engine]:
    """Yield an engine on a new, migrated, empty database, dropped afterwards."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            engine = make_engine(f"sqlite:///{tmp}/bench.db")
            upgrade(engine)
            yield engine
            engine.dispose()
        return
    server = make_url(
        normalize_database_url(os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"))
    )
    name = f"supervise_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(server.set(database=name).render_as_string(hide_password=False))
    try:
        upgrade(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def settle(engine: Engine) -> None:
    """Vacuum, analyze and checkpoint a fresh load, so that its write-back does not run during a measurement."""
    if engine.dialect.name != "postgresql":
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
        os.sync()  # SQLite's checkpointed pages would otherwise be written back by the kernel 30 s later
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
        # A bulk load leaves a spread checkpoint writing for minutes afterwards; finish it now.
        try:
            conn.execute(text("CHECKPOINT"))
        except DBAPIError as exc:  # needs superuser or pg_checkpoint
            print(f"note: no CHECKPOINT before measuring ({exc.orig})")
    os.sync()


def time_seed(backend: str, n: int) -> float:
    """Seconds for the real seeding path: generate, bulk load, commit."""
    with fresh_database(backend) as engine:
        t0 = time.perf_counter()
        with unit_of_work(engine) as session:
            seed_demo(session, entities=n, seed=SEED, password="bench-password")  # noqa: S106 - throwaway bench data
        return time.perf_counter() - t0


def prebuilt_rows(n: int) -> list[tuple[str, tuple[str, ...], list[tuple[Any, ...]]]]:
    """The same rows the seeding path writes, materialised in memory beforehand."""
    province = build_province(SEED)
    tables = reference_rows(province, inspector_rows(province, entities=n, seed=SEED), hash_password("bench-password"))
    firms: list[tuple[Any, ...]] = []
    licenses: list[tuple[Any, ...]] = []
    for ent, lics in firm_rows(province, entities=n, seed=SEED):
        firms.append(ent)
        licenses.extend(lics)
    return [*tables, ("enterprise", ENTERPRISE_COLUMNS, firms), ("license", LICENSE_COLUMNS, licenses)]


def time_raw(backend: str, tables: list[tuple[str, tuple[str, ...], list[tuple[Any, ...]]]]) -> float:
    """Seconds for COPY (PostgreSQL) / executemany (SQLite) of prebuilt rows, and commit: the floor."""
    with fresh_database(backend) as engine, unit_of_work(engine) as session:
        t0 = time.perf_counter()
        for table, columns, rows in tables:
            bulk_insert(session, table, columns, rows)
        reset_sequences(session, ("department", "user", "inspector", "enterprise", "license"))
        session.commit()
        return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    print(f"{'backend':<11} {'firms':>9} {'seed demo s':>12} {'raw load s':>11} {'ratio':>6}")
    for n in (int(x) for x in args.sizes.split(",")):
        tables = prebuilt_rows(n)
        for backend in args.backends.split(","):
            raw = time_raw(backend, tables)
            full = time_seed(backend, n)
            print(f"{backend:<11} {n:>9,} {full:>12.1f} {raw:>11.1f} {full / raw:>6.2f}", flush=True)


if __name__ == "__main__":
    main()
