"""The frozen inputs of draw records v2 and v3 (docs/draw-algorithm.md §10, §11): files, sealed digests, freeze.

Versions 2 and 3 commit, at the freeze, everything that decides the outcome: the exact bytes of the population,
inspector, recusal and exclusion files, and the canonical task. Tiers stay private, so the digests of the
private files are salted with a secret published only in the full bundle: a public digest over a small
county's tiers could otherwise be found by trying every assignment. Pure; no database, no Flask."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import compress
from operator import itemgetter
from typing import Any

from inspections.draw.algorithm import TIERS, DrawInputError, Sample, quotas, sha256_hex
from inspections.draw.parallel import fork_map
from inspections.draw.rows import Officer
from inspections.draw.scan import line_parts
from inspections.draw.strict import _CONTROL, _SPACE, _WORD, NAME
from supervise.canonical import canonical_json

PRIVATE_FILES = ("exclusions.txt", "inspectors.txt", "population.txt", "recusals.txt")
FULL_BUNDLE = ("record.json", *PRIVATE_FILES, "salt.txt")
PUBLIC_BUNDLE = ("record.json", "firms.txt")
RECUSAL_REASONS = ("conflict", "cross-office", "residence", "rotation")
ROLES = ("department", "observer", "operator")
TERRITORIAL, CROSS_OFFICE = "territorial", "cross_office"
NO_SPECIALTY = "-"

_AREA = "[0-9]{6}(?:[0-9]{3})?"  # a county (6 digits) or a township (9 digits)
_SPEC = f"[^,{_SPACE}{_CONTROL} ]+"
LINES_V2 = {
    "population.txt": re.compile(rf"[0-9A-Z]{{18}}\t[A-D]\t{_AREA}\t{NAME}"),
    "inspectors.txt": re.compile(rf"[!-~]+\t[!-~]+\t[0-9]{{6}}\t{_AREA}\t(?:-|{_SPEC}(?:,{_SPEC})*)\t{NAME}"),
    "recusals.txt": re.compile(rf"[!-~]+\t[0-9A-Z]{{18}}\t(?:{'|'.join(RECUSAL_REASONS)})"),
    "exclusions.txt": re.compile(rf"[0-9A-Z]{{18}}\t{_WORD}+(?: {_WORD}+)*"),
    "firms.txt": re.compile(rf"[0-9A-Z]{{18}}\t{NAME}"),
}
SALT = re.compile(r"[0-9a-f]{64}\n")
PARTICIPANT = re.compile(rf"[^={_SPACE}{_CONTROL} ]{{1,64}}")
REVEAL = re.compile(r"[!-~]{1,256}")
BEACON_VALUE = re.compile(rf"[^{_CONTROL}]{{1,128}}")
TIMESTAMP = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z")


def lines_problem(text: str, what: str, processes: int = 1) -> str | None:
    """Name the first line of a v2 file that is not in the strict form, or else the first out of order; None if
    all are. Parts of the file are checked in `processes` processes, each a run of lines at a time, so that a
    provincial file is never held as millions of lines."""
    if text and not text.endswith("\n"):
        return f"{what}: file must end with a newline"
    if "\r" in text:
        return f"{what}: line {text.count(chr(10), 0, text.index(chr(13))) + 1} contains a carriage return"
    spans = line_parts(text, processes)
    found = fork_map(lambda span: _part_problems(text[span[0] : span[1]], what, span[2]), spans)
    malformed = next((f[0] for f in found if f[0]), None)
    if malformed:
        return malformed
    last: str | None = None  # the last key before this part, to check the order across parts
    for (_bad, disorder, head, tail), span in zip(found, spans, strict=True):
        if last is not None and head is not None and not last < head:
            return f"{what}: line {span[2]} is out of order or repeated"
        if disorder is not None:
            return disorder
        last = tail if tail is not None else last
    return None


def _part_problems(text: str, what: str, first: int) -> tuple[str | None, str | None, str | None, str | None]:
    """One part's first malformed line, first line out of order, and first and last sort keys."""
    pattern = LINES_V2[what]
    disorder: str | None = None
    previous: list[str] = []
    head: str | None = None
    start = 0
    while start < len(text):
        cut = text.find("\n", start + _LINES * 40)
        end = len(text) if cut < 0 else cut + 1
        lines = text[start:end].split("\n")[:-1]
        if not all(map(pattern.fullmatch, lines)):
            n, line = next((n, line) for n, line in enumerate(lines, first) if not pattern.fullmatch(line))
            return f"{what}: line {n} is not in the form the specification states: {line!r}", None, None, None
        # recusals.txt is sorted by the whole line; the others by their first field, each key once (every line of
        # the strict form has a TAB, so the pattern finds one key per line, in C).
        keys = lines if what == "recusals.txt" else re.findall(r"^([^\t\n]*)\t", text[start:end], re.MULTILINE)
        head = keys[0] if head is None and keys else head
        if disorder is None:
            joined = previous + keys
            if not all(map(str.__lt__, joined, joined[1:])):
                n = next(n for n in range(1, len(joined)) if not joined[n - 1] < joined[n])
                disorder = f"{what}: line {first - len(previous) + n} is out of order or repeated"
        previous = keys[-1:] or previous
        if what == "inspectors.txt":
            for n, line in enumerate(lines, first):
                specs = line.split("\t")[4].split(",")
                if specs != [NO_SPECIALTY] and specs != sorted(set(specs)) and disorder is None:
                    disorder = f"{what}: line {n}: specialties must be in ascending order without repeats"
        first += len(lines)
        start = end
    return None, disorder, head, previous[0] if previous else None


