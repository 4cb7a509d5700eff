"""What officers read of the risk engine: a firm's explanation, the tier distribution and the latest run,
the inspector effect for the 督查室. Never shown to the public."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from typing import Any

import polars as pl
from sqlmodel import Session, col, func, select

from credit.risk import grading
from credit.risk.engine import due_features
from credit.risk.export import export
from credit.risk.inspectors import WORDING
from credit.risk.labels import feature_label
from credit.risk.models import RiskModelRecord, RiskRun, RiskScore
from credit.risk.services import latest_model, load
from supervise import clock
from supervise.errors import field_error
from supervise.models import Enterprise, Inspector
from supervise.scope import covers_region, out_of_scope, reach_of

TOP_FACTORS = 6


def explain(session: Session, *, uscc: str, user_id: int | None = None) -> dict[str, Any]:
    """A firm's score, tiers and the factors behind the score, in Chinese, as of today (a user: within reach)."""
    firm = session.exec(select(Enterprise).where(Enterprise.uscc == uscc)).first()
    if firm is None:
        raise field_error("uscc", f"统一社会信用代码 {uscc} 不在名录库中", 404)
    if user_id is not None and not covers_region(session, reach_of(session, user_id=user_id), firm.region_code):
        raise out_of_scope("企业")
    record = latest_model(session)
    if record is None:
        raise field_error("risk_model", "尚未训练风险模型：请先运行 supervise risk fit", 409)
    model = load(record)
    today = clock.today()
    history = export(session, as_of=today, area=firm.township_code or firm.region_code)  # its township suffices
    history = replace(history, due=history.due.filter(pl.col("firm_id") == uscc))
    if history.due.height == 0:
        raise field_error("uscc", f"{firm.name} 不在营业（{firm.status}），不评分", 409)
    frame = due_features(history, as_of=today, inspector=False).frame
    score = float(model.score(frame)[0])
    baseline = model.baseline()
    stored = session.get(RiskScore, firm.id)
    factors = []
    for name, push in model.explain(frame)[0][:TOP_FACTORS]:
        value = frame[name][0] if name in frame.columns else None
        factors.append({"feature": name, "label": feature_label(name), "value": _value(value),
                        "effect": round(push, 3), "direction": "提高" if push > 0 else "降低"})  # fmt: skip
    return {
        "uscc": uscc,
        "name": firm.name,
        "as_of": today.isoformat(),
        "score": round(score, 4),
        "baseline": round(baseline, 4),
        "tier": firm.risk_tier,
        "tier_label": grading.TIER_LABELS.get(firm.risk_tier, firm.risk_tier),
        "score_tier": stored.score_tier if stored else None,
        "floor": stored.floor if stored else None,
        "model": {"sha256": record.sha256, "kind": record.kind, "as_of": record.as_of.isoformat()},
        "factors": factors,
        "note": (f"评分为本系统记录推算的发现问题概率（{score:.1%}），参照企业为 {baseline:.1%}；"
                 "“影响”为该因素对评分对数几率的推动，正为提高、负为降低。评分只用于内部配置检查力量，不对外公开。"),
    }  # fmt: skip


def _value(value: Any) -> Any:
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return int(value) if value.is_integer() else round(value, 3)
    return value


def overview(session: Session) -> dict[str, Any]:
    """The page's figures: the latest model and run, tiers by count, and the changes since the previous run."""
    record = latest_model(session)
    runs = session.exec(select(RiskRun).order_by(col(RiskRun.id).desc()).limit(2)).all()
    counts = dict(session.exec(select(Enterprise.risk_tier, func.count()).group_by(col(Enterprise.risk_tier))).all())
    return {
        "model": None if record is None else {
            "sha256": record.sha256, "kind": record.kind, "as_of": record.as_of, "rows": record.rows,
            "created_at": record.created_at, "validation": json.loads(record.validation),
            "features": [feature_label(f) for f in json.loads(record.features)],
        },
        "runs": [{"id": r.id, "as_of": r.as_of, "state": r.state, "scored": r.scored, "changed": r.changed,
                  "job_id": r.job_id, "finished_at": r.finished_at, **json.loads(r.summary)} for r in runs],
        "tiers": {t: int(counts.get(t, 0)) for t in grading.ORDER},
        "models": session.exec(select(func.count()).select_from(RiskModelRecord)).one(),
    }  # fmt: skip


