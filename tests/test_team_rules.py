"""Team rules of draw v2 on adversarial data (docs/draw-algorithm.md §10.4): specialty, rotation limited to the
previous cycle, and 所所交叉. Each is set up so that ignoring the rule would, almost surely, break it."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlmodel import col, select

from inspections.models import InspectionItem, Task, TaskItem
from supervise.db import unit_of_work
from supervise.models import Department, Enterprise, Inspector
from tests.drawkit import add_firms, bundle, ceremony, make_task, recusals_of

SCJG_ONLY = ("330102-SCJG", "督查室")


def _add_inspectors(
    engine: Any, n: int, *, specialties: str = "", office: str | None = None, tag: str = "X"
) -> set[str]:
    with unit_of_work(engine) as session:
        dept = session.exec(select(Department).where(Department.code == "330102-SCJG")).one()
        for i in range(n):
            session.add(
                Inspector(
                    badge_no=f"33010209{tag}{i:03d}",
                    name=f"检查员{tag}{i}",
                    department_id=dept.id or 0,
                    region_code="330102",
                    specialties=specialties,
                    office_township_code=office,
                )
            )
    return {f"33010209{tag}{i:03d}" for i in range(n)}


def _staffed(record: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for s in record["outcome"]["selected"] if s["team"]]


def test_only_inspectors_holding_the_items_specialty_are_assigned(province: Any, engine: Any) -> None:
    add_firms(engine, 20)
    with unit_of_work(engine) as session:  # nobody else holds it
        for insp in session.exec(select(Inspector)).all():
            insp.specialties = "食品"
            session.add(insp)
    qualified = _add_inspectors(engine, 3, specialties="特种设备,食品", tag="Q")
    _add_inspectors(engine, 30, specialties="食品", tag="N")  # the many, without the specialty
    make_task(engine, "T1", kinds=("SCJG",), cap=50)
    with unit_of_work(engine) as session:
        item = session.exec(select(InspectionItem).where(InspectionItem.code == "I-SCJG")).one()
        item.specialty = "特种设备"
        session.add(item)
    record = json.loads(ceremony(engine, "T1", SCJG_ONLY).record)
    assert record["task"]["items"][0]["specialty"] == "特种设备"
    teams = [set(s["team"]) for s in _staffed(record)]
    assert teams and all(team <= qualified for team in teams)
    lines = bundle(engine, "D-T1")["inspectors.txt"].splitlines()
    assert any("\t特种设备,食品\t" in line for line in lines)  # committed at the freeze with the pool


def test_rotation_recuses_only_the_previous_cycle_of_the_same_department_and_item(province: Any, engine: Any) -> None:
    add_firms(engine, 12)
    _add_inspectors(engine, 8)  # enough that last cycle's pairs can be avoided
    windows = (("2026-01-01", "2026-03-31"), ("2026-04-01", "2026-06-30"), ("2026-07-01", "2026-09-30"))
    pairs = {}
    for code, window in zip(("T1", "T2", "T3"), windows, strict=True):
        make_task(engine, code, kinds=("SCJG",), window=window, ratios={"B": "1"}, directed=True)
        record = json.loads(ceremony(engine, code, SCJG_ONLY).record)
        pairs[code] = {(b, s["uscc"]) for s in _staffed(record) for b in s["team"]}
        if code == "T3":
            rotation = {pair for pair, why in recusals_of(engine, "D-T3").items() if "rotation" in why}
    assert pairs["T2"] and rotation == pairs["T2"]  # the previous cycle only
    assert pairs["T1"] - pairs["T2"]  # T1's own pairs, not recused again by T3 ...
    assert not (pairs["T1"] - pairs["T2"]) & rotation
    assert not pairs["T3"] & pairs["T2"]  # ... while last cycle's are never repeated


def test_another_items_task_is_not_the_previous_cycle(province: Any, engine: Any) -> None:
    add_firms(engine, 10)
    make_task(engine, "T1", kinds=("SCJG",), window=("2026-01-01", "2026-03-31"), directed=True)
    ceremony(engine, "T1", SCJG_ONLY)
    make_task(engine, "T2", kinds=("SCJG",), window=("2026-04-01", "2026-06-30"), directed=True)
    with unit_of_work(engine) as session:  # T2 checks another item of the same department
        item = InspectionItem(code="I-OTHER", department_kind="SCJG", name="其他事项", legal_basis="依据")
        session.add(item)
        session.flush()
        task = session.exec(select(Task).where(Task.code == "T2")).one()
        link = session.exec(select(TaskItem).where(TaskItem.task_id == task.id)).one()
        session.delete(link)
        session.add(TaskItem(task_id=task.id or 0, item_id=item.id or 0))
    ceremony(engine, "T2", SCJG_ONLY)
    assert not any("rotation" in why for why in recusals_of(engine, "D-T2").values())


def test_cross_office_never_sends_an_inspector_to_firms_of_their_own_township(province: Any, engine: Any) -> None:
    firms = add_firms(engine, 24)
    with unit_of_work(engine) as session:  # half the firms in each of two townships
        for n, firm in enumerate(session.exec(select(Enterprise).where(col(Enterprise.uscc).in_(firms))).all()):
            firm.township_code = "330102001" if n % 2 else "330102002"
            session.add(firm)
    office = {b: "330102001" for b in _add_inspectors(engine, 6, office="330102001", tag="A")}
    office |= {b: "330102002" for b in _add_inspectors(engine, 6, office="330102002", tag="B")}
    with unit_of_work(engine) as session:  # only these twelve serve: the others are off duty
        for insp in session.exec(select(Inspector)).all():
            insp.active = insp.badge_no in office
            session.add(insp)
    make_task(engine, "T1", kinds=("SCJG",), ratios={"B": "1"}, cap=50)
    with unit_of_work(engine) as session:
        task = session.exec(select(Task).where(Task.code == "T1")).one()
        task.assignment = "cross_office"
        session.add(task)
    record = json.loads(ceremony(engine, "T1", SCJG_ONLY).record)
    assert record["task"]["assignment"] == "cross_office"
    area = {f[0]: f[2] for f in (line.split("\t") for line in bundle(engine, "D-T1")["population.txt"].splitlines())}
    staffed = _staffed(record)
    assert len(staffed) == 24
    assert all(office[b] != area[s["uscc"]] for s in staffed for b in s["team"])
    assert {area[s["uscc"]] for s in staffed} == {"330102001", "330102002"}


def test_a_territorial_task_may_send_an_inspector_to_their_own_township(province: Any, engine: Any) -> None:
    firms = add_firms(engine, 12)  # all in 330102001
    office = _add_inspectors(engine, 4, office="330102001", tag="A")
    with unit_of_work(engine) as session:
        for insp in session.exec(select(Inspector)).all():
            insp.active = insp.badge_no in office
            session.add(insp)
    make_task(engine, "T1", kinds=("SCJG",), ratios={"B": "1"}, cap=50, window=("2026-07-01", "2026-09-30"))
    record = json.loads(ceremony(engine, "T1", SCJG_ONLY).record)
    assert record["task"]["assignment"] == "territorial" and len(_staffed(record)) == len(firms)
    assert date.fromisoformat(record["task"]["window"]["start"]).year == 2026


def test_a_directed_draw_is_random_within_its_filtered_population(
    app: Any, client: Any, province: Any, engine: Any
) -> None:
    food = set(add_firms(engine, 10, industry="H62"))
    other = set(add_firms(engine, 10, start=950_000, industry="C14"))
    make_task(engine, "T1", kinds=("SCJG",), ratios={"B": "1"})
    with unit_of_work(engine) as session:  # the item covers every industry; the filter narrows it to C14
        item = session.exec(select(InspectionItem).where(InspectionItem.code == "I-SCJG")).one()
        item.scope_industries = ""
        session.add(item)
        task = session.exec(select(Task).where(Task.code == "T1")).one()
        task.filter_json = '{"industries":["C14"],"regions":[]}'
        session.add(task)
    record = json.loads(ceremony(engine, "T1", SCJG_ONLY).record)
    population = {line.split("\t")[0] for line in bundle(engine, "D-T1")["population.txt"].splitlines()}
    assert other <= population and not food & population
    assert record["task"]["scope"]["filter"] == {"industries": ["C14"], "regions": []}
    page = client.get("/public/draws/D-T1").get_data(as_text=True)
    assert "在以下范围内随机抽取：行业 C14" in page


def test_a_directed_filter_with_an_unknown_industry_is_refused(app: Any, client: Any, province: Any) -> None:
    from tests.conftest import bearer

    body = {
        "code": "T-F",
        "plan_code": "P-none",
        "title": "定向抽查",
        "region_code": "330102",
        "department_codes": ["330102-SCJG"],
        "item_codes": ["X"],
        "window_start": "2026-07-01",
        "window_end": "2026-09-30",
        "ratios": {"B": "0.3"},
        "population_filter": {"industries": ["Z99"]},
    }
    resp = client.post("/api/tasks", json=body, headers=bearer(app, "admin"))
    assert resp.status_code == 422 and resp.get_json()["fields"][0]["field"].startswith("population_filter")