def format_inspectors_v2(officers: Iterable[Officer]) -> str:
    """Render v2 inspectors.txt: `BADGE DEPARTMENT REGION OFFICE SPECIALTIES NAME`, sorted by badge."""
    lines = [
        "\t".join((o.badge, o.department, o.region, o.office, o.specialties or NO_SPECIALTY, _clean(o.name)))
        for o in sorted(officers, key=lambda o: o.badge)
    ]
    return "".join(f"{line}\n" for line in lines)


def parse_inspectors_v2(text: str) -> list[Officer]:
    """Parse v2 inspectors.txt (already checked by lines_problem) into officers."""
    out = []
    for line in text.split("\n")[:-1]:
        badge, dept, region, office, specs, name = line.split("\t")
        out.append(Officer(badge, dept, region, name, office, "" if specs == NO_SPECIALTY else specs))
    return out


def format_recusals(rows: Iterable[tuple[str, str, str]]) -> str:
    """Render recusals.txt: `BADGE USCC REASON` lines, sorted, each once."""
    for row in rows:
        if row[2] not in RECUSAL_REASONS:
            raise DrawInputError(f"unknown recusal reason {row[2]!r}")
    return "".join(f"{line}\n" for line in sorted({"\t".join(r) for r in rows}))


def parse_recusals(text: str) -> list[tuple[str, str]]:
    """The (badge, USCC) pairs of recusals.txt, whatever the reason."""
    return [(line.split("\t")[0], line.split("\t")[1]) for line in text.split("\n")[:-1]]


def format_exclusions(rows: Iterable[tuple[str, str]]) -> str:
    """Render exclusions.txt: `USCC REASON` lines sorted by USCC."""
    return "".join(f"{u}\t{_clean(reason)}\n" for u, reason in sorted(rows))


def format_firms(population_text: str) -> str:
    """The public firms.txt of a population.txt: `USCC NAME` lines, the tiers and regions left out."""
    return re.sub(r"^([0-9A-Z]{18})\t[A-D]\t[0-9]+\t", r"\1\t", population_text, flags=re.MULTILINE)


def _clean(text: str) -> str:
    return " ".join(text.replace("\t", " ").split())


def sealed_digest(salt: str, data: str) -> str:
    """SHA-256(salt + LF + data): a digest nobody without the salt can test guesses against."""
    h = hashlib.sha256(f"{salt}\n".encode())
    for start in range(0, len(data), _CHUNK):  # a provincial file is hundreds of MB: never encode it whole
        h.update(data[start : start + _CHUNK].encode())
    return h.hexdigest()


_CHUNK = 1 << 22  # characters encoded at a time
_LINES = 200_000  # population lines split at a time


@dataclass
class TierDigests:
    """What the freeze states of a population.txt's firms: per-tier counts and sealed digests, all firms' digest."""

    counts: dict[str, int]
    sealed: dict[str, str]
    firms: str


def tier_digests(salt: str, population_text: str, processes: int = 1) -> TierDigests:
    """Count and digest each tier's USCCs (file order, joined by LF) and all USCCs.

    Parts of the file are cut into keys in `processes` processes, a run of lines at a time, and the digests are
    taken here over the parts in order. The file is sorted by USCC, so the firms' digest over the file order is
    that of the sorted USCCs. No process holds millions of split lines."""
    spans = line_parts(population_text, processes)
    parts = fork_map(lambda span: _tier_keys(population_text, span[0], span[1]), spans)
    tiers = {t: hashlib.sha256(f"{salt}\n".encode()) for t in TIERS}
    firms = hashlib.sha256()
    counts = dict.fromkeys(TIERS, 0)
    any_firm = False
    for keys, by_tier in parts:
        if keys:
            firms.update(("\n" if any_firm else "").encode() + keys.encode())
            any_firm = True
        for t in TIERS:
            joined, n = by_tier[t]
            if n:
                tiers[t].update(("\n" if counts[t] else "").encode() + joined.encode())
                counts[t] += n
    return TierDigests(counts, {t: h.hexdigest() for t, h in tiers.items()}, firms.hexdigest())


