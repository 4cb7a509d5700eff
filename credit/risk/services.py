"""The risk engine on the system's own records: fit a model (stored content-addressed and audited), score
every firm into tiers with their floors (a run with progress), back-test, explain a firm."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import delete, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from credit.models import ListEntry, ListType
from credit.reference import reference
from credit.risk import grading, inspectors
from credit.risk.engine import backtest, due_features, fit_model
from credit.risk.export import export
from credit.risk.model import RiskModel, from_bytes, to_bytes
from credit.risk.models import RiskModelRecord, RiskRun, RiskScore
from credit.rules import ACTIVE_STATES, ActiveEntry
from credit.tiers import draw_effects
from supervise import audit, clock
from supervise.bulk import bulk_insert
from supervise.config import current
from supervise.errors import field_error
from supervise.models import Enterprise
from supervise.queue import enqueue_requested

Progress = Callable[[int, int | None, str], None]
EFFECT_DAYS = 365  # the inspector effect looks at the last year's visits (本地设定)


def artefact_path(sha256: str) -> Path:
    """Where a model's artefact lives: the instance's risk folder, named by its SHA-256."""
    folder: Path = current().files_path / "risk"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{sha256}.model"


def latest_model(session: Session) -> RiskModelRecord | None:
    return session.exec(select(RiskModelRecord).order_by(col(RiskModelRecord.id).desc())).first()


def load(record: RiskModelRecord) -> RiskModel:
    """The record's model, from its artefact (refused if the file's digest differs from the record's)."""
    path = artefact_path(record.sha256)
    if not path.is_file():
        raise field_error("risk_model", f"模型文件 {record.sha256[:12]} 不存在，请重新训练（supervise risk fit）", 409)
    return from_bytes(path.read_bytes(), sha256=record.sha256)


def fit(session: Session, *, as_of: date | None = None, actor: str) -> RiskModelRecord:
    """Fit on the records strictly before `as_of` (today), store the artefact and audit it; the same data give
    the same artefact, which is then recorded once."""
    day = as_of or clock.today()
    history = export(session, as_of=day)
    if history.inspections.height == 0:
        raise field_error("risk_model", "没有检查结果可供训练：请先导入历史检查记录或完成检查")
    try:
        model = fit_model(history, inspector=False, as_of=day)
    except ValueError as exc:
        raise field_error("risk_model", str(exc)) from exc
    data = to_bytes(model)
    sha = hashlib.sha256(data).hexdigest()
    validation = model.meta["validation"]  # with its back-test against the rule tiers, for the page
    path = artefact_path(sha)
    if not path.is_file():
        path.write_bytes(data)  # content-addressed: rewriting the same name would write the same bytes
    row = session.exec(select(RiskModelRecord).where(RiskModelRecord.sha256 == sha)).first()
    if row is not None:
        return row
    row = RiskModelRecord(
        sha256=sha, kind=model.kind, as_of=day, rows=model.meta["rows"],
        history_from=date.fromisoformat(model.meta["history_from"]) if model.meta["history_from"] else None,
        features=json.dumps(model.meta["features"], ensure_ascii=False),
        validation=json.dumps(validation, ensure_ascii=False), created_by=actor,
    )  # fmt: skip
    session.add(row)
    figures = validation["figures"][model.kind]
    audit.record(session, actor=actor, action="risk.model_fitted", object_type="risk_model", object_id=sha[:16],
                 payload={"sha256": sha, "as_of": day.isoformat(), "kind": model.kind, "rows": row.rows,
                          "window": validation["window"], "auc": figures["auc"],
                          "days_earlier": figures["days_earlier"]})  # fmt: skip
    return row


def _floor_inputs(session: Session) -> dict[int, tuple[list[str], list[str]]]:
    """Per firm with active list entries: the measures acting on draws (effects) and the list kinds."""
    rows = session.execute(
        sa_select(
            col(ListEntry.enterprise_id),
            col(ListType.kind),
            col(ListEntry.list_type),
            col(ListEntry.ground),
            col(ListEntry.penalty_field),
        )
        .join(ListType, col(ListType.code) == col(ListEntry.list_type))
        .where(col(ListEntry.state).in_(ACTIVE_STATES))
    ).all()
    catalogue = reference(session).catalogue
    grouped: dict[int, list[tuple[str, ActiveEntry]]] = {}
    for firm, kind, code, ground, field in rows:
        grouped.setdefault(firm, []).append((kind, ActiveEntry(code, ground, field)))
    return {
        firm: (draw_effects([e for _k, e in got], catalogue), [k for k, _e in got]) for firm, got in grouped.items()
    }


