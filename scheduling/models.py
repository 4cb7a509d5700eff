"""Tables of joint-inspection scheduling: a region's schedule, its visits and their teams."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from supervise import clock


class Schedule(SQLModel, table=True):
    """The joint-inspection schedule of one region and period (rebuilt in place; docs/scheduling.md)."""

    __table_args__ = (UniqueConstraint("region_code", "period"),)
    id: int | None = Field(default=None, primary_key=True)
    region_code: str = Field(foreign_key="region.code", index=True)
    period: str = Field(max_length=8)  # 2026Q3
    built_at: datetime = Field(default_factory=clock.now)
    built_by: str = Field(max_length=64)
    inputs_sha256: str = Field(max_length=64)
    limits: str = Field(max_length=256)  # canonical JSON
    summary: str = Field(sa_column=Column(Text, nullable=False))


class ScheduledVisit(SQLModel, table=True):
    """One visit to one firm carrying the items of every task merged into it."""

    __tablename__ = "scheduled_visit"
    id: int | None = Field(default=None, primary_key=True)
    schedule_id: int = Field(foreign_key="schedule.id", index=True)
    enterprise_id: int = Field(foreign_key="enterprise.id", index=True)
    township_code: str = Field(default="", max_length=12)
    window_start: date
    window_end: date
    day: date | None = Field(default=None, index=True)
    status: str = Field(max_length=16, index=True)
    reason: str = Field(default="", sa_column=Column(Text, nullable=False))
    notes: str = Field(default="", sa_column=Column(Text, nullable=False))
    tasks: str = Field(max_length=512)  # comma-separated task codes
    departments: str = Field(max_length=512)
    items: str = Field(max_length=512)
    directed: bool = False


class VisitInspector(SQLModel, table=True):
    __tablename__ = "visit_inspector"
    visit_id: int = Field(foreign_key="scheduled_visit.id", primary_key=True)
    inspector_id: int = Field(foreign_key="inspector.id", primary_key=True, index=True)
    position: int
