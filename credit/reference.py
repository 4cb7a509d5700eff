"""Per-process cache of the credit reference data the licensing check reads on every call.

Licensing matters, list-type rules and the 联合奖惩措施 catalogue are loaded by seeding or migrations and are
not edited through the application, so each app instance keeps them for SUPERVISE_REFERENCE_TTL seconds
(default 60) instead of querying them on every check.
"""

from __future__ import annotations

import json
import time
import weakref
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, delete, select

from credit import law
from credit.models import LicenseMatter, ListType, SanctionMeasure
from credit.rules import ListRule, Measure, cite
from supervise.config import tuning


@dataclass(frozen=True)
class Reference:
    matters: dict[str, str]  # code -> name
    rules: dict[str, ListRule]
    catalogue: tuple[Measure, ...]
    loaded_at: float


def _load(session: Session) -> Reference:
    return Reference(
        matters={m.code: m.name for m in session.exec(select(LicenseMatter)).all()},
        rules={t.code: t.rule() for t in session.exec(select(ListType)).all()},
        catalogue=tuple(
            Measure(m.list_type, m.matter, m.effect, m.text, m.legal_basis, m.ground, m.field)
            for m in session.exec(select(SanctionMeasure).order_by(col(SanctionMeasure.id))).all()
        ),
        loaded_at=time.monotonic(),
    )


# One entry per engine, i.e. per application instance; it goes when the engine does.
_cache: weakref.WeakKeyDictionary[Engine, Reference] = weakref.WeakKeyDictionary()


def reference(session: Session) -> Reference:
    """The reference data, from this engine's cache when fresh enough."""
    ttl = tuning().reference_ttl
    engine = session.get_bind()
    if ttl <= 0 or not isinstance(engine, Engine):
        return _load(session)
    ref = _cache.get(engine)
    if ref is None or time.monotonic() - ref.loaded_at > ttl or not ref.matters:
        ref = _cache[engine] = _load(session)
    return ref


def install(session: Session) -> dict[str, int]:
    """Write the list types and the measures catalogue of credit/law.py into the database (replacing them)."""
    for code, name, kind, rules in law.LIST_TYPES:
        row = session.get(ListType, code) or ListType(code=code, name=name, kind=kind, rules="{}")
        row.name, row.kind, row.rules = name, kind, json.dumps(rules, ensure_ascii=False)
        session.add(row)
    session.flush()
    session.exec(delete(SanctionMeasure))
    for m in law.MEASURES:
        when = m["when"]
        session.add(
            SanctionMeasure(
                list_type=m["list_type"],
                matter=m["matter"],
                effect=m["effect"],
                text=m["text"],
                legal_basis=cite(m["source"])[:256],
                ground=when.get("ground"),
                field=when.get("field"),
            )
        )
    session.flush()
    _cache.clear()
    return {"list_types": len(law.LIST_TYPES), "measures": len(law.MEASURES)}


def stored_rules(session: Session) -> dict[str, Any]:
    """Every list type's rules and measures as stored (what the service uses), with their legal sources."""
    measures = session.exec(select(SanctionMeasure).order_by(col(SanctionMeasure.id))).all()
    return {
        "list_types": [
            {
                "code": t.code,
                "name": t.name,
                "kind": t.kind,
                "rules": json.loads(t.rules),
                "measures": [
                    m.model_dump(include={"matter", "effect", "text", "legal_basis", "ground", "field"})
                    for m in measures
                    if m.list_type == t.code
                ],
            }
            for t in session.exec(select(ListType).order_by(col(ListType.code))).all()
        ],
        "penalty_information": law.PENALTY_INFO,
        "local_settings": law.LOCAL_SETTINGS,
    }


RULE_LABELS = {
    "statement_period": "陈述申辩期",
    "decision_deadline": "列入决定期限",
    "decision_period": "列入决定期限",
    "order_period": "责令限期公示",
    "objection_window": "异议申请期",
    "objection_accept": "异议受理决定",
    "objection_answer": "异议核实答复",
    "min_display": "最短公示期（申请移出前）",
    "repair_decision": "移出/修复申请决定",
    "max_period": "公示期满自动移出",
    "publish_within": "作出处罚决定后公示期限",
    "display": "公示期",
    "display_light": "公示期（仅通报批评或较低数额罚款）",
    "withdraw_within": "处罚决定被变更、撤销等后撤回公示",
    "min_display_ordinary": "提前停止公示前最短公示期（一般处罚）",
    "min_display_strict": "提前停止公示前最短公示期（食品、药品、特种设备）",
    "officer_bar": "任职限制期",
}
UNITS = {"working_days": "个工作日", "days": "日", "months": "个月", "years": "年"}


def rules_table(data: dict[str, Any]) -> str:
    """The stored rules as the Markdown table of docs/credit.md: rule, value, source."""
    lines = ["| 名单 | 规则 | 值 | 依据 |", "|---|---|---|---|"]

    def row(where: str, key: str, value: dict[str, Any]) -> None:
        amount = f"{value['amount']}{UNITS[value['unit']]}"
        lines.append(f"| {where} | {RULE_LABELS.get(key, key)} | {amount} | {cite(value['source'])} |")

    for lt in data["list_types"]:
        for key, value in lt["rules"].items():
            if isinstance(value, dict) and "amount" in value:
                row(lt["name"], key, value)
        for ground in lt["rules"].get("grounds", ()):
            where = f"{lt['name']}：{ground['label']}"
            lines.append(f"| {where} | 列入事由 | {ground['code']} | {cite(ground['source'])} |")
            for key in ("order_period", "decision_period", "officer_bar"):
                if ground.get(key):
                    row(where, key, ground[key])
        for m in lt["measures"]:
            cond = "、".join(v for v in (m["ground"], m["field"]) if v)
            where = f"{lt['name']}（{m['matter']}{'，' + cond if cond else ''}）"
            lines.append(f"| {where} | 措施 {m['effect']} | {m['text']} | {m['legal_basis']} |")
    for key, value in data["penalty_information"].items():
        if isinstance(value, dict) and "amount" in value:
            row("行政处罚信息", key, value)
    penalty = data["penalty_information"]
    for label, source in (
        ("仅受警告的不予公示", penalty["not_published"]["warning"]),
        ("只公示普通程序作出的决定", penalty["not_published"]["simple_procedure"]),
        ("限制期超过三年的按实际限制期限公示", penalty["display_restricted"]),
        ("送达时书面告知将公示", penalty["publication_notice"]),
        ("提前停止公示的四项条件", penalty["early_stop_conditions"]),
        ("较为严重的行政处罚不得提前停止公示", penalty["no_early_stop"]),
    ):
        lines.append(f"| 行政处罚信息 | {label} | — | {cite(source)} |")
    for key, setting in data["local_settings"].items():
        lines.append(
            f"| 双随机抽查 | {key} | {json.dumps(setting['value'], ensure_ascii=False)} | {cite(setting['source'])} |"
        )
    return "\n".join(lines) + "\n"
