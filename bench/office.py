"""A county office on the embedded default: N people at once, mixing pages, audited prints and decisions.

Builds the demo in a throwaway instance folder (SQLite + embedded Redis, nothing else), serves it with the
README's gunicorn (2 workers), and drives it from N threads on loopback for S seconds: each person in turn opens
a page (the entries list, the firms, the published results, the review queue), prints an audited paper (an
officer's 信用报告) or takes a decision (a licensing check, recorded and audited). Prints one JSON object:
requests, errors by status, and p50/p99 milliseconds per kind.
Usage: .venv/bin/python bench/office.py [--users 10] [--seconds 60] [--entities 3000]"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# A credit officer's pages, prints and a licensing window's decisions.
PAGES = (
    "/credit/entries",
    "/enterprises",
    "/public/results",
    "/public/draws",
    "/credit",
    "/",
)  # a credit officer's day
WHO = {"page": "credit", "print": "credit", "decide": "licensing"}


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1) if ordered else 0.0


def supervise(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", "from supervise.entry import main; main()", *args],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def request(port: int, method: str, path: str, token: str, body: bytes | None = None) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Authorization": f"Bearer {token}"}
    if body is not None:
        headers["Content-Type"] = "application/json"
    try:
        conn.request(method, path, body=body, headers=headers)
        resp = conn.getresponse()
        resp.read()
        return resp.status
    finally:
        conn.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--entities", type=int, default=3000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as instance:
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")} | {
            "SUPERVISE_ENV": "development",
            "SUPERVISE_INSTANCE": instance,
        }
        supervise(env, "db", "upgrade")
        supervise(env, "seed", "demo", "--entities", str(args.entities), "--seed", "2026")
        tokens = {u: supervise(env, "token", "create", "--username", u, "--name", "bench").strip().splitlines()[-1]
                  for u in set(WHO.values())}  # fmt: skip
        firms = json.loads(
            subprocess.run([sys.executable, "-c", _FIRMS], env=env, capture_output=True, text=True, check=True).stdout
        )
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "2",
             "supervise:create_app()"],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            for _ in range(300):
                try:
                    if request(port, "GET", "/healthz", tokens["credit"]) == 200:
                        break
                except OSError:
                    pass
                time.sleep(0.1)
            statuses: Counter[int] = Counter()
            times: dict[str, list[float]] = defaultdict(list)
            lock = threading.Lock()
            stop = time.monotonic() + args.seconds

            def person(n: int) -> None:
                rng = random.Random(n)
                while time.monotonic() < stop:
                    kind = rng.choice(("page", "page", "print", "decide"))
                    if kind == "page":
                        method, path, body = "GET", rng.choice(PAGES), None
                    elif kind == "print":
                        method, path, body = "GET", f"/credit/report/{rng.choice(firms)}.pdf", None
                    else:
                        method, path = "POST", "/api/credit/check"
                        body = json.dumps({"uscc": rng.choice(firms), "matter": "SCJG-SPJY"}).encode()
                    began = time.perf_counter()
                    try:
                        status = request(port, method, path, tokens[WHO[kind]], body)
                    except OSError:
                        status = 0
                    with lock:
                        statuses[status] += 1
                        times[kind].append((time.perf_counter() - began) * 1000)

            people = [threading.Thread(target=person, args=(n,)) for n in range(args.users)]
            for p in people:
                p.start()
            for p in people:
                p.join()
        finally:
            server.terminate()
            server.wait(timeout=30)
    errors = {str(k): v for k, v in statuses.items() if k != 200}
    print(
        json.dumps(
            {
                "backend": "sqlite (embedded default)",
                "users": args.users,
                "seconds": args.seconds,
                "requests": sum(statuses.values()),
                "errors": sum(errors.values()),
                "errors_by_status": errors,
                "ms": {k: {"n": len(v), "p50": pct(v, 0.5), "p99": pct(v, 0.99)} for k, v in sorted(times.items())},
            },
            ensure_ascii=False,
        )
    )


_FIRMS = """
import json
from sqlmodel import Session, select
from supervise import create_app
from supervise.models import Enterprise
app = create_app()
with Session(app.extensions["supervise.engine"]) as s:
    print(json.dumps(list(s.exec(select(Enterprise.uscc).where(Enterprise.region_code == "330102").limit(200)).all())))
"""

if __name__ == "__main__":
    main()
