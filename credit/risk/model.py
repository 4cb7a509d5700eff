"""The fitted model (pure): encoding of the features, the candidate estimators, calibration, the stored
artefact (content-addressed bytes) and each score's explanation."""

from __future__ import annotations

import hashlib
import io
import math
import pickle
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl

from credit.risk.features import FeatureFrame

UNKNOWN = "未知"
ARTEFACT_VERSION = 1


@dataclass(frozen=True)
class Encoder:
    """The feature matrix's columns as fitted: numeric features, then one column per category level."""

    numeric: tuple[str, ...]
    levels: tuple[tuple[str, tuple[str, ...]], ...]  # (categorical feature, its levels seen in training)

    @classmethod
    def learn(cls, features: FeatureFrame) -> Encoder:
        """Fix the columns from the training rows (levels sorted, so the same data give the same columns)."""
        frame = features.frame
        levels = tuple(
            (c, tuple(sorted(frame[c].cast(pl.Utf8).fill_null(UNKNOWN).unique().to_list())))
            for c in features.categorical
        )
        return cls(numeric=features.numeric, levels=levels)

    def groups(self) -> list[tuple[str, list[int]]]:
        """Each feature with its matrix columns (a categorical feature spans one column per level)."""
        out = [(name, [i]) for i, name in enumerate(self.numeric)]
        start = len(self.numeric)
        for name, values in self.levels:
            out.append((name, list(range(start, start + len(values)))))
            start += len(values)
        return out

    def matrix(self, frame: pl.DataFrame) -> np.ndarray:
        """The rows as the estimator reads them; a feature absent from `frame` is unknown (NaN or no level)."""
        cols = [
            frame[c].cast(pl.Float64).to_numpy() if c in frame.columns else np.full(frame.height, np.nan)
            for c in self.numeric
        ]
        for name, values in self.levels:
            seen = frame[name].cast(pl.Utf8).fill_null(UNKNOWN).to_numpy() if name in frame.columns else None
            for value in values:
                cols.append((seen == value).astype(float) if seen is not None else np.zeros(frame.height, dtype=float))
        return np.column_stack(cols) if cols else np.zeros((frame.height, 0))


def candidates(seed: int) -> dict[str, Any]:
    """The estimators compared on the validation window (scikit-learn, fixed seeds: same data, same model)."""
    # scikit-learn takes seconds to import: loaded when a model is fitted, not when the application starts
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return {
        "logistic": make_pipeline(
            SimpleImputer(strategy="median", add_indicator=True, keep_empty_features=True),
            StandardScaler(),
            LogisticRegression(C=0.1, max_iter=5000),
        ),
        "gradient_boosting": HistGradientBoostingClassifier(
            max_iter=200,
            learning_rate=0.05,
            max_leaf_nodes=15,
            min_samples_leaf=50,
            l2_regularization=1.0,
            early_stopping=False,
            random_state=seed,
        ),
    }


CANDIDATE_LABELS = {"logistic": "逻辑回归（L2 正则）", "gradient_boosting": "梯度提升树（直方图）"}
KINDS = tuple(CANDIDATE_LABELS)  # the candidates, in the order they are compared


def _logit(p: np.ndarray) -> np.ndarray:
    q = np.clip(p, 1e-6, 1 - 1e-6)
    return np.asarray(np.log(q / (1 - q)))


@dataclass
class RiskModel:
    """A fitted estimator with its encoder and Platt calibration (probability = sigmoid(a * logit + b))."""

    kind: str
    encoder: Encoder
    estimator: Any
    calibration: tuple[float, float] = (1.0, 0.0)
    reference: list[float] = field(default_factory=list)  # training medians: the "average firm" of explain
    meta: dict[str, Any] = field(default_factory=dict)

    def raw(self, x: np.ndarray) -> np.ndarray:
        return np.asarray(self.estimator.predict_proba(x)[:, 1])

    def calibrated(self, raw: np.ndarray) -> np.ndarray:
        a, b = self.calibration
        return np.asarray(1.0 / (1.0 + np.exp(-(a * _logit(raw) + b))))

    def score(self, frame: pl.DataFrame) -> np.ndarray:
        """Calibrated probability of a finding for each row of a feature frame."""
        return self.calibrated(self.raw(self.encoder.matrix(frame)))

    def baseline(self) -> float:
        """The calibrated score of the reference firm (training medians, no category): what explain compares with."""
        return float(self.calibrated(self.raw(np.asarray([self.reference], dtype=float)))[0])

    def explain(self, frame: pl.DataFrame) -> list[list[tuple[str, float]]]:
        """Per row, each feature's push on the log-odds: the score minus the score with that feature set to the
        training median (or to no level), largest first. Exact and additive for the logistic model."""
        x = self.encoder.matrix(frame)
        base = _logit(self.calibrated(self.raw(x)))
        ref = np.asarray(self.reference, dtype=float)
        out: list[list[tuple[str, float]]] = [[] for _ in range(x.shape[0])]
        for name, cols in self.encoder.groups():
            moved = x.copy()
            moved[:, cols] = ref[cols]
            delta = base - _logit(self.calibrated(self.raw(moved)))
            for i, d in enumerate(delta):
                out[i].append((name, float(d)))
        return [sorted(row, key=lambda t: -abs(t[1])) for row in out]


def fit_platt(raw: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    """Platt scaling of out-of-time scores onto outcomes: (slope, intercept) on the log-odds."""
    if len(set(labels.tolist())) < 2:
        return (1.0, 0.0)
    from sklearn.linear_model import LogisticRegression

    lr = LogisticRegression(C=1e6, max_iter=1000).fit(_logit(raw).reshape(-1, 1), labels)
    return (float(lr.coef_[0][0]), float(lr.intercept_[0]))


def train(kind: str, features: FeatureFrame, labels: np.ndarray, *, seed: int) -> RiskModel:
    """Fit one candidate on the rows of `features` (labels 0/1)."""
    encoder = Encoder.learn(features)
    x = encoder.matrix(features.frame)
    estimator = candidates(seed)[kind].fit(x, labels)
    reference = [float(np.nanmedian(x[:, j])) if not np.all(np.isnan(x[:, j])) else math.nan for j in range(x.shape[1])]
    # a categorical level's reference is "none of the levels", so explain compares with no attribute at all
    for _name, cols in encoder.groups()[len(encoder.numeric) :]:
        for j in cols:
            reference[j] = 0.0
    return RiskModel(kind=kind, encoder=encoder, estimator=estimator, reference=reference)


def to_bytes(model: RiskModel) -> bytes:
    """The artefact as stored: a pickle of plain fields (the same model gives the same bytes)."""
    buffer = io.BytesIO()
    state = {
        "version": ARTEFACT_VERSION,
        "kind": model.kind,
        "encoder": model.encoder,
        "estimator": model.estimator,
        "calibration": model.calibration,
        "reference": model.reference,
        "meta": model.meta,
    }
    pickle.dump(state, buffer, protocol=5)
    return buffer.getvalue()


def from_bytes(data: bytes, *, sha256: str) -> RiskModel:
    """Load an artefact after checking its SHA-256 (only artefacts this system wrote are ever loaded)."""
    if hashlib.sha256(data).hexdigest() != sha256:
        raise ValueError("模型文件的 SHA-256 与登记值不符，拒绝加载")
    state = pickle.loads(data)  # noqa: S301 - the digest above ties the bytes to the audited record
    return RiskModel(
        kind=state["kind"],
        encoder=state["encoder"],
        estimator=state["estimator"],
        calibration=tuple(state["calibration"]),
        reference=state["reference"],
        meta=state["meta"],
    )
