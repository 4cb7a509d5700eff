"""Firms' online 异议 and 信用修复 (移出) applications: filed on a public form, followed with a number and the
USCC, and registered by a credit officer into the entry's due process, where a second officer decides."""

from __future__ import annotations

import json
import logging
import secrets
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from credit.lifecycle import STATE_LABELS, TransitionRefused, transition_effects
from credit.models import CreditApplication, ListEntry, ListType
from credit.rules import ACTIVE_STATES
from credit.schemas import ApplicationPublic
from credit.services import check_scope, entry_facts, rule_of, scoped_entries, transition
from supervise import audit, clock
from supervise.db import locked
from supervise.errors import field_error
from supervise.holidays import work_calendar
from supervise.models import Enterprise

log = logging.getLogger(__name__)
KINDS = {"objection": ("object", "异议"), "repair": ("apply_repair", "信用修复（申请移出）")}
STATUS_LABELS = {"submitted": "已提交，待登记", "registered": "已登记，办理中", "returned": "已退回"}
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read over the phone


def _number() -> str:
    return "SQ" + clock.today().strftime("%Y%m%d") + "".join(secrets.choice(_ALPHABET) for _ in range(8))


def _entry_of(session: Session, uscc: str, list_type: str) -> ListEntry:
    ent = session.exec(select(Enterprise).where(Enterprise.uscc == uscc)).first()
    entry = (
        session.exec(
            select(ListEntry).where(
                ListEntry.enterprise_id == (ent.id if ent else -1),
                ListEntry.list_type == list_type,
                col(ListEntry.state).in_(ACTIVE_STATES),
            )
        ).first()
        if ent
        else None
    )
    if entry is None:
        # A refusal of what the applicant typed (422): the public form comes back with their input, not a 404 page.
        raise field_error("uscc", f"{uscc} 没有正在公示的该类名单信息，请核对代码和名单类型")
    return entry


def submit(
    session: Session,
    *,
    uscc: str,
    list_type: str,
    kind: str,
    contact_name: str,
    contact_phone: str,
    reason: str,
    conditions: dict[str, str],
    commitment_letter: bool,
    attachments: list[dict[str, Any]],
) -> CreditApplication:
    """File an application; refused at once (naming the field) if the law does not allow it today."""
    if kind not in KINDS:
        raise field_error("kind", "申请类型应为异议或信用修复")
    rule = rule_of(session, list_type)
    entry = _entry_of(session, uscc, list_type)
    action, label = KINDS[kind]
    today = clock.today()
    waiting = session.exec(
        select(CreditApplication.number).where(
            CreditApplication.entry_id == entry.id,
            CreditApplication.kind == kind,
            CreditApplication.status == "submitted",
        )
    ).first()
    if waiting:
        raise field_error("kind", f"该名单信息已有待登记的{label}申请（编号 {waiting}），请勿重复提交", status=409)
    if kind == "objection" and rule.objection_route == "review":
        raise field_error("kind", f"对{rule.name}的列入决定有异议的，请依法申请行政复议或提起行政诉讼")
    try:  # the same rules the officer's registration will apply, on the day of receipt
        transition_effects(
            entry_facts(entry),
            rule,
            action,
            today,
            note=reason,
            conditions=conditions,
            commitment_letter=commitment_letter,
        )
    except TransitionRefused as exc:
        raise field_error("conditions" if exc.field.startswith("conditions.") else exc.field, str(exc)) from None
    calendar = work_calendar(session)
    first = rule.objection_accept if kind == "objection" else rule.repair_decision
    application = CreditApplication(
        number=_number(),
        kind=kind,
        entry_id=entry.id or 0,
        uscc=uscc,
        contact_name=contact_name,
        contact_phone=contact_phone,
        reason=reason,
        conditions=json.dumps(conditions, ensure_ascii=False) if conditions else None,
        commitment=commitment_letter,
        attachments=json.dumps(attachments, ensure_ascii=False),
        register_due=first.after(today, calendar) if first else today,
        status="submitted",
    )
    session.add(application)
    session.flush()
    audit.record(
        session,
        actor="public",
        action="credit.application_submitted",
        object_type="credit_application",
        object_id=application.number,
        payload={"kind": kind, "entry": entry.id, "list_type": list_type, "attachments": len(attachments)},
    )
    log.info("online %s application %s for entry %s", label, application.number, entry.id)
    return application


