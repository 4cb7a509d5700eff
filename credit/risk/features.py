"""Features of a firm as of a date, computed only from history strictly before that date (pure, columnar).

Every dated source is joined "as of" the target's date with exact matches excluded, so a row dated on or after
the as-of date cannot contribute: the rule is enforced here, not trusted to the caller. A target's own
attributes (its firm's registration data, and the inspector assigned to it when asked for) are not history."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from credit.risk.history import History

WINDOW_DAYS = 365  # the "recent" window of counts (本地设定)
CAP_DAYS = 730  # days since the last inspection are capped: two years and more read alike
CATEGORICAL = ("facility_group", "risk_category")  # firm attributes used when present
FIRM_NUMERIC = ("holds_tobacco_licence", "holds_alcohol_licence", "registered_capital", "licence_count")
INSPECTOR = "inspector_id"

# the state of a firm's inspection record after each inspection day: cumulative and "last" values
_CUMULATIVE = ("insp_n", "found_n", "critical_sum", "serious_sum", "minor_sum")
_LAST = ("last_critical", "last_serious", "last_minor", "last_failed")


class LeakageError(ValueError):
    """A target carries an outcome, or a feature would be computed from history on or after its date."""


@dataclass(frozen=True)
class FeatureFrame:
    """One row per target: the target's key columns, then numeric features and categorical features."""

    frame: pl.DataFrame
    numeric: tuple[str, ...]
    categorical: tuple[str, ...]


def _asof(
    targets: pl.DataFrame,
    state: pl.DataFrame,
    *,
    by: str,
    on: str,
    columns: list[str],
    suffix: str = "",
) -> pl.DataFrame:
    """Attach, to each target, the last `state` row of the same `by` strictly before the target's `on` date."""
    right = state.select([by, pl.col("date").alias("_state_date"), *[pl.col(c).alias(c + suffix) for c in columns]])
    joined = targets.sort(on).join_asof(
        right.sort("_state_date"),
        left_on=on,
        right_on="_state_date",
        by=by,
        strategy="backward",
        allow_exact_matches=False,  # strictly before: a row dated on the as-of day is not yet known
        check_sortedness=False,
    )
    return joined.drop("_state_date")


def _inspection_state(inspections: pl.DataFrame) -> pl.DataFrame:
    failed = (pl.col("result") == "Fail") if "result" in inspections.columns else pl.lit(False)
    day = (
        inspections.with_columns(failed.fill_null(False).cast(pl.Int32).alias("_failed"))
        .group_by("firm_id", "date")
        .agg(
            pl.len().alias("last_n"),
            pl.col("critical_found").sum().alias("last_found"),
            pl.col("critical_count").sum().alias("last_critical"),
            pl.col("serious_count").sum().alias("last_serious"),
            pl.col("minor_count").sum().alias("last_minor"),
            pl.col("_failed").max().alias("last_failed"),
        )
        .sort("firm_id", "date")
    )
    return day.with_columns(
        pl.col("last_n").cum_sum().over("firm_id").alias("insp_n"),
        pl.col("last_found").cum_sum().over("firm_id").alias("found_n"),
        pl.col("last_critical").fill_null(0).cum_sum().over("firm_id").alias("critical_sum"),
        pl.col("last_serious").fill_null(0).cum_sum().over("firm_id").alias("serious_sum"),
        pl.col("last_minor").fill_null(0).cum_sum().over("firm_id").alias("minor_sum"),
        pl.col("date").alias("last_date"),
    )


def _counts(frame: pl.DataFrame, by: str, value: str) -> pl.DataFrame:
    """Cumulative sums of `value` per `by` at each date (the state after that day)."""
    return (
        frame.group_by(by, "date")
        .agg(pl.col(value).sum().alias("_day"))
        .sort(by, "date")
        .with_columns(pl.col("_day").cum_sum().over(by).alias("cum"))
    )


def windowed(
    targets: pl.DataFrame, frame: pl.DataFrame, *, by: str, value: str, name: str, days: int = WINDOW_DAYS
) -> pl.DataFrame:
    """All-time and recent (`days`) sums of `value` per `by`, strictly before each target's date."""
    state = _counts(frame, by, value)
    out = _asof(targets, state, by=by, on="as_of", columns=["cum"], suffix="_now")
    out = out.with_columns((pl.col("as_of") - pl.duration(days=days)).alias("_window_start"))
    out = _asof(out, state, by=by, on="_window_start", columns=["cum"], suffix="_then")
    return out.with_columns(
        pl.col("cum_now").fill_null(0).alias(f"{name}_all"),
        (pl.col("cum_now").fill_null(0) - pl.col("cum_then").fill_null(0)).alias(f"{name}_{days}d"),
    ).drop("cum_now", "cum_then", "_window_start")


