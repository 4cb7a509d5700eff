"""The hand-written rule tiers (credit/rules.py risk_tier) recomputed as of a date from the same history, so
that the back-test compares the model with what the draws used before it, on the same inspections (pure)."""

from __future__ import annotations

import polars as pl

from credit.risk.features import windowed
from credit.risk.history import History

RULE_DAYS = 730  # the rule tiers look back two years
LIST_DAYS = 3 * 365  # a listing counts while it may still be displayed (three years)
ORDINAL = {"A": 0, "B": 1, "C": 2, "D": 3}


def rule_tiers(history: History, targets: pl.DataFrame) -> pl.DataFrame:
    """row_id and the rule tier (A–D) of each target (row_id, firm_id, as_of), from history before its date:
    D a serious-dishonesty listing; C an abnormal listing, a problem or a substantiated complaint within two
    years; A a red listing or a clean inspection within two years; else B."""
    out = targets.select("row_id", "firm_id", "as_of")
    inspections = history.inspections.with_columns((1 - pl.col("critical_found")).alias("_clean"))
    out = windowed(out, inspections, by="firm_id", value="critical_found", name="problem", days=RULE_DAYS)
    out = windowed(out, inspections, by="firm_id", value="_clean", name="clean", days=RULE_DAYS)
    signals = {"black": ("list_black", LIST_DAYS), "abnormal": ("list_abnormal", LIST_DAYS),
               "red": ("list_red", LIST_DAYS), "complaint": ("complaint_substantiated", RULE_DAYS)}  # fmt: skip
    for name, (kind, days) in signals.items():
        rows = history.events.filter(pl.col("kind") == kind).with_columns(pl.lit(1).alias("_one"))
        out = windowed(out, rows, by="firm_id", value="_one", name=name, days=days)
    tier = (
        pl.when(pl.col(f"black_{LIST_DAYS}d") > 0).then(pl.lit("D"))
        .when((pl.col(f"abnormal_{LIST_DAYS}d") > 0) | (pl.col(f"problem_{RULE_DAYS}d") > 0)
              | (pl.col(f"complaint_{RULE_DAYS}d") > 0)).then(pl.lit("C"))
        .when((pl.col(f"red_{LIST_DAYS}d") > 0) | (pl.col(f"clean_{RULE_DAYS}d") > 0)).then(pl.lit("A"))
        .otherwise(pl.lit("B"))
    )  # fmt: skip
    return out.with_columns(tier.alias("tier")).select("row_id", "tier").sort("row_id")
