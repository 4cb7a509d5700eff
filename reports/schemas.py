"""API schemas of the reports module."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ReportRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    region: str = Field(pattern=r"^\d{6}$")
    period: str = Field(pattern=r"^\d{4}(Q[1-4])?$")


class ReportPublic(BaseModel):
    id: str
    doc_number: str
    region: str
    period: str
    sha256: str
    size: int
    pages: int
    generated_by: str
    created_at: datetime
    download_url: str


class Dashboard(BaseModel):
    metrics: dict[str, Any]
    lagging: list[dict[str, Any]]
    thresholds: dict[str, Any]
