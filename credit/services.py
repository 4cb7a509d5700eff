"""Credit lists with due process, risk tiers, and the licensing check (联合奖惩)."""

from __future__ import annotations

import logging
from datetime import date, timedelta

from sqlmodel import Session, col, select

from credit.lifecycle import STATE_LABELS, EntryFacts, FourEyesRefused, TransitionRefused, transition_effects
from credit.models import EntryEvent, ListEntry, ListType
from credit.rules import ACTIVE_STATES, PROBLEM_CATEGORIES, ListRule, risk_tier
from credit.schemas import EntryPublic
from inspections.models import DrawTarget, InspectionResult
from supervise import audit, clock
from supervise.db import locked
from supervise.errors import ApiError, Conflict, Forbidden, field_error
from supervise.holidays import counts_deadlines, work_calendar
from supervise.models import Department, Enterprise
from supervise.workdays import PROVISIONAL_NOTE, WorkCalendar

log = logging.getLogger(__name__)
# Results that by law put a firm on the 经营异常名录 (《企业信息公示暂行条例》第十七条).
ABNORMAL_FINDINGS = frozenset({"通过登记的住所（经营场所）无法联系", "未按规定公示应当公示的信息"})


def rule_of(session: Session, code: str) -> ListRule:
    """The rules of a list type, or 422 naming it."""
    row = session.get(ListType, code)
    if row is None:
        raise field_error("list_type", f"名单类型 {code} 不存在")
    return row.rule()


def _event(session: Session, entry: ListEntry, *, actor: str, action: str, before: str | None, note: str = "") -> None:
    session.add(
        EntryEvent(
            entry_id=entry.id or 0, actor=actor, action=action, from_state=before, to_state=entry.state, note=note
        )
    )
    audit.record(
        session,
        actor=actor,
        action=f"credit.{action}",
        object_type="list_entry",
        object_id=entry.id or 0,
        payload={"list_type": entry.list_type, "from": before, "to": entry.state, "note": note},
    )


def propose(
    session: Session,
    *,
    uscc: str,
    list_type: str,
    reason: str,
    legal_basis: str,
    department_code: str,
    public_summary: str,
    found_on: date,
    evidence: str = "",
    user_id: int | None,
    actor: str,
    source_target_id: int | None = None,
) -> ListEntry:
    """Propose (拟列入) a firm for a list; the rule fixes the decision deadline."""
    ent = session.exec(select(Enterprise).where(Enterprise.uscc == uscc)).first()
    if ent is None:
        raise field_error("uscc", f"统一社会信用代码 {uscc} 未登记", status=404)
    rule = rule_of(session, list_type)
    dept = session.exec(select(Department).where(Department.code == department_code)).first()
    if dept is None:
        raise field_error("department_code", f"部门 {department_code} 不存在")
    open_states = ("proposed", "notified", *ACTIVE_STATES)
    if session.exec(
        select(ListEntry.id).where(
            ListEntry.enterprise_id == ent.id, ListEntry.list_type == list_type, col(ListEntry.state).in_(open_states)
        )
    ).first():
        raise field_error("uscc", f"{uscc} 已有未结束的{rule.name}条目，不能重复拟列入", status=409)
    entry = ListEntry(
        enterprise_id=ent.id or 0,
        list_type=list_type,
        state="proposed",
        reason=reason,
        legal_basis=legal_basis,
        department_id=dept.id or 0,
        evidence=evidence,
        public_summary=public_summary,
        found_on=found_on,
        decision_due=rule.decision_deadline.after(found_on, work_calendar(session)),
        proposed_by=user_id,
        source_target_id=source_target_id,
    )
    session.add(entry)
    session.flush()
    _event(session, entry, actor=actor, action="proposed", before=None, note=reason)
    return entry


def transition(
    session: Session,
    *,
    entry_id: int,
    action: str,
    user_id: int | None,
    actor: str,
    today: date | None = None,
    note: str = "",
    decision_number: str | None = None,
    commitment_letter: bool = False,
) -> ListEntry:
    """Move an entry through due process, enforcing deadlines, the four-eyes rule and repair conditions."""
    today = today or clock.today()
    entry = locked(session, ListEntry, entry_id)  # concurrent transitions of one entry happen one after another
    if entry is None:
        raise field_error("entry_id", f"名单条目 {entry_id} 不存在", status=404)
    rule = rule_of(session, entry.list_type)
    before = entry.state
    facts = entry_facts(entry, _industry(session, entry) if action == "apply_repair" else "")
    try:
        effects = transition_effects(
            facts,
            rule,
            action,
            today,
            calendar=work_calendar(session),
            user_id=user_id,
            note=note,
            decision_number=decision_number,
            commitment_letter=commitment_letter,
        )
    except FourEyesRefused as exc:
        raise Forbidden(
            None, str(exc), code="forbidden", fields=[{"field": "approved_by", "message": "决定人与拟列入人相同"}]
        ) from None
    except TransitionRefused as exc:
        if exc.field == "action":  # most often another officer acted first: say what happened
            happened = _history(entry)
            raise field_error("action", f"{happened}。{exc}" if happened else str(exc), status=409) from None
        raise field_error(exc.field, str(exc), status=422) from None
    for name, value in effects.items():
        setattr(entry, name, value)
    after = entry.state
    session.add(entry)
    session.flush()
    _event(session, entry, actor=actor, action=action, before=before, note=note)
    if (before in ACTIVE_STATES) != (after in ACTIVE_STATES):
        recompute_tier(session, enterprise_id=entry.enterprise_id)
    return entry


