"""Consistent online backups and restores of either backend: SQLite's backup API, PostgreSQL's pg_dump.

These are the database halves; `supervise backup` wraps them with the instance folder's files in one archive
(supervise/backup_archive.py). A restore goes only into an empty database, then the audit chain is verified."""

from __future__ import annotations

import logging
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import make_url

log = logging.getLogger(__name__)
SQLITE_MAGIC, PG_MAGIC = b"SQLite format 3\x00", b"PGDMP"
DATA_TABLES = ("audit_log", "region", "enterprise", "user")  # any row in these means the database is in use


class BackupError(RuntimeError):
    """A backup or restore that cannot be done; the message says why, in Chinese."""


def _libpq_url(engine: Engine) -> str:
    return make_url(engine.url).set(drivername="postgresql").render_as_string(hide_password=False)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"找不到 {name}：请安装与服务器版本相同的 PostgreSQL 客户端（Debian：postgresql-client）")
    return path


def backup(engine: Engine, target: Path) -> int:
    """Write a consistent copy of the running database to `target`; return its size in bytes."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    if engine.dialect.name == "sqlite":
        source = sqlite3.connect(str(engine.url.database))
        try:
            copy = sqlite3.connect(str(partial))
            with copy:
                source.backup(copy)  # pages copied under a read transaction: one consistent snapshot
            copy.close()
        finally:
            source.close()
    else:
        done = subprocess.run(
            [_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(partial), _libpq_url(engine)],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            partial.unlink(missing_ok=True)
            raise BackupError(f"pg_dump 失败：{done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ''}")
    partial.replace(target)  # a failed backup never leaves a half-written file under the real name
    return target.stat().st_size


def _in_use(engine: Engine) -> bool:
    tables = set(inspect(engine).get_table_names())
    with engine.connect() as conn:
        for table in DATA_TABLES:
            if table in tables and conn.execute(text(f'SELECT 1 FROM "{table}" LIMIT 1')).first():  # noqa: S608
                return True
    return False


def restore(engine: Engine, source: Path) -> None:
    """Load a backup into this (empty) database."""
    with source.open("rb") as f:
        head = f.read(16)
    kind = "sqlite" if head.startswith(SQLITE_MAGIC) else "postgresql" if head.startswith(PG_MAGIC) else None
    if kind is None:
        raise BackupError(f"{source} 不是 supervise 的备份文件（既不是 SQLite 数据库也不是 pg_dump 自定义格式）")
    backend = engine.dialect.name
    if kind != backend:
        names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
        raise BackupError(f"备份来自 {names[kind]}，当前数据库为 {names[backend]}，不能直接恢复")
    if _in_use(engine):
        raise BackupError("目标数据库已有数据：只能恢复到空数据库（新的实例或新建的空库）")
    engine.dispose()
    if backend == "sqlite":
        src = sqlite3.connect(str(source))
        try:
            dst = sqlite3.connect(str(engine.url.database))
            with dst:
                src.backup(dst)
            dst.close()
        finally:
            src.close()
        return
    done = subprocess.run(
        [
            _tool("pg_restore"),
            "--no-owner",
            "--clean",
            "--if-exists",
            "--exit-on-error",
            "--single-transaction",
            "--dbname",
            _libpq_url(engine),
            str(source),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines()
        raise BackupError(f"pg_restore 失败：{lines[-1] if lines else ''}")
