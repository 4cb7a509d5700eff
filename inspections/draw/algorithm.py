"""Draw algorithm v1 (docs/draw-algorithm.md): pure, deterministic and independently verifiable.

Nothing here touches a database or Flask; the same functions run the draw in the app and
re-run it in `supervise draw verify` from the published files alone."""

from __future__ import annotations

import gc
import hashlib
import heapq
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction
from itertools import chain, compress, islice, repeat
from operator import itemgetter, lt
from typing import TypeVar

from inspections.draw.parallel import chunks, fork_map
from inspections.draw.rows import Officer, Outcome, Target
from inspections.draw.teams import jurisdiction, staff

ALGORITHM = "supervise-draw/v1"
TIERS = ("A", "B", "C", "D")


class DrawInputError(ValueError):
    """The draw's inputs are inconsistent (bad ratio, unknown tier, reveal not matching, ...)."""


class UnsortedError(DrawInputError):
    """A published file's lines are out of order or duplicated."""


RowT = TypeVar("RowT", Target, Officer)


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


def sha256_hex(text: str) -> str:
    """Return the lowercase hex SHA-256 of a UTF-8 string."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


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
    return _format(targets)


def format_inspectors(officers: Iterable[Officer]) -> str:
    """Render inspectors.txt: one `BADGE<TAB>DEPARTMENT<TAB>REGION<TAB>NAME` line per inspector, sorted by badge."""
    return _format(tuple(o[:4]) for o in officers)  # type: ignore[misc]


_WHITESPACE = re.compile(r"\s")  # exactly the characters str.split() splits on (str.isspace)


def _format(rows: Iterable[tuple[str, str, str, str]]) -> str:
    with gc_paused():
        ordered: list[tuple[str, str, str, str]] = sorted(rows, key=itemgetter(0))
        # clean_field(name) == name for a name without white space: one C-level scan finds the few others.
        if _WHITESPACE.search("".join(map(itemgetter(3), ordered))):
            ordered = [(*r[:3], clean_field(r[3])) if _WHITESPACE.search(r[3]) else r for r in ordered]
        # Joining each row's fields is about twice as fast as formatting them, over a million lines.
        return "\n".join(map("\t".join, ordered)) + "\n" if ordered else ""


def parse_population(text: str, first_line: int = 1) -> list[Target]:
    """Parse population.txt (or a run of its lines starting at `first_line`), refusing malformed or unsorted files."""
    return _parse(text, Target, "population.txt", first_line)


def parse_inspectors(text: str) -> list[Officer]:
    """Parse inspectors.txt, refusing malformed or unsorted files."""
    return _parse(text, Officer, "inspectors.txt")


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while allocating millions of rows that hold no cycles."""
    # Without this the collector runs thousands of times over the growing lists: parsing a million
    # lines takes several times longer.
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _parse(text: str, row: type[RowT], what: str, first_line: int = 1) -> list[RowT]:
    fields = split_fields(text, what, first_line)
    with gc_paused():
        return list(map(tuple.__new__, repeat(row), fields))


def split_fields(text: str, what: str, first_line: int = 1) -> list[list[str]]:
    """Split a published file into its lines' 4 fields, refusing malformed or unsorted files."""
    # C-level passes (split, len, comparison) over a million lines; the slow line-by-line loops run
    # only to name the first bad line.
    if text and not text.endswith("\n"):
        raise DrawInputError(f"{what}: file must end with a newline")
    with gc_paused():
        fields = list(map(str.split, text.split("\n")[:-1], repeat("\t")))
        if set(map(len, fields)) - {4}:
            n, bad = next((n, p) for n, p in enumerate(fields, 1) if len(p) != 4)
            raise DrawInputError(
                f"{what}: line {n + first_line - 1}: expected 4 tab-separated fields, found {len(bad)}"
            )
        keys = list(map(itemgetter(0), fields))
    if not all(map(str.__lt__, keys, islice(keys, 1, None))):
        for i in range(1, len(keys)):
            if keys[i - 1] >= keys[i]:
                raise UnsortedError(f"{what}: line {i + first_line} is out of order or duplicated ({keys[i]})")
    return fields


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


