import json
import re
from datetime import datetime
from typing import Any

import pytest
from icalendar import Calendar
from sqlmodel import Session, col, select

from scheduling.models import Schedule, ScheduledVisit, VisitInspector
from supervise import clock
from supervise.models import AuditLog, Inspector, User
from tests.conftest import PASSWORD, bearer, login, run_jobs


@pytest.fixture
def demo(app: Any, runner: Any) -> None:
    # 6000 entities: about 100 firms per December task, enough that the three departments' draws share firms
    result = runner.invoke(args=["seed", "demo", "--entities", "6000", "--seed", "2026", "--password", PASSWORD])
    assert result.exit_code == 0, result.output


def test_demo_quarter_merges_draws_of_three_departments(app: Any, client: Any, demo: None) -> None:
    view = client.get("/api/schedules/330102/2026Q4", headers=bearer(app, "supervisor")).get_json()
    summary = view["summary"]
    assert summary["repeat_checks_avoided"] > 0 and summary["firms_over_cap"] == 0
    assert summary["visits_before_merging"] - summary["visits_after_merging"] == summary["repeat_checks_avoided"]
    merged = [v for v in view["visits"] if len(v["tasks"]) > 1]
    assert merged and all(len(v["team"]) >= max(2, len(v["departments"])) for v in merged)
    assert {d.split("-")[1] for v in view["visits"] for d in v["departments"]} >= {"SCJG", "WSJK", "YJGL"}


def test_rebuilding_on_the_same_inputs_gives_the_same_schedule(app: Any, runner: Any, engine: Any, demo: None) -> None:
    def snapshot() -> list[tuple[Any, ...]]:
        with Session(engine) as session:
            rows = session.exec(
                select(ScheduledVisit).order_by(col(ScheduledVisit.enterprise_id), col(ScheduledVisit.window_start))
            ).all()
            teams = {
                v.id: [
                    t.inspector_id
                    for t in session.exec(
                        select(VisitInspector)
                        .where(VisitInspector.visit_id == v.id)
                        .order_by(col(VisitInspector.position))
                    ).all()
                ]
                for v in rows
            }
            return [(v.enterprise_id, v.day, v.tasks, v.status, teams[v.id]) for v in rows]

    before = snapshot()
    out = runner.invoke(args=["schedule", "build", "--region", "330102", "--period", "2026Q4"])
    assert out.exit_code == 0 and "repeat_checks_avoided" in out.output
    assert snapshot() == before
    with Session(engine) as session:
        assert len(session.exec(select(Schedule)).all()) == 1
        assert session.exec(select(AuditLog).where(AuditLog.action == "schedule.built")).all()


def test_schedule_is_built_as_a_background_job(app: Any, client: Any, demo: None) -> None:
    headers = bearer(app, "supervisor")
    resp = client.post("/api/schedules", json={"region": "330106", "period": "2026Q3"}, headers=headers)
    assert resp.status_code == 202
    run_jobs(app)
    status = client.get(resp.get_json()["status_url"], headers=headers).get_json()
    assert status["status"] == "finished", status
    assert client.get("/api/schedules/330106/2026Q3", headers=headers).status_code == 200


def test_bad_schedule_requests_name_the_field(app: Any, client: Any, runner: Any, demo: None) -> None:
    headers = bearer(app, "supervisor")
    bad = client.post("/api/schedules", json={"region": "330106", "period": "2026-Q3"}, headers=headers)
    assert bad.status_code == 422 and "period" in json.dumps(bad.get_json())
    missing = client.get("/api/schedules/330106/2025Q1", headers=headers)
    assert missing.status_code == 404
    cli = runner.invoke(args=["schedule", "build", "--region", "330106", "--period", "Q3"])
    assert cli.exit_code != 0 and ("period" in cli.output or "期间" in cli.output)


def test_only_the_supervision_office_sees_whole_schedules(app: Any, client: Any, demo: None) -> None:
    assert client.get("/api/schedules/330102/2026Q4").status_code == 401
    assert client.get("/api/schedules/330102/2026Q4", headers=bearer(app, "inspector")).status_code == 403
    assert client.post("/api/schedules", json={}, headers=bearer(app, "credit")).status_code == 403


