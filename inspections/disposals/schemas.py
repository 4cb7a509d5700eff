"""API schemas of the enforcement loop."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from supervise.schemas import Text

Kind = Literal["none", "rectify", "case", "refer", "abnormal", "criminal"]  # inspections.disposals.rules.KINDS

AMOUNT = r"^\s*((\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?)?\s*$"  # yuan in figures (50000, 50,000, 50000.00) or blank


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class DisposalCreate(Strict):
    kind: Kind = Field(
        description="none 无需处置, rectify 责令改正, case 立案查处, refer 抄告/移交, abnormal 经营异常, "
        "criminal 涉嫌犯罪移送司法机关",
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
    reason: Text = Field(min_length=1, max_length=2000, title="不予立案理由")
    ground: Literal["minor", "first", "no_fault", "other"] = Field(
        default="other", title="不予立案情形", description="《市场监督管理行政处罚程序规定》第二十条（一）至（四）"
    )
    education: Text = Field(default="", max_length=2000, title="教育情况")
    correction: Text = Field(default="", max_length=2000, title="改正情况")


Measure = Literal[
    "warning", "criticism", "fine", "confiscate", "lower_grade", "revoke_licence", "revoke_charter", "suspend",
    "close", "restrict", "bar",
]  # procedure.MEASURES  # fmt: skip


class ResponsiblePerson(Strict):
    role: Literal["直接负责的主管人员", "其他直接责任人员"] = Field(title="身份")
    name: str = Field(min_length=1, max_length=64, title="姓名")
    id_number: str = Field(pattern=r"^\d{17}[\dX]$", title="身份证号")


class CaseDecide(Strict):
    decision_number: str = Field(min_length=1, max_length=64)
    decided_on: date
    penalty_kind: Literal["warning", "light", "ordinary", "heavy"] = Field(
        title="处罚种类", description="warning: 仅警告（不予公示）；light: 通报批评或较低数额罚款"
    )
    content: Text = Field(min_length=1, max_length=2000)
    # checked with the form's other fields, so that every mistake shows at once (a bad date no longer hides "5万")
    amount: str | None = Field(default=None, max_length=32, pattern=AMOUNT, title="罚没金额（元）")
    serious_ground: StrictBool = Field(default=False, description="属于总局令第44号规定的列入情形")
    measures: list[Measure] | None = Field(default=None, title="处罚措施", description="默认为告知的处罚措施")
    persons: list[ResponsiblePerson] = Field(
        default_factory=list,
        max_length=20,
        title="直接负责的主管人员和其他直接责任人员",
        description="吊销食品生产经营许可证的，依食品安全法第一百三十五条一并限制",
    )
    rep_responsible: StrictBool = Field(
        default=False, title="法定代表人负有个人责任", description="吊销营业执照、责令关闭的（公司法第一百七十八条）"
    )
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


class CaseInform(Strict):
    inform_number: str = Field(max_length=64, title="告知书文号")
    informed_on: date = Field(title="告知送达日期")
    measures: list[Measure] = Field(title="拟作出的处罚种类", max_length=10)
    proposed_amount: str | None = Field(default=None, max_length=32, pattern=AMOUNT, title="拟罚没金额（元）")
    facts: Text = Field(max_length=4000, title="违法事实")
    reasons: Text = Field(max_length=2000, title="处罚理由")
    basis: Text = Field(max_length=1000, title="处罚依据")
    listing: StrictBool = Field(default=False, title="一并告知拟列入严重违法失信名单")
    complex_case: StrictBool = Field(default=False, title="案情疑难复杂（须法制审核）")


class CaseStatement(Strict):
    stated_on: date = Field(title="陈述申辩日期")
    statement: Text = Field(max_length=4000, title="陈述、申辩内容")


class CaseStatementReview(Strict):
    reviewed_on: date = Field(title="复核日期")
    adopted: StrictBool = Field(title="是否采纳")
    opinion: Text = Field(max_length=2000, title="复核意见")


class CaseHearingRequest(Strict):
    requested_on: date = Field(title="申请听证日期")


class CaseHearingNotice(Strict):
    notice_number: str = Field(max_length=64, title="听证通知书文号")
    noticed_on: date = Field(title="通知日期")
    hearing_on: date = Field(title="听证日期")
    place: Text = Field(max_length=200, title="听证地点")
    host_badge: str = Field(max_length=32, title="听证主持人执法证号")
    recusal: Text = Field(default="", max_length=1000, title="回避申请及处理")


class CaseHearing(Strict):
    held_on: date = Field(title="听证日期")
    waived: StrictBool = Field(default=False, title="当事人放弃听证")
    record: Text = Field(max_length=4000, title="听证笔录摘要")


class CaseLegalReview(Strict):
    reviewed_on: date = Field(title="审核日期")
    passed: StrictBool = Field(title="审核通过")
    opinion: Text = Field(max_length=2000, title="审核意见")


class CaseCollective(Strict):
    held_on: date = Field(title="讨论日期")
    attendees: Text = Field(max_length=500, title="参加讨论的负责人")
    conclusion: Text = Field(max_length=2000, title="讨论结论")


class CaseFilingExtend(Strict):
    approved_on: date = Field(title="批准日期")
    approved_by: Text = Field(default="", max_length=64, title="批准人")
    testing_days: int = Field(default=0, title="检测等所需工作日")
    reason: Text = Field(max_length=1000, title="延长理由")


class CaseExtend(Strict):
    days: int = Field(title="延长天数")
    approved_on: date = Field(title="批准日期")
    approved_by: Text = Field(max_length=64, title="批准人")
    reason: Text = Field(max_length=1000, title="延长理由")


class CaseNoPenalty(Strict):
    decision_number: str = Field(max_length=64, title="不予行政处罚决定书文号")
    decided_on: date = Field(title="决定日期")
    ground: Literal["minor", "first", "no_fault"] = Field(title="不予处罚情形", description="行政处罚法第三十三条")
    education: Text = Field(max_length=2000, title="教育情况")
    correction: Text = Field(default="", max_length=2000, title="改正情况")
    lenient_item: int | None = Field(default=None, title="不予处罚清单事项")


class CaseTransfer(Strict):
    reported_on: date = Field(title="报告日期")
    approved_on: date = Field(title="批准移送日期")
    transferred_on: date = Field(title="移送日期")
    approved_by: Text = Field(max_length=64, title="批准人")
    organ: Text = Field(max_length=128, title="接受移送的机关")


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


class CaseStepPublic(BaseModel):
    step: str
    name: str
    on: str
    due: str | None
    late: bool
    actor: str
    source: dict[str, Any] | None
    citation: str
    short: str
    data: dict[str, Any]


class CasePublic(BaseModel):
    id: int
    case_number: str | None
    status: str
    status_label: str
    enterprise: str
    uscc: str
    department: str
    received_on: str
    filing_due: str
    filed_on: str | None
    decision_due: str | None
    extension_days: int
    inform_number: str | None
    informed_on: str | None
    proposed_kind: str | None
    proposed_amount: str | None
    hearing_applies: bool
    hearing_request_due: str | None
    decision_number: str | None
    decided_on: str | None
    penalty_kind: str | None
    amount: str | None
    no_penalty_ground: str | None
    service_due: str | None
    served_on: str | None
    points: str
    steps: list[CaseStepPublic]
    overdue: list[str]
    waiting: list[str]
