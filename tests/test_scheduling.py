"""The scheduling algorithm on small adversarial cases, checked by hand, and on random instances."""

import random
from datetime import date, timedelta

from chinese_calendar import is_workday

from scheduling.algorithm import (
    DEFERRED,
    SCHEDULED,
    UNDATED,
    UNSTAFFED,
    Limits,
    Member,
    Pair,
    build_schedule,
    max_disjoint_windows,
)

Q4 = (date(2026, 10, 1), date(2026, 12, 31))
DAYS = [Q4[0] + timedelta(days=n) for n in range(92) if is_workday(Q4[0] + timedelta(days=n))]
ROOMY = Limits(per_quarter=5, per_year=5, daily_capacity=3)


def m(badge: str, dept: str, ticket: str) -> Member:
    return Member(badge, dept, ticket)


def pair(
    task: str,
    firm: str,
    start: date,
    end: date,
    team: tuple[Member, ...],
    *,
    depts: tuple[str, ...] | None = None,
    directed: bool = False,
    town: str = "T1",
) -> Pair:
    departments = depts or tuple(sorted({x.department for x in team}))
    return Pair(task, firm, town, start, end, directed, departments, (f"{task}-item",), team)


TEAM_A = (m("A1", "SCJG", "10"), m("A2", "WSJK", "20"))
TEAM_B = (m("B1", "SCJG", "05"), m("B2", "YJGL", "30"))


def test_firm_drawn_by_overlapping_tasks_gets_one_visit_with_every_item() -> None:
    pairs = [
        pair("T1", "F1", date(2026, 12, 1), date(2026, 12, 31), TEAM_A),
        pair("T2", "F1", date(2026, 12, 7), date(2026, 12, 25), TEAM_B),
    ]
    result = build_schedule(pairs, period=Q4, working_days=DAYS, limits=ROOMY)
    (visit,) = result.visits
    assert visit.tasks == ("T1", "T2") and visit.items == ("T1-item", "T2-item")
    assert (visit.start, visit.end) == (date(2026, 12, 7), date(2026, 12, 25))
    assert result.summary["repeat_checks_avoided"] == 1 and result.summary["merged_visits"] == 1


def test_merged_team_keeps_one_inspector_per_department_by_draw_ticket() -> None:
    pairs = [
        pair("T1", "F1", date(2026, 12, 1), date(2026, 12, 31), TEAM_A),
        pair("T2", "F1", date(2026, 12, 1), date(2026, 12, 31), TEAM_B),
    ]
    (visit,) = build_schedule(pairs, period=Q4, working_days=DAYS, limits=ROOMY).visits
    # SCJG: B1 (ticket 05) beats A1 (ticket 10); WSJK and YJGL keep their only inspector.
    assert [x.badge for x in visit.team] == ["B1", "A2", "B2"]


def test_single_department_merge_drops_extra_inspectors_in_ticket_order() -> None:
    one = (m("X", "SCJG", "3"), m("Y", "SCJG", "8"))
    two = (m("Z", "SCJG", "1"), m("W", "SCJG", "9"))
    pairs = [pair("T1", "F1", Q4[0], Q4[1], one), pair("T2", "F1", Q4[0], Q4[1], two)]
    (visit,) = build_schedule(pairs, period=Q4, working_days=DAYS, limits=ROOMY).visits
    assert [x.badge for x in visit.team] == ["Z", "X"]


def test_recused_inspector_is_replaced_by_the_next_of_the_department() -> None:
    pairs = [
        pair("T1", "F1", Q4[0], Q4[1], TEAM_A),
        pair("T2", "F1", Q4[0], Q4[1], TEAM_B),
    ]
    (visit,) = build_schedule(
        pairs, period=Q4, working_days=DAYS, limits=ROOMY, recused=frozenset({("B1", "F1")})
    ).visits
    assert "B1" not in [x.badge for x in visit.team] and "A1" in [x.badge for x in visit.team]


