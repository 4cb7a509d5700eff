"""Carry a 行政处罚案件 through the steps before its decision over the JSON API, as its officers would."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from tests.conftest import bearer

HEAVY = ["fine", "confiscate", "suspend"]  # 责令停产停业: a 听证 is offered (行政处罚法 第六十三条)


def at(day: date) -> datetime:
    return datetime.combine(day, time(2), tzinfo=UTC)  # 10:00 in Beijing


def inform(
    app: Any, client: Any, case_id: int, on: date, *, measures: list[str], amount: str | None = None,
    listing: bool = False, number: str | None = None, user: str = "inspector",
) -> Any:  # fmt: skip
    body = {
        "inform_number": number or f"杭上市监罚告〔2026〕{case_id}号", "informed_on": on.isoformat(),
        "measures": measures, "proposed_amount": amount, "facts": "未建立进货查验记录",
        "reasons": "经责令改正拒不改正", "basis": "《中华人民共和国食品安全法》第一百二十六条", "listing": listing,
    }  # fmt: skip
    return client.post(f"/api/cases/{case_id}/inform", json=body, headers=bearer(app, user))


def ready_for_heavy_decision(
    app: Any, client: Any, frozen_clock: Any, case_id: int, on: date, measures: list[str] | None = None
) -> date:
    """告知 a heavy penalty with the listing on `on`, let the 听证 window pass unused, then 法制审核 (by a colleague
    who did not investigate) and 集体讨论; return the first day the decision may be made."""
    told = inform(app, client, case_id, on, measures=measures or HEAVY, amount="100000", listing=True)
    assert told.status_code == 200, told.get_json()
    window = date.fromisoformat(told.get_json()["case"]["hearing_request_due"])
    day = window + timedelta(days=1)
    frozen_clock.set(at(day))
    review = {"reviewed_on": day.isoformat(), "passed": True, "opinion": "事实清楚，程序合法"}
    done = client.post(f"/api/cases/{case_id}/legal-review", json=review, headers=bearer(app, "inspector2"))
    assert done.status_code == 200, done.get_json()
    talk = {"held_on": day.isoformat(), "attendees": "局长、副局长", "conclusion": "同意按告知内容处罚"}
    done = client.post(f"/api/cases/{case_id}/collective", json=talk, headers=bearer(app, "inspector"))
    assert done.status_code == 200, done.get_json()
    return day
