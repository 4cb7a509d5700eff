from typing import Any

from sqlmodel import Session, select

from supervise.db import unit_of_work
from supervise.models import AuditLog
from supervise.queue import enqueue_after_commit, get_queue
from tests.conftest import bearer, run_jobs


def test_job_started_by_request_runs_on_worker_with_visible_progress(app: Any, client: Any, users: Any) -> None:
    headers = bearer(app, "supervisor")
    resp = client.post("/api/audit/verify", headers=headers)
    assert resp.status_code == 202
    job_url = resp.get_json()["status_url"]
    queued = client.get(job_url, headers=headers).get_json()
    assert queued["status"] == "queued"
    run_jobs(app)
    done = client.get(job_url, headers=headers).get_json()
    assert done["status"] == "finished"
    assert done["result"]["ok"] is True
    assert done["result"]["rows_checked"] >= 1
    assert done["progress"]["done"] == done["progress"]["total"] == done["result"]["rows_checked"]
    with Session(app.extensions["supervise.engine"]) as session:
        actions = session.exec(select(AuditLog.action).order_by(AuditLog.id)).all()  # type: ignore[arg-type]
    assert actions[-2:] == ["audit.verify_requested", "audit.verified"]


def test_another_users_job_is_not_visible(app: Any, client: Any, users: Any) -> None:
    job_id = client.post("/api/audit/verify", headers=bearer(app, "supervisor")).get_json()["job_id"]
    assert client.get(f"/api/jobs/{job_id}", headers=bearer(app, "credit")).status_code == 404
    assert client.get(f"/api/jobs/{job_id}", headers=bearer(app, "admin")).status_code == 200


class RequestFailed(Exception):
    pass


def test_jobs_are_enqueued_only_after_commit(app: Any) -> None:
    queue = get_queue(app)
    with app.app_context():
        try:
            with unit_of_work(app.extensions["supervise.engine"]) as session:
                enqueue_after_commit(session, "supervise.jobs.verify_audit_chain", "test")
                assert queue.count == 0
                raise RequestFailed
        except RequestFailed:
            pass
        assert queue.count == 0
        with unit_of_work(app.extensions["supervise.engine"]) as session:
            enqueue_after_commit(session, "supervise.jobs.verify_audit_chain", "test")
            assert queue.count == 0
        assert queue.count == 1


def test_cli_worker_runs_queued_jobs_in_burst_mode(app: Any, client: Any, users: Any, runner: Any) -> None:
    headers = bearer(app, "admin")
    job_url = client.post("/api/audit/verify", headers=headers).get_json()["status_url"]
    result = runner.invoke(args=["worker", "--burst"])
    assert result.exit_code == 0, result.output
    assert client.get(job_url, headers=headers).get_json()["status"] == "finished"
