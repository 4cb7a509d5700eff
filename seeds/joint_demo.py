"""Demo joint quarter: three joint tasks of 上城区 in December 2026, frozen together and drawn, then scheduled.

Because the three populations were frozen before any of them was drawn, the draws overlap the way
departments' draws overlap in practice, which is what the scheduler merges into one visit per firm.
"""

from __future__ import annotations

import json
import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlmodel import Session

from inspections.draw.algorithm import commitment_of
from inspections.draw.ceremony import commit, freeze, reveal
from inspections.draw.services import perform_draw
from inspections.planning import create_task
from inspections.schemas import TaskCreate
from scheduling.services import build
from seeds.catalog import BEACON_SOURCE
from supervise import clock
from supervise.clock import FixedClock

ACTOR = "seed"
RATIOS = {"A": "0.05", "B": "0.08", "C": "0.15", "D": "0.3"}
TASKS = (
    # code, plan department, departments, items, window, title
    (
        "330102-2026Q4-J02",
        "SCJG",
        ("SCJG", "WSJK"),
        ["SCJG-001", "WSJK-003"],
        (date(2026, 12, 1), date(2026, 12, 31)),
        "上城区2026年第四季度企业信息公示和职业病防治联合抽查",
    ),
    (
        "330102-2026Q4-J03",
        "YJGL",
        ("YJGL", "SCJG"),
        ["YJGL-003", "SCJG-001"],
        (date(2026, 12, 7), date(2026, 12, 25)),
        "上城区2026年第四季度安全生产主体责任和企业信息公示联合抽查",
    ),
    (
        "330102-2026Q4-J04",
        "WSJK",
        ("WSJK", "YJGL"),
        ["WSJK-003", "YJGL-003"],
        (date(2026, 12, 14), date(2026, 12, 31)),
        "上城区2026年第四季度职业病防治和安全生产联合抽查",
    ),
)


DRAWN_AT = datetime(2026, 11, 28, 1, 30, tzinfo=UTC)  # the Saturday before the December windows open


def seed_joint_quarter(session: Session, rng: random.Random) -> dict[str, Any]:
    """Create, freeze together, draw and schedule the December tasks of 上城区."""
    tasks, secrets = [], {}
    for code, plan_kind, kinds, items, (start, end), title in TASKS:
        task = create_task(
            session,
            actor=ACTOR,
            data=TaskCreate(
                code=code,
                plan_code=f"P-330102-{plan_kind}-2026Q4",
                title=title,
                region_code="330102",
                department_codes=[f"330102-{k}" for k in kinds],
                item_codes=items,
                window_start=start,
                window_end=end,
                ratios=RATIOS,
                team_size=2,
                max_per_inspector=80,
            ),
        )
        for participant in [*(f"330102-{k}" for k in kinds), "督查室"]:
            secrets[(code, participant)] = f"{rng.getrandbits(128):032x}"
        tasks.append(task)
    # Frozen together (so that one firm may be drawn by several departments' tasks and the scheduler merges
    # the visits), with the ceremony's steps spread over the two days before now, as the timeline shows.
    # A fixed instant, so that the same demo seed gives the same draws (the freeze time enters the seed).
    drawn_at = DRAWN_AT
    with clock.using(FixedClock(drawn_at - timedelta(days=2))):
        for (code, participant), secret in secrets.items():
            task = next(t for t in tasks if t.code == code)
            commit(session, task=task, participant=participant, commitment=commitment_of(secret), actor=ACTOR)
    with clock.using(FixedClock(drawn_at - timedelta(days=1))):
        for n, task in enumerate(tasks):
            plan = {"source": BEACON_SOURCE, "issue": f"2026{330 + n}期", "at": drawn_at - timedelta(minutes=90)}
            freeze(session, task=task, actor=ACTOR, beacon=plan, salt=f"{rng.getrandbits(256):064x}")
    with clock.using(FixedClock(drawn_at - timedelta(hours=1))):
        for (code, participant), secret in secrets.items():
            task = next(t for t in tasks if t.code == code)
            reveal(session, task=task, participant=participant, secret=secret, actor=ACTOR)
    for task in tasks:
        value = f"{rng.randrange(10)} {rng.randrange(10)} {rng.randrange(10)}"
        perform_draw(session, task_code=task.code, actor=ACTOR, beacon={"value": value}, now=drawn_at)
    schedule = build(session, region="330102", period="2026Q4", actor=ACTOR)
    return {"tasks": [t.code for t in tasks], "schedule": json.loads(schedule.summary)}
