import json
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import event
from sqlmodel import Session, col, select

from inspections.draw.bundles import verify_files
from inspections.models import DrawTarget, InspectionResult, TeamMember
from supervise import clock
from supervise.db import unit_of_work
from supervise.models import AuditLog, Department, Inspector, User
from tests.conftest import bearer
from tests.drawkit import add_firms, ceremony, finish_visit, make_task, recusals_of


@pytest.fixture
def drawn(province: Any, engine: Any) -> Any:
    add_firms(engine, 30)
    make_task(engine, "T1", window=("2026-07-01", "2026-12-31"))
    return ceremony(engine, "T1")


def _targets_of(engine: Any, username: str) -> set[int]:
    with Session(engine) as session:
        insp = session.exec(
            select(Inspector).join(User, col(User.id) == col(Inspector.user_id)).where(User.username == username)
        ).one()
        return set(session.exec(select(TeamMember.target_id).where(TeamMember.inspector_id == insp.id)).all())


def test_inspector_sees_only_own_assignments(app: Any, client: Any, engine: Any, drawn: Any) -> None:
    mine, theirs = _targets_of(engine, "inspector"), _targets_of(engine, "inspector2")
    assert mine and theirs and not mine & theirs
    listed = client.get("/api/assignments", headers=bearer(app, "inspector")).get_json()
    assert {a["target_id"] for a in listed} == mine
    first = listed[0]
    assert first["items"] and first["items"][0]["legal_basis"] and len(first["team"]) == 2
    assert first["window"] == {"start": "2026-07-01", "end": "2026-12-31"}


def test_inspector_cannot_read_or_write_another_inspectors_assignment(
    app: Any, client: Any, engine: Any, drawn: Any
) -> None:
    other = min(_targets_of(engine, "inspector2"))
    headers = bearer(app, "inspector")
    assert client.get(f"/api/assignments/{other}", headers=headers).status_code == 403
    body = {"category": "未发现问题", "findings": "", "inspected_on": "2026-07-02"}
    assert client.post(f"/api/assignments/{other}/result", json=body, headers=headers).status_code == 403
    assert client.post(f"/api/assignments/{other}/confirm", headers=headers).status_code == 403
    with Session(engine) as session:
        assert session.exec(select(InspectionResult)).all() == []


def test_other_roles_cannot_use_the_inspector_api(app: Any, client: Any, drawn: Any) -> None:
    assert client.get("/api/assignments", headers=bearer(app, "credit")).status_code == 403


def test_result_is_recorded_confirmed_published_and_audited(app: Any, client: Any, engine: Any, drawn: Any) -> None:
    target = min(_targets_of(engine, "inspector"))
    with Session(engine) as session:
        teammates = session.exec(
            select(Inspector)
            .join(TeamMember, col(TeamMember.inspector_id) == col(Inspector.id))
            .where(TeamMember.target_id == target)
        ).all()
        mate_user = next(
            session.get(User, i.user_id) for i in teammates if session.get(User, i.user_id).username != "inspector"
        )
    body = {
        "category": "通过登记的住所（经营场所）无法联系",
        "findings": "两次实地核查均无法联系",
        "inspected_on": "2026-07-02",
    }
    resp = client.post(f"/api/assignments/{target}/result", json=body, headers=bearer(app, "inspector"))
    assert resp.status_code == 201, resp.get_json()
    result = resp.get_json()["result"]
    assert result["category"] == body["category"] and not result["confirmed"]
    again = client.post(f"/api/assignments/{target}/result", json=body, headers=bearer(app, "inspector"))
    assert again.status_code == 409
    assert client.post(f"/api/assignments/{target}/confirm", headers=bearer(app, "inspector")).status_code == 403
    # The teammate of the other department records its part (谁检查、谁录入); each confirms the other's part.
    mate = bearer(app, mate_user.username)
    other = {"category": "未发现问题", "findings": "", "inspected_on": "2026-07-02"}
    assert client.post(f"/api/assignments/{target}/result", json=other, headers=mate).status_code == 201
    assert not client.post(f"/api/assignments/{target}/confirm", headers=mate).get_json()["result"]["confirmed"]
    view = client.post(f"/api/assignments/{target}/confirm", headers=bearer(app, "inspector")).get_json()
    assert view["result"]["confirmed"] and view["state"] == "待审核"
    assert view["result"]["category"] == body["category"]  # the visit keeps the finding over 未发现问题
    assert client.get("/api/results").get_json() == []
    with unit_of_work(engine) as session:
        lead = session.exec(select(Department).where(Department.code == "330102-SCJG")).one()
        session.add(User(username="pub", display_name="pub", password_hash="x", role="reviewer", department_id=lead.id))
    published = client.post(f"/api/results/{target}/publish", headers=bearer(app, "pub"))
    assert published.status_code == 200
    public = client.get("/api/results?q=" + resp.get_json()["uscc"]).get_json()
    assert [r["category"] for r in public] == [body["category"]]
    with Session(engine) as session:
        actions = session.exec(
            select(AuditLog.action).where(col(AuditLog.action).startswith("result.")).order_by(col(AuditLog.id))
        ).all()
    assert actions == ["result.recorded", "result.recorded", "result.confirmed", "result.confirmed", "result.published"]


