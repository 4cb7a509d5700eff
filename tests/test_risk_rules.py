"""Tiers from scores with their rule floors, and the inspector effect's shrinkage, on plain data."""

from __future__ import annotations

from collections import Counter

from credit.risk.grading import SHARES, cuts, floor
from credit.risk.inspectors import InspectorVisits, effects


def test_tiers_take_their_shares_of_the_scored_firms_from_the_top() -> None:
    scores = [i / 1000 for i in range(1000)]
    cut = cuts(scores)
    counts = Counter(cut.tier(s) for s in scores)
    assert {t: counts[t] / 1000 for t in "ABCD"} == {t: SHARES[t] for t in "ABCD"}
    assert cut.tier(1.0) == "D" and cut.tier(0.0) == "A"


def test_a_seriously_dishonest_firm_is_d_and_an_abnormal_one_at_least_c_whatever_its_score() -> None:
    assert floor("A", effects=["key_supervision"]) == ("D", "列入严重违法失信名单（重点监管）的企业为 D 类")
    assert floor("B", kinds=["abnormal"]) == ("C", "列入经营异常名录的企业至少为 C 类")
    assert floor("D", kinds=["abnormal"]) == ("D", None)  # a floor never lowers a tier
    assert floor("C", kinds=["abnormal"]) == ("C", None)
    assert floor("A", effects=["key_supervision"], kinds=["abnormal"])[0] == "D"
    assert floor("A", effects=["lower_ratio"], kinds=["red"]) == ("A", None)


def test_small_numbers_flag_no_inspector_and_a_large_shortfall_does() -> None:
    rows = [
        InspectorVisits("新人", visits=3, found=0, expected=1.2),  # nothing found, but too few visits to say
        InspectorVisits("甲", visits=400, found=12, expected=80.0),  # a fifth of what the firms' risks expect
        InspectorVisits("乙", visits=400, found=85, expected=80.0),
        InspectorVisits("丙", visits=380, found=90, expected=76.0),
        InspectorVisits("丁", visits=420, found=88, expected=84.0),
    ]
    found = {e.inspector: e for e in effects(rows)}
    assert not found["新人"].flagged and found["新人"].upper > 1
    assert found["甲"].flagged and found["甲"].upper < 0.6
    assert not any(found[x].flagged for x in "乙丙丁")
    # shrinkage: the estimate sits between the raw ratio and "as expected", closer to 1 for fewer visits
    new = found["新人"]
    assert new.raw_ratio == 0.0 and 0.0 < new.shrunk_ratio < 1.0
    assert abs(1 - new.shrunk_ratio) < abs(1 - found["甲"].shrunk_ratio)
    assert effects(rows)[0].inspector == "甲"  # lowest shrunk ratio first
