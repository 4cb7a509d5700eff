"""The back-test on a history (pure): on the held-out window, the model against the rule tiers as they stood
and against random orders, by AUC, days earlier, and lift at the draw ratio; with the cumulative-gains curves."""

from __future__ import annotations

import random
from dataclasses import asdict
from typing import Any

import numpy as np

from credit.risk.baseline import ORDINAL, rule_tiers
from credit.risk.engine import SEED, holdout
from credit.risk.history import History
from credit.risk.metrics import gains, lift_at, resequence
from credit.risk.model import train

DRAW_RATIO = 0.10  # the share of firms a draw visits, for the lift (本地设定: the C tier's demo ratio)
RANDOM_ORDERS = 200


def _figures(scores: list[float], ids: list[str], days: list[Any], labels: list[int]) -> dict[str, Any]:
    result = asdict(resequence(scores, ids, days, labels))
    result["lift"] = lift_at(scores, ids, labels, DRAW_RATIO)
    return result


def backtest(history: History, *, kind: str, seed: int = SEED) -> dict[str, Any]:
    """Refit `kind` before the held-out window and compare its ranking there with the rule tiers and chance."""
    split = holdout(history, inspector=False)
    model = train(kind, split.train, split.y_train, seed=seed)
    scores = model.raw(model.encoder.matrix(split.held.frame)).tolist()
    labels = split.y_held.tolist()
    targets = split.held.frame.select("row_id", "firm_id", "as_of")
    tiers = rule_tiers(history.before(split.start), targets)
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