def build(history: History, targets: pl.DataFrame, *, inspector: bool) -> FeatureFrame:
    """Features of each target (columns row_id, firm_id, as_of, and inspector_id when `inspector`)."""
    if "critical_found" in targets.columns:
        raise LeakageError("targets must not carry their outcome")
    firms = history.firms
    keys = ["row_id", "firm_id", "as_of"]
    assigned = [INSPECTOR] if inspector and INSPECTOR in targets.columns else []
    base = targets.select(*keys, *assigned)
    numeric: list[str] = []

    # the firm's own record: cumulative counts and its last inspection
    state = _inspection_state(history.inspections)
    last = [c for c in _LAST if c != "last_failed" or "result" in history.inspections.columns]
    out = _asof(base, state, by="firm_id", on="as_of", columns=[*_CUMULATIVE, *last, "last_date"])
    days = (pl.col("as_of") - pl.col("last_date")).dt.total_days()
    out = out.with_columns(
        pl.col("insp_n").fill_null(0),
        pl.col("insp_n").is_null().cast(pl.Int32).alias("first_record"),
        pl.min_horizontal(days, pl.lit(CAP_DAYS)).fill_null(CAP_DAYS).alias("days_since_last"),
        (pl.col("found_n") / pl.col("insp_n")).alias("found_rate"),
    ).drop("last_date")
    numeric += [*_CUMULATIVE, *last, "first_record", "days_since_last", "found_rate"]
    recent = history.inspections.select("firm_id", "date", "critical_found")
    out = windowed(out, recent, by="firm_id", value="critical_found", name="found")
    numeric += [f"found_{WINDOW_DAYS}d"]

    # dated events (complaints, penalties, list entries, uncorrected 处置, licences): counts per kind
    for kind in sorted(history.events["kind"].unique().drop_nulls().to_list()):
        rows = history.events.filter(pl.col("kind") == kind).with_columns(pl.lit(1).alias("_one"))
        out = windowed(out, rows, by="firm_id", value="_one", name=f"event_{kind}")
        numeric += [f"event_{kind}_all", f"event_{kind}_{WINDOW_DAYS}d"]

    # area signals: the firm's latest values strictly before the date
    signals = [c for c in history.area.columns if c not in ("inspection_id", "firm_id", "date")]
    if signals:
        latest = history.area.group_by("firm_id", "date").agg(pl.col(s).mean() for s in signals)
        out = _asof(out, latest, by="firm_id", on="as_of", columns=signals)
        numeric += signals

    # the neighbourhood's recent finding rate (same area code), strictly before the date
    if "zip" in firms.columns:
        out = out.join(firms.select("firm_id", "zip"), on="firm_id", how="left")
        placed = (
            history.inspections.select("firm_id", "date", "critical_found")
            .join(firms.select("firm_id", "zip"), on="firm_id", how="inner")
            .with_columns(pl.lit(1).alias("_one"))
            .drop_nulls("zip")
        )
        out = windowed(out, placed, by="zip", value="critical_found", name="area_found")
        out = windowed(out, placed, by="zip", value="_one", name="area_insp")
        out = out.with_columns(
            (pl.col(f"area_found_{WINDOW_DAYS}d") / pl.col(f"area_insp_{WINDOW_DAYS}d")).alias("area_found_rate")
        ).drop("zip", "area_found_all", "area_insp_all", f"area_found_{WINDOW_DAYS}d")
        numeric += ["area_found_rate", f"area_insp_{WINDOW_DAYS}d"]

    # registration data of the firm (not history): age at the date, attributes
    extra = [c for c in FIRM_NUMERIC if c in firms.columns]
    cats = [c for c in CATEGORICAL if c in firms.columns]
    attrs = firms.select("firm_id", *(["opened_on"] if "opened_on" in firms.columns else []), *extra, *cats)
    out = out.join(attrs.unique("firm_id", keep="first"), on="firm_id", how="left")
    if "opened_on" in attrs.columns:
        out = out.with_columns(
            ((pl.col("as_of") - pl.col("opened_on")).dt.total_days() / 365.25).clip(lower_bound=0).alias("age_years")
        ).drop("opened_on")
        numeric.append("age_years")
    numeric += extra
    cats += assigned
    frame = out.sort("row_id").select(*keys, *numeric, *cats)
    return FeatureFrame(frame=frame, numeric=tuple(numeric), categorical=tuple(cats))


def past_targets(history: History) -> pl.DataFrame:
    """Every past inspection as a target on its own date, with its outcome kept apart (row_id, label)."""
    return history.inspections.select(
        pl.col("inspection_id").alias("row_id"),
        "firm_id",
        pl.col("date").alias("as_of"),
        *([INSPECTOR] if INSPECTOR in history.inspections.columns else []),
    )
