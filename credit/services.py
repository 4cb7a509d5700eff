"""Credit list entries through due process: proposal on a ground, transitions, statements, deadlines."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from credit.lifecycle import STATE_LABELS, EntryFacts, FourEyesRefused, TransitionRefused, transition_effects
from credit.models import EntryEvent, ListEntry, ListType
from credit.rules import ACTIVE_STATES, Ground, ListRule
from credit.schemas import EntryPublic
from credit.tiers import recompute_tier
from supervise import audit, clock
from supervise.db import locked
from supervise.errors import Forbidden, field_error
from supervise.holidays import counts_deadlines, work_calendar
from supervise.models import Department, Enterprise, Region, User
from supervise.scope import covers_department, departments_within, out_of_scope, reach_of
from supervise.workdays import PROVISIONAL_NOTE, WorkCalendar

log = logging.getLogger(__name__)
REGISTRAR_KIND = "SCJG"  # 市场监管: registers firms and keeps the 经营异常名录 and 严重违法失信名单


def rule_of(session: Session, code: str) -> ListRule:
    """The rules of a list type, or 422 naming it."""
    row = session.get(ListType, code)
    if row is None:
        raise field_error("list_type", f"名单类型 {code} 不存在")
    return row.rule()


def event(session: Session, entry: ListEntry, *, actor: str, action: str, before: str | None, note: str = "") -> None:
    """Record an entry's step in its history and the audit log."""
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


def registering_authority(session: Session, ent: Enterprise) -> Department | None:
    """The 市场监管 department that registered the firm (谁登记、谁管理): the one of the firm's county."""
    return session.exec(
        select(Department).where(Department.kind == REGISTRAR_KIND, Department.region_code == ent.region_code)
    ).first()


def check_scope(session: Session, *, department_id: int | None, user_id: int | None, what: str = "名单条目") -> None:
    """Refuse a user acting on a credit object of a department outside their scope (system steps pass)."""
    if user_id is not None and not covers_department(session, reach_of(session, user_id=user_id), department_id):
        raise out_of_scope(what)


def scoped_entries(session: Session, *, user_id: int | None) -> Any:
    """A WHERE condition keeping the list entries of the departments the user reaches (None: all of them)."""
    within = departments_within(session, reach_of(session, user_id=user_id))
    return None if within is None else col(ListEntry.department_id).in_(within)


def _managing_department(session: Session, rule: ListRule, ent: Enterprise, department_code: str) -> Department:
    """The department that may list: the registering authority for 经营异常, a 市场监管 department otherwise."""
    dept = session.exec(select(Department).where(Department.code == department_code)).first()
    if dept is None:
        raise field_error("department_code", f"部门 {department_code} 不存在")
    if rule.manager == "registrar":
        own = registering_authority(session, ent)
        if own is None or own.id != dept.id:
            name = own.name if own else "该企业的登记机关"
            raise field_error("department_code", f"谁登记、谁管理：{rule.name}只能由{name}列入")
    elif rule.manager == "decider" and dept.kind != REGISTRAR_KIND:
        raise field_error("department_code", f"{rule.name}由作出行政处罚决定的市场监管部门列入，{dept.name}不能列入")
    return dept