def _tier_keys(text: str, start: int, end: int) -> tuple[str, dict[str, tuple[str, int]]]:
    """Lines [start, end) as their USCCs joined by LF, and each tier's USCCs joined by LF with their number."""
    keys_runs: list[str] = []
    tier_runs: dict[str, list[str]] = {t: [] for t in TIERS}
    counts = dict.fromkeys(TIERS, 0)
    while start < end:
        cut = text.find("\n", min(end, start + _LINES * 40), end)  # about _LINES lines
        stop = end if cut < 0 else cut + 1
        # In the strict form a line is 18 characters of USCC, a TAB and the tier: C-level slicing and compress.
        lines = text[start:stop].split("\n")[:-1]
        keys = list(map(itemgetter(slice(0, 18)), lines))
        letters = list(map(itemgetter(19), lines))
        keys_runs.append("\n".join(keys))
        for t in TIERS:
            mine = list(compress(keys, map(t.__eq__, letters)))
            if mine:
                tier_runs[t].append("\n".join(mine))
                counts[t] += len(mine)
        start = stop
    return "\n".join(filter(None, keys_runs)), {t: ("\n".join(tier_runs[t]), counts[t]) for t in TIERS}


def freeze_object(
    *,
    at: str,
    salt: str,
    files: Mapping[str, str],
    task: Mapping[str, Any],
    beacon: Mapping[str, str] | None,
    participants: Sequence[Mapping[str, Any]] | None = None,
    tier_floor: int | None = None,
    processes: int = 1,
) -> dict[str, Any]:
    """The published freeze (§10.2), and with `participants` and `tier_floor` the v3 freeze (§11.1), with its digest.

    v3 binds every participant's commitment and time, and shows the tier counts only where none could reveal
    a firm's tier (`tiers_shown`); the sealed tier digests are there either way."""
    digests = tier_digests(salt, files["population.txt"], processes)
    counts = digests.counts
    shown = tier_floor is None or tiers_shown(counts, task, tier_floor)
    body: dict[str, Any] = {
        "at": at,
        "beacon": dict(beacon) if beacon else None,
        "exclusions": files["exclusions.txt"].count("\n"),
        "files": {name: sealed_digest(salt, files[name]) for name in PRIVATE_FILES},
        "firms": {"count": sum(counts.values()), "digest": digests.firms},
        "inspectors": files["inspectors.txt"].count("\n"),
        "recusals": files["recusals.txt"].count("\n"),
        "task": sha256_hex(canonical_json(task)),
        "tiers": {t: {"count": counts[t] if shown else None, "digest": digests.sealed[t]} for t in TIERS},
    }
    if participants is not None:
        body["participants"] = frozen_participants(participants)
        body["tier_floor"] = tier_floor
    return {**body, "digest": freeze_digest(body)}


def frozen_participants(participants: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """What the v3 freeze binds of each participant: id, role, commitment and its time, sorted by id."""
    keys = ("participant", "role", "commitment", "committed_at")
    return [{k: p[k] for k in keys} for p in sorted(participants, key=lambda p: p["participant"])]


def tiers_shown(counts: Mapping[str, int], task: Mapping[str, Any], floor: int) -> bool:
    """Whether the per-tier counts (and quotas) reveal no firm's tier (§11.3): every tier holds at least `floor`
    firms and none is drawn whole. One suppressed tier's count would follow from the others and the total, so
    it is all four or none."""
    k = quotas(counts, Sample(ratios=dict(task["sample"]["ratios"]), count=task["sample"]["count"]))
    return all(counts[t] >= floor and k[t] < counts[t] for t in TIERS)


def freeze_digest(freeze: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical JSON of the freeze object without its own `digest` field."""
    return sha256_hex(canonical_json({k: v for k, v in freeze.items() if k != "digest"}))


def seed_text_digest(
    algorithm: str, freeze_digest_hex: str, reveals: Sequence[tuple[str, str]], beacon: str | None
) -> str:
    """SHA-256 of the seed text: a header line, the freeze digest, `participant=reveal` lines, the beacon."""
    lines = [f"{algorithm}\n", f"freeze={freeze_digest_hex}\n"]
    for participant, secret in sorted(reveals):
        if not PARTICIPANT.fullmatch(participant):
            raise DrawInputError(f"participant id {participant!r} is outside the allowed characters")
        if not REVEAL.fullmatch(secret):
            raise DrawInputError(f"reveal of {participant} is not 1-256 printable ASCII characters")
        lines.append(f"{participant}={secret}\n")
    if beacon is not None and not BEACON_VALUE.fullmatch(beacon):
        raise DrawInputError("the beacon value has control characters or more than 128 characters")
    lines.append(f"beacon={beacon or ''}\n")
    return sha256_hex("".join(lines))
