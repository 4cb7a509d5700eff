"""Archived accountability reports: the file's SHA-256, its parameters and who generated it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from supervise.timeutil import utcnow


class ReportArchive(SQLModel, table=True):
    """One generated report; the PDF lives under the instance folder, named by its SHA-256."""

    __tablename__ = "report_archive"
    id: int | None = Field(default=None, primary_key=True)
    public_id: str = Field(max_length=32, unique=True)
    doc_number: str = Field(max_length=64, unique=True)
    kind: str = Field(default="accountability", max_length=32)
    region_code: str = Field(max_length=12, index=True)
    period: str = Field(max_length=8, index=True)
    params: str = Field(sa_column=Column(Text, nullable=False))  # canonical JSON: thresholds, today, job
    sha256: str = Field(max_length=64)
    size: int
    pages: int
    generated_by: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow)
