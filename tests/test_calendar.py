"""Deadlines in a year the official calendar lacks: provisional, never an error, recomputed once entered."""

import json
from datetime import date, datetime
from typing import Any

import pytest
from sqlmodel import Session, select

from credit.models import ListEntry
from supervise import clock
from supervise.models import AuditLog
from supervise.workdays import PROVISIONAL_NOTE, library_covers
from tests.conftest import bearer, csrf_token, district_firms, login
from tests.drawkit import add_firms, ceremony, finish_visit, make_task

pytestmark = pytest.mark.skipif(library_covers(2027), reason="the installed chinesecalendar already covers 2027")

# Test data only, not the State Council's arrangement for 2027: 1-3 January off, Sunday 10 January worked.
TEST_NOTICE = "测试用通知〔2027〕1号"


def beijing(y: int, m: int, d: int, h: int = 10) -> datetime:
    return datetime(y, m, d, h, tzinfo=clock.BEIJING)


@pytest.fixture
def drawn(province: Any, engine: Any) -> Any:
    add_firms(engine, 30)
    make_task(engine, "T1", window=("2026-07-01", "2026-12-31"))
    return ceremony(engine, "T1")


def _my_target(app: Any, client: Any) -> int:
    return int(client.get("/api/assignments", headers=bearer(app, "inspector")).get_json()[0]["target_id"])


def test_result_recorded_on_4_december_2026_gets_a_provisional_deadline_in_2027(
    app: Any, client: Any, drawn: Any, frozen_clock: Any, runner: Any
) -> None:
    frozen_clock.set(beijing(2026, 12, 4))  # a Friday; 20 working days reach into 2027
    target = _my_target(app, client)
    headers = bearer(app, "inspector")
    body = {"category": "未发现问题", "findings": "", "inspected_on": "2026-12-04"}
    assert client.post(f"/api/assignments/{target}/result", json=body, headers=headers).status_code == 201
    result = client.get(f"/api/assignments/{target}", headers=headers).get_json()["result"]
    # Monday to Friday: 7-11, 14-18, 21-25 December (15), 28-31 December (19); Friday 1 January 2027 is 元旦, whose
    # date is fixed even before the year's notice: Monday 4 January (20).
    assert result["publish_due"] == "2027-01-04"
    assert result["publish_due_provisional"] is True and result["publish_due_note"] == PROVISIONAL_NOTE
    login(client, "inspector")
    assert PROVISIONAL_NOTE in client.get("/inspections/my?when=all").get_data(as_text=True)

    # A half-entered year does not make it official.
    partial = runner.invoke(
        ["calendar", "year", "2027", "--notice", TEST_NOTICE, "--holidays", "2027-01-01..2027-01-03"]
    )
    assert partial.exit_code == 0, partial.output
    result = client.get(f"/api/assignments/{target}", headers=headers).get_json()["result"]
    assert result["publish_due"] == "2027-01-04" and result["publish_due_provisional"] is True

    done = runner.invoke(
        ["calendar", "year", "2027", "--notice", TEST_NOTICE, "--holidays", "2027-01-01..2027-01-03", "--complete"]
    )
    assert done.exit_code == 0 and "已完整录入" in done.output, done.output
    result = client.get(f"/api/assignments/{target}", headers=headers).get_json()["result"]
    assert result["publish_due"] == "2027-01-04" and result["publish_due_provisional"] is False


def test_an_inspection_finding_on_18_december_proposes_an_abnormal_entry_without_error(
    app: Any, client: Any, engine: Any, drawn: Any, frozen_clock: Any
) -> None:
    frozen_clock.set(beijing(2026, 12, 18))
    target = _my_target(app, client)
    body = {"category": "通过登记的住所（经营场所）无法联系", "findings": "现场无人", "inspected_on": "2026-12-18"}
    resp = client.post(f"/api/assignments/{target}/result", json=body, headers=bearer(app, "inspector"))
    assert resp.status_code == 201, resp.get_json()
    finish_visit(app, client, engine, target, "2026-12-18")  # the proposal follows the confirmation
    with Session(engine) as session:
        entry = session.exec(select(ListEntry).where(ListEntry.source_target_id == target)).one()
    # 10 working days from Friday 18 December: 21-25 (5), 28-31 (9), then 元旦 (fixed) is skipped: 4 January (10).
    assert entry.decision_due == date(2027, 1, 4)