# A deadline column, the date it counts from, and the rule's period that fixes it.
_DEADLINES = (
    ("decision_due", "found_on", "decision_deadline"),
    ("statement_due", "notified_on", "statement_period"),
    ("objection_due", "objected_on", "objection_answer"),
)


@counts_deadlines
def recompute_deadlines(session: Session, *, calendar: WorkCalendar, since: date) -> dict[str, int]:
    """Recount the working-day deadlines of list entries on or after `since`; return how many moved."""
    rules = {t.code: t.rule() for t in session.exec(select(ListType)).all()}
    moved = dict.fromkeys((f"credit_{due}" for due, _s, _p in _DEADLINES), 0)
    for due_col, start_col, period_name in _DEADLINES:
        column = getattr(ListEntry, due_col)
        for entry in session.exec(select(ListEntry).where(col(column) >= since).with_for_update()).all():
            period = getattr(rules[entry.list_type], period_name)
            start = getattr(entry, start_col)
            if period.unit != "working_days" or start is None:
                continue
            due = period.after(start, calendar)
            if due != getattr(entry, due_col):
                setattr(entry, due_col, due)
                session.add(entry)
                moved[f"credit_{due_col}"] += 1
    return moved


def entry_facts(entry: ListEntry, industry_code: str = "") -> EntryFacts:
    """What the lifecycle (credit.lifecycle) needs to know about a stored entry."""
    return EntryFacts(
        state=entry.state,
        proposed_by=entry.proposed_by,
        statement_due=entry.statement_due,
        statement_received=entry.statement_received,
        listed_on=entry.listed_on,
        industry_code=industry_code,
    )


def _history(entry: ListEntry) -> str | None:
    """What has happened to an entry so far, in a sentence (for refusals after someone else acted)."""
    label = STATE_LABELS.get(entry.state, entry.state)
    if entry.state == "listed" and entry.listed_on:
        return f"该条目已于 {entry.listed_on} 决定列入（{entry.decision_number or '无文号'}）"
    if entry.state == "notified" and entry.notified_on:
        return f"该条目已于 {entry.notified_on} 送达告知书"
    if entry.ended_on:
        return f"该条目已于 {entry.ended_on} {label}"
    return None


def provisional_deadlines(entry: ListEntry, calendar: WorkCalendar) -> list[str]:
    """The entry's deadlines that were counted on a year whose holidays are not yet official."""
    out = []
    for due_col, start_col, _period in _DEADLINES:
        start, due = getattr(entry, start_col), getattr(entry, due_col)
        if start is not None and due is not None and calendar.is_provisional(start, due):
            out.append(due_col)
    return out


def record_statement(session: Session, *, entry_id: int, note: str, actor: str) -> None:
    """Record the firm's 陈述申辩, which lets the decision proceed before the period ends."""
    entry = locked(session, ListEntry, entry_id)
    if entry is None:
        raise field_error("entry_id", f"名单条目 {entry_id} 不存在", status=404)
    if entry.state != "notified":
        state = STATE_LABELS.get(entry.state, entry.state)
        raise field_error("entry_id", f"条目当前为“{state}”，只有已送达告知书的条目可以登记陈述申辩", status=409)
    if entry.statement_received:
        raise field_error("note", "已登记过本条目的陈述申辩", status=409)
    entry.statement_received = True
    session.add(entry)
    _event(session, entry, actor=actor, action="statement", before=entry.state, note=note)


def _industry(session: Session, entry: ListEntry) -> str:
    ent = session.get(Enterprise, entry.enterprise_id)
    return ent.industry_code if ent else ""


