"""Tables of the 双随机 module: items, plans, tasks, commit-reveal participants, draws, assignments, results."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Text, UniqueConstraint
from sqlalchemy.orm import deferred
from sqlmodel import Field, SQLModel

from inspections.outcomes import CATEGORIES
from supervise import clock

METHODS = ("现场检查", "书面检查", "网络监测")
RESULT_CATEGORIES = tuple(name for name, _problem in CATEGORIES)


TASK_STATUS_LABELS = {"draft": "草稿", "committing": "收集承诺中", "frozen": "已冻结", "drawn": "已抽取"}


class InspectionItem(SQLModel, table=True):
    """An entry of a department's 抽查事项清单."""

    __tablename__ = "inspection_item"
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True)
    department_kind: str = Field(max_length=16, index=True)
    name: str = Field(max_length=128)
    legal_basis: str = Field(sa_column=Column(Text, nullable=False))
    scope_industries: str = Field(default="", max_length=256)  # comma-separated GB/T 4754 codes; "" = all
    scope_matters: str = Field(default="", max_length=256)  # comma-separated licence matter codes
    method: str = Field(default="现场检查", max_length=8)
    specialty: str = Field(default="", max_length=32)
    key_item: bool = False  # 重点检查事项: any ratio allowed
    active: bool = True
    check_methods: str = Field(default="", max_length=128)  # comma-separated 核查方式 (CHECK_METHODS)


CHECK_METHODS = ("实地核查", "书面检查", "网络监测", "检验检测", "委托第三方")
SEVERITIES = ("一般", "较重", "严重")


class CheckPoint(SQLModel, table=True):
    """A 检查要点 of an item (按标执法): what is checked, on what legal basis, and what counts as compliant."""

    __tablename__ = "check_point"
    __table_args__ = (UniqueConstraint("item_id", "seq", name="uq_check_point_item_seq"),)
    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="inspection_item.id", index=True)
    seq: int  # the order on the record sheet
    text: str = Field(sa_column=Column(Text, nullable=False))  # 检查内容
    legal_basis: str = Field(max_length=256)  # law and article
    criterion: str = Field(sa_column=Column(Text, nullable=False))  # 判定标准: what counts as compliant
    severity: str = Field(default="一般", max_length=8)
    discretion_ref: str | None = Field(default=None, max_length=256)  # 行政处罚裁量基准 for the typical violation


