"""The verifier's parallel scan of population.txt agrees with reading the whole file at once."""

import random

import pytest

from inspections.draw.algorithm import (
    DrawInputError,
    Participant,
    Sample,
    commitment_of,
    format_population,
    lowest_per_tier,
    merge_lowest,
    parse_population,
    population_digest,
    run_draw,
)
from inspections.draw.record_v1 import build_record
from inspections.draw.rows import Officer, Target
from inspections.draw.scan import line_parts, scan_population

SEED = "ab" * 32
K = {"A": 3, "B": 5, "C": 20, "D": 40}


@pytest.fixture(autouse=True, params=["whole parts", "runs of a few lines"])
def runs(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test twice: each part parsed at once, and each part parsed in runs of a few lines (as at scale)."""
    from inspections.draw import scan

    if request.param == "runs of a few lines":
        monkeypatch.setattr(scan, "RUN_LINES", 1)  # about 40 characters: one or two lines a run


def population(n: int) -> str:
    rng = random.Random(5)
    firms = [Target(f"9133{i:014d}", rng.choice("ABCD"), "330102", f"企业{i}") for i in range(n)]
    return format_population(firms)


@pytest.mark.parametrize("processes", [1, 2, 3, 7])
def test_scan_in_parts_gives_the_digest_counts_and_selection_of_the_whole_file(processes: int) -> None:
    text = population(3000)
    rows = parse_population(text)
    usccs, tiers = [r.uscc for r in rows], [r.tier for r in rows]
    excluded = [usccs[10], usccs[2999], "91330000000000000X"]
    scan = scan_population(text, seed=SEED, k=K, excluded=excluded, processes=processes)
    assert scan.digest == population_digest(usccs)
    assert scan.count == 3000 and scan.tiers == {t: tiers.count(t) for t in "ABCD"}
    assert scan.excluded == {usccs[10], usccs[2999]}
    expected = merge_lowest([lowest_per_tier(SEED, usccs, tiers, 0, K)], K)
    assert [(tk, t.uscc) for tk, t in scan.chosen] == [(tk, u) for tk, u, _i in expected]
    assert {t for _tk, t in scan.chosen} <= set(rows)


def test_line_parts_cut_only_between_lines_and_number_them() -> None:
    text = population(100)
    spans = line_parts(text, 3)
    assert "".join(text[a:b] for a, b, _n in spans) == text
    for a, _b, n in spans:
        assert a == 0 or text[a - 1] == "\n"
        assert n == text.count("\n", 0, a) + 1


@pytest.mark.parametrize("processes", [1, 3])
def test_a_bad_line_is_named_by_its_line_number_in_the_whole_file(processes: int) -> None:
    lines = population(300).splitlines(keepends=True)
    lines[250] = lines[250].replace("\t", " ", 1)
    with pytest.raises(DrawInputError, match="line 251: expected 4 tab-separated fields"):
        scan_population("".join(lines), seed=SEED, k=K, processes=processes)


@pytest.mark.parametrize("processes", [1, 3])
def test_lines_out_of_order_across_parts_are_refused(processes: int) -> None:
    lines = population(300).splitlines(keepends=True)
    lines[100], lines[200] = lines[200], lines[100]  # each part may still be sorted in itself
    with pytest.raises(DrawInputError, match="out of order or duplicated"):
        scan_population("".join(lines), seed=SEED, k=K, processes=processes)


def test_a_malformed_line_is_reported_before_an_ordering_problem_earlier_in_the_file() -> None:
    lines = population(300).splitlines(keepends=True)
    lines[10], lines[11] = lines[11], lines[10]
    lines[280] = "no tabs here\n"
    with pytest.raises(DrawInputError, match="line 281: expected 4"):
        scan_population("".join(lines), seed=SEED, k=K, processes=3)


def test_an_empty_population_scans_to_nothing() -> None:
    scan = scan_population("", seed=SEED, k=dict.fromkeys("ABCD", 0), processes=2)
    assert (scan.count, scan.chosen, scan.digest) == (0, [], population_digest([]))


@pytest.mark.parametrize("odd_regions", [False, True])
def test_record_built_from_the_file_has_the_outcome_of_the_row_by_row_draw(odd_regions: bool) -> None:
    # Regions named like a tier make the quick tier count wrong: the scan's own count must correct it.
    rng = random.Random(9)
    firms = [
        Target(f"9133{i:014d}", rng.choice("ABCD"), "B" if odd_regions and i % 7 == 0 else "330102", f"企业{i}")
        for i in range(4000)
    ]
    pool = [Officer(f"B{i:04d}", "330102-SCJG", "330102", f"员{i}") for i in range(40)]
    task = {"sample": {"ratios": {"A": "0.01", "B": "0.02", "C": "0.1", "D": "0.3"}}, "departments": ["330102-SCJG"],
            "team_size": 2, "max_per_inspector": 30}  # fmt: skip
    parts = [Participant("op", commitment_of("s"), "s")]
    record = build_record(
        draw_id="D-1", created_at="2026-06-30T08:00:00.000000Z", task=task, population_text=format_population(firms),
        officers=pool, exclusions=[], recusals=[], participants=parts, beacon=None, seed_mode="single_operator",
        processes=2,
    )  # fmt: skip
    reference = run_draw(
        seed=record["seed"]["seed"], population=firms, officers=pool, sample=Sample(task["sample"]["ratios"]),
        departments=task["departments"], team_size=2, max_per_inspector=30,
    )  # fmt: skip
    assert record["outcome"] == reference.as_json()
    assert record["population"]["tiers"] == {t: sum(f.tier == t for f in firms) for t in "ABCD"}
    assert record["population"]["digest"] == population_digest(f.uscc for f in firms)


def test_population_file_is_sorted_one_line_per_firm_with_white_space_in_names_collapsed() -> None:
    firms = [
        Target("91330000000000002B", "C", "330102", "杭州\t甲\n公司"),
        Target("91330000000000001A", "A", "330106", "  乙\u3000\u3000商行 "),
        Target("91330000000000003C", "D", "330108", "丙有限公司"),
    ]
    text = format_population(firms)
    assert text == (
        "91330000000000001A\tA\t330106\t乙 商行\n"
        "91330000000000002B\tC\t330102\t杭州 甲 公司\n"
        "91330000000000003C\tD\t330108\t丙有限公司\n"
    )
    assert parse_population(text)[1] == Target("91330000000000002B", "C", "330102", "杭州 甲 公司")
    assert format_population([]) == ""


def test_a_tier_left_short_by_its_bound_is_scanned_again_until_the_selection_is_exact(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from inspections.draw import scan

    text = population(3000)
    expected = scan_population(text, seed=SEED, k=K)
    # A bound nothing falls below, until the margin has grown to the whole tier: every tier comes up short first.
    monkeypatch.setattr(scan, "prefix_bound", lambda share: b"\xff" * 33 if share >= 1.0 else b"\x00")
    again = scan_population(text, seed=SEED, k=K)
    assert again.chosen == expected.chosen and again.digest == expected.digest and again.tiers == expected.tiers
