"""Draw algorithm v1 (docs/draw-algorithm.md): pure, deterministic and independently verifiable.

Nothing here touches a database or Flask; the same functions run the draw in the app and
re-run it in `supervise draw verify` from the published files alone."""

from __future__ import annotations

import hashlib
import heapq
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, NamedTuple

ALGORITHM = "supervise-draw/v1"
TIERS = ("A", "B", "C", "D")


class DrawInputError(ValueError):
    """The draw's inputs are inconsistent (bad ratio, unknown tier, reveal not matching, ...)."""


class Target(NamedTuple):
    """An eligible market entity as published in population.txt."""

    uscc: str
    tier: str
    region: str
    name: str = ""


class Officer(NamedTuple):
    """An eligible inspector as published in inspectors.txt."""

    badge: str
    department: str
    region: str
    name: str = ""


@dataclass(frozen=True)
class Sample:
    """Sampling rule: per-tier ratios, optionally with a total count allocated across tiers."""

    ratios: Mapping[str, str]  # tier -> decimal string, e.g. {"A": "0.01", "D": "0.3"}
    count: int | None = None


@dataclass(frozen=True)
class Participant:
    """One party to the commit-reveal seed."""

    participant: str
    commitment: str
    reveal: str | None = None


@dataclass
class Outcome:
    quotas: dict[str, int]
    selected: list[dict[str, Any]] = field(default_factory=list)
    unstaffed: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"quotas": self.quotas, "selected": self.selected, "unstaffed": self.unstaffed}


def sha256_hex(text: str) -> str:
    """Return the lowercase hex SHA-256 of a UTF-8 string."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def canonical(value: Any) -> str:
    """Serialize JSON canonically: sorted keys, no whitespace, non-ASCII kept as UTF-8."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def clean_field(text: str) -> str:
    """Make a free-text value safe for a tab-separated line."""
    return " ".join(text.replace("\t", " ").split())


def population_digest(usccs: Iterable[str]) -> str:
    """SHA-256 of the sorted USCCs joined by newlines (no trailing newline)."""
    return sha256_hex("\n".join(sorted(usccs)))


def inspector_digest(badges: Iterable[str]) -> str:
    """SHA-256 of the sorted badge numbers joined by newlines (no trailing newline)."""
    return sha256_hex("\n".join(sorted(badges)))


def format_population(targets: Iterable[Target]) -> str:
    """Render population.txt: one `USCC<TAB>TIER<TAB>REGION<TAB>NAME` line per firm, sorted by USCC."""
    ordered = sorted(targets, key=lambda t: t.uscc)  # a key: dataclass ordering compares whole tuples, slowly
    return "".join(f"{t.uscc}\t{t.tier}\t{t.region}\t{clean_field(t.name)}\n" for t in ordered)


def format_inspectors(officers: Iterable[Officer]) -> str:
    """Render inspectors.txt: one `BADGE<TAB>DEPARTMENT<TAB>REGION<TAB>NAME` line per inspector, sorted by badge."""
    ordered = sorted(officers, key=lambda o: o.badge)
    return "".join(f"{o.badge}\t{o.department}\t{o.region}\t{clean_field(o.name)}\n" for o in ordered)


def parse_population(text: str) -> list[Target]:
    """Parse population.txt, refusing malformed or unsorted files."""
    rows = [Target._make(_fields(line, 4, n)) for n, line in enumerate(_lines(text), 1)]
    _require_sorted([r.uscc for r in rows], "population.txt")
    return rows


def parse_inspectors(text: str) -> list[Officer]:
    """Parse inspectors.txt, refusing malformed or unsorted files."""
    rows = [Officer._make(_fields(line, 4, n)) for n, line in enumerate(_lines(text), 1)]
    _require_sorted([r.badge for r in rows], "inspectors.txt")
    return rows


def _lines(text: str) -> list[str]:
    if text and not text.endswith("\n"):
        raise DrawInputError("file must end with a newline")
    return text.split("\n")[:-1] if text else []


