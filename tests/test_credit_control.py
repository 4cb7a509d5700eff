"""Licensing control that does not rely on the window's word: licences matched to checks, outcomes expected."""

from datetime import date, datetime
from typing import Any

import pytest
from sqlmodel import Session, col, select

from reports.metrics import compute
from supervise import clock
from supervise.models import AuditLog, Enterprise, License
from tests.conftest import bearer, csrf_token, login


def at(y: int, m: int, d: int, h: int = 10) -> datetime:
    return datetime(y, m, d, h, tzinfo=clock.BEIJING)


@pytest.fixture
def firm(province: Any, engine: Any) -> Enterprise:
    with Session(engine) as session:
        return session.exec(  # type: ignore[return-value]
            select(Enterprise).where(Enterprise.region_code == "330102").order_by(col(Enterprise.id))
        ).first()


def _licence(client: Any, app: Any, firm: Enterprise, issued: date, **kw: Any) -> Any:
    body = {
        "uscc": firm.uscc,
        "matter_code": "SCJG-SPJY",
        "matter_name": "食品经营许可",
        "department_code": "330102-SCJG",
        "issued_on": issued.isoformat(),
        **kw,
    }
    return client.post("/api/licenses", json=body, headers=bearer(app, "licensing"))


def _check(client: Any, app: Any, firm: Enterprise, matter: str = "SCJG-SPJY") -> str:
    resp = client.post(
        "/api/credit/check", json={"uscc": firm.uscc, "matter": matter}, headers=bearer(app, "licensing")
    )
    return str(resp.get_json()["check_id"])


def test_a_licence_issued_without_a_check_is_listed_as_a_breach(
    app: Any, client: Any, engine: Any, firm: Enterprise, frozen_clock: Any
) -> None:
    frozen_clock.set(at(2026, 9, 1))
    _check(client, app, firm, matter="WSJK-GGCS")  # another matter does not count
    resp = _licence(client, app, firm, date(2026, 9, 2))
    assert resp.status_code == 201 and resp.get_json()["unchecked"] is True and resp.get_json()["check_id"] is None
    listed = client.get("/api/credit/unchecked-licences", headers=bearer(app, "supervisor")).get_json()
    assert [(r["uscc"], r["matter"]) for r in listed] == [(firm.uscc, "SCJG-SPJY")]
    with Session(engine) as session:
        assert session.exec(select(AuditLog.action).where(AuditLog.action == "license.unchecked")).all()
        m = compute(session, region="330102", period="2026Q3", today=date(2026, 11, 30))
    dept = next(r for r in m["departments"] if r["code"] == "330102-SCJG")
    assert dept["counts"]["outcomes"] >= 1 and "licence_unchecked" in {e["kind"] for e in dept["evidence"]}


def test_a_licence_after_a_check_of_its_firm_and_matter_is_matched_to_it(
    app: Any, client: Any, engine: Any, firm: Enterprise, frozen_clock: Any
) -> None:
    frozen_clock.set(at(2026, 9, 1))
    check_id = _check(client, app, firm)
    frozen_clock.set(at(2026, 9, 8))
    resp = _licence(client, app, firm, date(2026, 9, 8))
    assert resp.status_code == 201 and resp.get_json()["check_id"] == check_id and not resp.get_json()["unchecked"]
    wrong = _licence(client, app, firm, date(2026, 9, 8), check_id="0123456789abcdef")
    assert wrong.status_code == 422 and wrong.get_json()["fields"][0]["field"] == "check_id"
    too_late = _licence(client, app, firm, date(2026, 10, 31), check_id=check_id)  # beyond the 30 days (本地设定)
    assert too_late.status_code == 422
    with Session(engine) as session:
        assert len(session.exec(select(License).where(License.enterprise_id == firm.id)).all()) >= 1


def test_a_check_without_an_outcome_after_five_working_days_is_counted_and_listed(
    app: Any, client: Any, engine: Any, firm: Enterprise, frozen_clock: Any
) -> None:
    frozen_clock.set(at(2026, 9, 1))  # Tuesday
    check_id = _check(client, app, firm)
    frozen_clock.set(at(2026, 9, 8))  # 5 working days later: still in time
    assert client.get("/api/credit/unreported-checks", headers=bearer(app, "supervisor")).get_json() == []
    frozen_clock.set(at(2026, 9, 9))
    listed = client.get("/api/credit/unreported-checks", headers=bearer(app, "supervisor")).get_json()
    assert [r["check_id"] for r in listed] == [check_id]
    with Session(engine) as session:
        m = compute(session, region="330102", period="2026Q3", today=date(2026, 9, 9))
    region = next(r for r in m["regions"] if r["code"] == "330102")
    assert region["counts"]["outcomes"] == 1 and region["counts"]["outcomes_honoured"] == 0
    assert [e["kind"] for e in region["evidence"] if e["kind"] == "outcome_unreported"] == ["outcome_unreported"]


def test_the_licensing_page_lists_the_windows_pending_checks_and_takes_their_outcome(
    app: Any, client: Any, engine: Any, firm: Enterprise
) -> None:
    check_id = _check(client, app, firm)
    login(client, "licensing")
    page = client.get("/credit/check").get_data(as_text=True)
    assert "待报告办理结果" in page and check_id in page and firm.name in page
    done = client.post(
        f"/credit/check/{check_id}/outcome", data={"granted": "1", "csrf_token": csrf_token(client, "/credit/check")}
    )
    assert done.status_code == 302
    assert check_id not in client.get("/credit/check").get_data(as_text=True)
