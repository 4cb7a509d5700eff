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

ACTIVE_STATES = frozenset({"listed", "objection_filed", "objected", "repair_applied"})  # listed and in force


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
        return f"{self.amount}{dict(working_days='个工作日', days='日', months='个月', years='年')[self.unit]}"


def cite(source: Mapping[str, Any] | None) -> str:
    """A legal source (credit/law.py) as one citation: instrument, 文号, article, and what is unchecked."""
    if not source:
        return ""
    text = source["instrument"]
    if source.get("number"):
        text += f"（{source['number']}）"
    if source.get("article"):
        text += source["article"]
    return f"{text}；{source['note']}" if source.get("note") else text


@dataclass(frozen=True)
class Ground:
    """A ground for listing (列入事由) with its own path: when the decision is due, what removes it."""

    code: str
    label: str
    decision_from: str = "found"  # found | order_due (责令期限届满) | penalty (with the penalty decision)
    decision_period: Period | None = None
    order_period: Period | None = None  # a 责令限期 step comes first
    requires_penalty: bool = False  # the entry carries the penalty decision's 文号 and date
    restricts_officers: bool = False  # 任职限制 follows this ground
    officer_bar: Period | None = None  # … for this long after the penalty
    officer_bar_basis: str = ""
    officer_bar_effect: str = ""  # what the barred person may not do, in the words of the source
    retired: str = ""  # why the ground may no longer be chosen (its entries keep it)
    removal: str = ""
    basis: str = ""  # the legal source, as a citation

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Ground:
        return cls(
            basis=cite(data.get("source")),
            code=data["code"],
            label=data["label"],
            decision_from=data.get("decision_from", "found"),
            decision_period=Period.parse(data.get("decision_period")),
            order_period=Period.parse(data.get("order_period")),
            requires_penalty=bool(data.get("requires_penalty", False)),
            restricts_officers=bool(data.get("restricts_officers", False)),
            officer_bar=Period.parse(data.get("officer_bar")),
            officer_bar_basis=cite((data.get("officer_bar") or {}).get("source")),
            officer_bar_effect=data.get("officer_bar_effect", ""),
            retired=data.get("retired", ""),
            removal=data.get("removal", ""),
        )


