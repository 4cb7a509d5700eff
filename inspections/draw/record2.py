"""Draw record v2 (docs/draw-algorithm.md §10): build it, and verify a full or a public bundle from files alone.

The full bundle (record.json, population.txt, inspectors.txt, recusals.txt, exclusions.txt, salt.txt) lets a
verifier recompute the whole draw. The public bundle (record.json, firms.txt) holds no firm's tier; from it a
verifier checks the freeze digest's construction, the timeline, the seed, every published ticket and the
counts against the quotas. Pure: no database, no Flask."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from inspections.draw.algorithm import (
    ALGORITHM,
    TIERS,
    DrawInputError,
    gc_paused,
    quotas,
    sha256_hex,
    staff_chosen,
    ticket,
)
from inspections.draw.parallel import processes_for
from inspections.draw.record import sample_of, verify_bundle
from inspections.draw.rows import Officer, Outcome
from inspections.draw.scan import scan_population
from inspections.draw.sealed import (
    ALGORITHM_V2,
    CROSS_OFFICE,
    PRIVATE_FILES,
    SALT,
    check_participants,
    check_public_outcome,
    check_task_form,
    check_timeline,
    freeze_digest,
    freeze_object,
    lines_problem,
    parse_inspectors_v2,
    parse_recusals,
    seed_v2,
)
from inspections.draw.strict import StrictError, parse_record
from supervise.canonical import canonical_json

FULL_BUNDLE = ("record.json", *PRIVATE_FILES, "salt.txt")
PUBLIC_BUNDLE = ("record.json", "firms.txt")


def required_specialties(task: Mapping[str, Any]) -> dict[str, set[str]]:
    """The specialties each department's members must hold: those its items of the task require."""
    out: dict[str, set[str]] = {d: set() for d in task["departments"]}
    for item in task["items"]:
        if item["specialty"]:
            out.setdefault(item["department"], set()).add(item["specialty"])
    return out


def qualified(officers: Sequence[Officer], task: Mapping[str, Any]) -> list[Officer]:
    """The officers holding every specialty their department's items require (§10.5)."""
    need = required_specialties(task)
    return [o for o in officers if need.get(o.department, set()) <= set(filter(None, o.specialties.split(",")))]


def draw_v2(
    *, seed: str, tiers: Mapping[str, int], task: Mapping[str, Any], files: Mapping[str, str], processes: int = 1
) -> tuple[Outcome, frozenset[str]]:
    """Select and staff a v2 draw from its private files; also return the excluded firms found in the population."""
    k = quotas(tiers, sample_of(dict(task)))
    excluded = [line.split("\t", 1)[0] for line in files["exclusions.txt"].split("\n")[:-1]]
    scan = scan_population(files["population.txt"], seed=seed, k=k, excluded=excluded, processes=processes)
    scan.check_tiers()
    outcome = staff_chosen(
        seed=seed,
        quotas=k,
        chosen=scan.chosen,
        officers=qualified(parse_inspectors_v2(files["inspectors.txt"]), task),
        departments=task["departments"],
        team_size=task["team_size"],
        max_per_inspector=task["max_per_inspector"],
        recusals=parse_recusals(files["recusals.txt"]),
        processes=processes,
        cross_office=task["assignment"] == CROSS_OFFICE,
    )
    return outcome, scan.excluded


def public_outcome_v2(outcome: Outcome) -> dict[str, Any]:
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


def build_record_v2(
    *,
    draw_id: str,
    created_at: str,
    task: Mapping[str, Any],
    freeze: Mapping[str, Any],
    files: Mapping[str, str],
    mode: str,
    participants: Sequence[Mapping[str, Any]],
    beacon: Mapping[str, str] | None,
    processes: int = 1,
) -> tuple[dict[str, Any], Outcome]:
    """Run a v2 draw on frozen files; return the record and the outcome with tiers (kept internal)."""
    ordered = sorted(participants, key=lambda p: p["participant"])
    check_task_form(task)
    check_participants(mode, ordered, task["departments"])
    value = beacon["value"] if beacon else None
    seed = seed_v2(freeze["digest"], [(p["participant"], p["reveal"]) for p in ordered], value)
    tiers = {t: freeze["tiers"][t]["count"] for t in TIERS}
    outcome, _found = draw_v2(seed=seed, tiers=tiers, task=task, files=files, processes=processes)
    record = {
        "algorithm": ALGORITHM_V2,
        "draw_id": draw_id,
        "created_at": created_at,
        "task": dict(task),
        "freeze": dict(freeze),
        "seed": {"mode": mode, "participants": [dict(p) for p in ordered], "beacon": beacon, "seed": seed},
        "outcome": public_outcome_v2(outcome),
    }
    check_timeline(record)
    return record, outcome


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


