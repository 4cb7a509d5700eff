"""Background jobs of the reports module."""

from __future__ import annotations

from typing import Any

from rq import get_current_job

from reports.services import generate
from supervise.jobs import job_unit_of_work, release_exclusive, report_progress


def generate_accountability(region: str, period: str, requested_by: str) -> dict[str, Any]:
    """Generate and archive an accountability report; nothing is archived unless the whole job commits."""
    job = get_current_job()
    with job_unit_of_work() as session:
        row = generate(
            session,
            region=region,
            period=period,
            actor=requested_by,
            job_id=job.id if job else None,
            progress=report_progress,
        )
        result = {"report": row.public_id, "doc_number": row.doc_number, "sha256": row.sha256, "pages": row.pages}
    report_progress(3, 3, "done")
    release_exclusive(f"report:{region}/{period}")
    return result
