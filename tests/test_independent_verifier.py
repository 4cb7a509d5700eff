"""A second verifier, written in JavaScript from docs/draw-algorithm.md alone, agrees with the reference.

The specification promises that anyone can reproduce a draw from the document; inspections/static/verify.mjs
is such an outside implementation (it shares no code with inspections/). Random bundles exercise ratio and
count sampling, joint teams, jurisdictions above county level, recusals, workload caps and both seed modes;
tampered bundles must be refused by both."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from inspections.draw.algorithm import Participant, commitment_of, format_inspectors, format_population
from inspections.draw.frozen import PUBLIC_BUNDLE
from inspections.draw.record_v1 import COMMIT_REVEAL, SINGLE_OPERATOR, build_record, record_bytes, verify_bundle
from inspections.draw.rows import Officer, Target
from seeds.generate import make_uscc
from tests.bundlekit import node_verify
from tests.drawkit import add_firms, ceremony, make_task

VERIFIER = Path(__file__).parent.parent / "inspections" / "static" / "verify.mjs"
NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None, reason="the second verifier runs on Node.js, not installed here")
COUNTIES = ("330102", "330105", "330106", "330206")
BUNDLE = ("record.json", "population.txt", "inspectors.txt")
DEPARTMENTS = {"SCJG": "330100-SCJG", "WSJK": "330100-WSJK", "YJGL": "330100-YJGL"}


def random_bundle(rng: random.Random) -> tuple[str, str, str]:
    """A draw over random firms and inspectors of one city, with random rules, as its three files."""
    pop = [
        Target(make_uscc(rng.randrange(10**6), county), rng.choice("AABBBCD"), county, f"企业 {i}\t名")
        for i, county in enumerate(rng.choices(COUNTIES, k=rng.randrange(0, 400)))
    ]
    pop = list({t.uscc: t for t in pop}.values())
    kinds = rng.sample(sorted(DEPARTMENTS), rng.randrange(1, 4))
    pool = [
        Officer(
            f"{rng.randrange(10**8):08d}{n:04d}", DEPARTMENTS[kind], rng.choice(COUNTIES + ("330100", "330000")), "员"
        )
        for n, kind in enumerate(rng.choices(kinds, k=rng.randrange(2, 30)))
    ]
    ratios = {
        t: rng.choice(["0", "0.01", "0.05", "0.125", "0.3", "1"]) for t in rng.sample("ABCD", rng.randrange(1, 5))
    }
    count = rng.choice([None, rng.randrange(0, 120)])
    task = {
        "code": "T-X",
        "title": "联合抽查",
        "plan": "P-X",
        "departments": sorted(DEPARTMENTS[k] for k in kinds),
        "items": [],
        "window": {"start": "2026-07-01", "end": "2026-09-30"},
        "sample": {"ratios": ratios, "count": count},
        "team_size": len(kinds) + rng.randrange(0, 2) + (1 if len(kinds) == 1 else 0),
        "max_per_inspector": rng.randrange(1, 12),
        "directed": False,
        "scope": {},
    }
    recusals = [(rng.choice(pool).badge, rng.choice(pop).uscc) for _ in range(rng.randrange(0, 40))] if pop else []
    if rng.random() < 0.3:
        participants = [Participant("operator:admin", commitment_of("only"), "only")]
        mode = SINGLE_OPERATOR
    else:
        names = ["督查室", *task["departments"]]
        participants = [Participant(n, commitment_of(f"secret {n}"), f"secret {n}") for n in names]
        mode = COMMIT_REVEAL
    record = build_record(
        draw_id="D-T-X",
        created_at="2026-07-01T00:00:00.000000Z",
        task=task,
        population_text=format_population(pop),
        officers=sorted(pool),
        exclusions=[{"uscc": make_uscc(2_000_000 + i, "330102"), "reason": "冷却期"} for i in range(rng.randrange(3))],
        recusals=recusals,
        participants=participants,
        beacon=rng.choice([None, {"value": f"{rng.randrange(1000):03d}", "source": "福彩3D"}]),
        seed_mode=mode,
    )
    return record_bytes(record).decode(), format_population(pop), format_inspectors(sorted(pool))


def second_verifier(tmp_path: Path, record: str, population: str, inspectors: str) -> str:
    """Run verify.mjs on the three files; return its one line of output."""
    files = []
    for name, body in zip(BUNDLE, (record, population, inspectors), strict=True):
        (tmp_path / name).write_text(body, encoding="utf-8")
        files.append(str(tmp_path / name))
    done = subprocess.run([NODE or "node", str(VERIFIER), *files], capture_output=True, text=True, check=False)
    assert done.returncode in (0, 1), done.stderr
    return done.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize("case", range(24))
def test_second_verifier_reproduces_random_draws(tmp_path: Path, case: int) -> None:
    files = random_bundle(random.Random(case))
    assert str(verify_bundle(*files)) == "MATCH"
    assert second_verifier(tmp_path, *files) == "MATCH"


def test_random_draws_cover_what_the_specification_describes() -> None:
    records = [json.loads(random_bundle(random.Random(case))[0]) for case in range(24)]
    assert any(r["task"]["sample"]["count"] is not None and r["outcome"]["selected"] for r in records)
    assert any(r["task"]["sample"]["count"] is None and r["outcome"]["selected"] for r in records)
    assert any(len(r["task"]["departments"]) > 1 and r["outcome"]["selected"] for r in records)
    assert any(r["outcome"]["unstaffed"] for r in records)
    assert any(r["seed"]["mode"] == SINGLE_OPERATOR for r in records)
    assert any(r["seed"]["beacon"] and r["seed"]["mode"] == COMMIT_REVEAL for r in records)


def tamper(files: tuple[str, str, str], how: str) -> tuple[str, str, str]:
    record, population, inspectors = files
    data = json.loads(record)
    if how == "outcome":
        data["outcome"]["selected"][0]["team"].reverse()
    elif how == "reveal":
        data["seed"]["participants"][0]["reveal"] += "x"
    elif how == "population":
        population = "".join(population.splitlines(keepends=True)[1:])
    elif how == "quota":
        data["outcome"]["quotas"]["B"] += 1
    return record_bytes(data).decode(), population, inspectors


@pytest.mark.parametrize("how", ["outcome", "reveal", "population", "quota"])
def test_second_verifier_refuses_what_the_reference_refuses(tmp_path: Path, how: str) -> None:
    files = next(
        f
        for f in map(random_bundle, map(random.Random, range(100)))
        if len(json.loads(f[0])["outcome"]["selected"]) > 1 and json.loads(f[0])["seed"]["mode"] == COMMIT_REVEAL
    )
    bad = tamper(files, how)
    assert str(verify_bundle(*bad)).startswith("MISMATCH")
    assert second_verifier(tmp_path, *bad).startswith("MISMATCH")


def test_public_draw_page_offers_the_second_verifier_which_reproduces_the_draw(
    tmp_path: Path, client: Any, province: Any, engine: Any
) -> None:
    add_firms(engine, 30)
    make_task(engine, "T1", window=("2026-07-01", "2026-12-31"))
    drawn = ceremony(engine, "T1")
    page = client.get(f"/public/draws/{drawn.public_id}").get_data(as_text=True)
    assert 'href="/public/verify.mjs"' in page
    download = client.get("/public/verify.mjs")  # anonymous: the public re-runs draws
    assert download.status_code == 200 and "attachment" in download.headers["Content-Disposition"]
    assert download.get_data() == VERIFIER.read_bytes()
    public = {n: client.get(f"/api/draws/{drawn.public_id}/{n}").get_data(as_text=True) for n in PUBLIC_BUNDLE}
    assert node_verify(tmp_path, public) == "MATCH"
    # Saved as the browser names the downloads (D-…-record.json): both verifiers take them as they are.
    named = {f"{drawn.public_id}-{n}": body for n, body in public.items()}
    assert all(drawn.public_id in client.get(f"/api/draws/{drawn.public_id}/{n}").headers["Content-Disposition"]
               for n in PUBLIC_BUNDLE)  # fmt: skip
    assert node_verify(tmp_path, named) == "MATCH"
    from click.testing import CliRunner

    from inspections.draw.verify_cli import verify

    folder = tmp_path / "as-downloaded"
    folder.mkdir()
    for name, body in named.items():
        (folder / name).write_text(body, encoding="utf-8")
    ran = CliRunner().invoke(verify, [str(folder)])
    assert ran.exit_code == 0 and ran.output.strip().splitlines()[-1] == "MATCH", ran.output


def strict_tamper(files: tuple[str, str, str], how: str) -> tuple[str, str, str]:
    """One spelling the specification does not allow (§6.1), on an otherwise genuine bundle."""
    record, population, inspectors = files
    data = json.loads(record)
    first_tier = sorted(data["task"]["sample"]["ratios"])[0]
    lines = population.splitlines(keepends=True)
    if how == "ratio as a JSON number":
        data["task"]["sample"]["ratios"][first_tier] = 0.05
    elif how.startswith("ratio "):
        data["task"]["sample"]["ratios"][first_tier] = how.removeprefix("ratio ")
    elif how == "unknown field":
        data["task"]["note"] = "x"
    elif how == "participants out of order":
        data["seed"]["participants"].reverse()
    elif how == "recusals out of order":
        data["recusals"].reverse()
    elif how == "exclusions out of order":
        data["exclusions"].reverse()
    elif how == "departments out of order":
        data["task"]["departments"].reverse()
    elif how == "single_operator with several participants":
        data["seed"]["mode"] = SINGLE_OPERATOR
    text = record_bytes(data).decode()
    if how == "count with a fraction":
        text = text.replace(f'"team_size":{data["task"]["team_size"]}', f'"team_size":{data["task"]["team_size"]}.0')
    elif how == "duplicate key":
        text = text.replace('{"algorithm":', '{"algorithm":"supervise-draw/v0","algorithm":', 1)
    elif how == "CR before LF":
        population = population.replace("\n", "\r\n", 1)
    elif how == "name with two spaces":
        u, t, r, _name = lines[0].rstrip("\n").split("\t")
        population = "".join([f"{u}\t{t}\t{r}\t企业  甲\n", *lines[1:]])
    elif how == "region with a letter":
        u, t, r, name = lines[0].split("\t")
        population = "".join([f"{u}\t{t}\t{r[:5]}X\t{name}", *lines[1:]])
    elif how == "USCC of 17 characters":
        u, t, r, name = lines[0].split("\t")
        population = "".join([f"{u[:17]}\t{t}\t{r}\t{name}", *lines[1:]])
    return text, population, inspectors


STRICT = [
    "ratio .05",
    "ratio 5e-2",
    "ratio 1/20",
    "ratio 0.5 ",
    "ratio as a JSON number",
    "count with a fraction",
    "duplicate key",
    "unknown field",
    "participants out of order",
    "recusals out of order",
    "exclusions out of order",
    "departments out of order",
    "single_operator with several participants",
    "CR before LF",
    "name with two spaces",
    "region with a letter",
    "USCC of 17 characters",
]


@pytest.mark.parametrize("how", STRICT)
def test_both_verifiers_refuse_a_bundle_not_in_the_strict_form(tmp_path: Path, how: str) -> None:
    def rich(f: tuple[str, str, str]) -> bool:
        r = json.loads(f[0])
        return (
            r["seed"]["mode"] == COMMIT_REVEAL
            and min(len(r["exclusions"]), len(r["recusals"]), len(r["task"]["departments"])) >= 2
            and len(set(map(tuple, r["recusals"]))) == len(r["recusals"])
        )

    files = next(f for f in map(random_bundle, map(random.Random, range(300))) if rich(f))
    assert str(verify_bundle(*files)) == "MATCH" and second_verifier(tmp_path, *files) == "MATCH"
    bad = strict_tamper(files, how)
    assert bad != files
    assert str(verify_bundle(*bad)).startswith("MISMATCH"), how
    assert second_verifier(tmp_path, *bad).startswith("MISMATCH"), how
