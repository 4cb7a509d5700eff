"""Fit, validate and score (pure): one pipeline for the benchmark's folder and the system's own export.

Validation is a time split: the last VALIDATION_DAYS of the history are held out, each held-out inspection
is scored from the history before the window (as a due list is), and the ranking is replayed on the real
calendar. The candidate that finds problems earliest there is refitted on the whole history."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
import polars as pl

from credit.risk import features as feat
from credit.risk.history import History
from credit.risk.metrics import Resequenced, resequence
from credit.risk.model import RiskModel, candidates, fit_platt, train

VALIDATION_DAYS = 61  # the benchmark's due period is two months: hold out as much (本地设定)
SEED = 20141031


@dataclass(frozen=True)
class Validation:
    """The time split and what each candidate achieved on it."""

    train_until: str  # training rows dated before this day
    window: tuple[str, str]  # held-out inspections, scored as of the window's first day
    train_rows: int
    figures: dict[str, dict[str, Any]]  # candidate -> Resequenced as a dict
    chosen: str
    calibration: dict[str, float]  # mean calibrated score vs observed rate in the window


@dataclass(frozen=True)
class Scored:
    """The refitted model and its scores of the due rows (row_id, firm_id, score)."""

    model: RiskModel
    validation: Validation
    scores: pl.DataFrame
    as_of: date


def _labels(history: History, frame: pl.DataFrame) -> np.ndarray:
    outcome = history.inspections.select(pl.col("inspection_id").alias("row_id"), "critical_found")
    return frame.select("row_id").join(outcome, on="row_id", how="left")["critical_found"].to_numpy().astype(int)


def _window(history: History, inspector: bool) -> tuple[date, date]:
    rows = history.inspections
    if inspector and feat.INSPECTOR in rows.columns:
        rows = rows.filter(pl.col(feat.INSPECTOR).is_not_null() & (pl.col(feat.INSPECTOR) != ""))
    last = rows["date"].max()
    if not isinstance(last, date):
        raise ValueError("历史数据中没有检查结果，无法训练")
    return last - timedelta(days=VALIDATION_DAYS - 1), last


def validate(history: History, *, inspector: bool, seed: int = SEED) -> tuple[Validation, RiskModel]:
    """Hold out the last window, compare the candidates there; return the figures and the chosen validation fit."""
    start, end = _window(history, inspector)
    earlier = history.before(start)
    past = feat.past_targets(earlier)
    train_ff = feat.build(earlier, past, inspector=inspector)
    y_train = _labels(history, train_ff.frame)
    held = feat.past_targets(history).filter((pl.col("as_of") >= start) & (pl.col("as_of") <= end))
    if inspector and feat.INSPECTOR in held.columns:
        held = held.filter(pl.col(feat.INSPECTOR).is_not_null())
    real_days = held.sort("row_id")["as_of"].to_list()
    # every held-out inspection is scored as of the window's first day, from the history before it
    as_due = held.with_columns(pl.lit(start).alias("as_of"))
    held_ff = feat.build(earlier, as_due, inspector=inspector)
    y_held = _labels(history, held_ff.frame)
    ids = held_ff.frame["row_id"].to_list()
    figures: dict[str, dict[str, Any]] = {}
    fits: dict[str, tuple[RiskModel, np.ndarray, Resequenced]] = {}
    for kind in candidates(seed):
        model = train(kind, train_ff, y_train, seed=seed)
        raw = model.raw(model.encoder.matrix(held_ff.frame))
        result = resequence(raw.tolist(), ids, real_days, y_held.tolist())
        figures[kind] = asdict(result)
        fits[kind] = (model, raw, result)
    chosen = max(fits, key=lambda k: (fits[k][2].days_earlier, fits[k][2].auc or 0.0, k))
    model, raw, _ = fits[chosen]
    model.calibration = fit_platt(raw, y_held)
    calibrated = model.calibrated(raw)
    validation = Validation(
        train_until=start.isoformat(),
        window=(start.isoformat(), end.isoformat()),
        train_rows=len(y_train),
        figures=figures,
        chosen=chosen,
        calibration={
            "mean_raw": float(raw.mean()),
            "mean_calibrated": float(calibrated.mean()),
            "observed": float(y_held.mean()) if len(y_held) else 0.0,
        },
    )
    return validation, model


def fit_and_score(history: History, *, inspector: bool, as_of: date | None = None, seed: int = SEED) -> Scored:
    """Validate, refit the chosen candidate on all history before `as_of`, and score every due row as of it."""
    if as_of is None:
        due_dates = history.due["date"] if "date" in history.due.columns else None
        first = due_dates.min() if due_dates is not None else None
        last = history.inspections["date"].max()
        as_of = first if isinstance(first, date) else (last + timedelta(days=1) if isinstance(last, date) else None)
    if as_of is None:
        raise ValueError("无法确定评分基准日")
    known = history.before(as_of)
    validation, checked = validate(known, inspector=inspector, seed=seed)
    past = feat.past_targets(known)
    all_ff = feat.build(known, past, inspector=inspector)
    model = train(validation.chosen, all_ff, _labels(known, all_ff.frame), seed=seed)
    model.calibration = checked.calibration
    model.meta = {
        "as_of": as_of.isoformat(),
        "inspector": inspector,
        "seed": seed,
        "validation": asdict(validation),
        "features": list(all_ff.numeric) + list(all_ff.categorical),
    }
    due = history.due.select(
        pl.col("inspection_id").alias("row_id"),
        "firm_id",
        *([feat.INSPECTOR] if inspector and feat.INSPECTOR in history.due.columns else []),
    ).with_columns(pl.lit(as_of).alias("as_of"))
    due_ff = feat.build(known, due, inspector=inspector)
    scores = due_ff.frame.select("row_id", "firm_id").with_columns(pl.Series("score", model.score(due_ff.frame)))
    return Scored(model=model, validation=validation, scores=scores, as_of=as_of)
