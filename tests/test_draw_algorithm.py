"""The draw algorithm on plain data: no database, no app."""

import json

import pytest

from inspections.draw.algorithm import (
    DrawInputError,
    Participant,
    Sample,
    commitment_of,
    compute_seed,
    covers,
    format_inspectors,
    format_population,
    quotas,
    run_draw,
    ticket,
)
from inspections.draw.record_v1 import COMMIT_REVEAL, build_record, record_bytes, verify_bundle
from inspections.draw.rows import Officer, Target

SEED = "ab" * 32


def firms(n: int, tier: str = "B", region: str = "330102") -> list[Target]:
    return [Target(f"91{region}{i:09d}X", tier, region, f"企业{i}") for i in range(n)]


def officers(dept: str, n: int, region: str = "330102", start: int = 0) -> list[Officer]:
    return [Officer(f"{dept[-4:]}{start + i:04d}", dept, region, f"员{i}") for i in range(n)]


def test_quota_is_ceiling_of_size_times_ratio_per_tier() -> None:
    got = quotas({"A": 101, "B": 100, "C": 7, "D": 3}, Sample({"A": "0.01", "B": "0.02", "C": "0.1", "D": "0.3"}))
    assert got == {"A": 2, "B": 2, "C": 1, "D": 1}


def test_quota_is_capped_at_tier_size_and_zero_for_empty_tiers() -> None:
    assert quotas({"D": 3}, Sample({"A": "0.5", "D": "1"})) == {"A": 0, "B": 0, "C": 0, "D": 3}


def test_quota_uses_exact_decimal_arithmetic() -> None:
    # 0.07 * 100 is 7.000000000000001 in binary floating point; ceil would give 8.
    assert quotas({"C": 100}, Sample({"C": "0.07"}))["C"] == 7


def test_count_is_allocated_by_largest_remainder_in_proportion() -> None:
    # weights n*r: A 100*0.01=1, B 100*0.02=2, C 100*0.1=10, D 10*0.3=3 -> total 16; count 10
    # shares 0.625, 1.25, 6.25, 1.875 -> floors 0,1,6,1 (8); remainders .875 D, .625 A -> D, A
    got = quotas(
        {"A": 100, "B": 100, "C": 100, "D": 10}, Sample({"A": "0.01", "B": "0.02", "C": "0.1", "D": "0.3"}, 10)
    )
    assert got == {"A": 1, "B": 1, "C": 6, "D": 2}


def test_count_ties_are_broken_by_tier_name() -> None:
    got = quotas({"A": 10, "B": 10}, Sample({"A": "0.5", "B": "0.5"}, 3))
    assert got == {"A": 2, "B": 1, "C": 0, "D": 0}


def test_count_beyond_a_full_tier_goes_to_the_others() -> None:
    got = quotas({"A": 100, "D": 2}, Sample({"A": "0.01", "D": "1"}, 10))
    assert got["D"] == 2 and got["A"] == 8


@pytest.mark.parametrize("ratio", ["1.5", "-0.1", "abc"])
def test_bad_ratios_are_refused(ratio: str) -> None:
    with pytest.raises(DrawInputError):
        quotas({"A": 1}, Sample({"A": ratio}))


def test_lowest_tickets_are_selected() -> None:
    pop = firms(50)
    out = run_draw(
        seed=SEED,
        population=pop,
        officers=officers("330102-SCJG", 4),
        sample=Sample({"B": "0.1"}),
        departments=["330102-SCJG"],
        team_size=2,
        max_per_inspector=99,
    )
    expected = sorted(pop, key=lambda t: ticket(SEED, "target", t.uscc))[:5]
    assert [s["uscc"] for s in out.selected] == [t.uscc for t in expected]


def test_joint_team_has_one_inspector_from_each_department() -> None:
    pool = officers("330102-SCJG", 6) + officers("330102-WSJK", 1) + officers("330102-YJGL", 2)
    out = run_draw(
        seed=SEED,
        population=firms(40),
        officers=pool,
        sample=Sample({"B": "0.1"}),
        departments=["330102-WSJK", "330102-SCJG", "330102-YJGL"],
        team_size=3,
        max_per_inspector=99,
    )
    dept = {o.badge: o.department for o in pool}
    assert out.selected and not out.unstaffed
    for s in out.selected:
        assert {dept[b] for b in s["team"]} == {"330102-SCJG", "330102-WSJK", "330102-YJGL"}