def test_bad_result_input_names_the_field(app: Any, client: Any, engine: Any, drawn: Any) -> None:
    target = min(_targets_of(engine, "inspector"))
    headers = bearer(app, "inspector")
    bad_cat = client.post(
        f"/api/assignments/{target}/result", json={"category": "随便", "inspected_on": "2026-07-02"}, headers=headers
    )
    assert bad_cat.status_code == 422 and bad_cat.get_json()["fields"][0]["field"] == "category"
    future = (clock.today() + timedelta(days=30)).isoformat()
    bad_day = client.post(
        f"/api/assignments/{target}/result", json={"category": "未发现问题", "inspected_on": future}, headers=headers
    )
    assert bad_day.status_code == 422 and bad_day.get_json()["fields"][0]["field"] == "inspected_on"


def test_overdue_publications_are_listed_for_supervision(app: Any, client: Any, engine: Any, drawn: Any) -> None:
    with unit_of_work(engine) as session:
        target = session.exec(select(DrawTarget).where(col(DrawTarget.unstaffed_reason).is_(None))).first()
        member = session.exec(select(TeamMember).where(TeamMember.target_id == target.id)).first()
        session.add(
            InspectionResult(
                target_id=target.id,
                category="未发现问题",
                inspected_on=date(2025, 9, 20),
                recorded_by=member.inspector_id,
                publish_due=date(2025, 10, 30),
            )
        )
    rows = client.get("/api/results/overdue", headers=bearer(app, "supervisor")).get_json()
    assert [r["target_id"] for r in rows] == [target.id] and rows[0]["working_days_overdue"] > 200
    assert client.get("/api/results/overdue", headers=bearer(app, "inspector")).status_code == 403


def test_public_draw_page_offers_a_bundle_that_verifies(client: Any, drawn: Any) -> None:
    page = client.get(f"/public/draws/{drawn.public_id}").get_data(as_text=True)
    assert drawn.record_sha256 in page and "firms.txt" in page and '/population.txt"' not in page
    files = [client.get(f"/api/draws/{drawn.public_id}/{n}") for n in ("record.json", "firms.txt")]
    assert all(f.status_code == 200 for f in files)
    public = dict(zip(("record.json", "firms.txt"), (f.get_data(as_text=True) for f in files), strict=True))
    assert str(verify_files(public)) == "MATCH"
    listed = client.get("/api/draws").get_json()
    assert listed[0]["id"] == drawn.public_id and listed[0]["single_operator"] is False
    assert json.loads(files[0].get_data(as_text=True))["draw_id"] == drawn.public_id


def test_declared_conflict_via_api_is_honoured_by_the_next_draw(app: Any, client: Any, engine: Any, drawn: Any) -> None:
    firm = json.loads(drawn.record)["outcome"]["selected"][0]["uscc"]
    resp = client.post(
        "/api/conflicts", json={"uscc": firm, "relation": "配偶任该企业监事"}, headers=bearer(app, "inspector")
    )
    assert resp.status_code == 201
    assert (
        client.post(
            "/api/conflicts", json={"uscc": firm, "relation": "x"}, headers=bearer(app, "inspector")
        ).status_code
        == 409
    )
    make_task(engine, "T2", window=("2027-07-01", "2027-09-30"), kinds=("SCJG", "WSJK"), directed=True)
    record = json.loads(ceremony(engine, "T2").record)
    with Session(engine) as session:
        badge = session.exec(
            select(Inspector.badge_no)
            .join(User, col(User.id) == col(Inspector.user_id))
            .where(User.username == "inspector")
        ).one()
    assert "conflict" in recusals_of(engine, "D-T2")[(badge, firm)]  # and rotation, if on its last team
    assert all(not (s["uscc"] == firm and badge in s["team"]) for s in record["outcome"]["selected"])


def test_calendar_override_is_admin_only_and_audited(app: Any, client: Any, engine: Any, drawn: Any) -> None:
    body = {"day": "2099-10-01", "working": False, "note": "国庆节"}
    assert client.put("/api/calendar/overrides", json=body, headers=bearer(app, "inspector")).status_code == 403
    assert client.put("/api/calendar/overrides", json=body, headers=bearer(app, "admin")).status_code == 200
    with Session(engine) as session:
        assert (
            session.exec(select(AuditLog.object_id).where(AuditLog.action == "calendar.override_set")).one()
            == "2099-10-01"
        )


def test_unreachable_firm_finding_proposes_an_abnormal_list_entry(
    app: Any, client: Any, engine: Any, drawn: Any
) -> None:
    from credit.models import ListEntry

    target = min(_targets_of(engine, "inspector"))
    body = {
        "category": "通过登记的住所（经营场所）无法联系",
        "findings": "两次上门均无法联系",
        "inspected_on": "2026-07-02",
    }
    assert (
        client.post(f"/api/assignments/{target}/result", json=body, headers=bearer(app, "inspector")).status_code == 201
    )
    with Session(engine) as session:  # recorded only: nothing follows before a teammate confirms it
        assert session.exec(select(ListEntry)).first() is None
    finish_visit(app, client, engine, target, "2026-07-02")
    with Session(engine) as session:
        entry = session.exec(select(ListEntry)).one()
    assert (entry.list_type, entry.state, entry.source_target_id) == ("ABNORMAL", "proposed", target)


def test_draw_and_task_listings_leave_the_frozen_files_in_the_database(client: Any, engine: Any, drawn: Any) -> None:
    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        for url in ("/api/draws", "/public/draws", "/public/plans", "/api/tasks/T1"):
            assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert statements and not [s for s in statements if "population_text" in s or "draw.record," in s]
    listed = client.get("/api/draws").get_json()[0]
    outcome = json.loads(drawn.record)["outcome"]
    assert (listed["selected"], listed["unstaffed"]) == (len(outcome["selected"]), len(outcome["unstaffed"]))
