"""The inspector effect for the 督查室 (pure): problems each inspector found against the problems expected from
the visited firms' risk scores, shrunk towards "as expected" so that small numbers flag nobody.

Model: an inspector's finding ratio θ = found / expected has a Gamma(α, α) prior (mean 1) and the findings
are Poisson(θ · expected), so the posterior is Gamma(α + found, α + expected). α is estimated from all
inspectors by the method of moments. An inspector is flagged when even the posterior's upper bound stays
below the threshold: a prompt to review the inspections, never a basis for 追责 on its own."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

FLAG_RATIO = 0.6  # 本地设定: the posterior's upper bound must stay below 60% of the expected findings
CREDIBILITY = 0.95
# The prior weighs as much as 2 to 20 expected findings (本地设定): the moment estimate of the spread between
# inspectors is dominated by the many with few visits, and an uncapped prior would shrink a real outlier away.
MIN_PRIOR, MAX_PRIOR = 2.0, 20.0
WORDING = "此为提示复核的线索，不能单独作为追责依据：发现问题少也可能因为所查企业确实合规。"


@dataclass(frozen=True)
class InspectorVisits:
    """What one inspector's visits found, and what the visited firms' scores expected."""

    inspector: str
    visits: int
    found: int
    expected: float


@dataclass(frozen=True)
class InspectorEffect:
    inspector: str
    visits: int
    found: int
    expected: float
    raw_ratio: float | None
    shrunk_ratio: float  # posterior mean of found / expected
    upper: float  # the posterior's CREDIBILITY upper bound of the ratio
    flagged: bool


def prior_strength(rows: Sequence[InspectorVisits]) -> float:
    """α of the Gamma(α, α) prior: 1 / (between-inspector variance of the ratio beyond Poisson noise)."""
    usable = [r for r in rows if r.expected > 0]
    if len(usable) < 2:
        return MAX_PRIOR
    total_e = sum(r.expected for r in usable)
    pooled = sum(r.found for r in usable) / total_e if total_e else 1.0
    ratios = [(r.found / r.expected) / pooled if pooled else 1.0 for r in usable]
    weights = [r.expected for r in usable]
    mean = sum(w * x for w, x in zip(weights, ratios, strict=True)) / total_e
    spread = sum(w * (x - mean) ** 2 for w, x in zip(weights, ratios, strict=True)) / total_e
    noise = len(usable) / total_e  # the Poisson part of that spread (mean ratio 1)
    excess = spread - noise
    return MAX_PRIOR if excess <= 1 / MAX_PRIOR else min(MAX_PRIOR, max(MIN_PRIOR, 1 / excess))


def as_rows(found: Sequence[InspectorEffect]) -> list[dict[str, Any]]:
    """The effects as stored with a scoring run (rounded for reading)."""
    out = []
    for e in found:
        row = asdict(e)
        for key in ("expected", "raw_ratio", "shrunk_ratio", "upper"):
            if row[key] is not None:
                row[key] = round(row[key], 2 if key != "expected" else 1)
        out.append(row)
    return out


def effects(rows: Sequence[InspectorVisits], *, flag_ratio: float = FLAG_RATIO) -> list[InspectorEffect]:
    """Each inspector's shrunk finding ratio and whether it is implausibly low, lowest first."""
    from scipy.stats import gamma  # slow to import: only when effects are measured

    alpha = prior_strength(rows)
    total_e = sum(r.expected for r in rows)
    # scores are calibrated probabilities, but calibration drifts: compare with the pooled rate of this period
    pooled = (sum(r.found for r in rows) / total_e) if total_e else 1.0
    out = []
    for r in rows:
        expected = r.expected * pooled
        shape, rate = alpha + r.found, alpha + expected
        upper = float(gamma.ppf(CREDIBILITY, shape, scale=1 / rate))
        out.append(
            InspectorEffect(
                inspector=r.inspector,
                visits=r.visits,
                found=r.found,
                expected=expected,
                raw_ratio=(r.found / expected) if expected else None,
                shrunk_ratio=shape / rate,
                upper=upper,
                flagged=upper < flag_ratio,
            )
        )
    return sorted(out, key=lambda e: (e.shrunk_ratio, e.inspector))


def visits(history: Any, model: Any, *, since: date, until: date) -> list[InspectorVisits]:
    """Each inspector's visits in [since, until): found, and expected from the model's score of each visit's
    firm as of the visit's own day (the model does not know the inspector)."""
    import polars as pl

    from credit.risk import features as feat

    seen = history.inspections.filter(
        (pl.col("date") >= since) & (pl.col("date") < until) & pl.col("inspector_id").is_not_null()
    )
    if seen.height == 0:
        return []
    targets = feat.past_targets(history).join(seen.select(pl.col("inspection_id").alias("row_id")), on="row_id",
                                              how="semi")  # fmt: skip
    frame = feat.build(history, targets, inspector=False).frame
    scored = frame.select("row_id").with_columns(pl.Series("p", model.score(frame)))
    per = (
        seen.join(scored, left_on="inspection_id", right_on="row_id")
        .group_by("inspector_id")
        .agg(pl.len().alias("n"), pl.col("critical_found").sum().alias("found"), pl.col("p").sum().alias("expected"))
        .sort("inspector_id")
    )
    return [InspectorVisits(b, int(n), int(f), float(e)) for b, n, f, e in per.iter_rows()]
