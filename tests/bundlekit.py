"""Random draw v2 and v3 bundles built from the pure functions alone, for the verifier agreement and tamper tests."""

from __future__ import annotations

import random
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from inspections.draw.algorithm import commitment_of, format_population
from inspections.draw.bundles import verify_files
from inspections.draw.frozen import format_exclusions, format_inspectors_v2, format_recusals, freeze_object
from inspections.draw.record_v1 import record_bytes
from inspections.draw.record_v2 import build_record_v2
from inspections.draw.record_v3 import TIER_FLOOR, build_record_v3
from inspections.draw.rows import Officer, Target
from seeds.generate import make_uscc

VERIFIER = Path(__file__).parent.parent / "inspections" / "static" / "verify.mjs"
NODE = shutil.which("node")
COUNTIES = ("330102", "330105")
TOWNSHIPS = tuple(f"{c}{n:03d}" for c in COUNTIES for n in (1, 2, 3))
DEPARTMENTS = {"SCJG": "330100-SCJG", "WSJK": "330100-WSJK", "YJGL": "330100-YJGL"}
SPECIALTIES = ("食品", "特种设备", "危化品")


def random_bundle(rng: random.Random, version: int = 2) -> dict[str, str]:
    """A v2 (or v3) draw over random firms and inspectors of one city, with random rules, as its full bundle."""
    pop = {
        t.uscc: t
        for t in (
            Target(make_uscc(rng.randrange(10**6), town[:6]), rng.choice("AABBBCD"), rng.choice([town, town[:6]]), "企")
            for town in rng.choices(TOWNSHIPS, k=rng.randrange(0, 300))
        )
    }
    kinds = rng.sample(sorted(DEPARTMENTS), rng.randrange(1, 4))
    pool = [
        Officer(
            f"{rng.randrange(10**8):08d}{n:04d}",
            DEPARTMENTS[kind],
            rng.choice(COUNTIES + ("330100",)),
            "员",
            rng.choice(TOWNSHIPS + COUNTIES),
            ",".join(sorted(rng.sample(SPECIALTIES, rng.randrange(0, 3)))),
        )
        for n, kind in enumerate(rng.choices(kinds, k=rng.randrange(2, 40)))
    ]
    firms = sorted(pop)
    task = {
        "code": "T-X",
        "title": "联合抽查",
        "plan": "P-X",
        "departments": sorted(DEPARTMENTS[k] for k in kinds),
        "items": [
            {
                "code": f"I-{k}",
                "name": "检查",
                "department": DEPARTMENTS[k],
                "legal_basis": "依据",
                "specialty": rng.choice(["", "", *SPECIALTIES]),
            }
            for k in kinds
        ],
        "window": {"start": "2026-07-01", "end": "2026-09-30"},
        "sample": {
            "ratios": {t: rng.choice(["0", "0.05", "0.3", "1"]) for t in rng.sample("ABCD", rng.randrange(1, 5))},
            "count": rng.choice([None, rng.randrange(0, 100)]),
        },
        "team_size": len(kinds) + rng.randrange(0, 2) + (1 if len(kinds) == 1 else 0),
        "max_per_inspector": rng.randrange(1, 12),
        "directed": False,
        "assignment": rng.choice(["territorial", "cross_office"]),
        "scope": {},
    }
    reasons = ("conflict", "residence", "rotation", "cross-office")
    recusals = [(rng.choice(pool).badge, rng.choice(firms), rng.choice(reasons)) for _ in range(rng.randrange(0, 40))]
    excluded = [(make_uscc(2_000_000 + i, "330102"), "冷却期") for i in range(rng.randrange(3))]
    files = {
        "population.txt": format_population(pop.values()),
        "inspectors.txt": format_inspectors_v2(pool),
        "recusals.txt": format_recusals(recusals if firms else []),
        "exclusions.txt": format_exclusions(excluded),
    }
    salt = f"{rng.getrandbits(256):064x}"
    beacon = rng.random() < 0.5
    planned = {"source": "福彩3D", "issue": "2026180", "at": "2026-06-30T12:00:00.000000Z"} if beacon else None
    if rng.random() < 0.25:
        mode, names = "single_operator", [("operator:admin", "operator")]
    else:
        mode, names = "commit_reveal", [("督查室", "observer"), *((d, "department") for d in task["departments"])]
    return sealed_bundle(
        task=task,
        files=files,
        salt=salt,
        mode=mode,
        participants=participants_of(names),
        version=version,
        planned=planned,
        beacon={"value": "4 7 1", "entered_at": "2026-06-30T12:30:00.000000Z"} if beacon else None,
    )