def _scheduled_inspector(engine: Any) -> tuple[str, str]:
    with Session(engine) as session:
        insp, user = session.exec(
            select(Inspector, User)
            .join(User, col(User.id) == col(Inspector.user_id))
            .join(VisitInspector, col(VisitInspector.inspector_id) == col(Inspector.id))
        ).first()  # type: ignore[misc]
        return insp.badge_no, user.username


def test_inspector_downloads_own_schedule_as_icalendar(
    app: Any, client: Any, engine: Any, runner: Any, demo: None, tmp_path: Any
) -> None:
    badge, username = _scheduled_inspector(engine)
    mine = client.get("/api/me/schedule", headers=bearer(app, username)).get_json()
    assert mine and all(any(m["badge"] == badge for m in v["team"]) for v in mine)
    ics = client.get("/api/me/schedule.ics", headers=bearer(app, username))
    cal = Calendar.from_ical(ics.data)
    events = [c for c in cal.walk("VEVENT")]
    assert len(events) == len(mine)
    assert {e.decoded("dtstart").isoformat() for e in events} == {v["day"] for v in mine}
    login(client, username)
    ahead = client.get("/inspections/my/schedule").get_data(as_text=True)  # a phone opens at today
    today = clock.today().isoformat()
    shown = re.findall(r"<td>(\d{4}-\d{2}-\d{2})", ahead)
    assert all(day >= today for day in shown) and len(shown) == sum(1 for v in mine if v["day"] >= today)
    page = client.get("/inspections/my/schedule?all=1").get_data(as_text=True)
    assert "/api/me/schedule.ics" in page and mine[0]["enterprise_name"] in page
    opened = re.search(r'href="(/inspections/my/\d+)">打开检查记录', page)  # the visit page opens from the schedule
    assert opened is not None  # a 核查 of a 工单 may come first: it opens the 工单 instead
    visit_page = client.get(opened.group(1)).get_data(as_text=True)
    assert any(v["enterprise_name"] in visit_page for v in mine)
    out = runner.invoke(args=["schedule", "ics", "--inspector", badge, "-o", str(tmp_path / "me.ics")])
    assert out.exit_code == 0
    assert len(Calendar.from_ical((tmp_path / "me.ics").read_bytes()).walk("VEVENT")) == len(mine)


def test_schedule_exports_as_spreadsheet_and_page(app: Any, client: Any, demo: None) -> None:
    headers = bearer(app, "supervisor")
    csv = client.get("/api/schedules/330102/2026Q4.csv", headers=headers)
    view = client.get("/api/schedules/330102/2026Q4", headers=headers).get_json()
    assert csv.status_code == 200 and csv.data.decode("utf-8-sig").count("\n") == len(view["visits"]) + 1
    xlsx = client.get("/api/schedules/330102/2026Q4.xlsx", headers=headers)
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    login(client, "supervisor")
    page = client.get("/schedules/330102/2026Q4").get_data(as_text=True)
    assert "避免重复检查户次" in page and view["visits"][0]["enterprise_name"] in page
    # Named as people read it, built at a Beijing time, by a person or 演示数据 — not a code, UTC or "seed".
    from supervise import clock

    built = clock.to_beijing(datetime.fromisoformat(view["built_at"])).strftime("%Y-%m-%d %H:%M")
    assert "上城区 2026年第四季度 联合检查排期" in page and f"生成于 {built}（北京时间，演示数据" in page
    assert "（seed）" not in page


def test_supervisor_builds_a_schedule_from_the_page(app: Any, client: Any, demo: None) -> None:
    from tests.conftest import csrf_token

    login(client, "supervisor")
    form = {"region": "330106", "period": "2026Q3", "csrf_token": csrf_token(client, "/schedules")}
    assert client.post("/schedules", data=form).status_code == 302
    run_jobs(app)
    page = client.get("/schedules").get_data(as_text=True)
    assert "/schedules/330106/2026Q3" in page
    bad = client.post("/schedules", data={**form, "period": "2026-3", "csrf_token": csrf_token(client, "/schedules")})
    assert bad.status_code == 422 and "期间" in bad.get_data(as_text=True)
