"""The rows a draw reads and the outcome it writes, as plain data (docs/draw-algorithm.md §1, §6).

Kept apart from the algorithm so that team assignment (teams.py) and selection (algorithm.py) share them
without importing each other."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple


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
    office: str = ""  # v2: the area of the inspector's post (所所交叉), a county or township code
    specialties: str = ""  # v2: comma-separated, sorted


@dataclass
class Outcome:
    quotas: dict[str, int]
    selected: list[dict[str, Any]] = field(default_factory=list)
    unstaffed: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"quotas": self.quotas, "selected": self.selected, "unstaffed": self.unstaffed}
