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
from tests.test_result_attachments import recorded  # noqa: F401 - the fixture


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


def test_a_full_backup_brings_back_attachments_reports_anchors_and_the_witness(
    app: Any,
    client: Any,
    engine: Any,
    runner: Any,
    recorded: int,  # noqa: F811
    empty_database: str,
    tmp_path: Path,
) -> None:
    from tests.conftest import bearer, run_jobs
    from tests.test_result_attachments import PNG, _upload

    uploaded = _upload(app, client, recorded, [(PNG, "现场照片.png")])
    assert uploaded.status_code == 201, uploaded.get_json()
    digest = uploaded.get_json()["result"]["attachments"][0]["sha256"]
    asked = client.post(
        "/api/reports/accountability", json={"region": "330100", "period": "2026Q3"}, headers=bearer(app, "supervisor")
    )
    run_jobs(app)
    status = client.get(asked.get_json()["status_url"], headers=bearer(app, "supervisor")).get_json()
    report = status["result"]["report"]
    pdf = client.get(f"/api/reports/{report}.pdf", headers=bearer(app, "supervisor")).data
    assert pdf.startswith(b"%PDF-")
    archive = tmp_path / "supervise.backup"
    made = runner.invoke(["backup", "-o", str(archive)])
    assert made.exit_code == 0 and "实例文件" in made.output, made.output

    new_instance = tmp_path / "new"
    restored_app = create_app({"ENV": "testing", "DATABASE_URL": empty_database, "INSTANCE_PATH": new_instance})
    loaded = restored_app.test_cli_runner().invoke(main, ["restore", str(archive)])
    assert loaded.exit_code == 0 and "与锚点和见证文件一致" in loaded.output, loaded.output
    assert (new_instance / "audit-anchors.jsonl").exists() and (new_instance / "audit-witness.jsonl").exists()
    served = restored_app.test_client()
    got = served.get(f"/api/assignments/{recorded}/attachments/{digest}", headers=bearer(restored_app, "inspector"))
    assert got.status_code == 200 and got.data == PNG
    again = served.get(f"/api/reports/{report}.pdf", headers=bearer(restored_app, "supervisor"))
    assert again.status_code == 200 and again.data == pdf
    verified = restored_app.test_cli_runner().invoke(main, ["audit", "verify"])
    assert verified.exit_code == 0, verified.output
    restored_app.extensions["supervise.engine"].dispose()


def test_a_damaged_backup_is_refused_before_anything_is_restored(
    app: Any,
    client: Any,
    runner: Any,
    recorded: int,  # noqa: F811
    empty_database: str,
    tmp_path: Path,
) -> None:
    from tests.test_result_attachments import PNG, _upload

    assert _upload(app, client, recorded, [(PNG, "现场照片.png")]).status_code == 201
    archive = tmp_path / "supervise.backup"
    assert runner.invoke(["backup", "-o", str(archive)]).exit_code == 0
    data = bytearray(archive.read_bytes())
    at = data.index(PNG)
    data[at + 100] ^= 0xFF  # one byte of the photo, changed inside the archive
    damaged = tmp_path / "damaged.backup"
    damaged.write_bytes(bytes(data))
    restored_app = create_app({"ENV": "testing", "DATABASE_URL": empty_database, "INSTANCE_PATH": tmp_path / "n2"})
    out = restored_app.test_cli_runner().invoke(main, ["restore", str(damaged)])
    assert out.exit_code == 1 and "SHA-256 不符" in out.output and "instance/files/attachments/" in out.output
    with restored_app.extensions["supervise.engine"].connect() as conn:
        tables = conn.execute(text("SELECT count(*) FROM audit_log")).scalar_one() if _has_log(conn) else 0
    assert tables == 0 and not (tmp_path / "n2" / "files").exists()
    restored_app.extensions["supervise.engine"].dispose()


def _has_log(conn: Any) -> bool:
    from sqlalchemy import inspect

    return "audit_log" in inspect(conn).get_table_names()
