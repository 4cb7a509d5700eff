from typing import Any

from sqlmodel import Session, func, select
from stdnum.cn import ric, uscc

from seeds.generate import build_province, enterprise_rows, inspector_rows, make_uscc, org_code_check_digit
from supervise.models import Department, Enterprise, Inspector, Region


def _firms(seed: int, n: int = 400) -> list[Any]:
    return list(enterprise_rows(build_province(seed), entities=n, seed=seed))


def test_same_seed_gives_identical_data() -> None:
    assert _firms(11) == _firms(11)
    assert build_province(11).regions == build_province(11).regions
    assert inspector_rows(build_province(11), entities=400, seed=11) == inspector_rows(
        build_province(11), entities=400, seed=11
    )


def test_different_seed_gives_different_data() -> None:
    assert [e["name"] for e, _ in _firms(11)] != [e["name"] for e, _ in _firms(12)]


def test_generated_codes_are_valid_and_unique() -> None:
    firms = _firms(3, 2000)
    codes = [e["uscc"] for e, _ in firms]
    assert len(set(codes)) == len(codes)
    assert all(uscc.is_valid(c) for c in codes)
    assert all(ric.is_valid(e["legal_rep_id_number"]) for e, _ in firms)
    assert all(c[2:8] == e["region_code"] for c, (e, _) in zip(codes, firms, strict=True))


def test_organisation_code_check_digit_matches_gb11714_example() -> None:
    # GB 11714-1997 worked example: D2143569 -> check digit X
    assert org_code_check_digit("D2143569") == "X"
    assert make_uscc(1, "330106")[8:17].endswith(org_code_check_digit(make_uscc(1, "330106")[8:16]))


def test_province_has_real_zhejiang_divisions_and_eight_departments_per_level() -> None:
    p = build_province(1)
    names = {r["code"]: r["name"] for r in p.regions}
    assert names["330000"] == "浙江省" and names["330100"] == "杭州市" and names["330782"] == "义乌市"
    assert sum(1 for r in p.regions if r["level"] == "city") == 11
    assert sum(1 for r in p.regions if r["level"] == "county") == 90
    assert len(p.departments) == 8 * (1 + 11 + 90)
    assert {d["kind"] for d in p.departments if d["region_code"] == "330782"} == {
        "SCJG",
        "STHJ",
        "YJGL",
        "WSJK",
        "JTYS",
        "WHLY",
        "ZJ",
        "NYNC",
    }


def test_some_people_represent_several_firms() -> None:
    reps = [e["legal_rep_id_number"] for e, _ in _firms(5, 3000)]
    assert len(set(reps)) < len(reps)


def test_seed_command_loads_province_and_is_refused_twice(app: Any, runner: Any, engine: Any) -> None:
    first = runner.invoke(args=["seed", "demo", "--entities", "500", "--seed", "9"])
    assert first.exit_code == 0, first.output
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(Enterprise)).one() == 500
        assert session.exec(select(func.count()).select_from(Region).where(Region.level == "county")).one() == 90
        assert session.exec(select(func.count()).select_from(Department)).one() == 816
        assert session.exec(select(func.count()).select_from(Inspector)).one() >= 810
    again = runner.invoke(args=["seed", "demo", "--entities", "500", "--seed", "9"])
    assert again.exit_code == 1 and "数据库中已有数据" in again.output
    idempotent = runner.invoke(args=["seed", "demo", "--if-empty"])
    assert idempotent.exit_code == 0 and "保留原有数据" in idempotent.output


def test_loaded_rows_equal_generated_rows(app: Any, runner: Any, engine: Any) -> None:
    runner.invoke(args=["seed", "demo", "--entities", "200", "--seed", "4"])
    generated = {e["uscc"]: e for e, _ in enterprise_rows(build_province(4), entities=200, seed=4)}
    with Session(engine) as session:
        stored = session.exec(select(Enterprise)).all()
    assert {e.uscc for e in stored} == set(generated)
    sample = stored[17]
    assert (sample.name, sample.registered_on, sample.township_code) == (
        generated[sample.uscc]["name"],
        generated[sample.uscc]["registered_on"],
        generated[sample.uscc]["township_code"],
    )


def test_every_demo_draw_verifies_from_its_bundle(app: Any, runner: Any, tmp_path: Any) -> None:
    """Both verifiers say MATCH on every demo bundle, with the digest the task's public notice published too."""
    import json
    import subprocess

    from tests.bundlekit import NODE, VERIFIER

    assert runner.invoke(args=["seed", "demo", "--entities", "3000", "--seed", "2026"]).exit_code == 0
    draws = json.loads(runner.invoke(args=["draw", "list", "--json"]).output)
    assert len(draws) >= 2
    client = app.test_client()
    for d in draws:
        notice = client.get(f"/api/tasks/{d['task']}").get_json()  # the public notice, anonymous
        published = notice["freeze"]["digest"]
        for kind, flag in (("full", ["--full"]), ("public", [])):
            out = tmp_path / d["id"] / kind
            assert runner.invoke(args=["draw", "bundle", d["id"], "-o", str(out), *flag]).exit_code == 0
            for digest, verdict in ((None, "MATCH"), (published, "MATCH"), ("0" * 64, "MISMATCH")):
                extra = ["--freeze-digest", digest] if digest else []
                result = runner.invoke(args=["draw", "verify", str(out), *extra])
                lines = result.output.splitlines()
                assert lines[-1].split(":")[0] == verdict and ("完整包" if kind == "full" else "公开包") in lines[0], (
                    d,
                    result.output,
                )
                if NODE:
                    node = subprocess.run([NODE, str(VERIFIER), str(out), *extra], capture_output=True, text=True)
                    assert node.stdout.splitlines()[-1].split(":")[0] == verdict, (d, node.stdout, node.stderr)
        record = json.loads((out / "record.json").read_text())
        assert record["algorithm"] == "supervise-draw/v3" and record["freeze"]["beacon"]["issue"].endswith("期")
        assert "督查室" in [p["participant"] for p in record["freeze"]["participants"] if p["role"] == "observer"]
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
