"""Ten simultaneous requests doing the same thing: exactly one effect, nine 409s saying what already happened.

The requests run in threads, each with its own client, session and database connection, against the real
database of the run (SQLite file or PostgreSQL) and real Redis."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import Session, col, func, select

from credit.models import EntryEvent, LicensingCheck, ListEntry
from inspections.draw.algorithm import commitment_of
from inspections.draw.ceremony import commit, freeze, reveal
from inspections.models import Draw, InspectionResult, Task
from reports.models import ReportArchive
from supervise import clock
from supervise.db import unit_of_work
from supervise.models import AuditLog, Department, Enterprise, User
from tests.conftest import bearer, district_firms, run_jobs
from tests.drawkit import add_firms, ceremony, make_task, secret_of

N = 10


def at_once(app: Any, n: int, call: Callable[[Any], Any]) -> list[Any]:
    """Run `call(client)` in n threads released together; return the responses."""
    barrier = threading.Barrier(n)
    responses: list[Any] = [None] * n

    def run(i: int) -> None:
        client = app.test_client()
        barrier.wait()
        responses[i] = call(client)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return responses


def statuses(responses: list[Any]) -> Counter[int]:
    return Counter(r.status_code for r in responses)


def audit_count(engine: Any, action: str) -> int:
    with Session(engine) as session:
        return int(session.exec(select(func.count()).where(AuditLog.action == action)).one())


@pytest.fixture
def notified_entry(app: Any, client: Any, province: Any, engine: Any) -> int:
    firm = district_firms(engine, 1)[0]  # a firm of the demo officers' district
    officer = bearer(app, "credit")
    body = {
        "uscc": firm.uscc,
        "list_type": "ABNORMAL",
        "ground": "UNREACHABLE",
        "reason": "通过登记的住所无法联系",
        "legal_basis": "《企业经营异常名录管理暂行办法》第四条第（四）项",
        "department_code": f"{firm.region_code}-SCJG",
        "public_summary": "通过登记的住所无法联系",
        "found_on": "2026-11-02",
    }
    entry = client.post("/api/credit/entries", json=body, headers=officer).get_json()
    client.post(f"/api/credit/entries/{entry['id']}/transitions", json={"action": "notify"}, headers=officer)
    client.post(f"/api/credit/entries/{entry['id']}/statement", json={"note": "无异议"}, headers=officer)
    return int(entry["id"])


def test_ten_simultaneous_decisions_list_the_entry_once(app: Any, engine: Any, notified_entry: int) -> None:
    approver = bearer(app, "credit2")
    responses = at_once(
        app,
        N,
        lambda c: c.post(
            f"/api/credit/entries/{notified_entry}/transitions",
            json={"action": "decide", "decision_number": f"杭上市监信〔2026〕{threading.get_ident() % 1000}号"},
            headers=approver,
        ),
    )
    assert statuses(responses) == {200: 1, 409: N - 1}, [r.get_json() for r in responses]
    winner = next(r.get_json() for r in responses if r.status_code == 200)
    for r in responses:
        if r.status_code == 409:
            assert f"决定列入（{winner['decision_number']}）" in r.get_json()["message"]
    assert audit_count(engine, "credit.decide") == 1
    with Session(engine) as session:
        entry = session.get(ListEntry, notified_entry)
        assert entry is not None and entry.decision_number == winner["decision_number"]
        decided = session.exec(
            select(func.count()).where(EntryEvent.entry_id == notified_entry, EntryEvent.action == "decide")
        ).one()
    assert decided == 1


def test_ten_simultaneous_outcome_reports_record_one(app: Any, client: Any, province: Any, engine: Any) -> None:
    window = bearer(app, "licensing")
    with Session(engine) as session:
        uscc = session.exec(select(Enterprise.uscc).order_by(col(Enterprise.id))).first()
    check = client.post("/api/credit/check", json={"uscc": uscc, "matter": "SCJG-SPJY"}, headers=window).get_json()
    url = f"/api/credit/check/{check['check_id']}/outcome"
    responses = at_once(app, N, lambda c: c.post(url, json={"granted": True}, headers=window))
    assert statuses(responses) == {200: 1, 409: N - 1}, [r.get_json() for r in responses]
    assert all("不能重复报告" in r.get_json()["message"] for r in responses if r.status_code == 409)
    assert audit_count(engine, "credit.outcome_reported") == 1
    with Session(engine) as session:
        row = session.exec(select(LicensingCheck).where(LicensingCheck.public_id == check["check_id"])).one()
    assert row.outcome_granted is True and row.outcome_reported_at is not None


def test_ten_simultaneous_report_requests_archive_one_pdf(app: Any, province: Any, engine: Any) -> None:
    headers = bearer(app, "supervisor")
    body = {"region": "330100", "period": "2026Q3"}
    responses = at_once(app, N, lambda c: c.post("/api/reports/accountability", json=body, headers=headers))
    assert statuses(responses) == {202: 1, 409: N - 1}, [r.get_json() for r in responses]
    assert all("正在处理" in r.get_json()["message"] for r in responses if r.status_code == 409)
    assert audit_count(engine, "report.requested") == 1
    run_jobs(app)
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(ReportArchive)).one() == 1
    client = app.test_client()  # once generated, the report may be generated again (a new version)
    assert client.post("/api/reports/accountability", json=body, headers=headers).status_code == 202


@pytest.fixture
def revealed(province: Any, engine: Any, frozen_clock: Any) -> str:
    add_firms(engine, 30)
    make_task(engine, "T1")
    participants = ("330102-SCJG", "330102-WSJK", "督查室")
    with unit_of_work(engine) as session:
        task = session.exec(select(Task).where(Task.code == "T1")).one()
        for p in participants:
            commit(session, task=task, participant=p, commitment=commitment_of(secret_of(p)), actor="test")
        start = clock.now()
        beacon = {"source": "福彩3D", "issue": "2026180期", "at": start + timedelta(hours=1)}
        freeze(session, task=task, actor="test", beacon=beacon)
        for p in participants:
            reveal(session, task=task, participant=p, secret=secret_of(p), actor="test")
    frozen_clock.set(start + timedelta(hours=2))  # the beacon's issue is drawn: its value may now be entered
    return "T1"


def test_simultaneous_draws_of_one_task_draw_once_and_the_rest_get_409(app: Any, engine: Any, revealed: str) -> None:
    admin = bearer(app, "admin")
    body = {"beacon_value": "4 7 1", "beacon_source": "福彩3D"}
    responses = at_once(app, N, lambda c: c.post(f"/api/tasks/{revealed}/draw", json=body, headers=admin))
    assert statuses(responses) == {201: 1, 409: N - 1}, [r.get_json() for r in responses]
    assert all("完成抽取（D-T1）" in r.get_json()["message"] for r in responses if r.status_code == 409)
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(Draw)).one() == 1
    assert audit_count(engine, "draw.performed") == 1


@pytest.fixture
def recorded(app: Any, client: Any, province: Any, engine: Any) -> int:
    add_firms(engine, 30)
    make_task(engine, "T1", window=("2026-07-01", "2026-12-31"))
    ceremony(engine, "T1")
    headers = bearer(app, "inspector")
    target = client.get("/api/assignments", headers=headers).get_json()[0]["target_id"]
    body = {"category": "未发现问题", "findings": "", "inspected_on": "2026-07-02"}
    assert client.post(f"/api/assignments/{target}/result", json=body, headers=headers).status_code == 201
    return int(target)


def test_ten_simultaneous_confirmations_and_publications_take_effect_once(
    app: Any, client: Any, engine: Any, recorded: int
) -> None:
    team = client.get(f"/api/assignments/{recorded}", headers=bearer(app, "inspector")).get_json()["team"]
    mates = [u for u in (session_username(engine, m["badge"]) for m in team) if u != "inspector"]
    assert len(mates) == 1
    mate = mates[0]
    headers = bearer(app, mate)
    responses = at_once(app, N, lambda c: c.post(f"/api/assignments/{recorded}/confirm", headers=headers))
    assert statuses(responses) == {200: 1, 409: N - 1}, [r.get_json() for r in responses]
    assert all("无需重复确认" in r.get_json()["message"] for r in responses if r.status_code == 409)
    assert audit_count(engine, "result.confirmed") == 1

    # The teammate's department records its part and the inspector confirms it: the result awaits review.
    body = {"category": "未发现问题", "findings": "", "inspected_on": "2026-07-02"}
    assert client.post(f"/api/assignments/{recorded}/result", json=body, headers=headers).status_code == 201
    assert client.post(f"/api/assignments/{recorded}/confirm", headers=bearer(app, "inspector")).status_code == 200
    with unit_of_work(engine) as session:
        lead = session.exec(select(Department).where(Department.code == "330102-SCJG")).one()
        session.add(
            User(username="rev", display_name="审核员", password_hash="x", role="reviewer", department_id=lead.id)
        )
    publisher = bearer(app, "rev")
    reason = {"reason": "请补充检查情况"}
    responses = at_once(app, N, lambda c: c.post(f"/api/results/{recorded}/return", json=reason, headers=publisher))
    assert statuses(responses) == {200: 1, 409: N - 1}, [r.get_json() for r in responses]
    assert audit_count(engine, "result.returned") == 1
    fixed = {"category": "未发现问题", "findings": "已补充"}
    responses = at_once(app, N, lambda c: c.put(f"/api/assignments/{recorded}/result", json=fixed, headers=headers))
    assert statuses(responses) == {200: 1, 409: N - 1}, [r.get_json() for r in responses]
    assert client.post(f"/api/assignments/{recorded}/confirm", headers=bearer(app, "inspector")).status_code == 200
    responses = at_once(app, N, lambda c: c.post(f"/api/results/{recorded}/publish", headers=publisher))
    assert statuses(responses) == {200: 1, 409: N - 1}, [r.get_json() for r in responses]
    assert audit_count(engine, "result.published") == 1
    with Session(engine) as session:
        result = session.exec(select(InspectionResult).where(InspectionResult.target_id == recorded)).one()
    assert result.confirmed_at is not None and result.published_at is not None


def session_username(engine: Any, badge: str) -> str:
    from supervise.models import Inspector, User

    with Session(engine) as session:
        return session.exec(
            select(User.username)
            .join(Inspector, col(Inspector.user_id) == col(User.id))
            .where(Inspector.badge_no == badge)
        ).one()


def test_ten_simultaneous_schedule_builds_queue_one_job(app: Any, province: Any, engine: Any) -> None:
    headers = bearer(app, "supervisor")
    body = {"region": "330102", "period": "2026Q4"}
    responses = at_once(app, N, lambda c: c.post("/api/schedules", json=body, headers=headers))
    assert statuses(responses) == {202: 1, 409: N - 1}, [r.get_json() for r in responses]
    assert all("联合检查排期已由" in r.get_json()["message"] for r in responses if r.status_code == 409)
    assert audit_count(engine, "schedule.build_requested") == 1
    run_jobs(app)
    assert audit_count(engine, "schedule.built") == 1
    again = app.test_client().post("/api/schedules", json=body, headers=headers)
    assert again.status_code == 202  # once built, it may be rebuilt
