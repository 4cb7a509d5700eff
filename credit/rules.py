"""Credit list rules as data, the risk tier and the licensing decision: pure functions (the list lifecycle is
credit.lifecycle).

Nothing here touches a database or Flask. A list type's deadlines and periods are values in a ListRule
(loaded from the list_type table), so adding or changing a list type is data, not code."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from dateutil.relativedelta import relativedelta

from supervise.workdays import STATUTORY_WEEK, WorkCalendar

Unit = Literal["working_days", "days", "months", "years"]
Kind = Literal["black", "abnormal", "red"]

ACTIVE_STATES = frozenset({"listed", "objected", "repair_applied"})  # publicly listed and in force


@dataclass(frozen=True)
class Period:
    amount: int
    unit: Unit

    @classmethod
    def parse(cls, value: Mapping[str, Any] | None) -> Period | None:
        if value is None:
            return None
        return cls(int(value["amount"]), value["unit"])

    def after(self, start: date, calendar: WorkCalendar = STATUTORY_WEEK) -> date:
        """The date this period after `start` ends (working days on the official calendar)."""
        if self.unit == "working_days":
            return calendar.add_working_days(start, self.amount)
        if self.unit == "days":
            return start + relativedelta(days=self.amount)
        if self.unit == "months":
            return start + relativedelta(months=self.amount)
        return start + relativedelta(years=self.amount)

    def describe(self) -> str:
        return f"{self.amount} {dict(working_days='个工作日', days='日', months='个月', years='年')[self.unit]}"


@dataclass(frozen=True)
class ListRule:
    """Everything that distinguishes one list type from another."""

    code: str
    name: str
    kind: Kind
    statement_period: Period  # 陈述申辩 after notice, before a decision
    decision_deadline: Period  # from the finding to the decision
    objection_answer: Period  # an objection must be answered within this
    min_display: Period  # minimum public display before 信用修复
    min_display_strict: Period | None = None  # longer, for the industries below (food, drugs, special equipment)
    strict_industries: tuple[str, ...] = ()
    max_period: Period | None = None  # the entry ends by itself after this (None: only by removal)
    escalate_after: Period | None = None  # e.g. 经营异常名录 for 3 years -> proposed for the black list
    escalate_to: str | None = None
    repair_requires_commitment: bool = True  # 信用承诺书
    restricts_officers: bool = False  # 任职限制: warn about firms sharing the legal representative
    repair_decision: Period | None = None  # a repair application must be decided within this

    def min_display_for(self, industry_code: str) -> Period:
        """Minimum display before repair for a firm of this industry."""
        if self.min_display_strict and any(industry_code.startswith(i) for i in self.strict_industries):
            return self.min_display_strict
        return self.min_display

    @classmethod
    def from_data(cls, code: str, name: str, kind: str, data: Mapping[str, Any]) -> ListRule:
        """Build a rule from the JSON stored with a list type."""
        return cls(
            code=code,
            name=name,
            kind=kind,  # type: ignore[arg-type]
            statement_period=Period.parse(data["statement_period"]),  # type: ignore[arg-type]
            decision_deadline=Period.parse(data["decision_deadline"]),  # type: ignore[arg-type]
            objection_answer=Period.parse(data["objection_answer"]),  # type: ignore[arg-type]
            min_display=Period.parse(data["min_display"]),  # type: ignore[arg-type]
            min_display_strict=Period.parse(data.get("min_display_strict")),
            strict_industries=tuple(data.get("strict_industries", ())),
            max_period=Period.parse(data.get("max_period")),
            escalate_after=Period.parse(data.get("escalate_after")),
            escalate_to=data.get("escalate_to"),
            repair_requires_commitment=bool(data.get("repair_requires_commitment", True)),
            repair_decision=Period.parse(data.get("repair_decision")),
            restricts_officers=bool(data.get("restricts_officers", False)),
        )


# --- credit risk tier ----------------------------------------------------------------------------

# Inspection results that mean a problem was found (they count against the tier and in the 督查 tally).
PROBLEM_CATEGORIES = frozenset(
    {
        "未按规定公示应当公示的信息",
        "公示信息隐瞒真实情况、弄虚作假",
        "通过登记的住所（经营场所）无法联系",
        "不配合检查情节严重",
        "发现问题已责令改正",
        "发现问题待后续处理",
    }
)


def risk_tier(*, active_kinds: Iterable[str], problems_last_two_years: int, inspected_clean_last_two_years: int) -> str:
    """Tier A-D (docs/credit.md): D black-listed; C abnormal or problems found; A red-listed or clean record; else B."""
    kinds = set(active_kinds)
    if "black" in kinds:
        return "D"
    if "abnormal" in kinds or problems_last_two_years > 0:
        return "C"
    if "red" in kinds or inspected_clean_last_two_years > 0:
        return "A"
    return "B"


# --- the licensing decision ----------------------------------------------------------------------

DENY, RESTRICT, ALLOW_WITH_MEASURES, ALLOW = "deny", "restrict", "allow_with_measures", "allow"
PUNITIVE = frozenset({"deny", "restrict", "strict_review", "no_commitment", "no_tolerance"})


@dataclass(frozen=True)
class Measure:
    list_type: str
    matter: str  # a matter code, or "*" for every matter
    effect: str  # deny, restrict, strict_review, no_commitment, no_tolerance are punitive; tolerance, green: rewards
    text: str
    legal_basis: str


@dataclass
class Decision:
    decision: str
    measures: list[Measure] = field(default_factory=list)


def decide_licensing(*, active_list_types: Sequence[str], matter: str, catalogue: Sequence[Measure]) -> Decision:
    """Combine the measures that apply to the firm's active list entries for this matter."""
    applicable = [m for m in catalogue if m.list_type in set(active_list_types) and m.matter in (matter, "*")]
    effects = {m.effect for m in applicable}
    if "deny" in effects:
        decision = DENY
    elif effects & PUNITIVE:
        decision = RESTRICT
    elif applicable:
        decision = ALLOW_WITH_MEASURES
    else:
        decision = ALLOW
    order = {e: i for i, e in enumerate(("deny", "restrict", "strict_review", "no_commitment", "no_tolerance"))}
    applicable.sort(key=lambda m: (order.get(m.effect, 99), m.list_type, m.effect))
    return Decision(decision, applicable)


def honoured(
    *, decision: str, granted: bool, measures_required: Iterable[str], measures_applied: Iterable[str]
) -> bool:
    """Whether a licensing office's outcome honoured the check (联合惩戒落实)."""
    if decision == DENY:
        return not granted
    if decision == RESTRICT and granted:
        return set(measures_required) <= set(measures_applied)
    return True
