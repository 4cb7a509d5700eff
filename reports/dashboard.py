"""The 督查 dashboard's numbers: a period's metrics and the units they flag as lagging, exactly as the PDF prints
them (read by the report, the web page and the 督查 follow-up)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from reports.lagging import Thresholds, lagging_units
from reports.metrics import compute
from supervise import clock
from supervise.config import tuning
from supervise.errors import field_error
from supervise.models import Enterprise, Region


def dashboard(session: Session, *, region: str, period: str, today: date | None = None) -> dict[str, Any]:
    """Metrics and lagging units exactly as the PDF prints them."""
    if session.get(Region, region) is None:
        raise field_error("region", f"行政区划 {region} 不存在", status=404)
    thresholds = Thresholds.from_env(tuning().lagging)
    metrics = compute(session, region=region, period=period, today=today or clock.today())
    lagging = lagging_units(metrics, thresholds)
    _name_firms(session, [e for u in lagging for r in u["reasons"] for e in r["evidence"]])
    return {"metrics": metrics, "lagging": lagging, "thresholds": thresholds.as_dict()}


def _name_firms(session: Session, evidence: list[dict[str, Any]]) -> None:
    """Name the firm of each piece of evidence beside its code: a paper names firms, not only codes."""
    codes = {e["uscc"] for e in evidence if e.get("uscc")}
    if not codes:
        return
    names = dict(session.exec(select(Enterprise.uscc, Enterprise.name).where(col(Enterprise.uscc).in_(codes))).all())
    for e in evidence:
        if e.get("uscc") in names and "firm" not in e:
            rest = dict(e)
            e.clear()
            e.update({"kind": rest.pop("kind"), "firm": names[rest["uscc"]], **rest})