def test_non_intersecting_windows_stay_separate_and_say_why() -> None:
    pairs = [
        pair("T1", "F1", date(2026, 10, 8), date(2026, 10, 30), TEAM_A),
        pair("T2", "F1", date(2026, 11, 2), date(2026, 11, 27), TEAM_B),
    ]
    result = build_schedule(pairs, period=Q4, working_days=DAYS, limits=ROOMY)
    assert len(result.visits) == 2 and all(v.status == SCHEDULED for v in result.visits)
    assert all("不相交" in v.notes[0] for v in result.visits)
    assert result.summary["lower_bound_visits"] == 2


def test_visits_beyond_the_burden_cap_are_deferred_with_the_reason() -> None:
    pairs = [
        pair("T1", "F1", date(2026, 10, 8), date(2026, 10, 30), TEAM_A),
        pair("T2", "F1", date(2026, 11, 2), date(2026, 11, 27), TEAM_B),
        pair("T3", "F2", date(2026, 11, 2), date(2026, 11, 27), TEAM_B),
    ]
    limits = Limits(per_quarter=1, per_year=2, daily_capacity=3)
    result = build_schedule(pairs, period=Q4, working_days=DAYS, limits=limits, history={"F2": [date(2026, 3, 5)]})
    by_firm = {(v.firm, v.tasks): v for v in result.visits}
    assert by_firm[("F1", ("T1",))].status == SCHEDULED
    assert by_firm[("F1", ("T2",))].status == DEFERRED and "上限" in by_firm[("F1", ("T2",))].reason
    assert by_firm[("F2", ("T3",))].status == SCHEDULED  # one visit in March leaves room for one more this year
    assert result.summary["firms_over_cap"] == 0 and result.summary["deferred_over_cap"] == 1


def test_history_in_the_rolling_year_uses_up_the_cap() -> None:
    pairs = [pair("T1", "F1", Q4[0], Q4[1], TEAM_A)]
    limits = Limits(per_quarter=1, per_year=2, daily_capacity=3)
    history = {"F1": [date(2026, 2, 10), date(2026, 6, 1)]}
    (visit,) = build_schedule(pairs, period=Q4, working_days=DAYS, limits=limits, history=history).visits
    assert visit.status == DEFERRED


def test_directed_visits_are_kept_and_reported_over_the_cap() -> None:
    pairs = [
        pair("T1", "F1", date(2026, 10, 8), date(2026, 10, 30), TEAM_A),
        pair("D1", "F1", date(2026, 11, 2), date(2026, 11, 27), TEAM_B, directed=True),
    ]
    limits = Limits(per_quarter=1, per_year=2, daily_capacity=3)
    result = build_schedule(pairs, period=Q4, working_days=DAYS, limits=limits)
    directed = next(v for v in result.visits if v.directed)
    ordinary = next(v for v in result.visits if not v.directed)
    assert directed.status == SCHEDULED and ordinary.status == DEFERRED


def test_department_without_a_drawn_inspector_leaves_the_visit_unstaffed() -> None:
    pairs = [pair("T1", "F1", Q4[0], Q4[1], (m("A1", "SCJG", "1"), m("A3", "SCJG", "2")), depts=("SCJG", "WSJK"))]
    (visit,) = build_schedule(pairs, period=Q4, working_days=DAYS, limits=ROOMY).visits
    assert visit.status == UNSTAFFED and "WSJK" in visit.reason


def test_full_inspectors_make_the_visit_undated_and_are_named() -> None:
    day = date(2026, 12, 3)
    team = (m("P1", "SCJG", "1"), m("P2", "WSJK", "2"))
    pairs = [pair("T1", f"F{n}", day, day, team) for n in range(3)]
    result = build_schedule(pairs, period=Q4, working_days=DAYS, limits=Limits(5, 5, daily_capacity=2))
    undated = [v for v in result.visits if v.status == UNDATED]
    assert len(undated) == 1 and "P1" in undated[0].reason and "2026-12-03" in undated[0].reason


