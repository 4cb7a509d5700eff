import json
import os
import subprocess
import sys
import threading
from datetime import date
from typing import Any

import pytest
from sqlalchemy.orm import undefer
from sqlmodel import Session, col, func, select

from inspections.draw.algorithm import commitment_of
from inspections.draw.ceremony import commit, freeze, reveal
from inspections.draw.record_v1 import record_bytes
from inspections.draw.services import perform_draw
from inspections.models import ConflictDeclaration, Draw, DrawTarget, Task, TaskDepartment, TeamMember
from supervise.db import unit_of_work
from supervise.errors import ApiError
from supervise.models import AuditLog, Department, Enterprise, Inspector
from tests.drawkit import (
    add_firms,
    ceremony,
    exclusions_of,
    make_task,
    record_results,
    recusals_of,
    secret_of,
    task_row,
    verify_draw,
)


@pytest.fixture
def firms(province: Any, engine: Any) -> list[str]:
    return add_firms(engine, 30)


def test_joint_draw_is_recorded_verifiable_and_audited(engine: Any, firms: list[str]) -> None:
    make_task(engine, "T1")
    draw = ceremony(engine, "T1")
    assert verify_draw(engine, draw.public_id) == "MATCH"
    record = json.loads(draw.record)
    assert record["seed"]["mode"] == "commit_reveal" and len(record["seed"]["participants"]) == 3
    assert record["algorithm"] == "supervise-draw/v3"  # the freeze binds every commitment (§11.1)
    bound = [(p["participant"], p["commitment"], p["committed_at"]) for p in record["freeze"]["participants"]]
    assert bound == [(p["participant"], p["commitment"], p["committed_at"]) for p in record["seed"]["participants"]]
    assert set(firms) <= {line.split("\t")[0] for line in draw.population_text.splitlines()}
    with Session(engine) as session:
        staffed = session.exec(
            select(DrawTarget).where(DrawTarget.draw_id == draw.id, col(DrawTarget.unstaffed_reason).is_(None))
        ).all()  # noqa: E711
        assert len(staffed) == len(record["outcome"]["selected"]) > 0
        for target in staffed:
            depts = session.exec(
                select(Department.code)
                .join(Inspector, Inspector.department_id == Department.id)
                .join(TeamMember, TeamMember.inspector_id == Inspector.id)
                .where(TeamMember.target_id == target.id)
            ).all()
            assert set(depts) == {"330102-SCJG", "330102-WSJK"} and len(depts) >= 2
        assert session.exec(select(AuditLog).where(AuditLog.action == "draw.performed")).one().object_id == "D-T1"
        assert session.exec(select(Task.status).where(Task.code == "T1")).one() == "drawn"


def test_reveal_that_does_not_match_is_refused(engine: Any, firms: list[str]) -> None:
    make_task(engine, "T1")
    with unit_of_work(engine) as session:
        task = session.exec(select(Task).where(Task.code == "T1")).one()
        commit(session, task=task, participant="330102-SCJG", commitment=commitment_of("right"), actor="t")
        commit(session, task=task, participant="督查室", commitment=commitment_of("b"), actor="t")
        freeze(session, task=task, actor="t")
    with pytest.raises(ApiError) as info, unit_of_work(engine) as session:
        task = session.exec(select(Task).where(Task.code == "T1")).one()
        reveal(session, task=task, participant="330102-SCJG", secret="wrong", actor="t")
    assert info.value.fields[0]["field"] == "reveal"


def test_commitments_close_at_the_freeze(engine: Any, firms: list[str]) -> None:
    make_task(engine, "T1")
    with unit_of_work(engine) as session:
        task = session.exec(select(Task).where(Task.code == "T1")).one()
        commit(session, task=task, participant="330102-SCJG", commitment=commitment_of("x"), actor="t")
        commit(session, task=task, participant="督查室", commitment=commitment_of("z"), actor="t")
        freeze(session, task=task, actor="t")
        with pytest.raises(ApiError):
            commit(session, task=task, participant="late", commitment=commitment_of("y"), actor="t")


def test_draw_excludes_firms_selected_by_an_overlapping_task(engine: Any, firms: list[str]) -> None:
    make_task(engine, "T1", window=("2026-07-01", "2026-09-30"))
    first = json.loads(ceremony(engine, "T1").record)
    taken = {s["uscc"] for s in first["outcome"]["selected"] + first["outcome"]["unstaffed"]}
    make_task(engine, "T2", kinds=("WSJK",), window=("2026-09-01", "2026-10-31"))
    second = json.loads(ceremony(engine, "T2", ("330102-WSJK", "督查室")).record)
    excluded = exclusions_of(engine, "D-T2")
    assert taken and taken <= set(excluded)
    assert all("T1" in excluded[u] and "overlaps" in excluded[u] for u in taken)
    assert not taken & {s["uscc"] for s in second["outcome"]["selected"]}


