"""API schemas of the complaint intake."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, field_validator

from supervise.schemas import USCC, Name, Text

Category = Literal["投诉", "举报"]  # inspections.complaints.rules.CATEGORIES
Received = Literal["投诉", "举报", "投诉举报"]  # a mixed 工单 is split on receipt (办法第七条)
Trade = Literal["", "platform", "in_platform", "ad_media", "ad_self"]  # rules.TRADE_LABELS
Channel = Literal["12345热线", "12345网站", "12345移动端", "信件", "来访", "其他"]


class ComplaintIn(BaseModel):
    """One 工单 as the 12345 platform pushes it (or a row of an import)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    ticket_no: str = Field(
        min_length=4, max_length=64, pattern=r"^[0-9A-Za-z-]+$", description="工单号", title="工单编号"
    )
    received_at: datetime = Field(description="platform receipt time, with its zone", title="受理时间")
    channel: Channel = Field(title="来源渠道")
    category: Received = Field(title="诉求类型")
    uscc: USCC | None = Field(default=None, title="统一社会信用代码")
    trade: Trade = Field(default="", title="经营方式")
    act_region: str | None = Field(default=None, pattern=r"^[0-9]{6}$", title="行为发生地区划代码")
    other_region: str | None = Field(default=None, pattern=r"^[0-9]{6}$", title="广告发布者所在地区划代码")
    firm_name: Name = Field(default="", max_length=128, title="企业名称")
    firm_address: Name = Field(default="", max_length=256, title="企业地址")
    content: Text = Field(min_length=1, max_length=4000, title="诉求内容")
    complainant_name: Name = Field(default="", max_length=64, title="联系人")
    complainant_phone: str = Field(default="", max_length=32, pattern=r"^[0-9+\- ]*$", title="联系电话")
    complainant_address: Name = Field(default="", max_length=256, title="通讯地址")
    confidential: StrictBool = Field(default=False, title="是否保密")  # "yes" is no boolean

    @field_validator("complainant_phone")
    @classmethod
    def _reachable(cls, value: str) -> str:
        # A 12345 operator sometimes keys in the hotline itself: a number no one can call back is refused.
        if value and len(re.sub(r"\D", "", value)) < 7:
            raise ValueError("联系电话应为手机号码或固定电话（含区号），不能是 12345 等服务热线号码")
        return value

    @field_validator("received_at")
    @classmethod
    def _plausible(cls, value: datetime) -> datetime:
        # A year-1 time overflows when moved to Beijing time; no 工单 predates the platform.
        if value.year < 2000:
            raise ValueError("受理时间应在 2000 年以后")
        if value.year > 2100:
            raise ValueError("受理时间不能晚于现在")
        return value


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
    complainant_address: str
    anonymous: bool
    confidential: bool
    masked: bool
    trade: str
    trade_label: str
    parent_ticket: str | None
    origin: str
    reject_ground: str | None
    notice_due: str | None
    noticed_on: str | None
    mediation: dict[str, Any] | None
    source: str
    state: str
    state_label: str
    department: str | None
    route_rule: str | None
    route_reason: str | None
    next_step: str | None
    next_due: str | None
    overdue: bool
    due: dict[str, str | None]
    provisional: bool
    check_window: list[str] | None
    finding: str | None
    case_decision: str | None
    case_number: str | None
    replied_at: str | None
    reply_channel: str | None
    repeat: bool


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class RerouteIn(_Body):
    department_code: str = Field(min_length=1, max_length=32)
    reason: Text = Field(min_length=1, max_length=256)


class AcceptIn(_Body):
    decision: Literal["受理", "不予受理"] | None = Field(default=None, description="投诉 only; a 举报 goes to 核查")
    ground: Literal["1", "2", "3", "4", "5", "6"] | None = Field(
        default=None, description="不予受理: the item of 第十五条", title="不予受理情形"
    )
    reason: Text = Field(default="", max_length=1000)
    team: list[str] = Field(default_factory=list, max_length=6, description="inspector badge numbers (核查)")
    items: list[str] = Field(default_factory=list, max_length=10, description="inspection item codes (核查)")


class VerifyIn(_Body):
    visited_on: date
    finding: Literal["属实", "部分属实", "不属实"]
    note: Text = Field(min_length=1, max_length=4000, title="核查情况")
    points: dict[str, Literal["符合", "不符合", "不适用", "未检查"]] = Field(default_factory=dict)
    case_decision: Literal["立案", "不予立案"] | None = None
    case_number: Name | None = Field(default=None, max_length=64)


class RectifyIn(_Body):
    reason: Text = Field(min_length=1, max_length=2000)
    legal_basis: Text = Field(default="", max_length=256)
    deadline_days: int = Field(description="working days to correct; the 复查 follows")


class CloseIn(_Body):
    note: Text = Field(min_length=1, max_length=4000, title="办结情况")


class ReplyIn(_Body):
    channel: Literal["电话", "短信", "书面", "平台回复"] = Field(title="答复方式")
    reply: Text = Field(min_length=1, max_length=4000, title="答复内容")


class NoticeIn(_Body):
    """The 实名 reporter told of the 立案 decision, or both parties told of the end of 调解."""

    notified_on: date = Field(title="告知日期")
    channel: Literal["电话", "短信", "书面", "平台回复"] = Field(title="告知方式")


class MediateIn(_Body):
    """A step of 调解: start, 中止 (reason), resume, or end (an agreement with its paper, or a 终止 ground)."""

    action: Literal["start", "suspend", "resume", "agree", "terminate"] = Field(title="调解步骤")
    reason: Literal["recusal", "testing"] | None = Field(default=None, title="中止事由")
    paper: Literal["制作调解书", "调解协议已即时履行", "双方同意不制作调解书"] | None = Field(
        default=None, title="调解书"
    )
    ground: Literal["1", "2", "3", "4", "5", "6", "7"] | None = Field(default=None, title="终止调解情形")
    note: Text = Field(default="", max_length=2000, title="调解情况")


class SpinOffIn(_Body):
    """A 举报 split from a mixed 工单 (第七条) or opened on a 线索 found in 调解 (第二十三条)."""

    origin: Literal["split", "clue"] = Field(title="来源")
    content: Text = Field(min_length=1, max_length=4000, title="举报内容")


class PlatformStatus(BaseModel):
    ticket_no: str
    state: str
    state_label: str
    signed_at: str | None
    accepted_at: str | None
    accept_decision: str | None
    closed_at: str | None
    replied_at: str | None
    reply_channel: str | None
    reply_text: str | None
