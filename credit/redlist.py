"""Red lists are published elsewhere (纳税信用A级 by 税务, 守合同重信用 by 市场监管) and imported here, with the
source document and its validity period; nothing is decided locally, and entries end with the period."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from credit.models import ListEntry
from credit.rules import ACTIVE_STATES
from credit.services import event, rule_of
from credit.tiers import recompute_tier
from supervise import audit
from supervise.errors import field_error, import_rejected
from supervise.imports import runs_import
from supervise.importspec import Column, ImportSpec, register
from supervise.models import Enterprise
from supervise.schemas import ImportRowError
from supervise.validators import validate_uscc

log = logging.getLogger(__name__)
RED_COLUMNS = ("uscc", "name")  # 统一社会信用代码, 企业名称 as published
RED_IMPORT = register(
    ImportSpec(
        "red-lists",
        "红名单导入（按发布机关公布的名单）",
        (
            Column("uscc", "统一社会信用代码", True, "91330102MA2H0X1Y2X", "", ("纳税人识别号",)),
            Column("name", "企业名称", False, "杭州某某食品店", "按公布的名单照录", ("纳税人名称", "企业（单位）名称")),
        ),
        roles=("credit_officer", "admin"),
    )
)  # fmt: skip


def import_red_list(
    session: Session,
    *,
    list_type: str,
    rows: Sequence[tuple[int, dict[str, str]]],
    document: str,
    valid_from: date,
    valid_until: date,
    department_id: int,
    actor: str,
) -> dict[str, Any]:
    """Import a published red list: every row checked, all or nothing; firms already on it are renewed."""
    rule = rule_of(session, list_type)
    if not rule.imported:
        raise field_error("list_type", f"{rule.name}不是导入的红名单")
    if not document.strip():
        raise field_error("document", "请填写发布文件（名称及文号）")
    if valid_until <= valid_from:
        raise field_error("valid_until", "有效期截止日须晚于起始日")
    errors: list[ImportRowError] = []
    firms: dict[str, Enterprise] = {}
    seen: dict[str, int] = {}
    checked: list[tuple[int, str, str]] = []  # line, USCC, problem
    for line, raw in rows:
        uscc, problem = raw.get("uscc", "").strip().upper(), ""
        try:
            uscc = validate_uscc(uscc)
        except ValueError as exc:
            problem = str(exc)
        checked.append((line, uscc, problem))
    wanted = [u for _line, u, problem in checked if not problem]
    registered = (
        {e.uscc: e for e in session.exec(select(Enterprise).where(col(Enterprise.uscc).in_(wanted))).all()}
        if wanted
        else {}
    )
    for line, uscc, problem in checked:
        ent = registered.get(uscc)
        if problem:
            errors.append(ImportRowError(line=line, field="uscc", message=problem))
        elif uscc in seen:
            errors.append(ImportRowError(line=line, field="uscc", message=f"与第 {seen[uscc]} 行重复"))
        elif ent is None:
            errors.append(ImportRowError(line=line, field="uscc", message=f"统一社会信用代码 {uscc} 未登记"))
        else:
            seen[uscc], firms[uscc] = line, ent
    if errors:
        raise import_rejected(errors)
    ground = rule.grounds[0]
    renewed = created = 0
    in_force = {
        e.enterprise_id: e
        for e in session.exec(
            select(ListEntry).where(
                col(ListEntry.enterprise_id).in_([f.id for f in firms.values()]),
                ListEntry.list_type == list_type,
                col(ListEntry.state).in_(ACTIVE_STATES),
            )
        ).all()
    }
    for ent in firms.values():
        current = in_force.get(ent.id or 0)
        if current is not None:  # the new publication renews the entry's period
            current.decision_number, current.expires_on = document[:64], valid_until
            session.add(current)
            event(session, current, actor=actor, action="renewed", before=current.state, note=document)
            renewed += 1
            continue
        entry = ListEntry(
            enterprise_id=ent.id or 0,
            list_type=list_type,
            state="listed",
            ground=ground.code,
            reason=f"列入{rule.name}（{document}）",
            legal_basis=ground.basis[:256],
            department_id=department_id,
            decision_number=document[:64],
            public_summary=f"{ent.name}：{rule.name}",
            found_on=valid_from,
            decision_due=valid_from,
            listed_on=valid_from,
            expires_on=valid_until,
        )
        session.add(entry)
        session.flush()
        event(session, entry, actor=actor, action="imported", before=None, note=document)
        recompute_tier(session, enterprise_id=ent.id or 0)
        created += 1
    result = {"list_type": list_type, "created": created, "renewed": renewed, "document": document}
    audit.record(
        session, actor=actor, action="credit.red_imported", object_type="list_type", object_id=list_type, payload=result
    )
    return result


@runs_import("red-lists")
def run_red_import(
    session: Session, *, rows: Sequence[tuple[int, dict[str, str]]], actor: str, source: str, options: dict[str, Any]
) -> dict[str, Any]:
    """The red lists' import runner (supervise.imports); the options carry the list and its publication."""
    return import_red_list(
        session,
        list_type=options["list_type"],
        rows=rows,
        document=options["document"],
        valid_from=date.fromisoformat(options["valid_from"]),
        valid_until=date.fromisoformat(options["valid_until"]),
        department_id=int(options["department_id"]),
        actor=actor,
    )