def _fields(line: str, n: int, lineno: int) -> list[str]:
    parts = line.split("\t")
    if len(parts) != n:
        raise DrawInputError(f"line {lineno}: expected {n} tab-separated fields, found {len(parts)}")
    return parts


def _require_sorted(keys: list[str], what: str) -> None:
    for i in range(1, len(keys)):
        if keys[i - 1] >= keys[i]:
            raise DrawInputError(f"{what}: line {i + 1} is out of order or duplicated ({keys[i]})")


def commitment_of(reveal: str) -> str:
    """The commitment a participant publishes before the freeze: SHA-256 of the secret."""
    return sha256_hex(reveal)


def compute_seed(participants: Sequence[Participant], beacon: str | None) -> str:
    """SHA-256 over `participant=reveal` lines sorted by participant, then `beacon=value`."""
    lines = []
    for p in sorted(participants, key=lambda p: p.participant):
        if p.reveal is None:
            raise DrawInputError(f"participant {p.participant} has not revealed")
        if commitment_of(p.reveal) != p.commitment:
            raise DrawInputError(f"reveal of {p.participant} does not match its commitment")
        lines.append(f"{p.participant}={p.reveal}\n")
    lines.append(f"beacon={beacon or ''}\n")
    return sha256_hex("".join(lines))


def ticket(seed: str, role: str, key: str) -> str:
    """ticket(role, key) = SHA-256(f"{seed}|{role}|{key}") in lowercase hex."""
    return sha256_hex(f"{seed}|{role}|{key}")


def ticketer(seed: str, role: str) -> Any:
    """A fast ticket(role, ·) for one seed: the hash state of the common prefix is computed once."""
    base = hashlib.sha256(f"{seed}|{role}|".encode())

    def make(key: str) -> str:
        h = base.copy()
        h.update(key.encode("utf-8"))
        return h.hexdigest()

    return make


def _ratio(tier: str, text: str) -> Fraction:
    try:
        value = Fraction(text)
    except (ValueError, ZeroDivisionError):
        raise DrawInputError(f"ratio for tier {tier} is not a decimal number: {text!r}") from None
    if not 0 <= value <= 1:
        raise DrawInputError(f"ratio for tier {tier} must be between 0 and 1, not {text}")
    return value


def quotas(tier_sizes: Mapping[str, int], sample: Sample) -> dict[str, int]:
    """How many firms each tier contributes (docs/draw-algorithm.md §4)."""
    unknown = set(sample.ratios) - set(TIERS)
    if unknown:
        raise DrawInputError(f"unknown tiers {sorted(unknown)}")
    ratios = {t: _ratio(t, sample.ratios.get(t, "0")) for t in TIERS}
    sizes = {t: tier_sizes.get(t, 0) for t in TIERS}
    if sample.count is None:
        return {t: min(sizes[t], math.ceil(sizes[t] * ratios[t])) for t in TIERS}
    if sample.count < 0:
        raise DrawInputError("count must not be negative")
    result = {t: 0 for t in TIERS}
    active = [t for t in TIERS if sizes[t] > 0 and ratios[t] > 0]
    remaining = min(sample.count, sum(sizes[t] for t in active))
    while active and remaining > 0:
        weights = {t: sizes[t] * ratios[t] for t in active}
        total = sum(weights.values())
        shares = {t: remaining * weights[t] / total for t in active}
        alloc = {t: math.floor(shares[t]) for t in active}
        left = remaining - sum(alloc.values())
        for t in sorted(active, key=lambda t: (-(shares[t] - alloc[t]), t))[:left]:
            alloc[t] += 1
        over = [t for t in active if alloc[t] > sizes[t]]
        if not over:
            for t in active:
                result[t] = alloc[t]
            break
        for t in over:  # a full tier gives everything it has; the rest is shared again
            result[t] = sizes[t]
            remaining -= sizes[t]
            active.remove(t)
    return result


