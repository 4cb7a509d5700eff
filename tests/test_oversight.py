"""督查 after the report: a lagging unit's 通报 and 整改通知 under four eyes, the unit's 整改报告 returned and
accepted, the escalation rules to 约谈 and 追责建议, the next period's re-check, and units seeing only their own."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import quote

import pytest
from pypdf import PdfReader
from sqlmodel import Session, select

from inspections.models import Plan
from reports.oversight import rules
from reports.oversight.models import OversightDecision, OversightNotice, Rectification
from reports.oversight.queries import recheck_period
from supervise.db import unit_of_work
from supervise.models import AuditLog, Department, User
from tests.conftest import PASSWORD, bearer
from tests.drawkit import make_task
from tests.test_exactly_once import at_once, statuses
from tests.test_reports import quarter  # noqa: F401 - the fixture: Q3 of 330102 with lagging units

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def office(app: Any, engine: Any, quarter: Any, frozen_clock: Any) -> None:  # noqa: F811
    """A unit account of 上城区市场监管局 besides the demo's (supervisor2, unit_wsjk); Wednesday 25 November 2026."""
    from supervise.auth import hash_password

    frozen_clock.set(datetime(2026, 11, 25, 2, 0, tzinfo=UTC))
    with unit_of_work(engine) as session:
        digest = hash_password(PASSWORD)
        # supervisor2 and unit_wsjk are demo accounts; a unit account of 市场监管 is added for the 403s
        dept_id = session.exec(select(Department.id).where(Department.code == "330102-SCJG")).one()
        session.add(User(username="unit_scjg", display_name="unit_scjg", password_hash=digest, role="unit",
                         department_id=dept_id))  # fmt: skip


APPROVAL = {"approved_by": "浙江省人民政府", "approved_on": "2026-10-09", "approval_ref": "签批单第1号"}


def _notice(unit: str, *, days: int | None = 10) -> dict[str, Any]:
    return {
        "region_code": "330100", "period": "2026Q3", "unit_kind": "department", "unit_code": unit,
        "department_code": unit, "main_to": "上城区卫生健康局", "copy_to": "上城区人民政府办公室",
        "requirement": "按期完成抽查并公示结果", "days": days, **APPROVAL,
    }  # fmt: skip


def notified_unit(app: Any, client: Any) -> tuple[Any, str]:
    """上城区卫健局, once its 通报 and 整改通知 are out: its signed-in browser and its /oversight/mine page."""
    from tests.conftest import login

    _propose_and_confirm(app, client, "/api/oversight/notices", _notice("330102-WSJK"))
    unit = app.test_client()
    login(unit, "unit_wsjk")
    return unit, unit.get("/oversight/mine").get_data(as_text=True)


def _propose_and_confirm(app: Any, client: Any, path: str, body: dict[str, Any]) -> dict[str, Any]:
    proposed = client.post(path, json=body, headers=bearer(app, "supervisor"))
    assert proposed.status_code == 201, proposed.get_json()
    confirmed = client.post(
        f"/api/oversight/decisions/{proposed.get_json()['id']}/confirm", headers=bearer(app, "supervisor2")
    )
    assert confirmed.status_code == 200, confirmed.get_json()
    return dict(confirmed.get_json())


def _item(app: Any, client: Any, number: str, user: str = "supervisor") -> Any:
    return client.get(f"/api/oversight/rectifications/{quote(number)}", headers=bearer(app, user))


