"""Time helpers: timestamps are timezone-aware UTC; China Standard Time is for display and dates."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

CST = timezone(timedelta(hours=8), "CST")


def utcnow() -> datetime:
    """Return the current time as an aware UTC datetime (what every table stores)."""
    return datetime.now(UTC)


def today_cst() -> date:
    """Return today's date in China Standard Time."""
    return datetime.now(CST).date()


def to_cst(ts: datetime) -> datetime:
    """Convert a UTC timestamp (aware, or naive meaning UTC) to China Standard Time."""
    return (ts if ts.tzinfo else ts.replace(tzinfo=UTC)).astimezone(CST)
