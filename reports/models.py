"""Archived accountability reports: the file's SHA-256, its parameters and who generated it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from supervise import clock


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
    created_at: datetime = Field(default_factory=clock.now)


class DrawVerdict(SQLModel, table=True):
    """Cached outcome of re-running a draw from its published files.

    The key is the SHA-256 of the record, population and inspector files, so any edit to a stored draw
    changes the key and forces a fresh verification; the verdict itself is a pure function of those files.
    """

    __tablename__ = "draw_verdict"
    key: str = Field(primary_key=True, max_length=64)
    ok: bool
    reason: str = Field(default="", sa_column=Column(Text, nullable=False))
    verified_at: datetime = Field(default_factory=clock.now)