def test_credit_deadlines_use_the_entered_calendar_and_are_recomputed(
    app: Any, client: Any, engine: Any, province: Any, frozen_clock: Any, runner: Any
) -> None:
    frozen_clock.set(beijing(2026, 12, 20))
    headers = bearer(app, "credit")
    firm = district_firms(engine, 1)[0]  # a firm of the demo officers' district
    body = {
        "uscc": firm.uscc,
        "list_type": "ABNORMAL",
        "ground": "UNREACHABLE",
        "reason": "通过登记的住所无法联系",
        "legal_basis": "《企业经营异常名录管理暂行办法》第四条第（四）项",
        "department_code": f"{firm.region_code}-SCJG",
        "public_summary": "通过登记的住所无法联系",
        "found_on": "2026-12-20",
    }
    proposed = client.post("/api/credit/entries", json=body, headers=headers)
    assert proposed.status_code == 201, proposed.get_json()
    entry = proposed.get_json()
    # 元旦 is off even before 2027's notice is known (its date is fixed): 10 working days reach Monday 4 January.
    assert entry["decision_due"] == "2027-01-04" and entry["provisional_deadlines"] == ["decision_due"]
    frozen_clock.set(beijing(2026, 12, 25))
    notified = client.post(f"/api/credit/entries/{entry['id']}/transitions", json={"action": "notify"}, headers=headers)
    assert notified.status_code == 200, notified.get_json()
    # 5 working days from Friday 25 December: 28, 29, 30, 31 December and Monday 4 January 2027.
    assert notified.get_json()["statement_due"] == "2027-01-04"
    assert notified.get_json()["provisional_note"] == PROVISIONAL_NOTE

    # The (test) notice gives 4 January off as well: both deadlines move a day.
    done = runner.invoke(
        ["calendar", "year", "2027", "--notice", TEST_NOTICE, "--holidays", "2027-01-01..2027-01-04", "--complete"]
    )
    assert done.exit_code == 0, done.output
    with Session(engine) as session:
        stored = session.get(ListEntry, entry["id"])
        assert stored is not None
        assert (stored.decision_due, stored.statement_due) == (date(2027, 1, 5), date(2027, 1, 5))
        logged = session.exec(select(AuditLog.payload).where(AuditLog.action == "calendar.year_entered")).one()
    moved = json.loads(logged)["deadlines_recomputed"]
    assert moved["credit_decision_due"] == 1 and moved["credit_statement_due"] == 1


def test_admin_enters_a_year_on_the_calendar_page_and_a_rejected_form_keeps_the_input(
    app: Any, client: Any, users: Any
) -> None:
    login(client, "supervisor")
    assert client.get("/admin/calendar").status_code == 403
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, "admin")
    page = client.get("/admin/calendar").get_data(as_text=True)
    assert "2027" in page and "未录入" in page
    token = csrf_token(client, "/admin/calendar")
    bad = client.post(
        "/admin/calendar",
        data={"csrf_token": token, "year": "2027", "notice": TEST_NOTICE, "holidays": "2027-01-01\n2027-13-40"},
    )
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert "无法识别的日期“2027-13-40”" in html and TEST_NOTICE in html and "2027-01-01\n2027-13-40" in html
    good = client.post(
        "/admin/calendar",
        data={
            "csrf_token": token,
            "year": "2027",
            "notice": TEST_NOTICE,
            "holidays": "2027-01-01..2027-01-03",
            "workdays": "2027-01-10",
            "complete": "1",
        },
    )
    assert good.status_code == 302
    page = client.get("/admin/calendar").get_data(as_text=True)
    assert "已完整录入" in page and TEST_NOTICE in page


def test_a_year_cannot_hold_a_day_that_is_both_holiday_and_working_day(runner: Any, app: Any) -> None:
    out = runner.invoke(
        [
            "calendar",
            "year",
            "2027",
            "--notice",
            TEST_NOTICE,
            "--holidays",
            "2027-01-01",
            "--workdays",
            "2027-01-01",
            "--complete",
        ]
    )
    assert out.exit_code == 1 and "不能既是放假日期又是调休上班日期" in out.output