def test_exclusion_reason_names_the_first_overlapping_task_by_code(engine: Any, firms: list[str]) -> None:
    # T9 is drawn before T2, so its rows come first from the table: the reason must not depend on that.
    make_task(engine, "T9", window=("2026-07-01", "2026-09-30"))
    ceremony(engine, "T9")
    make_task(engine, "T2", window=("2026-08-01", "2026-09-30"), directed=True)
    ceremony(engine, "T2")
    make_task(engine, "T5", window=("2026-09-01", "2026-10-31"))
    ceremony(engine, "T5")
    reasons = set(exclusions_of(engine, "D-T5").values())
    assert reasons == {"selected by task T2, whose window overlaps"}


def test_non_overlapping_task_does_not_exclude(engine: Any, firms: list[str]) -> None:
    make_task(engine, "T1", window=("2026-01-01", "2026-01-31"))
    ceremony(engine, "T1")
    make_task(engine, "T2", window=("2026-10-01", "2026-12-31"))
    ceremony(engine, "T2")
    assert not any("overlaps" in r for r in exclusions_of(engine, "D-T2").values())


def test_draw_excludes_firms_inspected_within_the_cooldown(engine: Any, firms: list[str]) -> None:
    make_task(engine, "T1", window=("2026-01-01", "2026-01-31"))
    first = json.loads(ceremony(engine, "T1").record)
    inspected = first["outcome"]["selected"][0]["uscc"]
    record_results(engine, {inspected}, date(2026, 1, 20))
    make_task(engine, "T2", window=("2026-05-01", "2026-06-30"))  # 101 days later
    ceremony(engine, "T2")
    assert exclusions_of(engine, "D-T2")[inspected] == "inspected on 2026-01-20, within 180 days"
    make_task(engine, "T3", window=("2026-05-01", "2026-06-30"), directed=True, kinds=("SCJG",))
    third = json.loads(ceremony(engine, "T3", ("330102-SCJG", "督查室")).record)
    assert third["task"]["directed"] is True and exclusions_of(engine, "D-T3") == {}
    drawn = third["outcome"]["selected"] + third["outcome"]["unstaffed"]  # rotation may leave it unstaffed
    assert inspected in {s["uscc"] for s in drawn}


def test_declared_conflict_and_rotation_are_never_assigned(engine: Any, firms: list[str]) -> None:
    make_task(engine, "T1", window=("2026-01-01", "2026-03-31"), kinds=("SCJG",))
    first = json.loads(ceremony(engine, "T1", ("330102-SCJG", "督查室")).record)
    previous = {(b, s["uscc"]) for s in first["outcome"]["selected"] for b in s["team"]}
    with unit_of_work(engine) as session:
        insp = session.exec(
            select(Inspector)
            .join(Department, Department.id == Inspector.department_id)
            .where(Department.code == "330102-SCJG", col(Inspector.active).is_(True))
        ).first()  # noqa: E712
        ent = session.exec(select(Enterprise).where(Enterprise.uscc == firms[0])).one()
        session.add(ConflictDeclaration(inspector_id=insp.id, enterprise_id=ent.id, relation="配偶任该企业股东"))
        conflict = (insp.badge_no, ent.uscc)
    make_task(engine, "T2", window=("2026-07-01", "2026-09-30"), kinds=("SCJG",))
    second = json.loads(ceremony(engine, "T2", ("330102-SCJG", "督查室")).record)
    recusals = set(recusals_of(engine, "D-T2"))
    assert conflict in recusals
    assert previous and previous <= recusals  # rotation: last cycle's inspector-firm pairs
    assigned = {(b, s["uscc"]) for s in second["outcome"]["selected"] for b in s["team"]}
    assert not assigned & recusals
    assert not assigned & previous


