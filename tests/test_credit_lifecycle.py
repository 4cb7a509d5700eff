"""The list lifecycle on plain data: what each transition does to an entry, and which actions a page offers."""

from datetime import date, timedelta
from typing import Any

import pytest

from credit.lifecycle import (
    DECISIVE,
    OFFICER_ACTIONS,
    TRANSITIONS,
    EntryFacts,
    FourEyesRefused,
    TransitionRefused,
    allowed_actions,
    transition_effects,
)
from credit.rules import ListRule
from supervise.workdays import WorkCalendar
from tests.test_credit_rules import ABNORMAL, BLACK, RULES

RED = RULES["RED_TAX"]
MON = date(2030, 3, 4)  # a plain week far from any holiday: Monday
PLAIN_WEEKS = WorkCalendar()  # 2030 is not yet announced: Monday to Friday


def _actions(
    entry: EntryFacts, rule: ListRule = ABNORMAL, today: date = MON, user_id: int | None = 7
) -> dict[str, str]:
    return {o.action: o.refusal for o in allowed_actions(entry, rule, today, user_id=user_id)}


def test_notifying_sets_the_statement_deadline_in_working_days_and_the_notifier() -> None:
    after = transition_effects(EntryFacts("proposed"), ABNORMAL, "notify", MON, calendar=PLAIN_WEEKS, user_id=3)
    assert after == {"state": "notified", "notified_on": MON, "notified_by": 3, "statement_due": date(2030, 3, 11)}


def test_a_notice_served_before_today_starts_the_statement_period_on_its_serving_day_and_not_in_the_future() -> None:
    served = date(2030, 2, 25)  # the Monday before: the 告知书 was handed over then and recorded today
    entry = EntryFacts("proposed", found_on=date(2030, 2, 20))
    after = transition_effects(entry, ABNORMAL, "notify", MON, calendar=PLAIN_WEEKS, user_id=3, served_on=served)
    assert after["notified_on"] == served and after["statement_due"] == date(2030, 3, 4)
    with pytest.raises(TransitionRefused, match="不能晚于今天") as late:
        transition_effects(entry, ABNORMAL, "notify", MON, user_id=3, served_on=MON + timedelta(days=1))
    assert late.value.field == "served_on"
    with pytest.raises(TransitionRefused, match="不能早于发现违法事实之日"):
        transition_effects(entry, ABNORMAL, "notify", MON, user_id=3, served_on=date(2030, 2, 19))


def test_a_black_list_proposal_is_decided_directly_with_its_number_and_expiry() -> None:
    entry = EntryFacts("proposed", proposed_by=1)
    assert set(_actions(entry, BLACK)) == {"decide", "withdraw"}  # 告知 ran with the penalty procedure
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
        transition_effects(entry, ABNORMAL, "decide", MON, user_id=7, decision_number="x")
    assert info.value.field == "approved_by"
    assert _actions(entry) == {"decide": "须由另一名信用管理人员决定", "withdraw": ""}


# Every decisive step, the facts of an entry waiting for it, and the officer (7) who opened it.
OPENED_BY_7: list[tuple[ListRule, str, EntryFacts, dict[str, Any]]] = [
    (ABNORMAL, "decide", EntryFacts("notified", proposed_by=7, statement_received=True), {"decision_number": "x"}),
    (  # a system proposal: the officer who notified it
        ABNORMAL,
        "decide",
        EntryFacts("notified", proposed_by=None, notified_by=7, statement_received=True),
        {"decision_number": "x"},
    ),
    (BLACK, "decide", EntryFacts("proposed", proposed_by=7), {"decision_number": "x"}),
    (ABNORMAL, "accept_objection", EntryFacts("objection_filed", objection_by=7), {}),
    (ABNORMAL, "reject_objection", EntryFacts("objection_filed", objection_by=7), {"note": "无新证据"}),
    (ABNORMAL, "uphold", EntryFacts("objected", objection_by=7), {"note": "核实属实"}),
    (ABNORMAL, "remove", EntryFacts("objected", objection_by=7), {"note": "列入有误"}),
    (BLACK, "revoke", EntryFacts("listed", objection_by=7, review_filed=True), {"note": "复议撤销处罚"}),
    (ABNORMAL, "approve_repair", EntryFacts("repair_applied", repair_by=7), {}),
    (ABNORMAL, "reject_repair", EntryFacts("repair_applied", repair_by=7), {"note": "仍无法联系"}),
]


