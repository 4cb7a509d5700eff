"""Draw algorithm v2's frozen inputs (docs/draw-algorithm.md §10): the files, their sealed digests, the freeze.

Version 2 commits, at the freeze, everything that decides the outcome: the exact bytes of the population,
inspector, recusal and exclusion files, and the canonical task. Tiers stay private, so the digests of the
private files are salted with a secret published only in the full bundle: a public digest over a small
county's tiers could otherwise be found by trying every assignment. Pure; no database, no Flask."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from itertools import compress
from operator import itemgetter
from typing import Any

from inspections.draw.algorithm import TIERS, DrawInputError, commitment_of, sha256_hex
from inspections.draw.rows import Officer
from inspections.draw.strict import _CONTROL, _SPACE, _WORD, NAME
from supervise.canonical import canonical_json

ALGORITHM_V2 = "supervise-draw/v2"
PRIVATE_FILES = ("exclusions.txt", "inspectors.txt", "population.txt", "recusals.txt")
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


def lines_problem(text: str, what: str) -> str | None:
    """Name the first line of a v2 file that is not in the strict form, or out of order; None if all are."""
    if text and not text.endswith("\n"):
        return f"{what}: file must end with a newline"
    if "\r" in text:
        return f"{what}: line {text.count(chr(10), 0, text.index(chr(13))) + 1} contains a carriage return"
    pattern = LINES_V2[what]
    lines = text.split("\n")[:-1]
    if not all(map(pattern.fullmatch, lines)):
        n, line = next((n, line) for n, line in enumerate(lines, 1) if not pattern.fullmatch(line))
        return f"{what}: line {n} is not in the form the specification states: {line!r}"
    # recusals.txt is sorted by the whole line; the others by their first field, each key once (every line of
    # the strict form has a TAB, so the pattern finds one key per line, in C).
    keys = lines if what == "recusals.txt" else re.findall(r"^([^\t\n]*)\t", text, re.MULTILINE)
    if not all(map(str.__lt__, keys, keys[1:])):
        n = next(n for n in range(1, len(keys)) if not keys[n - 1] < keys[n])
        return f"{what}: line {n + 1} is out of order or repeated"
    if what == "inspectors.txt":
        for n, line in enumerate(lines, 1):
            specs = line.split("\t")[4].split(",")
            if specs != [NO_SPECIALTY] and specs != sorted(set(specs)):
                return f"{what}: line {n}: specialties must be in ascending order without repeats"
    return None


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
    return hashlib.sha256(f"{salt}\n{data}".encode()).hexdigest()


def tier_keys(population_text: str) -> dict[str, list[str]]:
    """The USCCs of each tier, in file (USCC) order (of a file in the strict form)."""
    # In the strict form a line is 18 characters of USCC, a TAB and the tier: C-level slicing and compress,
    # where splitting a million lines in Python would take a second.
    lines = population_text.split("\n")[:-1]
    tiers = list(map(itemgetter(19), lines))
    keys = list(map(itemgetter(slice(0, 18)), lines))
    return {t: list(compress(keys, map(t.__eq__, tiers))) for t in TIERS}


def freeze_object(
    *,
    at: str,
    salt: str,
    files: Mapping[str, str],
    task: Mapping[str, Any],
    beacon: Mapping[str, str] | None,
) -> dict[str, Any]:
    """The published freeze (§10.2): counts, the firms' and tiers' digests, the sealed files, and its digest."""
    population = files["population.txt"]
    tiers = tier_keys(population)
    usccs = [u for t in TIERS for u in tiers[t]]
    body: dict[str, Any] = {
        "at": at,
        "beacon": dict(beacon) if beacon else None,
        "exclusions": files["exclusions.txt"].count("\n"),
        "files": {name: sealed_digest(salt, files[name]) for name in PRIVATE_FILES},
        "firms": {"count": len(usccs), "digest": sha256_hex("\n".join(sorted(usccs)))},
        "inspectors": files["inspectors.txt"].count("\n"),
        "recusals": files["recusals.txt"].count("\n"),
        "task": sha256_hex(canonical_json(task)),
        "tiers": {t: {"count": len(tiers[t]), "digest": sealed_digest(salt, "\n".join(tiers[t]))} for t in TIERS},
    }
    return {**body, "digest": freeze_digest(body)}


def freeze_digest(freeze: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical JSON of the freeze object without its own `digest` field."""
    return sha256_hex(canonical_json({k: v for k, v in freeze.items() if k != "digest"}))


def seed_v2(freeze_digest_hex: str, reveals: Sequence[tuple[str, str]], beacon: str | None) -> str:
    """SHA-256 of the v2 seed text: a header line, the freeze digest, `participant=reveal` lines, the beacon."""
    lines = [f"{ALGORITHM_V2}\n", f"freeze={freeze_digest_hex}\n"]
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


OBSERVER = "督查室"  # the one observer a commit–reveal ceremony has: the supervision office (§10.3)
_UNSTAFFED = (
    re.compile(r"no eligible inspector from (\S+)"),
    re.compile(r"only ([0-9]+) eligible inspectors; the team needs ([0-9]+)"),
)


