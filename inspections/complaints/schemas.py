"""API schemas of the complaint intake."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from supervise.schemas import USCC, Name, Text

Category = Literal["投诉", "举报"]  # inspections.complaints.rules.CATEGORIES
Channel = Literal["12345热线", "12345网站", "12345移动端", "信件", "来访", "其他"]


class ComplaintIn(BaseModel):
    """One 工单 as the 12345 platform pushes it (or a row of an import)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    ticket_no: str = Field(min_length=4, max_length=64, pattern=r"^[0-9A-Za-z-]+$", description="工单号")
    received_at: datetime = Field(description="platform receipt time, with its zone")
    channel: Channel
    category: Category
    uscc: USCC | None = None
    firm_name: Name = Field(default="", max_length=128)
    firm_address: Name = Field(default="", max_length=256)
    content: Text = Field(min_length=1, max_length=4000)
    complainant_name: Name = Field(default="", max_length=64)
    complainant_phone: str = Field(default="", max_length=32, pattern=r"^[0-9+\- ]*$")
    confidential: bool = False


class MatchConfirm(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    uscc: USCC


class ComplaintPublic(BaseModel):
    ticket_no: str
    received_at: str
    channel: str
    category: str
    uscc: str | None
    firm_name: str
    matched: bool
    content: str
    complainant_name: str
    complainant_phone: str
    confidential: bool
    masked: bool
    source: str
    state: str
    due: dict[str, str | None]
    provisional: bool
