"""API schemas of the enforcement loop."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from supervise.schemas import Text

Kind = Literal["none", "rectify", "case", "refer", "abnormal"]  # inspections.disposals.rules.KINDS


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class DisposalCreate(Strict):
    kind: Kind = Field(
        description="none 无需处置, rectify 责令改正, case 移送案件线索, refer 抄告/移交, abnormal 经营异常",
        title="处置方式",
    )
    reason: Text = Field(min_length=1, max_length=2000)
    legal_basis: Text = Field(default="", max_length=256)
    deadline_days: int | None = Field(default=None, description="责令改正: the deadline in working days")
    refer_department: str | None = Field(
        default=None, max_length=32, description="抄告: the receiving department's code"
    )


class RecheckCreate(Strict):
    outcome: Literal["已改正", "未改正"]
    checked_on: date
    note: Text = Field(default="", max_length=2000)


class AckCreate(Strict):
    note: Text = Field(default="", max_length=2000)


class CaseFile(Strict):
    case_number: str = Field(min_length=1, max_length=64)
    filed_on: date


class CaseNotFile(Strict):
    reason: Text = Field(min_length=1, max_length=2000)


class CaseDecide(Strict):
    decision_number: str = Field(min_length=1, max_length=64)
    decided_on: date
    penalty_kind: Literal["warning", "light", "ordinary", "heavy"] = Field(
        title="处罚种类", description="warning: 仅警告（不予公示）；light: 通报批评或较低数额罚款"
    )
    content: Text = Field(min_length=1, max_length=2000)
    amount: str | None = Field(default=None, max_length=32)
    serious_ground: StrictBool = Field(default=False, description="属于总局令第44号规定的列入情形")
    field: str | None = Field(default=None, max_length=16, description="处罚领域：食品、药品、特种设备…")
    restricted_until: date | None = Field(
        default=None,
        title="限制期限届满日",
        description="限制开展生产经营活动或限制从业的期限届满日（超过三年的按实际期限公示）",
    )


class CaseDay(Strict):
    on: date


class CaseServe(CaseDay):
    publication_notified: StrictBool = Field(
        default=False,
        title="已书面告知将公示",
        description="送达时已书面告知当事人行政处罚信息将向社会公示（总局令第45号第八条）",
    )


class DisposalPublic(BaseModel):
    number: str
    id: int
    kind: str
    kind_label: str
    status: str
    status_label: str
    uscc: str
    enterprise_name: str
    department: str
    reason: str
    legal_basis: str
    due: str | None
    overdue: bool
    closed_at: str | None
    closed_by: str | None
    close_note: str | None
    result: dict[str, Any]
    notice_number: str | None
    recheck: dict[str, Any] | None
    refer_department: str | None
    acked_at: str | None
    case: dict[str, Any] | None
    entry_id: int | None
    escalated_to: int | None
