"""投诉举报 intake: idempotent by 工单号, all-or-nothing import, statutory deadlines across a holiday, masking."""

from __future__ import annotations

import io
import json
from datetime import date
from typing import Any

import pytest
from sqlmodel import Session, func, select

from inspections.complaints.models import Complaint
from seeds.generate import make_uscc
from supervise.db import unit_of_work
from supervise.models import AuditLog, Enterprise, User
from tests.conftest import Runner, bearer
from tests.test_exactly_once import at_once, statuses

TICKET = {
    "ticket_no": "ZJ12345-20260928-0001", "received_at": "2026-09-28T10:00:00+08:00", "channel": "12345热线",
    "category": "投诉", "firm_name": "杭州某某餐饮有限公司", "content": "就餐后腹泻，要求退款并查处",
    "complainant_name": "张三", "complainant_phone": "13812345678",
}  # fmt: skip


@pytest.fixture
def hotline(app: Any, province: Any, engine: Any) -> dict[str, str]:
    with unit_of_work(engine) as session:
        session.add(User(username="platform12345", display_name="12345平台", password_hash="x", role="hotline"))
    return bearer(app, "platform12345")


def _count(engine: Any) -> int:
    with Session(engine) as session:
        return int(session.exec(select(func.count()).select_from(Complaint)).one())


def test_a_pushed_ticket_is_taken_once_and_pushing_it_again_changes_nothing(
    app: Any, client: Any, engine: Any, hotline: dict[str, str]
) -> None:
    first = client.post("/api/complaints", json=TICKET, headers=hotline)
    assert first.status_code == 201, first.get_json()
    again = client.post("/api/complaints", json={**TICKET, "content": "改过的内容"}, headers=hotline)
    assert again.status_code == 200 and again.get_json()["content"] == TICKET["content"]
    fresh = {**TICKET, "ticket_no": "ZJ12345-20260928-0002"}
    responses = at_once(app, 10, lambda c: c.post("/api/complaints", json=fresh, headers=hotline))
    assert statuses(responses) == {201: 1, 200: 9}, [r.get_json() for r in responses]
    assert _count(engine) == 2
    with Session(engine) as session:
        logged = session.exec(select(AuditLog).where(AuditLog.action == "complaint.received")).all()
    assert len(logged) == 2 and all("13812345678" not in json.dumps(a.payload, ensure_ascii=False) for a in logged)
    assert client.post("/api/complaints", json=TICKET, headers=bearer(app, "inspector")).status_code == 403


def test_statutory_and_platform_deadlines_count_working_days_across_the_national_day_holiday(
    client: Any, hotline: dict[str, str]
) -> None:
    complaint = client.post("/api/complaints", json=TICKET, headers=hotline).get_json()
    # From Monday 28 September: 29, 30 September, then 1-7 October are the holiday, 10 October a 调休 working day.
    assert complaint["due"] == {"sign": "2026-09-29", "accept": "2026-10-13", "verify": None, "close": "2026-10-23"}
    report = {**TICKET, "ticket_no": "ZJ12345-20260928-0003", "category": "举报"}
    due = client.post("/api/complaints", json=report, headers=hotline).get_json()["due"]
    assert due == {"sign": "2026-09-29", "accept": None, "verify": "2026-10-23", "close": "2026-11-13"}


def test_the_complainants_contact_is_masked_for_every_role_but_the_supervision_office(
    app: Any, client: Any, hotline: dict[str, str], runner: Any
) -> None:
    client.post("/api/complaints", json={**TICKET, "confidential": True}, headers=hotline)
    full = client.get("/api/complaints", headers=bearer(app, "supervisor")).get_json()[0]
    assert (full["complainant_name"], full["complainant_phone"], full["masked"]) == ("张三", "13812345678", False)
    for role_user in ("auditor", "admin"):
        row = client.get("/api/complaints", headers=bearer(app, role_user)).get_json()[0]
        assert (row["complainant_name"], row["complainant_phone"], row["masked"]) == ("张*", "138****5678", True)
        assert row["confidential"] is True
    for other in ("credit", "licensing"):
        assert client.get("/api/complaints", headers=bearer(app, other)).status_code == 403
    # An officer sees only the department's 工单 (this one names no firm yet, so it is not routed).
    assert client.get("/api/complaints", headers=bearer(app, "inspector")).get_json() == []
    listed = runner.invoke(args=["complaint", "list", "--json"])
    assert listed.exit_code == 0 and "13812345678" not in listed.output and "138****5678" in listed.output


