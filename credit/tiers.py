"""The credit risk tier (信用风险分类) of a firm, from its active list entries and inspection record."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, col, func, select

from credit.models import ListEntry, ListType
from credit.reference import reference
from credit.risk.grading import floor
from credit.risk.models import RiskScore
from credit.rules import ACTIVE_STATES, DRAW_MATTER, PROBLEM_CATEGORIES, ActiveEntry, applicable_measures, risk_tier
from inspections.complaints.models import Complaint
from inspections.complaints.rules import SUBSTANTIATED
from inspections.models import DrawTarget, InspectionResult
from supervise import audit, clock
from supervise.models import Enterprise


def recompute_tier(session: Session, *, enterprise_id: int, today: date | None = None) -> str:
    """Recompute a firm's credit risk tier (docs/credit.md): its score's tier with the list floors once the risk
    engine has scored it (docs/risk.md), else the rule tier from its lists and inspection record."""
    active = session.exec(
        select(ListType.kind, ListEntry.list_type, ListEntry.ground, ListEntry.penalty_field)
        .join(ListEntry, col(ListEntry.list_type) == col(ListType.code))
        .where(ListEntry.enterprise_id == enterprise_id, col(ListEntry.state).in_(ACTIVE_STATES))
    ).all()
    entries = [ActiveEntry(code, ground, field) for _kind, code, ground, field in active]
    effects = draw_effects(entries, reference(session).catalogue)
    kinds = [kind for kind, *_rest in active]
    scored = session.get(RiskScore, enterprise_id)
    payload: dict[str, str] = {}
    if scored is not None:
        # A scored firm keeps its score's tier until the next scoring run; its list entries' floors act at once.
        tier, _why = floor(scored.score_tier, effects=effects, kinds=kinds)
        payload["model"] = scored.model_sha256[:16]
    else:
        tier = _rule_tier(session, enterprise_id, today or clock.today(), effects=effects, kinds=kinds)
    ent = session.get(Enterprise, enterprise_id)
    if ent is not None and ent.risk_tier != tier:
        audit.record(
            session,
            actor="system",
            action="credit.tier_changed",
            object_type="enterprise",
            object_id=ent.uscc,
            payload={"from": ent.risk_tier, "to": tier, **payload},
        )
        ent.risk_tier = tier
        session.add(ent)
    return tier


def draw_effects(entries: list[ActiveEntry], catalogue: Any) -> list[str]:
    """The measures of these active entries that act on the draw: 重点监管 (严重违法失信名单), 降低抽查比例 (红名单)."""
    return [m.effect for m in applicable_measures(entries, DRAW_MATTER, catalogue)]


def _rule_tier(session: Session, enterprise_id: int, today: date, *, effects: list[str], kinds: list[str]) -> str:
    """The hand-written rule tier (credit/rules.py risk_tier) from the last two years' results and complaints."""
    since = today - timedelta(days=730)
    categories = session.exec(
        select(InspectionResult.category)
        .join(DrawTarget, col(DrawTarget.id) == col(InspectionResult.target_id))
        .where(DrawTarget.enterprise_id == enterprise_id, col(InspectionResult.inspected_on) >= since)
    ).all()
    substantiated = session.exec(
        select(func.count())
        .select_from(Complaint)
        .where(
            Complaint.enterprise_id == enterprise_id,
            col(Complaint.finding).in_(SUBSTANTIATED),
            col(Complaint.verified_on) >= since,
        )
    ).one()
    return risk_tier(
        active_kinds=kinds,
        effects=effects,
        problems_last_two_years=sum(1 for c in categories if c in PROBLEM_CATEGORIES),
        inspected_clean_last_two_years=sum(1 for c in categories if c == "未发现问题"),
        substantiated_complaints_last_two_years=int(substantiated),
    )
