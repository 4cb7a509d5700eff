"""后续处置: every finding followed to closure, with working-day deadlines across the National Day holiday."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime
from typing import Any

import pytest
from pypdf import PdfReader
from sqlmodel import Session, col, select

from credit.models import ListEntry, PenaltyInfo
from inspections.disposals.models import Disposal, EnforcementCase
from inspections.models import TeamMember
from scheduling.models import ScheduledVisit
from scheduling.services import build
from supervise.db import unit_of_work
from supervise.models import AuditLog, Department, Inspector, User
from tests.casekit import inform, ready_for_heavy_decision
from tests.conftest import Runner, bearer
from tests.drawkit import add_firms, ceremony, finish_visit, make_task
from tests.test_exactly_once import at_once, statuses

MONDAY_28_SEPTEMBER = datetime(2026, 9, 28, 2, tzinfo=UTC)  # 10:00 in Beijing, before the National Day holiday
FINDING = {"category": "发现问题待后续处理", "findings": "进货查验记录缺失", "inspected_on": "2026-09-28"}


@pytest.fixture
def visit(app: Any, client: Any, province: Any, engine: Any, frozen_clock: Any) -> dict[str, Any]:
    """A joint visit whose 市场监管 part found a 不符合 point and whose 卫健 part found nothing."""
    add_firms(engine, 30)
    make_task(engine, "T1", window=("2026-07-01", "2026-12-31"))
    ceremony(engine, "T1")
    points = "item_code,seq,text,legal_basis,criterion\nI-SCJG,1,落实进货查验并记录,《食品安全法》,记录完整\n"
    client.post(
        "/api/items/checklists", data={"file": (io.BytesIO(points.encode()), "p.csv")},
        headers=bearer(app, "admin"), content_type="multipart/form-data",
    )  # fmt: skip
    frozen_clock.set(MONDAY_28_SEPTEMBER)
    first = client.get("/api/assignments", headers=bearer(app, "inspector")).get_json()[0]
    target, point = first["target_id"], first["items"][0]["points"][0]["id"]
    with Session(engine) as session:
        mate = session.exec(
            select(User.username)
            .join(Inspector, col(Inspector.user_id) == col(User.id))
            .join(TeamMember, col(TeamMember.inspector_id) == col(Inspector.id))
            .where(TeamMember.target_id == target, User.username != "inspector")
        ).one()
    body = {**FINDING, "points": [{"point_id": point, "outcome": "不符合", "note": "无进货查验记录"}]}
    assert (
        client.post(f"/api/assignments/{target}/result", json=body, headers=bearer(app, "inspector")).status_code == 201
    )
    nothing = {"category": "未发现问题", "findings": "", "inspected_on": "2026-09-28"}
    assert client.post(f"/api/assignments/{target}/result", json=nothing, headers=bearer(app, mate)).status_code == 201
    return {"target": target, "mate": mate}


def _dispose(app: Any, client: Any, target: int, **body: Any) -> Any:
    return client.post(f"/api/assignments/{target}/disposals", json=body, headers=bearer(app, "inspector"))


def _state(app: Any, client: Any, target: int) -> str:
    return str(client.get(f"/api/assignments/{target}", headers=bearer(app, "inspector")).get_json()["state"])


def _user(engine: Any, username: str, role: str, department: str) -> str:
    with unit_of_work(engine) as session:
        dept = session.exec(select(Department).where(Department.code == department)).one()
        session.add(User(username=username, display_name=username, password_hash="x", role=role, department_id=dept.id))
    return username


def test_a_finding_waits_for_its_disposal_and_no_disposal_needs_a_reason(
    app: Any, client: Any, engine: Any, visit: dict[str, Any]
) -> None:
    target = visit["target"]
    assert _state(app, client, target) == "待处置"
    blank = _dispose(app, client, target, kind="none", reason=" ")
    assert blank.status_code == 422 and blank.get_json()["fields"][0]["field"] == "reason"
    done = _dispose(app, client, target, kind="none", reason="当场已补齐进货查验记录，情节轻微")
    assert done.status_code == 201 and done.get_json()["status"] == "closed" and done.get_json()["closed_at"]
    assert _state(app, client, target) == "待确认"
    assert _dispose(app, client, target, kind="none", reason="x").status_code == 201  # several disposals may follow
    other = client.post(
        f"/api/assignments/{target}/disposals", json={"kind": "none", "reason": "x"}, headers=bearer(app, "inspector2")
    )
    assert other.status_code == 403  # not on the team


def test_a_rectification_is_due_in_working_days_across_the_holiday_and_its_recheck_is_scheduled_and_closes_it(
    app: Any, client: Any, engine: Any, visit: dict[str, Any], frozen_clock: Any
) -> None:
    target = visit["target"]
    assert (
        _dispose(app, client, target, kind="rectify", reason="补建进货查验记录").get_json()["fields"][0]["field"]
        == "deadline_days"
    )
    made = _dispose(
        app,
        client,
        target,
        kind="rectify",
        reason="补建进货查验记录",
        deadline_days=5,
        legal_basis="《中华人民共和国食品安全法》",
    )
    assert made.status_code == 201, made.get_json()
    d = made.get_json()
    # 5 working days after Monday 28 September: 29, 30 September, then 1-7 October are the holiday; 8, 9 and
    # Saturday 10 October (a 调休 working day). The recheck window runs 5 working days more: 12-16 October.
    assert d["recheck"]["window_start"] == "2026-10-10" and d["recheck"]["window_end"] == "2026-10-16"
    assert d["due"] == "2026-10-16" and d["notice_number"] == "杭上市监责改〔2026〕1号"  # the department's 代字
    with unit_of_work(engine) as session:
        build(session, region="330102", period="2026Q4", actor="test")
    with Session(engine) as session:
        rechecks = session.exec(select(ScheduledVisit).where(col(ScheduledVisit.tasks).contains(d["number"]))).all()
    assert len(rechecks) == 1 and rechecks[0].directed
    assert (rechecks[0].window_start.isoformat(), rechecks[0].window_end.isoformat()) == ("2026-10-10", "2026-10-16")
    assert rechecks[0].day is not None and "2026-10-10" <= rechecks[0].day.isoformat() <= "2026-10-16"
    frozen_clock.set(datetime(2026, 10, 12, 2, tzinfo=UTC))
    body = {"outcome": "已改正", "checked_on": "2026-10-12", "note": "已补建记录"}
    closed = client.post(f"/api/disposals/{d['id']}/recheck", json=body, headers=bearer(app, "inspector"))
    assert closed.status_code == 200 and closed.get_json()["status"] == "closed"
    assert closed.get_json()["recheck"]["outcome"] == "已改正"
    again = client.post(f"/api/disposals/{d['id']}/recheck", json=body, headers=bearer(app, "inspector"))
    assert again.status_code == 409
    with unit_of_work(engine) as session:
        build(session, region="330102", period="2026Q4", actor="test")
    with Session(engine) as session:
        assert session.exec(select(ScheduledVisit).where(col(ScheduledVisit.tasks).contains(d["number"]))).all() == []


def test_an_unfixed_rectification_goes_to_a_case_that_files_decides_a_heavy_penalty_and_proposes_a_listing(
    app: Any, client: Any, engine: Any, visit: dict[str, Any], frozen_clock: Any
) -> None:
    target, mate = visit["target"], visit["mate"]
    d = _dispose(app, client, target, kind="rectify", reason="补建进货查验记录", deadline_days=5).get_json()
    frozen_clock.set(datetime(2026, 10, 12, 2, tzinfo=UTC))
    body = {"outcome": "未改正", "checked_on": "2026-10-12"}
    escalated = client.post(f"/api/disposals/{d['id']}/recheck", json=body, headers=bearer(app, "inspector")).get_json()
    assert escalated["status"] == "escalated" and escalated["escalated_to"]
    with Session(engine) as session:
        case_disposal = session.get(Disposal, escalated["escalated_to"])
        case = session.exec(select(EnforcementCase).where(EnforcementCase.disposal_id == case_disposal.id)).one()
    # 15 working days from Monday 12 October: 13-16, 19-23, 26-30 October and Monday 2 November.
    assert case.filing_due.isoformat() == "2026-11-02" and "无进货查验记录" in case.points
    me = bearer(app, "inspector")
    filed = {"case_number": "杭上市监案〔2026〕88号", "filed_on": "2026-10-12"}
    assert client.post(f"/api/cases/{case.id}/file", json=filed, headers=bearer(app, mate)).status_code == 403
    assert client.post(f"/api/cases/{case.id}/file", json=filed, headers=me).status_code == 200
    decision = {
        "decision_number": "杭上市监罚〔2026〕88号", "decided_on": "2026-10-12", "penalty_kind": "heavy",
        "content": "责令停业整顿，罚款十万元", "amount": "100000", "serious_ground": True, "field": "食品",
    }  # fmt: skip
    untold = client.post(f"/api/cases/{case.id}/decide", json=decision, headers=me)
    assert untold.status_code == 422 and "第四十四条" in untold.get_json()["message"]
    day = ready_for_heavy_decision(app, client, frozen_clock, case.id, date(2026, 10, 12))
    assert day.isoformat() == "2026-10-20"  # the 听证 window: 5 working days after Monday 12 October
    decided = client.post(f"/api/cases/{case.id}/decide", json={**decision, "decided_on": "2026-10-20"}, headers=me)
    assert decided.status_code == 200, decided.get_json()
    with Session(engine) as session:
        penalty = session.exec(
            select(PenaltyInfo).where(PenaltyInfo.decision_number == decision["decision_number"])
        ).one()
        entry = session.exec(select(ListEntry).where(ListEntry.list_type == "BLACK")).one()
    assert penalty.publish_due.isoformat() == "2026-11-17"  # 20 working days after 20 October
    assert entry.penalty_number == decision["decision_number"] and entry.state == "proposed"
    assert decided.get_json()["case"]["entry_id"] == entry.id
    assert client.post(f"/api/cases/{case.id}/fulfil", json={"on": "2026-10-20"}, headers=me).status_code == 422
    # A published decision is served with the written notice that it will be published (45号令 第八条).
    unnoticed = client.post(f"/api/cases/{case.id}/serve", json={"on": "2026-10-20"}, headers=me)
    assert unnoticed.status_code == 422 and unnoticed.get_json()["fields"][0]["field"] == "publication_notified"
    served = {"on": "2026-10-20", "publication_notified": True}
    assert client.post(f"/api/cases/{case.id}/serve", json=served, headers=me).status_code == 200
    closed = client.post(f"/api/cases/{case.id}/fulfil", json={"on": "2026-10-20"}, headers=me).get_json()
    assert closed["status"] == "closed" and closed["case"]["status"] == "closed" and closed["due"] is None
    assert closed["case"]["decision_due"] == "2027-01-10"  # 90 days from 立案 (第六十条)
    with Session(engine) as session:
        actions = set(session.exec(select(AuditLog.action).where(col(AuditLog.action).startswith("case."))).all())
    assert actions == {
        "case.filed", "case.notified", "case.legal_review", "case.collective", "case.decided", "case.served",
        "case.fulfilled",
    }  # fmt: skip


def test_a_warning_decision_is_not_published_and_is_served_without_the_publication_notice(
    app: Any, client: Any, engine: Any, visit: dict[str, Any], frozen_clock: Any
) -> None:
    d = _dispose(app, client, visit["target"], kind="rectify", reason="补建进货查验记录", deadline_days=5).get_json()
    frozen_clock.set(datetime(2026, 10, 12, 2, tzinfo=UTC))
    body = {"outcome": "未改正", "checked_on": "2026-10-12"}
    escalated = client.post(f"/api/disposals/{d['id']}/recheck", json=body, headers=bearer(app, "inspector")).get_json()
    with Session(engine) as session:
        case = session.exec(
            select(EnforcementCase).where(EnforcementCase.disposal_id == escalated["escalated_to"])
        ).one()
    me = bearer(app, "inspector")
    filed = {"case_number": "杭上市监案〔2026〕89号", "filed_on": "2026-10-12"}
    assert client.post(f"/api/cases/{case.id}/file", json=filed, headers=me).status_code == 200
    told = inform(app, client, case.id, date(2026, 10, 12), measures=["warning"])
    assert told.status_code == 200 and told.get_json()["case"]["hearing_applies"] is False
    warning = {
        "decision_number": "杭上市监罚〔2026〕89号", "decided_on": "2026-10-12", "penalty_kind": "warning",
        "content": "给予警告",
    }  # fmt: skip
    assert client.post(f"/api/cases/{case.id}/decide", json=warning, headers=me).status_code == 200
    with Session(engine) as session:
        assert session.exec(select(PenaltyInfo)).all() == []  # 仅受到警告行政处罚的不予公示 (45号令 第二条第二款)
    assert client.post(f"/api/cases/{case.id}/serve", json={"on": "2026-10-12"}, headers=me).status_code == 200


def test_a_case_not_filed_closes_the_transfer(app: Any, client: Any, visit: dict[str, Any]) -> None:
    d = _dispose(app, client, visit["target"], kind="case", reason="涉嫌未落实进货查验").get_json()
    assert d["case"]["status"] == "received" and d["due"] == d["case"]["filing_due"]
    me = bearer(app, "inspector")
    assert client.post(f"/api/cases/{d['case']['id']}/not-file", json={"reason": " "}, headers=me).status_code == 422
    done = client.post(
        f"/api/cases/{d['case']['id']}/not-file", json={"reason": "违法事实不成立"}, headers=me
    ).get_json()
    assert done["status"] == "closed" and "不予立案" in done["close_note"]


def test_a_referral_lands_in_the_other_departments_inbox_and_is_acknowledged_once(
    app: Any, client: Any, engine: Any, visit: dict[str, Any]
) -> None:
    target = visit["target"]
    refused = _dispose(app, client, target, kind="refer", reason="涉及安全生产", refer_department="330102-SCJG")
    assert refused.status_code == 422 and refused.get_json()["fields"][0]["field"] == "refer_department"
    d = _dispose(
        app, client, target, kind="refer", reason="仓库消防通道堵塞", refer_department="330102-YJGL"
    ).get_json()
    # 5 working days from Monday 28 September: 29, 30 September, 8, 9 and Saturday 10 October.
    assert d["due"] == "2026-10-10" and d["refer_department"] == "杭州市上城区应急管理局"
    safety = bearer(app, _user(engine, "yjgl", "licensing_officer", "330102-YJGL"))
    outsider = bearer(app, _user(engine, "other", "licensing_officer", "330102-WSJK"))
    assert [r["number"] for r in client.get("/api/disposals/mine", headers=safety).get_json()] == [d["number"]]
    body = {"note": "已安排执法检查"}
    assert client.post(f"/api/disposals/{d['id']}/acknowledge", json=body, headers=outsider).status_code == 403
    responses = at_once(app, 10, lambda c: c.post(f"/api/disposals/{d['id']}/acknowledge", json=body, headers=safety))
    assert statuses(responses) == {200: 1, 409: 9}
    with Session(engine) as session:
        row = session.get(Disposal, d["id"])
        assert row.status == "closed" and row.acked_by and row.ack_note == "已安排执法检查"


def test_ten_simultaneous_rechecks_take_effect_once(app: Any, client: Any, engine: Any, visit: dict[str, Any]) -> None:
    d = _dispose(app, client, visit["target"], kind="rectify", reason="补建记录", deadline_days=1).get_json()
    body = {"outcome": "未改正", "checked_on": "2026-09-28"}
    me = bearer(app, "inspector")
    responses = at_once(app, 10, lambda c: c.post(f"/api/disposals/{d['id']}/recheck", json=body, headers=me))
    assert statuses(responses) == {200: 1, 409: 9}
    with Session(engine) as session:
        assert len(session.exec(select(EnforcementCase)).all()) == 1


def test_an_address_finding_is_proposed_to_the_registering_authority_as_its_disposal_once_confirmed(
    app: Any, client: Any, engine: Any, province: Any, frozen_clock: Any
) -> None:
    add_firms(engine, 30)
    make_task(engine, "T1", window=("2026-07-01", "2026-12-31"))
    ceremony(engine, "T1")
    target = client.get("/api/assignments", headers=bearer(app, "inspector")).get_json()[0]["target_id"]
    body = {"category": "通过登记的住所（经营场所）无法联系", "findings": "两次无法联系", "inspected_on": "2026-09-28"}
    assert (
        client.post(f"/api/assignments/{target}/result", json=body, headers=bearer(app, "inspector")).status_code == 201
    )
    with Session(engine) as session:  # recorded, not yet confirmed: nothing follows from it yet
        assert session.exec(select(Disposal).where(Disposal.target_id == target)).first() is None
        assert session.exec(select(ListEntry).where(ListEntry.source_target_id == target)).first() is None
    finish_visit(app, client, engine, target, "2026-09-28")  # the teammate records and both confirm: four eyes
    with Session(engine) as session:
        d = session.exec(select(Disposal).where(Disposal.target_id == target)).one()
        entry = session.get(ListEntry, d.entry_id)
    assert d.kind == "abnormal" and d.status == "closed" and entry.list_type == "ABNORMAL"
    assert d.department_id == entry.department_id


def test_disposal_list_prints_type_status_due_and_links(app: Any, client: Any, visit: dict[str, Any]) -> None:
    _dispose(app, client, visit["target"], kind="rectify", reason="补建记录", deadline_days=5)
    _dispose(app, client, visit["target"], kind="case", reason="涉嫌违法")
    out = Runner(app).invoke(["disposal", "list", "--json"])
    assert out.exit_code == 0, out.output
    rows = {r["kind"]: r for r in json.loads(out.output)}
    assert rows["rectify"]["status"] == "open" and rows["rectify"]["due"] == "2026-10-16"
    assert rows["rectify"]["result"]["target_id"] == visit["target"] and rows["rectify"]["recheck"]["window_start"]
    assert rows["case"]["case"]["filing_due"] and rows["case"]["case"]["status"] == "received"
    text = Runner(app).invoke(["disposal", "list", "--status", "open"])
    assert "责令改正" in text.output and "处置中" in text.output and "复查窗口 2026-10-10 至 2026-10-16" in text.output


def test_the_rectification_notice_prints_its_number_deadline_and_recheck(
    app: Any, client: Any, engine: Any, visit: dict[str, Any]
) -> None:
    d = _dispose(app, client, visit["target"], kind="rectify", reason="补建进货查验记录", deadline_days=5).get_json()
    pdf = client.get(f"/api/disposals/{d['id']}/notice.pdf", headers=bearer(app, "inspector"))
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = "".join("".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf.data)).pages)  # no breaks
    # GB/T 9704: dates written out, sentences closed, pages numbered "— 1 —"
    assert "责令改正通知书" in text and d["notice_number"] in text and "于2026年10月10日前改正" in text
    assert "补建进货查验记录。" in text and "自2026年10月10日起至2026年10月16日期间进行复查" in text
    assert "—1—" in text and "2026-10" not in text
    assert "filename*=UTF-8''%E8%B4%A3%E4%BB%A4" in pdf.headers["Content-Disposition"]  # 责令改正通知书-….pdf
    other = client.get(f"/api/disposals/{d['id']}/notice.pdf", headers=bearer(app, visit["mate"]))
    assert other.status_code == 403  # another department's inspector
    with Session(engine) as session:
        assert session.exec(select(AuditLog).where(AuditLog.action == "disposal.notice_printed")).first() is not None


def test_ten_simultaneous_filings_of_one_case_file_it_once(
    app: Any, client: Any, engine: Any, visit: dict[str, Any]
) -> None:
    d = _dispose(app, client, visit["target"], kind="case", reason="涉嫌未落实进货查验").get_json()
    me = bearer(app, "inspector")
    body = {"case_number": "杭上市监立〔2026〕9号", "filed_on": "2026-09-28"}
    responses = at_once(app, 10, lambda c: c.post(f"/api/cases/{d['case']['id']}/file", json=body, headers=me))
    assert statuses(responses) == {200: 1, 409: 9}
    with Session(engine) as session:
        filed = session.exec(select(AuditLog).where(AuditLog.action == "case.filed")).all()
    assert len(filed) == 1


def test_a_refused_disposal_form_comes_back_open_with_what_was_typed(
    app: Any, client: Any, engine: Any, visit: dict[str, Any]
) -> None:
    from tests.conftest import csrf_token, login

    target = visit["target"]
    assert _dispose(app, client, target, kind="none", reason="先登记一项").status_code == 201  # no longer 待处置
    page_client = app.test_client()
    login(page_client, "inspector")
    url = f"/inspections/my/{target}"
    assert "<details open><summary>登记后续处置" not in page_client.get(url).get_data(as_text=True)
    refused = page_client.post(
        f"{url}/disposals",
        data={"kind": "rectify", "reason": "补建进货查验记录", "legal_basis": "《中华人民共和国食品安全法》第五十三条",
              "deadline_days": "", "csrf_token": csrf_token(page_client, url)},
        headers={"Referer": f"http://localhost{url}"}, follow_redirects=True,
    )  # fmt: skip
    html = refused.get_data(as_text=True)
    assert "<details open><summary>登记后续处置" in html and "补建进货查验记录</textarea>" in html


def test_the_same_order_registered_twice_is_kept_once(
    app: Any, client: Any, engine: Any, visit: dict[str, Any]
) -> None:
    first = _dispose(app, client, visit["target"], kind="rectify", reason="补建进货查验记录", deadline_days=5)
    assert first.status_code == 201, first.get_json()
    again = _dispose(app, client, visit["target"], kind="rectify", reason="补建进货查验记录", deadline_days=5)
    assert again.status_code == 409 and first.get_json()["number"] in again.get_json()["message"]
    other = _dispose(app, client, visit["target"], kind="rectify", reason="公示进货台账", deadline_days=5)
    assert other.status_code == 201  # a different order is its own
