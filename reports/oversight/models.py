"""Tables of the 督查 follow-up: the 督查通报, the 整改 items with their reports, and the four-eyes decisions."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from supervise import clock


class OversightNotice(SQLModel, table=True):
    """A 督查通报 about one lagging unit: 文号, 主送, 抄送, the evidence and the requirement."""

    __tablename__ = "oversight_notice"
    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=32, unique=True)  # 文号
    region_code: str = Field(foreign_key="region.code", index=True)
    period: str = Field(max_length=8, index=True)
    unit_kind: str = Field(max_length=12)  # department | region
    unit_code: str = Field(max_length=32, index=True)
    unit_name: str = Field(max_length=64)
    main_to: str = Field(max_length=256)  # 主送
    copy_to: str = Field(default="", max_length=512)  # 抄送
    reasons_json: str = Field(sa_column=Column(Text, nullable=False))  # the lagging flags with their evidence
    requirement: str = Field(sa_column=Column(Text, nullable=False))
    issuer: str = Field(max_length=64)
    issued_at: datetime = Field(default_factory=clock.now)
    proposed_by: str = Field(max_length=64)
    confirmed_by: str = Field(max_length=64)
    department_id: int | None = Field(default=None, foreign_key="department.id", index=True)  # who answers
    # A critical 通报 goes out after the 本级人民政府 or its head approved it (政府督查工作条例 第二十一条)
    approved_by: str | None = Field(default=None, max_length=64)
    approved_on: date | None = None
    approval_ref: str | None = Field(default=None, max_length=64)
    revoked_on: date | None = None  # the 复核 revoked the 结论 (第十七条)


class Rectification(SQLModel, table=True):
    """A 整改通知 to a department with its deadline, its reports, its escalation and the next period's re-check."""

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=32, unique=True)  # 文号 of the 整改通知
    notice_id: int | None = Field(default=None, foreign_key="oversight_notice.id")
    region_code: str = Field(foreign_key="region.code", index=True)
    period: str = Field(max_length=8, index=True)
    unit_kind: str = Field(max_length=12)
    unit_code: str = Field(max_length=32, index=True)
    unit_name: str = Field(max_length=64)
    department_id: int = Field(foreign_key="department.id", index=True)  # whose account answers it
    reasons_json: str = Field(sa_column=Column(Text, nullable=False))
    requirement: str = Field(sa_column=Column(Text, nullable=False))
    issued_on: date
    due: date = Field(index=True)
    status: str = Field(default="open", max_length=12, index=True)  # rules.STATUS_LABELS
    accepted_on: date | None = None
    interview_on: date | None = None
    interview_participants: str | None = Field(default=None, max_length=512)
    interview_minutes: str | None = Field(default=None, sa_column=Column(Text))
    interview_due: date | None = None
    accountability_on: date | None = None
    accountability_to: str | None = Field(default=None, max_length=16)
    accountability_text: str | None = Field(default=None, sa_column=Column(Text))
    accountability_approved_by: str | None = Field(default=None, max_length=64)
    accountability_approved_on: date | None = None
    accountability_approval_ref: str | None = Field(default=None, max_length=64)
    # The unit's rates in the next period, once that period has data: {"period", "flagged", "rules", "rates"}
    recheck_json: str | None = Field(default=None, sa_column=Column(Text))
    created_by: str = Field(max_length=64)


class RectificationReport(SQLModel, table=True):
    """A 整改报告 a unit submitted, and the 督查室's verdict on it."""

    __tablename__ = "rectification_report"
    id: int | None = Field(default=None, primary_key=True)
    rectification_id: int = Field(foreign_key="rectification.id", index=True)
    text: str = Field(sa_column=Column(Text, nullable=False))
    attachments_json: str = Field(default="[]", sa_column=Column(Text, nullable=False))
    submitted_at: datetime = Field(default_factory=clock.now)
    submitted_by: str = Field(max_length=64)
    outcome: str | None = Field(default=None, max_length=8)  # accepted | returned
    outcome_reason: str | None = Field(default=None, sa_column=Column(Text))
    decided_on: date | None = None


class OversightDecision(SQLModel, table=True):
    """A 督查室 decision proposed by one member and confirmed by another (four eyes) before it takes effect."""

    __tablename__ = "oversight_decision"
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16, index=True)  # rules.DECISION_LABELS
    rectification_id: int | None = Field(default=None, foreign_key="rectification.id", index=True)
    payload: str = Field(sa_column=Column(Text, nullable=False))  # what takes effect on confirmation
    state: str = Field(default="pending", max_length=12, index=True)
    proposed_by: int = Field(foreign_key="user.id")
    proposed_at: datetime = Field(default_factory=clock.now)
    confirmed_by: int | None = Field(default=None, foreign_key="user.id")
    confirmed_at: datetime | None = None
    result: str | None = Field(default=None, max_length=32)  # the number of what it created


class OversightReview(SQLModel, table=True):
    """A unit's request for 复核 of a 督查结论 (a 通报) and its decision (政府督查工作条例 第十七条)."""

    __tablename__ = "oversight_review"
    id: int | None = Field(default=None, primary_key=True)
    notice_id: int = Field(foreign_key="oversight_notice.id", unique=True)  # one request per 结论
    received_on: date  # the unit received the 结论
    requested_on: date
    reasons: str = Field(sa_column=Column(Text, nullable=False))
    requested_by: str = Field(max_length=64)
    decision_due: date  # 30 days from the request
    decided_on: date | None = None
    outcome: str | None = Field(default=None, max_length=8)  # reviews.OUTCOMES
    decision: str | None = Field(default=None, sa_column=Column(Text))
    decided_by: str | None = Field(default=None, max_length=64)
