"""A 核查 follows the enforcement loop: a 举报's 立案 opens a filed case that is decided and proposes the credit
entry, and a 投诉 found true is ordered corrected, its 复查 planned as a directed visit and, not corrected,
escalated to a case."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlmodel import Session, col, select

from credit.models import ListEntry
from inspections.disposals.models import Disposal, EnforcementCase
from scheduling.models import ScheduledVisit
from scheduling.services import build
from supervise.db import unit_of_work
from tests.casekit import ready_for_heavy_decision
from tests.conftest import bearer
from tests.test_complaint_workflow import TEAM, _post, _push, setting  # noqa: F401 - the fixture


def _checked(app: Any, client: Any, setting: dict[str, Any], ticket: str, category: str, **verdict: Any) -> str:  # noqa: F811
    base = f"/api/complaints/{ticket}"
    _push(app, client, setting, ticket_no=ticket, category=category)
    assert _post(app, client, "inspector", f"{base}/sign").status_code == 200
    accept = {"team": TEAM, "items": ["I-TS"]} | ({"decision": "受理"} if category == "投诉" else {})
    assert _post(app, client, "inspector", f"{base}/accept", **accept).status_code == 200
    p1, p2 = setting["points"]
    body = {"visited_on": "2026-12-02", "note": "现场发现过期食品", "points": {p1: "符合", p2: "不符合"}, **verdict}
    done = _post(app, client, "inspector", f"{base}/verify", **body)
    assert done.status_code == 200, done.get_json()
    return base


def test_a_reports_filing_opens_a_filed_case_whose_heavy_decision_proposes_the_credit_entry(
    app: Any,
    client: Any,
    engine: Any,
    setting: dict[str, Any],  # noqa: F811
    frozen_clock: Any,
) -> None:
    _checked(app, client, setting, "ZJ12345-20261201-0300", "举报", finding="属实", case_decision="立案",
             case_number="杭上市监立〔2026〕301号")  # fmt: skip
    with Session(engine) as session:
        disposal = session.exec(select(Disposal).where(col(Disposal.complaint_id).is_not(None))).one()
        case = session.exec(select(EnforcementCase).where(EnforcementCase.disposal_id == disposal.id)).one()
    assert disposal.kind == "case" and disposal.target_id is None and disposal.due is None
    assert case.decision_due.isoformat() == "2027-03-02"  # 90 days from 立案 (行政处罚法 第六十条)
    assert (case.status, case.case_number) == ("filed", "杭上市监立〔2026〕301号") and "要点2" in case.points
    listed = client.get("/api/disposals", headers=bearer(app, "supervisor")).get_json()
    assert any(d["number"] == disposal.number and d["case"]["status"] == "filed" for d in listed)
    # The 工单 page links 案件办理 to the case itself, and only for its handling inspector (others get no 403 link).
    from tests.conftest import login

    pages = {}
    for user in ("inspector", "supervisor"):
        reader = app.test_client()
        login(reader, user)
        pages[user] = reader.get("/complaints/ZJ12345-20261201-0300").get_data(as_text=True)
    assert f'/disposals/cases?case={case.id}">办理此案件' in pages["inspector"] and "立案查处" in pages["inspector"]
    handler = app.test_client()
    login(handler, "inspector")
    one_case = handler.get(f"/disposals/cases?case={case.id}").get_data(as_text=True)
    assert one_case.count('<section class="card" id="case-') == 1 and "本部门全部案件" in one_case
    assert "/disposals/cases" not in pages["supervisor"] and "杭上市监立〔2026〕301号" in pages["supervisor"]
    decision = {
        "decision_number": "杭上市监罚〔2026〕301号", "decided_on": "2026-12-02", "penalty_kind": "heavy",
        "content": "没收违法所得，罚款五万元", "amount": "50000", "serious_ground": True, "field": "食品",
    }  # fmt: skip
    day = ready_for_heavy_decision(app, client, frozen_clock, case.id, date(2026, 12, 2))
    decision["decided_on"] = day.isoformat()
    decided = client.post(f"/api/cases/{case.id}/decide", json=decision, headers=bearer(app, "inspector"))
    assert decided.status_code == 200, decided.get_json()
    with Session(engine) as session:
        entry = session.exec(select(ListEntry).where(ListEntry.list_type == "BLACK")).one()
    assert entry.enterprise_id == setting["enterprise_id"] and entry.state == "proposed"


def test_a_complaint_found_true_is_ordered_corrected_rechecked_in_the_schedule_and_escalated_when_not_corrected(
    app: Any,
    client: Any,
    engine: Any,
    setting: dict[str, Any],  # noqa: F811
    frozen_clock: Any,
) -> None:
    base = _checked(app, client, setting, "ZJ12345-20261201-0400", "投诉", finding="属实")
    bad = _post(app, client, "inspector", f"{base}/rectify", reason="销售过期食品", deadline_days=0)
    assert bad.status_code == 422 and bad.get_json()["fields"][0]["field"] == "deadline_days"
    ordered = _post(app, client, "inspector", f"{base}/rectify", reason="销售过期食品", legal_basis="《食品安全法》",
                    deadline_days=5)  # fmt: skip
    assert ordered.status_code == 200, ordered.get_json()
    again = _post(app, client, "inspector", f"{base}/rectify", reason="x", deadline_days=5)
    assert again.status_code == 200  # a second finding may be ordered corrected too
    with Session(engine) as session:
        rectify = session.exec(select(Disposal).where(Disposal.kind == "rectify").order_by(col(Disposal.id))).first()
    assert rectify is not None and rectify.notice_number and rectify.recheck_start and rectify.recheck_end
    with unit_of_work(engine) as session:
        build(session, region="330102", period="2026Q4", actor="test")
    with Session(engine) as session:
        visit = session.exec(select(ScheduledVisit).where(col(ScheduledVisit.tasks).contains(rectify.number))).one()
    assert visit.directed and visit.window_start >= rectify.recheck_start
    frozen_clock.set(datetime.combine(rectify.recheck_start, datetime.min.time(), UTC).replace(hour=2))
    body = {"outcome": "未改正", "checked_on": rectify.recheck_start.isoformat()}
    escalated = client.post(f"/api/disposals/{rectify.id}/recheck", json=body, headers=bearer(app, "inspector"))
    assert escalated.status_code == 200, escalated.get_json()
    with Session(engine) as session:
        case_disposal = session.get(Disposal, escalated.get_json()["escalated_to"])
        assert case_disposal is not None and case_disposal.complaint_id == rectify.complaint_id
        case = session.exec(select(EnforcementCase).where(EnforcementCase.disposal_id == case_disposal.id)).one()
    assert case.status == "received" and "销售过期食品" in case.points