@dataclass(frozen=True)
class ListRule:
    """Everything that distinguishes one list type from another (values and sources: credit/law.py)."""

    code: str
    name: str
    kind: Kind
    statement_period: Period  # 陈述申辩 after notice, before a decision (0: none in this system)
    objection_answer: Period  # an accepted objection must be verified within this
    min_display: Period  # minimum public display before 信用修复 / removal on application
    decision_deadline: Period | None = None  # from the finding to the decision (a ground may say otherwise)
    objection_window: Period | None = None  # the firm may object within this of publication
    objection_accept: Period | None = None  # decide whether to accept an objection within this
    objection_route: str = "objection"  # objection: in-system | review: 行政复议/诉讼 only
    max_period: Period | None = None  # the entry ends by itself after this (None: only by removal)
    repair_requires_commitment: bool = True  # 信用承诺书
    repair_decision: Period | None = None  # a repair/removal application must be decided within this
    repair_conditions: tuple[tuple[str, str], ...] = ()  # (code, label), each recorded with evidence
    no_early_removal: tuple[tuple[str, str], ...] = ()  # cases that may never be removed early
    higher_approval_levels: tuple[str, ...] = ()  # decisions at these levels need 上一级 approval
    manager: str = "any"  # registrar: 谁登记、谁管理 | decider | any
    imported: bool = False  # red lists: published elsewhere and imported, never decided here
    grounds: tuple[Ground, ...] = ()

    def ground(self, code: str | None) -> Ground | None:
        """The ground with this code, if the list type has it."""
        return next((g for g in self.grounds if g.code == code), None)

    @property
    def restricts_officers(self) -> bool:
        return any(g.restricts_officers for g in self.grounds)

    @classmethod
    def from_data(cls, code: str, name: str, kind: str, data: Mapping[str, Any]) -> ListRule:
        """Build a rule from the JSON stored with a list type."""
        pairs = lambda key: tuple((c["code"], c["label"]) for c in data.get(key, ()))  # noqa: E731
        return cls(
            code=code,
            name=name,
            kind=kind,  # type: ignore[arg-type]
            statement_period=Period.parse(data["statement_period"]),  # type: ignore[arg-type]
            objection_answer=Period.parse(data["objection_answer"]),  # type: ignore[arg-type]
            min_display=Period.parse(data["min_display"]),  # type: ignore[arg-type]
            decision_deadline=Period.parse(data.get("decision_deadline")),
            objection_window=Period.parse(data.get("objection_window")),
            objection_accept=Period.parse(data.get("objection_accept")),
            objection_route=data.get("objection_route", "objection"),
            max_period=Period.parse(data.get("max_period")),
            repair_requires_commitment=bool(data.get("repair_requires_commitment", True)),
            repair_decision=Period.parse(data.get("repair_decision")),
            repair_conditions=pairs("repair_conditions"),
            no_early_removal=pairs("no_early_removal"),
            higher_approval_levels=tuple(data.get("higher_approval_levels", ())),
            manager=data.get("manager", "any"),
            imported=bool(data.get("imported", False)),
            grounds=tuple(Ground.from_data(g) for g in data.get("grounds", ())),
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


def risk_tier(
    *,
    active_kinds: Iterable[str],
    effects: Iterable[str],
    problems_last_two_years: int,
    inspected_clean_last_two_years: int,
    substantiated_complaints_last_two_years: int = 0,
) -> str:
    """Tier A-D (docs/credit.md): D 重点监管; C abnormal, problems found or a substantiated 投诉举报; A 降低抽查比例
    or clean record; else B.

    `effects` are the measures that apply to the firm's active entries: 重点监管 (`key_supervision`, attached to
    the 严重违法失信名单) and the red lists' 降低抽查比例 (`lower_ratio`) act through them."""
    kinds, measures = set(active_kinds), set(effects)
    if "key_supervision" in measures:
        return "D"
    if "abnormal" in kinds or problems_last_two_years > 0 or substantiated_complaints_last_two_years > 0:
        return "C"
    if "lower_ratio" in measures or inspected_clean_last_two_years > 0:
        return "A"
    return "B"


# --- the licensing decision ----------------------------------------------------------------------

DENY, RESTRICT, ALLOW_WITH_MEASURES, ALLOW = "deny", "restrict", "allow_with_measures", "allow"
PUNITIVE = frozenset({"deny", "restrict", "strict_review", "no_commitment", "no_tolerance"})
DRAW_MATTER = "DRAW"  # measures that act on the draws (重点监管, 降低抽查比例), never on a licence


@dataclass(frozen=True)
class Measure:
    list_type: str
    matter: str  # a matter code, or "*" for every matter
    effect: str  # deny, restrict, strict_review, no_commitment, no_tolerance are punitive; tolerance, green: rewards
    text: str
    legal_basis: str
    ground: str | None = None  # applies only to entries on this ground (e.g. 吊销许可证件)
    field: str | None = None  # … and only where the penalty was in this field (e.g. 食品)

    def applies(self, entry: ActiveEntry, matter: str) -> bool:
        """Whether the measure applies to this active entry for this matter (the law may tie it to the ground)."""
        if self.list_type != entry.list_type or self.matter not in (matter, "*"):
            return False
        return (self.ground is None or self.ground == entry.ground) and (
            self.field is None or self.field == entry.field
        )


@dataclass(frozen=True)
class ActiveEntry:
    """What the measures look at on one of the firm's active entries."""

    list_type: str
    ground: str | None = None
    field: str | None = None


@dataclass
class Decision:
    decision: str
    measures: list[Measure] = field(default_factory=list)


def applicable_measures(entries: Sequence[ActiveEntry], matter: str, catalogue: Sequence[Measure]) -> list[Measure]:
    """The catalogue's measures that apply to these entries for this matter, each once."""
    return list(dict.fromkeys(m for m in catalogue if any(m.applies(e, matter) for e in entries)))


def decide_licensing(*, entries: Sequence[ActiveEntry], matter: str, catalogue: Sequence[Measure]) -> Decision:
    """Combine the measures that apply to the firm's active list entries for this matter."""
    applicable = applicable_measures(entries, matter, catalogue)
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
