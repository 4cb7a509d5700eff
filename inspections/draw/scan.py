"""One pass over a published population.txt, in parallel parts: parse, check, count, digest and select.

The verifier needs, of a million lines, only their digest, their tier counts, whether an excluded firm is
among them and the lowest target tickets of each tier. Each part of the file is parsed and hashed where it
lies (in a forked process when there are several), and only those small results come back, so no process
ever holds the whole population as rows. Pure: no database, no Flask."""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import compress, repeat
from operator import itemgetter, lt

from inspections.draw.algorithm import (
    TIERS,
    DrawInputError,
    UnsortedError,
    gc_paused,
    merge_lowest,
    prefix_bound,
    sha256_hex,
    split_fields,
    target_tickets,
    unknown_tier,
)
from inspections.draw.parallel import fork_map
from inspections.draw.rows import Target


@dataclass
class Part:
    """What one run of lines contributes."""

    keys: str = ""  # its USCCs joined by "\n"
    first: str | None = None
    last: str | None = None
    tiers: Counter[str] = field(default_factory=Counter)
    unknown_tier: Target | None = None  # the first firm whose tier is none of TIERS
    excluded: list[str] = field(default_factory=list)  # excluded USCCs found among these lines
    lowest: dict[str, list[tuple[bytes, str, int]]] = field(default_factory=dict)
    rows: dict[int, Target] = field(default_factory=dict)  # the firms in `lowest`, by index
    error: DrawInputError | None = None  # the first problem in these lines, as parse_population words it


@dataclass(frozen=True)
class PopulationScan:
    """The whole file, as the verifier compares it with a record."""

    digest: str
    count: int
    tiers: dict[str, int]
    unknown_tier: Target | None
    excluded: frozenset[str]  # excluded USCCs found in the file
    chosen: list[tuple[bytes, Target]]  # the k lowest of each tier, in ticket order

    def check_tiers(self) -> None:
        """Raise DrawInputError naming the first firm whose tier is none of TIERS."""
        if self.unknown_tier is not None:
            raise unknown_tier(self.unknown_tier.uscc, self.unknown_tier.tier)


