"""Background jobs of the risk engine."""

from __future__ import annotations

from typing import Any

from rq import get_current_job

from credit.risk.services import score_all
from supervise.jobs import job_unit_of_work, release_exclusive, report_progress


def score_firms(requested_by: str) -> dict[str, Any]:
    """Score every firm and store the tiers; nothing is stored unless the whole run commits."""
    job = get_current_job()
    try:
        with job_unit_of_work() as session:
            run = score_all(session, actor=requested_by, job_id=job.id if job else None, progress=report_progress)
            result = {"run": run.id, "scored": run.scored, "changed": run.changed}
    finally:
        release_exclusive("risk:score")
    return result
