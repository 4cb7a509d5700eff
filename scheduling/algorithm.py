"""Joint-inspection scheduling (进一户、查多项) on plain data: merge, burden cap, teams, dates (docs/scheduling.md).

No Flask, no session: `build_schedule` takes the drawn (task, firm) pairs and returns visits and a summary.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, NamedTuple

import networkx as nx

SCHEDULED, DEFERRED, UNSTAFFED, UNDATED = "scheduled", "deferred", "unstaffed", "undated"


class Member(NamedTuple):
    """A drawn inspector of one target; `ticket` is the draw's inspector ticket (lower = drawn first)."""

    badge: str
    department: str
    ticket: str


class Pair(NamedTuple):
    """One firm selected by one task's draw, with the team the draw gave it."""

    task: str
    firm: str  # USCC
    township: str
    start: date
    end: date
    directed: bool
    departments: tuple[str, ...]
    items: tuple[str, ...]
    team: tuple[Member, ...]


@dataclass(frozen=True)
class Limits:
    per_quarter: int = 1  # random-inspection visits per firm in any rolling 90 days
    per_year: int = 2  # ... and in any rolling 365 days
    daily_capacity: int = 3  # visits per inspector per working day


@dataclass
class Visit:
    firm: str
    township: str
    start: date
    end: date
    tasks: tuple[str, ...]
    departments: tuple[str, ...]
    items: tuple[str, ...]
    directed: bool
    candidates: list[Member]
    team: list[Member] = field(default_factory=list)
    day: date | None = None
    status: str = SCHEDULED
    reason: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.firm}|{self.start}|{'+'.join(self.tasks)}"


@dataclass
class Schedule:
    visits: list[Visit]
    summary: dict[str, Any]


def _span(a: date, b: date) -> str:
    return f"{a.isoformat()}至{b.isoformat()}"


def merge_firm(pairs: Sequence[Pair]) -> list[Visit]:
    """Cover one firm's task windows with the fewest visits whose windows intersect (greedy by window end)."""
    todo = sorted(pairs, key=lambda p: (p.end, p.start, p.task))
    visits: list[Visit] = []
    while todo:
        stab = todo[0].end  # the earliest end: every window starting by then contains it
        group = [p for p in todo if p.start <= stab]
        todo = [p for p in todo if p.start > stab]
        group.sort(key=lambda p: p.task)
        visits.append(
            Visit(
                firm=group[0].firm,
                township=group[0].township,
                start=max(p.start for p in group),
                end=stab,
                tasks=tuple(p.task for p in group),
                departments=tuple(sorted({d for p in group for d in p.departments})),
                items=tuple(sorted({i for p in group for i in p.items})),
                directed=any(p.directed for p in group),
                candidates=[m for p in group for m in p.team],
            )
        )
    if len(visits) > 1:
        for a, b in zip(visits, visits[1:], strict=False):
            note = (
                f"任务{'、'.join(a.tasks)}（{_span(a.start, a.end)}）与"
                f"{'、'.join(b.tasks)}（{_span(b.start, b.end)}）的检查时段不相交，无法合并"
            )
            a.notes.append(note)
            b.notes.append(note)
    return visits


def max_disjoint_windows(windows: Iterable[tuple[date, date]]) -> int:
    """Count the most pairwise non-intersecting windows: a lower bound on a firm's visits."""
    count, last_end = 0, None
    for start, end in sorted(windows, key=lambda w: (w[1], w[0])):
        if last_end is None or start > last_end:
            count, last_end = count + 1, end
    return count


def apply_cap(visits: list[Visit], *, history: Sequence[date], period: tuple[date, date], limits: Limits) -> None:
    """Defer ordinary visits beyond the per-firm burden cap; directed visits are kept and count against it."""
    start, end = period
    # Conservative: every past visit that a rolling window ending inside the period could contain counts.
    used_q = sum(1 for d in history if start - timedelta(days=89) <= d <= end)
    used_y = sum(1 for d in history if end - timedelta(days=364) <= d <= end)
    ordered = sorted(visits, key=lambda v: (not v.directed, -len(v.departments), -len(v.tasks), v.end, v.key))
    for v in ordered:
        if v.directed or (used_q < limits.per_quarter and used_y < limits.per_year):
            used_q, used_y = used_q + 1, used_y + 1
            if v.directed and (used_q > limits.per_quarter or used_y > limits.per_year):
                v.notes.append("定向检查不受随机抽查频次上限约束，已计入该主体的检查次数")
            continue
        v.status = DEFERRED
        v.reason = (
            f"该主体在滚动期内已有{used_q}次随机检查（每季度上限{limits.per_quarter}次、"
            f"每年上限{limits.per_year}次，已用{used_y}次），推迟至下一周期"
        )