@pytest.mark.parametrize("rule,action,entry,kw", OPENED_BY_7, ids=[f"{r.code}-{a}" for r, a, _e, _k in OPENED_BY_7])
def test_four_eyes_holds_on_every_decisive_step(
    rule: ListRule, action: str, entry: EntryFacts, kw: dict[str, Any]
) -> None:
    with pytest.raises(FourEyesRefused):
        transition_effects(entry, rule, action, MON, user_id=7, **kw)
    assert transition_effects(entry, rule, action, MON, user_id=8, **kw)["state"] == TRANSITIONS[(entry.state, action)]


def test_every_decisive_action_is_walked_by_the_four_eyes_test() -> None:
    assert {action for _r, action, _e, _k in OPENED_BY_7} == set(DECISIVE)


def test_a_decision_waits_for_the_statement_period_unless_the_firm_has_spoken() -> None:
    waiting = EntryFacts("notified", proposed_by=1, statement_due=MON)
    assert _actions(waiting)["decide"] == "陈述申辩期至 2030-03-04"
    spoken = EntryFacts("notified", proposed_by=1, statement_due=MON, statement_received=True)
    assert _actions(spoken)["decide"] == ""


def test_a_decision_needs_its_number() -> None:
    entry = EntryFacts("notified", proposed_by=1, statement_due=date(2030, 3, 1))
    with pytest.raises(TransitionRefused) as info:
        transition_effects(entry, ABNORMAL, "decide", MON, user_id=2)
    assert info.value.field == "decision_number"


def test_an_objection_is_accepted_within_5_and_verified_within_20_working_days() -> None:
    listed = EntryFacts("listed", listed_on=date(2030, 2, 20))
    after = transition_effects(listed, ABNORMAL, "object", MON, calendar=PLAIN_WEEKS, note="已补报年报", user_id=3)
    assert after == {
        "state": "objection_filed",
        "objection": "已补报年报",
        "objected_on": MON,
        "objection_by": 3,
        "objection_accept_due": date(2030, 3, 11),
    }
    accepted = transition_effects(
        EntryFacts("objection_filed"), ABNORMAL, "accept_objection", MON, calendar=PLAIN_WEEKS
    )
    assert accepted == {"state": "objected", "objection_accepted_on": MON, "objection_due": date(2030, 4, 1)}


def test_the_black_list_has_no_in_system_objection_but_records_review_and_litigation() -> None:
    listed = EntryFacts("listed", listed_on=date(2029, 6, 1))
    offered = _actions(listed, BLACK)
    assert "object" not in offered and offered["record_review"] == "" and offered["revoke"] == "未登记复议、诉讼"
    assert offered["review_upheld"] == "未登记复议、诉讼"
    with pytest.raises(TransitionRefused) as info:
        transition_effects(listed, BLACK, "record_review", MON, note="杭州市人民政府", review_kind="仲裁")
    assert info.value.field == "review_kind"
    filed = transition_effects(listed, BLACK, "record_review", MON, note="杭州市人民政府", review_kind="行政复议")
    assert filed["state"] == "listed" and filed["review_kind"] == "行政复议" and filed["review_filed_on"] == MON
    reviewed = EntryFacts("listed", listed_on=date(2029, 6, 1), review_filed=True)
    upheld = transition_effects(reviewed, BLACK, "review_upheld", MON, note="杭政复〔2030〕12号")
    assert upheld == {"state": "listed", "review_result": "维持：杭政复〔2030〕12号"}


def test_ending_an_entry_records_the_day_and_the_reason() -> None:
    assert transition_effects(EntryFacts("proposed"), ABNORMAL, "withdraw", MON) == {
        "state": "withdrawn",
        "ended_on": MON,
        "end_reason": "撤回",
    }


def test_black_list_repair_before_a_year_is_withheld_with_the_date_it_opens() -> None:
    listed = EntryFacts("listed", listed_on=date(2029, 6, 1))
    assert _actions(listed, BLACK)["apply_repair"] == "2030-06-01 起可申请"
    assert _actions(listed, BLACK, today=date(2030, 6, 1))["apply_repair"] == ""


def test_red_lists_offer_no_repair_or_objection() -> None:
    assert _actions(EntryFacts("listed"), RED) == {}
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
