"""The system's own records in the history format (docs/risk.md), as of a date: every dated row strictly
before it. Reads columns in bulk (no ORM objects) and builds the frames the pure core takes."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import polars as pl
from sqlalchemy import case, func, select
from sqlmodel import Session, col

from credit.models import ListEntry, ListType, PenaltyInfo
from credit.risk.features import windowed
from credit.risk.history import History
from credit.risk.models import PastInspection
from credit.rules import PROBLEM_CATEGORIES
from inspections.complaints.models import Complaint
from inspections.complaints.rules import SUBSTANTIATED
from inspections.disposals.models import Disposal
from inspections.disposals.rules import RECHECK_NOT_FIXED
from inspections.models import CheckPoint, DrawTarget, InspectionResult, PointResult
from supervise import clock
from supervise.models import Enterprise, Inspector, License

AREA_DAYS = 90  # the township complaint density's window, as the benchmark's area signals (本地设定)
SEVERITY_COLUMNS = {"严重": "critical_count", "较重": "serious_count", "一般": "minor_count"}
PROBLEM = "不符合"


AREA_KEY = func.coalesce(col(Enterprise.township_code), col(Enterprise.region_code))


def _rows(session: Session, statement: Any, area: str | None = None) -> Any:
    """Run a statement over Enterprise; with `area`, only the firms of that township (a firm's explanation)."""
    return session.execute(statement if area is None else statement.where(AREA_KEY == area))  # noqa: SIM300 - a SQL expression


def _frame(rows: list[Any], schema: dict[str, Any]) -> pl.DataFrame:
    return pl.DataFrame([tuple(r) for r in rows], schema=schema, orient="row")


def _day(value: date | datetime | None) -> date | None:
    return clock.beijing_date(value) if isinstance(value, datetime) else value  # a 工单's day in Beijing


def firms(session: Session, area: str | None = None) -> pl.DataFrame:
    """Every firm: USCC, registration date, industry 门类 (its first letter), township (the area key)."""
    rows = _rows(
        session,
        select(
            col(Enterprise.id),
            col(Enterprise.uscc),
            col(Enterprise.registered_on),
            col(Enterprise.industry_code),
            AREA_KEY,
            col(Enterprise.status),
        ),  # fmt: skip
        area,
    ).all()
    frame = _frame(rows, {"enterprise_id": pl.Int64, "firm_id": pl.Utf8, "opened_on": pl.Date,
                          "industry_code": pl.Utf8, "zip": pl.Utf8, "status": pl.Utf8})  # fmt: skip
    licences = _rows(
        session,
        select(col(License.enterprise_id), func.count())
        .join(Enterprise, col(Enterprise.id) == col(License.enterprise_id))
        .group_by(col(License.enterprise_id)),
        area,
    ).all()
    counts = _frame(licences, {"enterprise_id": pl.Int64, "licence_count": pl.Float64})
    return (
        frame.join(counts, on="enterprise_id", how="left")
        .with_columns(
            pl.col("industry_code").str.slice(0, 1).alias("facility_group"), pl.col("licence_count").fill_null(0)
        )  # fmt: skip
        .drop("industry_code")
    )


def inspections(session: Session, as_of: date, area: str | None = None) -> pl.DataFrame:
    """Every confirmed result before `as_of`: its 不符合 points by severity, the finding, the tier at the draw."""
    severity = {
        name: func.sum(case((col(PointResult.outcome) == PROBLEM, case((col(CheckPoint.severity) == s, 1), else_=0)),
                            else_=0))
        for s, name in SEVERITY_COLUMNS.items()
    }  # fmt: skip
    points = (
        select(col(PointResult.result_id), *[v.label(k) for k, v in severity.items()])
        .join(CheckPoint, col(CheckPoint.id) == col(PointResult.point_id))
        .group_by(col(PointResult.result_id))
        .subquery()
    )
    result = col(InspectionResult.id)
    statement = (
        select(result, col(Enterprise.uscc), col(InspectionResult.inspected_on), col(Inspector.badge_no),
               col(InspectionResult.category), col(DrawTarget.tier), points.c.critical_count, points.c.serious_count,
               points.c.minor_count)
        .join(DrawTarget, col(DrawTarget.id) == col(InspectionResult.target_id))
        .join(Enterprise, col(Enterprise.id) == col(DrawTarget.enterprise_id))
        .join(Inspector, col(Inspector.id) == col(InspectionResult.recorded_by))
        .outerjoin(points, points.c.result_id == result)
        .where(col(InspectionResult.confirmed_at).is_not(None), col(InspectionResult.inspected_on) < as_of)
    )  # fmt: skip
    rows = _rows(session, statement, area).all()
    frame = _frame(rows, {"inspection_id": pl.Int64, "firm_id": pl.Utf8, "date": pl.Date, "inspector_id": pl.Utf8,
                          "category": pl.Utf8, "tier_at_draw": pl.Utf8, "critical_count": pl.Float64,
                          "serious_count": pl.Float64, "minor_count": pl.Float64})  # fmt: skip
    problem = pl.col("category").is_in(sorted(PROBLEM_CATEGORIES))
    counted = pl.sum_horizontal(pl.col(c).fill_null(0) for c in SEVERITY_COLUMNS.values()) > 0
    own = frame.with_columns(
        ("R" + pl.col("inspection_id").cast(pl.Utf8)).alias("inspection_id"),
        (problem | counted).cast(pl.Float64).alias("critical_found"),
        *[pl.col(c).fill_null(0) for c in SEVERITY_COLUMNS.values()],
    ).drop("category")
    # no "result" column: pass/fail is the finding itself here, which the benchmark's Fail is not
    return pl.concat([own, past_inspections(session, as_of, area)], how="diagonal")


def past_inspections(session: Session, as_of: date, area: str | None = None) -> pl.DataFrame:
    """Inspections migrated from the previous platform, in the same columns (no tier: they were no draw here)."""
    statement = (
        select(col(PastInspection.id), col(Enterprise.uscc), col(PastInspection.inspected_on),
               col(PastInspection.inspector_badge), col(PastInspection.found), col(PastInspection.critical_count),
               col(PastInspection.serious_count), col(PastInspection.minor_count))
        .join(Enterprise, col(Enterprise.id) == col(PastInspection.enterprise_id))
        .where(col(PastInspection.inspected_on) < as_of)
    )  # fmt: skip
    frame = _frame(_rows(session, statement, area).all(), {
        "inspection_id": pl.Int64, "firm_id": pl.Utf8, "date": pl.Date, "inspector_id": pl.Utf8,
        "critical_found": pl.Float64, "critical_count": pl.Float64, "serious_count": pl.Float64,
        "minor_count": pl.Float64,
    })  # fmt: skip
    return frame.with_columns(("P" + pl.col("inspection_id").cast(pl.Utf8)).alias("inspection_id"))


def events(session: Session, as_of: date, area: str | None = None) -> pl.DataFrame:
    """Dated events per firm before `as_of`: complaints (and substantiated ones), penalties, list entries,
    uncorrected 责令改正 and licences."""
    firm, uscc = col(Enterprise.id), col(Enterprise.uscc)
    parts: list[tuple[str, Any]] = [
        ("complaint", select(uscc, col(Complaint.received_at)).join(Complaint, col(Complaint.enterprise_id) == firm)),
        (
            "complaint_substantiated",
            select(uscc, col(Complaint.verified_on))
            .join(Complaint, col(Complaint.enterprise_id) == firm)
            .where(col(Complaint.finding).in_(sorted(SUBSTANTIATED))),
        ),
        (
            "penalty",
            select(uscc, col(PenaltyInfo.decided_on)).join(PenaltyInfo, col(PenaltyInfo.enterprise_id) == firm),
        ),
        (
            "uncorrected",
            select(uscc, col(Disposal.recheck_on))
            .join(Disposal, col(Disposal.enterprise_id) == firm)
            .where(col(Disposal.recheck_outcome) == RECHECK_NOT_FIXED),
        ),
        ("licence", select(uscc, col(License.issued_on)).join(License, col(License.enterprise_id) == firm)),
    ]
    listed = _rows(
        session,
        select(col(Enterprise.uscc), col(ListEntry.listed_on), col(ListType.kind))
        .join(Enterprise, col(Enterprise.id) == col(ListEntry.enterprise_id))
        .join(ListType, col(ListType.code) == col(ListEntry.list_type))
        .where(col(ListEntry.listed_on).is_not(None)),
        area,
    ).all()
    rows = [
        (uscc, _day(day), kind) for kind, q in parts for uscc, day in _rows(session, q, area).all() if day is not None
    ]
    rows += [(uscc, day, f"list_{kind}") for uscc, day, kind in listed]
    frame = _frame(rows, {"firm_id": pl.Utf8, "date": pl.Date, "kind": pl.Utf8})
    return frame.filter(pl.col("date") < as_of).sort("firm_id", "date", "kind")


def area_signals(past: pl.DataFrame, firm_frame: pl.DataFrame, complaints: pl.DataFrame) -> pl.DataFrame:
    """Township complaint density at each past inspection: 工单 about firms of the township in the 90 days up
    to the inspection date, per firm of the township (the benchmark's area signal, from our own 12345 data)."""
    size = firm_frame.group_by("zip").agg(pl.len().alias("_firms"))
    placed = complaints.join(firm_frame.select("firm_id", "zip"), on="firm_id").with_columns(pl.lit(1).alias("_one"))
    rows = past.select("inspection_id", "firm_id", "date").join(firm_frame.select("firm_id", "zip"), on="firm_id")
    # the window [date - 90, date] is what windowed() counts strictly before date + 1, over 91 days
    rows = windowed(rows.with_columns((pl.col("date") + timedelta(days=1)).alias("as_of")), placed, by="zip",
                    value="_one", name="_n", days=AREA_DAYS + 1)  # fmt: skip
    density = pl.col(f"_n_{AREA_DAYS + 1}d") / pl.col("_firms")
    out = rows.join(size, on="zip", how="left").with_columns(density.alias("complaint_density_90d"))
    return out.select("inspection_id", "firm_id", "date", "complaint_density_90d").sort("inspection_id")


def export(session: Session, *, as_of: date, area: str | None = None) -> History:
    """The history as of `as_of`: firms, results, events and area signals before it; every firm in business due.
    With `area`, only one township's firms: enough for their features, which look no further than it."""
    firm_frame = firms(session, area)
    past = inspections(session, as_of, area)
    dated = events(session, as_of, area)
    signals = area_signals(past, firm_frame, dated.filter(pl.col("kind") == "complaint"))
    due = firm_frame.filter(pl.col("status") == "存续").select(
        ("U" + pl.col("firm_id")).alias("inspection_id"), "firm_id", pl.lit(as_of).alias("date")
    )
    return History(
        firms=firm_frame.drop("enterprise_id", "status"),
        inspections=past.sort("inspection_id"),
        due=due,
        events=dated,
        area=signals,
    )