def participants_of(names: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """Participants (id, role) who committed the day before the freeze and revealed after it."""
    return [
        {
            "participant": name,
            "role": role,
            "commitment": commitment_of(f"s-{n}"),
            "committed_at": "2026-06-29T08:00:00.000000Z",
            "reveal": f"s-{n}",
            "revealed_at": "2026-06-30T13:00:00.000000Z",
        }
        for n, (name, role) in enumerate(names)
    ]


def sealed_bundle(
    *,
    task: dict[str, Any],
    files: dict[str, str],
    salt: str,
    mode: str,
    participants: list[dict[str, Any]],
    version: int,
    planned: dict[str, str] | None = None,
    beacon: dict[str, str] | None = None,
    draw_id: str = "D-T-X",
) -> dict[str, str]:
    """Freeze these files and draw them by record version 2 or 3; return the full bundle."""
    bound = {"participants": participants, "tier_floor": TIER_FLOOR} if version == 3 else {}
    freeze = freeze_object(at="2026-06-30T08:00:00.000000Z", salt=salt, files=files, task=task, beacon=planned, **bound)
    record, _outcome = (build_record_v3 if version == 3 else build_record_v2)(
        draw_id=draw_id,
        created_at="2026-06-30T14:00:00.000000Z",
        task=task,
        freeze=freeze,
        files=files,
        salt=salt,
        mode=mode,
        participants=participants,
        beacon=beacon,
    )
    return {"record.json": record_bytes(record).decode(), **files, "salt.txt": salt + "\n"}


def public_of(full: dict[str, str]) -> dict[str, str]:
    """The public bundle of a full one."""
    lines = [line.split("\t") for line in full["population.txt"].splitlines()]
    return {"record.json": full["record.json"], "firms.txt": "".join(f"{f[0]}\t{f[3]}\n" for f in lines)}


needs_node = pytest.mark.skipif(NODE is None, reason="the second verifier runs on Node.js, not installed here")


def both(tmp_path: Path, files: dict[str, str]) -> tuple[str, str]:
    """The reference's and verify.mjs's verdicts (MATCH, or the MISMATCH line)."""
    return str(verify_files(files)), node_verify(tmp_path, files)


def node_verify(tmp_path: Path, files: dict[str, str]) -> str:
    """Run verify.mjs on a bundle folder; return its last line (MATCH or MISMATCH: ...)."""
    folder = tmp_path / f"bundle{len(list(tmp_path.iterdir()))}"
    folder.mkdir()
    for name, body in files.items():
        (folder / name).write_bytes(body.encode("utf-8"))
    done = subprocess.run([NODE or "node", str(VERIFIER), str(folder)], capture_output=True, text=True, check=False)
    assert done.returncode in (0, 1), done.stderr
    return done.stdout.strip().splitlines()[-1]


def edit_line(text: str, pick: Any, change: Any) -> str:
    """Change the fields of the first line for which pick(fields) holds."""
    lines = [line.split("\t") for line in text.splitlines()]
    for fields in lines:
        if pick(fields):
            change(fields)
            break
    else:
        raise LookupError("no line to tamper with")
    return "".join("\t".join(f) + "\n" for f in lines)
