"""The complaint table: one 工单 of the 12345 platform, with its deadlines and the complainant's contact."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from supervise import clock


class Complaint(SQLModel, table=True):
    """A 投诉 or 举报 received from the platform, an import or a staff form; its 工单号 is its identity."""

    id: int | None = Field(default=None, primary_key=True)
    ticket_no: str = Field(max_length=64, unique=True)  # 工单号
    received_at: datetime
    channel: str = Field(max_length=16)
    category: str = Field(max_length=4, index=True)  # 投诉 | 举报
    uscc: str | None = Field(default=None, max_length=18, index=True)
    firm_name: str = Field(default="", max_length=128)
    firm_address: str = Field(default="", max_length=256)
    enterprise_id: int | None = Field(default=None, foreign_key="enterprise.id", index=True)
    content: str = Field(sa_column=Column(Text, nullable=False))
    # Personal data: shown only to the handling officer and the 督查室, masked elsewhere, never public.
    complainant_name: str = Field(default="", max_length=64)
    complainant_phone: str = Field(default="", max_length=32)
    confidential: bool = False  # the 举报人 asked for confidentiality
    source: str = Field(max_length=8)  # api | import | form
    state: str = Field(default="received", max_length=16, index=True)
    sign_due: date
    accept_due: date | None = None  # 投诉: 受理 decision
    verify_due: date | None = None  # 举报: 核查 and 立案 decision
    close_due: date
    provisional: bool = False  # a deadline falls in a year whose holidays are not yet known
    created_at: datetime = Field(default_factory=clock.now)
    created_by: str = Field(max_length=64)