def recompute_tier(session: Session, *, enterprise_id: int, today: date | None = None) -> str:
    """Recompute a firm's credit risk tier (docs/credit.md) from its lists and inspection record."""
    today = today or clock.today()
    kinds = session.exec(
        select(ListType.kind)
        .join(ListEntry, col(ListEntry.list_type) == col(ListType.code))
        .where(ListEntry.enterprise_id == enterprise_id, col(ListEntry.state).in_(ACTIVE_STATES))
    ).all()
    since = today - timedelta(days=730)
    categories = session.exec(
        select(InspectionResult.category)
        .join(DrawTarget, col(DrawTarget.id) == col(InspectionResult.target_id))
        .where(DrawTarget.enterprise_id == enterprise_id, col(InspectionResult.inspected_on) >= since)
    ).all()
    problems = sum(1 for c in categories if c in PROBLEM_CATEGORIES)
    tier = risk_tier(
        active_kinds=kinds,
        problems_last_two_years=problems,
        inspected_clean_last_two_years=sum(1 for c in categories if c == "未发现问题"),
    )
    ent = session.get(Enterprise, enterprise_id)
    if ent is not None and ent.risk_tier != tier:
        audit.record(
            session,
            actor="system",
            action="credit.tier_changed",
            object_type="enterprise",
            object_id=ent.uscc,
            payload={"from": ent.risk_tier, "to": tier},
        )
        ent.risk_tier = tier
        session.add(ent)
    return tier


def expire_due(session: Session, *, today: date | None = None) -> dict[str, int]:
    """Expire entries past their maximum period and escalate long abnormal entries; safe to run twice."""
    today = today or clock.today()
    expired = 0
    due = session.exec(
        select(ListEntry).where(col(ListEntry.state).in_(ACTIVE_STATES), col(ListEntry.expires_on) <= today)
    ).all()
    for entry in due:
        transition(
            session,
            entry_id=entry.id or 0,
            action="expire",
            user_id=None,
            actor="system:expiry",
            today=today,
            note=f"maximum period ended {entry.expires_on}",
        )
        expired += 1
    escalated = 0
    for row in session.exec(select(ListType)).all():
        rule = rule_of(session, row.code)
        if not (rule.escalate_after and rule.escalate_to):
            continue
        for entry in session.exec(
            select(ListEntry).where(ListEntry.list_type == row.code, col(ListEntry.state).in_(ACTIVE_STATES))
        ).all():
            if entry.listed_on is None or rule.escalate_after.after(entry.listed_on) > today:
                continue
            ent = session.get(Enterprise, entry.enterprise_id)
            target = rule_of(session, rule.escalate_to)
            open_states = ("proposed", "notified", *ACTIVE_STATES)
            if (
                ent is None
                or session.exec(
                    select(ListEntry.id).where(
                        ListEntry.enterprise_id == ent.id,
                        ListEntry.list_type == rule.escalate_to,
                        col(ListEntry.state).in_(open_states),
                    )
                ).first()
            ):
                continue
            dept = session.get(Department, entry.department_id)
            propose(
                session,
                uscc=ent.uscc,
                list_type=rule.escalate_to,
                user_id=None,
                actor="system:expiry",
                reason=f"列入{rule.name}满{rule.escalate_after.describe()}仍未移出",
                legal_basis=entry.legal_basis,
                department_code=dept.code if dept else "",
                public_summary=f"拟列入{target.name}",
                found_on=today,
            )
            escalated += 1
    return {"expired": expired, "escalated": escalated}


def feed_inspection_result(
    session: Session, *, target_id: int, category: str, department_code: str, inspected_on: date
) -> ListEntry | None:
    """A result that by law means 经营异常 becomes a proposed entry for a credit officer to process."""
    if category not in ABNORMAL_FINDINGS or session.get(ListType, "ABNORMAL") is None:
        return None
    target = session.get(DrawTarget, target_id)
    ent = session.get(Enterprise, target.enterprise_id) if target else None
    if ent is None:
        return None
    try:
        return propose(
            session,
            uscc=ent.uscc,
            list_type="ABNORMAL",
            user_id=None,
            actor="system:inspection",
            reason=f"双随机抽查结果：{category}",
            legal_basis="《企业信息公示暂行条例》第十七条",
            department_code=department_code,
            public_summary=f"抽查发现{category}",
            found_on=inspected_on,
            source_target_id=target_id,
        )
    except ApiError as exc:
        if isinstance(exc, Conflict):  # already on its way to the list
            return None
        raise


def entry_public(session: Session, entry: ListEntry, calendar: WorkCalendar | None = None) -> EntryPublic:
    """Project an entry (never personal data)."""
    ent = session.get(Enterprise, entry.enterprise_id)
    lt = session.get(ListType, entry.list_type)
    assert ent is not None and lt is not None
    provisional = provisional_deadlines(entry, calendar or work_calendar(session))
    return EntryPublic(
        id=entry.id or 0,
        provisional_deadlines=provisional,
        provisional_note=PROVISIONAL_NOTE if provisional else "",
        uscc=ent.uscc,
        enterprise_name=ent.name,
        list_type=lt.name,
        **entry.model_dump(
            include={
                "state",
                "reason",
                "legal_basis",
                "public_summary",
                "decision_number",
                "found_on",
                "decision_due",
                "statement_due",
                "listed_on",
                "expires_on",
                "objection_due",
                "ended_on",
            }
        ),
    )
