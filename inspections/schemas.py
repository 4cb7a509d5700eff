"""API schemas of the 双随机 module."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ResultCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    category: str = Field(description="one of the standard result categories")
    findings: str = Field(default="", max_length=4000)
    inspected_on: date


class AssignmentPublic(BaseModel):
    target_id: int
    task: str
    task_title: str
    uscc: str
    enterprise_name: str
    region_code: str
    items: list[dict[str, str]]
    window: dict[str, str]
    team: list[dict[str, str]]
    result: dict[str, Any] | None


class DrawSummary(BaseModel):
    id: str
    task: str
    title: str
    created_at: str
    single_operator: bool
    record_sha256: str
    selected: int
    unstaffed: int


class PublicResult(BaseModel):
    uscc: str
    enterprise_name: str
    task: str
    task_title: str
    category: str
    inspected_on: str
    published_at: str
    draw: str


class OverduePublication(BaseModel):
    target_id: int
    uscc: str
    enterprise_name: str
    task: str
    publish_due: str
    working_days_overdue: int
