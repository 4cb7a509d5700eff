from datetime import datetime
from typing import Any

from supervise import clock
from supervise.cron import tick
from supervise.queue import get_queue
from tests.conftest import run_jobs


def test_daily_job_is_enqueued_once_per_day_and_runs(app: Any, province: Any) -> None:
    queue = get_queue(app)
    assert tick(app, datetime(2026, 11, 25, 0, 5, tzinfo=clock.BEIJING)) == []  # before 00:10
    assert tick(app, datetime(2026, 11, 25, 1, 0, tzinfo=clock.BEIJING)) == ["supervise.jobs.anchor_audit"]
    assert tick(app, datetime(2026, 11, 25, 2, 1, tzinfo=clock.BEIJING)) == ["credit.jobs.expire_lists"]
    assert tick(app, datetime(2026, 11, 25, 8, 0, tzinfo=clock.BEIJING)) == ["supervise.jobs.send_reminders"]
    assert tick(app, datetime(2026, 11, 25, 23, 0, tzinfo=clock.BEIJING)) == []
    assert queue.count == 3
    run_jobs(app)
    assert queue.count == 0
    assert tick(app, datetime(2026, 11, 26, 2, 0, tzinfo=clock.BEIJING)) == [
        "supervise.jobs.anchor_audit",
        "credit.jobs.expire_lists",
    ]
