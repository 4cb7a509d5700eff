"""Team assignment of draw algorithm v1 (docs/draw-algorithm.md §5): pure, deterministic, verifiable.

For each selected firm, in target-ticket order, its covering inspectors are ordered by inspector ticket
SHA-256(seed|inspector|USCC|BADGE) (ties by badge); one usable inspector per department is taken, then the
team is filled in that order. Hashing every covering inspector is what §5 requires; the speed comes from
hashing the firm's common prefix once and doing the per-inspector work in C (map, sorted)."""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Callable, Iterable, Sequence
from itertools import chain
from operator import itemgetter
from typing import Any

from inspections.draw.parallel import chunks, fork_map
from inspections.draw.rows import Officer, Outcome, Target


def jurisdiction(region: str) -> str:
    """The region prefix an inspector covers: trailing "00" pairs stripped (330100 -> 3301, 330000 -> 33)."""
    while region.endswith("00") and len(region) > 2:
        region = region[:-2]
    return region


def office_area(office: str) -> str:
    """The area an inspector's post covers, by the code's level (v3, §11.4): a township (9 digits) is itself,
    a county or higher office strips its trailing "00" pairs (330102100 stays, 330100 -> 3301)."""
    return office if len(office) == 9 else jurisdiction(office)


def candidates_by_region(
    officers: Sequence[Officer],
    regions: Iterable[str],
    *,
    cross_office: bool = False,
    office_prefix: Callable[[str], str] = jurisdiction,
) -> dict[str, list[tuple[bytes, int]]]:
    """Map each firm region to its covering officers (badge as bytes, pool index), in pool order.

    With 所所交叉 (v2), an officer whose post's area (`office_prefix(OFFICE)`) holds the firm is left out; v2
    strips "00" pairs from any code, v3 reads the code's level (`office_area`)."""
    by_jurisdiction: dict[str, list[int]] = {}
    for n, o in enumerate(officers):
        by_jurisdiction.setdefault(jurisdiction(o.region), []).append(n)
    out: dict[str, list[tuple[bytes, int]]] = {}
    for region in set(regions):
        found = sorted(n for cut in range(1, len(region) + 1) for n in by_jurisdiction.get(region[:cut], ()))
        if cross_office:
            found = [n for n in found if not region.startswith(office_prefix(officers[n].office))]
        out[region] = [(officers[n].badge.encode(), n) for n in found]
    return out


def ticket_order(seed: str, uscc: str, candidates: Sequence[tuple[bytes, int]]) -> array[int]:
    """Pool indices of the candidates sorted by this firm's inspector ticket, ties by badge (§5 step 2)."""
    base = hashlib.sha256(f"{seed}|inspector|{uscc}|".encode())

    def keyed(pair: tuple[bytes, int]) -> tuple[bytes, bytes, int]:
        h = base.copy()
        h.update(pair[0])
        return h.digest(), pair[0], pair[1]

    # Raw digests order like their hex; badges are ASCII, so bytes order is code-point order.
    return array("I", map(itemgetter(2), sorted(map(keyed, candidates))))


def pick_team(
    order: Iterable[int],
    department_of: Sequence[str],
    usable: Callable[[int], bool],
    departments: Sequence[str],
    team_size: int,
) -> tuple[list[int], str | None]:
    """Take the first usable inspector per department, then fill in order; return the team or why it failed."""
    # Loads change only after the team is chosen, so usability is fixed here: filter lazily, once per index.
    rest = (n for n in order if usable(n))
    seen: list[int] = []
    team: list[int] = []

    def first(wanted: Callable[[int], bool]) -> int | None:
        for n in seen:
            if wanted(n):
                return n
        for n in rest:  # consume the order only as far as needed
            seen.append(n)
            if wanted(n):
                return n
        return None

    for dept in departments:
        pick = first(lambda n: department_of[n] == dept and n not in team)  # noqa: B023 - used at once
        if pick is None:
            return team, f"no eligible inspector from {dept}"
        team.append(pick)
    while len(team) < team_size:
        pick = first(lambda n: n not in team)
        if pick is None:
            return team, f"only {len(team)} eligible inspectors; the team needs {team_size}"
        team.append(pick)
    return team, None


def staff(
    outcome: Outcome,
    chosen: Sequence[tuple[str, Target]],
    *,
    seed: str,
    officers: Sequence[Officer],
    departments: Sequence[str],
    team_size: int,
    max_per_inspector: int,
    recusals: set[tuple[str, str]],
    processes: int = 1,
    cross_office: bool = False,
    office_prefix: Callable[[str], str] = jurisdiction,
) -> None:
    """Give each chosen firm, in ticket order, a team; record it as selected or unstaffed."""
    candidates = candidates_by_region(
        officers, (t.region for _tk, t in chosen), cross_office=cross_office, office_prefix=office_prefix
    )

    def orders(span: range) -> list[array[int]]:
        return [ticket_order(seed, t.uscc, candidates[t.region]) for _tk, t in chosen[span.start : span.stop]]

    # The orders depend only on the seed: they are computed in parallel; loads make the picks sequential.
    all_orders = list(chain.from_iterable(fork_map(orders, chunks(len(chosen), processes))))
    badge_of = [o.badge for o in officers]
    department_of = [o.department for o in officers]
    load = [0] * len(officers)
    for (tk, target), order in zip(chosen, all_orders, strict=True):
        uscc = target.uscc

        def usable(n: int, uscc: str = uscc) -> bool:
            return load[n] < max_per_inspector and (badge_of[n], uscc) not in recusals

        team, reason = pick_team(order, department_of, usable, departments, team_size)
        entry: dict[str, Any] = {"uscc": uscc, "tier": target.tier, "ticket": tk}
        if reason is not None:
            outcome.unstaffed.append({**entry, "reason": reason})
            continue
        for n in team:
            load[n] += 1
        outcome.selected.append({**entry, "team": [badge_of[n] for n in team]})
