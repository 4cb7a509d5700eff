"""A county office on the embedded default: N people at once, mixing pages, audited prints and decisions.

Builds the demo in a throwaway instance folder (SQLite + embedded Redis, nothing else), serves it with the
README's gunicorn (2 workers), and drives it from N threads on loopback for S seconds: each person in turn opens
a page (a credit officer's lists, the firms, the published results and draws), prints an audited paper (an
officer's 信用报告) or takes a decision (a licensing check, recorded and audited). Prints one JSON object:
requests, errors by status, and p50/p99 milliseconds per kind.
Usage: .venv/bin/python bench/office.py [--users 10] [--seconds 60] [--entities 3000]"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from served import Served, demo_served  # noqa: E402 - bench/ is not a package

PAGES = ("/credit/entries", "/enterprises", "/public/results", "/public/draws", "/credit", "/")
WHO = {"page": "credit", "print": "credit", "decide": "licensing"}
_FIRMS = """
import json
from sqlmodel import Session, select
from supervise import create_app
from supervise.models import Enterprise
app = create_app()
with Session(app.extensions["supervise.engine"]) as s:
    print(json.dumps(list(s.exec(select(Enterprise.uscc).where(Enterprise.region_code == "330102").limit(200)).all())))
"""


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1) if ordered else 0.0


def drive(
    served: Served, firms: list[str], *, users: int, seconds: float
) -> tuple[Counter[int], dict[str, list[float]]]:
    """N people working at once for the given time; the statuses they got and their latencies per kind."""
    statuses: Counter[int] = Counter()
    times: dict[str, list[float]] = defaultdict(list)
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def person(n: int) -> None:
        rng = random.Random(n)
        while time.monotonic() < stop:
            kind = rng.choice(("page", "page", "print", "decide"))
            body = None
            if kind == "page":
                method, path = "GET", rng.choice(PAGES)
            elif kind == "print":
                method, path = "GET", f"/credit/report/{rng.choice(firms)}.pdf"
            else:
                method, path = "POST", "/api/credit/check"
                body = json.dumps({"uscc": rng.choice(firms), "matter": "SCJG-SPJY"}).encode()
            began = time.perf_counter()
            try:
                status = served.request(method, path, WHO[kind], body, "application/json" if body else "")[0]
            except OSError:
                status = 0
            with lock:
                statuses[status] += 1
                times[kind].append((time.perf_counter() - began) * 1000)

    people = [threading.Thread(target=person, args=(n,)) for n in range(users)]
    for p in people:
        p.start()
    for p in people:
        p.join()
    return statuses, times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--entities", type=int, default=3000)
    args = parser.parse_args()
    with demo_served(entities=args.entities, users=tuple(sorted(set(WHO.values())))) as served:
        listing = subprocess.run([sys.executable, "-c", _FIRMS], env=served.env, capture_output=True, check=True)
        statuses, times = drive(served, json.loads(listing.stdout), users=args.users, seconds=args.seconds)
    errors = {str(k): v for k, v in statuses.items() if k != 200}
    result = {
        "backend": "sqlite (embedded default)",
        "users": args.users,
        "seconds": args.seconds,
        "requests": sum(statuses.values()),
        "errors": sum(errors.values()),
        "errors_by_status": errors,
        "ms": {k: {"n": len(v), "p50": pct(v, 0.5), "p99": pct(v, 0.99)} for k, v in sorted(times.items())},
    }
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
