"""API schemas of the draw and its commit–reveal ceremony."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from supervise.schemas import Name


class DrawSummary(BaseModel):
    id: str
    task: str
    title: str
    created_at: str
    single_operator: bool
    record_sha256: str
    selected: int
    unstaffed: int


class CommitmentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    participant: str | None = Field(default=None, description="a participating department code; 督查室 for supervisors")
    commitment: str = Field(min_length=64, max_length=64)


class RevealCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    participant: str | None = None
    secret: str = Field(min_length=16, max_length=256)


class DrawRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    beacon_value: Name | None = Field(default=None, max_length=200)
    beacon_source: Name | None = Field(default=None, max_length=200)


class FreezeRequest(BaseModel):
    """Optionally fix the public beacon at the freeze: its source, the exact future issue and its draw time."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    beacon_source: Name | None = Field(default=None, max_length=64, description="e.g. 中国福利彩票发行管理中心 福彩3D")
    beacon_issue: Name | None = Field(default=None, max_length=64, description="e.g. 2026321期")
    beacon_at: datetime | None = Field(
        default=None, description="the issue's scheduled draw time (Beijing if no offset)"
    )
