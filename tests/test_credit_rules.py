"""Credit rules on plain data: deadlines in working days, repair eligibility, tiers, licensing decisions."""

from datetime import date

import pytest

from credit.lifecycle import EntryFacts, TransitionRefused, check_decision_allowed, expires_on, next_state
from credit.lifecycle import transition_effects as effects
from credit.rules import ListRule, Measure, Period, decide_licensing, honoured, risk_tier

ABNORMAL = ListRule(
    code="ABNORMAL",
    name="经营异常名录",
    kind="abnormal",
    statement_period=Period(5, "working_days"),
    decision_deadline=Period(10, "working_days"),
    objection_answer=Period(10, "working_days"),
    min_display=Period(6, "months"),
    min_display_strict=Period(1, "years"),
    strict_industries=("C13", "C14", "C27", "F52"),
    escalate_after=Period(3, "years"),
    escalate_to="BLACK",
)
BLACK = ListRule(
    code="BLACK",
    name="严重失信主体名单",
    kind="black",
    statement_period=Period(5, "working_days"),
    decision_deadline=Period(10, "working_days"),
    objection_answer=Period(10, "working_days"),
    min_display=Period(1, "years"),
    max_period=Period(3, "years"),
    restricts_officers=True,
)


def test_statement_period_counts_working_days_across_national_day() -> None:
    # Notified Fri 26 Sep 2025: 28 (make-up Sunday), 29, 30 Sep, then 9, 10 Oct -> due 10 Oct 2025.
    due = ABNORMAL.statement_period.after(date(2025, 9, 26))
    assert due == date(2025, 10, 10)
    with pytest.raises(TransitionRefused, match="2025-10-10"):
        check_decision_allowed(statement_due=due, today=date(2025, 10, 10), statement_received=False)
    check_decision_allowed(statement_due=due, today=date(2025, 10, 11), statement_received=False)
    check_decision_allowed(statement_due=due, today=date(2025, 9, 29), statement_received=True)


def test_repair_is_refused_before_the_minimum_display() -> None:
    with pytest.raises(TransitionRefused, match="2026-07-15") as info:
        effects(
            EntryFacts("listed", listed_on=date(2026, 1, 15), industry_code="I65"),
            ABNORMAL,
            "apply_repair",
            date(2026, 7, 14),
            commitment_letter=True,
        )
    assert info.value.field == "applied_on"
    after = effects(
        EntryFacts("listed", listed_on=date(2026, 1, 15), industry_code="I65"),
        ABNORMAL,
        "apply_repair",
        date(2026, 7, 15),
        commitment_letter=True,
    )
    assert after == {"state": "repair_applied", "repair_applied_on": date(2026, 7, 15), "repair_commitment": True}


def test_food_firms_wait_a_year_before_repair() -> None:
    with pytest.raises(TransitionRefused, match="2027-01-15"):
        effects(
            EntryFacts("listed", listed_on=date(2026, 1, 15), industry_code="C14"),
            ABNORMAL,
            "apply_repair",
            date(2026, 12, 1),
            commitment_letter=True,
        )


def test_repair_needs_a_commitment_letter() -> None:
    with pytest.raises(TransitionRefused) as info:
        effects(
            EntryFacts("listed", listed_on=date(2025, 1, 1), industry_code="I65"),
            ABNORMAL,
            "apply_repair",
            date(2026, 1, 1),
            commitment_letter=False,
        )
    assert info.value.field == "commitment_letter"


def test_black_list_entries_expire_after_their_maximum_period() -> None:
    assert expires_on(BLACK, date(2024, 2, 29)) == date(2027, 2, 28)
    assert expires_on(ABNORMAL, date(2024, 2, 29)) is None


def test_state_machine_refuses_skipping_due_process() -> None:
    assert next_state("proposed", "notify") == "notified"
    assert next_state("notified", "decide") == "listed"
    with pytest.raises(TransitionRefused, match="可进行的操作：送达告知书、撤回"):
        next_state("proposed", "decide")
    with pytest.raises(TransitionRefused):
        next_state("removed", "apply_repair")


@pytest.mark.parametrize(
    "kinds,problems,clean,tier",
    [
        (["black", "red"], 0, 3, "D"),
        (["abnormal"], 0, 0, "C"),
        ([], 1, 2, "C"),
        (["red"], 0, 0, "A"),
        ([], 0, 1, "A"),
        ([], 0, 0, "B"),
    ],
)
def test_risk_tier_rule(kinds: list[str], problems: int, clean: int, tier: str) -> None:
    assert risk_tier(active_kinds=kinds, problems_last_two_years=problems, inspected_clean_last_two_years=clean) == tier


CATALOGUE = [
    Measure("BLACK", "*", "strict_review", "从严审查", "国办发〔2016〕33号"),
    Measure("BLACK", "SCJG-SPSC", "deny", "不予许可", "《食品安全法》第一百三十五条"),
    Measure("BLACK", "*", "no_commitment", "不适用告知承诺制", "国办发〔2020〕49号"),
    Measure("RED", "*", "tolerance", "容缺受理", "国办发〔2016〕33号"),
]


def test_licensing_decisions() -> None:
    assert decide_licensing(active_list_types=["BLACK"], matter="SCJG-SPSC", catalogue=CATALOGUE).decision == "deny"
    restricted = decide_licensing(active_list_types=["BLACK", "RED"], matter="WSJK-GGCS", catalogue=CATALOGUE)
    assert restricted.decision == "restrict"
    assert [m.effect for m in restricted.measures] == ["strict_review", "no_commitment", "tolerance"]
    red = decide_licensing(active_list_types=["RED"], matter="WSJK-GGCS", catalogue=CATALOGUE)
    assert red.decision == "allow_with_measures" and red.measures[0].text == "容缺受理"
    assert decide_licensing(active_list_types=[], matter="WSJK-GGCS", catalogue=CATALOGUE).decision == "allow"


def test_outcomes_that_ignore_the_check_are_breaches() -> None:
    assert not honoured(decision="deny", granted=True, measures_required=[], measures_applied=[])
    assert not honoured(decision="restrict", granted=True, measures_required=["strict_review"], measures_applied=[])
    assert honoured(
        decision="restrict", granted=True, measures_required=["strict_review"], measures_applied=["strict_review"]
    )
    assert honoured(decision="restrict", granted=False, measures_required=["strict_review"], measures_applied=[])