def test_escalation_rules_go_from_a_trigger_to_an_interview_and_only_later_triggers_to_accountability() -> None:
    base = rules.Facts(today=date(2026, 12, 10), due=date(2026, 12, 20), accepted=False)
    assert rules.escalation(base) is None
    missed = rules.Facts(today=date(2026, 12, 21), due=date(2026, 12, 20), accepted=False)
    assert rules.escalation(missed) == {"step": "interview", "triggers": ["missed"]}
    returned = rules.Facts(
        today=date(2026, 12, 10), due=date(2026, 12, 20), accepted=False, returns=(date(2026, 12, 8),)
    )
    assert rules.escalation(returned) == {"step": "interview", "triggers": ["returned"]}
    mended = rules.Facts(today=date(2026, 12, 10), due=date(2026, 12, 20), accepted=True, returns=(date(2026, 12, 8),))
    assert rules.escalation(mended) is None  # returned once, then accepted: done
    again = rules.Facts(today=date(2027, 4, 2), due=date(2026, 12, 20), accepted=True, lagging_again=True)
    assert rules.escalation(again) == {"step": "interview", "triggers": ["again"]}
    # After the 约谈 the earlier return no longer counts; missing the deadline set at the 约谈 does.
    talked = rules.Facts(today=date(2027, 1, 5), due=date(2026, 12, 20), accepted=False, returns=(date(2026, 12, 8),),
                         interview_on=date(2026, 12, 22), interview_due=date(2027, 1, 6))  # fmt: skip
    assert rules.escalation(talked) is None
    late = rules.Facts(**{**talked.__dict__, "today": date(2027, 1, 7)})
    assert rules.escalation(late) == {"step": "accountability", "triggers": ["missed"]}
    assert rules.escalation(rules.Facts(**{**late.__dict__, "accountability": True})) is None
    assert rules.next_period("2026Q4") == "2027Q1" and rules.next_period("2026Q2") == "2026Q3"


def test_a_notice_needs_a_second_member_and_only_a_lagging_unit_can_be_notified(
    app: Any, client: Any, engine: Any, office: None
) -> None:
    refused = client.post("/api/oversight/notices", json=_notice("330102-YJGL"), headers=bearer(app, "supervisor"))
    assert refused.status_code == 409 and refused.get_json()["fields"][0]["field"] == "unit_code"
    assert (
        client.post("/api/oversight/notices", json=_notice("330102-WSJK"), headers=bearer(app, "unit_wsjk")).status_code
        == 403
    )
    proposed = client.post("/api/oversight/notices", json=_notice("330102-WSJK"), headers=bearer(app, "supervisor"))
    assert proposed.status_code == 201 and proposed.get_json()["state"] == "pending"
    decision = proposed.get_json()["id"]
    own = client.post(f"/api/oversight/decisions/{decision}/confirm", headers=bearer(app, "supervisor"))
    assert own.status_code == 403 and "另一名督查人员" in own.get_json()["message"]
    with Session(engine) as session:
        assert (
            session.exec(select(OversightNotice)).first() is None
        )  # nothing takes effect before the second pair of eyes
    confirms = at_once(app, 6, lambda c: c.post(f"/api/oversight/decisions/{decision}/confirm",
                                                headers=bearer(app, "supervisor2")))  # fmt: skip
    assert statuses(confirms) == {200: 1, 409: 5}, [r.get_json() for r in confirms]
    with Session(engine) as session:
        notice = session.exec(select(OversightNotice)).one()
        rect = session.exec(select(Rectification)).one()
        logged = session.exec(select(AuditLog.action).where(AuditLog.object_id == notice.number)).all()
    assert notice.number == "督通〔2026〕1号" and rect.number == "督改〔2026〕1号" and rect.notice_id == notice.id
    assert rect.due == date(2026, 12, 9) and "oversight.notice" in logged  # ten working days from 25 November
    twice = client.post("/api/oversight/notices", json=_notice("330102-WSJK"), headers=bearer(app, "supervisor"))
    assert twice.status_code == 409 and "督通〔2026〕1号" in twice.get_json()["message"]
    pdf = client.get(f"/api/oversight/notices/{notice.id}/notice.pdf", headers=bearer(app, "unit_wsjk"))
    assert pdf.status_code == 200 and pdf.headers["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    for words in (
        "浙江省人民政府督查室",
        "督通〔2026〕1号",
        "上城区卫生健康局：",
        "抄送：上城区人民政府办公室",
        "2026年12月9日",
    ):
        assert words in text, words
    assert (
        client.get(f"/api/oversight/notices/{notice.id}/notice.pdf", headers=bearer(app, "unit_scjg")).status_code
        == 403
    )


