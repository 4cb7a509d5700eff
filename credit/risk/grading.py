"""Tiers A–D from risk scores (pure): shares of the scored population as data, then the rule floors.

The four classes follow 《市场监管总局关于推进企业信用风险分类管理进一步提升监管效能的意见》（国市监信发〔2022〕6号）.
Its full text could not be read on this machine, so only the instrument and its four classes are cited; the
indicator categories are not, and the shares below are the installation's own choice (本地设定)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from credit.law import local, src

CLASSIFICATION = src(
    "《市场监管总局关于推进企业信用风险分类管理进一步提升监管效能的意见》",
    "国市监信发〔2022〕6号",
    note="原文未能在本机完整读到：只引用该文件及其四类分类，不引用其指标类别",
)
TIER_LABELS = {
    "A": "A类（信用风险低）",
    "B": "B类（信用风险一般）",
    "C": "C类（信用风险较高）",
    "D": "D类（信用风险高）",
}
ORDER = "ABCD"
# share of the scored firms in each tier, from the highest scores down (本地设定)
SHARES: dict[str, float] = {"D": 0.05, "C": 0.15, "B": 0.50, "A": 0.30}
SHARES_SOURCE = local(
    "按评分划分信用风险分类的比例：评分最高的 5% 为 D 类，其后 15% 为 C 类，50% 为 B 类，其余 30% 为 A 类"
)
FLOORS = (
    {"effect": "key_supervision", "tier": "D", "label": "列入严重违法失信名单（重点监管）的企业为 D 类",
     "source": src("《市场监督管理严重违法失信名单管理办法》", "国家市场监督管理总局令第44号",
                   note="名单所附“列为重点监管对象，提高检查频次”措施")},
    {"kind": "abnormal", "tier": "C", "label": "列入经营异常名录的企业至少为 C 类",
     "source": local("经营异常名录企业的分类下限")},
)  # fmt: skip


@dataclass(frozen=True)
class Cuts:
    """The score at or above which a firm enters each tier (D, C, B), as fixed for one scoring run."""

    d: float
    c: float
    b: float

    def tier(self, score: float) -> str:
        return "D" if score >= self.d else "C" if score >= self.c else "B" if score >= self.b else "A"


def cuts(scores: Sequence[float], shares: Mapping[str, float] = SHARES) -> Cuts:
    """Cut points so that the shares of `scores` fall in D, C and B from the top (the rest is A)."""
    s = np.sort(np.asarray(scores, dtype=float))[::-1]
    if len(s) == 0:
        return Cuts(1.0, 1.0, 1.0)

    def at(share: float) -> float:
        k = min(len(s) - 1, max(0, round(len(s) * share) - 1))
        return float(s[k])

    return Cuts(d=at(shares["D"]), c=at(shares["D"] + shares["C"]), b=at(shares["D"] + shares["C"] + shares["B"]))


def floor(tier: str, *, effects: Sequence[str] = (), kinds: Sequence[str] = ()) -> tuple[str, str | None]:
    """Raise a tier to the floor its list entries demand; returns the tier and the floor's label if it acted."""
    for rule in FLOORS:
        applies = rule.get("effect") in effects if "effect" in rule else rule.get("kind") in kinds
        if applies and ORDER.index(str(rule["tier"])) > ORDER.index(tier):
            return str(rule["tier"]), str(rule["label"])
    return tier, None
