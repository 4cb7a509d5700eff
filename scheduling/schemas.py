"""API schemas of joint-inspection scheduling."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field


class ScheduleRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    region: str = Field(pattern=r"^\d{6}$")
    period: str = Field(pattern=r"^\d{4}Q[1-4]$")


class VisitMember(BaseModel):
    badge: str
    name: str


class VisitPublic(BaseModel):
    id: int
    day: date | None
    status: str
    uscc: str
    enterprise_name: str
    township: str
    window_start: date
    window_end: date
    tasks: list[str]
    departments: list[str]
    items: list[str]
    item_names: list[str]
    directed: bool
    team: list[VisitMember]
    reason: str
    notes: list[str]


class ScheduleView(BaseModel):
    region: str
    period: str
    built_at: datetime
    built_by: str
    inputs_sha256: str
    limits: dict[str, int]
    summary: dict[str, int | float]
    visits: list[VisitPublic]
