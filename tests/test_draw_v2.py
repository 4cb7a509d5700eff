"""Draw algorithm v2: both verifiers agree on random full and public bundles, and every tamper with an input
that could steer the outcome (a tier, area, jurisdiction, office, specialty, recusal or task parameter of
an unselected firm or inspector) is refused on the full bundle by both (docs/draw-algorithm.md §10)."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

from inspections.draw.bundles import verify_files
from inspections.draw.record_v1 import record_bytes
from inspections.draw.record_v2 import build_record_v2
from tests.bundlekit import NODE, both, edit_line, needs_node, node_verify, public_of, random_bundle


@needs_node
@pytest.mark.parametrize("case", range(16))
def test_both_verifiers_reproduce_random_v2_draws_from_the_full_and_the_public_bundle(
    tmp_path: Path, case: int
) -> None:
    full = random_bundle(random.Random(case))
    assert both(tmp_path, full) == ("MATCH", "MATCH")
    assert both(tmp_path, public_of(full)) == ("MATCH", "MATCH")


def test_random_v2_draws_cover_the_new_team_rules() -> None:
    records = [json.loads(random_bundle(random.Random(case))["record.json"]) for case in range(16)]
    assert any(r["task"]["assignment"] == "cross_office" and r["outcome"]["selected"] for r in records)
    assert any(any(i["specialty"] for i in r["task"]["items"]) and r["outcome"]["selected"] for r in records)
    assert any(r["outcome"]["unstaffed"] for r in records)
    assert any(r["freeze"]["beacon"] for r in records) and any(r["seed"]["mode"] == "single_operator" for r in records)


def _rich(rng_cases: range = range(200), version: int = 2) -> dict[str, str]:
    """A random bundle with selected and unselected firms of several tiers, recusals and specialties."""
    for case in rng_cases:
        files = random_bundle(random.Random(case), version)
        record = json.loads(files["record.json"])
        staffed = [s for s in record["outcome"]["selected"] if s["team"]]
        if (
            len(staffed) > 2
            and record["freeze"]["firms"]["count"] > len(record["outcome"]["selected"]) + 5
            and files["recusals.txt"]
            and record["seed"]["mode"] == "commit_reveal"
        ):
            return files
    raise AssertionError("no random bundle fits")


def _unselected(files: dict[str, str]) -> set[str]:
    record = json.loads(files["record.json"])
    return {line.split("\t")[0] for line in files["population.txt"].splitlines()} - {
        s["uscc"] for s in record["outcome"]["selected"]
    }


def _tamper(files: dict[str, str], how: str) -> dict[str, str]:
    out = dict(files)
    record = json.loads(files["record.json"])
    unselected = _unselected(files)
    other = {"A": "D", "B": "A", "C": "B", "D": "C"}
    if how == "tier of an unselected firm":
        out["population.txt"] = edit_line(
            files["population.txt"], lambda f: f[0] in unselected, lambda f: f.__setitem__(1, other[f[1]])
        )
    elif how == "area of an unselected firm":
        out["population.txt"] = edit_line(
            files["population.txt"], lambda f: f[0] in unselected, lambda f: f.__setitem__(2, "330199")
        )
    elif how == "jurisdiction of an inspector":
        out["inspectors.txt"] = edit_line(files["inspectors.txt"], lambda f: True, lambda f: f.__setitem__(2, "330000"))
    elif how == "office of an inspector":
        out["inspectors.txt"] = edit_line(files["inspectors.txt"], lambda f: True, lambda f: f.__setitem__(3, "330199"))
    elif how == "specialty of an inspector":
        out["inspectors.txt"] = edit_line(
            files["inspectors.txt"], lambda f: True, lambda f: f.__setitem__(4, "特种设备" if f[4] == "-" else "-")
        )
    elif how == "a recusal removed":
        out["recusals.txt"] = "".join(files["recusals.txt"].splitlines(keepends=True)[1:])
    elif how == "a task parameter":
        record["task"]["max_per_inspector"] += 1
    elif how == "the assignment mode":
        record["task"]["assignment"] = (
            "territorial" if record["task"]["assignment"] == "cross_office" else "cross_office"
        )
    elif how == "a reveal before the freeze":
        record["seed"]["participants"][0]["revealed_at"] = "2026-06-30T07:00:00.000000Z"
    elif how == "a beacon not fixed at the freeze":
        record["freeze"]["beacon"] = None
        record["seed"]["beacon"] = {"value": "1 2 3", "entered_at": "2026-06-30T12:30:00.000000Z"}
    elif how == "no observer":
        for p in record["seed"]["participants"]:
            p["role"] = "department"
    elif how == "an unstaffed firm with a team":
        entry = next(s for s in record["outcome"]["selected"] if s["team"])
        entry["team"] = []
    out["record.json"] = record_bytes(record).decode()
    return out


FULL_TAMPERS = [
    "tier of an unselected firm",
    "area of an unselected firm",
    "jurisdiction of an inspector",
    "office of an inspector",
    "specialty of an inspector",
    "a recusal removed",
    "a task parameter",
    "the assignment mode",
    "a reveal before the freeze",
    "a beacon not fixed at the freeze",
    "no observer",
    "an unstaffed firm with a team",
]


@needs_node
@pytest.mark.parametrize("version", [2, 3])
@pytest.mark.parametrize("how", FULL_TAMPERS)
def test_both_verifiers_refuse_a_tampered_full_bundle(tmp_path: Path, how: str, version: int) -> None:
    bad = _tamper(_rich(version=version), how)
    ours, theirs = both(tmp_path, bad)
    assert ours.startswith("MISMATCH") and theirs.startswith("MISMATCH"), (ours, theirs)


@needs_node
@pytest.mark.parametrize(
    "how", ["a task parameter", "a reveal before the freeze", "a beacon not fixed at the freeze", "no observer"]
)
@pytest.mark.parametrize("version", [2, 3])
def test_both_verifiers_refuse_what_the_public_bundle_can_show(tmp_path: Path, how: str, version: int) -> None:
    bad = public_of(_tamper(_rich(version=version), how))
    ours, theirs = both(tmp_path, bad)
    assert ours.startswith("MISMATCH") and theirs.startswith("MISMATCH"), (ours, theirs)


def test_a_tier_change_leaves_the_public_bundle_intact_but_not_the_full_one(tmp_path: Path) -> None:
    # What the public cannot see it cannot check: the tier moved after the seed is caught by the sealed digest.
    full = _tamper(_rich(), "tier of an unselected firm")
    assert str(verify_files(public_of(full))) == "MATCH"
    assert str(verify_files(full)).startswith("MISMATCH: freeze.files")


def test_the_public_bundle_holds_no_firms_tier() -> None:
    full = _rich()
    tiers = {f[0]: f[1] for f in (line.split("\t") for line in full["population.txt"].splitlines())}
    public = public_of(full)
    record: Any = json.loads(public["record.json"])
    assert '"tier":' not in public["record.json"]  # freeze.tiers holds counts and sealed digests only
    assert all(set(s) == {"uscc", "ticket", "team"} for s in record["outcome"]["selected"])
    for line in public["firms.txt"].splitlines():
        uscc, name = line.split("\t")
        assert tiers[uscc] not in name.split()  # no tier column
    assert all(len(line.split("\t")) == 2 for line in public["firms.txt"].splitlines())


V1_FIXTURE = Path(__file__).parent / "fixtures" / "draw-v1"


def test_a_v1_bundle_kept_as_a_fixture_still_verifies_from_its_folder(runner: Any) -> None:
    result = runner.invoke(args=["draw", "verify", str(V1_FIXTURE)])
    assert result.exit_code == 0 and result.output.splitlines()[-1] == "MATCH", result.output
    assert "第1版记录" in result.output.splitlines()[0]
    legacy = [str(V1_FIXTURE / "record.json"), "--population", str(V1_FIXTURE / "population.txt")]
    legacy += ["--inspectors", str(V1_FIXTURE / "inspectors.txt")]
    assert runner.invoke(args=["draw", "verify", *legacy]).output.splitlines()[-1] == "MATCH"


@needs_node
def test_verify_mjs_still_verifies_the_v1_fixture_in_both_forms(tmp_path: Path) -> None:
    files = {
        n: (V1_FIXTURE / n).read_text(encoding="utf-8") for n in ("record.json", "population.txt", "inspectors.txt")
    }
    assert node_verify(tmp_path, files) == "MATCH"
    tampered = dict(files, **{"population.txt": "".join(files["population.txt"].splitlines(keepends=True)[1:])})
    assert both(tmp_path, tampered)[1].startswith("MISMATCH")


@needs_node
def test_both_verifiers_read_participant_ids_alike_at_the_edge_of_white_space(tmp_path: Path) -> None:
    # U+FEFF is not white space in the specification's list (§6.1): both accept it; U+3000 is: both refuse.
    files = _rich()
    record = json.loads(files["record.json"])
    # Either name is now refused as well by the observer rule (§10.3: the observer is 督查室 exactly); the white
    # space edge still shows in why: U+FEFF passes the form and fails the rule, U+3000 fails the form.
    for name, expected in (("督查室\ufeff", "MISMATCH"), ("督查\u3000室", "MISMATCH")):
        participants = [dict(p) for p in record["seed"]["participants"]]
        next(p for p in participants if p["role"] == "observer")["participant"] = name
        try:
            rebuilt, _outcome = build_record_v2(
                draw_id=record["draw_id"],
                created_at=record["created_at"],
                task=record["task"],
                freeze=record["freeze"],
                files={n: files[n] for n in ("population.txt", "inspectors.txt", "recusals.txt", "exclusions.txt")},
                mode=record["seed"]["mode"],
                participants=participants,
                beacon=record["seed"]["beacon"],
            )
        except ValueError:  # the reference will not build it: publish the old seed under the new name
            rebuilt = {
                **record,
                "seed": {**record["seed"], "participants": sorted(participants, key=lambda p: p["participant"])},
            }
        ours, theirs = both(tmp_path, {**files, "record.json": record_bytes(rebuilt).decode()})
        assert ours.split(":")[0] == theirs.split(":")[0] == expected, (name, ours, theirs)


@needs_node
@pytest.mark.parametrize("public", [False, True])
def test_both_verifiers_check_the_freeze_digest_copied_from_the_notice(
    tmp_path: Path, runner: Any, public: bool
) -> None:
    import subprocess

    from tests.bundlekit import VERIFIER

    full = random_bundle(random.Random(5))
    files = public_of(full) if public else full
    folder = tmp_path / "bundle"
    folder.mkdir()
    for name, body in files.items():
        (folder / name).write_bytes(body.encode("utf-8"))
    digest = json.loads(files["record.json"])["freeze"]["digest"]

    def ours(*extra: str) -> Any:
        return runner.invoke(args=["draw", "verify", str(folder), *extra])

    def node(*extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([NODE or "node", str(VERIFIER), str(folder), *extra], capture_output=True, text=True)

    alone = ours()
    assert alone.exit_code == 0 and "只证明文件包内部一致" in alone.output and digest in alone.output
    assert "只证明文件包内部一致" in node().stdout
    same = ours("--freeze-digest", digest.upper())
    assert same.exit_code == 0 and "冻结摘要与抽查任务公告公布的一致" in same.output
    assert (
        same.output.splitlines()[-1] == "MATCH" and node("--freeze-digest", digest).stdout.splitlines()[-1] == "MATCH"
    )
    other = "0" * 64
    refused = ours("--freeze-digest", other)
    assert refused.exit_code == 1 and refused.output.splitlines()[-1].startswith("MISMATCH: 冻结摘要")
    by_node = node("--freeze-digest", other)
    assert by_node.returncode == 1 and by_node.stdout.splitlines()[-1].startswith("MISMATCH: 冻结摘要")


def _reseeded(record: dict[str, Any], participants: list[dict[str, Any]]) -> dict[str, Any]:
    """The record with these participants and the seed they recompute to (as an operator rewriting it would)."""
    from inspections.draw.record_v2 import seed_v2

    ordered = sorted(participants, key=lambda p: p["participant"])
    beacon = record["seed"]["beacon"]
    seed = seed_v2(
        record["freeze"]["digest"],
        [(p["participant"], p["reveal"]) for p in ordered],
        beacon["value"] if beacon else None,
    )
    return {**record, "seed": {**record["seed"], "participants": ordered, "seed": seed}}


@needs_node
@pytest.mark.parametrize("how", ["observer_relabelled", "second_observer", "observer_renamed", "stranger_department"])
@pytest.mark.parametrize("public", [False, True])
def test_both_verifiers_enforce_the_observer_and_the_department_participants(
    tmp_path: Path, how: str, public: bool
) -> None:
    files = _rich()
    record = json.loads(files["record.json"])
    participants = [dict(p) for p in record["seed"]["participants"]]
    observer = next(p for p in participants if p["role"] == "observer")
    department = next(p for p in participants if p["role"] == "department")
    if how == "observer_relabelled":
        observer["role"] = "department"
    elif how == "second_observer":
        department["role"] = "observer"
    elif how == "observer_renamed":
        observer["participant"] = "督查室-x"
    else:
        department["participant"] = "330199-SCJG"
    bundle = {**files, "record.json": record_bytes(_reseeded(record, participants)).decode()}
    ours, theirs = both(tmp_path, public_of(bundle) if public else bundle)
    assert ours.startswith("MISMATCH") and theirs.startswith("MISMATCH"), (ours, theirs)
    word = "department" if how == "stranger_department" else "observer"
    assert word in ours and word in theirs


@needs_node
@pytest.mark.parametrize("version", [2, 3])
def test_both_verifiers_refuse_a_firms_list_beside_the_full_bundle_that_is_not_its_own(
    tmp_path: Path, version: int
) -> None:
    full = random_bundle(random.Random(7), version)
    public = public_of(full)["firms.txt"]
    renamed = edit_line(public, lambda f: True, lambda f: f.__setitem__(1, f[1] + "（改）"))
    assert both(tmp_path, {**full, "firms.txt": public}) == ("MATCH", "MATCH")
    ours, theirs = both(tmp_path, {**full, "firms.txt": renamed})
    assert ours.startswith("MISMATCH: firms.txt") and theirs.startswith("MISMATCH: firms.txt"), (ours, theirs)


@needs_node
@pytest.mark.parametrize("version", [2, 3])
@pytest.mark.parametrize("how", ["one_badge_everywhere", "a_reason_of_no_form"])
def test_both_verifiers_check_what_the_public_bundle_shows_of_the_teams(tmp_path: Path, how: str, version: int) -> None:
    files = _rich(version=version)
    record = json.loads(files["record.json"])
    staffed = [s for s in record["outcome"]["selected"] if s["team"]]
    if how == "one_badge_everywhere":
        badge = staffed[0]["team"][0]
        cap = record["task"]["max_per_inspector"]
        for s in staffed[: cap + 1]:
            if badge not in s["team"]:
                s["team"][0] = badge
        assert sum(badge in s["team"] for s in staffed) > cap
    else:
        entry = staffed[-1]
        entry["team"] = []
        record["outcome"]["unstaffed"] = sorted(
            [*record["outcome"]["unstaffed"], {"uscc": entry["uscc"], "reason": "because"}],
            key=lambda u: [s["uscc"] for s in record["outcome"]["selected"]].index(u["uscc"]),
        )
    public = public_of({**files, "record.json": record_bytes(record).decode()})
    ours, theirs = both(tmp_path, public)
    assert ours.startswith("MISMATCH") and theirs.startswith("MISMATCH"), (ours, theirs)
    word = "max_per_inspector" if how == "one_badge_everywhere" else "reason"
    assert word in ours and word in theirs


@pytest.mark.parametrize(
    "change",
    [
        {"departments": []},
        {"scope": []},
        {"team_size": 0},
        {"max_per_inspector": 0},
        {"window": {"start": "2026-07-01", "end": "2026-06-30"}},
        {"window": {"start": "2026-7-1", "end": "2026-09-30"}},
        {"window": {"start": "2026-02-30", "end": "2026-09-30"}},
    ],
)
def test_a_task_no_draw_could_have_run_on_is_refused(change: dict[str, Any]) -> None:
    from inspections.draw.algorithm import DrawInputError
    from inspections.draw.checks import check_task_form

    task = json.loads(random_bundle(random.Random(1))["record.json"])["task"]
    check_task_form(task)  # the honest task passes
    with pytest.raises(DrawInputError):
        check_task_form({**task, **change})
    stray = {**task, "items": [*task["items"], {**task["items"][0], "department": "330199-XXXX"}]}
    with pytest.raises(DrawInputError):
        check_task_form(stray)


@needs_node
def test_both_verifiers_print_the_beacon_and_check_it_against_official_results(tmp_path: Path, runner: Any) -> None:
    import subprocess

    from tests.bundlekit import VERIFIER

    files = next(
        f for c in range(50) if json.loads((f := random_bundle(random.Random(c)))["record.json"])["seed"]["beacon"]
    )
    record = json.loads(files["record.json"])
    planned, value = record["freeze"]["beacon"], record["seed"]["beacon"]["value"]
    folder = tmp_path / "bundle"
    folder.mkdir()
    for name, body in public_of(files).items():
        (folder / name).write_bytes(body.encode("utf-8"))
    right, wrong, absent = (tmp_path / n for n in ("right.txt", "wrong.txt", "absent.txt"))
    right.write_text(f"{planned['source']}\t{planned['issue']}\t{value}\n", encoding="utf-8")
    wrong.write_text(f"{planned['source']}\t{planned['issue']}\t9 9 9\n", encoding="utf-8")
    absent.write_text(f"{planned['source']}\t0000000\t{value}\n", encoding="utf-8")

    def ours(*extra: str) -> Any:
        return runner.invoke(args=["draw", "verify", str(folder), *extra])

    def node(*extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([NODE or "node", str(VERIFIER), str(folder), *extra], capture_output=True, text=True)

    shown = ours()
    assert shown.exit_code == 0 and f"期号 {planned['issue']}" in shown.output and value in shown.output
    assert "没有核对信标的值" in shown.output and "没有核对信标的值" in node().stdout
    assert ours("--beacon-results", str(right)).output.splitlines()[-1] == "MATCH"
    assert node("--beacon-results", str(right)).stdout.splitlines()[-1] == "MATCH"
    for bad in (wrong, absent):
        refused = ours("--beacon-results", str(bad))
        assert refused.exit_code == 1 and refused.output.splitlines()[-1].startswith("MISMATCH: 信标")
        by_node = node("--beacon-results", str(bad))
        assert by_node.returncode == 1 and by_node.stdout.splitlines()[-1].startswith("MISMATCH: 信标")


@needs_node
def test_both_verifiers_say_what_the_public_bundle_could_not_check_apart_from_what_they_checked(
    tmp_path: Path, runner: Any
) -> None:
    import subprocess

    from tests.bundlekit import VERIFIER

    folder = tmp_path / "bundle"
    folder.mkdir()
    for name, body in public_of(random_bundle(random.Random(2))).items():
        (folder / name).write_bytes(body.encode("utf-8"))
    ours = runner.invoke(args=["draw", "verify", str(folder)]).output
    theirs = subprocess.run([NODE or "node", str(VERIFIER), str(folder)], capture_output=True, text=True).stdout
    for output in (ours, theirs):
        assert "未核验：" in output and "已核验：未" not in output and "（未核验" not in output
