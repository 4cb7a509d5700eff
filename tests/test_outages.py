"""Outages: Redis or the database down gives 503 in Chinese, nothing half-written, and a one-line CLI error."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from sqlmodel import Session, func, select

from supervise import create_app
from supervise.models import AuditLog
from tests.conftest import bearer, free_port

DEAD_REDIS = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
DEAD_DATABASE = f"postgresql://postgres@127.0.0.1:{free_port()}/postgres"


def _audit_rows(engine: Any) -> int:
    with Session(engine) as session:
        return int(session.exec(select(func.count()).select_from(AuditLog)).one())


def test_with_redis_down_an_action_that_enqueues_answers_503_and_keeps_nothing(
    app: Any, migrated: str, instance_path: Path, province: Any
) -> None:
    down = create_app(
        {"ENV": "testing", "DATABASE_URL": migrated, "INSTANCE_PATH": instance_path, "REDIS_URL": DEAD_REDIS}
    )
    client = down.test_client()
    before = _audit_rows(app.extensions["supervise.engine"])
    headers = bearer(app, "supervisor")
    verify = client.post("/api/audit/verify", headers=headers)
    assert verify.status_code == 503 and verify.get_json()["message"].startswith("任务队列暂不可用")
    report = client.post("/api/reports/accountability", json={"region": "330100", "period": "2026Q3"}, headers=headers)
    assert report.status_code == 503 and report.get_json()["unavailable"] == "redis"
    assert _audit_rows(app.extensions["supervise.engine"]) == before  # no "requested" row for a job never queued
    health = client.get("/healthz")
    assert health.status_code == 503 and health.get_json()["redis"] == "unavailable"
    down.extensions["supervise.engine"].dispose()


def test_with_the_database_down_pages_and_api_answer_503_and_healthz_names_it(instance_path: Path) -> None:
    down = create_app({"ENV": "testing", "DATABASE_URL": DEAD_DATABASE, "INSTANCE_PATH": instance_path})
    client = down.test_client()
    page = client.get("/enterprises")
    assert page.status_code == 503 and "数据库暂不可用" in page.get_data(as_text=True)
    api = client.get("/api/enterprises")
    assert api.status_code == 503 and api.get_json()["unavailable"] == "database"
    health = client.get("/healthz")
    assert health.status_code == 503 and health.get_json()["database"] == "unavailable"


def test_with_the_database_down_the_command_line_prints_one_line_and_fails(tmp_path: Path) -> None:
    env = {**os.environ, "SUPERVISE_ENV": "testing", "DATABASE_URL": DEAD_DATABASE, "SUPERVISE_INSTANCE": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", "from supervise.entry import main; main()", "db", "upgrade"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("错误：数据库不可用"), done.stderr
