"""Synthetic market entities and inspectors for draw benchmarks at Zhejiang's scale (millions of firms).

The demo generator makes realistic names and licences at a few thousand firms a second; a 5,000,000-firm
benchmark of the draw needs only what the draw reads (USCC, tier, area, name, status, industry), so the
firms here are made in bulk over the demo province's real counties and townships."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from sqlalchemy import Engine, text

from supervise.bulk import bulk_insert, reset_sequences
from supervise.db import unit_of_work

CHUNK = 250_000
TIERS = ("A", "B", "B", "B", "B", "B", "C", "C", "D", "A")  # about 20% A, 50% B, 20% C, 10% D


def add_firms(engine: Engine, n: int, *, seed: int = 1) -> None:
    """Add n operating firms spread over the province's townships, in chunks, each in its own transaction."""
    rng = random.Random(seed)
    with engine.connect() as conn:
        towns = [tuple(r) for r in conn.execute(text("SELECT code, parent_code FROM region WHERE level = 'township'"))]
        first = conn.execute(text("SELECT coalesce(max(id), 0) + 1 FROM enterprise")).scalar_one()
    columns = ("id", "uscc", "name", "legal_rep_name", "region_code", "township_code", "industry_code")
    columns += ("registered_on", "status", "risk_tier")
    registered = date(2020, 1, 1)
    for start in range(0, n, CHUNK):
        rows: list[tuple[Any, ...]] = []
        for i in range(start, min(n, start + CHUNK)):
            town, county = towns[rng.randrange(len(towns))]
            rows.append(
                (first + i, f"91{county}{i:09d}X", f"合成企业{i}有限公司", "张三", county, town, "H62", registered)
                + ("存续", TIERS[i % 10])
            )
        with unit_of_work(engine) as session:
            bulk_insert(session, "enterprise", columns, rows)
            reset_sequences(session, ["enterprise"])


def add_inspectors(engine: Engine, n: int) -> None:
    """Add n active 市场监管 inspectors over the counties, most posted to a township station."""
    rng = random.Random(2)
    with engine.connect() as conn:
        counties = [
            tuple(r)
            for r in conn.execute(
                text(
                    "SELECT r.code, d.id FROM region r JOIN department d ON d.region_code = r.code "
                    "WHERE r.level = 'county' AND d.kind = 'SCJG'"
                )
            )
        ]
        towns: dict[str, list[str]] = {}
        for code, parent in conn.execute(text("SELECT code, parent_code FROM region WHERE level = 'township'")):
            towns.setdefault(parent, []).append(code)
        first = conn.execute(text("SELECT coalesce(max(id), 0) + 1 FROM inspector")).scalar_one()
    rows = []
    for i in range(n):
        county, dept = counties[i % len(counties)]
        office = rng.choice(towns[county]) if rng.random() < 0.8 else None
        rows.append((first + i, f"{county}99{i:05d}", f"检查员{i}", dept, county, office, "食品安全", True))
    columns = ("id", "badge_no", "name", "department_id", "region_code", "office_township_code", "specialties")
    with unit_of_work(engine) as session:
        bulk_insert(session, "inspector", (*columns, "active"), rows)
        reset_sequences(session, ["inspector"])
