"""The list lifecycle (due process) as a pure state machine: which actions an entry allows now, and what each
does to it. One source for the service that applies a transition and the page that offers the buttons.

Nothing here touches a database or Flask: an entry is described by EntryFacts, its list type by a ListRule,
and a transition's effect is a dict of the entry's new field values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from credit.rules import ListRule
from supervise.workdays import STATUTORY_WEEK, WorkCalendar

# state, action -> next state
# (The order is the order of the buttons on the page and of the actions in the API schema.)
TRANSITIONS: dict[tuple[str, str], str] = {
    ("proposed", "notify"): "notified",
    ("notified", "decide"): "listed",
    ("proposed", "withdraw"): "withdrawn",
    ("notified", "withdraw"): "withdrawn",
    ("listed", "object"): "objected",
    ("objected", "uphold"): "listed",
    ("objected", "remove"): "removed",
    ("listed", "apply_repair"): "repair_applied",
    ("listed", "remove"): "removed",
    ("repair_applied", "approve_repair"): "removed",
    ("repair_applied", "reject_repair"): "listed",
    ("listed", "expire"): "expired",
    ("objected", "expire"): "expired",
    ("repair_applied", "expire"): "expired",
}


STATE_LABELS = {
    "proposed": "拟列入",
    "notified": "已告知",
    "listed": "已列入",
    "objected": "异议处理中",
    "repair_applied": "修复审核中",
    "removed": "已移出",
    "expired": "期满移出",
    "withdrawn": "已撤回",
}
ACTION_LABELS = {
    "notify": "送达告知书",
    "withdraw": "撤回",
    "decide": "决定列入",
    "object": "登记异议",
    "apply_repair": "受理信用修复",
    "remove": "移出",
    "uphold": "维持（答复异议）",
    "approve_repair": "准予修复并移出",
    "reject_repair": "不予修复",
    "expire": "期满移出",
}


class TransitionRefused(ValueError):
    """The action is not allowed now; the message says why (and names the date it becomes allowed)."""

    def __init__(self, message: str, field: str = "action", brief: str = "") -> None:
        super().__init__(message)
        self.field = field
        self.brief = brief  # the few words a page shows beside the action it withholds


class FourEyesRefused(TransitionRefused):
    """The officer who proposed an entry may not decide it (双人审核)."""

    def __init__(self) -> None:
        super().__init__(
            "双人审核：拟列入的工作人员不能决定列入本条目，请由另一名信用管理人员决定",
            field="approved_by",
            brief="须由另一名信用管理人员决定",
        )


def next_state(state: str, action: str) -> str:
    """The state after an action, or TransitionRefused."""
    target = TRANSITIONS.get((state, action))
    if target is None:
        allowed = "、".join(ACTION_LABELS[a] for (s, a) in sorted(TRANSITIONS) if s == state) or "无"
        what = ACTION_LABELS.get(action, action)
        raise TransitionRefused(f"条目当前为“{STATE_LABELS.get(state, state)}”，不能{what}；可进行的操作：{allowed}")
    return target


def check_decision_allowed(*, statement_due: date, today: date, statement_received: bool) -> None:
    """A decision waits for the 陈述申辩 period unless the firm has already made its statement."""
    if not statement_received and today <= statement_due:
        raise TransitionRefused(
            f"当事人可在 {statement_due.isoformat()} 前陈述申辩，期满后（或收到陈述申辩后）方可决定",
            field="statement_due",
            brief=f"陈述申辩期至 {statement_due.isoformat()}",
        )


def _check_display(*, rule: ListRule, listed_on: date, industry_code: str, today: date) -> None:
    """Repair waits for the minimum public display to have passed."""
    period = rule.min_display_for(industry_code)
    earliest = period.after(listed_on)
    if today < earliest:
        raise TransitionRefused(
            f"{rule.name}：最短公示期为 {period.describe()}，自 {earliest.isoformat()} 起方可申请信用修复",
            field="applied_on",
        )


def expires_on(rule: ListRule, listed_on: date) -> date | None:
    """When a listed entry ends by itself, if ever."""
    return rule.max_period.after(listed_on) if rule.max_period else None


SYSTEM_ACTIONS = frozenset({"expire"})  # taken by the expiry job, never offered to an officer
OFFICER_ACTIONS = tuple(dict.fromkeys(a for _s, a in TRANSITIONS if a not in SYSTEM_ACTIONS))
REPAIR_ACTIONS = frozenset({"apply_repair", "approve_repair", "reject_repair"})  # 信用修复: not for red lists
ENDED_STATES = frozenset({"removed", "expired", "withdrawn"})


@dataclass(frozen=True)
class EntryFacts:
    """What the lifecycle needs to know about one list entry."""

    state: str
    proposed_by: int | None = None
    statement_due: date | None = None
    statement_received: bool = False
    listed_on: date | None = None
    industry_code: str = ""


@dataclass(frozen=True)
class Offer:
    """An action an officer may be shown: with `refusal` set it cannot be taken yet, and the page says why."""

    action: str
    label: str
    refusal: str = ""
    needs: tuple[str, ...] = ()  # the form fields the action asks for


def _applies(rule: ListRule, action: str) -> bool:
    return not (rule.kind == "red" and action in REPAIR_ACTIONS)


def _refusal(entry: EntryFacts, rule: ListRule, action: str, today: date, user_id: int | None) -> None:
    """Raise TransitionRefused when the action cannot be taken now, whatever the form says."""
    if not _applies(rule, action):
        raise TransitionRefused(f"{rule.name}不适用信用修复")
    next_state(entry.state, action)
    if action == "decide":
        if user_id is not None and user_id == entry.proposed_by:
            raise FourEyesRefused()
        if rule.statement_period.amount > 0:  # red lists have no 陈述申辩 period to wait for
            check_decision_allowed(
                statement_due=entry.statement_due or today, today=today, statement_received=entry.statement_received
            )
    elif action == "apply_repair":
        _check_display(rule=rule, listed_on=entry.listed_on or today, industry_code=entry.industry_code, today=today)


def _needs(rule: ListRule, action: str) -> tuple[str, ...]:
    if action == "decide":
        return ("decision_number",)
    if action == "object":
        return ("note",)
    if action == "apply_repair" and rule.repair_requires_commitment:
        return ("commitment_letter",)
    return ()


def allowed_actions(entry: EntryFacts, rule: ListRule, today: date, *, user_id: int | None = None) -> list[Offer]:
    """The actions an officer may be offered on this entry now, each with why it must wait (if it must)."""
    offers = []
    for state, action in TRANSITIONS:
        if state != entry.state or action in SYSTEM_ACTIONS or not _applies(rule, action):
            continue
        try:
            _refusal(entry, rule, action, today, user_id)
            refusal = ""
        except TransitionRefused as exc:
            refusal = exc.brief or str(exc)
        offers.append(Offer(action, ACTION_LABELS[action], refusal, _needs(rule, action)))
    return offers


def transition_effects(
    entry: EntryFacts,
    rule: ListRule,
    action: str,
    today: date,
    *,
    calendar: WorkCalendar = STATUTORY_WEEK,
    user_id: int | None = None,
    note: str = "",
    decision_number: str | None = None,
    commitment_letter: bool = False,
) -> dict[str, Any]:
    """The entry's new field values after this action, or TransitionRefused naming the field at fault."""
    _refusal(entry, rule, action, today, user_id)
    after = TRANSITIONS[(entry.state, action)]
    effects: dict[str, Any] = {"state": after}
    if action == "decide":
        if not decision_number:
            raise TransitionRefused("决定列入须填写决定书文号", field="decision_number")
        effects.update(approved_by=user_id, decision_number=decision_number, listed_on=today)
        effects["expires_on"] = expires_on(rule, today)
    elif action == "notify":
        effects.update(notified_on=today, statement_due=rule.statement_period.after(today, calendar))
    elif action == "object":
        if not note:
            raise TransitionRefused("请填写异议内容", field="note")
        effects.update(objection=note, objected_on=today, objection_due=rule.objection_answer.after(today, calendar))
    elif action in ("uphold", "remove") and entry.state == "objected":
        effects["objection_answered_on"] = today
    elif action == "apply_repair":
        if rule.repair_requires_commitment and not commitment_letter:
            raise TransitionRefused("申请信用修复须提交信用承诺书", field="commitment_letter")
        effects.update(repair_applied_on=today, repair_commitment=commitment_letter)
    if after in ENDED_STATES:
        effects.update(ended_on=today, end_reason=note or action)
    return effects
