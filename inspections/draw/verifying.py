"""Build and verify a draw record of version 2 or 3 from its frozen files (docs/draw-algorithm.md §10, §11).

The two versions share the files, the freeze's construction, the selection and the teams; each version's
module gives its own rules (`Rules`): the seed's header, the key the tickets use, the office areas of 所所交叉
and the form of the published outcome. Pure: no database, no Flask."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from inspections.draw.algorithm import TIERS, DrawInputError, gc_paused, quotas, sha256_hex, staff_chosen, ticket
from inspections.draw.checks import (
    Report,
    check_frozen_participants,
    check_participants,
    check_public_outcome,
    check_task_form,
    check_timeline,
)
from inspections.draw.frozen import (
    CROSS_OFFICE,
    FULL_BUNDLE,
    PRIVATE_FILES,
    SALT,
    freeze_digest,
    freeze_object,
    lines_problem,
    parse_inspectors_v2,
    parse_recusals,
)
from inspections.draw.parallel import processes_for
from inspections.draw.record_v1 import sample_of
from inspections.draw.rows import Officer, Outcome
from inspections.draw.scan import scan_population
from inspections.draw.strict import StrictError, parse_record
from supervise.canonical import canonical_json


@dataclass(frozen=True)
class Rules:
    """What one record version decides for itself."""

    algorithm: str
    seed: Callable[[str, Sequence[tuple[str, str]], str | None], str]  # (freeze digest, reveals, beacon) -> seed
    key: Callable[[str, str], str]  # (seed, salt) -> the key every ticket is computed with
    office_prefix: Callable[[str], str]  # the area an inspector's OFFICE covers under 所所交叉
    publish: Callable[[Outcome, bool], dict[str, Any]]  # (outcome, tier counts shown) -> record.outcome
    binds_participants: bool  # v3: the freeze binds the participants and may withhold the tier counts


def required_specialties(task: Mapping[str, Any]) -> dict[str, set[str]]:
    """The specialties each department's members must hold: those its items of the task require."""
    out: dict[str, set[str]] = {d: set() for d in task["departments"]}
    for item in task["items"]:
        if item["specialty"]:
            out.setdefault(item["department"], set()).add(item["specialty"])
    return out


def qualified(officers: Sequence[Officer], task: Mapping[str, Any]) -> list[Officer]:
    """The officers holding every specialty their department's items require (§10.4)."""
    need = required_specialties(task)
    return [o for o in officers if need.get(o.department, set()) <= set(filter(None, o.specialties.split(",")))]


def population_tiers(population_text: str) -> dict[str, int]:
    """The firms of each tier in a population.txt of the strict form (the tier is the only TAB-framed letter)."""
    return {t: population_text.count(f"\t{t}\t") for t in TIERS}


def draw_frozen(
    *, key: str, task: Mapping[str, Any], files: Mapping[str, str], rules: Rules, processes: int = 1
) -> tuple[Outcome, frozenset[str]]:
    """Select and staff a draw from its private files; also return the excluded firms found in the population."""
    k = quotas(population_tiers(files["population.txt"]), sample_of(dict(task)))
    excluded = [line.split("\t", 1)[0] for line in files["exclusions.txt"].split("\n")[:-1]]
    scan = scan_population(files["population.txt"], seed=key, k=k, excluded=excluded, processes=processes)
    scan.check_tiers()
    outcome = staff_chosen(
        seed=key,
        quotas=k,
        chosen=scan.chosen,
        officers=qualified(parse_inspectors_v2(files["inspectors.txt"]), task),
        departments=task["departments"],
        team_size=task["team_size"],
        max_per_inspector=task["max_per_inspector"],
        recusals=parse_recusals(files["recusals.txt"]),
        processes=processes,
        cross_office=task["assignment"] == CROSS_OFFICE,
        office_prefix=rules.office_prefix,
    )
    return outcome, scan.excluded


def counts_shown(freeze: Mapping[str, Any]) -> bool:
    """Whether the freeze publishes the tier counts (always in v2; in v3 only where they reveal nothing)."""
    return all(freeze["tiers"][t]["count"] is not None for t in TIERS)


