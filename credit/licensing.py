"""The licensing link: what a window may grant, related-party warnings, outcomes and 联合惩戒落实 breaches."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

import networkx as nx
from sqlalchemy import and_, bindparam, literal, or_
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from credit.bars import BARS, cite, describe, in_force
from credit.control import check_row, office_of
from credit.models import LicensingCheck, ListEntry
from credit.penalties import public_penalties
from credit.reference import reference
from credit.rules import ACTIVE_STATES, DENY, ActiveEntry, ListRule, decide_licensing, honoured
from supervise import audit, clock
from supervise.db import lock_rows
from supervise.errors import field_error
from supervise.models import Enterprise, User

_E, _L, _C = Enterprise.__table__, ListEntry.__table__, LicensingCheck.__table__  # type: ignore[attr-defined]
_TARGET = core_select(_E.c.id, _E.c.legal_rep_id_number.label("rep")).where(_E.c.uscc == bindparam("uscc")).cte()
# The firm and every firm sharing its legal representative, each with its active list entries (or NULLs),
# in one round trip: the licensing window calls this for every application.
_FIRM_AND_PARTIES = (
    core_select(
        _E.c.id,
        _E.c.uscc,
        _E.c.name,
        _E.c.legal_rep_name,
        _E.c.legal_rep_id_number,
        _E.c.risk_tier,
        (_E.c.id == _TARGET.c.id).label("is_target"),
        _L.c.list_type,
        _L.c.public_summary,
        _L.c.decision_number,
        _L.c.listed_on,
        _L.c.legal_basis,
        _L.c.ground,
        _L.c.penalty_field,
    )  # fmt: skip
    .select_from(
        _TARGET.join(_E, or_(_E.c.id == _TARGET.c.id, _E.c.legal_rep_id_number == _TARGET.c.rep)).outerjoin(
            _L, and_(_L.c.enterprise_id == _E.c.id, _L.c.state.in_([literal(state) for state in sorted(ACTIVE_STATES)]))
        )
    )
    .order_by(_E.c.id, _L.c.id)
)
_RECORD_CHECK = _C.insert()


def related_party_warnings(
    firm: Mapping[Any, Any], parties: Sequence[Mapping[Any, Any]], rules: Mapping[str, ListRule]
) -> list[dict[str, str]]:
    """Firms sharing this firm's legal representative that are on a list restricting officers (任职限制).

    `parties` are rows of firms (with `id`, `uscc`, `name`, `legal_rep_id_number`) and one active entry's
    `list_type` and `ground` (or None); ID numbers stay inside this function."""
    if not firm["legal_rep_id_number"]:
        return []
    # Firm–person graph around the legal representative.
    graph = nx.Graph()
    person = ("person", firm["legal_rep_id_number"])
    graph.add_node(person)
    for other in parties:
        if other["legal_rep_id_number"]:
            graph.add_edge(("firm", other["id"]), ("person", other["legal_rep_id_number"]))
    related = {node[1] for node in nx.node_connected_component(graph, person) if node[0] == "firm"} - {firm["id"]}
    warnings = []
    for other in parties:
        code = other["list_type"]
        ground = rules[code].ground(other.get("ground")) if code else None
        if other["id"] not in related or ground is None or not ground.restricts_officers:
            continue  # 任职限制 follows the ground (公司法第一百七十八条: 吊销营业执照、责令关闭), not the list
        list_name = rules[code].name
        warnings.append(
            {
                "uscc": other["uscc"],
                "enterprise_name": other["name"],
                "list_type": list_name,
                "message": f"法定代表人{firm['legal_rep_name']}同时担任{other['name']}的法定代表人，"
                f"该企业列入{list_name}（任职限制）",
            }
        )
    return sorted(warnings, key=lambda w: w["uscc"])


def check(session: Session, *, uscc: str, matter: str, user_id: int | None, actor: str) -> dict[str, Any]:
    """Answer a licensing window: decision, measures with legal basis, public entries, warnings; logged."""
    ref = reference(session)
    matter_name = ref.matters.get(matter)
    if matter_name is None:
        raise field_error("matter", f"未知的许可事项代码 {matter}")
    session.flush()  # the reads below are Core: they see the caller's pending changes only once flushed
    conn = session.connection()
    rows = conn.execute(_FIRM_AND_PARTIES, {"uscc": uscc}).mappings().all()
    own = [r for r in rows if r["is_target"]]
    if not own:
        raise field_error("uscc", f"统一社会信用代码 {uscc} 未登记", status=404)
    firm = own[0]
    entries = [r for r in own if r["list_type"] is not None]
    decision = decide_licensing(
        entries=[ActiveEntry(e["list_type"], e["ground"], e["penalty_field"]) for e in entries],
        matter=matter,
        catalogue=ref.catalogue,
    )
    # A bar the law ties to a penalty decision (食品安全法 第一百三十五条) binds the firm and its legal representative
    # whether or not any list entry is in force.
    barred = [
        {"list_type": "行政处罚决定", "effect": "deny", "text": describe(bar, holder), "legal_basis": cite(bar.kind)}
        for bar, holder in in_force(session, enterprise_id=firm["id"], id_numbers=[firm["legal_rep_id_number"] or ""])
        if matter in BARS[bar.kind].matters
    ]
    verdict = DENY if barred else decision.decision
    # Asking again about the same firm and matter while the office's earlier check still waits for its outcome
    # redoes that check: one pending check per firm and matter, counted once for 联合惩戒落实.
    session.exec(lock_rows(select(Enterprise.id).where(Enterprise.id == firm["id"]))).first()  # one at a time
    earlier = _pending_same(session, enterprise_id=firm["id"], matter=matter, user_id=user_id)
    public_id = earlier.public_id if earlier else uuid.uuid4().hex[:16]
    response = {
        "check_id": public_id,
        "uscc": firm["uscc"],
        "enterprise_name": firm["name"],
        "matter": {"code": matter, "name": matter_name},
        "decision": verdict,
        "measures": barred
        + [
            {"list_type": m.list_type, "effect": m.effect, "text": m.text, "legal_basis": m.legal_basis}
            for m in decision.measures
        ],
        "entries": [
            {
                "list_type": ref.rules[e["list_type"]].name,
                "summary": e["public_summary"],
                "decision_number": e["decision_number"],
                "listed_on": e["listed_on"].isoformat() if e["listed_on"] else None,
                "legal_basis": e["legal_basis"],
            }
            for e in entries
        ],
        "related_party_warnings": related_party_warnings(firm, [r for r in rows if not r["is_target"]], ref.rules),
        # 行政处罚信息 in display: shown to the window; no catalogue measure attaches an effect to it.
        "penalties": public_penalties(session, enterprise_id=firm["id"]),
        "risk_tier": firm["risk_tier"],
    }
    if earlier is not None:
        earlier.decision, earlier.response = verdict, json.dumps(response, ensure_ascii=False)
        earlier.checked_by, earlier.checked_at = user_id, clock.now()
        session.add(earlier)
    else:
        _insert_check(conn, public_id, firm["id"], matter, verdict, response, user_id)
    audit.record(
        session,
        actor=actor,
        action="credit.checked",
        object_type="licensing_check",
        object_id=public_id,
        payload={"uscc": uscc, "matter": matter, "decision": verdict, "redone": earlier is not None},
    )
    return response


def _pending_same(session: Session, *, enterprise_id: int, matter: str, user_id: int | None) -> LicensingCheck | None:
    """The office's check of this firm and matter still waiting for its outcome (row-locked), if any."""
    office = office_of(session, user_id)
    stmt = select(LicensingCheck).where(
        LicensingCheck.enterprise_id == enterprise_id, LicensingCheck.matter == matter,
        col(LicensingCheck.outcome_reported_at).is_(None),
        col(LicensingCheck.checked_by).in_(office) if user_id is not None else col(LicensingCheck.checked_by).is_(None),
    )  # fmt: skip
    return session.exec(lock_rows(stmt.order_by(col(LicensingCheck.id).desc()))).first()


