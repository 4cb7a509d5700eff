"""Recording against the checklists, by department, and review before publication (录入 → 同组确认 → 审核 → 公示)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlmodel import Session, col, select

from inspections.models import CheckPoint, InspectionItem, InspectionResult, PointResult, TeamMember
from supervise.db import unit_of_work
from supervise.models import AuditLog, Department, Inspector, User
from tests.conftest import bearer, csrf_token, login
from tests.drawkit import add_firms, ceremony, make_task

NOTHING = {"category": "未发现问题", "findings": "", "inspected_on": "2026-07-02"}


@pytest.fixture
def drawn(province: Any, engine: Any) -> Any:
    add_firms(engine, 30)
    make_task(engine, "T1", window=("2026-07-01", "2026-12-31"))
    return ceremony(engine, "T1")


def _reviewer(engine: Any, username: str, department: str) -> str:
    with unit_of_work(engine) as session:
        dept = session.exec(select(Department).where(Department.code == department)).one()
        session.add(
            User(username=username, display_name="审核员", password_hash="x", role="reviewer", department_id=dept.id)
        )
    return username


def _visit(app: Any, client: Any, engine: Any) -> tuple[int, str]:
    """The inspector's first visit and the username of the teammate from the other department."""
    target = int(client.get("/api/assignments", headers=bearer(app, "inspector")).get_json()[0]["target_id"])
    with Session(engine) as session:
        mate = session.exec(
            select(User.username)
            .join(Inspector, col(Inspector.user_id) == col(User.id))
            .join(TeamMember, col(TeamMember.inspector_id) == col(Inspector.id))
            .where(TeamMember.target_id == target, User.username != "inspector")
        ).one()
    return target, mate


def _points(engine: Any, kind: str = "SCJG", n: int = 3) -> list[int]:
    with unit_of_work(engine) as session:
        item = session.exec(select(InspectionItem).where(InspectionItem.code == f"I-{kind}")).one()
        points = [
            CheckPoint(
                item_id=item.id, seq=i, text=f"要点{i}", legal_basis="《企业信息公示暂行条例》", criterion="如实公示"
            )
            for i in range(1, n + 1)
        ]
        session.add_all(points)
        session.flush()
        return [p.id for p in points]


def _record(client: Any, app: Any, target: int, user: str, body: dict[str, Any] = NOTHING) -> Any:
    return client.post(f"/api/assignments/{target}/result", json=body, headers=bearer(app, user))


def _state(client: Any, app: Any, target: int) -> str:
    return str(client.get(f"/api/assignments/{target}", headers=bearer(app, "inspector")).get_json()["state"])


def test_the_joint_visit_is_complete_only_when_every_department_has_recorded(
    app: Any, client: Any, engine: Any, drawn: Any
) -> None:
    target, mate = _visit(app, client, engine)
    reviewer = bearer(app, _reviewer(engine, "rev", "330102-SCJG"))
    assert _record(client, app, target, "inspector").status_code == 201
    assert _state(client, app, target) == "录入中"
    assert client.post(f"/api/assignments/{target}/confirm", headers=bearer(app, mate)).status_code == 200
    refused = client.post(f"/api/results/{target}/publish", headers=reviewer)
    assert refused.status_code == 409 and "录入中" in refused.get_json()["message"]
    assert _record(client, app, target, mate).status_code == 201
    assert _state(client, app, target) == "待确认"
    assert _record(client, app, target, mate).status_code == 409  # one part per department
    view = client.post(f"/api/assignments/{target}/confirm", headers=bearer(app, "inspector")).get_json()
    assert view["state"] == "待审核" and view["result"]["confirmed"]
    assert [p["department"] for p in view["result"]["parts"]] == [
        "杭州市上城区市场监督管理局",
        "杭州市上城区卫生健康局",
    ]


def test_a_result_cannot_be_published_before_confirmation_and_review(
    app: Any, client: Any, engine: Any, drawn: Any
) -> None:
    target, mate = _visit(app, client, engine)
    reviewer = bearer(app, _reviewer(engine, "rev", "330102-SCJG"))
    assert _record(client, app, target, "inspector").status_code == 201
    assert _record(client, app, target, mate).status_code == 201
    unconfirmed = client.post(f"/api/results/{target}/publish", headers=reviewer)
    assert unconfirmed.status_code == 409 and "待确认" in unconfirmed.get_json()["message"]
    for who in (mate, "inspector"):
        assert client.post(f"/api/assignments/{target}/confirm", headers=bearer(app, who)).status_code == 200
    assert client.post(f"/api/results/{target}/publish", headers=bearer(app, "credit")).status_code == 403
    assert client.post(f"/api/results/{target}/publish", headers=bearer(app, "admin")).status_code == 403
    assert client.get("/api/results").get_json() == []
    assert client.post(f"/api/results/{target}/publish", headers=reviewer).status_code == 200
    assert client.post(f"/api/results/{target}/publish", headers=reviewer).status_code == 409
    assert len(client.get("/api/results").get_json()) == 1
    assert _state(client, app, target) == "已公示"


