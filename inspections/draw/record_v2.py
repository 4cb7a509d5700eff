"""Draw record v2's own rules (docs/draw-algorithm.md §10): its seed, its tickets' key and its outcome.

Freezing, selecting, staffing, building and verifying are shared with v3 (`inspections.draw.frozen`,
`inspections.draw.verifying`); this module holds what is v2's alone. Pure: no database, no Flask."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from inspections.draw.checks import Report
from inspections.draw.frozen import seed_text_digest
from inspections.draw.rows import Outcome
from inspections.draw.teams import jurisdiction
from inspections.draw.verifying import Rules, build_record, verify_record

ALGORITHM_V2 = "supervise-draw/v2"


def seed_v2(freeze_digest_hex: str, reveals: Sequence[tuple[str, str]], beacon: str | None) -> str:
    """The v2 seed (§10.3): the seed text's SHA-256 under the header `supervise-draw/v2`."""
    return seed_text_digest(ALGORITHM_V2, freeze_digest_hex, reveals, beacon)


def public_outcome_v2(outcome: Outcome, tiers_shown: bool = True) -> dict[str, Any]:
    """The outcome as v2 records it: every selected firm in ticket order (team empty if unstaffed), no tiers."""
    entries = sorted(
        [(s["ticket"], s["uscc"], s["team"]) for s in outcome.selected]
        + [(s["ticket"], s["uscc"], []) for s in outcome.unstaffed]
    )
    return {
        "quotas": dict(outcome.quotas),
        "selected": [{"uscc": u, "ticket": tk, "team": team} for tk, u, team in entries],
        "unstaffed": [{"uscc": s["uscc"], "reason": s["reason"]} for s in outcome.unstaffed],
    }


RULES_V2 = Rules(
    algorithm=ALGORITHM_V2,
    seed=seed_v2,
    key=lambda seed, _salt: seed,  # v2's tickets are keyed by the seed alone: anyone can compute every firm's
    office_prefix=jurisdiction,
    publish=public_outcome_v2,
    binds_participants=False,
)


def build_record_v2(**kwargs: Any) -> tuple[dict[str, Any], Outcome]:
    """Run a v2 draw on frozen files; return the record and the outcome with tiers (kept internal)."""
    return build_record(RULES_V2, **kwargs)


def verify_v2(files: Mapping[str, str]) -> Report:
    """Verify a v2 bundle: the full one if its private files are present, otherwise the public one."""
    return verify_record(RULES_V2, files)