def _insert_check(conn: Any, public_id: str, enterprise_id: int, matter: str, verdict: str,
                  response: dict[str, Any], user_id: int | None) -> None:  # fmt: skip
    conn.execute(
        _RECORD_CHECK,
        {
            "public_id": public_id,
            "enterprise_id": enterprise_id,
            "matter": matter,
            "decision": verdict,
            "response": json.dumps(response, ensure_ascii=False),
            "checked_by": user_id,
            "checked_at": clock.now(),
            "breach": False,
        },
    )


def _same_office(session: Session, checker_id: int | None, reporter_id: int | None) -> bool:
    """A check's outcome comes from the account that made it, or another of the same department."""
    if checker_id == reporter_id:
        return True
    if checker_id is None or reporter_id is None:
        return False
    checker, reporter = session.get(User, checker_id), session.get(User, reporter_id)
    return bool(checker and reporter and checker.department_id and checker.department_id == reporter.department_id)


def report_outcome(
    session: Session,
    *,
    check_id: str,
    granted: bool,
    measures_applied: list[str],
    actor: str,
    user_id: int | None,
) -> dict[str, Any]:
    """Record what the licensing office decided; a grant that ignores the check is a breach."""
    row = session.exec(lock_rows(select(LicensingCheck).where(LicensingCheck.public_id == check_id))).first()
    if row is None:
        raise field_error("check_id", f"核查记录 {check_id} 不存在", status=404)
    if not _same_office(session, row.checked_by, user_id):
        raise field_error("check_id", "只能报告本窗口（本部门）发起的核查的办理结果", status=403)
    if row.outcome_reported_at is not None:
        done = "准予许可" if row.outcome_granted else "不予许可"
        at = clock.to_beijing(row.outcome_reported_at).strftime("%Y-%m-%d %H:%M")
        raise field_error("check_id", f"该核查的办理结果已于 {at} 报告（{done}），不能重复报告", status=409)
    known = {m.effect for m in reference(session).catalogue}
    unknown = sorted(set(measures_applied) - known)
    if unknown:
        raise field_error("measures_applied", f"未知的措施代码：{'、'.join(unknown)}；可用：{'、'.join(sorted(known))}")
    required = [m["effect"] for m in json.loads(row.response)["measures"] if m["effect"] != "deny"]
    ok = honoured(decision=row.decision, granted=granted, measures_required=required, measures_applied=measures_applied)
    row.outcome_granted, row.outcome_measures = granted, ",".join(sorted(set(measures_applied)))
    row.outcome_reported_at, row.breach = clock.now(), not ok
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
        check_row(c, e)
        | {
            "measures_applied": c.outcome_measures or "",
            "reported_at": c.outcome_reported_at.isoformat() if c.outcome_reported_at else None,
        }
        for c, e in rows
    ]
