"""Load-test `POST /api/credit/check` on PostgreSQL behind gunicorn at a fixed request rate.

Builds a province of 1,000,000 firms with 100,000 list entries and 20,000 related-party links (firms made to
share a legal representative with a listed firm), starts gunicorn on the real production settings with a real
Redis, and drives it from a second process on loopback at 200 requests/s for 30 s (open loop: latency is
measured from each request's scheduled send time, so a stall cannot hide queued requests). Prints p50/p99
latency and errors next to two floors: a raw SQL lookup of the same firms' entries, and a no-op WSGI app
(bench/noop_wsgi.py) behind the same gunicorn driven the same way. It also probes the machine for periods in
which the CPU runs far below its usual speed: these set the tail for everything run here.
Usage: .venv/bin/python bench/credit_check.py [--firms 1000000] [--rate 200] [--seconds 30] [--workers 4]"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).parent))
from machine import cpu_stalls, describe  # noqa: E402 - bench/ is not a package
from seed import fresh_database, settle  # noqa: E402

from seeds.demo import seed_demo  # noqa: E402
from supervise.auth import issue_token  # noqa: E402
from supervise.bulk import bulk_insert, reset_sequences  # noqa: E402
from supervise.db import unit_of_work  # noqa: E402

LIST_TYPES = ("BLACK", "ABNORMAL", "RED_TAX", "RED_CONTRACT")
ENTRY_COLUMNS = (
    "id", "enterprise_id", "list_type", "state", "reason", "legal_basis", "department_id", "evidence",
    "public_summary", "found_on", "decision_due", "proposed_at", "statement_received", "listed_on",
    "decision_number", "repair_commitment",
)  # fmt: skip
BENCH_PASSWORD = "bench-only"  # noqa: S105 - a throwaway database dropped after the run


def pct(values: list[float], q: float) -> float:
    """The q-quantile (0..1) of a list of milliseconds."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def build(session, *, firms: int, entries: int, links: int) -> tuple[list[str], str]:  # type: ignore[no-untyped-def]
    """Seed the province, the list entries and the related-party links; return sample USCCs and a token."""
    seed_demo(session, entities=firms, seed=3, password=BENCH_PASSWORD)
    rng = random.Random(11)
    ids = [r[0] for r in session.execute(text("SELECT id FROM enterprise ORDER BY id")).all()]
    dept = session.execute(text("SELECT id FROM department WHERE code = '330102-SCJG'")).scalar_one()
    listed = rng.sample(ids, entries)
    today = date(2026, 11, 1)
    rows = []
    for n, fid in enumerate(listed):
        kind = LIST_TYPES[n % 4]
        found = today - timedelta(days=rng.randrange(20, 600))
        decided = found + timedelta(days=10)
        rows.append((n + 1, fid, kind, "listed", "基准测试", "《测试依据》", dept, "", "基准测试名单", found,
                     found + timedelta(days=14), found, True, decided, f"测〔2026〕{n}号", False))  # fmt: skip
    bulk_insert(session, "list_entry", ENTRY_COLUMNS, rows)
    reset_sequences(session, ("list_entry",))
    black = [fid for n, fid in enumerate(listed) if n % 4 == 0]
    pairs = [(rng.choice(ids), rng.choice(black)) for _ in range(links)]
    session.execute(
        text(
            "UPDATE enterprise AS e SET legal_rep_id_number = s.legal_rep_id_number, "
            "legal_rep_name = s.legal_rep_name FROM enterprise AS s WHERE e.id = :firm AND s.id = :black"
        ),
        [{"firm": a, "black": b} for a, b in pairs],
    )
    user = session.execute(text("SELECT id FROM \"user\" WHERE username = 'licensing'")).scalar_one()
    _row, token = issue_token(session, user_id=user, name="bench")
    sample_ids = rng.sample(listed, 3000) + rng.sample(ids, 3000) + [a for a, _b in pairs[:1000]]
    usccs = [
        r[0]
        for r in session.execute(text("SELECT uscc FROM enterprise WHERE id = ANY(:ids)"), {"ids": sample_ids}).all()
    ]
    rng.shuffle(usccs)
    return usccs, token


def raw_floor(engine, usccs: list[str]) -> list[float]:  # type: ignore[no-untyped-def]
    """Milliseconds of the plain SQL lookup of a firm's active entries (what the check must at least do)."""
    out = []
    with engine.connect() as conn:
        for uscc in usccs:
            t0 = time.perf_counter()
            conn.execute(
                text(
                    "SELECT le.list_type, le.public_summary FROM list_entry le JOIN enterprise e "
                    "ON e.id = le.enterprise_id WHERE e.uscc = :u "
                    "AND le.state IN ('listed','objected','repair_applied')"
                ),
                {"u": uscc},
            ).all()
            out.append((time.perf_counter() - t0) * 1000)
    return out