def line_parts(text: str, parts: int) -> list[tuple[int, int, int]]:
    """Cut the text into about `parts` runs of whole lines: (start, end, number of the first line)."""
    bounds = [0]
    for i in range(1, max(1, parts)):
        cut = text.find("\n", max(bounds[-1], len(text) * i // parts))
        if cut < 0:
            break
        bounds.append(cut + 1)
    bounds.append(len(text))
    bounds = sorted(set(bounds))
    out, line = [], 1
    for start, end in zip(bounds, bounds[1:], strict=False):
        out.append((start, end, line))
        line += text.count("\n", start, end)
    return out or [(0, 0, 1)]


RUN_LINES = 200_000  # lines parsed at a time within a part: a worker's memory is that of one run


def scan_part(
    text: str, start: int, end: int, first_line: int, *, seed: str, k: Mapping[str, int], excluded: frozenset[str]
) -> Part:
    """Parse lines [start, end) of population.txt, a run at a time, and reduce them to one Part.

    Each tier keeps only the tickets under a bound that about twice its share of k falls below (the part's tier
    sizes are counted first, in C); a tier left short is scanned again with a wider bound. Exact either way:
    every ticket left out is at or above the bound, above every ticket kept. As for a whole file, a malformed
    line anywhere is reported before any line out of order."""
    sizes = {t: text.count(f"\t{t}\t", start, end) for t in TIERS}  # the tier is the only TAB-framed letter
    margin = dict.fromkeys(TIERS, 2.0)
    while True:
        bounds = {
            t: prefix_bound(min(1.0, margin[t] * (k[t] + 32) / sizes[t])) if sizes[t] else b"\xff" * 33
            for t in TIERS
            if k[t]
        }
        part = _scan_runs(text, start, end, first_line, seed=seed, bounds=bounds, excluded=excluded)
        if part.error is not None:
            return part
        short = [t for t in bounds if len(part.lowest[t]) < min(k[t], part.tiers.get(t, 0))]
        if not short:
            break
        for t in short:  # grows even from a wrong count: ends at the whole tier
            margin[t] = 4 * margin[t] + 1
            sizes[t] = max(sizes[t], part.tiers.get(t, 0))
    part.lowest = {t: heapq.nsmallest(k[t], part.lowest.get(t, ())) for t in TIERS}
    part.rows = {i: part.rows[i] for kept in part.lowest.values() for _t, _u, i in kept}
    return part


def _scan_runs(
    text: str,
    start: int,
    end: int,
    first_line: int,
    *,
    seed: str,
    bounds: Mapping[str, bytes],
    excluded: frozenset[str],
) -> Part:
    """Parse lines [start, end) a run at a time: counts, keys, excluded firms and the tickets under the bounds."""
    part = Part(lowest={t: [] for t in TIERS})
    keys: list[str] = []
    unsorted: DrawInputError | None = None
    line = first_line
    while True:
        cut = text.find("\n", min(end, start + RUN_LINES * 40), end)  # about RUN_LINES lines
        stop = end if cut < 0 else cut + 1
        try:
            fields = split_fields(text[start:stop], "population.txt", line)
        except UnsortedError as exc:
            unsorted = unsorted or exc
            fields = []
        except DrawInputError as exc:
            return Part(error=exc)
        if fields and unsorted is None:
            with gc_paused():
                _add_run(part, fields, line - 1, seed=seed, bounds=bounds, excluded=excluded)
            if keys and fields[0][0] <= _last(keys[-1]):  # the run must follow the one before it
                unsorted = UnsortedError(f"population.txt: line {line} is out of order or duplicated ({fields[0][0]})")
            keys.append("\n".join(map(itemgetter(0), fields)))
        line += text.count("\n", start, stop)
        start = stop
        if start >= end:
            break
    if unsorted is not None:
        return Part(error=unsorted)
    part.keys = "\n".join(filter(None, keys))
    return part


def _last(keys: str) -> str:
    return keys[keys.rfind("\n") + 1 :]


def _add_run(
    part: Part,
    fields: list[list[str]],
    offset: int,
    *,
    seed: str,
    bounds: Mapping[str, bytes],
    excluded: frozenset[str],
) -> None:
    """Add one run's lines (indices from offset) to the part."""
    usccs = list(map(itemgetter(0), fields))
    tiers = list(map(itemgetter(1), fields))
    counts = Counter(tiers)
    part.tiers.update(counts)
    part.first = part.first or usccs[0]
    part.last = usccs[-1]
    unknown = set(counts) - set(TIERS)
    if unknown and part.unknown_tier is None:
        part.unknown_tier = Target(*next(f for f in fields if f[1] in unknown))
    part.excluded += sorted(excluded.intersection(usccs))
    tickets = target_tickets(seed, usccs)
    below = map(lt, tickets, map(bounds.get, tiers, repeat(b"")))
    for row in compress(zip(tickets, usccs, range(offset, offset + len(usccs)), tiers, strict=True), below):
        part.lowest[row[3]].append(row[:3])
        # Only the kept lines become Targets: a tuple per line would cost ~0.1 s per half million lines.
        part.rows[row[2]] = Target(*fields[row[2] - offset])


def scan_population(
    text: str, *, seed: str, k: Mapping[str, int], excluded: Iterable[str] = (), processes: int = 1
) -> PopulationScan:
    """Scan population.txt in `processes` parts; raise DrawInputError naming its first bad line."""
    if text and not text.endswith("\n"):
        raise DrawInputError("population.txt: file must end with a newline")
    ex = frozenset(excluded)

    def one(span: tuple[int, int, int]) -> Part:
        return scan_part(text, span[0], span[1], span[2], seed=seed, k=k, excluded=ex)

    spans = line_parts(text, processes)
    parts = fork_map(one, spans)
    errors = [p.error for p in parts if p.error]
    if errors:  # as parse_population reports a whole file: a malformed line before any ordering problem
        raise next((e for e in errors if not isinstance(e, UnsortedError)), errors[0])
    filled = list(compress(zip(parts, spans, strict=True), [p.first is not None for p in parts]))
    for (before, _s), (after, span) in zip(filled, filled[1:], strict=False):
        assert before.last is not None and after.first is not None
        if before.last >= after.first:
            raise UnsortedError(f"population.txt: line {span[2]} is out of order or duplicated ({after.first})")
    tiers: Counter[str] = Counter()
    rows: dict[int, Target] = {}
    for part in parts:
        tiers.update(part.tiers)
        rows.update(part.rows)
    digest = sha256_hex("\n".join(p.keys for p, _s in filled))  # population_digest of keys already sorted
    chosen = merge_lowest([p.lowest for p, _s in filled], k) if filled else []
    return PopulationScan(
        digest=digest,
        count=sum(tiers.values()),
        tiers=dict(tiers),
        unknown_tier=next((p.unknown_tier for p in parts if p.unknown_tier), None),
        excluded=frozenset(u for p in parts for u in p.excluded),
        chosen=[(tk, rows[i]) for tk, _u, i in chosen],
    )
