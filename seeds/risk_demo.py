"""Demo inspection history with a planted, documented latent risk (docs/risk.md), so that the risk engine has
something real to find in the synthetic province; then a fitted model and a scoring run.

The planted truth: each firm has a latent risk z ~ N(0, 1) drawn from its USCC and the seed. The chance that
an inspection finds a problem is sigmoid(-2.3 + 1.3 z + industry + youth) where industry is +0.6 for 住宿和
餐饮业 (H), +0.3 for 制造业 (C), +0.2 for 批发和零售业 (F), else 0, and youth is +0.4 for a firm registered less
than two years before the inspection. One market-regulation inspector of 西湖区 is planted as lax: he makes
half of 杭州市's visits and finds 30% of what is there (the inspector effect the 督查室 page should flag).
These are synthetic data: the real evidence for the engine is the Chicago benchmark."""

from __future__ import annotations

import hashlib
import math
import random
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from supervise.bulk import bulk_insert
from supervise.models import Department, Enterprise, Inspector

SOURCE = "演示：历史检查记录（合成数据）"
START, END = date(2023, 12, 1), date(2026, 11, 30)
INDUSTRY = {"H": 0.6, "C": 0.3, "F": 0.2}
LAX_REGION, LAX_CITY, LAX_FACTOR = "330106", "3301", 0.3
COLUMNS = ("enterprise_id", "inspected_on", "inspector_badge", "found", "critical_count", "serious_count",
           "minor_count", "source", "imported_at")  # fmt: skip


def latent(uscc: str, seed: int) -> float:
    """A firm's planted latent risk z ~ N(0, 1), fixed by its USCC and the seed."""
    digest = hashlib.sha256(f"{seed}|{uscc}".encode()).digest()
    u1 = (int.from_bytes(digest[:8], "big") + 1) / (2**64 + 2)
    u2 = int.from_bytes(digest[8:16], "big") / 2**64
    return math.sqrt(-2 * math.log(u1)) * math.cos(2 * math.pi * u2)


def chance(z: float, industry: str, registered_on: date, day: date) -> float:
    """The planted chance of a finding at an inspection on `day`."""
    young = 0.4 if (day - registered_on).days < 730 else 0.0
    x = -2.3 + 1.3 * z + INDUSTRY.get(industry[:1], 0.0) + young
    return 1 / (1 + math.exp(-x))


def seed_risk(session: Session, *, seed: int, now: Any) -> dict[str, Any]:
    """Insert the planted history, fit the model as of today and score every firm."""
    rng = random.Random(seed * 7919)
    firms = session.execute(
        sa_select(col(Enterprise.id), col(Enterprise.uscc), col(Enterprise.industry_code),
                  col(Enterprise.registered_on), col(Enterprise.region_code)).order_by(col(Enterprise.id))
    ).all()  # fmt: skip
    market = session.exec(
        select(Inspector.badge_no, Inspector.region_code)
        .join(Department, col(Department.id) == col(Inspector.department_id))
        .where(col(Department.code).endswith("-SCJG"))
        .order_by(col(Inspector.badge_no))
    ).all()
    by_region: dict[str, list[str]] = {}
    for code, region in market:
        by_region.setdefault(region, []).append(code)
    lax = next(iter(by_region.get(LAX_REGION, [])), None)
    rows = []
    span = (END - START).days
    for firm_id, uscc, industry, registered, region in firms:
        z = latent(uscc, seed)
        visits = min(4, int(rng.expovariate(1.0) * 1.6))  # most firms a visit or two in three years
        for _ in range(visits):
            day = START + timedelta(days=rng.randrange(span))
            if day < registered:
                continue
            team = by_region.get(region) or []
            badge: str | None = rng.choice(team) if team else None
            if lax is not None and region.startswith(LAX_CITY) and rng.random() < 0.5:
                badge = lax  # he also carries the city's special inspections: enough visits to tell
            p = chance(z, industry, registered, day) * (LAX_FACTOR if badge is not None and badge == lax else 1.0)
            found = rng.random() < p
            critical = int(found and rng.random() < 0.3)
            serious = int(found) * rng.randint(0 if critical else 1, 2)
            rows.append((firm_id, day, badge, found, critical, serious, rng.randint(0, 3), SOURCE, now))
    inserted = bulk_insert(session, "past_inspection", COLUMNS, rows)
    from credit.risk.services import fit, score_all

    model = fit(session, actor="seed:risk")
    run = score_all(session, actor="seed:risk")
    return {"past_inspections": inserted, "lax_inspector": lax, "model": model.sha256, "scored": run.scored,
            "changed": run.changed}  # fmt: skip
