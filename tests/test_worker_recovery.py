"""A worker killed with SIGKILL mid-job: the job is retried (or failed) once its heartbeat lapses, and the
killed attempt leaves no rows behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from rq import Retry
from rq.job import Job, JobStatus
from rq.serializers import JSONSerializer
from sqlmodel import Session, select

from supervise.config import tuning
from supervise.models import AuditLog
from supervise.queue import (
    RQ_HEARTBEAT_GRACE,
    get_queue,
    make_worker,
    recover_abandoned,
    redis_time,
)
from tests.conftest import run_jobs

ROOT = Path(__file__).resolve().parent.parent


def test_workers_give_up_on_a_dead_job_within_two_minutes(app: Any) -> None:
    worker = make_worker(app)
    t = app.extensions["supervise.settings"].tuning
    assert (worker.job_monitoring_interval, worker.maintenance_interval) == (t.job_heartbeat, t.job_sweep)
    assert t.job_heartbeat + RQ_HEARTBEAT_GRACE + t.job_sweep <= 120


def test_a_job_whose_worker_is_killed_is_retried_and_leaves_no_partial_rows(
    app: Any, migrated: str, instance_path: Path, engine: Any, tmp_path: Path
) -> None:
    queue = get_queue(app)
    job = queue.enqueue("tests.slowjobs.write_then_wait", str(tmp_path), retry=Retry(max=1), job_timeout=900)
    env = {
        **os.environ,
        "SUPERVISE_ENV": "testing",
        "DATABASE_URL": migrated,
        "SUPERVISE_INSTANCE": str(instance_path),
        "SUPERVISE_QUEUE": queue.name,
        "PYTHONPATH": str(ROOT),
    }
    worker = subprocess.Popen(
        [sys.executable, "-c", "from supervise.entry import main; main()", "worker"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # the worker and its work horse share one process group
    )
    try:
        deadline = time.monotonic() + 60
        while not (tmp_path / "running").exists():
            assert worker.poll() is None, "the worker stopped before running the job"
            assert time.monotonic() < deadline, "the worker never started the job"
            time.sleep(0.1)
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    fetched = Job.fetch(job.id, connection=queue.connection, serializer=JSONSerializer)
    assert fetched.get_status() == JobStatus.STARTED  # nobody has noticed yet
    assert recover_abandoned(app) == []  # its heartbeat has not lapsed yet
    # As the sweep sees it once the heartbeat has lapsed (no test waits the real minute and a half):
    lapse = redis_time(queue.connection) + tuning().job_heartbeat + RQ_HEARTBEAT_GRACE + 1
    assert recover_abandoned(app, at=lapse) == [job.id]
    assert fetched.get_status(refresh=True) == JobStatus.QUEUED  # retried, one retry left before
    with Session(engine) as session:
        assert session.exec(select(AuditLog).where(AuditLog.action == "test.slow_job")).all() == []
    run_jobs(app)
    assert fetched.get_status(refresh=True) == JobStatus.FINISHED and fetched.return_value() == 2
    with Session(engine) as session:
        rows = session.exec(select(AuditLog.object_id).where(AuditLog.action == "test.slow_job")).all()
    assert rows == ["2"]  # the killed attempt's row was never committed
