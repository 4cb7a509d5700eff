"""The list lifecycle (due process) as a pure state machine: which actions an entry allows now, and what each
does to it. One source for the service that applies a transition and the page that offers the buttons.

Nothing here touches a database or Flask: an entry is described by EntryFacts, its list type by a ListRule,
and a transition's effect is a dict of the entry's new field values. The periods come from the rule, whose
values and legal sources are in credit/law.py and docs/credit.md."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from credit.rules import ListRule
from supervise.workdays import STATUTORY_WEEK, WorkCalendar

# state, action -> next state
# (The order is the order of the buttons on the page and of the actions in the API schema.)
TRANSITIONS: dict[tuple[str, str], str] = {
    ("ordered", "notify"): "notified",
    ("ordered", "withdraw"): "withdrawn",
    ("proposed", "notify"): "notified",
    ("proposed", "approve_higher"): "proposed",
    ("proposed", "decide"): "listed",
    ("notified", "approve_higher"): "notified",
    ("notified", "decide"): "listed",
    ("proposed", "withdraw"): "withdrawn",
    ("notified", "withdraw"): "withdrawn",
    ("listed", "object"): "objection_filed",
    ("objection_filed", "accept_objection"): "objected",
    ("objection_filed", "reject_objection"): "listed",
    ("objected", "uphold"): "listed",
    ("objected", "remove"): "removed",
    ("listed", "record_review"): "listed",
    ("listed", "review_upheld"): "listed",
    ("listed", "revoke"): "removed",
    ("listed", "apply_repair"): "repair_applied",
    ("repair_applied", "approve_repair"): "removed",
    ("repair_applied", "reject_repair"): "listed",
    ("listed", "expire"): "expired",
    ("objection_filed", "expire"): "expired",
    ("objected", "expire"): "expired",
    ("repair_applied", "expire"): "expired",
}

STATE_LABELS = {
    "ordered": "责令限期公示中",
    "proposed": "拟列入",
    "notified": "已告知",
    "listed": "已列入",
    "objection_filed": "异议待受理",
    "objected": "异议核实中",
    "repair_applied": "移出（修复）审核中",
    "removed": "已移出",
    "expired": "期满移出",
    "withdrawn": "已撤回",
}
ACTION_LABELS = {
    "notify": "送达告知书",
    "approve_higher": "上一级同意列入",
    "withdraw": "撤回",
    "decide": "决定列入",
    "object": "登记异议",
    "accept_objection": "受理异议",
    "reject_objection": "不予受理异议",
    "uphold": "核实后维持列入",
    "remove": "核实后撤销列入",
    "record_review": "登记行政复议/诉讼",
    "review_upheld": "登记复议、诉讼结果：维持",
    "revoke": "处罚被撤销，撤销列入",
    "apply_repair": "登记移出（信用修复）申请",
    "approve_repair": "准予移出",
    "reject_repair": "不予移出",
    "expire": "期满移出",
}

# A decisive step and the officers it must not be taken by: the one who opened the step it decides.
DECISIVE = {
    "decide": "列入",
    "accept_objection": "受理或不予受理异议",
    "reject_objection": "受理或不予受理异议",
    "uphold": "异议核实结论",
    "remove": "异议核实结论",
    "revoke": "撤销列入",
    "approve_repair": "移出",
    "reject_repair": "移出",
}
REVIEW_KINDS = ("行政复议", "行政诉讼")


class TransitionRefused(ValueError):
    """The action is not allowed now; the message says why (and names the date it becomes allowed)."""

    def __init__(self, message: str, field: str = "action", brief: str = "") -> None:
        super().__init__(message)
        self.field = field
        self.brief = brief  # the few words a page shows beside the action it withholds


class FourEyesRefused(TransitionRefused):
    """A decisive step by the officer who opened it (双人审核)."""

    def __init__(self, step: str, who: str) -> None:
        super().__init__(
            f"双人审核：{who}不能作出{step}决定，请由另一名信用管理人员办理",
            field="approved_by",
            brief="须由另一名信用管理人员决定",
        )


def next_state(state: str, action: str) -> str:
    """The state after an action, or TransitionRefused."""
    target = TRANSITIONS.get((state, action))
    if target is None:
        allowed = "、".join(ACTION_LABELS[a] for (s, a) in TRANSITIONS if s == state and a != "expire") or "无"
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


def expires_on(rule: ListRule, listed_on: date) -> date | None:
    """When a listed entry ends by itself, if ever."""
    return rule.max_period.after(listed_on) if rule.max_period else None


SYSTEM_ACTIONS = frozenset({"expire"})  # taken by the expiry job, never offered to an officer
OFFICER_ACTIONS = tuple(dict.fromkeys(a for _s, a in TRANSITIONS if a not in SYSTEM_ACTIONS))
REPAIR_ACTIONS = frozenset({"apply_repair", "approve_repair", "reject_repair"})
OBJECTION_ACTIONS = frozenset({"object", "accept_objection", "reject_objection", "uphold", "remove"})
REVIEW_ACTIONS = frozenset({"record_review", "review_upheld", "revoke"})
ENDED_STATES = frozenset({"removed", "expired", "withdrawn"})


@dataclass(frozen=True)
class EntryFacts:
    """What the lifecycle needs to know about one list entry."""

    state: str
    proposed_by: int | None = None
    statement_due: date | None = None
    statement_received: bool = False
    listed_on: date | None = None
    notified_by: int | None = None
    order_due: date | None = None
    higher_approval_required: bool = False
    higher_approved: bool = False
    objection_by: int | None = None
    repair_by: int | None = None
    review_filed: bool = False
    found_on: date | None = None


@dataclass(frozen=True)
class Offer:
    """An action an officer may be shown: with `refusal` set it cannot be taken yet, and the page says why."""

    action: str
    label: str
    refusal: str = ""
    needs: tuple[str, ...] = ()  # the form fields the action asks for


def _applies(rule: ListRule, entry: EntryFacts, action: str) -> bool:
    """Whether the list type has this action at all (and, for a decision, whether this entry's path has it)."""
    if rule.kind == "red" and action in REPAIR_ACTIONS | OBJECTION_ACTIONS | REVIEW_ACTIONS:
        return False
    if action in OBJECTION_ACTIONS:
        return rule.objection_route == "objection"
    if action in REVIEW_ACTIONS:
        return rule.objection_route == "review"
    if action == "approve_higher":
        return entry.higher_approval_required
    if entry.state == "proposed" and action in ("notify", "decide"):
        # With a 陈述申辩 period the decision follows a notice; without one (the notice went with the penalty
        # procedure, or the list is published elsewhere) the proposal is decided directly.
        return (action == "notify") == (rule.statement_period.amount > 0)
    return True


def _four_eyes(entry: EntryFacts, action: str, user_id: int | None) -> None:
    step = DECISIVE.get(action)
    if step is None or user_id is None:
        return
    if action == "decide":
        # A system proposal has no proposer: the officer who notified it cannot also decide it.
        opener, who = (
            (entry.proposed_by, "拟列入的工作人员")
            if entry.proposed_by
            else (entry.notified_by, "送达告知书的工作人员")
        )
    elif action in ("accept_objection", "reject_objection", "uphold", "remove", "revoke"):
        opener, who = entry.objection_by, "登记异议（复议、诉讼）的工作人员"
    else:
        opener, who = entry.repair_by, "登记移出申请的工作人员"
    if opener is not None and opener == user_id:
        raise FourEyesRefused(step, who)


def _refusal(entry: EntryFacts, rule: ListRule, action: str, today: date, user_id: int | None) -> None:
    """Raise TransitionRefused when the action cannot be taken now, whatever the form says."""
    if not _applies(rule, entry, action):
        if entry.state == "proposed" and action == "decide":
            raise TransitionRefused(f"{rule.name}须先送达告知书、给予陈述申辩机会，再决定列入")
        if entry.state == "proposed" and action == "notify":
            raise TransitionRefused(f"{rule.name}的告知与行政处罚程序一并进行，拟列入后直接决定")
        raise TransitionRefused(f"{rule.name}不适用“{ACTION_LABELS.get(action, action)}”")
    next_state(entry.state, action)
    _four_eyes(entry, action, user_id)
    if action == "notify" and entry.state == "ordered" and entry.order_due and today <= entry.order_due:
        raise TransitionRefused(
            f"责令公示期限至 {entry.order_due.isoformat()}，期满仍未公示方可告知列入",
            field="order_due",
            brief=f"责令期限至 {entry.order_due.isoformat()}",
        )
    if action == "approve_higher" and entry.higher_approved:
        raise TransitionRefused("上一级市场监管部门已同意列入", field="action")
    if action == "decide":
        if entry.higher_approval_required and not entry.higher_approved:
            raise TransitionRefused(
                "县级、设区的市级部门作出列入决定，须报经上一级市场监管部门同意",
                field="higher_approved_by",
                brief="待上一级同意",
            )
        if rule.statement_period.amount > 0:
            check_decision_allowed(
                statement_due=entry.statement_due or today, today=today, statement_received=entry.statement_received
            )
    elif action == "object" and rule.objection_window is not None:
        last = rule.objection_window.after(entry.listed_on or today)
        if today > last:
            raise TransitionRefused(
                f"异议须自公示之日起{rule.objection_window.describe()}内提出（至 {last.isoformat()}），已逾期",
                field="objected_on",
                brief=f"异议期至 {last.isoformat()}",
            )
    elif action in ("revoke", "review_upheld") and not entry.review_filed:
        raise TransitionRefused("请先登记行政复议或行政诉讼及其结果", field="review_kind", brief="未登记复议、诉讼")
    elif action == "apply_repair":
        earliest = rule.min_display.after(entry.listed_on or today)
        if today < earliest:
            raise TransitionRefused(
                f"{rule.name}：最短公示期为 {rule.min_display.describe()}，"
                f"自 {earliest.isoformat()} 起方可申请提前移出",
                field="applied_on",
                brief=f"{earliest.isoformat()} 起可申请",
            )


def repair_requirements(rule: ListRule) -> tuple[tuple[str, str], ...]:
    """The conditions a removal application records with evidence: the rule's own, and that no bar applies."""
    bars = tuple((f"not_{code}", f"不属于不得提前移出的情形：{label}") for code, label in rule.no_early_removal)
    return rule.repair_conditions + bars


def _needs(rule: ListRule, action: str) -> tuple[str, ...]:
    if action == "decide":
        return ("decision_number",)
    if action in ("object", "revoke", "review_upheld", "reject_objection", "reject_repair", "remove", "uphold"):
        return ("note",)
    if action == "record_review":
        return ("review_kind", "note")
    if action == "apply_repair":
        needs = ("note",) + tuple(f"condition:{code}" for code, _label in repair_requirements(rule))
        return (*needs, "commitment_letter") if rule.repair_requires_commitment else needs
    return ()


def allowed_actions(entry: EntryFacts, rule: ListRule, today: date, *, user_id: int | None = None) -> list[Offer]:
    """The actions an officer may be offered on this entry now, each with why it must wait (if it must)."""
    offers = []
    for state, action in TRANSITIONS:
        if state != entry.state or action in SYSTEM_ACTIONS or not _applies(rule, entry, action):
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
    conditions: dict[str, str] | None = None,
    review_kind: str | None = None,
    served_on: date | None = None,
) -> dict[str, Any]:
    """The entry's new field values after this action, or TransitionRefused naming the field at fault
    (`served_on`: the day the 告知书 was served, when not today; the statement period counts from it)."""
    _refusal(entry, rule, action, today, user_id)
    after = TRANSITIONS[(entry.state, action)]
    effects: dict[str, Any] = {"state": after}
    if "note" in _needs(rule, action) and not note.strip():
        raise TransitionRefused("请填写说明（理由、异议内容或结果）", field="note")
    if action == "decide":
        if not decision_number:
            raise TransitionRefused("决定列入须填写决定书文号", field="decision_number")
        effects.update(approved_by=user_id, decision_number=decision_number, listed_on=today)
        effects["expires_on"] = expires_on(rule, today)
    elif action == "approve_higher":
        effects.update(higher_approved_by=user_id, higher_approved_on=today)
    elif action == "notify":
        served = served_on or today
        if served > today:
            raise TransitionRefused("送达日期不能晚于今天", field="served_on")
        if entry.found_on is not None and served < entry.found_on:
            raise TransitionRefused(f"送达日期不能早于发现违法事实之日（{entry.found_on}）", field="served_on")
        effects.update(
            notified_on=served, notified_by=user_id, statement_due=rule.statement_period.after(served, calendar)
        )
    elif action == "object":
        due = rule.objection_accept.after(today, calendar) if rule.objection_accept else None
        effects.update(objection=note, objected_on=today, objection_by=user_id, objection_accept_due=due)
    elif action == "accept_objection":
        effects.update(objection_accepted_on=today, objection_due=rule.objection_answer.after(today, calendar))
    elif action in ("reject_objection", "uphold", "remove"):
        effects["objection_answered_on"] = today
    elif action == "record_review":
        if review_kind not in REVIEW_KINDS:
            raise TransitionRefused(f"救济途径须为：{'、'.join(REVIEW_KINDS)}", field="review_kind")
        effects.update(review_kind=review_kind, review_filed_on=today, objection_by=user_id, review_result=None)
    elif action == "revoke":
        effects["review_result"] = f"撤销：{note}"[:256]
    elif action == "review_upheld":
        effects["review_result"] = f"维持：{note}"[:256]
    elif action == "apply_repair":
        effects.update(_repair_application(rule, today, calendar, user_id, conditions or {}, commitment_letter))
    if after in ENDED_STATES:
        effects.update(ended_on=today, end_reason=note or ACTION_LABELS.get(action, action))
    return effects


def _repair_application(
    rule: ListRule, today: date, calendar: WorkCalendar, user_id: int | None, conditions: dict[str, str], letter: bool
) -> dict[str, Any]:
    """A removal (信用修复) application: every condition recorded with its evidence, the commitment if required."""
    for code, label in repair_requirements(rule):
        if not (conditions.get(code) or "").strip():
            raise TransitionRefused(f"请记录“{label}”的证明材料", field=f"conditions.{code}")
    if rule.repair_requires_commitment and not letter:
        raise TransitionRefused("申请信用修复须提交信用修复承诺书", field="commitment_letter")
    due = rule.repair_decision.after(today, calendar) if rule.repair_decision else None
    wanted = {code for code, _label in repair_requirements(rule)}
    return {
        "repair_applied_on": today,
        "repair_by": user_id,
        "repair_due": due,
        "repair_commitment": letter,
        "repair_conditions": json.dumps({k: v for k, v in conditions.items() if k in wanted}, ensure_ascii=False),
    }
