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
    # Where it is handled (办法第十二、二十五、二十七、二十八条): how the firm trades, the place of the act and
    # the other place a rule may name (the 广告发布者's); 区划代码.
    trade: str = Field(default="", max_length=16)
    act_region: str | None = Field(default=None, max_length=6)
    other_region: str | None = Field(default=None, max_length=6)
    # A 举报 split from a mixed 工单 (第七条) or born of a 线索 found in 调解 (第二十三条) names its 工单.
    parent_ticket: str | None = Field(default=None, max_length=64, index=True)
    origin: str = Field(default="", max_length=8)  # "" | split | clue
    # Personal data: shown only to the handling officer and the 督查室, masked elsewhere, never public.
    complainant_name: str = Field(default="", max_length=64)
    complainant_phone: str = Field(default="", max_length=32)
    complainant_address: str = Field(default="", max_length=256)
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
    # 转办: the handling department, the rule (or "manual" with the override's reason) that chose it
    department_id: int | None = Field(default=None, foreign_key="department.id", index=True)
    route_rule: str | None = Field(default=None, max_length=128)
    route_reason: str | None = Field(default=None, max_length=256)
    handler_id: int | None = Field(default=None, foreign_key="user.id", index=True)  # who signed it
    signed_at: datetime | None = None
    accepted_at: datetime | None = None
    accept_decision: str | None = Field(default=None, max_length=8)  # 受理 | 不予受理 | 核查
    reject_reason: str | None = Field(default=None, sa_column=Column(Text))
    reject_ground: str | None = Field(default=None, max_length=2)  # 第十五条第（n）项
    # 核查: a directed visit of the firm by a team of the handling department, inside a window
    check_start: date | None = None
    check_end: date | None = None
    check_team: str = Field(default="", max_length=256)  # inspector badge numbers, comma-separated
    check_items: str = Field(default="", max_length=256)  # inspection item codes, comma-separated
    verified_on: date | None = None
    finding: str | None = Field(default=None, max_length=8)  # 属实 | 部分属实 | 不属实
    finding_note: str | None = Field(default=None, sa_column=Column(Text))
    points_json: str | None = Field(default=None, sa_column=Column(Text))  # {point id: outcome}
    case_decision: str | None = Field(default=None, max_length=8)  # 举报: 立案 | 不予立案
    case_number: str | None = Field(default=None, max_length=64)
    case_decided_on: date | None = None
    # 实名举报: the reporter is told of the 立案 decision within 5 working days (第三十一条第二款)
    notice_due: date | None = None
    noticed_on: date | None = None
    notice_channel: str | None = Field(default=None, max_length=16)
    # 调解 (第十六条至第二十二条): its state, its 45-working-day limit (moved by time not counted), how it ended
    mediation_state: str = Field(default="", max_length=12)
    mediation_due: date | None = None
    suspended_on: date | None = None
    suspend_reason: str | None = Field(default=None, max_length=8)  # recusal | testing
    mediation_ground: str | None = Field(default=None, max_length=2)  # 第二十一条第一款第（n）项
    mediation_paper: str | None = Field(default=None, max_length=16)  # 第二十二条
    mediation_ended_on: date | None = None
    end_notice_due: date | None = None
    end_noticed_on: date | None = None
    closed_at: datetime | None = None
    close_note: str | None = Field(default=None, sa_column=Column(Text))
    replied_at: datetime | None = None
    reply_channel: str | None = Field(default=None, max_length=16)
    reply_text: str | None = Field(default=None, sa_column=Column(Text))