def test_the_category_must_agree_with_the_points_and_every_point_is_recorded(
    app: Any, client: Any, engine: Any, drawn: Any
) -> None:
    target, _mate = _visit(app, client, engine)
    a, b, c = _points(engine)
    points = [{"point_id": a, "outcome": "符合"}, {"point_id": b, "outcome": "不符合", "note": "未公示年报"}]
    missing = _record(client, app, target, "inspector", {**NOTHING, "points": points})
    assert missing.status_code == 422 and missing.get_json()["fields"][0]["field"] == "points"
    assert "要点3" in missing.get_json()["message"]
    points.append({"point_id": c, "outcome": "不适用"})
    contradicts = _record(client, app, target, "inspector", {**NOTHING, "points": points})
    assert contradicts.status_code == 422 and contradicts.get_json()["fields"][0]["field"] == "category"
    assert "不符合" in contradicts.get_json()["message"]
    no_finding = [{**p, "outcome": "符合"} for p in points]
    follow_up = {**NOTHING, "category": "发现问题待后续处理", "points": no_finding}
    assert _record(client, app, target, "inspector", follow_up).get_json()["fields"][0]["field"] == "category"
    bad = {**NOTHING, "points": [*points[:2], {"point_id": c, "outcome": "大概"}]}
    assert _record(client, app, target, "inspector", bad).status_code == 422
    with Session(engine) as session:
        assert session.exec(select(InspectionResult)).all() == [] and session.exec(select(PointResult)).all() == []
    ok = _record(client, app, target, "inspector", {**NOTHING, "category": "发现问题待后续处理", "points": points})
    assert ok.status_code == 201, ok.get_json()
    recorded = {p["id"]: (p["outcome"], p["note"]) for p in ok.get_json()["items"][0]["points"]}
    assert recorded == {a: ("符合", ""), b: ("不符合", "未公示年报"), c: ("不适用", "")}


def test_another_departments_points_are_refused(app: Any, client: Any, engine: Any, drawn: Any) -> None:
    target, _mate = _visit(app, client, engine)
    (theirs,) = _points(engine, "WSJK", 1)
    body = {**NOTHING, "points": [{"point_id": theirs, "outcome": "符合"}]}
    refused = _record(client, app, target, "inspector", body)
    assert refused.status_code == 422 and "不属于本部门" in refused.get_json()["message"]


def test_a_returned_result_is_corrected_and_confirmed_again_before_publication(
    app: Any, client: Any, engine: Any, drawn: Any
) -> None:
    target, mate = _visit(app, client, engine)
    reviewer = bearer(app, _reviewer(engine, "rev", "330102-SCJG"))
    assert _record(client, app, target, "inspector").status_code == 201
    assert _record(client, app, target, mate).status_code == 201
    for who in (mate, "inspector"):
        client.post(f"/api/assignments/{target}/confirm", headers=bearer(app, who))
    empty = client.post(f"/api/results/{target}/return", json={"reason": " "}, headers=reviewer)
    assert empty.status_code == 422 and empty.get_json()["fields"][0]["field"] == "reason"
    reason = "检查情况未写明核查的经营场所"
    assert client.post(f"/api/results/{target}/return", json={"reason": reason}, headers=reviewer).status_code == 200
    view = client.get(f"/api/assignments/{target}", headers=bearer(app, "inspector")).get_json()
    assert view["state"] == "已退回" and view["result"]["return_reason"] == reason and view["result"]["can_correct"]
    home = app.test_client()
    login(home, "inspector")  # the return is the first thing on the inspector's home page, not only under 已结束
    assert "审核退回、待更正的检查结果" in home.get("/").get_data(as_text=True)
    assert client.post(f"/api/results/{target}/publish", headers=reviewer).status_code == 409
    fixed = {"category": "未发现问题", "findings": "核查了登记住所，经营场所与登记一致"}
    corrected = client.put(f"/api/assignments/{target}/result", json=fixed, headers=bearer(app, "inspector"))
    assert corrected.status_code == 200 and corrected.get_json()["state"] == "待确认"
    again = client.put(f"/api/assignments/{target}/result", json=fixed, headers=bearer(app, "inspector"))
    assert again.status_code == 409  # only a returned result is corrected
    assert client.post(f"/api/assignments/{target}/confirm", headers=bearer(app, mate)).status_code == 200
    assert client.post(f"/api/results/{target}/publish", headers=reviewer).status_code == 200
    with Session(engine) as session:
        actions = session.exec(
            select(AuditLog.action).where(col(AuditLog.action).startswith("result.")).order_by(col(AuditLog.id))
        ).all()
        result = session.exec(select(InspectionResult)).one()
    assert actions[-4:] == ["result.returned", "result.corrected", "result.confirmed", "result.published"]
    assert result.findings == fixed["findings"] and result.return_reason == reason


