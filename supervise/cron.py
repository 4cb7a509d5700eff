"""Daily jobs, enqueued once per day through the application's JSON-serialized queue.

RQ's own CronScheduler enqueues with the pickle serializer, which our JSON workers cannot read; this
is the small piece we need instead. A Redis SET NX key per job and day makes any number of cron
processes enqueue each job exactly once."""

from __future__ import annotations

import logging
import time
from datetime import datetime
from datetime import time as dtime

from flask import Flask

from supervise import clock
from supervise.queue import get_queue, recover_abandoned

log = logging.getLogger(__name__)

# job function, time of day (China Standard Time) from which it is due
DAILY_JOBS: tuple[tuple[str, dtime], ...] = (
    ("supervise.jobs.anchor_audit", dtime(0, 10)),
    ("credit.jobs.expire_lists", dtime(2, 0)),
    ("supervise.jobs.send_reminders", dtime(8, 0)),  # before the working day (本地设定)
)


def tick(app: Flask, now: datetime | None = None) -> list[str]:
    """Enqueue each daily job that is due today and not yet enqueued today; return their names."""
    now = (now or clock.beijing_now()).astimezone(clock.BEIJING)
    queue = get_queue(app)
    enqueued = []
    for func, at in DAILY_JOBS:
        if now.time() < at:
            continue
        key = f"supervise:cron:{queue.name}:{func}:{now.date().isoformat()}"
        if queue.connection.set(key, "1", nx=True, ex=3 * 86400):
            queue.enqueue(
                func,
                "system:cron",
                job_timeout=3600,
                description=f"daily {func}",
                meta={"owner_id": None, "progress": {"done": 0, "total": None}},
            )
            enqueued.append(func)
            log.info("enqueued daily job %s", func)
    return enqueued


def run_forever(app: Flask, interval: float = 60.0) -> None:
    """Tick every `interval` seconds until interrupted, recovering jobs whose worker died."""
    while True:
        tick(app)
        recover_abandoned(app)
        time.sleep(interval)