def score_all(session: Session, *, actor: str, job_id: str | None = None, progress: Progress | None = None) -> RiskRun:
    """Score every firm in business with the latest model as of today, tier them (shares, then floors), store
    the scores and the draws' tiers; each tier change is audited with the model's digest."""
    step = progress or (lambda d, t, m: None)
    record = latest_model(session)
    if record is None:
        raise field_error("risk_model", "尚未训练风险模型：请先运行 supervise risk fit", 409)
    model = load(record)
    today = clock.today()
    step(0, 5, "导出历史记录")
    history = export(session, as_of=today)
    step(1, 5, "计算特征并评分")
    frame = due_features(history, as_of=today, inspector=False).frame
    scores = model.score(frame)
    cut = grading.cuts(scores.tolist())
    ids: dict[str, int] = {}
    old: dict[int, str] = {}
    for uscc, firm_id, tier in session.exec(select(Enterprise.uscc, Enterprise.id, Enterprise.risk_tier)).all():
        if firm_id is not None:
            ids[uscc], old[firm_id] = firm_id, tier
    floors = _floor_inputs(session)
    run = RiskRun(model_sha256=record.sha256, as_of=today, job_id=job_id, started_by=actor)
    session.add(run)
    session.flush()
    step(2, 5, "划分信用风险分类")
    rows: list[tuple[Any, ...]] = []
    changes: list[tuple[Any, ...]] = []
    run_id = run.id or 0
    for uscc, score in zip(frame["firm_id"].to_list(), scores.tolist(), strict=True):
        firm = ids[uscc]
        by_score = cut.tier(score)
        effects, kinds = floors.get(firm, ([], []))
        tier, why = grading.floor(by_score, effects=effects, kinds=kinds)
        rows.append((firm, round(score, 6), by_score, tier, why, record.sha256, run_id, today))
        if old.get(firm) != tier:
            changes.append((firm, uscc, old.get(firm), tier, round(score, 6)))
    step(3, 5, "保存评分与分类")
    session.execute(delete(RiskScore))
    bulk_insert(session, "risk_score", ("enterprise_id", "score", "score_tier", "tier", "floor", "model_sha256",
                                        "run_id", "scored_on"), rows)  # fmt: skip
    for tier in grading.ORDER:
        moved = [firm for firm, _u, _f, to, _s in changes if to == tier]
        for start in range(0, len(moved), 1000):
            session.execute(update(Enterprise).where(col(Enterprise.id).in_(moved[start : start + 1000]))
                            .values(risk_tier=tier))  # fmt: skip
    for _firm, uscc, was, to, score in changes:
        audit.record(session, actor=actor, action="credit.tier_changed", object_type="enterprise", object_id=uscc,
                     payload={"from": was, "to": to, "model": record.sha256[:16], "score": score})  # fmt: skip
    step(4, 5, "比较检查人员的发现情况")
    since = today - timedelta(days=EFFECT_DAYS)
    people = {"since": since.isoformat(), "until": today.isoformat(),
              "rows": inspectors.as_rows(inspectors.effects(inspectors.visits(history, model, since=since,
                                                                             until=today)))}  # fmt: skip
    counts = pl.DataFrame({"tier": [r[3] for r in rows]}).group_by("tier").len().sort("tier")
    run.scored, run.changed, run.state, run.finished_at = len(rows), len(changes), "finished", clock.now()
    run.summary = json.dumps({
        "cuts": {"D": cut.d, "C": cut.c, "B": cut.b}, "counts": dict(counts.iter_rows()),
        "floored": sum(1 for r in rows if r[4]), "changes": _transitions(changes), "inspectors": people,
    }, ensure_ascii=False)  # fmt: skip
    session.add(run)
    audit.record(session, actor=actor, action="risk.scored", object_type="risk_model", object_id=record.sha256[:16],
                 payload={"run": run.id, "scored": run.scored, "changed": run.changed})  # fmt: skip
    step(5, 5, "完成")
    return run


def _transitions(changes: list[tuple[Any, ...]]) -> dict[str, int]:
    out: dict[str, int] = {}
    for _firm, _uscc, was, to, _score in changes:
        key = f"{was or '—'}→{to}"
        out[key] = out.get(key, 0) + 1
    return dict(sorted(out.items()))


SCORING = "credit.risk.jobs.score_firms"


def request_scoring(session: Session, *, actor: str, owner_id: int | None) -> str:
    """Enqueue a scoring run after commit (one at a time), audited; return the job id."""
    if latest_model(session) is None:
        raise field_error("risk_model", "尚未训练风险模型：请先运行 supervise risk fit", 409)
    return enqueue_requested(session, SCORING, actor, actor=actor, owner_id=owner_id, action="risk.score_requested",
                             object_type="risk_model", object_id="*", description="信用风险评分", timeout=1800,
                             exclusive=("risk:score", "信用风险评分"))  # fmt: skip


def evaluate(session: Session) -> dict[str, Any]:
    """Back-test the latest model's kind on the system's own history (as of today) against the rule tiers."""
    record = latest_model(session)
    history = export(session, as_of=clock.today())
    try:
        result = backtest(history, kind=record.kind if record else "logistic")
    except ValueError as exc:
        raise field_error("risk_model", str(exc)) from exc
    result["model_sha256"] = record.sha256 if record else None
    return result
