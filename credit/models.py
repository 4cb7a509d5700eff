"""Tables of the credit module: list types (rules as data), entries and their history, measures, checks."""

from __future__ import annotations

import json
from datetime import date, datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from credit.rules import ListRule
from supervise import clock


class ListType(SQLModel, table=True):
    """A credit list (严重失信主体名单, 经营异常名录, 红名单 …) with its rules as JSON data."""

    __tablename__ = "list_type"
    code: str = Field(primary_key=True, max_length=32)
    name: str = Field(max_length=64)
    kind: str = Field(max_length=16)  # black | abnormal | red
    rules: str = Field(sa_column=Column(Text, nullable=False))  # JSON, see credit.rules.ListRule.from_data

    def rule(self) -> ListRule:
        """The list type's rules as the pure credit.rules code uses them."""
        return ListRule.from_data(self.code, self.name, self.kind, json.loads(self.rules))


class ListEntry(SQLModel, table=True):
    """One firm on one list, moving through due process (see credit.rules.TRANSITIONS)."""

    __tablename__ = "list_entry"
    id: int | None = Field(default=None, primary_key=True)
    enterprise_id: int = Field(foreign_key="enterprise.id", index=True)
    list_type: str = Field(foreign_key="list_type.code", index=True)
    state: str = Field(max_length=16, index=True)
    reason: str = Field(sa_column=Column(Text, nullable=False))
    legal_basis: str = Field(max_length=256)
    department_id: int = Field(foreign_key="department.id")
    decision_number: str | None = Field(default=None, max_length=64)  # 文号
    evidence: str = Field(default="", sa_column=Column(Text, nullable=False))
    public_summary: str = Field(max_length=512)
    found_on: date  # the finding that started the procedure
    decision_due: date  # decide by this date (the ground's deadline; with the penalty decision for 严重违法失信)
    proposed_by: int | None = Field(default=None, foreign_key="user.id")  # None: proposed by the system
    proposed_at: datetime = Field(default_factory=clock.now)
    notified_on: date | None = None
    statement_due: date | None = None
    statement_received: bool = False
    approved_by: int | None = Field(default=None, foreign_key="user.id")
    listed_on: date | None = None
    expires_on: date | None = None
    objection: str | None = Field(default=None, sa_column=Column(Text))
    objected_on: date | None = None
    objection_due: date | None = None
    objection_answered_on: date | None = None
    repair_applied_on: date | None = None
    repair_commitment: bool = False
    ended_on: date | None = None
    end_reason: str | None = Field(default=None, max_length=256)
    source_target_id: int | None = Field(default=None, foreign_key="draw_target.id")
    # Added with the rules of docs/credit.md (migration 0012).
    ground: str | None = Field(default=None, max_length=32)  # the list type's ground code (列入事由)
    notified_by: int | None = Field(default=None)
    statement: str | None = Field(default=None, sa_column=Column(Text))  # what the firm said (陈述申辩)
    order_number: str | None = Field(default=None, max_length=64)  # 责令限期公示通知书文号
    order_due: date | None = None  # the 责令 deadline; the decision counts from it
    penalty_number: str | None = Field(default=None, max_length=64)  # 行政处罚决定书文号
    penalty_on: date | None = None
    penalty_field: str | None = Field(default=None, max_length=16)  # 食品, 药品, 特种设备 …
    higher_approval_required: bool = False  # 上一级市场监管部门同意
    higher_approved_by: int | None = Field(default=None)
    higher_approved_on: date | None = None
    objection_by: int | None = Field(default=None)  # registered by (None: online)
    objection_accept_due: date | None = None
    objection_accepted_on: date | None = None
    repair_by: int | None = Field(default=None)  # registered by (None: online)
    repair_due: date | None = None
    repair_conditions: str | None = Field(default=None, sa_column=Column(Text))  # JSON: code -> evidence
    review_kind: str | None = Field(default=None, max_length=8)  # 行政复议 | 行政诉讼
    review_filed_on: date | None = None
    review_result: str | None = Field(default=None, max_length=256)


class EntryEvent(SQLModel, table=True):
    """Who moved an entry from which state to which, when and why."""

    __tablename__ = "list_entry_event"
    id: int | None = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="list_entry.id", index=True)
    at: datetime = Field(default_factory=clock.now)
    actor: str = Field(max_length=64)
    action: str = Field(max_length=32)
    from_state: str | None = Field(default=None, max_length=16)
    to_state: str = Field(max_length=16)
    note: str = Field(default="", sa_column=Column(Text, nullable=False))


class LicenseMatter(SQLModel, table=True):
    """A 许可事项 that licensing windows check against."""

    __tablename__ = "license_matter"
    code: str = Field(primary_key=True, max_length=32)
    name: str = Field(max_length=64)
    department_kind: str = Field(max_length=16)


class SanctionMeasure(SQLModel, table=True):
    """A 联合奖惩措施: what a list type means for a licensing matter ('*' = every matter)."""

    __tablename__ = "sanction_measure"
    id: int | None = Field(default=None, primary_key=True)
    list_type: str = Field(foreign_key="list_type.code", index=True)
    matter: str = Field(max_length=32)
    effect: str = Field(max_length=32)
    text: str = Field(max_length=128)
    legal_basis: str = Field(max_length=256)
    ground: str | None = Field(default=None, max_length=32)  # only entries on this ground (None: all)
    field: str | None = Field(default=None, max_length=16)  # only penalties in this field (None: all)