def build_record(
    rules: Rules,
    *,
    draw_id: str,
    created_at: str,
    task: Mapping[str, Any],
    freeze: Mapping[str, Any],
    files: Mapping[str, str],
    mode: str,
    participants: Sequence[Mapping[str, Any]],
    beacon: Mapping[str, str] | None,
    salt: str = "",
    processes: int = 1,
) -> tuple[dict[str, Any], Outcome]:
    """Run a draw on frozen files; return the record and the outcome with tiers (kept internal).

    `salt` (salt.txt's 64 hexadecimal characters) keys a v3 draw's tickets; v2 does not use it."""
    ordered = sorted(participants, key=lambda p: p["participant"])
    check_task_form(task)
    check_participants(mode, ordered, task["departments"])
    if rules.binds_participants:
        check_frozen_participants(freeze, ordered)
    value = beacon["value"] if beacon else None
    seed = rules.seed(freeze["digest"], [(p["participant"], p["reveal"]) for p in ordered], value)
    outcome, _found = draw_frozen(key=rules.key(seed, salt), task=task, files=files, rules=rules, processes=processes)
    record = {
        "algorithm": rules.algorithm,
        "draw_id": draw_id,
        "created_at": created_at,
        "task": dict(task),
        "freeze": dict(freeze),
        "seed": {"mode": mode, "participants": [dict(p) for p in ordered], "beacon": beacon, "seed": seed},
        "outcome": rules.publish(outcome, counts_shown(freeze)),
    }
    check_timeline(record)
    return record, outcome


def verify_record(rules: Rules, files: Mapping[str, str]) -> Report:
    """Verify a bundle of this version: the full one if its private files are present, otherwise the public one."""
    full = all(name in files for name in FULL_BUNDLE)
    report = Report(bundle="full" if full else "public")
    try:
        record = parse_record(files["record.json"])
    except StrictError as exc:
        return report.fail(f"not in the strict form: {exc}")
    if record.get("algorithm") != rules.algorithm:
        return report.fail(f"algorithm is {record.get('algorithm')!r}, not {rules.algorithm}")
    with gc_paused():
        try:
            return (_full if full else _public)(rules, record, files, report)
        except DrawInputError as exc:
            return report.fail(str(exc))


def _common(rules: Rules, record: Mapping[str, Any], report: Report) -> str:
    """The checks both bundles allow: the freeze's construction, the timeline, the participants and the seed."""
    freeze = record["freeze"]
    if freeze_digest(freeze) != freeze["digest"]:
        raise DrawInputError("freeze.digest is not the digest of the freeze object")
    if sha256_hex(canonical_json(record["task"])) != freeze["task"]:
        raise DrawInputError("the task is not the one committed at the freeze (freeze.task)")
    counts = [freeze["tiers"][t]["count"] for t in TIERS]
    if None in counts:
        if not rules.binds_participants or set(counts) != {None} or record["outcome"]["quotas"] is not None:
            raise DrawInputError("the tier counts and the quotas are either all published or all withheld")
    elif sum(counts) != freeze["firms"]["count"]:
        raise DrawInputError("the tier counts do not add up to the number of firms")
    check_task_form(record["task"])
    report.checks.append("冻结摘要的构成与任务参数摘要；任务的部门、范围、期限与事项的形式")
    check_timeline(record)
    report.checks.append("时间顺序：承诺、冻结、揭示、信标、抽取")
    seed = record["seed"]
    check_participants(seed["mode"], seed["participants"], record["task"]["departments"])
    if rules.binds_participants:
        check_frozen_participants(freeze, seed["participants"])
    beacon = seed["beacon"]
    recomputed = rules.seed(
        freeze["digest"],
        [(p["participant"], p["reveal"]) for p in seed["participants"]],
        beacon["value"] if beacon else None,
    )
    if recomputed != seed["seed"]:
        raise DrawInputError(f"seed recomputes to {recomputed}, the record says {seed['seed']}")
    bound = "，冻结时已绑定全部参与方及其承诺" if rules.binds_participants else ""
    report.checks.append(f"承诺与揭示、参与方（督查室为唯一观察员，参与部门均为任务部门{bound}）、随机种子")
    return recomputed