def staff(visit: Visit, *, recused: frozenset[tuple[str, str]] = frozenset()) -> None:
    """Reduce the drawn teams to one per department plus fill to at least two, in draw-ticket order."""
    seen: dict[str, Member] = {}
    for m in sorted(visit.candidates, key=lambda m: (m.ticket, m.badge)):
        if (m.badge, visit.firm) not in recused and m.badge not in seen:
            seen[m.badge] = m
    pool = list(seen.values())
    team: list[Member] = []
    missing = []
    for dept in visit.departments:
        first = next((m for m in pool if m.department == dept), None)
        if first is None:
            missing.append(dept)
        else:
            team.append(first)
    size = max(2, len(visit.departments))
    for m in pool:
        if len(team) >= size:
            break
        if m not in team:
            team.append(m)
    if missing:
        visit.status, visit.reason = UNSTAFFED, f"部门{'、'.join(missing)}没有可派出的抽中检查人员"
    elif len(team) < 2:
        visit.status, visit.reason = UNSTAFFED, "抽中的检查人员不足两人（执法人员不少于两人）"
    visit.team = sorted(team, key=lambda m: (m.ticket, m.badge))


def conflict_graph(visits: Sequence[Visit]) -> nx.Graph:
    """Visits as nodes, an edge wherever two visits share an inspector."""
    graph = nx.Graph()
    by_badge: dict[str, list[int]] = defaultdict(list)
    for i, v in enumerate(visits):
        graph.add_node(i)
        for m in v.team:
            by_badge[m.badge].append(i)
    for members in by_badge.values():
        graph.add_edges_from((a, b) for a, b in zip(members, members[1:], strict=False))
        # A path per inspector is enough for connectivity; degrees use the per-inspector load instead.
    return graph


