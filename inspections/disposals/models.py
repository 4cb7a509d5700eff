"""Tables of the enforcement loop: a result's disposals and the 行政处罚案件 a 移送 opens."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from supervise import clock


class Disposal(SQLModel, table=True):
    """A 后续处置 of a visit's finding: its kind, owner, due date, status and who closed it when."""

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=32, unique=True)
    result_id: int | None = Field(default=None, foreign_key="inspection_result.id", index=True)
    # a visit's finding carries its result and visit; a 投诉举报's 核查 carries its 工单 instead
    target_id: int | None = Field(default=None, foreign_key="draw_target.id", index=True)
    complaint_id: int | None = Field(default=None, foreign_key="complaint.id", index=True)
    enterprise_id: int = Field(foreign_key="enterprise.id", index=True)
    department_id: int = Field(foreign_key="department.id", index=True)  # the owner department
    owner_id: int | None = Field(default=None, foreign_key="inspector.id")  # the inspector who owns it
    kind: str = Field(max_length=16, index=True)  # rules.KINDS
    status: str = Field(default="open", max_length=16, index=True)  # rules.STATUS_LABELS
    reason: str = Field(sa_column=Column(Text, nullable=False))
    legal_basis: str = Field(default="", max_length=256)
    created_at: datetime = Field(default_factory=clock.now)
    created_by: str = Field(max_length=64)
    due: date | None = Field(default=None, index=True)
    closed_at: datetime | None = None
    closed_by: str | None = Field(default=None, max_length=64)
    close_note: str | None = Field(default=None, sa_column=Column(Text))
    # 责令改正: the notice and the 复查 visit inside the window after its deadline
    notice_number: str | None = Field(default=None, max_length=64, unique=True)
    notice_on: date | None = None
    recheck_start: date | None = None
    recheck_end: date | None = None
    recheck_on: date | None = None
    recheck_outcome: str | None = Field(default=None, max_length=8)
    recheck_by: int | None = None  # inspector id
    # 抄告/移交: the receiving department and its acknowledgement
    refer_department_id: int | None = Field(default=None, index=True)
    acked_at: datetime | None = None
    acked_by: str | None = Field(default=None, max_length=64)
    ack_note: str | None = Field(default=None, sa_column=Column(Text))
    # links: the case a 移送 opened, the list entry, the 移送 a failed 复查 escalated to
    case_id: int | None = None
    entry_id: int | None = None
    escalated_to: int | None = None


class EnforcementCase(SQLModel, table=True):
    """A 行政处罚案件 opened from a 移送: 立案, the decision, 送达 and 履行."""

    __tablename__ = "enforcement_case"
    id: int | None = Field(default=None, primary_key=True)
    disposal_id: int = Field(foreign_key="disposal.id", unique=True)
    enterprise_id: int = Field(foreign_key="enterprise.id", index=True)
    department_id: int = Field(foreign_key="department.id", index=True)  # 办案机构
    status: str = Field(default="received", max_length=16, index=True)  # cases.STATUS_LABELS
    received_on: date
    filing_due: date
    points: str = Field(sa_column=Column(Text, nullable=False))  # the 不符合 points and their legal basis
    case_number: str | None = Field(default=None, max_length=64, unique=True)
    filed_on: date | None = None
    not_filed_reason: str | None = Field(default=None, sa_column=Column(Text))
    not_filed_ground: str | None = Field(default=None, max_length=16)  # procedure.NOT_FILING_GROUNDS
    decision_due: date | None = None  # 90 days from 立案 plus approved extensions (行政处罚法 第六十条)
    extension_days: int = 0
    # the 告知 (行政处罚法 第四十四条): what was proposed, whether a 听证 is offered and until when
    inform_number: str | None = Field(default=None, max_length=64, unique=True)
    informed_on: date | None = None  # the 告知书 served
    proposed_kind: str | None = Field(default=None, max_length=16)
    proposed_amount: str | None = Field(default=None, max_length=32)
    hearing_applies: bool = False
    hearing_request_due: date | None = None
    listing_notified: bool = False  # the 严重违法失信 listing's 告知 went with it
    complex_case: bool = False  # 疑难复杂: 法制审核 applies (第五十八条)
    no_penalty_ground: str | None = Field(default=None, max_length=16)  # procedure.NO_PENALTY_GROUNDS
    service_due: date | None = None  # 7 working days from the decision (第六十一条)
    decision_number: str | None = Field(default=None, max_length=64, unique=True)
    decided_on: date | None = None
    penalty_kind: str | None = Field(default=None, max_length=16)  # credit.penalties.KINDS
    penalty_content: str | None = Field(default=None, sa_column=Column(Text))
    amount: str | None = Field(default=None, max_length=32)  # yuan, as decided
    heavy: bool = False  # 较重行政处罚
    served_on: date | None = None
    publication_notified: bool = False  # told in writing at 送达 that the decision will be published (45号令 第八条)
    fulfilled_on: date | None = None
    penalty_id: int | None = None  # the 行政处罚信息 published
    entry_id: int | None = None  # the 严重违法失信 proposal


class CaseStep(SQLModel, table=True):
    """One step of a case's procedure as it happened: its date, what was recorded, who recorded it and when."""

    __tablename__ = "case_step"
    __table_args__ = (UniqueConstraint("case_id", "step", "seq"),)
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="enforcement_case.id", index=True)
    step: str = Field(max_length=24)  # procedure.STEP_NAMES
    seq: int = 1  # an extension may be approved more than once
    on: date
    due: date | None = None
    late: bool = False
    data: str = Field(default="{}", sa_column=Column(Text, nullable=False))  # canonical JSON
    actor: str = Field(max_length=64)
    at: datetime = Field(default_factory=clock.now)


class LenientItem(SQLModel, table=True):
    """One row of a local 轻微违法行为不予处罚清单 (or 首违不罚清单): the violation, its basis and conditions."""

    __tablename__ = "lenient_item"
    id: int | None = Field(default=None, primary_key=True)
    document_number: str = Field(max_length=64, index=True)  # the list's 文号
    issuer: str = Field(max_length=128)
    seq: int
    kind: str = Field(max_length=8)  # procedure.NO_PENALTY_GROUNDS: minor (不予处罚) or first (首违不罚)
    violation: str = Field(sa_column=Column(Text, nullable=False))
    basis: str = Field(sa_column=Column(Text, nullable=False))
    conditions: str = Field(sa_column=Column(Text, nullable=False))
    active: bool = True
    imported_at: datetime = Field(default_factory=clock.now)
    imported_by: str = Field(max_length=64)
