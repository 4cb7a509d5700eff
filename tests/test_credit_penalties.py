"""行政处罚信息 as a public credit record: publication, display by kind and field, early stop under four eyes."""

import json
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from sqlmodel import Session, col, select

from credit.penalties import display_rule
from supervise import clock
from supervise.models import AuditLog, Enterprise
from tests.conftest import bearer

CONDITIONS = {
    "performed": "罚款缴纳凭证",
    "harm_removed": "整改报告及复查记录",
    "no_repeat": "处罚记录查询结果",
    "commitment": "守信承诺书",
}


def at(d: date) -> datetime:
    return datetime(d.year, d.month, d.day, 10, tzinfo=clock.BEIJING)


@pytest.fixture
def firm(province: Any, engine: Any) -> Enterprise:
    with Session(engine) as session:
        return session.exec(select(Enterprise).order_by(col(Enterprise.id))).first()  # type: ignore[return-value]


def _publish(client: Any, app: Any, firm: Enterprise, **kw: Any) -> Any:
    body = {
        "uscc": firm.uscc,
        "decision_number": "杭上市监罚〔2026〕21号",
        "decided_on": clock.today().isoformat(),
        "penalty_kind": "ordinary",
        "penalty_field": "食品",
        "content": "经营超过保质期的食品，没收违法所得并处罚款",
        "department_code": "330102-SCJG",
        **kw,
    }
    return client.post("/api/credit/penalties", json=body, headers=bearer(app, "credit"))


def test_display_periods_follow_the_kind_and_the_field_of_the_penalty() -> None:
    assert display_rule("light", None).early_stop_after is None
    assert display_rule("light", None).display.describe() == "3个月"
    assert display_rule("ordinary", "食品").early_stop_after.describe() == "1年"  # type: ignore[union-attr]
    assert display_rule("ordinary", "特种设备").early_stop_after.describe() == "1年"  # type: ignore[union-attr]
    assert display_rule("ordinary", "广告").early_stop_after.describe() == "6个月"  # type: ignore[union-attr]
    assert display_rule("heavy", "食品").early_stop_after is None


def test_a_food_penalty_may_be_stopped_early_after_a_year_by_a_second_officer(
    app: Any, client: Any, firm: Enterprise, frozen_clock: Any
) -> None:
    published = _publish(client, app, firm)
    assert published.status_code == 201, published.get_json()
    pid, on = published.get_json()["id"], date.fromisoformat(published.get_json()["published_on"])
    page = client.get(f"/credit?q={firm.uscc}").get_data(as_text=True)
    assert "行政处罚信息" in page and "杭上市监罚〔2026〕21号" in page
    stop = f"/api/credit/penalties/{pid}/stop"
    frozen_clock.set(at(on + relativedelta(years=1) - timedelta(days=1)))
    early = client.post(stop, json={"conditions": CONDITIONS}, headers=bearer(app, "credit"))
    assert early.status_code == 422 and early.get_json()["fields"][0]["field"] == "applied_on"
    frozen_clock.set(at(on + relativedelta(years=1)))
    missing = client.post(stop, json={"conditions": {"performed": "凭证"}}, headers=bearer(app, "credit"))
    assert missing.status_code == 422 and missing.get_json()["fields"][0]["field"] == "conditions.harm_removed"
    assert client.post(stop, json={"conditions": CONDITIONS}, headers=bearer(app, "credit")).status_code == 200
    decision = f"/api/credit/penalties/{pid}/stop-decision"
    assert client.post(decision, json={"approve": True}, headers=bearer(app, "credit")).status_code == 403
    done = client.post(decision, json={"approve": True}, headers=bearer(app, "credit2"))
    assert done.status_code == 200 and done.get_json()["state"] == "stopped"
    assert "杭上市监罚〔2026〕21号" not in client.get(f"/credit?q={firm.uscc}").get_data(as_text=True)


def test_a_light_penalty_ends_by_itself_and_a_late_publication_is_recorded(
    app: Any, client: Any, engine: Any, firm: Enterprise
) -> None:
    from credit.penalties import end_displays
    from supervise.db import unit_of_work

    decided = clock.today() - timedelta(days=40)
    light = _publish(client, app, firm, penalty_kind="light", penalty_field=None, decided_on=decided.isoformat())
    body = light.get_json()
    assert body["display_until"] == (clock.today() + relativedelta(months=3)).isoformat()
    refused = client.post(
        f"/api/credit/penalties/{body['id']}/stop", json={"conditions": CONDITIONS}, headers=bearer(app, "credit")
    )
    assert refused.status_code == 422 and "不适用提前停止公示" in refused.get_json()["message"]
    with Session(engine) as session:
        payload = json.loads(
            session.exec(select(AuditLog.payload).where(AuditLog.action == "credit.penalty_published")).one()
        )
    assert payload["late"] is True  # published more than 20 working days after the decision
    with unit_of_work(engine) as session:
        assert end_displays(session, today=clock.today() + relativedelta(months=3)) == 1
        assert end_displays(session, today=clock.today() + relativedelta(months=3)) == 0


def test_the_licensing_check_and_the_credit_report_show_the_penalty(app: Any, client: Any, firm: Enterprise) -> None:
    _publish(client, app, firm)
    answer = client.post(
        "/api/credit/check", json={"uscc": firm.uscc, "matter": "SCJG-SPJY"}, headers=bearer(app, "licensing")
    ).get_json()
    assert [p["number"] for p in answer["penalties"]] == ["杭上市监罚〔2026〕21号"]
    assert answer["decision"] == "allow"  # no catalogue measure attaches an effect to 行政处罚信息
    pdf = client.get(f"/credit/report/{firm.uscc}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF-")


def test_ten_simultaneous_stop_decisions_take_effect_once(
    app: Any, client: Any, engine: Any, firm: Enterprise, frozen_clock: Any
) -> None:
    from tests.test_exactly_once import at_once, statuses

    published = _publish(client, app, firm, penalty_field="广告").get_json()
    frozen_clock.set(at(date.fromisoformat(published["published_on"]) + relativedelta(months=6)))
    stop = f"/api/credit/penalties/{published['id']}/stop"
    assert client.post(stop, json={"conditions": CONDITIONS}, headers=bearer(app, "credit")).status_code == 200
    headers = bearer(app, "credit2")
    url = f"/api/credit/penalties/{published['id']}/stop-decision"
    responses = at_once(app, 10, lambda c: c.post(url, json={"approve": True}, headers=headers))
    assert statuses(responses) == {200: 1, 409: 9}
    with Session(engine) as session:
        assert len(session.exec(select(AuditLog).where(AuditLog.action == "credit.penalty_stop_approved")).all()) == 1