def test_an_import_with_a_bad_row_stores_nothing_and_names_each_row(
    app: Any, client: Any, engine: Any, hotline: dict[str, str], tmp_path: Any
) -> None:
    header = "ticket_no,received_at,channel,category,uscc,content,complainant_name,complainant_phone\n"
    good = "ZJ-0001,2026-09-28T09:00:00+08:00,12345网站,举报,,无照经营,李四,13900000000\n"
    bad = (
        header + good + "ZJ-0002,2026-09-28T09:00:00+08:00,12345网站,咨询,,价格问题,,\n"
        "ZJ-0003,2026-09-28T09:00:00+08:00,12345网站,投诉,913301000000000000,价格问题,,\n"
    )
    refused = client.post(
        "/api/complaints/import", data={"file": (io.BytesIO(bad.encode()), "工单.csv")},
        headers=bearer(app, "supervisor"), content_type="multipart/form-data",
    )  # fmt: skip
    fields = {f["field"] for f in refused.get_json()["fields"]}
    assert refused.status_code == 422 and {"line 3: category", "line 4: uscc"} <= fields
    assert _count(engine) == 0
    path = tmp_path / "工单.csv"
    path.write_text(header + good, encoding="utf-8")
    done = Runner(app).invoke(["complaint", "import", str(path)])
    assert done.exit_code == 0 and "已导入 1 件工单" in done.output, done.output
    again = Runner(app).invoke(["complaint", "import", str(path)])
    assert "已导入 0 件工单，1 件工单号已存在未改动" in again.output
    rows = json.loads(Runner(app).invoke(["complaint", "list", "--json"]).output)
    assert [(r["ticket_no"], r["state"], r["due"]["verify"]) for r in rows] == [("ZJ-0001", "received", "2026-10-23")]


def test_a_short_name_or_another_legal_form_finds_the_firm_and_an_officer_confirms_it(
    app: Any, client: Any, engine: Any, hotline: dict[str, str]
) -> None:
    firms = {"杭州鼎禾养殖有限责任公司": 990_001, "杭州鼎盛科技有限公司": 990_002, "宁波禾丰食品有限公司": 990_003}
    with unit_of_work(engine) as session:
        for name, n in firms.items():
            session.add(Enterprise(uscc=make_uscc(n, "330102"), name=name, legal_rep_name="王五", region_code="330102",
                                   industry_code="A03", registered_on=date(2020, 1, 1)))  # fmt: skip
    ticket = {**TICKET, "ticket_no": "ZJ-MATCH-1", "firm_name": "鼎禾养殖有限公司"}
    assert client.post("/api/complaints", json=ticket, headers=hotline).get_json()["matched"] is False
    officer = bearer(app, "supervisor")
    found = client.get("/api/complaints/ZJ-MATCH-1/candidates", headers=officer).get_json()
    assert found[0]["name"] == "杭州鼎禾养殖有限责任公司" and found[0]["score"] == 100.0
    assert all(f["name"] != "杭州鼎盛科技有限公司" or f["score"] < found[0]["score"] for f in found)
    wanted = found[0]["uscc"]
    confirmed = client.post("/api/complaints/ZJ-MATCH-1/match", json={"uscc": wanted}, headers=officer)
    assert confirmed.status_code == 200 and confirmed.get_json()["matched"] and confirmed.get_json()["uscc"] == wanted
    assert confirmed.get_json()["firm_name"] == "杭州鼎禾养殖有限责任公司"  # the registered name, not the caller's
    again = client.post("/api/complaints/ZJ-MATCH-1/match", json={"uscc": wanted}, headers=officer)
    assert again.status_code == 409
    assert client.get("/api/complaints/ZJ-MATCH-1/candidates", headers=bearer(app, "auditor")).status_code == 403
    with Session(engine) as session:
        assert session.exec(select(AuditLog).where(AuditLog.action == "complaint.matched")).one()