def test_an_inspector_cannot_review_and_another_departments_reviewer_gets_403(
    app: Any, client: Any, engine: Any, drawn: Any
) -> None:
    target, mate = _visit(app, client, engine)
    _record(client, app, target, "inspector")
    _record(client, app, target, mate)
    for who in (mate, "inspector"):
        client.post(f"/api/assignments/{target}/confirm", headers=bearer(app, who))
    assert client.post(f"/api/results/{target}/publish", headers=bearer(app, "inspector")).status_code == 403
    assert client.get("/api/review", headers=bearer(app, "inspector")).status_code == 403
    for name, dept in (("health", "330102-WSJK"), ("elsewhere", "330106-SCJG")):
        other = bearer(app, _reviewer(engine, name, dept))
        refused = client.post(f"/api/results/{target}/publish", headers=other)
        assert refused.status_code == 403 and "杭州市上城区市场监督管理局" in refused.get_json()["message"]
        assert client.post(f"/api/results/{target}/return", json={"reason": "x"}, headers=other).status_code == 403
        assert client.get("/api/review", headers=other).get_json() == []
    lead = bearer(app, _reviewer(engine, "rev", "330102-SCJG"))
    assert [r["target_id"] for r in client.get("/api/review", headers=lead).get_json()] == [target]


def test_the_publication_deadline_counts_from_the_inspection_date_and_late_recording_is_flagged(
    app: Any, client: Any, engine: Any, drawn: Any, frozen_clock: Any
) -> None:
    frozen_clock.set(datetime(2026, 10, 12, 2, tzinfo=UTC))  # Monday 12 October, after the National Day holiday
    target, _mate = _visit(app, client, engine)
    body = {**NOTHING, "inspected_on": "2026-09-28"}
    view = _record(client, app, target, "inspector", body).get_json()["result"]
    # Working days after 28 September: 29, 30 September; 1-7 October are the holiday; 8, 9 and Saturday 10
    # October (a 调休 working day) are the 3rd-5th; the 20th is 30 October. Recorded on 12 October: late.
    assert view["record_due"] == "2026-10-10" and view["recorded_late"] is True
    assert view["publish_due"] == "2026-10-30"
    reviewer = bearer(app, _reviewer(engine, "rev", "330102-SCJG"))
    assert client.get("/api/review", headers=reviewer).get_json()[0]["recorded_late"] is True


def test_the_reviewer_queue_shows_overdue_results_first_and_returns_through_the_page(
    app: Any, client: Any, engine: Any, drawn: Any, frozen_clock: Any
) -> None:
    frozen_clock.set(datetime(2026, 12, 1, 2, tzinfo=UTC))
    targets = [a["target_id"] for a in client.get("/api/assignments", headers=bearer(app, "inspector")).get_json()]
    _record(client, app, targets[0], "inspector", {**NOTHING, "inspected_on": "2026-11-30"})
    _record(client, app, targets[1], "inspector", {**NOTHING, "inspected_on": "2026-07-02"})
    _reviewer(engine, "rev", "330102-SCJG")
    with unit_of_work(engine) as session:
        session.exec(select(User).where(User.username == "rev")).one().password_hash = _hash()
    login(client, "rev")
    page = client.get("/inspections/review").get_data(as_text=True)
    assert page.index("已超期") < page.index("2026-11-30")  # the overdue July visit comes first
    detail = client.get(f"/inspections/review/{targets[1]}").get_data(as_text=True)
    assert "录入中" in detail and "审核通过并公示" not in detail  # not yet every department
    assert client.get(f"/inspections/my/{targets[1]}").status_code == 403
    overdue = client.get("/inspections/review?overdue=1").get_data(as_text=True)
    assert "2026-07-02" in overdue and "2026-11-30" not in overdue
    import io

    from openpyxl import load_workbook

    sheet = client.get("/inspections/review.xlsx?overdue=1")
    rows = list(load_workbook(io.BytesIO(sheet.data)).active.iter_rows(values_only=True))
    assert rows[0][0] == "企业名称" and [r[4] for r in rows[1:]] == ["2026-07-02"] and rows[1][6] == "是"


def _hash() -> str:
    from supervise.auth import hash_password
    from tests.conftest import PASSWORD

    return hash_password(PASSWORD)


def test_the_visit_page_offers_confirmation_only_to_a_teammate_who_did_not_record(
    app: Any, client: Any, engine: Any, drawn: Any
) -> None:
    target, mate = _visit(app, client, engine)
    (point,) = _points(engine, n=1)
    login(client, "inspector")
    page = f"/inspections/my/{target}"
    form = client.get(page).get_data(as_text=True)
    assert f'name="point-{point}"' in form and "录入本部门的检查记录" in form
    resp = client.post(
        f"{page}/result",
        data={"csrf_token": csrf_token(client, page), "category": "未发现问题", "findings": "",
              "inspected_on": "2026-07-02", f"point-{point}": "符合", f"note-{point}": "已查验"},
    )  # fmt: skip
    assert resp.status_code == 302, resp.get_data(as_text=True)[:300]
    mine = client.get(page).get_data(as_text=True)
    assert "确认（检查组其他成员）" not in mine and "已查验" in mine
    client.get("/logout")
    login(client, mate)
    theirs = client.get(page).get_data(as_text=True)
    assert "确认（检查组其他成员）" in theirs and f'name="point-{point}"' not in theirs  # WSJK records its own