class LicensingCheck(SQLModel, table=True):
    """A licensing window's question and the system's answer, kept for 联合惩戒落实."""

    __tablename__ = "licensing_check"
    id: int | None = Field(default=None, primary_key=True)
    public_id: str = Field(max_length=32, unique=True)
    enterprise_id: int = Field(foreign_key="enterprise.id", index=True)
    matter: str = Field(foreign_key="license_matter.code")
    decision: str = Field(max_length=32, index=True)
    response: str = Field(sa_column=Column(Text, nullable=False))  # the JSON answer as given
    checked_by: int | None = Field(default=None, foreign_key="user.id")  # None: from the command line
    checked_at: datetime = Field(default_factory=clock.now)
    outcome_granted: bool | None = None
    outcome_measures: str | None = Field(default=None, max_length=512)  # comma-separated effects applied
    outcome_reported_at: datetime | None = None
    breach: bool = Field(default=False, index=True)


class CreditApplication(SQLModel, table=True):
    """A firm's online 异议 or 信用修复 (移出) application, until an officer registers it into due process."""

    __tablename__ = "credit_application"
    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=20, unique=True)  # the firm's receipt: with its USCC it opens the status page
    kind: str = Field(max_length=16)  # objection | repair
    entry_id: int = Field(foreign_key="list_entry.id", index=True)
    uscc: str = Field(max_length=18)
    # Personal data: only credit officers see them, never the status page.
    contact_name: str = Field(max_length=64)
    contact_phone: str = Field(max_length=32)
    reason: str = Field(sa_column=Column(Text, nullable=False))
    conditions: str | None = Field(default=None, sa_column=Column(Text))  # JSON: condition code -> evidence
    commitment: bool = False
    attachments: str = Field(default="[]", sa_column=Column(Text, nullable=False))  # JSON (supervise.attachments)
    received_at: datetime = Field(default_factory=clock.now)
    register_due: date  # the statutory first decision is due by then
    status: str = Field(max_length=16, index=True)  # submitted | registered | returned
    handled_by: int | None = Field(default=None, foreign_key="user.id")
    handled_at: datetime | None = None
    answer: str | None = Field(default=None, sa_column=Column(Text))  # why it was returned


class PenaltyInfo(SQLModel, table=True):
    """行政处罚信息 in public display: a penalty decision, its publication and its (early) end."""

    __tablename__ = "penalty_info"
    id: int | None = Field(default=None, primary_key=True)
    enterprise_id: int = Field(foreign_key="enterprise.id", index=True)
    department_id: int = Field(foreign_key="department.id")  # the deciding authority
    decision_number: str = Field(max_length=64, unique=True)  # 行政处罚决定书文号
    decided_on: date
    kind: str = Field(max_length=8)  # light | ordinary | heavy (较重); a warning alone is never published
    field: str | None = Field(default=None, max_length=16)  # 食品, 药品, 特种设备 …
    content: str = Field(sa_column=Column(Text, nullable=False))  # 违法行为与处罚内容, as published
    published_on: date
    publish_due: date  # 20 working days after the decision
    display_until: date
    state: str = Field(max_length=16, index=True)  # published | stop_applied | stopped | ended | withdrawn
    recorded_by: int | None = Field(default=None, foreign_key="user.id")
    stop_applied_on: date | None = None
    stop_by: int | None = Field(default=None, foreign_key="user.id")
    stop_conditions: str | None = Field(default=None, sa_column=Column(Text))
    stop_decided_on: date | None = None
    stop_decided_by: int | None = Field(default=None, foreign_key="user.id")
    stop_note: str | None = Field(default=None, sa_column=Column(Text))
    restricted_until: date | None = None  # a restriction running longer than the display (45号令 第十三条第三款)
    withdrawn_on: date | None = None  # 撤回 (第十一条)
    withdraw_due: date | None = None
    withdraw_reason: str | None = Field(default=None, sa_column=Column(Text))
    withdrawn_by: int | None = Field(default=None, foreign_key="user.id")


class PersonBar(SQLModel, table=True):
    """A bar the law attaches to a penalty decision itself, not to any list entry: 食品安全法 第一百三十五条 (the
    firm and its responsible persons, 5 years) and 公司法 第一百七十八条第一款第（四）项 (the legal representative
    with personal responsibility, 3 years), counted from the decision."""

    __tablename__ = "person_bar"
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=8, index=True)  # credit.bars.BARS
    decision_number: str = Field(max_length=64, index=True)
    decided_on: date
    until: date = Field(index=True)  # the bar runs before this day
    enterprise_id: int = Field(foreign_key="enterprise.id", index=True)  # the firm penalised
    role: str = Field(max_length=16)  # 经营者 (the firm itself), 法定代表人, 直接负责的主管人员, 其他直接责任人员
    name: str = Field(max_length=64)
    id_number: str | None = Field(default=None, max_length=18, index=True)  # never shown; None for the firm
    recorded_by: str = Field(max_length=64)
    recorded_at: datetime = Field(default_factory=clock.now)
