"""The published draw record (record.json) and its independent verification, from files alone."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from inspections.draw.algorithm import (
    ALGORITHM,
    TIERS,
    DrawInputError,
    Participant,
    Sample,
    compute_seed,
    gc_paused,
    inspector_digest,
    parse_inspectors,
    quotas,
    staff_chosen,
)
from inspections.draw.parallel import processes_for
from inspections.draw.rows import Officer, Outcome
from inspections.draw.scan import scan_population
from inspections.draw.strict import StrictError, file_problem, parse_record
from supervise.canonical import canonical_json

SINGLE_OPERATOR = "single_operator"
COMMIT_REVEAL = "commit_reveal"


def build_record(
    *,
    draw_id: str,
    created_at: str,
    task: dict[str, Any],
    population_text: str,
    officers: Sequence[Officer],
    exclusions: Sequence[dict[str, str]],
    recusals: Sequence[tuple[str, str]],
    participants: Sequence[Participant],
    beacon: dict[str, str] | None,
    seed_mode: str,
    processes: int = 1,
) -> dict[str, Any]:
    """Run the draw on a frozen population.txt and return the complete, immutable record."""
    seed = compute_seed(participants, beacon["value"] if beacon else None)
    sample = sample_of(task)
    # The quotas need the tier counts before the scan: count the tier column's "\t{tier}\t" in C, then let the
    # scan confirm it (a count that does not confirm is redone with the counts the scan found).
    tiers = {t: population_text.count(f"\t{t}\t") for t in TIERS}
    for _attempt in range(2):
        k = quotas(tiers, sample)
        scan = scan_population(population_text, seed=seed, k=k, processes=processes)
        scan.check_tiers()
        found = {t: scan.tiers.get(t, 0) for t in TIERS}
        if found == tiers:
            break
        tiers = found
    outcome = _staff(seed, k, scan.chosen, officers, task, recusals, processes)
    return {
        "algorithm": ALGORITHM,
        "draw_id": draw_id,
        "created_at": created_at,
        "task": task,
        "population": {"digest": scan.digest, "count": scan.count, "tiers": tiers},
        "inspectors": {"digest": inspector_digest(o.badge for o in officers), "count": len(officers)},
        "exclusions": sorted(exclusions, key=lambda e: (e["uscc"], e["reason"])),
        "recusals": sorted([list(pair) for pair in set(recusals)]),
        "seed": {
            "mode": seed_mode,
            "participants": [
                {"participant": p.participant, "commitment": p.commitment, "reveal": p.reveal}
                for p in sorted(participants, key=lambda p: p.participant)
            ],
            "beacon": beacon,
            "seed": seed,
        },
        "outcome": outcome.as_json(),
    }


def _staff(
    seed: str,
    k: dict[str, int],
    chosen: Sequence[Any],
    officers: Sequence[Officer],
    task: dict[str, Any],
    recusals: Sequence[tuple[str, str]],
    processes: int,
) -> Outcome:
    """Staff the selected firms with the task's team rules (§5): the same call when drawing and verifying."""
    return staff_chosen(
        seed=seed,
        quotas=k,
        chosen=chosen,
        officers=officers,
        departments=task["departments"],
        team_size=task["team_size"],
        max_per_inspector=task["max_per_inspector"],
        recusals=recusals,
        processes=processes,
    )


def sample_of(task: dict[str, Any]) -> Sample:
    """Read the sampling rule out of a record's task definition."""
    sample = task["sample"]
    return Sample(ratios=dict(sample["ratios"]), count=sample.get("count"))


def record_bytes(record: dict[str, Any]) -> bytes:
    """The exact bytes of record.json: canonical JSON, UTF-8, no trailing newline."""
    return canonical_json(record).encode("utf-8")


@dataclass(frozen=True)
class Verdict:
    ok: bool
    difference: str | None = None

    def __str__(self) -> str:
        return "MATCH" if self.ok else f"MISMATCH: {self.difference}"


def verify_bundle(record_text: str, population_text: str, inspectors_text: str) -> Verdict:
    """Recompute a draw from its published files and compare every part of the record."""
    with gc_paused():  # millions of parsed rows, no cycles: a collection pass would walk them all, often
        return _verify(record_text, population_text, inspectors_text)


