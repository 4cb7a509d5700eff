"""Who may be drawn (the freeze, not the algorithm): repeat checks are judged within a department, the
cool-down depends on the risk tier and never shields D-tier firms, and other departments' draws are merged
into one visit by the joint scheduler instead of being excluded."""

import json
from datetime import date
from typing import Any

import pytest
from sqlmodel import col, select

from scheduling.models import ScheduledVisit
from scheduling.services import build
from supervise.config import ConfigError, parse_cooldown, read_tuning
from supervise.db import unit_of_work
from supervise.models import Department, Enterprise, Inspector
from tests.drawkit import add_firms, ceremony, exclusions_of, make_task, record_results

SCJG_ONLY = ("330102-SCJG", "督查室")
WSJK_ONLY = ("330102-WSJK", "督查室")


def _drawn(record: str) -> set[str]:
    outcome = json.loads(record)["outcome"]
    return {s["uscc"] for s in outcome["selected"] + outcome["unstaffed"]}


def _staffed(record: str) -> set[str]:
    return {s["uscc"] for s in json.loads(record)["outcome"]["selected"] if s["team"]}


def test_another_departments_overlapping_draw_does_not_exclude_and_the_scheduler_merges_the_visits(
    province: Any, engine: Any
) -> None:
    firms = set(add_firms(engine, 12))
    with unit_of_work(engine) as session:  # enough 卫健 inspectors in the county to staff teams of two
        wsjk = session.exec(select(Department).where(Department.code == "330102-WSJK")).one()
        for n in range(4):
            session.add(Inspector(badge_no=f"WS-T-{n}", name=f"卫健{n}", department_id=wsjk.id, region_code="330102"))
    make_task(engine, "T-SCJG", kinds=("SCJG",))
    first = _staffed(ceremony(engine, "T-SCJG", SCJG_ONLY).record)
    make_task(engine, "T-WSJK", kinds=("WSJK",))
    second = json.loads(ceremony(engine, "T-WSJK", WSJK_ONLY).record)
    assert not firms & set(exclusions_of(engine, "D-T-WSJK"))
    both = first & _staffed(json.dumps(second)) & firms
    assert both  # drawn by two departments in one quarter ...
    with unit_of_work(engine) as session:
        schedule = build(session, region="330102", period="2026Q3", actor="test")
        visits = session.exec(select(ScheduledVisit).where(ScheduledVisit.schedule_id == schedule.id)).all()
        ids = {e.id: e.uscc for e in session.exec(select(Enterprise).where(col(Enterprise.uscc).in_(both))).all()}
    merged = {ids[v.enterprise_id] for v in visits if v.enterprise_id in ids and v.tasks == "T-SCJG,T-WSJK"}
    assert merged == both  # ... and visited once, for both departments' items


def test_the_same_departments_overlapping_draw_still_excludes(province: Any, engine: Any) -> None:
    firms = set(add_firms(engine, 12))
    make_task(engine, "T1", kinds=("SCJG",))
    first = _drawn(ceremony(engine, "T1", SCJG_ONLY).record)
    make_task(engine, "T2", kinds=("SCJG",), window=("2026-09-01", "2026-10-31"))
    ceremony(engine, "T2", SCJG_ONLY)
    excluded = exclusions_of(engine, "D-T2")
    assert first & firms and first & firms <= set(excluded)
    assert all(excluded[u] == "selected by task T1, whose window overlaps" for u in first & firms)


def test_cooldown_follows_the_tier_and_never_shields_d_tier_firms(province: Any, engine: Any) -> None:
    tiers = {t: set(add_firms(engine, 3, start=910_000 + 10 * i, tier=t)) for i, t in enumerate("ABCD")}
    make_task(engine, "T1", kinds=("SCJG",), window=("2026-01-01", "2026-01-31"), ratios=dict.fromkeys("ABCD", "1"))
    drawn = _drawn(ceremony(engine, "T1", SCJG_ONLY).record)
    record_results(engine, drawn, date(2026, 1, 20))
    # 120 days later: inside A's 365 and B's 180, outside C's 90; D is never left out.
    make_task(engine, "T2", kinds=("SCJG",), window=("2026-05-20", "2026-06-30"), ratios=dict.fromkeys("ABCD", "1"))
    record = json.loads(ceremony(engine, "T2", SCJG_ONLY).record)
    excluded = exclusions_of(engine, "D-T2")
    assert {u: excluded.get(u) for u in tiers["A"] & drawn} == dict.fromkeys(
        tiers["A"] & drawn, "inspected on 2026-01-20, within 365 days"
    )
    assert {excluded.get(u) for u in tiers["B"] & drawn} == {"inspected on 2026-01-20, within 180 days"}
    assert not (tiers["C"] | tiers["D"]) & set(excluded)
    assert tiers["D"] & drawn and tiers["D"] & drawn <= _drawn(json.dumps(record))
    assert record["task"]["scope"]["cooldown_days"] == {"A": 365, "B": 180, "C": 90, "D": 0}


def test_another_departments_inspection_does_not_start_a_cooldown(province: Any, engine: Any) -> None:
    firms = set(add_firms(engine, 6))
    make_task(engine, "T1", kinds=("WSJK",), window=("2026-01-01", "2026-01-31"))
    drawn = _drawn(ceremony(engine, "T1", WSJK_ONLY).record) & firms
    record_results(engine, drawn, date(2026, 1, 20))
    make_task(engine, "T2", kinds=("SCJG",), window=("2026-05-01", "2026-06-30"))
    record = json.loads(ceremony(engine, "T2", SCJG_ONLY).record)
    assert drawn and not drawn & set(exclusions_of(engine, "D-T2")) and record["outcome"]["selected"]


def test_cooldown_setting_reads_tiers_or_one_number_and_refuses_nonsense() -> None:
    assert parse_cooldown("A=400,D=7") == {"A": 400, "B": 180, "C": 90, "D": 7}
    assert parse_cooldown("120") == {"A": 120, "B": 120, "C": 120, "D": 0}
    assert read_tuning({}).cooldown_days == {"A": 365, "B": 180, "C": 90, "D": 0}
    with pytest.raises(ConfigError, match="SUPERVISE_COOLDOWN_DAYS"):
        read_tuning({"SUPERVISE_COOLDOWN_DAYS": "E=3"})
