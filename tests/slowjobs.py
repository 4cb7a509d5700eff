"""A job for the worker-recovery test: it writes, then waits to be killed on its first attempt."""

from __future__ import annotations

import time
from pathlib import Path

from supervise import audit
from supervise.jobs import job_unit_of_work


def write_then_wait(folder: str) -> int:
    """Record an audit row; on the first attempt, say so and wait (to be killed) before committing."""
    attempts = Path(folder) / "attempts"
    attempt = int(attempts.read_text()) + 1 if attempts.exists() else 1
    attempts.write_text(str(attempt))
    with job_unit_of_work() as session:
        audit.record(session, actor="test", action="test.slow_job", object_type="attempt", object_id=attempt)
        if attempt == 1:
            (Path(folder) / "running").write_text("written, not committed")
            time.sleep(600)
    return attempt
