"""The licensing link: what a window may grant, related-party warnings, outcomes and 联合惩戒落实 breaches."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from typing import Any

import networkx as nx
from sqlalchemy import and_
from sqlmodel import Session, col, select

from credit.models import LicensingCheck, ListEntry, ListType
from credit.reference import reference
from credit.rules import ACTIVE_STATES, ListRule, decide_licensing, honoured
from supervise import audit
from supervise.models import Enterprise
from supervise.timeutil import utcnow
from supervise.web import field_error


def _firm_with_entries(session: Session, where: Any) -> list[tuple[Enterprise, ListEntry | None, ListType | None]]:
    """Firms matching `where` with each active list entry (or None), in one round trip."""
    active = and_(col(ListEntry.enterprise_id) == col(Enterprise.id), col(ListEntry.state).in_(ACTIVE_STATES))
    return list(
        session.exec(
            select(Enterprise, ListEntry, ListType)
            .outerjoin(ListEntry, active)
            .outerjoin(ListType, col(ListType.code) == col(ListEntry.list_type))
            .where(where)
        ).all()
    )


def related_party_warnings(session: Session, ent: Enterprise, rules: Mapping[str, ListRule]) -> list[dict[str, str]]:
    """Firms sharing this firm's legal representative that are on a list restricting officers (任职限制)."""
    if not ent.legal_rep_id_number:
        return []
    rows = _firm_with_entries(session, col(Enterprise.legal_rep_id_number) == ent.legal_rep_id_number)
    # Firm–person graph around the legal representative; ID numbers stay inside this function.
    graph = nx.Graph()
    person = ("person", ent.legal_rep_id_number)
    graph.add_node(person)
    for other, _entry, _type in rows:
        graph.add_edge(("firm", other.id), ("person", other.legal_rep_id_number))
    related = {node[1] for node in nx.node_connected_component(graph, person) if node[0] == "firm"} - {ent.id}
    warnings = []
    for other, entry, list_type in rows:
        if other.id not in related or entry is None or list_type is None:
            continue
        if not rules[list_type.code].restricts_officers:
            continue
        warnings.append(
            {
                "uscc": other.uscc,
                "enterprise_name": other.name,
                "list_type": list_type.name,
                "message": f"法定代表人{ent.legal_rep_name}同时担任{other.name}的法定代表人，"
                f"该企业列入{list_type.name}（任职限制）",
            }
        )
    return sorted(warnings, key=lambda w: w["uscc"])


def check(session: Session, *, uscc: str, matter: str, user_id: int | None, actor: str) -> dict[str, Any]:
    """Answer a licensing window: decision, measures with legal basis, public entries, warnings; logged."""
    ref = reference(session)
    matter_name = ref.matters.get(matter)
    if matter_name is None:
        raise field_error("matter", f"unknown licensing matter {matter!r}")
    rows = _firm_with_entries(session, col(Enterprise.uscc) == uscc)
    if not rows:
        raise field_error("uscc", f"统一社会信用代码 {uscc} 未登记", status=404)
    ent = rows[0][0]
    entries = [(e, lt) for _f, e, lt in rows if e is not None and lt is not None]
    decision = decide_licensing(
        active_list_types=[lt.code for _e, lt in entries], matter=matter, catalogue=ref.catalogue
    )
    public_id = uuid.uuid4().hex[:16]
    response = {
        "check_id": public_id,
        "uscc": ent.uscc,
        "enterprise_name": ent.name,
        "matter": {"code": matter, "name": matter_name},
        "decision": decision.decision,
        "measures": [
            {"list_type": m.list_type, "effect": m.effect, "text": m.text, "legal_basis": m.legal_basis}
            for m in decision.measures
        ],
        "entries": [
            {
                "list_type": lt.name,
                "summary": e.public_summary,
                "decision_number": e.decision_number,
                "listed_on": e.listed_on.isoformat() if e.listed_on else None,
                "legal_basis": e.legal_basis,
            }
            for e, lt in entries
        ],
        "related_party_warnings": related_party_warnings(session, ent, ref.rules),
        "risk_tier": ent.risk_tier,
    }
    session.add(
        LicensingCheck(
            public_id=public_id,
            enterprise_id=ent.id or 0,
            matter=matter,
            decision=decision.decision,
            response=json.dumps(response, ensure_ascii=False),
            checked_by=user_id,
        )
    )
    audit.record(
        session,
        actor=actor,
        action="credit.checked",
        object_type="licensing_check",
        object_id=public_id,
        payload={"uscc": uscc, "matter": matter, "decision": decision.decision},
    )
    return response


def report_outcome(
    session: Session, *, check_id: str, granted: bool, measures_applied: list[str], actor: str
) -> dict[str, Any]:
    """Record what the licensing office decided; a grant that ignores the check is a breach."""
    row = session.exec(select(LicensingCheck).where(LicensingCheck.public_id == check_id)).first()
    if row is None:
        raise field_error("check_id", f"no licensing check {check_id}", status=404)
    if row.outcome_reported_at is not None:
        raise field_error("check_id", "the outcome of this check was already reported", status=409)
    required = [m["effect"] for m in json.loads(row.response)["measures"] if m["effect"] != "deny"]
    ok = honoured(decision=row.decision, granted=granted, measures_required=required, measures_applied=measures_applied)
    row.outcome_granted, row.outcome_measures = granted, ",".join(sorted(set(measures_applied)))
    row.outcome_reported_at, row.breach = utcnow(), not ok
    session.add(row)
    audit.record(
        session,
        actor=actor,
        action="credit.outcome_reported",
        object_type="licensing_check",
        object_id=check_id,
        payload={"granted": granted, "measures_applied": sorted(set(measures_applied)), "breach": not ok},
    )
    return {"check_id": check_id, "decision": row.decision, "granted": granted, "breach": not ok}


def breaches(session: Session) -> list[dict[str, Any]]:
    """联合惩戒落实 breaches: licences granted against a deny/restrict check without its measures."""
    rows = session.exec(
        select(LicensingCheck, Enterprise)
        .join(Enterprise, col(Enterprise.id) == col(LicensingCheck.enterprise_id))
        .where(col(LicensingCheck.breach).is_(True))
        .order_by(col(LicensingCheck.checked_at))
    ).all()
    return [
        {
            "check_id": c.public_id,
            "uscc": e.uscc,
            "enterprise_name": e.name,
            "matter": c.matter,
            "decision": c.decision,
            "measures_applied": c.outcome_measures or "",
            "reported_at": c.outcome_reported_at.isoformat() if c.outcome_reported_at else None,
        }
        for c, e in rows
    ]


def public_entries(session: Session, *, q: str) -> list[dict[str, Any]]:
    """Public list entries (信用查询) by USCC or name; never personal data."""
    stmt = (
        select(ListEntry, ListType, Enterprise)
        .join(ListType, col(ListType.code) == col(ListEntry.list_type))
        .join(Enterprise, col(Enterprise.id) == col(ListEntry.enterprise_id))
        .where(col(ListEntry.state).in_(ACTIVE_STATES))
    )
    stmt = stmt.where(col(Enterprise.name).contains(q) | col(Enterprise.uscc).startswith(q.upper()))
    return [
        {
            "uscc": e.uscc,
            "enterprise_name": e.name,
            "list_type": lt.name,
            "kind": lt.kind,
            "summary": entry.public_summary,
            "decision_number": entry.decision_number,
            "listed_on": entry.listed_on.isoformat() if entry.listed_on else None,
            "expires_on": entry.expires_on.isoformat() if entry.expires_on else None,
        }
        for entry, lt, e in session.exec(stmt.limit(200)).all()
    ]
