"""supervise backup / restore: a consistent copy of the running database, loaded into an empty instance,
with the audit chain verified; the round trip is run on the backend of the run (SQLite or PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from supervise import create_app
from supervise.cli import main
from tests.conftest import scratch_database
from tests.drawkit import add_firms, ceremony, make_task


@pytest.fixture
def empty_database(migrated: str, tmp_path: Path) -> Iterator[str]:
    """A second, empty database on the same backend."""
    if make_url(migrated).get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.db'}"
        return
    with scratch_database(migrated, "supervise_restore") as url:
        yield url


def _facts(engine: Any) -> tuple[Any, ...]:
    with engine.connect() as conn:
        return (
            conn.execute(text("SELECT count(*) FROM enterprise")).scalar_one(),
            conn.execute(text("SELECT count(*) FROM audit_log")).scalar_one(),
            conn.execute(text("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1")).scalar_one(),
            conn.execute(text("SELECT count(*) FROM draw_target")).scalar_one(),
        )


def test_backup_and_restore_round_trip_keeps_the_audit_chain(
    app: Any, province: Any, engine: Any, runner: Any, empty_database: str, tmp_path: Path
) -> None:
    add_firms(engine, 20)
    make_task(engine, "T1")
    ceremony(engine, "T1")  # a draw, which also anchors the audit chain
    file = tmp_path / "supervise.backup"
    made = runner.invoke(["backup", "-o", str(file)])
    assert made.exit_code == 0 and "已备份到" in made.output, made.output
    restored_app = create_app({"ENV": "testing", "DATABASE_URL": empty_database, "INSTANCE_PATH": tmp_path / "new"})
    cli = restored_app.test_cli_runner()
    loaded = cli.invoke(main, ["restore", str(file)])
    assert loaded.exit_code == 0 and "审计链完整" in loaded.output, loaded.output
    restored = restored_app.extensions["supervise.engine"]
    assert _facts(restored) == _facts(engine)
    again = cli.invoke(main, ["restore", str(file)])  # never over data
    assert again.exit_code == 1 and "只能恢复到空数据库" in again.output
    verified = cli.invoke(main, ["audit", "verify"])
    assert verified.exit_code == 0 and "与锚点" in verified.output, verified.output
    restored.dispose()


def test_restore_refuses_a_file_that_is_not_a_backup(app: Any, runner: Any, tmp_path: Path) -> None:
    junk = tmp_path / "notes.txt"
    junk.write_text("hello", encoding="utf-8")
    out = runner.invoke(["restore", str(junk)])
    assert out.exit_code == 1 and "不是 supervise 的备份文件" in out.output
