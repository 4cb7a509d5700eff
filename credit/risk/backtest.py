"""The back-test (pure): on the held-out window, a ranking against the rule tiers as they stood and against
random orders, by AUC, days earlier, and lift at the draw ratio; with the cumulative-gains curves."""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

import numpy as np

from credit.risk.baseline import ORDINAL, rule_tiers
from credit.risk.features import FeatureFrame
from credit.risk.history import History
from credit.risk.metrics import gains, lift_at, resequence

DRAW_RATIO = 0.10  # the share of firms a draw visits, for the lift (本地设定: the C tier's demo ratio)
RANDOM_ORDERS = 200


@dataclass(frozen=True)
class Holdout:
    """The time split: the training rows (features as of their own dates) and the held-out window's rows
    (features as of the window's first day, labels and real dates kept apart)."""

    start: date
    end: date
    train: FeatureFrame
    y_train: np.ndarray
    held: FeatureFrame
    y_held: np.ndarray
    days: list[date]
    ids: list[str]


def _figures(scores: list[float], ids: list[str], days: list[Any], labels: list[int]) -> dict[str, Any]:
    result = asdict(resequence(scores, ids, days, labels))
    result["lift"] = lift_at(scores, ids, labels, DRAW_RATIO)
    return result


def compare(earlier: History, split: Holdout, scores: list[float], *, seed: int) -> dict[str, Any]:
    """The held-out window's ranking by `scores` against the rule tiers as they stood before it (from `earlier`,
    the history before the window) and against random orders, with both cumulative-gains curves."""
    labels = split.y_held.tolist()
    tiers = rule_tiers(earlier, split.held.frame.select("row_id", "firm_id", "as_of"))
    ordinal = [float(ORDINAL[t]) for t in tiers.sort("row_id")["tier"].to_list()]
    rng = random.Random(seed)
    chance = [_figures([rng.random() for _ in labels], split.ids, split.days, labels) for _ in range(RANDOM_ORDERS)]
    return {
        "window": [split.start.isoformat(), split.end.isoformat()],
        "train_rows": len(split.y_train),
        "n": len(labels),
        "positives": int(sum(labels)),
        "draw_ratio": DRAW_RATIO,
        "model": _figures(scores, split.ids, split.days, labels),
        "rule_tiers": _figures(ordinal, split.ids, split.days, labels),
        "rule_tier_counts": dict(tiers.group_by("tier").len().sort("tier").iter_rows()),
        "random": {
            key: float(np.mean([c[key] for c in chance if c[key] is not None]))
            for key in ("auc", "days_earlier", "first_half_model", "lift")
        },  # fmt: skip
        "gains": {"model": gains(scores, split.ids, labels), "rule_tiers": gains(ordinal, split.ids, labels)},
    }