def date_visits(
    visits: Sequence[Visit],
    *,
    working_days: Sequence[date],
    limits: Limits,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Give each staffed visit a working day in its window; no inspector over the daily capacity."""
    todo = [v for v in visits if v.status == SCHEDULED]
    load: dict[str, int] = defaultdict(int)
    for v in todo:
        for m in v.team:
            load[m.badge] += 1
    graph = conflict_graph(todo)
    # Earliest deadline first; within a deadline the most constrained (busiest inspectors) first.
    components = sorted(nx.connected_components(graph), key=min)
    order: list[int] = []
    for comp in components:
        order.extend(
            sorted(
                comp,
                key=lambda i: (todo[i].end, -max(load[m.badge] for m in todo[i].team), todo[i].township, todo[i].key),
            )
        )
    days = sorted(set(working_days))
    busy: dict[tuple[str, date], int] = defaultdict(int)
    towns: dict[tuple[str, date], set[str]] = defaultdict(set)
    for n, i in enumerate(order):
        v = todo[i]
        window = [d for d in days if v.start <= d <= v.end]
        if not window:
            v.status, v.reason = UNDATED, f"检查时段{_span(v.start, v.end)}内没有工作日"
            continue
        feasible = [d for d in window if all(busy[(m.badge, d)] < limits.daily_capacity for m in v.team)]
        if not feasible:
            full = sorted(m.badge for m in v.team if all(busy[(m.badge, d)] >= limits.daily_capacity for d in window))
            who = "、".join(full) if full else "、".join(sorted(m.badge for m in v.team))
            v.status = UNDATED
            v.reason = (
                f"检查人员{who}在{_span(v.start, v.end)}的每个工作日均已排满"
                f"（每日上限{limits.daily_capacity}户），且无共同空闲日"
            )
            continue

        def score(d: date, v: Visit = v) -> tuple[int, int, date]:
            same_town = sum(1 for m in v.team if v.township in towns[(m.badge, d)])
            working = sum(1 for m in v.team if busy[(m.badge, d)] > 0)
            return (-same_town, -working, d)

        v.day = min(feasible, key=score)
        for m in v.team:
            busy[(m.badge, v.day)] += 1
            towns[(m.badge, v.day)].add(v.township)
        if progress and n % 500 == 0:
            progress(n, len(order))


def summarize(
    pairs: Sequence[Pair], visits: Sequence[Visit], *, history: Mapping[str, Sequence[date]], limits: Limits
) -> dict[str, Any]:
    """Counts the 督查室 and the bench read: merging, cap, staffing, dates and clustering."""
    by_firm: dict[str, list[tuple[date, date]]] = defaultdict(list)
    for p in pairs:
        by_firm[p.firm].append((p.start, p.end))
    lower = sum(max_disjoint_windows(w) for w in by_firm.values())
    per_day: dict[tuple[str, date], list[str]] = defaultdict(list)
    for v in visits:
        if v.day is not None:
            for m in v.team:
                per_day[(m.badge, v.day)].append(v.township)
    firm_counts: dict[str, list[Visit]] = defaultdict(list)
    for v in visits:
        if v.status != DEFERRED and not v.directed:
            firm_counts[v.firm].append(v)
    over = sum(
        1
        for firm, vs in firm_counts.items()
        if len(vs) + len(history.get(firm, ())) > limits.per_year or len(vs) > limits.per_quarter
    )
    inspector_visits = sum(len(v.team) for v in visits if v.day is not None)
    inspectors = {m.badge for v in visits if v.day is not None for m in v.team}
    per_inspector: dict[str, int] = defaultdict(int)
    for (badge, _d), _towns in per_day.items():
        per_inspector[badge] += len(_towns)
    statuses = {s: sum(1 for v in visits if v.status == s) for s in (SCHEDULED, DEFERRED, UNSTAFFED, UNDATED)}
    merged = [v for v in visits if len(v.tasks) > 1]
    return {
        "visits_before_merging": len(pairs),
        "visits_after_merging": len(visits),
        "lower_bound_visits": lower,
        "repeat_checks_avoided": len(pairs) - len(visits),
        "merged_visits": len(merged),
        "firms": len(by_firm),
        "scheduled": statuses[SCHEDULED],
        "deferred_over_cap": statuses[DEFERRED],
        "unstaffed": statuses[UNSTAFFED],
        "undated": statuses[UNDATED],
        "firms_over_cap": over,
        "max_visits_per_inspector_day": max((len(t) for t in per_day.values()), default=0),
        "avg_townships_per_inspector_day": round(sum(len(set(t)) for t in per_day.values()) / len(per_day), 3)
        if per_day
        else 0.0,
        "working_days_used": len({v.day for v in visits if v.day is not None}),
        "working_days_lower_bound": math.ceil(inspector_visits / limits.daily_capacity / len(inspectors))
        if inspectors
        else 0,
        "busiest_inspector_days_lower_bound": max(
            (math.ceil(n / limits.daily_capacity) for n in _load(visits).values()), default=0
        ),
    }


def _load(visits: Sequence[Visit]) -> dict[str, int]:
    load: dict[str, int] = defaultdict(int)
    for v in visits:
        if v.day is not None:
            for m in v.team:
                load[m.badge] += 1
    return load


def build_schedule(
    pairs: Sequence[Pair],
    *,
    period: tuple[date, date],
    working_days: Sequence[date],
    limits: Limits = Limits(),
    history: Mapping[str, Sequence[date]] | None = None,
    recused: frozenset[tuple[str, str]] = frozenset(),
    progress: Callable[[int, int], None] | None = None,
) -> Schedule:
    """Merge, cap, staff and date the visits of one region and period; deterministic for the same inputs."""
    history = history or {}
    by_firm: dict[str, list[Pair]] = defaultdict(list)
    for p in pairs:
        by_firm[p.firm].append(p)
    visits: list[Visit] = []
    for firm in sorted(by_firm):
        firm_visits = merge_firm(by_firm[firm])
        apply_cap(firm_visits, history=history.get(firm, ()), period=period, limits=limits)
        visits.extend(firm_visits)
    for v in visits:
        if v.status == SCHEDULED:
            staff(v, recused=recused)
    date_visits(visits, working_days=working_days, limits=limits, progress=progress)
    visits.sort(key=lambda v: (v.day or date.max, v.firm, v.start))
    return Schedule(visits, summarize(pairs, visits, history=history, limits=limits))
