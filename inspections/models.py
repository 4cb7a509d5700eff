"""Tables of the 双随机 module: items, plans, tasks, commit-reveal participants, draws, assignments, results."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Text, UniqueConstraint
from sqlalchemy.orm import deferred
from sqlmodel import Field, SQLModel

from supervise import clock

METHODS = ("现场检查", "书面检查", "网络监测")
RESULT_CATEGORIES = (
    "未发现问题",
    "未按规定公示应当公示的信息",
    "公示信息隐瞒真实情况、弄虚作假",
    "通过登记的住所（经营场所）无法联系",
    "不配合检查情节严重",
    "未发现开展本次抽查涉及的经营活动",
    "已关闭停业或正在组织清算",
    "已注销或被吊销",
    "发现问题已责令改正",
    "发现问题待后续处理",
)


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
    publish_due: date
    published_at: datetime | None = None


class ConflictDeclaration(SQLModel, table=True):
    """An inspector's declared relation to a firm (回避): never assigned to it."""

    __tablename__ = "conflict_declaration"
    __table_args__ = (UniqueConstraint("inspector_id", "enterprise_id"),)
    id: int | None = Field(default=None, primary_key=True)
    inspector_id: int = Field(foreign_key="inspector.id", index=True)
    enterprise_id: int = Field(foreign_key="enterprise.id", index=True)
    relation: str = Field(max_length=64)
    declared_at: datetime = Field(default_factory=clock.now)
