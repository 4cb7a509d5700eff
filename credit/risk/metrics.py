"""How well a ranking finds problems early (pure): the benchmark's re-sequencing ("days earlier"), the
first-half share of findings, AUC, the cumulative-gains curve and the lift at a draw ratio."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np


@dataclass(frozen=True)
class Resequenced:
    """A ranking replayed on the real calendar: each day keeps its real number of inspections."""

    days_earlier: float  # mean over inspections with a finding of (real date - simulated date)
    first_half_actual: float  # share of all findings among inspections before the median real date
    first_half_model: float  # share of all findings among inspections scored above the median score
    auc: float | None
    n: int
    positives: int


def order_by_score(scores: Sequence[float], ids: Sequence[str]) -> np.ndarray:
    """Indices in the order the evaluation visits them: descending score, ties by ascending id."""
    return np.lexsort((np.asarray(ids, dtype=str), -np.asarray(scores, dtype=float))).astype(np.int64)


def auc(scores: Sequence[float], labels: Sequence[int]) -> float | None:
    """Area under the ROC curve (ties count a half); None without both classes."""
    s, y = np.asarray(scores, dtype=float), np.asarray(labels, dtype=int)
    pos, neg = int(y.sum()), int(len(y) - y.sum())
    if pos == 0 or neg == 0:
        return None
    order = np.argsort(s, kind="mergesort")
    ranks = np.empty(len(s), dtype=float)
    sorted_s = s[order]
    i = 0
    while i < len(s):  # average ranks over ties
        j = i
        while j + 1 < len(s) and sorted_s[j + 1] == sorted_s[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2 + 1
        i = j + 1
    return float((ranks[y == 1].sum() - pos * (pos + 1) / 2) / (pos * neg))


def resequence(scores: Sequence[float], ids: Sequence[str], days: Sequence[date], labels: Sequence[int]) -> Resequenced:
    """Replay the ranking on the real dates: the k-th ranked inspection takes the k-th earliest real date."""
    n = len(scores)
    y = np.asarray(labels, dtype=int)
    real = np.asarray([d.toordinal() for d in days], dtype=np.int64)
    visit = order_by_score(scores, ids)
    simulated = np.empty(n, dtype=np.int64)
    simulated[visit] = np.sort(real)
    positives = int(y.sum())
    earlier = float((real - simulated)[y == 1].mean()) if positives else 0.0
    median_day = np.median(real)
    before = real < median_day
    s = np.asarray(scores, dtype=float)
    above = s > np.median(s)

    def share(mask: np.ndarray) -> float:
        return float(y[mask].sum() / positives) if positives else 0.0

    return Resequenced(
        days_earlier=earlier,
        first_half_actual=share(before),
        first_half_model=share(above),
        auc=auc(scores, labels),
        n=n,
        positives=positives,
    )


def gains(
    scores: Sequence[float], ids: Sequence[str], labels: Sequence[int], points: int = 20
) -> list[tuple[float, float]]:
    """The cumulative-gains curve: (share of firms visited, share of findings found), from (0, 0) to (1, 1)."""
    y = np.asarray(labels, dtype=int)[order_by_score(scores, ids)]
    total = max(int(y.sum()), 1)
    found = np.concatenate([[0], np.cumsum(y)])
    n = len(y)
    return [(k / points, float(found[round(n * k / points)] / total)) for k in range(points + 1)]


def lift_at(scores: Sequence[float], ids: Sequence[str], labels: Sequence[int], ratio: float) -> float | None:
    """Finding rate among the top `ratio` of firms divided by the overall rate (1.0 = no better than random)."""
    y = np.asarray(labels, dtype=int)
    if len(y) == 0 or y.sum() == 0:
        return None
    top = max(1, round(len(y) * ratio))
    chosen = y[order_by_score(scores, ids)[:top]]
    return float(chosen.mean() / y.mean())
