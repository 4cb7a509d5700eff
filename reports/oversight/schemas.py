"""API schemas of the 督查 follow-up."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from supervise.schemas import Name, Text


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class NoticeIn(_Body):
    """A 督查通报 (and, with days, a 整改通知) about a unit the period's metrics flag as lagging."""

    region_code: str = Field(min_length=6, max_length=12)
    period: str = Field(pattern=r"^\d{4}Q[1-4]$")
    unit_kind: Literal["department", "region"]
    unit_code: str = Field(min_length=1, max_length=32)
    department_code: str = Field(min_length=1, max_length=64, description="the department that answers: code or name")
    main_to: Name = Field(min_length=1, max_length=256)
    copy_to: Name = Field(default="", max_length=512)
    requirement: Text = Field(min_length=1, max_length=2000)
    days: int | None = Field(default=None, description="working days for the 整改通知; none: a 通报 only")
    approved_by: Name = Field(
        min_length=1, max_length=64, title="批准机关或批准人", description="政府督查工作条例 第二十一条"
    )
    approved_on: date = Field(title="批准日期")
    approval_ref: Name = Field(min_length=1, max_length=64, title="批准文件文号或签批单编号")


class RectifyIn(_Body):
    """A 整改通知 on its own, possibly following an issued 通报."""

    region_code: str = Field(min_length=6, max_length=12)
    period: str = Field(pattern=r"^\d{4}Q[1-4]$")
    unit_kind: Literal["department", "region"]
    unit_code: str = Field(min_length=1, max_length=32)
    department_code: str = Field(min_length=1, max_length=64)
    requirement: Text = Field(min_length=1, max_length=2000)
    days: int = 20
    notice: str = Field(default="", max_length=32)


class VerdictIn(_Body):
    reason: Text = Field(default="", max_length=2000)


class InterviewIn(_Body):
    held_on: date
    participants: Name = Field(min_length=1, max_length=512, title="参加约谈人员")
    minutes: Text = Field(min_length=1, max_length=4000)
    days: int = 10


class AccountabilityIn(_Body):
    recipient: Literal["纪检监察机关", "任免机关"]
    proposal: Text = Field(min_length=1, max_length=4000)
    approved_by: Name = Field(
        min_length=1, max_length=64, title="批准机关或批准人", description="政府督查工作条例 第二十一条"
    )
    approved_on: date = Field(title="批准日期")
    approval_ref: Name = Field(min_length=1, max_length=64, title="批准文件文号或签批单编号")


class ReportIn(_Body):
    report_text: Text = Field(min_length=1, max_length=8000)


class DecisionPublic(BaseModel):
    id: int
    kind: str
    label: str
    state: str
    number: str | None
    result: str | None
    payload: dict[str, Any]


class ItemPublic(BaseModel):
    number: str
    notice_id: int | None
    period: str
    region_code: str
    unit: dict[str, str]
    department: str
    reasons: list[str]
    requirement: str
    issued_on: str
    due: str
    overdue: bool
    status: str
    status_label: str
    reports: list[dict[str, Any]]
    triggers: list[str]
    escalation: str | None
    interview: dict[str, Any] | None
    accountability: dict[str, Any] | None
    recheck: list[dict[str, Any]]
    recovered: bool | None


class ReviewRequestIn(_Body):
    received_on: date = Field(title="收到督查结论日期")
    reasons: Text = Field(min_length=1, max_length=4000, title="申请复核的事实和理由")


class ReviewDecisionIn(_Body):
    outcome: Literal["upheld", "changed", "revoked"] = Field(title="复核决定", description="维持、变更或撤销督查结论")
    decision: Text = Field(min_length=1, max_length=4000, title="复核决定的理由")
