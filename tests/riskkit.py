"""A small synthetic history in the benchmark's format, with a planted firm risk and inspector effect."""

from __future__ import annotations

import random
from datetime import date, timedelta

import polars as pl

from credit.risk.history import History

START = date(2023, 1, 2)


def synthetic_history(firms: int = 240, days: int = 540, seed: int = 7) -> History:
    """Firms with a latent risk, inspected every few months by one of four inspectors who differ in how
    much they find; a due list of every firm on the day after the history ends."""
    rng = random.Random(seed)
    inspectors = {"甲": 0.5, "乙": 1.0, "丙": 1.0, "丁": 1.6}
    firm_rows, insp_rows, event_rows, area_rows = [], [], [], []
    n = 0
    for i in range(firms):
        fid = f"F{i:04d}"
        risk = rng.random()
        zone = f"Z{i % 6}"
        firm_rows.append(
            {
                "firm_id": fid,
                "opened_on": START - timedelta(days=rng.randint(100, 4000)),
                "facility_group": rng.choice(["restaurant", "grocery_store", "other"]),
                "zip": zone,
            }
        )
        day = START + timedelta(days=rng.randint(0, 90))
        while day < START + timedelta(days=days):
            who = rng.choice(sorted(inspectors))
            p = min(0.95, 0.05 + 0.5 * risk * inspectors[who])
            found = int(rng.random() < p)
            n += 1
            insp_rows.append(
                {
                    "inspection_id": f"I{n:06d}",
                    "firm_id": fid,
                    "date": day,
                    "inspector_id": who,
                    "result": "Fail" if found and rng.random() < 0.5 else "Pass",
                    "critical_found": found,
                    "critical_count": found * rng.randint(1, 3),
                    "serious_count": rng.randint(0, 2),
                    "minor_count": rng.randint(0, 4),
                }
            )
            area_rows.append(
                {
                    "inspection_id": f"I{n:06d}",
                    "firm_id": fid,
                    "date": day,
                    "garbage_density_90d": 10 + 20 * risk + rng.random(),
                }
            )
            if rng.random() < risk * 0.6:
                event_rows.append(
                    {"firm_id": fid, "date": day + timedelta(days=rng.randint(1, 40)), "kind": "complaint"}
                )
            day += timedelta(days=rng.randint(60, 150))
    end = START + timedelta(days=days)
    due = [
        {
            "inspection_id": f"D{i:04d}",
            "firm_id": f"F{i:04d}",
            "date": end + timedelta(days=1 + i % 30),
            "inspector_id": rng.choice(sorted(inspectors)),
        }
        for i in range(firms)
    ]
    events = pl.DataFrame(event_rows).filter(pl.col("date") < end)
    return History(
        firms=pl.DataFrame(firm_rows),
        inspections=pl.DataFrame(insp_rows).with_columns(
            pl.col(c).cast(pl.Float64) for c in ("critical_found", "critical_count", "serious_count", "minor_count")
        ),
        due=pl.DataFrame(due),
        events=events,
        area=pl.DataFrame(area_rows),
    )
