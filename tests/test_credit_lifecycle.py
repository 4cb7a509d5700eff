"""The list lifecycle on plain data: what each transition does to an entry, and which actions a page offers."""

from datetime import date

import pytest

from credit.lifecycle import (
    OFFICER_ACTIONS,
    TRANSITIONS,
    EntryFacts,
    FourEyesRefused,
    TransitionRefused,
    allowed_actions,
    transition_effects,
)
from credit.rules import ListRule, Period
from supervise.workdays import WorkCalendar
from tests.test_credit_rules import BLACK

RED = ListRule(
    code="RED",
    name="守信激励名单",
    kind="red",
    statement_period=Period(0, "working_days"),
    decision_deadline=Period(10, "working_days"),
    objection_answer=Period(10, "working_days"),
    min_display=Period(0, "days"),
    max_period=Period(2, "years"),
    repair_requires_commitment=False,
)
MON = date(2030, 3, 4)  # a plain week far from any holiday: Monday
PLAIN_WEEKS = WorkCalendar()  # 2030 is not yet announced: Monday to Friday


def _actions(entry: EntryFacts, rule: ListRule = BLACK, today: date = MON, user_id: int | None = 7) -> dict[str, str]:
    return {o.action: o.refusal for o in allowed_actions(entry, rule, today, user_id=user_id)}


def test_notifying_sets_the_statement_deadline_in_working_days() -> None:
    after = transition_effects(EntryFacts("proposed"), BLACK, "notify", MON, calendar=PLAIN_WEEKS)
    assert after == {"state": "notified", "notified_on": MON, "statement_due": date(2030, 3, 11)}


def test_deciding_lists_the_entry_with_its_decision_number_and_expiry() -> None:
    entry = EntryFacts("notified", proposed_by=1, statement_due=date(2030, 3, 1))
    after = transition_effects(entry, BLACK, "decide", MON, user_id=2, decision_number="杭市监信〔2030〕1号")
    assert after == {
        "state": "listed",
        "approved_by": 2,
        "decision_number": "杭市监信〔2030〕1号",
        "listed_on": MON,
        "expires_on": date(2033, 3, 4),
    }


def test_the_proposer_cannot_decide_and_the_page_says_so_without_a_button() -> None:
    entry = EntryFacts("notified", proposed_by=7, statement_due=date(2030, 3, 1))
    with pytest.raises(FourEyesRefused) as info:
        transition_effects(entry, BLACK, "decide", MON, user_id=7, decision_number="x")
    assert info.value.field == "approved_by"
    assert _actions(entry) == {"decide": "须由另一名信用管理人员决定", "withdraw": ""}


def test_a_decision_waits_for_the_statement_period_unless_the_firm_has_spoken() -> None:
    waiting = EntryFacts("notified", proposed_by=1, statement_due=MON)
    assert _actions(waiting)["decide"] == "陈述申辩期至 2030-03-04"
    spoken = EntryFacts("notified", proposed_by=1, statement_due=MON, statement_received=True)
    assert _actions(spoken)["decide"] == ""


def test_a_decision_needs_its_number() -> None:
    entry = EntryFacts("notified", proposed_by=1, statement_due=date(2030, 3, 1))
    with pytest.raises(TransitionRefused) as info:
        transition_effects(entry, BLACK, "decide", MON, user_id=2)
    assert info.value.field == "decision_number"


def test_an_objection_records_its_text_and_answer_deadline() -> None:
    after = transition_effects(EntryFacts("listed"), BLACK, "object", MON, calendar=PLAIN_WEEKS, note="已补报年报")
    assert after == {
        "state": "objected",
        "objection": "已补报年报",
        "objected_on": MON,
        "objection_due": date(2030, 3, 18),
    }
    answered = transition_effects(EntryFacts("objected"), BLACK, "remove", MON, note="异议成立")
    assert answered == {"state": "removed", "objection_answered_on": MON, "ended_on": MON, "end_reason": "异议成立"}


def test_ending_an_entry_records_the_day_and_the_reason() -> None:
    assert transition_effects(EntryFacts("proposed"), BLACK, "withdraw", MON) == {
        "state": "withdrawn",
        "ended_on": MON,
        "end_reason": "withdraw",
    }


def test_repair_before_the_minimum_display_is_withheld_with_the_date_it_opens() -> None:
    listed = EntryFacts("listed", listed_on=date(2029, 6, 1))
    assert "自 2030-06-01 起方可申请信用修复" in _actions(listed)["apply_repair"]
    assert _actions(listed, today=date(2030, 6, 1))["apply_repair"] == ""


def test_red_lists_offer_no_credit_repair_and_refuse_it() -> None:
    assert set(_actions(EntryFacts("listed"), RED)) == {"object", "remove"}
    with pytest.raises(TransitionRefused) as info:
        transition_effects(EntryFacts("listed"), RED, "apply_repair", MON)
    assert info.value.field == "action"


def test_ended_entries_offer_nothing_and_expiry_is_never_offered() -> None:
    assert _actions(EntryFacts("removed")) == {}
    assert all("expire" not in _actions(EntryFacts(state)) for state, _a in TRANSITIONS)
    assert transition_effects(EntryFacts("listed"), BLACK, "expire", MON)["state"] == "expired"


def test_the_api_schema_offers_exactly_the_officers_actions() -> None:
    from credit.schemas import TransitionRequest

    enum = TransitionRequest.model_json_schema()["properties"]["action"]["enum"]
    assert enum == list(OFFICER_ACTIONS)
    assert set(enum) == {a for _s, a in TRANSITIONS} - {"expire"}