def test_two_concurrent_draws_on_one_task_produce_exactly_one_record(engine: Any, firms: list[str]) -> None:
    make_task(engine, "T1")
    parts = ("330102-SCJG", "督查室")
    with unit_of_work(engine) as session:
        task = session.exec(select(Task).where(Task.code == "T1")).one()
        for p in parts:
            commit(session, task=task, participant=p, commitment=commitment_of(secret_of(p)), actor="t")
        freeze(session, task=task, actor="t")
        for p in parts:
            reveal(session, task=task, participant=p, secret=secret_of(p), actor="t")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt() -> None:
        barrier.wait()
        try:
            with unit_of_work(engine) as session:
                perform_draw(session, task_code="T1", actor="t")
            outcomes.append("drawn")
        except Exception as exc:  # the loser fails: 409, a unique violation, or a lock timeout
            outcomes.append(type(exc).__name__)

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("drawn") == 1, outcomes
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(Draw)).one() == 1
        assert (
            session.exec(select(func.count()).select_from(AuditLog).where(AuditLog.action == "draw.performed")).one()
            == 1
        )


def test_cli_bundle_verifies_and_tampering_is_reported(
    engine: Any, firms: list[str], runner: Any, tmp_path: Any
) -> None:
    make_task(engine, "T1")
    ceremony(engine, "T1")
    listed = json.loads(runner.invoke(args=["draw", "list", "--json"]).output)
    assert [(d["id"], d["task"]) for d in listed] == [("D-T1", "T1")] and listed[0]["created_at"]
    out = tmp_path / "bundle"
    assert runner.invoke(args=["draw", "bundle", "D-T1", "-o", str(out), "--full"]).exit_code == 0
    ok = runner.invoke(args=["draw", "verify", str(out)])
    assert ok.exit_code == 0 and ok.output.splitlines()[-1] == "MATCH"
    assert "完整包" in ok.output.splitlines()[0] and "完整重算" in ok.output
    record = json.loads((out / "record.json").read_text())
    record["outcome"]["selected"][0]["team"] = record["outcome"]["selected"][0]["team"][::-1]
    (out / "record.json").write_bytes(record_bytes(record))
    bad = runner.invoke(args=["draw", "verify", str(out)])
    assert bad.exit_code == 1 and bad.output.splitlines()[-1].startswith("MISMATCH: selected[0]")


def test_console_verifier_checks_a_bundle_without_loading_the_application(
    engine: Any, firms: list[str], runner: Any, tmp_path: Any
) -> None:
    make_task(engine, "T1")
    ceremony(engine, "T1")
    out = tmp_path / "bundle"
    assert runner.invoke(args=["draw", "bundle", "D-T1", "-o", str(out), "--full"]).exit_code == 0
    files = [str(out)]
    # The console script's own entry point, in a fresh interpreter with no configuration at all.
    script = (
        "import sys\nfrom supervise.entry import main\nsys.argv = ['supervise', 'draw', 'verify', *sys.argv[1:]]\n"
        "try:\n    main()\nfinally:\n    print('flask loaded' if 'flask' in sys.modules else 'no flask')\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SUPERVISE_", "DATABASE_", "REDIS_"))}
    ok = subprocess.run([sys.executable, "-c", script, *files], capture_output=True, text=True, env=env)
    assert (ok.returncode, ok.stdout.splitlines()[-2:]) == (0, ["MATCH", "no flask"]), ok.stderr
    record = json.loads((out / "record.json").read_text())
    record["outcome"]["selected"].pop()
    (out / "record.json").write_bytes(record_bytes(record))
    bad = subprocess.run([sys.executable, "-c", script, *files], capture_output=True, text=True, env=env)
    assert bad.returncode == 1 and bad.stdout.splitlines()[-2].startswith("MISMATCH: selected[")


def test_single_operator_draw_is_flagged(engine: Any, firms: list[str], runner: Any) -> None:
    make_task(engine, "T1")
    result = runner.invoke(args=["draw", "run", "T1", "--single-operator"])
    assert result.exit_code == 0, result.output
    with Session(engine) as session:
        draw = session.exec(select(Draw).options(undefer("*"))).one()
    assert draw.single_operator and json.loads(draw.record)["seed"]["mode"] == "single_operator"
    assert verify_draw(engine, draw.public_id) == "MATCH"
    assert task_row(engine, "T1").status == "drawn"


def test_inspector_is_never_sent_to_a_firm_in_their_home_township(engine: Any, firms: list[str]) -> None:
    with unit_of_work(engine) as session:
        insp = session.exec(
            select(Inspector)
            .join(Department, col(Department.id) == col(Inspector.department_id))
            .where(Department.code == "330102-SCJG")
        ).first()
        insp.residence_township_code = "330102001"  # every test firm is registered in 330102001
        session.add(insp)
        badge = insp.badge_no
    make_task(engine, "T1")
    record = json.loads(ceremony(engine, "T1").record)
    assert {(badge, u) for u in firms} <= set(recusals_of(engine, "D-T1"))
    assert all(badge not in s["team"] for s in record["outcome"]["selected"])
    assert record["task"]["scope"]["residence_rule"] is True


