"""Shell-level background jobs and the helpers every job uses (app context, progress)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask, current_app, has_app_context
from rq import get_current_job
from sqlmodel import Session

from supervise import audit
from supervise.anchors import check_latest_anchor, fix_anchor
from supervise.db import unit_of_work
from supervise.queue import enqueue_after_commit

log = logging.getLogger(__name__)


def job_app() -> Flask:
    """Return the app to run a job in: the worker's, or a fresh one from the environment."""
    if has_app_context():
        return current_app._get_current_object()  # type: ignore[attr-defined]
    from supervise import create_app

    return create_app()


@contextmanager
def job_unit_of_work() -> Iterator[Session]:
    """Run the body of a job as one transaction inside an application context."""
    app = job_app()
    with app.app_context(), unit_of_work(app.extensions["supervise.engine"]) as session:
        yield session


def anchor_audit(requested_by: str) -> dict[str, Any]:
    """Fix the daily anchor of the audit chain."""
    with job_unit_of_work() as session:
        anchor = fix_anchor(session, source="每日锚定", actor=requested_by)
    return anchor.as_json()


def release_exclusive(name: str) -> None:
    """Let the next request for `name` start a new job (this one is done)."""
    from supervise.queue import release

    job = get_current_job()
    if job is not None:
        release(name, job_id=job.id, app=job_app())


def report_progress(done: int, total: int | None, message: str = "") -> None:
    """Store progress on the running job so the status endpoint can show it."""
    job = get_current_job()
    if job is None:
        return
    job.meta["progress"] = {"done": done, "total": total, "message": message}
    job.save_meta()


def verify_audit_chain(requested_by: str) -> dict[str, Any]:
    """Verify the whole audit chain and record the outcome in the audit log."""
    with job_unit_of_work() as session:
        checked, problem = audit.verify(session, progress=lambda d, t: report_progress(d, t, "verifying audit chain"))
        _anchor, missing = check_latest_anchor(session)
        result = {
            "ok": problem is None and missing is None,
            "rows_checked": checked,
            "first_broken_row": problem.row_id if problem else None,
            "reason": problem.reason if problem else missing,
        }
        audit.record(
            session,
            actor=requested_by,
            action="audit.verified",
            object_type="audit_log",
            object_id="chain",
            payload=result,
        )
    return result


def request_audit_verification(session: Session, *, actor: str, owner_id: int | None) -> str:
    """Start a background walk of the audit chain, audited; return the job id."""
    job_id = enqueue_after_commit(
        session, "supervise.jobs.verify_audit_chain", actor, owner_id=owner_id, description="verify audit chain"
    )
    audit.record(session, actor=actor, action="audit.verify_requested", object_type="job", object_id=job_id)
    return job_id


def send_reminders(requested_by: str) -> dict[str, Any]:
    """Write today's reminders, deliver them to the inboxes, then post them to the webhook (after the commit)."""
    from supervise import clock
    from supervise.config import tuning
    from supervise.reminders import claim_posts, deliver, post, queue_reminders, record_posts

    job_app()  # installs the application's settings
    url = tuning().reminder_webhook
    report_progress(0, 3, "writing reminders")
    with job_unit_of_work() as session:
        made = queue_reminders(session, today=clock.today(), webhook=bool(url))
        delivered = deliver(session)
        claimed = claim_posts(session) if url else []
        result: dict[str, Any] = {"queued": made, "delivered": delivered, "posted": 0, "post_failed": 0}
        audit.record(session, actor=requested_by, action="reminders.sent", object_type="outbox", object_id="*",
                     payload={"queued": made, "delivered": delivered, "claimed": len(claimed)})  # fmt: skip
    report_progress(1, 3, "posting to the webhook")
    if claimed:
        outcomes = post(url, claimed)  # no transaction is open while the platform answers
        with job_unit_of_work() as session:
            counts = record_posts(session, outcomes)
        result |= {"posted": counts["sent"], "post_failed": counts["failed"]}
    report_progress(3, 3, "done")
    return result