def test_window_without_working_day_is_explained() -> None:
    pairs = [pair("T1", "F1", date(2026, 10, 3), date(2026, 10, 5), TEAM_A)]  # National Day holiday
    (visit,) = build_schedule(pairs, period=Q4, working_days=DAYS, limits=ROOMY).visits
    assert visit.status == UNDATED and "没有工作日" in visit.reason


def test_max_disjoint_windows_counts_a_firms_unavoidable_visits() -> None:
    d = date(2026, 10, 1)
    windows = [(d, d + timedelta(5)), (d + timedelta(3), d + timedelta(9)), (d + timedelta(7), d + timedelta(12))]
    assert max_disjoint_windows(windows) == 2


def _random_instance(seed: int) -> tuple[list[Pair], frozenset[tuple[str, str]]]:
    rng = random.Random(seed)
    depts = ["SCJG", "WSJK", "YJGL", "STHJ"]
    inspectors = [m(f"I{n:02d}", depts[n % 4], f"{rng.getrandbits(32):08x}") for n in range(12)]
    pairs = []
    for t in range(6):
        start = Q4[0] + timedelta(days=rng.randrange(60))
        end = start + timedelta(days=rng.randrange(3, 30))
        task_depts = rng.sample(depts, rng.choice([1, 2]))
        for f in rng.sample(range(40), 15):
            team = tuple(
                x
                for d in task_depts
                for x in rng.sample([i for i in inspectors if i.department == d], 2 if len(task_depts) == 1 else 1)
            )
            pairs.append(
                pair(
                    f"T{t}",
                    f"F{f:02d}",
                    start,
                    end,
                    team,
                    depts=tuple(sorted(task_depts)),
                    town=f"T{f % 5}",
                    directed=t == 5,
                )
            )
    recused = frozenset((i.badge, f"F{f:02d}") for i in inspectors[:3] for f in range(0, 40, 7))
    return pairs, recused


def test_random_instances_keep_every_invariant() -> None:
    limits = Limits(per_quarter=1, per_year=2, daily_capacity=2)
    for seed in range(25):
        pairs, recused = _random_instance(seed)
        result = build_schedule(pairs, period=Q4, working_days=DAYS, limits=limits, recused=recused)
        per_day: dict[tuple[str, date], int] = {}
        ordinary: dict[str, int] = {}
        for v in result.visits:
            if v.status == DEFERRED:
                assert v.reason
                continue
            if not v.directed:
                ordinary[v.firm] = ordinary.get(v.firm, 0) + 1
            if v.status in (UNSTAFFED, UNDATED):
                assert v.reason
                continue
            assert {x.department for x in v.team} >= set(v.departments) and len(v.team) >= 2
            assert not any((x.badge, v.firm) in recused for x in v.team)
            assert v.day is not None and v.start <= v.day <= v.end and v.day in DAYS
            for x in v.team:
                per_day[(x.badge, v.day)] = per_day.get((x.badge, v.day), 0) + 1
        assert max(per_day.values()) <= limits.daily_capacity
        assert max(ordinary.values(), default=0) <= limits.per_quarter
        assert result.summary["firms_over_cap"] == 0 and result.summary["scheduled"] > 0
        assert result.summary["merged_visits"] > 0
        assert result.summary["visits_after_merging"] == result.summary["lower_bound_visits"]


def test_same_inputs_give_the_same_schedule_whatever_their_order() -> None:
    pairs, recused = _random_instance(7)
    first = build_schedule(pairs, period=Q4, working_days=DAYS, limits=ROOMY, recused=recused)
    shuffled = list(pairs)
    random.Random(1).shuffle(shuffled)
    second = build_schedule(shuffled, period=Q4, working_days=DAYS, limits=ROOMY, recused=recused)
    assert [(v.firm, v.tasks, v.day, v.team, v.status) for v in first.visits] == [
        (v.firm, v.tasks, v.day, v.team, v.status) for v in second.visits
    ]
    assert first.summary == second.summary
