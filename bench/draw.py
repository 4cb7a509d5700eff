"""Time a provincial 双随机 draw (v3): 1,000,000 firms, a 4-tier 3% sample, teams of 2 from 5,000 inspectors.

Prints per backend: (a) reading the eligible population's keys (the floor; (a0) the same read with the cyclic
garbage collector paused, as the draw reads), (b) the full draw including the freeze and persisting
assignments, (c) `supervise draw verify DIR` on the full bundle (the median of 3 runs, each listed with the
machine's speed just before), (d) `ORDER BY random() LIMIT k` on the same population, and the peak resident
memory: of this process after (b) (the peak so far, seeding included, forked workers not), of the largest
forked draw worker, and of the largest verifier process. (b) runs first, after one SQL pass that warms the
database's cache, so that (a)'s rows do not count in (b)'s memory.
With --json, one JSON object per backend: keys_s, draw_s, verify_s, random_s, peak_rss_mb (the largest of the
three peaks) and the details.
Usage: .venv/bin/python bench/draw.py [--firms 1000000] [--backends postgresql,sqlite] [--synthetic] [--json]"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import Engine, text
from sqlmodel import Session, select

sys.path.insert(0, str(Path(__file__).parent))
from machine import cpu_stalls, describe  # noqa: E402 - bench/ is not a package
from seed import fresh_database, settle  # noqa: E402
from synthetic import add_firms, add_inspectors  # noqa: E402

from inspections.draw.algorithm import gc_paused  # noqa: E402
from inspections.draw.services import bundle_files, run_single_operator  # noqa: E402
from inspections.models import Draw, InspectionItem, Task  # noqa: E402
from inspections.planning import create_plan, create_task  # noqa: E402
from inspections.schemas import PlanCreate, TaskCreate  # noqa: E402
from seeds.demo import seed_demo  # noqa: E402
from supervise.db import unit_of_work  # noqa: E402

INSPECTORS = 5000


def peak_mb(who: int = resource.RUSAGE_SELF) -> float:
    """The peak resident set size so far, in MB (Linux reports kilobytes)."""
    return resource.getrusage(who).ru_maxrss / 1024


VERIFY_RUNS = 3
RATIOS = {"A": "0.01", "B": "0.02", "C": "0.1", "D": "0.3"}


class Phases(logging.Handler):
    """Collect the freeze's and the draw's own timing lines."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def prepare(engine: Engine, firms: int, *, synthetic: bool = False) -> int:
    """Seed the province, make 5,000 active 市场监管 inspectors, and create a provincial task (3% by count).

    `synthetic`: the demo province with few firms, then `firms` synthetic ones loaded in bulk (bench/synthetic.py)."""
    with unit_of_work(engine) as session:
        seed_demo(session, entities=20_000 if synthetic else firms, seed=1, password="bench-password")  # noqa: S106
    if synthetic:
        add_firms(engine, firms)
        add_inspectors(engine, INSPECTORS)
    with unit_of_work(engine) as session:
        if synthetic:  # only the synthetic inspectors (badges COUNTY + 99 + n) serve
            session.execute(text("UPDATE inspector SET active = (badge_no LIKE '______99%')"))
        else:  # every seeded inspector joins the 市场监管 system of their county; the first 5,000 serve
            session.execute(
                text(
                    "UPDATE inspector SET department_id = (SELECT d.id FROM department d "
                    "WHERE d.code = inspector.region_code || '-SCJG'), active = (id <= :n)"
                ),
                {"n": INSPECTORS},
            )
        session.add(
            InspectionItem(
                code="SCJG-001",
                department_kind="SCJG",
                name="企业公示信息情况检查",
                legal_basis="《企业信息公示暂行条例》第十四条",
                method="书面检查",
            )
        )
        session.flush()
        create_plan(
            session,
            actor="bench",
            data=PlanCreate(code="P-BENCH", department_code="330000-SCJG", title="全省抽查计划", year=2026, quarter=3),
        )
        k = round(firms * 0.03)
        create_task(
            session,
            actor="bench",
            data=TaskCreate(
                code="T-BENCH",
                plan_code="P-BENCH",
                title="全省企业公示信息抽查",
                region_code="330000",
                department_codes=["330000-SCJG"],
                item_codes=["SCJG-001"],
                window_start="2026-07-01",  # type: ignore[arg-type]
                window_end="2026-09-30",
                ratios=RATIOS,
                sample_count=k,
                team_size=2,
                max_per_inspector=60,  # type: ignore[arg-type]
                residence_rule=False,
            ),
        )
    return k


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--firms", type=int, default=1_000_000)
    parser.add_argument("--backends", default="postgresql,sqlite")
    parser.add_argument("--synthetic", action="store_true", help="bulk synthetic firms (for millions)")
    parser.add_argument("--json", action="store_true", help="one JSON object per backend")
    args = parser.parse_args()
    supervise = str(Path(sys.executable).with_name("supervise"))
    machine = describe(cpu_stalls())
    say = (lambda *_a, **_k: None) if args.json else print
    say(machine)
    say(
        f"{'backend':<11} {'firms':>9} {'k':>6} {'(a) keys s':>10} {'(a0) s':>7} {'(b) draw s':>10} {'b/a':>6} "
        f"{'b/a0':>6} {'(c) verify s':>12} {'(d) random() s':>14}  selected/unstaffed"
    )
    for backend in args.backends.split(","):
        with fresh_database(backend) as engine:
            k = prepare(engine, args.firms, synthetic=args.synthetic)
            settle(engine)
            keys_sql = text(
                "SELECT uscc, risk_tier, region_code FROM enterprise WHERE region_code LIKE '33%' AND status = '存续'"
            )
            with engine.connect() as conn:  # warm the cache without holding a row in Python
                conn.execute(
                    text(
                        "SELECT count(*), max(uscc), max(name), max(township_code) FROM enterprise "
                        "WHERE status = '存续'"
                    )
                ).all()
            phases = Phases()
            logging.getLogger("inspections").setLevel(logging.INFO)
            logging.getLogger("inspections").addHandler(phases)
            t0 = time.perf_counter()
            with unit_of_work(engine) as session:
                run_single_operator(session, task_code="T-BENCH", actor="bench")
            full = time.perf_counter() - t0
            rss_b, rss_fork = peak_mb(), peak_mb(resource.RUSAGE_CHILDREN)
            logging.getLogger("inspections").removeHandler(phases)
            t0 = time.perf_counter()
            with engine.connect() as conn:
                keys = conn.execute(keys_sql).all()
            floor = time.perf_counter() - t0
            del keys
            # The same read with the cyclic collector paused, as the draw itself reads: the stricter floor.
            t0 = time.perf_counter()
            with engine.connect() as conn, gc_paused():
                keys = conn.execute(keys_sql).all()
            floor_paused = time.perf_counter() - t0
            rss_a = peak_mb()
            eligible = len(keys)
            del keys
            with tempfile.TemporaryDirectory() as tmp:
                with Session(engine) as session:  # read only: the settle below needs the database to itself
                    draw = session.exec(select(Draw)).one()
                    outcome = json.loads(draw.record)["outcome"]
                    task = session.exec(select(Task).where(Task.id == draw.task_id)).one()
                    for name, body in bundle_files(draw, task, full=True).items():
                        (Path(tmp) / name).write_text(body, encoding="utf-8")
                    del draw, task
                settle(engine)  # the draw's frozen files and rows are still being written back
                before_c = cpu_stalls(2.0)["slice_ms"]
                verifies = []
                for _run in range(VERIFY_RUNS):  # the machine's speed drifts: the median of a few runs
                    t0 = time.perf_counter()
                    verdict = subprocess.run(
                        [supervise, "draw", "verify", tmp],
                        capture_output=True,
                        text=True,
                        env={**os.environ, "SUPERVISE_ENV": "testing"},  # processes: SUPERVISE_DRAW_PROCESSES
                    )
                    verifies.append(time.perf_counter() - t0)
                    assert verdict.stdout.splitlines()[-1] == "MATCH", verdict.stdout + verdict.stderr
                verify = statistics.median(verifies)
                rss_c = peak_mb(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            with engine.connect() as conn:
                conn.execute(
                    text("SELECT uscc FROM enterprise WHERE status = '存续' ORDER BY random() LIMIT :k"), {"k": k}
                ).all()
            rnd = time.perf_counter() - t0
            if args.json:
                print(
                    json.dumps(
                        {
                            "backend": backend,
                            "firms": eligible,
                            "k": k,
                            "keys_s": round(floor, 2),
                            "keys_gc_paused_s": round(floor_paused, 2),
                            "draw_s": round(full, 2),
                            "verify_s": round(verify, 2),
                            "verify_runs_s": [round(v, 2) for v in verifies],
                            "random_s": round(rnd, 2),
                            "peak_rss_mb": round(max(rss_b, rss_fork, rss_c)),
                            "rss_mb": {
                                "draw_process": round(rss_b),
                                "draw_worker": round(rss_fork),
                                "verifier": round(rss_c),
                            },
                            "draw_phases": phases.lines,
                            "selected": len(outcome["selected"]) - len(outcome["unstaffed"]),
                            "unstaffed": len(outcome["unstaffed"]),
                            "machine": machine,
                        },
                        ensure_ascii=False,
                    ),
                    flush=True,
                )
                continue
            print(
                f"{backend:<11} {eligible:>9,} {k:>6,} {floor:>10.2f} {floor_paused:>7.2f} {full:>10.2f} "
                f"{full / floor:>6.1f} {full / floor_paused:>6.1f} {verify:>12.2f} {rnd:>14.2f}  "
                f"{len(outcome['selected']) - len(outcome['unstaffed'])}/{len(outcome['unstaffed'])}",
                flush=True,
            )
            for line in phases.lines:  # where (b) went, as the draw logs it
                print(f"{'':<11} (b) {line}")
            runs = ", ".join(f"{v:.2f}" for v in verifies)
            print(f"{'':<11} (c) is the median of {runs} s; the machine's slice took {before_c:.2f} ms just before")
            print(
                f"{'':<11} peak RSS: {rss_b:,.0f} MB after (b), {rss_a:,.0f} MB after (a) in this process; "
                f"largest draw worker {rss_fork:,.0f} MB; largest child after (c) {rss_c:,.0f} MB "
                "(workers and verifiers)"
            )
    say(describe(cpu_stalls()))


if __name__ == "__main__":
    main()
