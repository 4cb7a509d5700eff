"""Domain core tables shared by every module: regions, departments, market entities, licences,
inspectors, user accounts, API tokens, the audit log and the reminders (outbox and inbox)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from supervise import clock

ROLES = (
    "inspector", "reviewer", "credit_officer", "licensing_officer", "supervisor", "auditor", "hotline", "unit", "admin",
)  # fmt: skip


class Region(SQLModel, table=True):
    """An administrative division (行政区划) with its official code."""

    code: str = Field(primary_key=True, max_length=12)
    name: str = Field(max_length=64)
    level: str = Field(max_length=16, index=True)
    parent_code: str | None = Field(default=None, foreign_key="region.code", index=True)


class Department(SQLModel, table=True):
    """A government department (部门) at one level for one region."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True)
    name: str = Field(max_length=64)
    kind: str = Field(max_length=16, index=True)  # stable short code, e.g. SCJG for 市场监管
    level: str = Field(max_length=4)
    region_code: str = Field(foreign_key="region.code", index=True)
    doc_prefix: str | None = Field(default=None, max_length=16)  # 发文机关代字 of its papers' 文号 (杭上市监)


class Enterprise(SQLModel, table=True):
    """A market entity (市场主体) identified by its 统一社会信用代码."""

    id: int | None = Field(default=None, primary_key=True)
    uscc: str = Field(max_length=18, unique=True)
    name: str = Field(max_length=128, index=True)
    legal_rep_name: str = Field(max_length=64, index=True)
    # Personal data: never serialized into public views (EnterprisePublic omits it).
    legal_rep_id_number: str | None = Field(default=None, max_length=18, index=True)  # related parties
    region_code: str = Field(foreign_key="region.code", index=True)
    township_code: str | None = Field(default=None, foreign_key="region.code", index=True)
    industry_code: str = Field(max_length=3, index=True)
    registered_on: date
    status: str = Field(default="存续", max_length=4, index=True)
    # 信用风险分类 A (low) .. D (high); the credit module recomputes it, B until then.
    risk_tier: str = Field(default="B", max_length=1, index=True)


class EnterpriseOfficer(SQLModel, table=True):
    """A 董事, 监事 or 高级管理人员 of a market entity (the legal representative is on the entity itself)."""

    __tablename__ = "enterprise_officer"
    id: int | None = Field(default=None, primary_key=True)
    enterprise_id: int = Field(foreign_key="enterprise.id", index=True)
    role: str = Field(max_length=8)  # 董事 | 监事 | 高级管理人员
    name: str = Field(max_length=64)
    # Personal data: never serialized into public views.
    id_number: str = Field(max_length=18, index=True)


class License(SQLModel, table=True):
    """An administrative licence (行政许可) held by an enterprise."""

    id: int | None = Field(default=None, primary_key=True)
    enterprise_id: int = Field(foreign_key="enterprise.id", index=True)
    matter_code: str = Field(max_length=32, index=True)
    matter_name: str = Field(max_length=64)
    department_id: int = Field(foreign_key="department.id", index=True)
    issued_on: date
    expires_on: date | None = None
    check_id: str | None = Field(default=None, max_length=32)  # the licensing check it followed (public id)
    unchecked: bool = False  # 未查询即许可: no check of this firm and matter before issue


class User(SQLModel, table=True):
    """A login account with exactly one role."""

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=64, unique=True)
    display_name: str = Field(max_length=64)
    password_hash: str = Field(max_length=256)
    role: str = Field(max_length=32, index=True)
    department_id: int | None = Field(default=None, foreign_key="department.id")
    active: bool = True
    created_at: datetime = Field(default_factory=clock.now)


class Inspector(SQLModel, table=True):
    """A law-enforcement inspector (执法检查人员) with a unique 执法证号."""

    id: int | None = Field(default=None, primary_key=True)
    badge_no: str = Field(max_length=32, unique=True)
    name: str = Field(max_length=64)
    department_id: int = Field(foreign_key="department.id", index=True)
    region_code: str = Field(foreign_key="region.code", index=True)
    residence_township_code: str | None = Field(default=None, foreign_key="region.code")
    # The township of the inspector's post (市场监管所 etc.), for 所所交叉; none means the county office.
    office_township_code: str | None = Field(default=None, max_length=12)
    specialties: str = Field(default="", max_length=256)  # comma-separated specialty codes
    active: bool = True
    user_id: int | None = Field(default=None, foreign_key="user.id", unique=True)


class ApiToken(SQLModel, table=True):
    """A bearer token for systems calling the JSON API; only its SHA-256 is stored."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    name: str = Field(max_length=64)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=clock.now)
    revoked: bool = False


class AuditLog(SQLModel, table=True):
    """One append-only, hash-chained audit row (see supervise.auditchain)."""

    __tablename__ = "audit_log"
    __table_args__ = (
        # A fork (two rows claiming the same predecessor) is impossible by construction.
        UniqueConstraint("prev_hash", name="uq_audit_log_prev_hash"),
        Index("ix_audit_log_object", "object_type", "object_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime
    actor: str = Field(max_length=64)
    action: str = Field(max_length=64, index=True)
    object_type: str = Field(max_length=64)
    object_id: str = Field(max_length=64)
    payload: str = Field(sa_column=Column(Text, nullable=False))
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64, unique=True)


class CalendarOverride(SQLModel, table=True):
    """An administrator-entered official working or non-working day (a holiday or a 调休 working day)."""

    __tablename__ = "calendar_override"
    day: date = Field(primary_key=True)
    working: bool
    note: str = Field(default="", max_length=64)


class CalendarYear(SQLModel, table=True):
    """A year's official holiday arrangement as entered from the State Council notice."""

    __tablename__ = "calendar_year"
    year: int = Field(primary_key=True)
    notice: str = Field(default="", max_length=128)  # e.g. 国办发明电〔2025〕7号
    complete: bool = False  # only a complete year counts as official; until then deadlines are provisional
    updated_at: datetime = Field(default_factory=clock.now)
    updated_by: str = Field(default="", max_length=64)


class AuditAnchor(SQLModel, table=True):
    """The audit chain's head and length when a report, a draw or the daily job fixed it (also kept in files)."""

    __tablename__ = "audit_anchor"
    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=clock.now)
    source: str = Field(max_length=64)
    head_id: int = Field(index=True)
    head_hash: str = Field(max_length=64)
    rows: int


class Outbox(SQLModel, table=True):
    """A reminder to send: once per user and key (a to-do kind and day), delivered to the inbox and the webhook."""

    __table_args__ = (UniqueConstraint("user_id", "key"),)
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    key: str = Field(max_length=128)
    title: str = Field(max_length=256)
    body: str = Field(sa_column=Column(Text, nullable=False))
    url: str = Field(default="", max_length=256)
    created_at: datetime = Field(default_factory=clock.now)
    delivered_at: datetime | None = Field(default=None, index=True)  # copied to the inbox
    webhook_state: str = Field(default="", max_length=8)  # "" none configured | pending | claimed | sent
    webhook_attempts: int = 0
    webhook_sent_at: datetime | None = None
    webhook_error: str | None = Field(default=None, max_length=256)


class InboxMessage(SQLModel, table=True):
    """A reminder in the user's in-app inbox (one per outbox row)."""

    __tablename__ = "inbox_message"
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    outbox_id: int = Field(foreign_key="outbox.id", unique=True)
    title: str = Field(max_length=256)
    body: str = Field(sa_column=Column(Text, nullable=False))
    url: str = Field(default="", max_length=256)
    created_at: datetime = Field(default_factory=clock.now)
    read_at: datetime | None = None