def status(session: Session, *, number: str, uscc: str) -> dict[str, Any]:
    """What the applicant may see with the number and the USCC (never the contact details)."""
    app = session.exec(select(CreditApplication).where(CreditApplication.number == number.strip().upper())).first()
    if app is None or app.uscc != uscc:
        raise field_error("number", "申请编号与统一社会信用代码不匹配", status=404)
    entry = session.get(ListEntry, app.entry_id)
    lt = session.get(ListType, entry.list_type) if entry else None
    assert entry is not None and lt is not None
    due = entry.objection_due if entry.state == "objected" else None
    return {
        "number": app.number,
        "kind": KINDS[app.kind][1],
        "list_type": lt.name,
        "status": STATUS_LABELS[app.status],
        "received": clock.to_beijing(app.received_at).strftime("%Y-%m-%d %H:%M"),
        "first_decision_due": app.register_due.isoformat(),
        "entry_state": STATE_LABELS.get(entry.state, entry.state),
        "verification_due": due.isoformat() if due else None,
        "answer": app.answer,
        "ended_on": entry.ended_on.isoformat() if entry.ended_on else None,
    }


def queue(session: Session, *, user_id: int | None = None) -> list[CreditApplication]:
    """Applications waiting to be registered, the most urgent first (those of the user's scope only)."""
    stmt = select(CreditApplication).where(CreditApplication.status == "submitted")
    scoped = scoped_entries(session, user_id=user_id)
    if scoped is not None:
        stmt = stmt.where(col(CreditApplication.entry_id).in_(select(ListEntry.id).where(scoped)))
    return list(session.exec(stmt.order_by(col(CreditApplication.register_due), col(CreditApplication.id))).all())


def _in_scope(session: Session, app: CreditApplication, user_id: int) -> None:
    entry = session.get(ListEntry, app.entry_id)
    check_scope(session, department_id=entry.department_id if entry else None, user_id=user_id, what="信用申请")


def _handled(session: Session, app: CreditApplication, *, user_id: int, actor: str, action: str, note: str) -> None:
    app.handled_by, app.handled_at = user_id, clock.now()
    session.add(app)
    audit.record(
        session,
        actor=actor,
        action=f"credit.application_{action}",
        object_type="credit_application",
        object_id=app.number,
        payload={"entry": app.entry_id, "note": note},
    )


def register(session: Session, *, application_id: int, user_id: int, actor: str) -> CreditApplication:
    """Register an application into its entry's process as received; a second officer then decides it."""
    app = locked(session, CreditApplication, application_id)  # two officers registering at once: one wins
    if app is None:
        raise field_error("application_id", f"申请 {application_id} 不存在", status=404)
    _in_scope(session, app, user_id)
    if app.status != "submitted":
        raise field_error("application_id", f"申请 {app.number} 已{STATUS_LABELS[app.status]}", status=409)
    received: date = clock.to_beijing(app.received_at).date()
    transition(
        session,
        entry_id=app.entry_id,
        action=KINDS[app.kind][0],
        user_id=user_id,
        actor=actor,
        today=received,  # the statutory periods count from receipt, not from registration
        note=f"网上申请 {app.number}：{app.reason}",
        conditions=json.loads(app.conditions) if app.conditions else None,
        commitment_letter=app.commitment,
    )
    app.status = "registered"
    _handled(session, app, user_id=user_id, actor=actor, action="registered", note="")
    return app


def return_application(
    session: Session, *, application_id: int, reason: str, user_id: int, actor: str
) -> CreditApplication:
    """Return an application that cannot be registered, with the reason the applicant will read."""
    app = locked(session, CreditApplication, application_id)
    if app is None:
        raise field_error("application_id", f"申请 {application_id} 不存在", status=404)
    _in_scope(session, app, user_id)
    if app.status != "submitted":
        raise field_error("application_id", f"申请 {app.number} 已{STATUS_LABELS[app.status]}", status=409)
    if not reason.strip():
        raise field_error("note", "请填写退回理由")
    app.status, app.answer = "returned", reason
    _handled(session, app, user_id=user_id, actor=actor, action="returned", note=reason)
    return app


def application_public(app: CreditApplication) -> ApplicationPublic:
    """Project an application for the officers (never for the public status page)."""
    return ApplicationPublic(
        **app.model_dump(include={"id", "number", "kind", "uscc", "entry_id", "contact_name", "contact_phone"}),
        reason=app.reason,
        status=app.status,
        register_due=app.register_due,
        attachments=json.loads(app.attachments),
    )