def check_participants(
    mode: str, participants: Sequence[Mapping[str, Any]], departments: Sequence[str] | None = None
) -> None:
    """Refuse a seed no single party could be kept from steering (§10.3), or a reveal that does not match.

    In a commit–reveal ceremony exactly one participant is the observer and it is 督查室, nobody else is called
    督查室, and every department participant is one of the task's departments (when they are given)."""
    roles = [p["role"] for p in participants]
    if mode == "single_operator":
        if roles != ["operator"]:
            raise DrawInputError("a single_operator seed has exactly one participant, the operator")
    elif mode == "commit_reveal":
        if len(participants) < 2 or "operator" in roles:
            raise DrawInputError("a commit-reveal seed needs at least 2 participants, one of them the 督查 observer")
        observers = [p["participant"] for p in participants if p["role"] == "observer"]
        if observers != [OBSERVER] or sum(p["participant"] == OBSERVER for p in participants) != 1:
            raise DrawInputError(f"a commit-reveal seed has exactly one observer, {OBSERVER}, and no other")
        for p in participants:
            if p["role"] == "department" and departments is not None and p["participant"] not in departments:
                raise DrawInputError(f"participant {p['participant']} is not one of the task's departments")
    else:
        raise DrawInputError(f"unknown seed mode {mode!r}")
    for p in participants:
        if p["reveal"] is None or commitment_of(p["reveal"]) != p["commitment"]:
            raise DrawInputError(f"reveal of {p['participant']} does not match its commitment")


def check_task_form(task: Mapping[str, Any]) -> None:
    """Refuse a task no draw could have run on: no department, a scope that is no object, a window not of dates."""
    if not task["departments"]:
        raise DrawInputError("task.departments is empty")
    if task["team_size"] < len(task["departments"]) or task["max_per_inspector"] < 1:
        raise DrawInputError("task.team_size is below the number of departments, or max_per_inspector below 1")
    if not isinstance(task["scope"], dict):
        raise DrawInputError("task.scope is not an object")
    window = task["window"]
    try:
        start, end = (date.fromisoformat(window[k]) for k in ("start", "end"))
    except (TypeError, ValueError):
        raise DrawInputError(f"task.window is not two dates YYYY-MM-DD: {window!r}") from None
    if any(len(window[k]) != 10 for k in ("start", "end")) or end < start:
        raise DrawInputError(f"task.window is not two dates YYYY-MM-DD, start first: {window!r}")
    for item in task["items"]:
        if item["department"] not in task["departments"]:
            raise DrawInputError(f"item {item['code']} belongs to no department of the task")


def check_public_outcome(task: Mapping[str, Any], outcome: Mapping[str, Any]) -> None:
    """What the public bundle shows of the teams: no inspector above the cap, each unstaffed reason well formed."""
    load: dict[str, int] = {}
    for s in outcome["selected"]:
        for badge in s["team"]:
            load[badge] = load.get(badge, 0) + 1
    over = sorted(b for b, n in load.items() if n > task["max_per_inspector"])
    if over:
        raise DrawInputError(f"inspector {over[0]} is on more teams than max_per_inspector allows")
    for u in outcome["unstaffed"]:
        dept, short = _UNSTAFFED[0].fullmatch(u["reason"]), _UNSTAFFED[1].fullmatch(u["reason"])
        if dept is not None and dept.group(1) in task["departments"]:
            continue
        if short is not None and int(short.group(1)) < int(short.group(2)) == task["team_size"]:
            continue
        raise DrawInputError(f"unstaffed {u['uscc']} gives no reason of the stated form: {u['reason']!r}")


def check_timeline(record: Mapping[str, Any]) -> None:
    """Refuse a record whose steps are out of order: commit, freeze, reveal, beacon, draw (§10.3)."""
    freeze, seed = record["freeze"], record["seed"]
    frozen = freeze["at"]
    for p in seed["participants"]:
        if not p["committed_at"] <= frozen:
            raise DrawInputError(f"{p['participant']} committed at {p['committed_at']}, after the freeze at {frozen}")
        if not frozen <= p["revealed_at"] <= record["created_at"]:
            raise DrawInputError(
                f"{p['participant']} revealed at {p['revealed_at']}, outside the freeze ({frozen}) to the draw"
            )
    planned, entered = freeze["beacon"], seed["beacon"]
    if planned is None and entered is not None:
        raise DrawInputError("the record has a beacon value, but no beacon was fixed at the freeze")
    if planned is not None:
        if entered is None:
            raise DrawInputError(f"the beacon fixed at the freeze ({planned['source']} {planned['issue']}) is missing")
        if not frozen < planned["at"] <= entered["entered_at"] <= record["created_at"]:
            raise DrawInputError(
                f"the beacon's time {planned['at']} must follow the freeze and precede its entry "
                f"{entered['entered_at']}"
            )
