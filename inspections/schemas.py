"""API schemas of the 双随机 module."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from supervise.schemas import USCC, IndustryCode, Name, RegionCode, Text

PointOutcome = Literal["符合", "不符合", "不适用", "未检查"]  # inspections.outcomes.POINT_OUTCOMES


class PointResultIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    point_id: int
    outcome: PointOutcome = Field(title="检查结论")
    note: Text = Field(default="", max_length=1000)


class ResultCorrect(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    category: str = Field(description="one of the standard result categories")
    findings: Text = Field(default="", max_length=4000)
    points: list[PointResultIn] = Field(default=[], description="every 检查要点 of the department's items")


class ResultCreate(ResultCorrect):
    inspected_on: date


class AttachmentUpload(BaseModel):
    """multipart/form-data: up to 5 PDF, PNG or JPEG files of at most 5 MB, optionally for one 检查要点."""

    files: list[bytes]
    point_id: int | None = None


class ResultReturn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    reason: Text = Field(min_length=1, max_length=1000)


class AssignmentPublic(BaseModel):
    target_id: int
    task: str
    task_title: str
    uscc: str
    enterprise_name: str
    region_code: str
    items: list[dict[str, Any]]
    window: dict[str, str]
    team: list[dict[str, str]]
    state: str | None = None
    result: dict[str, Any] | None


class ReviewRow(BaseModel):
    target_id: int
    task: str
    uscc: str
    enterprise_name: str
    category: str
    inspected_on: str
    publish_due: str
    overdue: bool
    working_days_overdue: int
    recorded_late: bool
    state: str
    return_reason: str | None


class PublicResult(BaseModel):
    uscc: str
    enterprise_name: str
    task: str
    task_title: str
    category: str
    inspected_on: str
    published_at: str
    draw: str


class OverduePublication(BaseModel):
    target_id: int
    uscc: str
    enterprise_name: str
    task: str
    publish_due: str
    working_days_overdue: int


CheckMethod = Literal["实地核查", "书面检查", "网络监测", "检验检测", "委托第三方"]  # inspections.models.CHECK_METHODS


class ItemCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    code: str = Field(min_length=2, max_length=32)
    department_kind: str = Field(min_length=2, max_length=16, description="e.g. SCJG, WSJK")
    name: Name = Field(min_length=2, max_length=128)
    legal_basis: Text = Field(min_length=2, max_length=2000)
    scope_industries: list[IndustryCode] = []
    scope_matters: list[str] = Field(default=[], description="licensing matter codes (credit catalogue)")
    method: Name = Field(default="现场检查", max_length=32)
    specialty: Name = Field(default="", max_length=32)
    key_item: StrictBool = Field(default=False, title="重点事项")
    check_methods: list[CheckMethod] = Field(default=[], description="核查方式，可多选")


class ItemUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    name: Name | None = Field(default=None, min_length=2, max_length=128)
    legal_basis: Text | None = Field(default=None, min_length=2, max_length=2000)
    scope_industries: list[IndustryCode] | None = None
    scope_matters: list[str] | None = None
    method: Name | None = Field(default=None, max_length=32)
    specialty: Name | None = Field(default=None, max_length=32)
    key_item: StrictBool | None = Field(default=None, title="重点事项")
    active: StrictBool | None = Field(default=None, title="是否启用")
    check_methods: list[CheckMethod] | None = None


class ItemPublic(BaseModel):
    code: str
    department_kind: str
    name: str
    legal_basis: str
    scope_industries: list[str]
    scope_matters: list[str]
    method: str
    specialty: str
    key_item: StrictBool
    active: bool
    check_methods: list[str] = []


class CheckPointPublic(BaseModel):
    seq: int
    text: str
    legal_basis: str
    criterion: str
    severity: str
    discretion_ref: str | None


class ItemDetail(ItemPublic):
    """An item with its 检查要点 (supervise item show CODE --json, GET /api/items/CODE)."""

    points: list[CheckPointPublic]


class PlanCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    code: str = Field(min_length=2, max_length=32)
    department_code: str
    title: Name = Field(min_length=2, max_length=128)
    year: int = Field(ge=2000, le=2100)
    quarter: int | None = Field(default=None, ge=1, le=4)


class PopulationFilter(BaseModel):
    """定向抽查: draw at random among the firms of these industries and regions only (both optional)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    industries: list[IndustryCode] = Field(default=[], max_length=50, description="GB/T 4754 门类 or 大类, e.g. C14")
    regions: list[RegionCode] = Field(default=[], max_length=100, description="county or township codes")


class TaskCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    code: str = Field(min_length=2, max_length=32)
    plan_code: str
    title: Name = Field(min_length=2, max_length=128)
    region_code: str
    department_codes: list[str] = Field(min_length=1)
    item_codes: list[str] = Field(min_length=1)
    window_start: date
    window_end: date
    ratios: dict[str, str] = Field(description="tier -> decimal ratio, e.g. {'A': '0.01', 'D': '0.3'}")
    sample_count: int | None = Field(default=None, ge=1, title="抽取户数")
    team_size: int = Field(default=2, ge=2, le=10)
    max_per_inspector: int = Field(default=20, ge=1, le=1000, title="每名检查人员最多组数")
    directed: StrictBool = Field(default=False, title="定向抽查")
    residence_rule: StrictBool = Field(default=True, title="居住地回避")
    population_filter: PopulationFilter | None = Field(
        default=None,
        description="定向抽查: a random draw within firms of these industries or regions",
        title="定向范围",
    )
    assignment: Literal["territorial", "cross_office"] = Field(
        default="territorial", description="属地 (territorial) or 所所交叉 (cross_office): not in one's own post's area"
    )


class TaskPublic(BaseModel):
    code: str
    plan: str
    title: str
    status: str
    definition: dict[str, Any]
    commitments: list[dict[str, Any]]
    freeze: dict[str, Any] | None = Field(
        default=None, description="the published freeze (docs/draw-algorithm.md §10.2)"
    )
    frozen_at: str | None = Field(
        default=None, description="when the freeze and its digest were first shown here (before any reveal)"
    )
    draw: str | None


class ConflictCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    uscc: USCC
    relation: Name = Field(min_length=1, max_length=64)


class CalendarOverrideSet(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    day: date
    working: StrictBool
    note: Name = Field(default="", max_length=64)