def inspector_effects(session: Session, *, region: str | None = None) -> dict[str, Any]:
    """The inspector effect stored with the latest scoring run (docs/risk.md), with names; with a region, only
    its inspectors (the shrinkage learnt from all of them)."""
    run = session.exec(select(RiskRun).where(RiskRun.state == "finished").order_by(col(RiskRun.id).desc())).first()
    stored = json.loads(run.summary).get("inspectors") if run else None
    if not stored:
        return {"rows": [], "wording": WORDING, "since": None, "until": None}
    names = {b: (n, r) for b, n, r in session.exec(select(Inspector.badge_no, Inspector.name, Inspector.region_code))}
    prefix = _prefix(region) if region else ""
    rows = []
    for row in stored["rows"]:
        name, place = names.get(row["inspector"], (row["inspector"], ""))
        if place.startswith(prefix):
            rows.append(row | {"badge": row["inspector"], "name": name})
    return {"rows": rows, "wording": WORDING, "since": stored["since"], "until": stored["until"]}


def _prefix(region: str) -> str:
    """A region code's own digits: 330000 -> 33, 330100 -> 3301, 330102 -> 330102 (its subregions share them)."""
    code = region
    while code.endswith("00") and len(code) > 2:
        code = code[:-2]
    return code


def note_data(session: Session) -> dict[str, Any]:
    """What the officers' PDF prints: the model with its back-test, the tiers, the inspector effect."""
    from supervise.config import tuning

    data = overview(session)
    if data["model"] is None:
        raise field_error("risk_model", "尚未训练风险模型：请先运行 supervise risk fit", 409)
    data["model"]["as_of"] = data["model"]["as_of"].isoformat()
    return data | {
        "issuer": tuning().report_issuer,
        "generated_at": clock.beijing_now().strftime("%Y年%-m月%-d日 %H:%M"),
        "inspectors": inspector_effects(session),
        "tier_rule": f"分类比例：{grading.SHARES_SOURCE['note']}（本地设定）；规则下限："
        + "；".join(str(r["label"]) for r in grading.FLOORS)
        + f"。四类分类依据{grading.CLASSIFICATION['instrument']}（{grading.CLASSIFICATION['number']}）。",
    }


def synthetic(session: Session) -> bool:
    """Whether the history the model learns from holds the demo's synthetic inspections."""
    from credit.risk.models import PastInspection

    return (
        session.exec(select(PastInspection.id).where(col(PastInspection.source).startswith("演示")).limit(1)).first()
        is not None
    )


FOCUS_HEADER = ("统一社会信用代码", "企业名称", "所在地区", "信用风险分类", "评分", "规则下限", "评分日期")


def focus_list(session: Session, *, user_id: int | None) -> list[tuple[Any, ...]]:
    """The 重点监管 proposal: D-tier firms by score, within the user's reach (a list to decide on, not a draw)."""
    from supervise.models import Region

    reach = reach_of(session, user_id=user_id) if user_id is not None else None
    names = dict(session.exec(select(Region.code, Region.name)).all())
    rows = session.exec(
        select(Enterprise, RiskScore).join(RiskScore, col(RiskScore.enterprise_id) == col(Enterprise.id))
        .where(RiskScore.tier == "D").order_by(col(RiskScore.score).desc())
    ).all()  # fmt: skip
    return [
        (f.uscc, f.name, names.get(f.region_code, f.region_code), grading.TIER_LABELS["D"], round(s.score, 4),
         s.floor or "", s.scored_on.isoformat())
        for f, s in rows
        if reach is None or covers_region(session, reach, f.region_code)
    ]  # fmt: skip
