"""Time the risk engine at province scale and print JSON.

Builds, in columnar frames, 1,000,000 firms with three years of inspection results, complaints and penalties
(about 1.5 results, 0.5 complaints and 0.1 penalties per firm, with a planted latent risk), then times:
  1. feature computation and scoring of every firm as of one day (target < 60 s, peak RSS < 2 GB);
  2. a fit on 500,000 past results: the time-split validation of both candidates and the refit (target < 120 s).
The database is not involved: `supervise risk score` reads the same frames from it first (see docs/risk.md).
Usage: .venv/bin/python bench/risk.py [--firms 1000000] [--fit-rows 500000]"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import polars as pl

sys.path.insert(0, str(Path(__file__).parent.parent))
from credit.risk.engine import due_features, fit_model  # noqa: E402
from credit.risk.history import History  # noqa: E402

AS_OF = date(2026, 12, 1)
START = AS_OF - timedelta(days=3 * 365)


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def province(firms: int, seed: int = 1) -> History:
    """Synthetic frames in the history format, built with numpy (no Python loop over rows)."""
    rng = np.random.default_rng(seed)
    ids = np.char.add("F", np.char.zfill(np.arange(firms).astype(str), 7))
    risk = rng.normal(size=firms)
    opened = (np.datetime64(START) - rng.integers(0, 8000, firms).astype("timedelta64[D]")).astype("datetime64[D]")
    groups = np.array(list("CFHILMO"))[rng.integers(0, 7, firms)]
    zips = np.char.add("Z", rng.integers(0, 1500, firms).astype(str))
    firm_frame = pl.DataFrame({"firm_id": ids, "opened_on": opened, "facility_group": groups, "zip": zips,
                               "licence_count": rng.poisson(1.0, firms).astype(float)})  # fmt: skip
    span = (AS_OF - START).days

    def dated(rate: float) -> tuple[np.ndarray, np.ndarray]:
        who = np.repeat(np.arange(firms), rng.poisson(rate, firms))
        days = (np.datetime64(START) + rng.integers(0, span, len(who)).astype("timedelta64[D]")).astype("datetime64[D]")
        return who, days

    who, days = dated(1.5)
    p = 1 / (1 + np.exp(-(-2.0 + 1.2 * risk[who])))
    found = (rng.random(len(who)) < p).astype(float)
    inspections = pl.DataFrame({
        "inspection_id": np.char.add("R", np.arange(len(who)).astype(str)), "firm_id": ids[who], "date": days,
        "inspector_id": np.char.add("I", rng.integers(0, 3000, len(who)).astype(str)), "critical_found": found,
        "critical_count": found * rng.integers(0, 2, len(who)), "serious_count": found * rng.integers(0, 3, len(who)),
        "minor_count": rng.integers(0, 3, len(who)).astype(float),
    })  # fmt: skip
    events = []
    for kind, rate in (("complaint", 0.5), ("penalty", 0.1)):
        w, d = dated(rate)
        events.append(pl.DataFrame({"firm_id": ids[w], "date": d, "kind": np.full(len(w), kind)}))
    area = inspections.select("inspection_id", "firm_id", "date").with_columns(
        pl.Series("complaint_density_90d", rng.gamma(2.0, 1.0, inspections.height))
    )
    due = firm_frame.select(("U" + pl.col("firm_id")).alias("inspection_id"), "firm_id")
    return History(firms=firm_frame, inspections=inspections, due=due, events=pl.concat(events), area=area)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--firms", type=int, default=1_000_000)
    parser.add_argument("--fit-rows", type=int, default=500_000)
    args = parser.parse_args()
    t = time.perf_counter()
    history = province(args.firms)
    built = time.perf_counter() - t
    rows = history.inspections.height

    def sample(n: int) -> History:
        part = history.inspections.sort("inspection_id").head(n)
        return History(firms=history.firms, inspections=part, due=history.due, events=history.events, area=history.area)

    # 1. score every firm with a model fitted on a small sample first (that fit is not timed here)
    model = fit_model(sample(50_000), inspector=False, as_of=AS_OF)
    t = time.perf_counter()
    frame = due_features(history, as_of=AS_OF, inspector=False).frame
    features_s = time.perf_counter() - t
    t = time.perf_counter()
    scores = model.score(frame)
    score_s = time.perf_counter() - t
    rss_scoring = _rss_mb()  # the process's peak so far: building the province, features and scores
    del frame, scores
    # 2. a fit on fit_rows past results: validation of both candidates, then the refit
    t = time.perf_counter()
    fitted = fit_model(sample(args.fit_rows), inspector=False, as_of=AS_OF)
    fit_s = time.perf_counter() - t
    print(json.dumps({
        "firms": args.firms, "results": rows, "complaints_and_penalties": history.events.height,
        "build_s": round(built, 1),
        "score_all": {"features_s": round(features_s, 1), "score_s": round(score_s, 1),
                      "total_s": round(features_s + score_s, 1), "target_s": 60, "scored": args.firms,
                      "peak_rss_mb": round(rss_scoring), "rss_target_mb": 2048},
        "fit": {"rows": fitted.meta["rows"], "seconds": round(fit_s, 1), "target_s": 120, "chosen": fitted.kind,
                "validation_days_earlier": round(fitted.meta["validation"]["figures"][fitted.kind]["days_earlier"], 2)},
        "peak_rss_mb_overall": round(_rss_mb()),
    }, indent=2))  # fmt: skip


if __name__ == "__main__":
    main()
