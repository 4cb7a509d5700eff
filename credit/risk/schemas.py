"""What the risk API returns (never a table object)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class RiskFactor(BaseModel):
    feature: str
    label: str
    value: Any = None
    effect: float
    direction: str


class RiskModelPublic(BaseModel):
    sha256: str
    kind: str
    as_of: str


class RiskExplanation(BaseModel):
    """A firm's score and what drives it (officers only)."""

    uscc: str
    name: str
    as_of: str
    score: float
    baseline: float
    tier: str
    tier_label: str
    score_tier: str | None
    floor: str | None
    model: RiskModelPublic
    factors: list[RiskFactor]
    note: str


class RiskOverview(BaseModel):
    """The tiers by count, the latest model (with its validation and back-test) and the latest runs."""

    tiers: dict[str, int]
    models: int
    model: dict[str, Any] | None
    runs: list[dict[str, Any]]