class Plan(SQLModel, table=True):
    """A department's annual or quarterly 抽查计划."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True)
    department_id: int = Field(foreign_key="department.id", index=True)
    title: str = Field(max_length=128)
    year: int
    quarter: int | None = None
    published_at: datetime | None = None


# A provincial task's frozen files are tens of megabytes and its draw's record several: they are deferred,
# loaded when read, not with every task or draw that a listing, a result or a schedule touches.
BUNDLE = {"record.json": "record", "population.txt": "population_text", "inspectors.txt": "inspectors_text"}
_TASK_FILES = {name: Column(name, Text) for name in ("population_text", "inspectors_text")}
_DRAW_FILES = {name: Column(name, Text, nullable=False) for name in BUNDLE.values()}


class Task(SQLModel, table=True):
    """A 抽查任务 with its 抽查工作细则 (parameters), possibly joint across departments."""

    __mapper_args__ = {"properties": {n: deferred(c) for n, c in _TASK_FILES.items()}}  # noqa: RUF012 - read by the mapper

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    title: str = Field(max_length=128)
    region_code: str = Field(foreign_key="region.code", index=True)
    window_start: date
    window_end: date
    ratios: str = Field(max_length=256)  # canonical JSON {tier: decimal string}
    sample_count: int | None = None
    team_size: int = 2
    max_per_inspector: int = 20
    directed: bool = False
    # 回避: no inspector is sent to a firm registered in the township where the inspector lives.
    residence_rule: bool = True
    # 属地 (territorial) or 所所交叉 (cross_office): nobody inspects firms in their own post's area.
    assignment: str = Field(default="territorial", max_length=16)
    status: str = Field(default="draft", max_length=16, index=True)
    created_at: datetime = Field(default_factory=clock.now)
    frozen_at: datetime | None = None
    # Frozen inputs (§2 of docs/draw-algorithm.md), fixed before the seed is known.
    population_text: str | None = Field(default=None, sa_column=_TASK_FILES["population_text"])
    inspectors_text: str | None = Field(default=None, sa_column=_TASK_FILES["inspectors_text"])
    exclusions_json: str | None = Field(default=None, sa_column=Column(Text))
    recusals_json: str | None = Field(default=None, sa_column=Column(Text))
    scope_json: str | None = Field(default=None, sa_column=Column(Text))
    # v2 freeze (§10): the salt, the committed task, the published freeze, recusals.txt and exclusions.txt.
    freeze_json: str | None = Field(default=None, sa_column=Column(Text))
    # 定向抽查: canonical JSON {"industries": [...], "regions": [...]} narrowing the population; none: all firms.
    filter_json: str | None = Field(default=None, sa_column=Column(Text))


class TaskItem(SQLModel, table=True):
    __tablename__ = "task_item"
    task_id: int = Field(foreign_key="task.id", primary_key=True)
    item_id: int = Field(foreign_key="inspection_item.id", primary_key=True)


class TaskDepartment(SQLModel, table=True):
    __tablename__ = "task_department"
    task_id: int = Field(foreign_key="task.id", primary_key=True)
    department_id: int = Field(foreign_key="department.id", primary_key=True)


class TaskParticipant(SQLModel, table=True):
    """A party to the commit-reveal seed of a task."""

    __tablename__ = "task_participant"
    __table_args__ = (UniqueConstraint("task_id", "participant"),)
    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True)
    participant: str = Field(max_length=64)
    commitment: str = Field(max_length=64)
    reveal: str | None = Field(default=None, max_length=256)
    committed_at: datetime = Field(default_factory=clock.now)
    revealed_at: datetime | None = None


class Draw(SQLModel, table=True):
    """The one immutable draw record of a task, with the files it was computed from."""

    __mapper_args__ = {"properties": {n: deferred(c) for n, c in _DRAW_FILES.items()}}  # noqa: RUF012 - read by the mapper

    id: int | None = Field(default=None, primary_key=True)
    public_id: str = Field(max_length=48, unique=True)
    task_id: int = Field(foreign_key="task.id", unique=True)  # exactly one draw per task
    created_at: datetime = Field(default_factory=clock.now)
    single_operator: bool = False
    record: str = Field(sa_column=_DRAW_FILES["record"])
    record_sha256: str = Field(max_length=64)
    selected_count: int = 0  # len(outcome.selected) of the record, kept for listings
    unstaffed_count: int = 0
    population_text: str = Field(sa_column=_DRAW_FILES["population_text"])
    inspectors_text: str = Field(sa_column=_DRAW_FILES["inspectors_text"])


class DrawTarget(SQLModel, table=True):
    """A firm selected by a draw, staffed or not."""

    __tablename__ = "draw_target"
    __table_args__ = (UniqueConstraint("draw_id", "enterprise_id"),)
    id: int | None = Field(default=None, primary_key=True)
    draw_id: int = Field(foreign_key="draw.id", index=True)
    task_id: int = Field(foreign_key="task.id", index=True)
    enterprise_id: int = Field(foreign_key="enterprise.id", index=True)
    tier: str = Field(max_length=1)
    ticket: str = Field(max_length=64)
    unstaffed_reason: str | None = Field(default=None, max_length=256)


class TeamMember(SQLModel, table=True):
    __tablename__ = "team_member"
    target_id: int = Field(foreign_key="draw_target.id", primary_key=True)
    inspector_id: int = Field(foreign_key="inspector.id", primary_key=True, index=True)
    position: int


class InspectionResult(SQLModel, table=True):
    """The recorded outcome of inspecting one drawn firm."""

    __tablename__ = "inspection_result"
    id: int | None = Field(default=None, primary_key=True)
    target_id: int = Field(foreign_key="draw_target.id", unique=True)
    category: str = Field(max_length=32)
    findings: str = Field(default="", sa_column=Column(Text, nullable=False))
    inspected_on: date
    recorded_by: int = Field(foreign_key="inspector.id")
    recorded_at: datetime = Field(default_factory=clock.now)
    confirmed_by: int | None = Field(default=None, foreign_key="inspector.id")
    confirmed_at: datetime | None = None
    publish_due: date  # 20 working days after the inspection date
    published_at: datetime | None = None
    record_due: date | None = None  # the recording deadline after the inspection date (本地设定)
    recorded_late: bool = False
    reviewed_by: int | None = None  # the 审核人员 (user id) who published it
    reviewed_at: datetime | None = None
    returned: bool = False  # 退回: waiting for the team's correction
    returned_by: int | None = None  # user id of the last return
    returned_at: datetime | None = None
    return_reason: str | None = Field(default=None, sa_column=Column(Text))


class ResultPart(SQLModel, table=True):
    """One department's part of a visit's result (谁检查、谁录入), confirmed by a teammate who did not record it."""

    __tablename__ = "result_part"
    __table_args__ = (UniqueConstraint("result_id", "department_id"),)
    id: int | None = Field(default=None, primary_key=True)
    result_id: int = Field(foreign_key="inspection_result.id", index=True)
    department_id: int = Field(foreign_key="department.id")
    category: str = Field(max_length=32)
    findings: str = Field(default="", sa_column=Column(Text, nullable=False))
    recorded_by: int = Field(foreign_key="inspector.id")
    recorded_at: datetime = Field(default_factory=clock.now)
    confirmed_by: int | None = Field(default=None, foreign_key="inspector.id")
    confirmed_at: datetime | None = None


class PointResult(SQLModel, table=True):
    """The outcome of one 检查要点 at a visit (符合, 不符合, 不适用 or 未检查) with the inspector's note."""

    __tablename__ = "point_result"
    __table_args__ = (UniqueConstraint("result_id", "point_id"),)
    id: int | None = Field(default=None, primary_key=True)
    result_id: int = Field(foreign_key="inspection_result.id", index=True)
    point_id: int = Field(foreign_key="check_point.id")
    outcome: str = Field(max_length=8)
    note: str = Field(default="", sa_column=Column(Text, nullable=False))


class ConflictDeclaration(SQLModel, table=True):
    """An inspector's declared relation to a firm (回避): never assigned to it."""

    __tablename__ = "conflict_declaration"
    __table_args__ = (UniqueConstraint("inspector_id", "enterprise_id"),)
    id: int | None = Field(default=None, primary_key=True)
    inspector_id: int = Field(foreign_key="inspector.id", index=True)
    enterprise_id: int = Field(foreign_key="enterprise.id", index=True)
    relation: str = Field(max_length=64)
    declared_at: datetime = Field(default_factory=clock.now)


class ResultAttachment(SQLModel, table=True):
    """A photo or document a team attached to a visit's result or to one of its points (content-addressed)."""

    __tablename__ = "result_attachment"
    id: int | None = Field(default=None, primary_key=True)
    result_id: int = Field(foreign_key="inspection_result.id", index=True)
    point_id: int | None = Field(default=None, foreign_key="check_point.id")
    department_id: int = Field(foreign_key="department.id")
    sha256: str = Field(max_length=64)
    name: str = Field(max_length=128)
    size: int
    content_type: str = Field(max_length=32)
    uploaded_by: int = Field(foreign_key="inspector.id")
    uploaded_at: datetime = Field(default_factory=clock.now)