def verify_v2(files: Mapping[str, str]) -> Report:
    """Verify a v2 bundle: the full one if its private files are present, otherwise the public one."""
    full = all(name in files for name in FULL_BUNDLE)
    report = Report(bundle="full" if full else "public")
    try:
        record = parse_record(files["record.json"])
    except StrictError as exc:
        return report.fail(f"not in the strict form: {exc}")
    if record.get("algorithm") != ALGORITHM_V2:
        return report.fail(f"algorithm is {record.get('algorithm')!r}, not {ALGORITHM_V2}")
    with gc_paused():
        try:
            return (_full if full else _public)(record, files, report)
        except DrawInputError as exc:
            return report.fail(str(exc))


def _common(record: Mapping[str, Any], report: Report) -> str:
    """The checks both bundles allow: the freeze's construction, the timeline, the participants and the seed."""
    freeze = record["freeze"]
    if freeze_digest(freeze) != freeze["digest"]:
        raise DrawInputError("freeze.digest is not the digest of the freeze object")
    if sha256_hex(canonical_json(record["task"])) != freeze["task"]:
        raise DrawInputError("the task is not the one committed at the freeze (freeze.task)")
    if sum(freeze["tiers"][t]["count"] for t in TIERS) != freeze["firms"]["count"]:
        raise DrawInputError("the tier counts do not add up to the number of firms")
    check_task_form(record["task"])
    report.checks.append("冻结摘要的构成与任务参数摘要；任务的部门、范围、期限与事项的形式")
    check_timeline(record)
    report.checks.append("时间顺序：承诺、冻结、揭示、信标、抽取")
    seed = record["seed"]
    check_participants(seed["mode"], seed["participants"], record["task"]["departments"])
    beacon = seed["beacon"]
    recomputed = seed_v2(
        freeze["digest"],
        [(p["participant"], p["reveal"]) for p in seed["participants"]],
        beacon["value"] if beacon else None,
    )
    if recomputed != seed["seed"]:
        raise DrawInputError(f"seed recomputes to {recomputed}, the record says {seed['seed']}")
    report.checks.append("承诺与揭示、参与方（督查室为唯一观察员，参与部门均为任务部门）、随机种子")
    return recomputed


def _full(record: Mapping[str, Any], files: Mapping[str, str], report: Report) -> Report:
    for name in PRIVATE_FILES:
        problem = lines_problem(files[name], name)
        if problem:
            return report.fail(f"not in the strict form: {problem}")
    if not SALT.fullmatch(files["salt.txt"]):
        return report.fail("not in the strict form: salt.txt is not 64 lowercase hexadecimal characters and a LF")
    freeze = record["freeze"]
    sealed = freeze_object(
        at=freeze["at"],
        salt=files["salt.txt"][:64],
        files={name: files[name] for name in PRIVATE_FILES},
        task=record["task"],
        beacon=freeze["beacon"],
    )
    for key in sorted(sealed, key=lambda k: (k == "digest", k)):  # the parts first, then their digest
        if sealed[key] != freeze[key]:
            return report.fail(
                f"freeze.{key} recomputes to {canonical_json(sealed[key])}, "
                f"the record says {canonical_json(freeze[key])}"
            )
    report.checks.append("冻结文件（名录含风险等级与区域、执法人员含专业与岗位、回避、排除）的密封摘要与分级摘要")
    seed = _common(record, report)
    strays = sorted(
        o.badge
        for o in parse_inspectors_v2(files["inspectors.txt"])
        if o.department not in record["task"]["departments"]
    )
    if strays:
        return report.fail(f"inspector {strays[0]} belongs to no department of the task")
    if "firms.txt" in files:  # a public list beside the full bundle must be that bundle's, without tiers and areas
        lines = (
            [line.split("\t") for line in population.splitlines()] if (population := files["population.txt"]) else []
        )
        if files["firms.txt"] != "".join(f"{f[0]}\t{f[3]}\n" for f in lines):
            return report.fail("firms.txt is not population.txt without tiers and areas")
        report.checks.append("公开名录与完整名录一致（去掉风险等级和区域）")
    tiers = {t: freeze["tiers"][t]["count"] for t in TIERS}
    population = files["population.txt"]
    outcome, found = draw_v2(
        seed=seed, tiers=tiers, task=record["task"], files=files, processes=processes_for(population.count("\n"))
    )
    if found:
        return report.fail(f"excluded firm {min(found)} is in the population")
    report.checks.append("排除对象不在名录中；完整重算抽取与组队")
    return _compare(public_outcome_v2(outcome), record["outcome"], report)