def covers(officer_region: str, firm_region: str) -> bool:
    """属地: an inspector may inspect firms in their own county, or anywhere under their city/province."""
    prefix = officer_region
    while prefix.endswith("00") and len(prefix) > 2:
        prefix = prefix[:-2]
    return firm_region.startswith(prefix)


def run_draw(
    *,
    seed: str,
    population: Sequence[Target],
    officers: Sequence[Officer],
    sample: Sample,
    departments: Sequence[str],
    team_size: int,
    max_per_inspector: int,
    recusals: Iterable[tuple[str, str]] = (),
) -> Outcome:
    """Select targets per tier by lowest ticket, then staff each with a team (§4-§5)."""
    if team_size < 2:
        raise DrawInputError("team_size must be at least 2 (执法人员不少于两人)")
    if len(departments) > team_size:
        raise DrawInputError("team_size must be at least the number of participating departments")
    tier_sizes: dict[str, int] = {}
    for t in population:
        if t.tier not in TIERS:
            raise DrawInputError(f"firm {t.uscc} has unknown tier {t.tier!r}")
        tier_sizes[t.tier] = tier_sizes.get(t.tier, 0) + 1
    k = quotas(tier_sizes, sample)
    by_uscc = {t.uscc: t for t in population}
    chosen: list[tuple[str, Target]] = []
    by_tier: dict[str, list[str]] = {tier: [] for tier in TIERS}
    for t in population:
        by_tier[t.tier].append(t.uscc)
    target_ticket, inspector_ticket = ticketer(seed, "target"), ticketer(seed, "inspector")
    for tier in TIERS:
        lowest = heapq.nsmallest(k[tier], ((target_ticket(u), u) for u in by_tier[tier]))
        chosen.extend((tk, by_uscc[u]) for tk, u in lowest)
    chosen.sort(key=lambda pair: (pair[0], pair[1].uscc))

    blocked = set(recusals)
    depts = sorted(departments)
    load = {o.badge: 0 for o in officers}
    # Officers indexed by the region prefix they cover (33, 3301, 330102): a firm's candidates are the
    # officers under its province, city and county prefixes, in pool order.
    by_jurisdiction: dict[str, list[tuple[int, Officer]]] = {}
    for n, o in enumerate(officers):
        prefix = o.region
        while prefix.endswith("00") and len(prefix) > 2:
            prefix = prefix[:-2]
        by_jurisdiction.setdefault(prefix, []).append((n, o))
    by_prefix: dict[str, list[Officer]] = {}
    outcome = Outcome(quotas=k)
    for tk, target in chosen:
        candidates = by_prefix.get(target.region)
        if candidates is None:
            found = [
                pair
                for cut in range(1, len(target.region) + 1)
                for pair in by_jurisdiction.get(target.region[:cut], [])
            ]
            candidates = by_prefix[target.region] = [o for _n, o in sorted(found)]
        eligible = sorted(
            (inspector_ticket(f"{target.uscc}|{o.badge}"), o.badge, o)
            for o in candidates
            if (o.badge, target.uscc) not in blocked and load[o.badge] < max_per_inspector
        )
        team: list[Officer] = []
        reason = None
        for dept in depts:
            pick = next((o for _t, _b, o in eligible if o.department == dept and o not in team), None)
            if pick is None:
                reason = f"no eligible inspector from {dept}"
                break
            team.append(pick)
        if reason is None:
            for _t, _b, o in eligible:
                if len(team) >= team_size:
                    break
                if o not in team:
                    team.append(o)
            if len(team) < team_size:
                reason = f"only {len(team)} eligible inspectors; the team needs {team_size}"
        entry = {"uscc": target.uscc, "tier": target.tier, "ticket": tk}
        if reason is not None:
            outcome.unstaffed.append({**entry, "reason": reason})
            continue
        for o in team:
            load[o.badge] += 1
        outcome.selected.append({**entry, "team": [o.badge for o in team]})
    return outcome