def test_a_unit_sees_only_its_own_items_and_its_report_is_returned_then_accepted(
    app: Any, client: Any, engine: Any, office: None
) -> None:
    _propose_and_confirm(app, client, "/api/oversight/notices", _notice("330102-WSJK"))
    number = "督改〔2026〕1号"
    assert [
        r["number"] for r in client.get("/api/oversight/rectifications", headers=bearer(app, "unit_wsjk")).get_json()
    ] == [number]
    assert client.get("/api/oversight/rectifications", headers=bearer(app, "unit_scjg")).get_json() == []
    assert _item(app, client, number, "unit_scjg").status_code == 403
    url = f"/api/oversight/rectifications/{quote(number)}/report"
    other = client.post(url, json={"report_text": "已整改"}, headers=bearer(app, "unit_scjg"))
    assert other.status_code == 403
    sent = client.post(url, data={"report_text": "已补抽并公示", "files": (io.BytesIO(PNG), "公示截图.png")},
                       headers=bearer(app, "unit_wsjk"), content_type="multipart/form-data")  # fmt: skip
    assert sent.status_code == 201 and sent.get_json()["status_label"] == "整改报告待审核"
    kept = sent.get_json()["reports"][0]["attachments"][0]
    assert kept["name"] == "公示截图.png"
    link = f"/api/oversight/rectifications/{quote(number)}/attachments/{kept['sha256']}"
    assert client.get(link, headers=bearer(app, "supervisor")).data == PNG
    assert client.get(link, headers=bearer(app, "unit_scjg")).status_code == 403
    assert client.get(link, headers=bearer(app, "unit_wsjk")).data == PNG  # the unit sees what it attached
    from tests.conftest import login

    unit = app.test_client()
    login(unit, "unit_wsjk")
    assert f'/attachments/{kept["sha256"]}">公示截图.png</a>' in unit.get("/oversight/mine").get_data(as_text=True)
    assert client.post(url, json={"report_text": "再交一次"}, headers=bearer(app, "unit_wsjk")).status_code == 409
    base = f"/api/oversight/rectifications/{quote(number)}"
    bare = client.post(f"{base}/return", json={}, headers=bearer(app, "supervisor"))
    assert bare.status_code == 422 and bare.get_json()["fields"][0]["field"] == "reason"
    _propose_and_confirm(app, client, f"{base}/return", {"reason": "未附公示记录"})
    returned = _item(app, client, number).get_json()
    assert (
        returned["status"] == "returned"
        and returned["escalation"] == "约谈"
        and "整改报告被退回" in returned["triggers"]
    )
    assert client.post(url, json={"report_text": "补充公示记录"}, headers=bearer(app, "unit_wsjk")).status_code == 201
    _propose_and_confirm(app, client, f"{base}/accept", {})
    accepted = _item(app, client, number, "unit_wsjk").get_json()
    assert accepted["status_label"] == "整改完成" and accepted["escalation"] is None
    assert [r["outcome"] for r in accepted["reports"]] == ["returned", "accepted"]
    early = client.post(f"{base}/interview", json={"held_on": "2026-11-25", "participants": "甲", "minutes": "乙"},
                        headers=bearer(app, "supervisor"))  # fmt: skip
    assert early.status_code == 409 and "尚未触发" in early.get_json()["message"]

    # Lagging again in the fourth quarter (a planned task never drawn) calls for a 约谈 although the report passed.
    with unit_of_work(engine) as session:
        wsjk = session.exec(select(Department.id).where(Department.code == "330102-WSJK")).one()
        session.add(Plan(code="P-T-Q4", department_id=wsjk, title="2026年第四季度抽查计划", year=2026, quarter=4))
    make_task(engine, "T-Q4", kinds=("WSJK",), window=("2026-11-02", "2026-12-31"))
    with unit_of_work(engine) as session:
        assert recheck_period(session, region="330100", period="2026Q4", actor="test") == [number]
    again = _item(app, client, number).get_json()
    assert again["recheck"][0]["period"] == "2026Q4" and again["recheck"][0]["flagged"] is True
    assert again["recovered"] is False and again["escalation"] == "约谈"
    listed = _cli_rows(app)
    assert any(r["number"] == number and r["escalation"] == "约谈" for r in listed)