def _public(record: Mapping[str, Any], files: Mapping[str, str], report: Report) -> Report:
    if "firms.txt" not in files:
        return report.fail("the bundle has neither the full files nor firms.txt")
    problem = lines_problem(files["firms.txt"], "firms.txt")
    if problem:
        return report.fail(f"not in the strict form: {problem}")
    usccs = [line.split("\t", 1)[0] for line in files["firms.txt"].split("\n")[:-1]]
    firms = record["freeze"]["firms"]
    if len(usccs) != firms["count"] or sha256_hex("\n".join(usccs)) != firms["digest"]:
        return report.fail("firms.txt does not match freeze.firms (count and digest)")
    report.checks.append("公开名录（不含风险等级）的户数与摘要")
    seed = _common(record, report)
    task, outcome = record["task"], record["outcome"]
    k = quotas({t: record["freeze"]["tiers"][t]["count"] for t in TIERS}, sample_of(dict(task)))
    if k != outcome["quotas"]:
        return report.fail(f"quotas recompute to {k}, the record says {outcome['quotas']}")
    if len(outcome["selected"]) != sum(k.values()):
        return report.fail(f"{len(outcome['selected'])} firms selected, the quotas add up to {sum(k.values())}")
    known, previous = set(usccs), ""
    for i, s in enumerate(outcome["selected"]):
        if s["uscc"] not in known:
            return report.fail(f"selected[{i}] {s['uscc']} is not in firms.txt")
        if ticket(seed, "target", s["uscc"]) != s["ticket"] or s["ticket"] <= previous:
            return report.fail(f"selected[{i}] has a wrong ticket or is out of ticket order")
        previous = s["ticket"]
        if s["team"] and (len(s["team"]) != task["team_size"] or len(set(s["team"])) != len(s["team"])):
            return report.fail(f"selected[{i}] has a team of the wrong size or with a repeated member")
    if [u["uscc"] for u in outcome["unstaffed"]] != [s["uscc"] for s in outcome["selected"] if not s["team"]]:
        return report.fail("unstaffed does not list exactly the selected firms without a team, in order")
    check_public_outcome(task, outcome)
    report.checks.append("配额、入选户数、每户抽签值及其顺序、组队人数、每名检查人员的组数上限、未组队原因的形式")
    report.not_checked.append("各等级名单、冻结文件摘要、按等级选取与组队的完整重算（需完整包）")
    return report


def _compare(expected: Mapping[str, Any], recorded: Mapping[str, Any], report: Report) -> Report:
    if expected["quotas"] != recorded["quotas"]:
        return report.fail(f"quotas recompute to {expected['quotas']}, the record says {recorded['quotas']}")
    for key in ("selected", "unstaffed"):
        exp, rec = expected[key], recorded[key]
        for i in range(max(len(exp), len(rec))):
            a = exp[i] if i < len(exp) else None
            b = rec[i] if i < len(rec) else None
            if a != b:
                return report.fail(f"{key}[{i}] recomputes to {canonical_json(a)}, the record says {canonical_json(b)}")
    return report


def bundle_kind(names: Sequence[str]) -> str:
    """Which bundle a set of file names is: v2 full, v2 public or v1 (three files)."""
    if all(n in names for n in FULL_BUNDLE):
        return "full"
    if "firms.txt" in names:
        return "public"
    return "v1" if {"population.txt", "inspectors.txt"} <= set(names) else "unknown"


def is_v1(record_text: str) -> bool:
    """Whether a record.json is of algorithm v1 (canonical JSON: `algorithm` is its first key)."""
    return record_text.startswith(f'{{"algorithm":"{ALGORITHM}"')


def verify_files(files: Mapping[str, str]) -> Report:
    """Verify whichever bundle these files are: v2 full, v2 public, or the three files of a v1 record."""
    if is_v1(files.get("record.json", "")):
        if not {"population.txt", "inspectors.txt"} <= set(files):
            return Report(bundle="v1").fail("a v1 record is verified with its population.txt and inspectors.txt")
        verdict = verify_bundle(files["record.json"], files["population.txt"], files["inspectors.txt"])
        report = Report(bundle="v1", checks=["第1版记录：名录摘要、种子与完整重算"])
        return report if verdict.ok else report.fail(str(verdict.difference))
    if "record.json" not in files:
        return Report(bundle="unknown").fail("no record.json")
    return verify_v2(files)
