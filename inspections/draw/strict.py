"""The strict form of a published draw (docs/draw-algorithm.md §6.1): one way to write each file, nothing else.

A verifier that accepted several spellings of one record (a ratio as `0.05`, `.05` or `5e-2`, a count as
`325.0`, a duplicated key, an unknown field, lists out of their stated order) would let two parties read one
bundle differently. These checks run before anything is recomputed. Pure; no Flask, no session."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

TIERS = ("A", "B", "C", "D")
FIELDS: dict[str, frozenset[str]] = {
    "record": frozenset(
        {"algorithm", "draw_id", "created_at", "task", "population", "inspectors", "exclusions", "recusals"}
        | {"seed", "outcome"}
    ),
    "task": frozenset(
        {"code", "title", "plan", "departments", "items", "window", "sample", "team_size", "max_per_inspector"}
        | {"directed", "scope"}
    ),
    "task.items[]": frozenset({"code", "name", "department", "legal_basis"}),
    "task.window": frozenset({"start", "end"}),
    "task.sample": frozenset({"ratios", "count"}),
    "population": frozenset({"digest", "count", "tiers"}),
    "population.tiers": frozenset(TIERS),
    "inspectors": frozenset({"digest", "count"}),
    "exclusions[]": frozenset({"uscc", "reason"}),
    "seed": frozenset({"mode", "participants", "beacon", "seed"}),
    "seed.participants[]": frozenset({"participant", "commitment", "reveal"}),
    "seed.beacon": frozenset({"value", "source"}),
    "outcome": frozenset({"quotas", "selected", "unstaffed"}),
    "outcome.quotas": frozenset(TIERS),
    "outcome.selected[]": frozenset({"uscc", "tier", "ticket", "team"}),
    "outcome.unstaffed[]": frozenset({"uscc", "tier", "ticket", "reason"}),
}
RATIO = re.compile(r"(?:0(?:\.[0-9]+)?|1(?:\.0+)?)")
# White space is Unicode's White_Space set; a name holds none of it except single spaces between other
# characters, and no control characters.
_SPACE = "\t\n\x0b\x0c\r\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_CONTROL = "\x00-\x1f\x7f-\x9f"
_WORD = f"[^ {_SPACE}{_CONTROL}]"
NAME = f"(?:{_WORD}+(?: {_WORD}+)*)?"
LINES = {
    "population.txt": re.compile(rf"[0-9A-Z]{{18}}\t[A-D]\t[0-9]{{6}}\t{NAME}"),
    "inspectors.txt": re.compile(rf"[!-~]+\t[!-~]+\t[0-9]{{6}}\t{NAME}"),
}


class StrictError(ValueError):
    """The bundle is not in the one form the specification allows."""


def file_problem(text: str, what: str) -> str | None:
    """Name the first line of population.txt or inspectors.txt that is not in the strict form, if any."""
    if "\r" in text:
        return f"{what}: line {text.count(chr(10), 0, text.index(chr(13))) + 1} contains a carriage return"
    pattern = LINES[what]
    lines = text.split("\n")[:-1]
    if all(map(pattern.fullmatch, lines)):  # the common case stays one C-level pass
        return None
    n, line = next((n, line) for n, line in enumerate(lines, 1) if not pattern.fullmatch(line))
    return f"{what}: line {n} is not USCC/BADGE, code, 6-digit region and a name with normalised spaces: {line!r}"


def parse_record(text: str) -> dict[str, Any]:
    """Parse record.json of either version and check it is in the strict form; raise StrictError if not."""
    record = _load(text)
    if isinstance(record, dict) and record.get("algorithm") == "supervise-draw/v2":
        _check_v2(record, FIELDS_V2)
    elif isinstance(record, dict) and record.get("algorithm") == "supervise-draw/v3":
        _check_v2(record, FIELDS_V3)
    else:
        _check(record)
    return dict(record)


def _load(text: str) -> Any:

    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [k for k, _v in pairs]
        if len(set(keys)) != len(keys):
            raise StrictError(f"record.json: duplicate key {next(k for k in keys if keys.count(k) > 1)!r}")
        return dict(pairs)

    def no_fraction(value: str) -> Any:
        raise StrictError(f"record.json: {value} is not an integer (numbers have no fraction or exponent)")

    try:
        record = json.loads(text, object_pairs_hook=no_duplicates, parse_float=no_fraction)
    except json.JSONDecodeError as exc:
        raise StrictError(f"record.json is not JSON: {exc}") from None
    canonical = json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    if canonical != text:
        raise StrictError("record.json is not in canonical form (sorted keys, no white space, no escapes)")
    return record


def _fields(value: Any, where: str, fields: Mapping[str, frozenset[str]] = FIELDS) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise StrictError(f"record.json: {where} must be an object")
    allowed = fields[where]
    if set(value) != allowed:
        extra, missing = sorted(set(value) - allowed), sorted(allowed - set(value))
        raise StrictError(f"record.json: {where} has unknown fields {extra} or lacks {missing}")
    return value


def _integer(value: Any, where: str, *, nullable: bool = False) -> None:
    if value is None and nullable:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise StrictError(f"record.json: {where} must be a non-negative integer, not {value!r}")


def _ascending(values: Sequence[Any], where: str) -> None:
    for a, b in zip(values, values[1:], strict=False):
        if not a < b:
            raise StrictError(f"record.json: {where} must be in ascending order without repeats ({a!r}, {b!r})")


def _check(record: Mapping[str, Any]) -> None:
    _fields(record, "record")
    _check_task(record["task"], FIELDS)
    population = _fields(record["population"], "population")
    _integer(population["count"], "population.count")
    for tier in TIERS:
        _integer(_fields(population["tiers"], "population.tiers")[tier], f"population.tiers.{tier}")
    _integer(_fields(record["inspectors"], "inspectors")["count"], "inspectors.count")
    for ex in record["exclusions"]:
        _fields(ex, "exclusions[]")
    _ascending([(e["uscc"], e["reason"]) for e in record["exclusions"]], "exclusions")
    _ascending([tuple(pair) for pair in record["recusals"]], "recusals")
    seed = _fields(record["seed"], "seed")
    for p in seed["participants"]:
        _fields(p, "seed.participants[]")
    _ascending([p["participant"] for p in seed["participants"]], "seed.participants")
    if seed["mode"] == "single_operator" and len(seed["participants"]) != 1:
        raise StrictError("record.json: a single_operator seed has exactly one participant")
    if seed["beacon"] is not None:
        _fields(seed["beacon"], "seed.beacon")
    _check_outcome(record["outcome"], FIELDS)


def _check_task(value: Any, fields: Mapping[str, frozenset[str]]) -> None:
    task = _fields(value, "task", fields)
    for item in task["items"]:
        _fields(item, "task.items[]", fields)
    _fields(task["window"], "task.window", fields)
    sample = _fields(task["sample"], "task.sample", fields)
    for tier, ratio in sample["ratios"].items():
        if tier not in TIERS or not isinstance(ratio, str) or not RATIO.fullmatch(ratio):
            raise StrictError(f"record.json: ratio of tier {tier} must be a decimal string from 0 to 1: {ratio!r}")
    _integer(sample["count"], "task.sample.count", nullable=True)
    _integer(task["team_size"], "task.team_size")
    _integer(task["max_per_inspector"], "task.max_per_inspector")
    _ascending(task["departments"], "task.departments")


def _check_outcome(value: Any, fields: Mapping[str, frozenset[str]], *, nullable_quotas: bool = False) -> None:
    outcome = _fields(value, "outcome", fields)
    for tier in TIERS if outcome["quotas"] is not None or not nullable_quotas else ():
        _integer(_fields(outcome["quotas"], "outcome.quotas", fields)[tier], f"outcome.quotas.{tier}")
    for s in outcome["selected"]:
        _fields(s, "outcome.selected[]", fields)
    for s in outcome["unstaffed"]:
        _fields(s, "outcome.unstaffed[]", fields)


FIELDS_V2: dict[str, frozenset[str]] = {
    **FIELDS,
    "record": frozenset({"algorithm", "draw_id", "created_at", "task", "freeze", "seed", "outcome"}),
    "task": FIELDS["task"] | {"assignment"},
    "task.items[]": FIELDS["task.items[]"] | {"specialty"},
    "freeze": frozenset(
        {"at", "beacon", "digest", "exclusions", "files", "firms", "inspectors", "recusals", "task", "tiers"}
    ),
    "freeze.beacon": frozenset({"source", "issue", "at"}),
    "freeze.files": frozenset({"exclusions.txt", "inspectors.txt", "population.txt", "recusals.txt"}),
    "freeze.firms": frozenset({"count", "digest"}),
    "freeze.tiers": frozenset(TIERS),
    "freeze.tiers.*": frozenset({"count", "digest"}),
    "seed.participants[]": frozenset({"participant", "role", "commitment", "committed_at", "reveal", "revealed_at"}),
    "seed.beacon": frozenset({"value", "entered_at"}),
    "outcome.selected[]": frozenset({"uscc", "ticket", "team"}),
    "outcome.unstaffed[]": frozenset({"uscc", "reason"}),
}
FIELDS_V3: dict[str, frozenset[str]] = {
    **FIELDS_V2,
    "freeze": FIELDS_V2["freeze"] | {"participants", "tier_floor"},
    "freeze.participants[]": frozenset({"participant", "role", "commitment", "committed_at"}),
    "outcome.selected[]": frozenset({"uscc", "team"}),
}
_HEX = re.compile(r"[0-9a-f]{64}")
_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z")


def _string(value: Any, where: str, pattern: re.Pattern[str]) -> None:
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise StrictError(f"record.json: {where} is not in the stated form: {value!r}")


def _check_v2(record: Mapping[str, Any], fields: Mapping[str, frozenset[str]]) -> None:
    """The strict form of a v2 record, or of a v3 one (`FIELDS_V3`: bound participants, counts that may be null)."""
    v3 = fields is FIELDS_V3
    _fields(record, "record", fields)
    _string(record["created_at"], "created_at", _TIME)
    _check_task(record["task"], fields)
    if record["task"]["assignment"] not in ("territorial", "cross_office"):
        raise StrictError(f"record.json: task.assignment is {record['task']['assignment']!r}")
    freeze = _fields(record["freeze"], "freeze", fields)
    _string(freeze["at"], "freeze.at", _TIME)
    for key in ("digest", "task"):
        _string(freeze[key], f"freeze.{key}", _HEX)
    for key in ("exclusions", "inspectors", "recusals"):
        _integer(freeze[key], f"freeze.{key}")
    for name, digest in _fields(freeze["files"], "freeze.files", fields).items():
        _string(digest, f"freeze.files.{name}", _HEX)
    firms = _fields(freeze["firms"], "freeze.firms", fields)
    _integer(firms["count"], "freeze.firms.count")
    _string(firms["digest"], "freeze.firms.digest", _HEX)
    for tier, part in _fields(freeze["tiers"], "freeze.tiers", fields).items():
        _integer(_fields(part, "freeze.tiers.*", fields)["count"], f"freeze.tiers.{tier}.count", nullable=v3)
        _string(part["digest"], f"freeze.tiers.{tier}.digest", _HEX)
    if v3:
        _integer(freeze["tier_floor"], "freeze.tier_floor")
        if not isinstance(freeze["participants"], list):
            raise StrictError("record.json: freeze.participants must be a list")
        for p in freeze["participants"]:
            _fields(p, "freeze.participants[]", fields)
            _string(p["committed_at"], "freeze.participants[].committed_at", _TIME)
        _ascending([p["participant"] for p in freeze["participants"]], "freeze.participants")
    if freeze["beacon"] is not None:
        _string(_fields(freeze["beacon"], "freeze.beacon", fields)["at"], "freeze.beacon.at", _TIME)
    seed = _fields(record["seed"], "seed", fields)
    for p in seed["participants"]:
        _fields(p, "seed.participants[]", fields)
        _string(p["committed_at"], "seed.participants[].committed_at", _TIME)
        _string(p["revealed_at"], "seed.participants[].revealed_at", _TIME)
    _ascending([p["participant"] for p in seed["participants"]], "seed.participants")
    if seed["beacon"] is not None:
        _string(_fields(seed["beacon"], "seed.beacon", fields)["entered_at"], "seed.beacon.entered_at", _TIME)
    _check_outcome(record["outcome"], fields, nullable_quotas=v3)
