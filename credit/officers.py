"""任职限制 at registration: a person the law bars from office (公司法第一百七十八条) is flagged when a firm is
registered or its legal representative or officers change, with the basis; the ID number never leaves here."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from credit.bars import cite, describe, persons_in_force
from credit.models import ListEntry
from credit.reference import reference
from credit.rules import ACTIVE_STATES
from supervise import audit, clock
from supervise.models import Enterprise

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Person:
    role: str  # 法定代表人, 董事, 监事, 高级管理人员
    name: str
    id_number: str | None


def restrictions(session: Session, people: Iterable[Person], *, today: date | None = None) -> list[dict[str, Any]]:
    """The people among these who are barred from office today, each with the firm and the basis."""
    today = today or clock.today()
    wanted = {p.id_number: p for p in people if p.id_number}
    if not wanted:
        return []
    rules = reference(session).rules
    barring = [g.code for r in rules.values() for g in r.grounds if g.restricts_officers]
    # The barred are few (entries in force on a ground that carries the restriction): load them and match here,
    # rather than send every person of a 名录库 import to the database.
    rows = session.exec(
        select(ListEntry, Enterprise)
        .join(Enterprise, col(Enterprise.id) == col(ListEntry.enterprise_id))
        .where(col(ListEntry.ground).in_(barring), col(ListEntry.state).in_(ACTIVE_STATES))
    ).all()
    found = []
    for entry, firm in rows:
        ground = rules[entry.list_type].ground(entry.ground)
        if firm.legal_rep_id_number not in wanted or ground is None or not ground.restricts_officers:
            continue
        if entry.penalty_on is None:
            continue
        until = ground.officer_bar.after(entry.penalty_on) if ground.officer_bar else None
        if until is not None and today >= until:
            continue
        person = wanted[firm.legal_rep_id_number or ""]
        basis = ground.officer_bar_basis or ground.basis
        found.append(
            {
                "person": person,  # for the caller to match; never serialized (it holds the ID number)
                "bar": f"entry-{entry.id}",
                "role": person.role,
                "name": person.name,
                "firm_uscc": firm.uscc,
                "firm_name": firm.name,
                "until": until.isoformat() if until else None,
                "basis": basis,
                "message": f"{person.role}{person.name}曾任{firm.name}的法定代表人，该企业{ground.label}"
                f"（{entry.penalty_number}），{'至 ' + until.isoformat() + ' 前' if until else ''}"
                f"{ground.officer_bar_effect or '受任职限制'}；请核实后决定是否登记",
            }
        )
    return found + _decision_bars(session, wanted, today, {str(f["firm_uscc"]) for f in found})


def _decision_bars(session: Session, wanted: dict[str, Person], today: date, listed: set[str]) -> list[dict[str, Any]]:
    """The people barred by a penalty decision itself (credit.bars), whatever became of any list entry."""
    out = []
    # As for the list entries above: the barred are few, so load them rather than send every person of an import.
    for bar, firm in persons_in_force(session, today=today):
        if bar.id_number not in wanted or bar.kind == "company" and firm.uscc in listed:
            continue  # already found through the firm's list entry on the same revocation
        person = wanted[bar.id_number or ""]
        out.append(
            {
                "person": person, "bar": f"bar-{bar.id}", "role": person.role, "name": person.name,
                "firm_uscc": firm.uscc, "firm_name": firm.name, "until": bar.until.isoformat(), "basis": cite(bar.kind),
                "message": f"{person.role}{person.name}：{describe(bar, firm)}；请核实后决定是否登记",
            }
        )  # fmt: skip
    return out


def flag(session: Session, *, uscc: str, found: list[dict[str, Any]], actor: str) -> None:
    """Write each restriction met at registration to the audit log (no ID numbers)."""
    for f in found:
        audit.record(
            session,
            actor=actor,
            action="enterprise.officer_restricted",
            object_type="enterprise",
            object_id=uscc,
            payload={k: f[k] for k in ("role", "name", "firm_uscc", "until", "basis")},
        )