def _cli_rows(app: Any) -> list[dict[str, Any]]:
    import json

    from tests.conftest import Runner

    result = Runner(app).invoke(args=["rectification", "list", "--json"])
    assert result.exit_code == 0, result.output
    return list(json.loads(result.output))


def test_a_missed_deadline_leads_to_an_interview_and_a_missed_new_deadline_to_an_accountability_proposal(
    app: Any, client: Any, engine: Any, office: None, frozen_clock: Any
) -> None:
    _propose_and_confirm(app, client, "/api/oversight/notices", _notice("330102-SCJG", days=5))
    number = "督改〔2026〕1号"
    base = f"/api/oversight/rectifications/{quote(number)}"
    assert _item(app, client, number).get_json()["due"] == "2026-12-02"
    frozen_clock.set(datetime(2026, 12, 3, 2, 0, tzinfo=UTC))
    late = _item(app, client, number).get_json()
    assert late["overdue"] and late["escalation"] == "约谈"
    assert client.post(f"{base}/accountability", json={"recipient": "任免机关", "proposal": "x", **APPROVAL},
                       headers=bearer(app, "supervisor")).status_code == 409  # fmt: skip
    talk = {"held_on": "2026-12-03", "participants": "督查室 王督查；上城区市场监管局局长", "days": 5,
            "minutes": "通报滞后情况，要求五个工作日内完成"}  # fmt: skip
    _propose_and_confirm(app, client, f"{base}/interview", talk)
    talked = _item(app, client, number).get_json()
    assert (
        talked["escalation"] is None
        and talked["due"] == "2026-12-10"
        and talked["interview"]["held_on"] == "2026-12-03"
    )
    frozen_clock.set(datetime(2026, 12, 11, 2, 0, tzinfo=UTC))
    assert _item(app, client, number).get_json()["escalation"] == "提出追责建议"
    body = {"recipient": "纪检监察机关", "proposal": "建议对相关责任人予以问责", **APPROVAL}
    done = _propose_and_confirm(app, client, f"{base}/accountability", body)
    assert done["result"] == number
    bundle = client.get(f"{base}/evidence", headers=bearer(app, "supervisor")).get_json()
    assert [d["kind"] for d in bundle["decisions"]] == ["interview", "accountability"]
    assert (
        bundle["notice"]["number"] == "督通〔2026〕1号"
        and bundle["rectification"]["accountability"]["to"] == "纪检监察机关"
    )
    actions = [a["action"] for a in bundle["audit"]]
    assert "oversight.interview" in actions and "oversight.accountability" in actions
    assert client.get(f"{base}/evidence", headers=bearer(app, "unit_scjg")).status_code == 403
    from tests.conftest import login

    reader = app.test_client()  # the desk's 证据材料 link opens a readable page, not JSON
    login(reader, "supervisor")
    desk = reader.get("/oversight").get_data(as_text=True)
    assert "/oversight/rectifications/" in desk and "/api/oversight/rectifications/" not in desk
    page = reader.get(f"/oversight/rectifications/{number}/evidence").get_data(as_text=True)
    assert "证据材料" in page and "约谈" in page and "纪检监察机关" in page and "提出追责建议" in page
    assert '"action"' not in page and "oversight.interview" not in page

    def text_of(response: Any) -> str:
        assert response.status_code == 200 and response.mimetype == "application/pdf", response.data[:200]
        return "".join("".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(response.data)).pages)

    for kind, title in (("notice", "整改通知"), ("interview", "约谈通知"), ("accountability", "追责建议函")):
        text = text_of(reader.get(f"/oversight/rectifications/{number}/{kind}.pdf"))
        assert title in text and number in text and "—1—" in text and "2026-" not in text, (kind, text)
    letter = text_of(reader.get(f"/oversight/rectifications/{number}/accountability.pdf"))
    assert letter.startswith("浙江省人民政府督查室追责建议函") and "纪检监察机关：" in letter
    assert "建议对相关责任人予以问责。" in letter and "批准" in letter
    receipt = text_of(reader.get(f"/oversight/rectifications/{number}/notice.pdf?receipt=1"))
    assert "送达回证" in receipt and "受送达人" in receipt and f"整改通知（{number}）" in receipt
    assert reader.get(f"/oversight/rectifications/{number}/verdict.pdf").status_code == 409  # nothing reviewed yet
    own, other = app.test_client(), app.test_client()
    login(own, "unit_scjg")
    login(other, "unit_wsjk")
    assert "约谈通知（PDF）" in own.get("/oversight/mine").get_data(as_text=True)
    assert own.get(f"/oversight/rectifications/{number}/interview.pdf").status_code == 200
    assert other.get(f"/oversight/rectifications/{number}/interview.pdf").status_code == 403