def test_city_task_draws_on_county_inspectors_of_the_same_system(engine: Any, firms: list[str]) -> None:
    make_task(engine, "T1", kinds=("SCJG",))
    with unit_of_work(engine) as session:
        task = session.exec(select(Task).where(Task.code == "T1")).one()
        task.region_code = "330100"  # a 杭州市 task
        session.add(task)
        city = session.exec(select(Department).where(Department.code == "330100-SCJG")).one()
        link = session.exec(select(TaskDepartment).where(TaskDepartment.task_id == task.id)).one()
        session.delete(link)
        session.add(TaskDepartment(task_id=task.id, department_id=city.id))
    record = json.loads(ceremony(engine, "T1", ("330100-SCJG", "督查室")).record)
    lines = [line.split("\t") for line in task_row(engine, "T1").inspectors_text.splitlines()]
    assert lines and all(dept == "330100-SCJG" and region.startswith("3301") for _b, dept, region, *_ in lines)
    assert {r[2] for r in lines} > {"330102"}  # inspectors of several counties
    assert record["outcome"]["selected"]


def test_a_reveal_before_the_freeze_is_refused(engine: Any, firms: list[str]) -> None:
    make_task(engine, "T1")
    with unit_of_work(engine) as session:
        task = session.exec(select(Task).where(Task.code == "T1")).one()
        for p in ("330102-SCJG", "督查室"):
            commit(session, task=task, participant=p, commitment=commitment_of(secret_of(p)), actor="t")
    with pytest.raises(ApiError) as info, unit_of_work(engine) as session:
        task = session.exec(select(Task).where(Task.code == "T1")).one()
        reveal(session, task=task, participant="督查室", secret=secret_of("督查室"), actor="t")
    assert info.value.status == 409 and "冻结后才能揭示随机数" in info.value.message


def test_a_task_frozen_before_v3_is_drawn_and_verified_as_v2(engine: Any, firms: list[str]) -> None:
    """An upgrade may find a task frozen by v2 (its freeze binds no participants): it is drawn by v2's rules."""
    from datetime import timedelta

    from inspections.draw.frozen import freeze_object
    from supervise import clock
    from supervise.canonical import canonical_json
    from supervise.clock import FixedClock
    from tests.drawkit import secret_of

    make_task(engine, "T1")
    end = clock.now()
    parts = ("330102-SCJG", "330102-WSJK", "督查室")
    with unit_of_work(engine) as session, clock.using(FixedClock(end - timedelta(hours=3))):
        task = session.exec(select(Task).where(Task.code == "T1")).one()
        for p in parts:
            commit(session, task=task, participant=p, commitment=commitment_of(secret_of(p)), actor="test")
    with unit_of_work(engine) as session, clock.using(FixedClock(end - timedelta(hours=2))):
        task = session.exec(select(Task).where(Task.code == "T1").options(undefer("*"))).one()
        freeze(session, task=task, actor="test")
        state = json.loads(task.freeze_json or "{}")
        files = {
            "population.txt": task.population_text or "",
            "inspectors.txt": task.inspectors_text or "",
            "recusals.txt": state["recusals.txt"],
            "exclusions.txt": state["exclusions.txt"],
        }
        old = state["freeze"]
        state["freeze"] = freeze_object(
            at=old["at"], salt=state["salt"], files=files, task=state["task"], beacon=old["beacon"]
        )  # as v2 froze it: no participants, no tier floor
        task.freeze_json = canonical_json(state)
        session.add(task)
    with unit_of_work(engine) as session, clock.using(FixedClock(end - timedelta(hours=1))):
        task = session.exec(select(Task).where(Task.code == "T1")).one()
        for p in parts:
            reveal(session, task=task, participant=p, secret=secret_of(p), actor="test")
    with unit_of_work(engine) as session:
        draw = perform_draw(session, task_code="T1", actor="test", now=end)
        draw_id, record = draw.public_id, json.loads(draw.record)
    assert record["algorithm"] == "supervise-draw/v2" and "participants" not in record["freeze"]
    assert verify_draw(engine, draw_id) == "MATCH" and verify_draw(engine, draw_id, full=False) == "MATCH"