def _ground_dates(
    calendar: WorkCalendar, rule: ListRule, ground: Ground, *, found_on: date, penalty_on: date | None
) -> dict[str, date | None]:
    """The 责令 deadline (if the ground has that step) and the decision deadline, by the ground's own path."""
    order_due = ground.order_period.after(found_on, calendar) if ground.order_period else None
    if ground.decision_from == "penalty":
        # The listing decision is made with the penalty decision (告知、听证 ran with the penalty procedure).
        return {"order_due": None, "decision_due": penalty_on}
    period = ground.decision_period or rule.decision_deadline
    start = order_due if ground.decision_from == "order_due" and order_due else found_on
    return {"order_due": order_due, "decision_due": period.after(start, calendar) if period else found_on}


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
    ground: str | None = None,
    evidence: str = "",
    penalty_number: str | None = None,
    penalty_on: date | None = None,
    penalty_field: str | None = None,
    order_number: str | None = None,
    user_id: int | None,
    actor: str,
    source_target_id: int | None = None,
) -> ListEntry:
    """Propose (拟列入) a firm for a list on one of its grounds; the ground fixes the path and the deadlines."""
    ent = session.exec(select(Enterprise).where(Enterprise.uscc == uscc)).first()
    if ent is None:
        raise field_error("uscc", f"统一社会信用代码 {uscc} 未登记", status=404)
    rule = rule_of(session, list_type)
    if rule.imported:
        raise field_error("list_type", f"{rule.name}由发布机关公布，请导入发布的名单，不在本系统决定列入")
    open_grounds = [g for g in rule.grounds if not g.retired]
    chosen = rule.ground(ground) if ground else (open_grounds[0] if len(open_grounds) == 1 else None)
    if chosen is None:
        options = "、".join(f"{g.code}（{g.label}）" for g in open_grounds)
        raise field_error("ground", f"请选择{rule.name}的列入事由：{options}")
    if chosen.retired:
        raise field_error("ground", f"列入事由“{chosen.label}”不能再使用：{chosen.retired}")
    if chosen.requires_penalty and not (penalty_number and penalty_on):
        raise field_error(
            "penalty_number" if not penalty_number else "penalty_on",
            f"{chosen.label}：须填写行政处罚决定书文号及作出日期（列入与较重行政处罚一并决定）",
        )
    dept = _managing_department(session, rule, ent, department_code)
    check_scope(session, department_id=dept.id, user_id=user_id, what=f"部门（{dept.name}）的名单")
    open_states = ("ordered", "proposed", "notified", *ACTIVE_STATES)
    if session.exec(
        select(ListEntry.id).where(
            ListEntry.enterprise_id == ent.id, ListEntry.list_type == list_type, col(ListEntry.state).in_(open_states)
        )
    ).first():
        raise field_error("uscc", f"{uscc} 已有未结束的{rule.name}条目，不能重复拟列入", status=409)
    dates = _ground_dates(work_calendar(session), rule, chosen, found_on=found_on, penalty_on=penalty_on)
    entry = ListEntry(
        enterprise_id=ent.id or 0,
        list_type=list_type,
        state="ordered" if chosen.order_period else "proposed",
        reason=reason,
        legal_basis=legal_basis,
        department_id=dept.id or 0,
        evidence=evidence,
        public_summary=public_summary,
        found_on=found_on,
        decision_due=dates["decision_due"] or found_on,
        order_due=dates["order_due"],
        order_number=order_number,
        ground=chosen.code,
        penalty_number=penalty_number if chosen.requires_penalty else None,
        penalty_on=penalty_on if chosen.requires_penalty else None,
        penalty_field=penalty_field if chosen.requires_penalty else None,
        higher_approval_required=dept.level in rule.higher_approval_levels,
        proposed_by=user_id,
        source_target_id=source_target_id,
    )
    session.add(entry)
    session.flush()
    event(session, entry, actor=actor, action="proposed", before=None, note=reason)
    return entry


def _check_higher(session: Session, entry: ListEntry, user_id: int | None) -> None:
    """上一级同意 comes from an officer of the 市场监管 department one level above the deciding one."""
    dept = session.get(Department, entry.department_id)
    region = session.get(Region, dept.region_code) if dept else None
    user = session.get(User, user_id) if user_id is not None else None
    mine = session.get(Department, user.department_id) if user and user.department_id else None
    upper = session.exec(
        select(Department).where(
            Department.kind == REGISTRAR_KIND, Department.region_code == (region.parent_code if region else "")
        )
    ).first()
    if upper is None or mine is None or mine.id != upper.id:
        who = upper.name if upper else "上一级市场监管部门"
        raise Forbidden(
            None,
            f"上一级同意须由{who}的工作人员作出",
            code="forbidden",
            fields=[{"field": "higher_approved_by", "message": f"须为{who}的工作人员"}],
        )


def may_approve_higher(session: Session, entry: ListEntry, user_id: int | None) -> bool:
    """Whether this user is of the department whose 上一级同意 the entry waits for (the page offers it only then)."""
    try:
        _check_higher(session, entry, user_id)
    except Forbidden:
        return False
    return True


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
    conditions: dict[str, str] | None = None,
    review_kind: str | None = None,
    served_on: date | None = None,
) -> ListEntry:
    """Move an entry through due process, enforcing deadlines, four eyes, 上一级 approval and repair conditions."""
    today = today or clock.today()
    entry = locked(session, ListEntry, entry_id)  # concurrent transitions of one entry happen one after another
    if entry is None:
        raise field_error("entry_id", f"名单条目 {entry_id} 不存在", status=404)
    check_scope(session, department_id=entry.department_id, user_id=user_id)
    rule = rule_of(session, entry.list_type)
    before = entry.state
    try:
        effects = transition_effects(
            entry_facts(entry),
            rule,
            action,
            today,
            calendar=work_calendar(session),
            user_id=user_id,
            note=note,
            decision_number=decision_number,
            commitment_letter=commitment_letter,
            conditions=conditions,
            review_kind=review_kind,
            served_on=served_on,
        )
    except FourEyesRefused as exc:
        raise Forbidden(
            None, str(exc), code="forbidden", fields=[{"field": "approved_by", "message": exc.brief}]
        ) from None
    except TransitionRefused as exc:
        if exc.field == "action":  # most often another officer acted first: say what happened
            happened = _history(entry)
            raise field_error("action", f"{happened}。{exc}" if happened else str(exc), status=409) from None
        raise field_error(exc.field, str(exc), status=422) from None
    if action == "approve_higher":
        _check_higher(session, entry, user_id)
    for name, value in effects.items():
        setattr(entry, name, value)
    after = entry.state
    session.add(entry)
    session.flush()
    event(session, entry, actor=actor, action=action, before=before, note=note)
    if (before in ACTIVE_STATES) != (after in ACTIVE_STATES):
        recompute_tier(session, enterprise_id=entry.enterprise_id)
    return entry


