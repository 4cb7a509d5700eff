"""Draw record v3's own rules (docs/draw-algorithm.md §11): its seed, its salted key, its office areas and its
outcome, listed by USCC.

v3 binds every participant's commitment into the freeze, keys the tickets with the salt so that nobody
without the full bundle can compute a firm's ticket (tickets and the order of selection would tell a firm's
tier), withholds the tier counts and quotas where they would pin a firm's tier, and reads 所所交叉's office
areas by the code's level. Pure: no database, no Flask."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from inspections.draw.algorithm import DrawInputError
from inspections.draw.checks import Report
from inspections.draw.frozen import SALT, sealed_digest, seed_text_digest
from inspections.draw.rows import Outcome
from inspections.draw.teams import office_area
from inspections.draw.verifying import Rules, build_record, verify_record

ALGORITHM_V3 = "supervise-draw/v3"
TIER_FLOOR = 10  # 本地设定: fewer firms than this in any tier and no tier count is published (§11.3)


def seed_v3(freeze_digest_hex: str, reveals: Sequence[tuple[str, str]], beacon: str | None) -> str:
    """The v3 seed (§11.2): the seed text's SHA-256 under the header `supervise-draw/v3`."""
    return seed_text_digest(ALGORITHM_V3, freeze_digest_hex, reveals, beacon)


def key_v3(seed: str, salt: str) -> str:
    """The key of every v3 ticket: sealed(seed), SHA-256(salt + LF + seed), known only with the full bundle."""
    if not SALT.fullmatch(f"{salt}\n"):
        raise DrawInputError("a v3 draw needs the salt: 64 lowercase hexadecimal characters")
    return sealed_digest(salt, seed)


def public_outcome_v3(outcome: Outcome, tiers_shown: bool) -> dict[str, Any]:
    """The outcome as v3 records it: every selected firm by USCC (team empty if unstaffed), no tickets, no tiers;
    the quotas only when the freeze shows the tier counts."""
    entries = sorted([(s["uscc"], s["team"]) for s in outcome.selected] + [(s["uscc"], []) for s in outcome.unstaffed])
    return {
        "quotas": dict(outcome.quotas) if tiers_shown else None,
        "selected": [{"uscc": u, "team": team} for u, team in entries],
        "unstaffed": sorted(({"uscc": s["uscc"], "reason": s["reason"]} for s in outcome.unstaffed), key=_uscc),
    }


def _uscc(entry: Mapping[str, Any]) -> str:
    return str(entry["uscc"])


RULES_V3 = Rules(
    algorithm=ALGORITHM_V3,
    seed=seed_v3,
    key=key_v3,
    office_prefix=office_area,
    publish=public_outcome_v3,
    binds_participants=True,
)


def build_record_v3(**kwargs: Any) -> tuple[dict[str, Any], Outcome]:
    """Run a v3 draw on frozen files; return the record and the outcome with tiers and tickets (kept internal)."""
    return build_record(RULES_V3, **kwargs)


def verify_v3(files: Mapping[str, str]) -> Report:
    """Verify a v3 bundle: the full one if its private files are present, otherwise the public one."""
    return verify_record(RULES_V3, files)
