"""Background jobs of the credit module (RQ: module-level, primitive arguments)."""

from __future__ import annotations

from typing import Any

from credit.feeds import expire_due
from supervise import audit
from supervise.jobs import job_unit_of_work, report_progress


def expire_lists(requested_by: str) -> dict[str, Any]:
    """Expire entries past their maximum period and end penalty displays that are due (idempotent, daily)."""
    with job_unit_of_work() as session:
        report_progress(0, 1, "expiring credit list entries")
        result = expire_due(session)
        audit.record(
            session,
            actor=requested_by,
            action="credit.expiry_run",
            object_type="list_entry",
            object_id="*",
            payload=result,
        )
        report_progress(1, 1, "done")
    return result
