"""Background jobs of the inspections module (importable functions taking primitives)."""

from __future__ import annotations

import json
from typing import Any

from scheduling.services import build
from supervise.jobs import job_unit_of_work, release_exclusive, report_progress


def build_schedule(region: str, period: str, requested_by: str) -> dict[str, Any]:
    """Build the joint-inspection schedule of a region and period in one transaction."""
    with job_unit_of_work() as session:
        row = build(
            session,
            region=region,
            period=period,
            actor=requested_by,
            progress=lambda d, t: report_progress(d, t, "dating visits"),
        )
        summary: dict[str, Any] = json.loads(row.summary)
    report_progress(1, 1, "done")
    release_exclusive(f"schedule:{region}/{period}")
    return {"region": region, "period": period, "summary": summary}
