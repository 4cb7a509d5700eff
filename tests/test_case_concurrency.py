"""Every step of the case procedure takes effect once when the same request arrives ten times at once."""

# ruff: noqa: F811 - the `visit` fixture is imported and named as a parameter
from __future__ import annotations

from datetime import date
from typing import Any

from tests.casekit import HEAVY, at
from tests.conftest import bearer
from tests.test_case_procedure import FILED, _badge, _filed
from tests.test_disposals import _dispose, visit  # noqa: F401 - the fixture
from tests.test_exactly_once import at_once, audit_count, statuses


def _ten(app: Any, case_id: int, step: str, body: dict[str, Any], user: str = "inspector") -> None:
    token = bearer(app, user)
    responses = at_once(app, 10, lambda c: c.post(f"/api/cases/{case_id}/{step}", json=body, headers=token))
    assert statuses(responses) == {200: 1, 409: 9}, [r.get_json() for r in responses if r.status_code != 409]


def test_each_step_before_the_decision_takes_effect_once_under_ten_simultaneous_requests(
    app: Any, client: Any, engine: Any, visit: dict[str, Any], frozen_clock: Any
) -> None:
    case_id = _filed(app, client, visit["target"])
    day = FILED.isoformat()
    steps: list[tuple[str, dict[str, Any], str, str]] = [
        ("inform", {"inform_number": "杭上市监罚告〔2026〕9号", "informed_on": day, "measures": HEAVY,
                    "proposed_amount": "100000", "facts": "事实", "reasons": "理由", "basis": "依据"},
         "inspector", "case.notified"),
        ("request-hearing", {"requested_on": day}, "inspector", "case.hearing_requested"),
        ("statement", {"stated_on": day, "statement": "请求从轻"}, "inspector", "case.statement"),
        ("review-statement", {"reviewed_on": day, "adopted": False, "opinion": "不予采纳"}, "inspector",
         "case.statement_reviewed"),
        ("notice-hearing", {"notice_number": "杭上市监听通〔2026〕9号", "noticed_on": day, "hearing_on": "2026-10-13",
                            "place": "听证室",
                            "host_badge": _badge(engine, "inspector2")}, "inspector", "case.hearing_noticed"),
    ]  # fmt: skip
    for step, body, user, action in steps:
        _ten(app, case_id, step, body, user)
        assert audit_count(engine, action) == 1, step
    frozen_clock.set(at(date(2026, 10, 13)))
    later = "2026-10-13"
    for step, body, user, action in [
        ("hearing", {"held_on": later, "record": "当事人到场"}, "inspector2", "case.hearing_held"),
        ("legal-review", {"reviewed_on": later, "passed": True, "opinion": "同意"}, "inspector2", "case.legal_review"),
        ("collective", {"held_on": later, "attendees": "局长", "conclusion": "同意"}, "inspector", "case.collective"),
        ("extend", {"days": 10, "approved_on": later, "approved_by": "局长", "reason": "听证后补充调查"},
         "inspector", "case.extended"),
        ("decide", {"decision_number": "杭上市监罚〔2026〕9号", "decided_on": later, "penalty_kind": "heavy",
                    "content": "罚款十万元", "amount": "100000"}, "inspector", "case.decided"),
    ]:  # fmt: skip
        _ten(app, case_id, step, body, user)
        assert audit_count(engine, action) == 1, step


def test_a_no_penalty_decision_a_criminal_referral_and_a_filing_extension_each_take_effect_once(
    app: Any, client: Any, engine: Any, visit: dict[str, Any], frozen_clock: Any
) -> None:
    lenient = _filed(app, client, visit["target"])
    body = {"decision_number": "杭上市监不罚〔2026〕9号", "decided_on": FILED.isoformat(), "ground": "minor",
            "education": "当场宣讲", "correction": "已改正"}  # fmt: skip
    _ten(app, lenient, "no-penalty", body)
    referred = _filed(app, client, visit["target"], "杭上市监立〔2026〕502号")
    body = {"reported_on": FILED.isoformat(), "approved_on": FILED.isoformat(), "transferred_on": FILED.isoformat(),
            "approved_by": "局长", "organ": "公安机关"}  # fmt: skip
    _ten(app, referred, "transfer", body)
    assert audit_count(engine, "case.no_penalty") == 1 and audit_count(engine, "case.transferred") == 1
    received = _dispose(app, client, visit["target"], kind="case", reason="涉嫌违法").get_json()["case"]["id"]
    grant = {"approved_on": FILED.isoformat(), "approved_by": "局长", "reason": "需调取外地证据"}
    _ten(app, received, "extend-filing", grant)
    assert audit_count(engine, "case.filing_extended") == 1