def test_a_refused_report_keeps_what_the_unit_typed_and_asks_for_the_file_again(
    app: Any, client: Any, engine: Any, office: None
) -> None:
    from tests.conftest import csrf_token

    unit, page = notified_unit(app, client)
    assert "督改〔2026〕1号" in page and "<table" not in page  # one card a notice: readable on a phone
    form = {
        "report_text": "已补抽三户并公示结果，附公示截图。",
        "files": (io.BytesIO(b"plain notes"), "notes.txt"),
        "csrf_token": csrf_token(unit, "/oversight/mine"),
    }
    refused = unit.post(
        f"/oversight/mine/{quote('督改〔2026〕1号')}/report",
        data=form,
        content_type="multipart/form-data",
        headers={"Referer": "http://localhost/oversight/mine"},
        follow_redirects=True,
    )
    html = refused.get_data(as_text=True)
    assert "不是 PDF、PNG 或 JPEG" in html and "附件须重新选择" in html
    assert "已补抽三户并公示结果，附公示截图。</textarea>" in html
    with Session(engine) as session:
        assert session.exec(select(Rectification)).one().status == "open"


def test_a_unit_notified_without_an_order_gets_its_rectification_notice_afterwards_from_the_pages(
    app: Any, client: Any, engine: Any, office: None
) -> None:
    from tests.conftest import csrf_token, login

    _propose_and_confirm(app, client, "/api/oversight/notices", _notice("330102-WSJK", days=None))
    desk = app.test_client()
    login(desk, "supervisor")
    board = desk.get("/reports?region=330100&period=2026Q3").get_data(as_text=True)
    assert "已通报（督通〔2026〕1号）" in board and "补发整改通知" in board
    new = "/oversight/new?region=330100&period=2026Q3&kind=department&code=330102-WSJK"
    page = desk.get(new).get_data(as_text=True)
    assert "已通报（督通〔2026〕1号）" in page and "提出补发整改通知" in page and 'action="/oversight/new"' not in page
    with Session(engine) as session:  # the page's picker finds the department by name; its full name is taken too
        health = session.exec(select(Department.name).where(Department.code == "330102-WSJK")).one()
    assert f'<option value="330102-WSJK">{health}</option>' in page
    form = {"region_code": "330100", "period": "2026Q3", "unit_kind": "department", "unit_code": "330102-WSJK",
            "notice": "督通〔2026〕1号", "department_code": health, "requirement": "补抽并公示", "days": "10",
            "csrf_token": csrf_token(desk, new)}  # fmt: skip
    assert desk.post("/oversight/rectify", data=form, headers={"Referer": f"http://localhost{new}"}).status_code == 302
    with Session(engine) as session:
        pending = session.exec(select(OversightDecision).where(OversightDecision.kind == rules.RECTIFY)).one()
    confirmed = client.post(f"/api/oversight/decisions/{pending.id}/confirm", headers=bearer(app, "supervisor2"))
    assert confirmed.status_code == 200, confirmed.get_json()
    with Session(engine) as session:
        rect = session.exec(select(Rectification)).one()
        notice = session.exec(select(OversightNotice)).one()
    assert rect.notice_id == notice.id and rect.requirement == "补抽并公示"
    board = desk.get("/reports?region=330100&period=2026Q3").get_data(as_text=True)
    assert "已通报（督通〔2026〕1号）" in board and "补发整改通知" not in board
    items = desk.get("/oversight").get_data(as_text=True)  # the period by its name, not its code
    assert '<span class="muted">2026年第三季度</span>' in items and ">2026Q3<" not in items