def target_tickets(seed: str, usccs: Iterable[str]) -> list[bytes]:
    """The raw SHA-256 target tickets of many firms; bytes order equals the order of their hex."""
    base = hashlib.sha256(f"{seed}|target|".encode())

    def make(uscc: str) -> bytes:
        h = base.copy()  # the common prefix is hashed once
        h.update(uscc.encode())
        return h.digest()

    with gc_paused():
        return list(map(make, usccs))


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
    return firm_region.startswith(jurisdiction(officer_region))


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
    processes: int = 1,
) -> Outcome:
    """Select targets per tier by lowest ticket, then staff each with a team (§4-§5).

    `processes` > 1 spreads the hashing over forked processes; the outcome is the same either way."""
    check_team(departments, team_size)
    with gc_paused():
        usccs = list(map(itemgetter(0), population))
        tiers = list(map(itemgetter(1), population))
        tier_sizes = Counter(tiers)
        for tier in sorted(set(tier_sizes) - set(TIERS)):
            raise unknown_tier(usccs[tiers.index(tier)], tier)
        k = quotas(tier_sizes, sample)

        def lowest(span: range) -> dict[str, list[tuple[bytes, str, int]]]:
            return lowest_per_tier(seed, usccs[span.start : span.stop], tiers[span.start : span.stop], span.start, k)

        chosen = merge_lowest(fork_map(lowest, chunks(len(usccs), processes)), k)
    return staff_chosen(
        seed=seed,
        quotas=k,
        chosen=[(tk, population[i]) for tk, _u, i in chosen],
        officers=officers,
        departments=departments,
        team_size=team_size,
        max_per_inspector=max_per_inspector,
        recusals=recusals,
        processes=processes,
    )


def unknown_tier(uscc: str, tier: str) -> DrawInputError:
    """The error for a firm whose tier is none of TIERS."""
    return DrawInputError(f"firm {uscc} has unknown tier {tier!r}")


def check_team(departments: Sequence[str], team_size: int) -> None:
    """Refuse team rules no draw can satisfy."""
    if team_size < 2:
        raise DrawInputError("team_size must be at least 2 (执法人员不少于两人)")
    if len(departments) > team_size:
        raise DrawInputError("team_size must be at least the number of participating departments")


def merge_lowest(
    parts: Iterable[Mapping[str, list[tuple[bytes, str, int]]]], k: Mapping[str, int]
) -> list[tuple[bytes, str, int]]:
    """The k lowest of each tier over every part's k lowest, in ticket order (ties, practically impossible, by USCC)."""
    parts = list(parts)
    # The k lowest of a tier are among the union of every part's k lowest: merging is exact.
    chosen = [row for tier in TIERS for row in heapq.nsmallest(k[tier], chain.from_iterable(p[tier] for p in parts))]
    chosen.sort()
    return chosen


def staff_chosen(
    *,
    seed: str,
    quotas: dict[str, int],
    chosen: Sequence[tuple[bytes, Target]],
    officers: Sequence[Officer],
    departments: Sequence[str],
    team_size: int,
    max_per_inspector: int,
    recusals: Iterable[tuple[str, str]] = (),
    processes: int = 1,
    cross_office: bool = False,
    office_prefix: Callable[[str], str] = jurisdiction,
) -> Outcome:
    """Staff the selected firms (in ticket order) with teams and return the outcome (§5, §10.5)."""
    check_team(departments, team_size)
    outcome = Outcome(quotas=quotas)
    staff(
        outcome,
        [(tk.hex(), target) for tk, target in chosen],
        seed=seed,
        officers=officers,
        departments=sorted(departments),
        team_size=team_size,
        max_per_inspector=max_per_inspector,
        recusals=set(recusals),
        processes=processes,
        cross_office=cross_office,
        office_prefix=office_prefix,
    )
    return outcome


def lowest_per_tier(
    seed: str, usccs: list[str], tiers: list[str], offset: int, k: Mapping[str, int], margin: float = 2.0
) -> dict[str, list[tuple[bytes, str, int]]]:
    """(ticket, USCC, index) of the k lowest target tickets of each tier among these firms (index from offset)."""
    tickets = target_tickets(seed, usccs)
    sizes = Counter(tiers)
    out: dict[str, list[tuple[bytes, str, int]]] = {t: [] for t in TIERS}
    pending = {t: margin for t in TIERS if k[t] and sizes[t]}  # tier -> margin over its expected share
    while pending:
        # Tickets are uniform: keep those under a prefix bound that ~margin*k of the tier's firms fall below,
        # in one C-level pass; a tier with fewer than k kept is redone with a wider bound. Exact either way:
        # every ticket left out is >= the bound > every ticket kept.
        bounds = {t: prefix_bound(min(1.0, m * (k[t] + 32) / sizes[t])) for t, m in pending.items()}
        below = map(lt, tickets, map(bounds.get, tiers, repeat(b"")))
        kept: dict[str, list[tuple[bytes, str, int]]] = {t: [] for t in pending}
        for row in compress(zip(tickets, usccs, range(offset, offset + len(usccs)), tiers, strict=True), below):
            kept[row[3]].append(row[:3])
        for tier in list(pending):
            if len(kept[tier]) >= min(k[tier], sizes[tier]):
                out[tier] = heapq.nsmallest(k[tier], kept[tier])
                del pending[tier]
            else:
                pending[tier] = 4 * pending[tier] + 1  # grows even from 0: ends at the whole tier
    return out


def prefix_bound(share: float) -> bytes:
    """A byte string that about `share` of uniform SHA-256 digests sort below (all of them at 1.0)."""
    if share >= 1.0:
        return b"\xff" * 33  # longer than any digest: every digest sorts below it
    return math.floor(share * 2**64).to_bytes(8, "big")