def test_recused_inspector_is_never_assigned_that_firm() -> None:
    pop = firms(20)
    pool = officers("330102-SCJG", 3)
    # Adversarial: two of three inspectors are recused from every firm.
    recusals = [(o.badge, t.uscc) for o in pool[:2] for t in pop]
    out = run_draw(
        seed=SEED,
        population=pop,
        officers=pool,
        sample=Sample({"B": "1"}),
        departments=["330102-SCJG"],
        team_size=2,
        max_per_inspector=99,
        recusals=recusals,
    )
    assert out.selected == []
    assert len(out.unstaffed) == 20
    assert all("only 1 eligible" in u["reason"] for u in out.unstaffed)


def test_recusal_of_one_pair_leaves_other_assignments() -> None:
    pop = firms(10)
    pool = officers("330102-SCJG", 3)
    blocked = {(pool[0].badge, pop[3].uscc), (pool[1].badge, pop[5].uscc)}
    out = run_draw(
        seed=SEED,
        population=pop,
        officers=pool,
        sample=Sample({"B": "1"}),
        departments=["330102-SCJG"],
        team_size=2,
        max_per_inspector=99,
        recusals=blocked,
    )
    assert len(out.selected) == 10
    assert all((b, s["uscc"]) not in blocked for s in out.selected for b in s["team"])


def test_workload_cap_leaves_targets_unstaffed_with_a_reason() -> None:
    out = run_draw(
        seed=SEED,
        population=firms(10),
        officers=officers("330102-SCJG", 4),
        sample=Sample({"B": "1"}),
        departments=["330102-SCJG"],
        team_size=2,
        max_per_inspector=3,
    )
    loads: dict[str, int] = {}
    for s in out.selected:
        for b in s["team"]:
            loads[b] = loads.get(b, 0) + 1
    assert max(loads.values()) <= 3
    assert len(out.selected) == 6 and len(out.unstaffed) == 4


def test_inspectors_only_cover_their_own_jurisdiction() -> None:
    assert covers("330102", "330102") and not covers("330102", "330105")
    assert covers("330100", "330105") and covers("330000", "331127") and not covers("330100", "330203")
    out = run_draw(
        seed=SEED,
        population=firms(5, region="330105"),
        officers=officers("330102-SCJG", 5),
        sample=Sample({"B": "1"}),
        departments=["330102-SCJG"],
        team_size=2,
        max_per_inspector=9,
    )
    assert out.selected == [] and len(out.unstaffed) == 5


def test_team_smaller_than_two_is_refused() -> None:
    with pytest.raises(DrawInputError, match="at least 2"):
        run_draw(
            seed=SEED,
            population=firms(1),
            officers=[],
            sample=Sample({"B": "1"}),
            departments=["x"],
            team_size=1,
            max_per_inspector=1,
        )


def test_reveal_must_match_commitment() -> None:
    with pytest.raises(DrawInputError, match="does not match"):
        compute_seed([Participant("a", commitment_of("secret-a"), "secret-b")], None)


def test_seed_depends_on_every_reveal_and_the_beacon() -> None:
    ps = [Participant("a", commitment_of("x"), "x"), Participant("b", commitment_of("y"), "y")]
    base = compute_seed(ps, "lottery 2026-123: 05 11 17")
    assert compute_seed(list(reversed(ps)), "lottery 2026-123: 05 11 17") == base
    assert compute_seed(ps, None) != base
    assert compute_seed([ps[0], Participant("b", commitment_of("z"), "z")], "lottery 2026-123: 05 11 17") != base


# --- the record and the verifier ---------------------------------------------------------------

