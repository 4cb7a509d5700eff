"""Mixed load against gunicorn on PostgreSQL: the public pages plus licensing checks with a token.

Builds the demo province (draws, results and credit lists included) in a fresh PostgreSQL database, serves
it with gunicorn on production settings and a real Redis, and drives it from a second process on loopback
at a fixed rate (open loop: latency counts from each request's scheduled time). About 70 % of requests are
public pages and public API reads (home, market entities and their search, draws, results, the credit
query), 30 % are `POST /api/credit/check` with a licensing system's bearer token. Prints throughput, p50,
p99 and errors overall and per kind; the target is 0 errors.
Usage: .venv/bin/python bench/load.py [--firms 50000] [--rate 100] [--seconds 60] [--workers 4]"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).parent))
from credit_check import gunicorn, pct  # noqa: E402 - bench/ is not a package
from machine import cpu_stalls, describe  # noqa: E402
from seed import fresh_database, settle  # noqa: E402

from seeds.demo import seed_demo  # noqa: E402
from supervise.auth import issue_token  # noqa: E402
from supervise.db import unit_of_work  # noqa: E402

BENCH_PASSWORD = "bench-only-password"  # noqa: S105 - a throwaway database dropped after the run
CHECK_SHARE = 0.3


def build(session, firms: int) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """Seed the province and return what the load generator needs: firms, names, draws and a token."""
    seed_demo(session, entities=firms, seed=5, password=BENCH_PASSWORD, with_inspections=True)
    rng = random.Random(5)
    rows = session.execute(text("SELECT uscc, name FROM enterprise ORDER BY id")).all()
    sample = rng.sample(rows, min(3000, len(rows)))
    draws = [r[0] for r in session.execute(text("SELECT public_id FROM draw")).all()]
    user = session.execute(text("SELECT id FROM \"user\" WHERE username = 'licensing'")).scalar_one()
    _row, token = issue_token(session, user_id=user, name="bench")
    return {"usccs": [u for u, _n in sample], "names": [n[2:6] for _u, n in sample], "draws": draws, "token": token}


def requests_for(data: dict[str, object], total: int) -> list[tuple[str, str, str, str | None]]:
    """The mixed request list: (kind, method, path, JSON body)."""
    rng = random.Random(7)
    usccs, names, draws = data["usccs"], data["names"], data["draws"]
    assert isinstance(usccs, list) and isinstance(names, list) and isinstance(draws, list)
    from urllib.parse import quote

    public = [
        lambda: ("page", "GET", "/", None),
        lambda: ("page", "GET", f"/enterprises?q={quote(rng.choice(names))}", None),
        lambda: ("page", "GET", f"/enterprises?page={rng.randint(1, 50)}", None),
        lambda: ("page", "GET", "/public/draws", None),
        lambda: ("page", "GET", f"/public/draws/{rng.choice(draws)}", None),
        lambda: ("page", "GET", "/public/results", None),
        lambda: ("page", "GET", f"/credit?q={quote(rng.choice(names))}", None),
        lambda: ("api", "GET", f"/api/enterprises/{rng.choice(usccs)}", None),
    ]
    out = []
    for _ in range(total):
        if rng.random() < CHECK_SHARE:
            body = json.dumps({"uscc": rng.choice(usccs), "matter": "SCJG-SPJY"})
            out.append(("check", "POST", "/api/credit/check", body))
        else:
            out.append(rng.choice(public)())
    return out


def drive(port: int, token: str, plan: list[tuple[str, str, str, str | None]], rate: int) -> dict[str, object]:
    """Open-loop load: request i is due at i/rate seconds; latency counts from that due time."""
    lock = threading.Lock()
    latencies: dict[str, list[float]] = {}
    errors: dict[str, list[str]] = {}
    start = time.perf_counter() + 0.5
    counter = iter(range(len(plan)))
    local = threading.local()

    def worker() -> None:
        for i in counter:
            kind, method, path, body = plan[i]
            due = start + i / rate
            pause = due - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
            if not hasattr(local, "conn"):
                local.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"} if body else {}
            problem = None
            try:
                local.conn.request(method, path, body, headers)
                resp = local.conn.getresponse()
                resp.read()
                if resp.status >= 400:
                    problem = f"{resp.status} {method} {path}"
            except OSError as exc:
                local.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                problem = f"{type(exc).__name__} {method} {path}"
            with lock:
                latencies.setdefault(kind, []).append((time.perf_counter() - due) * 1000)
                if problem:
                    errors.setdefault(kind, []).append(problem)

    threads = [threading.Thread(target=worker) for _ in range(64)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    every = [x for v in latencies.values() for x in v]
    return {
        "requests": len(every),
        "seconds": elapsed,
        "errors": sum(len(v) for v in errors.values()),
        "p50": pct(every, 0.5),
        "p99": pct(every, 0.99),
        "kinds": {
            k: {"n": len(v), "p50": pct(v, 0.5), "p99": pct(v, 0.99), "errors": len(errors.get(k, []))}
            for k, v in latencies.items()
        },
        "first_errors": [e for v in errors.values() for e in v][:10],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--firms", type=int, default=50_000)
    parser.add_argument("--rate", type=int, default=100)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--drive", nargs=3, metavar=("PORT", "TOKEN", "PLAN"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.drive:  # the load generator's own process
        port, token, path = args.drive
        plan = [tuple(x) for x in json.loads(Path(path).read_text())]
        drive(int(port), token, plan[: args.rate * 5], args.rate)  # warm-up: every worker loaded
        print(json.dumps(drive(int(port), token, plan, args.rate)))  # type: ignore[arg-type]
        return
    with fresh_database("postgresql") as engine:
        t0 = time.perf_counter()
        with unit_of_work(engine) as session:
            data = build(session, args.firms)
        settle(engine)
        print(f"built a province of {args.firms:,} firms in {time.perf_counter() - t0:.0f} s")
        plan = requests_for(data, args.rate * args.seconds)
        env = {
            **os.environ,
            "DATABASE_URL": engine.url.render_as_string(hide_password=False),
            "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/14"),
            "SUPERVISE_ENV": "production",
            "SUPERVISE_SECRET_KEY": secrets.token_hex(32),
            "SUPERVISE_INSTANCE": tempfile.mkdtemp(prefix="supervise-load-"),
        }
        stalls = cpu_stalls()
        port = 5097
        with gunicorn("supervise:create_app()", env, port=port, workers=args.workers):
            with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
                json.dump(plan, fh)
            out = subprocess.run(
                [sys.executable, __file__, "--rate", str(args.rate), "--seconds", str(args.seconds), "--drive",
                 str(port), str(data["token"]), fh.name],
                capture_output=True, text=True, check=True,
            )  # fmt: skip
            Path(fh.name).unlink()
        result = json.loads(out.stdout.strip().splitlines()[-1])
        print(describe(stalls))
        print(
            f"mixed load at {args.rate}/s for {args.seconds} s ({args.workers} gunicorn workers, PostgreSQL): "
            f"{result['requests']} requests in {result['seconds']:.1f} s "
            f"({result['requests'] / result['seconds']:.1f} req/s), {result['errors']} errors, "
            f"p50 {result['p50']:.1f} ms, p99 {result['p99']:.1f} ms   (target: 0 errors)"
        )
        for kind, k in sorted(result["kinds"].items()):
            line = f"  {kind:<6} {k['n']:>6} requests  p50 {k['p50']:7.1f} ms  p99 {k['p99']:7.1f} ms"
            print(f"{line}  {k['errors']} errors")
        for e in result["first_errors"]:
            print(f"  error: {e}")


if __name__ == "__main__":
    main()