def test_candidates_show_where_each_firm_is_and_put_the_tickets_own_district_first(
    app: Any, client: Any, engine: Any, hotline: dict[str, str]
) -> None:
    with unit_of_work(engine) as session:
        for n, region in ((990_011, "330106"), (990_012, "330102")):
            firm = Enterprise(uscc=make_uscc(n, region), name="嘉昌百货店", legal_rep_name="王五", region_code=region,
                              industry_code="F52", registered_on=date(2020, 1, 1))  # fmt: skip
            session.add(firm)
    ticket = {**TICKET, "ticket_no": "ZJ-MATCH-2", "firm_name": "嘉昌百货店", "firm_address": "杭州市上城区某路1号"}
    assert client.post("/api/complaints", json=ticket, headers=hotline).status_code == 201
    found = client.get("/api/complaints/ZJ-MATCH-2/candidates", headers=bearer(app, "supervisor")).get_json()
    assert [(f["region_code"], f["in_place"]) for f in found[:2]] == [("330102", True), ("330106", False)]
    assert "上城区" in found[0]["place"] and "西湖区" in found[1]["place"]  # two same-named shops told apart


def test_a_hotline_number_is_no_contact_phone(client: Any, hotline: dict[str, str]) -> None:
    refused = client.post("/api/complaints", json={**TICKET, "complainant_phone": "12345"}, headers=hotline)
    assert refused.status_code == 422 and refused.get_json()["fields"][0]["field"] == "complainant_phone"
    assert "12345" in refused.get_json()["message"] and "联系电话" in refused.get_json()["message"]
    landline = client.post("/api/complaints", json={**TICKET, "complainant_phone": "0571-87654321"}, headers=hotline)
    assert landline.status_code == 201


def test_the_list_is_searched_filtered_and_exported_as_it_is_shown(
    app: Any, client: Any, engine: Any, hotline: dict[str, str]
) -> None:
    import io

    from openpyxl import load_workbook

    from tests.conftest import login

    tickets = ((1, "投诉", "杭州甲餐饮店"), (2, "举报", "=HYPERLINK('http://x')乙商行"), (3, "举报", "丙超市"))
    for n, category, firm in tickets:
        body = {**TICKET, "ticket_no": f"ZJ-LIST-{n}", "category": category, "firm_name": firm,
                "received_at": f"2026-09-2{n}T10:00:00+08:00"}  # fmt: skip
        assert client.post("/api/complaints", json=body, headers=hotline).status_code == 201
    desk = app.test_client()
    login(desk, "supervisor")
    reports = desk.get("/complaints?category=举报").get_data(as_text=True)
    assert "ZJ-LIST-2" in reports and "ZJ-LIST-3" in reports and "ZJ-LIST-1" not in reports
    found = desk.get("/complaints?q=丙超").get_data(as_text=True)
    assert "ZJ-LIST-3" in found and "ZJ-LIST-2" not in found and "清除筛选" in found
    dated = desk.get("/complaints?since=2026-09-22&until=2026-09-22").get_data(as_text=True)
    assert "ZJ-LIST-2" in dated and "ZJ-LIST-1" not in dated and "ZJ-LIST-3" not in dated
    bad = desk.get("/complaints?since=昨天")
    assert bad.status_code == 422 and "起始日期" in bad.get_data(as_text=True)
    sheet = desk.get("/complaints.xlsx?category=举报")
    assert sheet.status_code == 200 and "filename*=UTF-8''" in sheet.headers["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(sheet.data)).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("工单号", "受理时间") and sorted(r[0] for r in rows[1:]) == ["ZJ-LIST-2", "ZJ-LIST-3"]
    assert any(str(r[4]).startswith("'=HYPERLINK") for r in rows[1:])  # text, never a formula
