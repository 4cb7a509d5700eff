"""The draw spread over forked processes gives exactly the serial outcome (docs/draw-algorithm.md §4-§5)."""

import hashlib
import logging
import os
import random
import subprocess
import sys
import threading
from typing import Any

import pytest

from inspections.draw.algorithm import DrawInputError, Sample, lowest_per_tier, run_draw, ticket
from inspections.draw.parallel import chunks, fork_map
from inspections.draw.rows import Officer, Target

SEED = "cd" * 32
TIERS = "ABCD"


def province(n_firms: int, n_officers: int, rng: random.Random) -> tuple[list[Target], list[Officer]]:
    counties = [f"3301{i:02d}" for i in range(2, 12)]
    firms = sorted(
        (Target(f"9133{i:014d}", rng.choice(TIERS), rng.choice(counties), f"企业{i}") for i in range(n_firms)),
        key=lambda t: t.uscc,
    )
    depts = ["330100-SCJG", "330100-WSJK"]
    pool = sorted(
        (
            Officer(f"B{i:05d}", rng.choice(depts), rng.choice([*counties, "330100"]), f"员{i}")
            for i in range(n_officers)
        ),
        key=lambda o: o.badge,
    )
    return firms, pool


def draw(firms: list[Target], pool: list[Officer], processes: int, recusals: list[tuple[str, str]]) -> dict:
    return run_draw(
        seed=SEED,
        population=firms,
        officers=pool,
        sample=Sample({"A": "0.01", "B": "0.05", "C": "0.2", "D": "0.6"}),
        departments=["330100-SCJG", "330100-WSJK"],
        team_size=3,
        max_per_inspector=4,
        recusals=recusals,
        processes=processes,
    ).as_json()


@pytest.mark.parametrize("processes", [2, 3])
def test_parallel_draw_equals_the_serial_draw(processes: int) -> None:
    rng = random.Random(7)
    firms, pool = province(6000, 120, rng)
    recusals = [(rng.choice(pool).badge, rng.choice(firms).uscc) for _ in range(300)]
    serial = draw(firms, pool, 1, recusals)
    assert serial["selected"] and serial["unstaffed"]  # the cap of 4 leaves some firms unstaffed
    assert draw(firms, pool, processes, recusals) == serial


@pytest.mark.parametrize("margin", [0.0, 0.01, 2.0])
def test_selection_is_the_k_lowest_tickets_per_tier_even_when_the_prefilter_must_widen(margin: float) -> None:
    # margin 0 keeps too few firms under the first bound of every tier: the bound widens until it holds.
    rng = random.Random(3)
    firms, _pool = province(3000, 1, rng)
    usccs, tiers = [f.uscc for f in firms], [f.tier for f in firms]
    k = {"A": 750, "B": 1, "C": 300, "D": 0}
    got = lowest_per_tier(SEED, usccs, tiers, 10, k, margin)
    for tier in TIERS:
        expected = sorted(
            (bytes.fromhex(ticket(SEED, "target", u)), u, n + 10)
            for n, (u, t) in enumerate(zip(usccs, tiers, strict=True))
            if t == tier
        )[: k[tier]]
        assert got[tier] == expected


def test_fork_map_returns_results_in_order() -> None:
    parts = chunks(10, 3)
    assert [list(p) for p in parts] == [[0, 1, 2, 3], [4, 5, 6], [7, 8, 9]]
    assert fork_map(lambda r: hashlib.sha256(str(list(r)).encode()).hexdigest(), parts) == [
        hashlib.sha256(str(list(p)).encode()).hexdigest() for p in parts
    ]


def test_an_error_in_a_worker_process_reaches_the_caller() -> None:
    def fail_on_first(r: range) -> int:
        if r.start == 0:
            raise DrawInputError("bad part")
        return len(r)

    with pytest.raises(DrawInputError, match="bad part"):
        fork_map(fail_on_first, chunks(10, 2))


def test_fork_map_computes_in_child_processes_when_this_is_the_only_thread() -> None:
    # A fresh interpreter, so that no thread another test left running (an RQ worker's, say) decides it.
    code = (
        "import os, threading\n"
        "from inspections.draw.parallel import chunks, fork_map\n"
        "assert threading.active_count() == 1\n"
        "pids = fork_map(lambda _r: os.getpid(), chunks(4, 2))\n"
        "print(pids[-1] == os.getpid(), pids[0] != os.getpid())\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "True"]


def test_fork_map_stays_in_this_process_while_another_thread_runs_and_says_why(caplog: Any) -> None:
    release = threading.Event()
    other = threading.Thread(target=release.wait, name="bystander")
    other.start()
    try:
        with caplog.at_level(logging.INFO, logger="inspections.draw.parallel"):
            pids = fork_map(lambda _r: os.getpid(), chunks(4, 2))
    finally:
        release.set()
        other.join()
    assert pids == [os.getpid(), os.getpid()]
    assert "bystander" in caplog.text and "forbid forking" in caplog.text


def test_seeding_leaves_no_thread_behind_that_would_stop_later_draws_forking(app: Any, engine: Any) -> None:
    from seeds.demo import seed_demo
    from supervise.db import unit_of_work

    before = set(threading.enumerate())  # whatever earlier tests left running is not this test's business
    with unit_of_work(engine) as session:
        seed_demo(session, entities=300, seed=5, password="x" * 12, progress=True)
    assert set(threading.enumerate()) <= before