# A deadline column, the date it counts from, and the rule's period that fixes it.
_DEADLINES = (
    ("statement_due", "notified_on", "statement_period"),
    ("objection_accept_due", "objected_on", "objection_accept"),
    ("objection_due", "objection_accepted_on", "objection_answer"),
    ("repair_due", "repair_applied_on", "repair_decision"),
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
            if period is None or period.unit != "working_days" or start is None:
                continue
            due = period.after(start, calendar)
            if due != getattr(entry, due_col):
                setattr(entry, due_col, due)
                session.add(entry)
                moved[f"credit_{due_col}"] += 1
    moved["credit_decision_due"] = _recompute_decisions(session, rules, calendar, since)
    return moved


def _recompute_decisions(session: Session, rules: dict[str, ListRule], calendar: WorkCalendar, since: date) -> int:
    """Recount the decision (and 责令) deadlines of undecided entries by their grounds' paths."""
    moved = 0
    pending = ("ordered", "proposed", "notified")
    for entry in session.exec(
        select(ListEntry)
        .where(col(ListEntry.state).in_(pending), col(ListEntry.decision_due) >= since)
        .with_for_update()
    ).all():
        rule = rules[entry.list_type]
        ground = rule.ground(entry.ground)
        if ground is None:
            continue
        dates = _ground_dates(calendar, rule, ground, found_on=entry.found_on, penalty_on=entry.penalty_on)
        due = dates["decision_due"] or entry.found_on
        if (due, dates["order_due"]) != (entry.decision_due, entry.order_due):
            entry.decision_due, entry.order_due = due, dates["order_due"]
            session.add(entry)
            moved += 1
    return moved


def entry_facts(entry: ListEntry) -> EntryFacts:
    """What the lifecycle (credit.lifecycle) needs to know about a stored entry."""
    return EntryFacts(
        state=entry.state,
        proposed_by=entry.proposed_by,
        statement_due=entry.statement_due,
        statement_received=entry.statement_received,
        listed_on=entry.listed_on,
        notified_by=entry.notified_by,
        order_due=entry.order_due,
        higher_approval_required=entry.higher_approval_required,
        higher_approved=entry.higher_approved_on is not None,
        objection_by=entry.objection_by,
        repair_by=entry.repair_by,
        review_filed=entry.review_filed_on is not None,
        found_on=entry.found_on,
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
    if entry.state in ("ordered", "proposed", "notified") and calendar.is_provisional(
        entry.found_on, entry.decision_due
    ):
        out.append("decision_due")
    for due_col, start_col, _period in _DEADLINES:
        start, due = getattr(entry, start_col), getattr(entry, due_col)
        if start is not None and due is not None and calendar.is_provisional(start, due):
            out.append(due_col)
    return out


def record_statement(session: Session, *, entry_id: int, note: str, actor: str, user_id: int | None = None) -> None:
    """Record the firm's 陈述申辩, which lets the decision proceed before the period ends."""
    entry = locked(session, ListEntry, entry_id)
    if entry is None:
        raise field_error("entry_id", f"名单条目 {entry_id} 不存在", status=404)
    check_scope(session, department_id=entry.department_id, user_id=user_id)
    if entry.state != "notified":
        state = STATE_LABELS.get(entry.state, entry.state)
        raise field_error("entry_id", f"条目当前为“{state}”，只有已送达告知书的条目可以登记陈述申辩", status=409)
    if entry.statement_received:
        raise field_error("note", "已登记过本条目的陈述申辩", status=409)
    entry.statement_received = True
    entry.statement = note
    session.add(entry)
    event(session, entry, actor=actor, action="statement", before=entry.state, note=note)


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
                "ground",
                "order_due",
                "penalty_number",
                "penalty_on",
                "higher_approval_required",
                "higher_approved_on",
                "objection_accept_due",
                "repair_due",
                "review_kind",
                "review_result",
            }
        ),
    )
