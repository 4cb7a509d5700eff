"""Draw algorithm v3 (docs/draw-algorithm.md §11): the freeze binds the participants, 所所交叉 reads an office's
area by its level, no public file lets anyone infer a firm's tier, and both verifiers agree."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

from inspections.draw.algorithm import commitment_of, format_population
from inspections.draw.frozen import format_exclusions, format_inspectors_v2, format_recusals, freeze_object
from inspections.draw.record_v1 import record_bytes
from inspections.draw.record_v3 import RULES_V3, build_record_v3, key_v3, seed_v3
from inspections.draw.rows import Officer, Target
from inspections.draw.teams import candidates_by_region, jurisdiction, office_area
from inspections.draw.verifying import counts_shown, draw_frozen
from seeds.generate import make_uscc
from tests.bundlekit import (
    both,
    needs_node,
    participants_of,
    public_of,
    random_bundle,
    sealed_bundle,
)


@needs_node
@pytest.mark.parametrize("case", range(16))
def test_both_verifiers_reproduce_random_v3_draws_from_the_full_and_the_public_bundle(
    tmp_path: Path, case: int
) -> None:
    full = random_bundle(random.Random(case), version=3)
    record = json.loads(full["record.json"])
    assert record["algorithm"] == "supervise-draw/v3"
    assert both(tmp_path, full) == ("MATCH", "MATCH")
    assert both(tmp_path, public_of(full)) == ("MATCH", "MATCH")


def test_every_v3_freeze_lists_every_participants_commitment() -> None:
    for case in range(16):
        record = json.loads(random_bundle(random.Random(case), version=3)["record.json"])
        bound = [
            (p["participant"], p["role"], p["commitment"], p["committed_at"]) for p in record["freeze"]["participants"]
        ]
        seeded = [
            (p["participant"], p["role"], p["commitment"], p["committed_at"]) for p in record["seed"]["participants"]
        ]
        assert bound == seeded and len(bound) >= 1


def forged(full: dict[str, str], edit: Any) -> dict[str, str]:
    """The bundle an operator who knows the reveals would write: other participants, their seed and its outcome."""
    record = json.loads(full["record.json"])
    parts = sorted(edit([dict(p) for p in record["seed"]["participants"]]), key=lambda p: p["participant"])
    beacon = record["seed"]["beacon"]
    seed = seed_v3(
        record["freeze"]["digest"], [(p["participant"], p["reveal"]) for p in parts], beacon and beacon["value"]
    )
    outcome, _found = draw_frozen(
        key=key_v3(seed, full["salt.txt"][:64]), task=record["task"], files=full, rules=RULES_V3
    )
    record["seed"] = {**record["seed"], "participants": parts, "seed": seed}
    record["outcome"] = RULES_V3.publish(outcome, counts_shown(record["freeze"]))
    return {**full, "record.json": record_bytes(record).decode()}


def _replace_one(parts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    victim = next(p for p in parts if p["role"] == "department")
    victim["reveal"] = "ground-after-the-reveals"
    victim["commitment"] = commitment_of(victim["reveal"])
    return parts


def _drop_one(parts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [p for p in parts if p["role"] != "department"][:1] + [p for p in parts if p["role"] == "department"][1:]


def _attackable() -> dict[str, str]:
    """A commit–reveal v3 bundle with two department participants and a selection to change."""
    for case in range(200):
        full = random_bundle(random.Random(case), version=3)
        record = json.loads(full["record.json"])
        departments = [p for p in record["seed"]["participants"] if p["role"] == "department"]
        if len(departments) >= 2 and len(record["outcome"]["selected"]) >= 3:
            return full
    raise LookupError("no random bundle with two department participants")


def refrozen(full: dict[str, str], parts: list[dict[str, Any]]) -> dict[str, str]:
    """The same draw frozen again with these participants: a bundle consistent in itself."""
    record = json.loads(full["record.json"])
    freeze = freeze_object(
        at=record["freeze"]["at"],
        salt=full["salt.txt"][:64],
        files={n: full[n] for n in ("exclusions.txt", "inspectors.txt", "population.txt", "recusals.txt")},
        task=record["task"],
        beacon=record["freeze"]["beacon"],
        participants=parts,
        tier_floor=record["freeze"]["tier_floor"],
    )
    rebuilt, _outcome = build_record_v3(
        draw_id=record["draw_id"],
        created_at=record["created_at"],
        task=record["task"],
        freeze=freeze,
        files=full,
        salt=full["salt.txt"][:64],
        mode=record["seed"]["mode"],
        participants=parts,
        beacon=record["seed"]["beacon"],
    )
    return {**full, "record.json": record_bytes(rebuilt).decode()}


@needs_node
@pytest.mark.parametrize("attack", ["replace", "drop", "add"])
@pytest.mark.parametrize("public", [False, True])
def test_both_verifiers_refuse_a_participant_changed_after_the_freeze(
    tmp_path: Path, attack: str, public: bool
) -> None:
    full = _attackable()
    parts = json.loads(full["record.json"])["seed"]["participants"]
    absent = next(p for p in parts if p["role"] == "department")
    if attack == "add":  # a task department that never committed: the honest draw ran without it
        full = refrozen(full, [p for p in parts if p is not absent])
        assert both(tmp_path, full) == ("MATCH", "MATCH")
    edit = {
        "replace": _replace_one,
        "drop": _drop_one,
        "add": lambda ps: [*ps, {**absent, "committed_at": "2026-06-29T07:00:00.000000Z"}],
    }[attack]
    bad = forged(full, edit)
    assert json.loads(bad["record.json"])["seed"]["seed"] != json.loads(full["record.json"])["seed"]["seed"]
    ours, theirs = both(tmp_path, public_of(bad) if public else bad)
    assert ours.startswith("MISMATCH") and "participant" in ours, ours
    assert theirs.startswith("MISMATCH") and "participants" in theirs, theirs


@needs_node
def test_a_refrozen_freeze_with_forged_participants_is_caught_only_by_the_published_digest(tmp_path: Path) -> None:
    full = _attackable()
    published = json.loads(full["record.json"])["freeze"]["digest"]
    parts = _replace_one([dict(p) for p in json.loads(full["record.json"])["seed"]["participants"]])
    again = refrozen(full, parts)
    assert both(tmp_path, again) == ("MATCH", "MATCH")  # consistent in itself: only the notice shows the order
    assert json.loads(again["record.json"])["freeze"]["digest"] != published  # so --freeze-digest refuses it


def test_a_township_office_keeps_its_inspector_out_of_that_township_only() -> None:
    inspector = Officer("B1", "330100-SCJG", "330102", "员", "330102100", "")
    firms = ["330102100", "330102101", "330102199", "330102"]
    v2 = candidates_by_region([inspector], firms, cross_office=True, office_prefix=jurisdiction)
    v3 = candidates_by_region([inspector], firms, cross_office=True, office_prefix=office_area)
    assert jurisdiction("330102100") == "3301021"  # v2's rule: cuts the township code to 7 digits
    assert [r for r in firms if v2[r]] == ["330102"]
    assert office_area("330102100") == "330102100" and office_area("330100") == "3301"
    assert [r for r in firms if v3[r]] == ["330102101", "330102199", "330102"]


def _bundle(pop: list[Target], ratios: dict[str, str], count: int | None = None) -> dict[str, str]:
    """A small commit–reveal v3 bundle over these firms, with one department of three inspectors."""
    pool = [Officer(f"B{n}", "330100-SCJG", "330102", "员", "330102", "") for n in range(3)]
    task = {
        "code": "T-P",
        "title": "定向抽查",
        "plan": "P-P",
        "departments": ["330100-SCJG"],
        "items": [{"code": "I-1", "name": "检查", "department": "330100-SCJG", "legal_basis": "依据", "specialty": ""}],
        "window": {"start": "2026-07-01", "end": "2026-09-30"},
        "sample": {"ratios": ratios, "count": count},
        "team_size": 2,
        "max_per_inspector": 5,
        "directed": True,
        "assignment": "territorial",
        "scope": {"filter": {"regions": ["330102001", "330102002", "330102003"]}},
    }
    files = {
        "population.txt": format_population(pop),
        "inspectors.txt": format_inspectors_v2(pool),
        "recusals.txt": format_recusals([]),
        "exclusions.txt": format_exclusions([]),
    }
    participants = participants_of([("督查室", "observer"), ("330100-SCJG", "department")])
    return sealed_bundle(
        task=task, files=files, salt="ab" * 32, mode="commit_reveal", participants=participants, version=3,
        draw_id="D-T-P",
    )  # fmt: skip


def _firms(tiers: str, start: int = 0) -> list[Target]:
    return [Target(make_uscc(start + n, "330102"), tier, f"33010200{1 + n % 3}", "企") for n, tier in enumerate(tiers)]


@needs_node
@pytest.mark.parametrize(
    "pop, ratios",
    [
        (_firms("BBD"), {"B": "0.5", "D": "1"}),  # the 定向 example: quotas {B:1, D:1} would pin the third firm
        (_firms("C"), {"C": "0.5"}),  # a 1-firm 定向 population
    ],
    ids=["three-townships", "one-firm"],
)
def test_a_small_or_whole_tier_publishes_no_count_quota_or_ticket(
    tmp_path: Path, pop: list[Target], ratios: Any
) -> None:
    full = _bundle(pop, ratios)
    public = public_of(full)
    record = json.loads(public["record.json"])
    assert [part["count"] for part in record["freeze"]["tiers"].values()] == [None] * 4
    assert record["outcome"]["quotas"] is None
    assert all(set(s) == {"uscc", "team"} for s in record["outcome"]["selected"])
    usccs = [s["uscc"] for s in record["outcome"]["selected"]]
    assert usccs == sorted(usccs) and len(usccs) == (2 if len(pop) == 3 else 1)
    for tier in "ABCD":  # no public text carries a tier letter between TABs, nor a per-firm ticket
        assert f"\t{tier}\t" not in public["firms.txt"]
    assert "ticket" not in public["record.json"]
    assert both(tmp_path, public) == ("MATCH", "MATCH")
    assert both(tmp_path, full) == ("MATCH", "MATCH")


@needs_node
def test_counts_are_published_where_every_tier_is_large_and_none_is_drawn_whole(tmp_path: Path) -> None:
    full = _bundle(_firms("A" * 10 + "B" * 12 + "C" * 10 + "D" * 11), {"A": "0.1", "B": "0.1", "C": "0.2", "D": "0.5"})
    record = json.loads(full["record.json"])
    assert {t: p["count"] for t, p in record["freeze"]["tiers"].items()} == {"A": 10, "B": 12, "C": 10, "D": 11}
    assert record["outcome"]["quotas"] == {"A": 1, "B": 2, "C": 2, "D": 6}
    assert both(tmp_path, public_of(full)) == ("MATCH", "MATCH")
    # Published counts where they are withheld, or withheld where published, fail the full verifier.
    withheld = json.loads(full["record.json"])
    for part in withheld["freeze"]["tiers"].values():
        part["count"] = None
    withheld["outcome"]["quotas"] = None
    ours, theirs = both(tmp_path, {**full, "record.json": record_bytes(withheld).decode()})
    assert ours.startswith("MISMATCH") and theirs.startswith("MISMATCH")


@needs_node
def test_a_v3_public_bundle_refuses_a_firm_outside_the_list_or_out_of_order(tmp_path: Path) -> None:
    full = _attackable()
    record = json.loads(full["record.json"])
    record["outcome"]["selected"].reverse()
    ours, theirs = both(tmp_path, public_of({**full, "record.json": record_bytes(record).decode()}))
    assert ours.startswith("MISMATCH") and theirs.startswith("MISMATCH")
