"""Credit rules on plain data: deadlines in working days, repair eligibility, tiers, licensing decisions."""

from datetime import date

import pytest

from credit import law
from credit.lifecycle import EntryFacts, TransitionRefused, check_decision_allowed, expires_on, next_state
from credit.lifecycle import transition_effects as effects
from credit.rules import ActiveEntry, ListRule, Measure, decide_licensing, honoured, risk_tier

# The rules as the application installs them (credit/law.py), so these tests pin the real values.
RULES = {code: ListRule.from_data(code, name, kind, data) for code, name, kind, data in law.LIST_TYPES}
ABNORMAL, BLACK = RULES["ABNORMAL"], RULES["BLACK"]


def test_statement_period_counts_working_days_across_national_day() -> None:
    # Notified Fri 26 Sep 2025: 28 (make-up Sunday), 29, 30 Sep, then 9, 10 Oct -> due 10 Oct 2025.
    due = ABNORMAL.statement_period.after(date(2025, 9, 26))
    assert due == date(2025, 10, 10)
    with pytest.raises(TransitionRefused, match="2025-10-10"):
        check_decision_allowed(statement_due=due, today=date(2025, 10, 10), statement_received=False)
    check_decision_allowed(statement_due=due, today=date(2025, 10, 11), statement_received=False)
    check_decision_allowed(statement_due=due, today=date(2025, 9, 29), statement_received=True)


BLACK_CONDITIONS = {"performed": "缴款凭证", "harm_removed": "整改报告", "no_heavy_penalty": "查询记录"}
BLACK_CONDITIONS |= {"not_measure_running": "管理措施已届满"}


def test_black_list_repair_waits_a_year_and_records_every_condition_with_evidence() -> None:
    listed = EntryFacts("listed", listed_on=date(2026, 1, 15))
    with pytest.raises(TransitionRefused, match="2027-01-15") as info:
        effects(listed, BLACK, "apply_repair", date(2027, 1, 14), note="申请提前移出", commitment_letter=True)
    assert info.value.field == "applied_on"
    missing = dict(BLACK_CONDITIONS, harm_removed=" ")
    with pytest.raises(TransitionRefused) as info:
        effects(listed, BLACK, "apply_repair", date(2027, 1, 15), note="x", conditions=missing, commitment_letter=True)
    assert info.value.field == "conditions.harm_removed"
    with pytest.raises(TransitionRefused) as info:
        effects(listed, BLACK, "apply_repair", date(2027, 1, 15), note="x", conditions=BLACK_CONDITIONS)
    assert info.value.field == "commitment_letter"  # the letter is needed, and not enough on its own
    after = effects(
        listed, BLACK, "apply_repair", date(2027, 1, 15), note="x", conditions=BLACK_CONDITIONS, commitment_letter=True
    )
    assert after["state"] == "repair_applied" and "缴款凭证" in after["repair_conditions"]


def test_an_abnormal_firm_may_apply_for_removal_the_day_it_is_listed_with_its_commitment_letter() -> None:
    listed = EntryFacts("listed", listed_on=date(2026, 3, 2))
    after = effects(listed, ABNORMAL, "apply_repair", date(2026, 3, 2), note="已补报", commitment_letter=True)
    assert after["repair_due"] == date(2026, 3, 9)  # 5 working days
    # 信用修复管理办法: a 守信承诺书 with every repair application, 经营异常名录 included
    with pytest.raises(TransitionRefused, match="承诺书"):
        effects(listed, ABNORMAL, "apply_repair", date(2026, 3, 2), note="已补报")


def test_black_list_entries_expire_after_their_maximum_period() -> None:
    assert expires_on(BLACK, date(2024, 2, 29)) == date(2027, 2, 28)
    assert expires_on(ABNORMAL, date(2024, 2, 29)) is None


def test_state_machine_refuses_skipping_due_process() -> None:
    assert next_state("proposed", "notify") == "notified"
    assert next_state("notified", "decide") == "listed"
    with pytest.raises(TransitionRefused, match="可进行的操作：受理异议、不予受理异议"):
        next_state("objection_filed", "uphold")
    with pytest.raises(TransitionRefused):
        next_state("removed", "apply_repair")


@pytest.mark.parametrize(
    "kinds,effects_,problems,clean,tier",
    [
        (["black", "red"], ["key_supervision", "lower_ratio"], 0, 3, "D"),
        (["abnormal"], [], 0, 0, "C"),
        ([], [], 1, 2, "C"),
        (["red"], ["lower_ratio"], 0, 0, "A"),
        (["red"], [], 0, 0, "B"),  # a red list without 降低抽查比例 does not lower the tier by itself
        ([], [], 0, 1, "A"),
        ([], [], 0, 0, "B"),
    ],
)
def test_risk_tier_rule(kinds: list[str], effects_: list[str], problems: int, clean: int, tier: str) -> None:
    got = risk_tier(
        active_kinds=kinds, effects=effects_, problems_last_two_years=problems, inspected_clean_last_two_years=clean
    )
    assert got == tier


CATALOGUE = [
    Measure("BLACK", "*", "strict_review", "从严审查", "总局令第44号"),
    Measure("BLACK", "SCJG-SPSC", "deny", "不予许可", "《食品安全法》第一百三十五条", "LICENCE_REVOKED", "食品"),
    Measure("BLACK", "*", "no_commitment", "不适用告知承诺制", "总局令第44号"),
    Measure("RED", "*", "tolerance", "容缺受理", "国发〔2016〕33号"),
]
REVOKED_FOOD, HEAVY = ActiveEntry("BLACK", "LICENCE_REVOKED", "食品"), ActiveEntry("BLACK", "HEAVY_PENALTY", "食品")


def test_licensing_decisions() -> None:
    assert decide_licensing(entries=[REVOKED_FOOD], matter="SCJG-SPSC", catalogue=CATALOGUE).decision == "deny"
    assert decide_licensing(entries=[HEAVY], matter="SCJG-SPSC", catalogue=CATALOGUE).decision == "restrict"
    revoked_elsewhere = ActiveEntry("BLACK", "LICENCE_REVOKED", "特种设备")
    assert decide_licensing(entries=[revoked_elsewhere], matter="SCJG-SPSC", catalogue=CATALOGUE).decision == "restrict"
    restricted = decide_licensing(entries=[HEAVY, ActiveEntry("RED")], matter="WSJK-GGCS", catalogue=CATALOGUE)
    assert restricted.decision == "restrict"
    assert [m.effect for m in restricted.measures] == ["strict_review", "no_commitment", "tolerance"]
    red = decide_licensing(entries=[ActiveEntry("RED")], matter="WSJK-GGCS", catalogue=CATALOGUE)
    assert red.decision == "allow_with_measures" and red.measures[0].text == "容缺受理"
    assert decide_licensing(entries=[], matter="WSJK-GGCS", catalogue=CATALOGUE).decision == "allow"


def test_outcomes_that_ignore_the_check_are_breaches() -> None:
    assert not honoured(decision="deny", granted=True, measures_required=[], measures_applied=[])
    assert not honoured(decision="restrict", granted=True, measures_required=["strict_review"], measures_applied=[])
    assert honoured(
        decision="restrict", granted=True, measures_required=["strict_review"], measures_applied=["strict_review"]
    )
    assert honoured(decision="restrict", granted=False, measures_required=["strict_review"], measures_applied=[])