TASK = {
    "code": "T-1",
    "title": "测试联合抽查",
    "plan": "P-1",
    "departments": ["330102-SCJG", "330102-WSJK"],
    "items": [],
    "window": {"start": "2026-07-01", "end": "2026-09-30"},
    "sample": {"ratios": {"A": "0.01", "B": "0.1", "C": "0.2", "D": "0.5"}, "count": None},
    "team_size": 2,
    "max_per_inspector": 20,
    "directed": False,
    "scope": {},
}


def bundle() -> tuple[str, str, str]:
    pop = firms(60, "B") + [t._replace(uscc=t.uscc[:-1] + "Y", tier="D") for t in firms(10)]
    pool = officers("330102-SCJG", 4) + officers("330102-WSJK", 3)
    parts = [
        Participant(n, commitment_of(f"secret-{n}"), f"secret-{n}") for n in ("330102-SCJG", "330102-WSJK", "督查室")
    ]
    record = build_record(
        draw_id="D-1",
        created_at="2026-06-30T08:00:00.000000Z",
        task=TASK,
        population_text=format_population(pop),
        officers=pool,
        exclusions=[{"uscc": "91330102999999999X", "reason": "cool-down"}],
        recusals=[(pool[0].badge, pop[0].uscc)],
        participants=parts,
        beacon={"value": "福彩3D 2026180: 4 7 1", "source": "中国福利彩票"},
        seed_mode=COMMIT_REVEAL,
    )
    return record_bytes(record).decode(), format_population(pop), format_inspectors(pool)


def test_untouched_bundle_verifies() -> None:
    assert str(verify_bundle(*bundle())) == "MATCH"


def test_edited_outcome_is_detected() -> None:
    rec, pop, ins = bundle()
    record = json.loads(rec)
    record["outcome"]["selected"][0]["team"].reverse()
    verdict = verify_bundle(record_bytes(record).decode(), pop, ins)
    assert not verdict.ok and "selected[0]" in str(verdict)


def test_swapped_target_is_detected() -> None:
    rec, pop, ins = bundle()
    record = json.loads(rec)
    record["outcome"]["selected"][0]["uscc"] = record["population"]["digest"][:18]
    assert "selected[0]" in str(verify_bundle(record_bytes(record).decode(), pop, ins))


def test_reveal_not_matching_its_commitment_is_detected() -> None:
    rec, pop, ins = bundle()
    record = json.loads(rec)
    record["seed"]["participants"][1]["reveal"] = "a different secret"
    verdict = verify_bundle(record_bytes(record).decode(), pop, ins)
    assert not verdict.ok and "does not match its commitment" in str(verdict)


def test_population_not_matching_its_digest_is_detected() -> None:
    rec, pop, ins = bundle()
    lines = pop.splitlines(keepends=True)
    verdict = verify_bundle(rec, "".join(lines[:5] + lines[6:]), ins)
    assert not verdict.ok and "population digest" in str(verdict)


def test_changed_tier_in_population_is_detected() -> None:
    rec, pop, ins = bundle()
    verdict = verify_bundle(rec, pop.replace("\tB\t", "\tC\t", 1), ins)
    assert not verdict.ok and "tier" in str(verdict)


def test_edited_inspector_file_is_detected() -> None:
    rec, pop, ins = bundle()
    lines = ins.splitlines(keepends=True)
    assert not verify_bundle(rec, pop, "".join(lines[1:])).ok


def test_the_specification_test_vector_matches_the_implementation() -> None:
    from pathlib import Path

    from inspections.draw.algorithm import population_digest

    doc = (Path(__file__).parent.parent / "docs" / "draw-algorithm.md").read_text(encoding="utf-8")
    parts = [Participant("330102-SCJG", commitment_of("s1"), "s1"), Participant("督查室", commitment_of("s2"), "s2")]
    seed = compute_seed(parts, "4 7 1")
    values = [
        commitment_of("s1"),
        seed,
        ticket(seed, "target", "91330102MA27XL4D1B"),
        ticket(seed, "inspector", "91330102MA27XL4D1B|330102010001"),
        population_digest(["91330102MA27XL4D1B", "913301020000000001"]),
    ]
    for value in values:
        assert f"`{value}`" in doc
