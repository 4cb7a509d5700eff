"""The 督查 dashboard's numbers: a period's metrics and the units they flag as lagging, exactly as the PDF prints
them (read by the report, the web page and the 督查 follow-up)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session

from reports.lagging import Thresholds, lagging_units
from reports.metrics import compute
from supervise import clock
from supervise.config import tuning
from supervise.errors import field_error
from supervise.models import Region


def dashboard(session: Session, *, region: str, period: str, today: date | None = None) -> dict[str, Any]:
    """Metrics and lagging units exactly as the PDF prints them."""
    if session.get(Region, region) is None:
        raise field_error("region", f"行政区划 {region} 不存在", status=404)
    thresholds = Thresholds.from_env(tuning().lagging)
    metrics = compute(session, region=region, period=period, today=today or clock.today())
    return {"metrics": metrics, "lagging": lagging_units(metrics, thresholds), "thresholds": thresholds.as_dict()}