def _verify(record_text: str, population_text: str, inspectors_text: str) -> Verdict:
    try:  # §6.1: one spelling of each file, checked before anything is recomputed
        record = parse_record(record_text)
        for text, what in ((population_text, "population.txt"), (inspectors_text, "inspectors.txt")):
            problem = file_problem(text, what)
            if problem is not None:
                raise StrictError(problem)
    except StrictError as exc:
        return Verdict(False, f"not in the strict form: {exc}")
    try:
        officers = parse_inspectors(inspectors_text)
    except DrawInputError as exc:
        return Verdict(False, f"unreadable bundle: {exc}")
    if record.get("algorithm") != ALGORITHM:
        return Verdict(False, f"algorithm is {record.get('algorithm')!r}, this verifier implements {ALGORITHM}")
    pop, task = record["population"], record["task"]
    participants = [Participant(p["participant"], p["commitment"], p["reveal"]) for p in record["seed"]["participants"]]
    beacon = record["seed"]["beacon"]
    # The tickets need the seed and the quotas before the population is read, so both are computed from the
    # record first; each is checked against the files below, in the order a reader would check them.
    seed_error: DrawInputError | None = None
    try:
        seed = compute_seed(participants, beacon["value"] if beacon else None)
    except DrawInputError as exc:
        seed, seed_error = "", exc
    task_error: DrawInputError | None = None
    try:  # from the record's tier counts: used only once the file is shown to have exactly these
        k = quotas({t: int(pop["tiers"].get(t, 0)) for t in TIERS}, sample_of(task))
    except (DrawInputError, TypeError, ValueError) as exc:
        k, task_error = dict.fromkeys(TIERS, 0), DrawInputError(str(exc))
    processes = processes_for(population_text.count("\n"))
    try:
        scan = scan_population(
            population_text,
            seed=seed,
            k=k,
            excluded=[ex["uscc"] for ex in record["exclusions"]],
            processes=processes,
        )
    except DrawInputError as exc:
        return Verdict(False, f"unreadable bundle: {exc}")
    if scan.digest != pop["digest"]:
        return Verdict(False, f"population digest {scan.digest} does not match the record's {pop['digest']}")
    if scan.count != pop["count"]:
        return Verdict(False, f"population has {scan.count} firms, the record says {pop['count']}")
    for tier in TIERS:
        if scan.tiers.get(tier, 0) != pop["tiers"].get(tier, 0):
            return Verdict(
                False, f"tier {tier} has {scan.tiers.get(tier, 0)} firms, the record says {pop['tiers'].get(tier)}"
            )
    ins = record["inspectors"]
    digest = inspector_digest(o.badge for o in officers)
    if digest != ins["digest"] or len(officers) != ins["count"]:
        return Verdict(
            False, f"inspector digest {digest} ({len(officers)}) does not match the record's {ins['digest']}"
        )
    for ex in record["exclusions"]:
        if ex["uscc"] in scan.excluded:
            return Verdict(False, f"excluded firm {ex['uscc']} is in the population")
    if record["seed"]["mode"] == COMMIT_REVEAL and len(participants) < 2:
        return Verdict(False, "a commit-reveal seed needs at least 2 participants")
    if seed_error is not None:
        return Verdict(False, str(seed_error))
    if seed != record["seed"]["seed"]:
        return Verdict(False, f"seed recomputes to {seed}, the record says {record['seed']['seed']}")
    try:
        scan.check_tiers()
        if task_error is not None:
            raise task_error
        recusals = [(pair[0], pair[1]) for pair in record["recusals"]]
        outcome = _staff(seed, k, scan.chosen, officers, task, recusals, processes).as_json()
    except DrawInputError as exc:
        return Verdict(False, f"the task definition cannot be drawn: {exc}")
    return _compare_outcome(outcome, record["outcome"])


def _compare_outcome(expected: dict[str, Any], recorded: dict[str, Any]) -> Verdict:
    if expected["quotas"] != recorded.get("quotas"):
        return Verdict(False, f"quotas recompute to {expected['quotas']}, the record says {recorded.get('quotas')}")
    for key in ("selected", "unstaffed"):
        exp, rec = expected[key], recorded.get(key, [])
        for i in range(max(len(exp), len(rec))):
            a = exp[i] if i < len(exp) else None
            b = rec[i] if i < len(rec) else None
            if a != b:
                return Verdict(
                    False, f"{key}[{i}] recomputes to {canonical_json(a)}, the record says {canonical_json(b)}"
                )
    return Verdict(True)
