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
from credit.risk.backtest import Holdout, compare
from credit.risk.history import History
from credit.risk.metrics import Resequenced, resequence
from credit.risk.model import KINDS, RiskModel, fit_platt, train

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
    backtest: dict[str, Any]  # the chosen candidate against the rule tiers and chance on the same window


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


def holdout(history: History, *, inspector: bool) -> Holdout:
    """Split off the last VALIDATION_DAYS; every held-out inspection is scored from the history before them."""
    start, end = _window(history, inspector)
    earlier = history.before(start)
    train_ff = feat.build(earlier, feat.past_targets(earlier), inspector=inspector)
    held = feat.past_targets(history).filter((pl.col("as_of") >= start) & (pl.col("as_of") <= end))
    if inspector and feat.INSPECTOR in held.columns:
        held = held.filter(pl.col(feat.INSPECTOR).is_not_null())
    days = held.sort("row_id")["as_of"].to_list()
    held_ff = feat.build(earlier, held.with_columns(pl.lit(start).alias("as_of")), inspector=inspector)
    return Holdout(
        start=start,
        end=end,
        train=train_ff,
        y_train=_labels(history, train_ff.frame),
        held=held_ff,
        y_held=_labels(history, held_ff.frame),
        days=days,
        ids=held_ff.frame["row_id"].to_list(),
    )


def validate(history: History, *, inspector: bool, seed: int = SEED) -> tuple[Validation, RiskModel]:
    """Hold out the last window, compare the candidates there; return the figures and the chosen validation fit."""
    split = holdout(history, inspector=inspector)
    figures: dict[str, dict[str, Any]] = {}
    fits: dict[str, tuple[RiskModel, np.ndarray, Resequenced]] = {}
    for kind in KINDS:
        model = train(kind, split.train, split.y_train, seed=seed)
        raw = model.raw(model.encoder.matrix(split.held.frame))
        result = resequence(raw.tolist(), split.ids, split.days, split.y_held.tolist())
        figures[kind] = asdict(result)
        fits[kind] = (model, raw, result)
    chosen = max(fits, key=lambda k: (fits[k][2].days_earlier, fits[k][2].auc or 0.0, k))
    model, raw, _ = fits[chosen]
    model.calibration = fit_platt(raw, split.y_held)
    calibrated = model.calibrated(raw)
    validation = Validation(
        train_until=split.start.isoformat(),
        window=(split.start.isoformat(), split.end.isoformat()),
        train_rows=len(split.y_train),
        figures=figures,
        chosen=chosen,
        calibration={
            "mean_raw": float(raw.mean()),
            "mean_calibrated": float(calibrated.mean()),
            "observed": float(split.y_held.mean()) if len(split.y_held) else 0.0,
        },  # fmt: skip
        backtest=compare(history.before(split.start), split, raw.tolist(), seed=seed),
    )
    return validation, model


def default_as_of(history: History) -> date:
    """The due list's first day, or the day after the last inspection: features use only what came before."""
    first = history.due["date"].min() if "date" in history.due.columns else None
    if isinstance(first, date):
        return first
    last = history.inspections["date"].max()
    if isinstance(last, date):
        return last + timedelta(days=1)
    raise ValueError("无法确定评分基准日")


def fit_model(history: History, *, inspector: bool, as_of: date, seed: int = SEED) -> RiskModel:
    """Validate, then refit the chosen candidate on all history before `as_of` with the validation's calibration."""
    known = history.before(as_of)
    validation, checked = validate(known, inspector=inspector, seed=seed)
    all_ff = feat.build(known, feat.past_targets(known), inspector=inspector)
    model = train(validation.chosen, all_ff, _labels(known, all_ff.frame), seed=seed)
    model.calibration = checked.calibration
    first = known.inspections["date"].min()
    model.meta = {"as_of": as_of.isoformat(), "inspector": inspector, "seed": seed, "validation": asdict(validation),
                  "features": list(all_ff.numeric) + list(all_ff.categorical), "rows": all_ff.frame.height,
                  "history_from": first.isoformat() if isinstance(first, date) else None}  # fmt: skip
    return model


def due_features(history: History, *, as_of: date, inspector: bool) -> feat.FeatureFrame:
    """Features of every due row as of `as_of` (the due rows' own dates are never used)."""
    due = history.due.select(
        pl.col("inspection_id").alias("row_id"),
        "firm_id",
        *([feat.INSPECTOR] if inspector and feat.INSPECTOR in history.due.columns else []),
    ).with_columns(pl.lit(as_of).alias("as_of"))
    return feat.build(history.before(as_of), due, inspector=inspector)


def fit_and_score(history: History, *, inspector: bool, as_of: date | None = None, seed: int = SEED) -> Scored:
    """Validate, refit on all history before `as_of`, and score every due row as of it."""
    day = as_of or default_as_of(history)
    model = fit_model(history, inspector=inspector, as_of=day, seed=seed)
    due_ff = due_features(history, as_of=day, inspector=inspector)
    scores = due_ff.frame.select("row_id", "firm_id").with_columns(pl.Series("score", model.score(due_ff.frame)))
    validation = Validation(**model.meta["validation"])
    return Scored(model=model, validation=validation, scores=scores, as_of=day)


def backtest(history: History, *, kind: str, seed: int = SEED) -> dict[str, Any]:
    """Refit `kind` before the held-out window and compare its ranking there with the rule tiers and chance."""
    split = holdout(history, inspector=False)
    model = train(kind, split.train, split.y_train, seed=seed)
    return compare(history.before(split.start), split, model.raw(model.encoder.matrix(split.held.frame)).tolist(),
                   seed=seed)  # fmt: skip