def _full(rules: Rules, record: Mapping[str, Any], files: Mapping[str, str], report: Report) -> Report:
    for name in PRIVATE_FILES:
        problem = lines_problem(files[name], name, processes_for(files[name].count("\n")))
        if problem:
            return report.fail(f"not in the strict form: {problem}")
    if not SALT.fullmatch(files["salt.txt"]):
        return report.fail("not in the strict form: salt.txt is not 64 lowercase hexadecimal characters and a LF")
    freeze, salt = record["freeze"], files["salt.txt"][:64]
    sealed = freeze_object(
        at=freeze["at"],
        salt=salt,
        files={name: files[name] for name in PRIVATE_FILES},
        task=record["task"],
        beacon=freeze["beacon"],
        processes=processes_for(files["population.txt"].count("\n")),
        **(
            {"participants": record["seed"]["participants"], "tier_floor": freeze["tier_floor"]}
            if rules.binds_participants
            else {}
        ),
    )
    for key in sorted(sealed, key=lambda k: (k == "digest", k)):  # the parts first, then their digest
        if sealed[key] != freeze[key]:
            return report.fail(
                f"freeze.{key} recomputes to {canonical_json(sealed[key])}, "
                f"the record says {canonical_json(freeze[key])}"
            )
    report.checks.append("冻结文件（名录含风险等级与区域、执法人员含专业与岗位、回避、排除）的密封摘要与分级摘要")
    seed = _common(rules, record, report)
    strays = sorted(
        o.badge
        for o in parse_inspectors_v2(files["inspectors.txt"])
        if o.department not in record["task"]["departments"]
    )
    if strays:
        return report.fail(f"inspector {strays[0]} belongs to no department of the task")
    population = files["population.txt"]
    if "firms.txt" in files:  # a public list beside the full bundle must be that bundle's, without tiers and areas
        lines = [line.split("\t") for line in population.splitlines()] if population else []
        if files["firms.txt"] != "".join(f"{f[0]}\t{f[3]}\n" for f in lines):
            return report.fail("firms.txt is not population.txt without tiers and areas")
        report.checks.append("公开名录与完整名录一致（去掉风险等级和区域）")
    outcome, found = draw_frozen(
        key=rules.key(seed, salt),
        task=record["task"],
        files=files,
        rules=rules,
        processes=processes_for(population.count("\n")),
    )
    if found:
        return report.fail(f"excluded firm {min(found)} is in the population")
    report.checks.append("排除对象不在名录中；完整重算抽取与组队")
    return _compare(rules.publish(outcome, counts_shown(freeze)), record["outcome"], report)


def _public(rules: Rules, record: Mapping[str, Any], files: Mapping[str, str], report: Report) -> Report:
    if "firms.txt" not in files:
        return report.fail("the bundle has neither the full files nor firms.txt")
    problem = lines_problem(files["firms.txt"], "firms.txt", processes_for(files["firms.txt"].count("\n")))
    if problem:
        return report.fail(f"not in the strict form: {problem}")
    usccs = [line.split("\t", 1)[0] for line in files["firms.txt"].split("\n")[:-1]]
    firms = record["freeze"]["firms"]
    if len(usccs) != firms["count"] or sha256_hex("\n".join(usccs)) != firms["digest"]:
        return report.fail("firms.txt does not match freeze.firms (count and digest)")
    report.checks.append("公开名录（不含风险等级）的户数与摘要")
    seed = _common(rules, record, report)
    task, outcome = record["task"], record["outcome"]
    if counts_shown(record["freeze"]):
        k = quotas({t: record["freeze"]["tiers"][t]["count"] for t in TIERS}, sample_of(dict(task)))
        if k != outcome["quotas"]:
            return report.fail(f"quotas recompute to {k}, the record says {outcome['quotas']}")
        if len(outcome["selected"]) != sum(k.values()):
            return report.fail(f"{len(outcome['selected'])} firms selected, the quotas add up to {sum(k.values())}")
    known, previous = set(usccs), ""
    for i, s in enumerate(outcome["selected"]):
        if s["uscc"] not in known:
            return report.fail(f"selected[{i}] {s['uscc']} is not in firms.txt")
        if rules.binds_participants:  # v3 lists the firms by USCC: tickets need the salt
            if s["uscc"] <= previous:
                return report.fail(f"selected[{i}] is out of USCC order or repeated")
            previous = s["uscc"]
        else:
            if ticket(seed, "target", s["uscc"]) != s["ticket"] or s["ticket"] <= previous:
                return report.fail(f"selected[{i}] has a wrong ticket or is out of ticket order")
            previous = s["ticket"]
        if s["team"] and (len(s["team"]) != task["team_size"] or len(set(s["team"])) != len(s["team"])):
            return report.fail(f"selected[{i}] has a team of the wrong size or with a repeated member")
    if [u["uscc"] for u in outcome["unstaffed"]] != [s["uscc"] for s in outcome["selected"] if not s["team"]]:
        return report.fail("unstaffed does not list exactly the selected firms without a team, in order")
    check_public_outcome(task, outcome)
    if rules.binds_participants:
        shown = "配额与入选户数（公布时）、" if counts_shown(record["freeze"]) else ""
        report.checks.append(f"{shown}入选企业均在公开名录中、组队人数、每名检查人员的组数上限、未组队原因的形式")
        report.not_checked.append(
            "哪些企业入选（抽签值以盐值计算，需完整包）、各等级名单、冻结文件摘要、按等级选取与组队的完整重算（需完整包）"
        )
    else:
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
