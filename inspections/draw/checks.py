"""The rules every verifier of records v2 and v3 enforces (docs/draw-algorithm.md §10.3, §11.2), and its report.

Pure: no database, no Flask."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from inspections.draw.algorithm import DrawInputError, commitment_of
from inspections.draw.frozen import frozen_participants

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


def check_frozen_participants(freeze: Mapping[str, Any], participants: Sequence[Mapping[str, Any]]) -> None:
    """Refuse a v3 seed whose participants are not exactly those the freeze bound (§11.2): none added, dropped
    or changed in id, role, commitment or time."""
    bound = {p["participant"]: p for p in freeze["participants"]}
    given = {p["participant"]: p for p in frozen_participants(participants)}
    for who in sorted(set(bound) | set(given)):
        if who not in given:
            raise DrawInputError(f"participant {who} was bound at the freeze but is missing from the seed")
        if who not in bound:
            raise DrawInputError(f"participant {who} is in the seed but was not bound at the freeze")
        if bound[who] != given[who]:
            changed = next(k for k in ("role", "commitment", "committed_at") if bound[who][k] != given[who][k])
            raise DrawInputError(f"participant {who}'s {changed} differs from the one bound at the freeze")


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


@dataclass
class Report:
    """What a verifier found, and which checks it could make with the files it had."""

    ok: bool = True
    difference: str | None = None
    bundle: str = ""
    checks: list[str] = field(default_factory=list)
    not_checked: list[str] = field(default_factory=list)  # what this bundle cannot show (the public one)

    def __str__(self) -> str:
        return "MATCH" if self.ok else f"MISMATCH: {self.difference}"

    def fail(self, difference: str) -> Report:
        self.ok, self.difference = False, difference
        return self
