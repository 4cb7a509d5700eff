"""The complaint pages: a 工单 taken at the desk (the form keeps what was typed when refused), matched by the
督查室 from the candidates shown, and signed and accepted by the handling officer through the page's forms."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from inspections.complaints.models import Complaint
from supervise import clock
from supervise.models import Enterprise
from tests.conftest import csrf_token, login

REFERER = {"Referer": "http://localhost/complaints/new"}


def test_a_walk_in_complaint_is_matched_then_signed_and_accepted_through_the_pages(
    app: Any, client: Any, engine: Any, province: Any, frozen_clock: Any
) -> None:
    with Session(engine) as session:
        firm = session.exec(select(Enterprise).where(Enterprise.region_code == "330102")).first()
        assert firm is not None
    login(client, "supervisor")
    form = {
        "ticket_no": "", "received_at": "2099-01-01T10:00", "channel": "来访", "category": "投诉", "uscc": "",
        "firm_name": firm.name, "firm_address": "上城区", "content": "办理会员卡后门店关闭，无法退款",
        "complainant_name": "赵女士", "complainant_phone": "13800001111",
        "csrf_token": csrf_token(client, "/complaints/new"),
    }  # fmt: skip
    refused = client.post("/complaints/new", data=form, headers=REFERER, follow_redirects=True)
    html = refused.get_data(as_text=True)
    assert "受理时间不能晚于现在" in html and "办理会员卡后门店关闭，无法退款" in html and 'value="赵女士"' in html
    with Session(engine) as session:
        assert session.exec(select(Complaint)).first() is None
    midnight = clock.beijing_now().strftime("%Y-%m-%dT00:00")  # today in Beijing, whatever the machine's zone
    form |= {"received_at": midnight, "csrf_token": csrf_token(client, "/complaints/new")}
    made = client.post("/complaints/new", data=form)
    assert made.status_code == 302
    with Session(engine) as session:
        row = session.exec(select(Complaint)).one()
    assert row.ticket_no.startswith("XF-") and row.source == "form" and row.department_id is None
    page = client.get(made.headers["Location"]).get_data(as_text=True)
    assert "确认涉及的经营主体" in page and firm.uscc in page and "13800001111" in page
    token = csrf_token(client, made.headers["Location"])
    matched = client.post(f"/complaints/{row.ticket_no}/match", data={"uscc": firm.uscc, "csrf_token": token})
    assert matched.status_code == 302

    officer = app.test_client()
    login(officer, "inspector")
    listed = officer.get("/complaints").get_data(as_text=True)
    assert row.ticket_no in listed and "赵*" in listed and "13800001111" not in listed
    url = f"/complaints/{row.ticket_no}"
    assert officer.post(f"{url}/sign", data={"csrf_token": csrf_token(officer, url)}).status_code == 302
    mine = officer.get(url).get_data(as_text=True)
    assert "13800001111" in mine and "受理决定" in mine  # the handling officer sees the contact
    accepted = officer.post(f"{url}/accept", data={"decision": "受理", "csrf_token": csrf_token(officer, url)})
    assert accepted.status_code == 302
    assert "已受理" in officer.get(url).get_data(as_text=True)
    other = app.test_client()
    login(other, "credit")
    assert other.get(url).status_code == 403


def test_an_officer_who_registers_a_letter_sees_the_ticket_and_where_it_went(
    app: Any, client: Any, engine: Any, province: Any
) -> None:
    login(client, "inspector")
    form = {
        "ticket_no": "", "received_at": clock.beijing_now().strftime("%Y-%m-%dT00:00"), "channel": "信件",
        "category": "举报", "uscc": "", "firm_name": "某某美容店", "firm_address": "上城区",
        "content": "无证经营美容项目", "complainant_name": "", "complainant_phone": "",
        "csrf_token": csrf_token(client, "/complaints/new"),
    }  # fmt: skip
    made = client.post("/complaints/new", data=form, headers=REFERER, follow_redirects=True)
    html = made.get_data(as_text=True)
    with Session(engine) as session:
        row = session.exec(select(Complaint)).one()
    # No longer "已登记" above "无权访问": the registrar reads the 工单 (read-only) and is told where it went.
    assert made.status_code == 200 and f"已登记工单 {row.ticket_no}" in html and "无权访问" not in html
    assert "待督查室分派承办部门" in html and "无证经营美容项目" in html and "签收（本人承办）" not in html
    stranger = app.test_client()
    login(stranger, "credit")
    assert stranger.get(f"/complaints/{row.ticket_no}").status_code == 403


def test_irreversible_steps_ask_before_they_are_sent() -> None:
    from pathlib import Path

    root = Path(__file__).parent.parent
    script = (root / "supervise" / "static" / "confirm.js").read_text(encoding="utf-8")
    assert "data" in script and "window.confirm" in script and "preventDefault" in script
    assert "confirm.js" in (root / "supervise" / "templates" / "supervise" / "base.html").read_text(encoding="utf-8")
    for template, words in (
        ("inspections/templates/inspections/review.html", "公示后不能撤回"),
        ("inspections/templates/inspections/visit.html", "公示后不能撤回"),
        ("inspections/templates/inspections/cases.html", "确认登记该处罚决定"),
        ("reports/templates/oversight/desk.html", "确认生效"),
    ):
        assert 'data-confirm="' in (root / template).read_text(encoding="utf-8"), template
        assert words in (root / template).read_text(encoding="utf-8"), template
