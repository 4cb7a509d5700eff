"""The 工单's way from 签收 to 答复: routing and override, the handling officer, the 核查 as a directed visit,
the finding's effect on the tier, the platform's poll, and each step taken once."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlmodel import Session, col, select

from inspections.complaints.models import Complaint
from inspections.models import CheckPoint, InspectionItem
from scheduling.models import ScheduledVisit
from scheduling.services import build
from supervise.db import unit_of_work
from supervise.models import AuditLog, Department, Enterprise, User
from tests.conftest import bearer
from tests.test_complaints import TICKET
from tests.test_exactly_once import at_once, statuses

TEAM = ["330102010001", "330102010002"]


@pytest.fixture
def setting(app: Any, province: Any, engine: Any, frozen_clock: Any) -> dict[str, Any]:
    """A 330102 firm, an item of 市场监管 with two 检查要点, the platform account; Wednesday 2 December 10:00."""
    frozen_clock.set(datetime(2026, 12, 2, 2, 0, tzinfo=UTC))
    with unit_of_work(engine) as session:
        session.add(User(username="platform12345", display_name="12345平台", password_hash="x", role="hotline"))
        ent = session.exec(
            select(Enterprise).where(Enterprise.region_code == "330102").order_by(col(Enterprise.id))
        ).first()
        assert ent is not None
        item = InspectionItem(code="I-TS", department_kind="SCJG", name="食品经营检查", legal_basis="《食品安全法》",
                              scope_industries="H62")  # fmt: skip
        session.add(item)
        session.flush()
        points = [
            CheckPoint(item_id=item.id or 0, seq=n, text=f"要点{n}", legal_basis="《食品安全法》", criterion="符合")
            for n in (1, 2)
        ]
        session.add_all(points)
        session.flush()
        return {"uscc": ent.uscc, "enterprise_id": ent.id, "points": [str(p.id) for p in points]}


def _push(app: Any, client: Any, setting: dict[str, Any], **changes: Any) -> dict[str, Any]:
    body = {**TICKET, "received_at": "2026-12-01T09:00:00+08:00", "uscc": setting["uscc"], **changes}
    response = client.post("/api/complaints", json=body, headers=bearer(app, "platform12345"))
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _post(app: Any, client: Any, user: str, path: str, **body: Any) -> Any:
    return client.post(path, json=body, headers=bearer(app, user))


def test_a_ticket_is_routed_by_the_rules_and_an_override_records_its_reason(
    app: Any, client: Any, engine: Any, setting: dict[str, Any]
) -> None:
    pushed = _push(app, client, setting)
    assert pushed["department"] and pushed["route_rule"] == "投诉·线下经营→第十二条第一款"
    url = f"/api/complaints/{TICKET['ticket_no']}/route"
    assert _post(app, client, "inspector", url, department_code="330102-WSJK", reason="x").status_code == 403
    missing = _post(app, client, "supervisor", url, department_code="330102-WSJK", reason="")
    assert missing.status_code == 422 and missing.get_json()["fields"][0]["field"] == "reason"
    unknown = _post(app, client, "supervisor", url, department_code="卫健局", reason="涉及餐饮具消毒")
    assert unknown.status_code == 422 and "请从列表中选择" in unknown.get_json()["message"]
    with Session(engine) as session:  # the picker searches by name; a name typed in full is taken as well
        health = session.exec(select(Department.name).where(Department.code == "330102-WSJK")).one()
    moved = _post(app, client, "supervisor", url, department_code=health, reason="涉及餐饮具消毒，属卫健职责")
    assert moved.status_code == 200, moved.get_json()
    assert (moved.get_json()["route_rule"], moved.get_json()["route_reason"]) == (
        "manual",
        "涉及餐饮具消毒，属卫健职责",
    )
    # Now the 市场监管 officers neither see nor sign it.
    assert client.get("/api/complaints", headers=bearer(app, "inspector")).get_json() == []
    assert _post(app, client, "inspector", f"/api/complaints/{TICKET['ticket_no']}/sign").status_code == 403
    with Session(engine) as session:
        logged = session.exec(select(AuditLog).where(AuditLog.action == "complaint.rerouted")).all()
        dept = session.exec(select(Department).where(Department.code == "330102-WSJK")).one()
        assert session.exec(select(Complaint)).one().department_id == dept.id
    assert len(logged) == 1 and "涉及餐饮具消毒" in logged[0].payload


def test_a_report_goes_from_signing_through_a_directed_visit_and_a_filed_case_to_the_reply(
    app: Any, client: Any, engine: Any, setting: dict[str, Any]
) -> None:
    ticket = "ZJ12345-20261201-0100"
    _push(app, client, setting, ticket_no=ticket, category="举报")
    base = f"/api/complaints/{ticket}"
    assert _post(app, client, "credit", f"{base}/sign").status_code == 403
    responses = at_once(app, 8, lambda c: c.post(f"{base}/sign", headers=bearer(app, "inspector")))
    assert statuses(responses) == {200: 1, 409: 7}, [r.get_json() for r in responses]
    # The handling officer sees the contact; a colleague of the same department sees it masked.
    mine = client.get(base, headers=bearer(app, "inspector")).get_json()
    theirs = client.get(base, headers=bearer(app, "inspector2")).get_json()
    assert (mine["complainant_phone"], theirs["complainant_phone"]) == ("13812345678", "138****5678")
    assert mine["next_step"] == "核查并决定是否立案" and mine["next_due"] == "2026-12-22"
    lonely = _post(app, client, "inspector", f"{base}/accept", team=TEAM[:1], items=["I-TS"])
    assert lonely.status_code == 422 and lonely.get_json()["fields"][0]["field"] == "team"
    started = _post(app, client, "inspector", f"{base}/accept", team=TEAM, items=["I-TS"])
    assert started.status_code == 200 and started.get_json()["state_label"] == "核查中"
    assert started.get_json()["check_window"] == ["2026-12-02", "2026-12-22"]

    # The 核查 is a directed visit in the quarter's joint schedule, staffed by the chosen team.
    with unit_of_work(engine) as session:
        build(session, region="330102", period="2026Q4", actor="test")
    with Session(engine) as session:
        visits = session.exec(select(ScheduledVisit).where(col(ScheduledVisit.tasks).contains(ticket))).all()
    assert len(visits) == 1 and visits[0].directed and visits[0].enterprise_id == setting["enterprise_id"]
    assert visits[0].items == "I-TS" and visits[0].status == "scheduled"

    p1, p2 = setting["points"]
    # The page's 核查 form starts every point at 请选择: a point nobody looked at is refused, never 符合.
    from tests.conftest import csrf_token, login

    page_client = app.test_client()
    login(page_client, "inspector")
    page = page_client.get(f"/complaints/{ticket}").get_data(as_text=True)
    assert f'<select name="point-{p1}" required><option value="">请选择</option>' in page
    blank = page_client.post(
        f"/complaints/{ticket}/verify",
        data={"visited_on": "2026-12-02", "finding": "属实", "note": "现场检查", f"point-{p1}": "",
              f"point-{p2}": "不符合", "case_decision": "立案", "case_number": "杭上市监立〔2026〕301号",
              "csrf_token": csrf_token(page_client, f"/complaints/{ticket}")},
        headers={"Referer": f"http://localhost/complaints/{ticket}"}, follow_redirects=True,
    )  # fmt: skip
    assert "还有 1 个检查要点未记录结论" in blank.get_data(as_text=True)
    check = {"visited_on": "2026-12-02", "note": "现场检查发现过期食品", "points": {p1: "符合", p2: "不符合"}}
    denied = _post(app, client, "inspector", f"{base}/verify", finding="不属实", case_decision="不予立案", **check)
    assert denied.status_code == 422 and denied.get_json()["fields"][0]["field"] == "finding"
    unnumbered = _post(app, client, "inspector", f"{base}/verify", finding="属实", case_decision="立案", **check)
    assert unnumbered.status_code == 422 and unnumbered.get_json()["fields"][0]["field"] == "case_number"
    half = _post(app, client, "inspector", f"{base}/verify", finding="属实", case_decision="立案",
                 case_number="杭上市监立〔2026〕301号", **{**check, "points": {p1: "符合"}})  # fmt: skip
    assert half.status_code == 422 and half.get_json()["fields"][0]["field"] == "points"
    done = _post(app, client, "inspector", f"{base}/verify", finding="属实", case_decision="立案",
                 case_number="杭上市监立〔2026〕301号", **check)  # fmt: skip
    assert done.status_code == 200, done.get_json()
    assert (done.get_json()["case_decision"], done.get_json()["case_number"]) == ("立案", "杭上市监立〔2026〕301号")
    with Session(engine) as session:
        ent = session.get(Enterprise, setting["enterprise_id"])
        assert ent is not None and ent.risk_tier == "C"  # a substantiated 举报 raises the tier

    poll = client.get(f"{base}/status", headers=bearer(app, "platform12345"))
    assert (
        poll.status_code == 200 and poll.get_json()["state_label"] == "已核查" and poll.get_json()["reply_text"] is None
    )
    early = _post(app, client, "inspector", f"{base}/reply", channel="电话", reply="已立案查处")
    assert early.status_code == 409 and "已核查" in early.get_json()["message"]
    # 实名举报: told whether a case was filed within 5 working days of the decision (第三十一条第二款)
    assert done.get_json()["notice_due"] == "2026-12-09" and done.get_json()["noticed_on"] is None
    untold = _post(app, client, "inspector", f"{base}/close", note="已立案，依法查处")
    assert untold.status_code == 409 and "第三十一条第二款" in untold.get_json()["message"]
    told = _post(app, client, "inspector", f"{base}/reporter-notice", notified_on="2026-12-02", channel="电话")
    assert told.status_code == 200 and told.get_json()["noticed_on"] == "2026-12-02"
    closed = _post(app, client, "inspector", f"{base}/close", note="已立案，依法查处").get_json()
    assert (closed["state_label"], closed["next_step"]) == ("已办结", "答复")  # the 答复 is due within the 办结 period
    assert closed["next_due"] == closed["due"]["close"]
    replies = at_once(
        app, 6, lambda c: c.post(f"{base}/reply", json={"channel": "电话", "reply": "您举报的问题属实，已立案查处"},
                                 headers=bearer(app, "inspector"))
    )  # fmt: skip
    assert statuses(replies) == {200: 1, 409: 5}
    polled = client.get(f"{base}/status", headers=bearer(app, "platform12345")).get_json()
    assert (polled["state"], polled["reply_channel"], polled["reply_text"]) == (
        "replied",
        "电话",
        "您举报的问题属实，已立案查处",
    )
    with Session(engine) as session:
        actions = session.exec(
            select(AuditLog.action).where(AuditLog.object_id == ticket).order_by(col(AuditLog.id))
        ).all()
        payloads = session.exec(select(AuditLog.payload).where(AuditLog.object_id == ticket)).all()
    assert actions == ["complaint.received", "complaint.signed", "complaint.accepted", "complaint.verified",
                       "complaint.reporter_noticed", "complaint.closed", "complaint.replied"]  # fmt: skip
    assert all("13812345678" not in p for p in payloads)


def test_a_complaint_not_accepted_needs_a_ground_of_article_15_and_is_still_answered(
    app: Any, client: Any, setting: dict[str, Any]
) -> None:
    _push(app, client, setting)
    base = f"/api/complaints/{TICKET['ticket_no']}"
    assert _post(app, client, "inspector", f"{base}/accept", decision="不予受理").status_code == 409  # not signed
    assert _post(app, client, "inspector", f"{base}/sign").status_code == 200
    bare = _post(app, client, "inspector", f"{base}/accept", decision="不予受理")
    assert bare.status_code == 422 and bare.get_json()["fields"][0]["field"] == "ground"  # 第十五条's six, a choice
    other = _post(app, client, "inspector", f"{base}/accept", decision="不予受理", ground="6")
    assert other.status_code == 422 and other.get_json()["fields"][0]["field"] == "reason"
    no_decision = _post(app, client, "inspector", f"{base}/accept")
    assert no_decision.status_code == 409 and "受理或者不予受理" in no_decision.get_json()["message"]
    refused = _post(
        app, client, "inspector", f"{base}/accept", decision="不予受理", ground="2", reason="已由消费者协会调解处理"
    )
    assert refused.get_json()["state_label"] == "不予受理" and refused.get_json()["next_step"] == "办结"
    assert refused.get_json()["reject_ground"].startswith("第十五条第（二）项：法院、仲裁机构")
    assert _post(app, client, "inspector", f"{base}/close", note="不予受理，已告知").status_code == 200
    assert (
        _post(app, client, "inspector", f"{base}/reply", channel="短信", reply="不予受理，理由已告知").status_code
        == 200
    )


def test_a_second_complaint_about_the_same_firm_within_a_year_is_flagged_as_a_repeat(
    app: Any, client: Any, setting: dict[str, Any]
) -> None:
    first = _push(app, client, setting)
    second = _push(app, client, setting, ticket_no="ZJ12345-20261201-0200", received_at="2026-12-01T15:00:00+08:00")
    assert first["repeat"] is False and second["repeat"] is True
    listed = {
        r["ticket_no"]: r["repeat"] for r in client.get("/api/complaints", headers=bearer(app, "supervisor")).get_json()
    }
    assert listed == {TICKET["ticket_no"]: False, "ZJ12345-20261201-0200": True}