def drive(port: int, token: str, usccs: list[str], rate: int, seconds: int) -> dict[str, object]:
    """Open-loop load: request i is due at i/rate seconds; latency counts from that due time."""
    total = rate * seconds
    lock, latencies, errors = threading.Lock(), [], []
    start = time.perf_counter() + 0.5
    counter = iter(range(total))
    local = threading.local()

    def worker() -> None:
        for i in counter:
            due = start + i / rate
            pause = due - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
            if not hasattr(local, "conn"):
                local.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            body = json.dumps({"uscc": usccs[i % len(usccs)], "matter": "SCJG-SPJY"})
            try:
                local.conn.request(
                    "POST", "/api/credit/check", body,
                    {"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
                )  # fmt: skip
                resp = local.conn.getresponse()
                resp.read()
                ok = resp.status == 200
            except OSError as exc:
                ok, local.conn = False, http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                errors.append(str(exc))
            with lock:
                latencies.append((time.perf_counter() - due) * 1000)
                if not ok:
                    errors.append("status")

    threads = [threading.Thread(target=worker) for _ in range(64)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"requests": len(latencies), "errors": len(errors), "p50": pct(latencies, 0.5), "p99": pct(latencies, 0.99)}


@contextmanager
def gunicorn(app: str, env: dict[str, str], *, port: int, workers: int) -> Iterator[None]:
    """Serve `app` with gunicorn on loopback until the block ends (bench/ is on its Python path)."""
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers",
         str(workers), "--log-level", "warning", "--pythonpath", str(Path(__file__).parent), app],
        env=env,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/healthz")
                break
            except OSError:
                time.sleep(0.2)
        yield
    finally:
        server.terminate()
        server.wait()


def serve_and_drive(app: str, env: dict[str, str], *, port: int, token: str, usccs: list[str], args) -> dict:  # type: ignore[no-untyped-def,type-arg]
    """Start gunicorn on `app`, drive it from a second process and return that process's numbers."""
    with gunicorn(app, env, port=port, workers=args.workers):
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as fh:
            fh.write("\n".join(usccs))
        usccs_file = Path(fh.name)
        out = subprocess.run(
            [sys.executable, __file__, "--rate", str(args.rate), "--seconds", str(args.seconds), "--drive",
             str(port), token, str(usccs_file)],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        usccs_file.unlink()
        return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--firms", type=int, default=1_000_000)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--links", type=int, default=20_000)
    parser.add_argument("--rate", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--drive", nargs=3, metavar=("PORT", "TOKEN", "USCC_FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.drive:  # the load generator's own process
        port, token, path = args.drive
        usccs = Path(path).read_text().split()
        drive(int(port), token, usccs[::-1], args.rate, 5)  # warm-up: every worker loaded and its caches filled
        result = drive(int(port), token, usccs, args.rate, args.seconds)
        print(json.dumps(result))
        return
    with fresh_database("postgresql") as engine:
        t0 = time.perf_counter()
        with unit_of_work(engine) as session:
            usccs, token = build(session, firms=args.firms, entries=args.entries, links=args.links)
        settle(engine)
        took = time.perf_counter() - t0
        print(f"built {args.firms:,} firms, {args.entries:,} entries, {args.links:,} links in {took:.0f} s")
        floor = raw_floor(engine, usccs[:2000])
        env = {
            **os.environ,
            "DATABASE_URL": engine.url.render_as_string(hide_password=False),
            "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15"),
            "SUPERVISE_ENV": "production",
            "SUPERVISE_SECRET_KEY": secrets.token_hex(32),
        }
        stalls = cpu_stalls()
        noop = serve_and_drive("noop_wsgi:app", env, port=5098, token=token, usccs=usccs, args=args)
        load = serve_and_drive("supervise:create_app()", env, port=5099, token=token, usccs=usccs, args=args)
        print(describe(stalls))
        print(f"raw SQL lookup   p50 {statistics.median(floor):6.2f} ms   p99 {pct(floor, 0.99):6.2f} ms")
        rate = f"at {args.rate}/s for {args.seconds} s ({args.workers} gunicorn workers)"
        print(
            f"no-op WSGI app (server and load generator only) {rate}: {noop['requests']} requests, "
            f"{noop['errors']} errors, p50 {noop['p50']:.2f} ms, p99 {noop['p99']:.2f} ms"
        )
        print(
            f"POST /api/credit/check {rate}: {load['requests']} requests, {load['errors']} errors, "
            f"p50 {load['p50']:.2f} ms, p99 {load['p99']:.2f} ms   (target p99 < 20 ms, 0 errors)"
        )


if __name__ == "__main__":
    main()