def test_a_notice_prints_the_figures_of_the_day_it_is_confirmed_and_asks_no_rectification_it_did_not_order(
    app: Any, client: Any, engine: Any, office: None, frozen_clock: Any
) -> None:
    from reports.oversight.services import flagged_unit

    proposed = client.post("/api/oversight/notices", json=_notice("330102-WSJK", days=None),
                           headers=bearer(app, "supervisor"))  # fmt: skip
    assert proposed.status_code == 201
    frozen_clock.set(datetime(2026, 12, 4, 2, 0, tzinfo=UTC))  # confirmed nine days later
    done = client.post(
        f"/api/oversight/decisions/{proposed.get_json()['id']}/confirm", headers=bearer(app, "supervisor2")
    )
    assert done.status_code == 200, done.get_json()
    with Session(engine) as session:
        notice = session.exec(select(OversightNotice)).one()
        today = flagged_unit(session, region="330100", period="2026Q3", unit_kind="department", unit_code="330102-WSJK")
    assert [r["message"] for r in json.loads(notice.reasons_json)] == [r["message"] for r in today["reasons"]]
    pdf = client.get(f"/api/oversight/notices/{notice.id}/notice.pdf", headers=bearer(app, "supervisor"))
    text = "".join("".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "2026年12月4日" in text and "数据截至2026年12月4日" in text
    assert "整改要求" not in text and "引以为戒" in text  # no 整改 was ordered with this 通报


def test_the_desk_filters_the_items_by_text_and_state_and_exports_them(
    app: Any, client: Any, engine: Any, office: None
) -> None:
    from openpyxl import load_workbook

    from tests.conftest import login

    _propose_and_confirm(app, client, "/api/oversight/notices", _notice("330102-WSJK"))
    _propose_and_confirm(app, client, "/api/oversight/notices", _notice("330102-SCJG"))
    desk = app.test_client()
    login(desk, "supervisor")
    page = desk.get("/oversight?q=卫生健康").get_data(as_text=True)
    assert page.count("督改〔2026〕") >= 1 and "市场监督管理局" not in page.split("整改事项")[1].split("</table>")[0]
    sheet = desk.get("/oversight.xlsx?state=open")
    rows = list(load_workbook(io.BytesIO(sheet.data)).active.iter_rows(values_only=True))
    assert rows[0][0] == "整改通知" and len(rows) == 3 and all(r[8] == "待整改" for r in rows[1:])


def test_the_papers_of_the_oversight_office_carry_its_issuing_code_and_all_its_notices_share_one_series(
    app: Any, client: Any, engine: Any, office: None
) -> None:
    from dataclasses import replace

    from reports.services import generate
    from supervise import config

    settings = config.current()
    config.install(replace(settings, tuning=replace(settings.tuning, doc_prefix="浙政")))  # GB/T 9704 代字
    try:
        _propose_and_confirm(app, client, "/api/oversight/notices", _notice("330102-WSJK"))
        with Session(engine) as session:  # the region's periodic 通报 continues the same series
            periodic = generate(session, region="330100", period="2026Q3", actor="user:supervisor").doc_number
            session.commit()
    finally:
        config.install(settings)
    with Session(engine) as session:
        assert session.exec(select(OversightNotice.number)).one() == "浙政督通〔2026〕1号"
        assert session.exec(select(Rectification.number)).one() == "浙政督改〔2026〕1号"
    assert periodic == "浙政督通〔2026〕2号"
