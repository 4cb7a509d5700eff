"""API schemas of the credit module."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from credit.lifecycle import OFFICER_ACTIONS
from supervise.schemas import USCC, Name, Text


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class EntryCreate(Strict):
    uscc: USCC
    list_type: str = Field(min_length=1, max_length=32)
    reason: Text = Field(min_length=2, max_length=2000)
    legal_basis: Name = Field(min_length=2, max_length=256)
    department_code: str = Field(min_length=1, max_length=32)
    public_summary: Text = Field(min_length=2, max_length=512)
    found_on: date
    ground: str | None = Field(default=None, max_length=32, description="列入事由代码（supervise credit rules）")
    evidence: Text = Field(default="", max_length=4000)
    penalty_number: Name | None = Field(default=None, max_length=64, description="行政处罚决定书文号")
    penalty_on: date | None = None
    penalty_field: Name | None = Field(default=None, max_length=16, description="处罚领域：食品、药品、特种设备…")
    order_number: Name | None = Field(default=None, max_length=64, description="责令限期公示通知书文号")


if TYPE_CHECKING:
    OfficerAction = str
else:  # the actions an officer may take, from the one state machine (credit.lifecycle.TRANSITIONS)
    OfficerAction = Literal[OFFICER_ACTIONS]


class TransitionRequest(Strict):
    action: OfficerAction
    note: Text = Field(default="", max_length=2000)
    decision_number: Name | None = Field(default=None, max_length=64)
    commitment_letter: StrictBool = False
    conditions: dict[str, Text] = Field(default_factory=dict, description="修复条件代码 -> 证明材料")
    review_kind: Literal["行政复议", "行政诉讼"] | None = None
    served_on: date | None = Field(default=None, title="送达日期", description="送达告知书之日（默认今天）")


class StatementRequest(Strict):
    note: Text = Field(min_length=1, max_length=4000)


class EntryPublic(BaseModel):
    id: int
    uscc: str
    enterprise_name: str
    list_type: str
    state: str
    reason: str
    legal_basis: str
    public_summary: str
    decision_number: str | None
    found_on: date
    decision_due: date
    statement_due: date | None
    listed_on: date | None
    expires_on: date | None
    objection_due: date | None
    ended_on: date | None
    ground: str | None = None
    order_due: date | None = None
    penalty_number: str | None = None
    penalty_on: date | None = None
    higher_approval_required: bool = False
    higher_approved_on: date | None = None
    objection_accept_due: date | None = None
    repair_due: date | None = None
    review_kind: str | None = None
    review_result: str | None = None
    provisional_deadlines: list[str] = []  # deadlines counted on a year whose holidays are not yet official
    provisional_note: str = ""


class CheckRequest(Strict):
    uscc: USCC
    matter: str = Field(min_length=1, max_length=32)


class OutcomeRequest(Strict):
    granted: StrictBool
    measures_applied: list[str] = []


class PublicEntry(BaseModel):
    uscc: str
    enterprise_name: str
    list_type: str
    kind: str
    summary: str
    decision_number: str | None
    listed_on: str | None
    expires_on: str | None


LicensingDecision = Literal["deny", "restrict", "allow_with_measures", "allow"]


class MatterRef(BaseModel):
    code: str
    name: str


class MeasurePublic(BaseModel):
    list_type: str
    effect: str = Field(description="deny, restrict, strict_review, no_commitment, no_tolerance; tolerance, green")
    text: str
    legal_basis: str


class CheckedEntry(BaseModel):
    list_type: str
    summary: str
    decision_number: str | None
    listed_on: str | None
    legal_basis: str


class RelatedPartyWarning(BaseModel):
    uscc: str
    enterprise_name: str
    list_type: str
    message: str


class CheckAnswer(BaseModel):
    """The licensing check's answer, as logged: the decision, its measures and their legal basis."""

    check_id: str
    uscc: str
    enterprise_name: str
    matter: MatterRef
    decision: LicensingDecision
    measures: list[MeasurePublic]
    entries: list[CheckedEntry]
    related_party_warnings: list[RelatedPartyWarning]
    penalties: list[dict[str, str]] = []  # 行政处罚信息 in display (number, content, date, authority, display_until)
    risk_tier: str


class OutcomeReported(BaseModel):
    check_id: str
    decision: LicensingDecision
    granted: bool
    breach: bool


class Breach(BaseModel):
    check_id: str
    uscc: str
    enterprise_name: str
    matter: str
    decision: LicensingDecision
    measures_applied: str
    reported_at: str | None


class UncheckedLicence(BaseModel):
    license_id: int
    uscc: str
    enterprise_name: str
    matter: str
    issued_on: str


class UnreportedCheck(BaseModel):
    check_id: str
    uscc: str
    enterprise_name: str
    matter: str
    decision: LicensingDecision
    checked_at: str


class ApplicationCreate(Strict):
    """A firm's online 异议 or 信用修复 application (the public form)."""

    uscc: USCC
    list_type: Literal["ABNORMAL", "BLACK"]
    kind: Literal["objection", "repair"]
    contact_name: Name = Field(min_length=1, max_length=64)
    contact_phone: str = Field(pattern=r"^[0-9+\- ]{5,32}$")
    reason: Text = Field(min_length=2, max_length=2000)
    conditions: dict[str, Text] = Field(default_factory=dict)
    commitment_letter: StrictBool = False


class StatusRequest(Strict):
    number: str = Field(min_length=6, max_length=20)
    uscc: USCC


class ApplicationPublic(BaseModel):
    """An online application as the officers' queue shows it (contact details included: officers only)."""

    id: int
    number: str
    kind: str
    uscc: str
    entry_id: int
    contact_name: str
    contact_phone: str
    reason: str
    status: str
    register_due: date
    attachments: list[dict[str, str | int]]


class RedImportForm(Strict):
    """The publication a red list comes from: its document and validity period, and the importing department."""

    document: Name = Field(min_length=2, max_length=64)
    valid_from: date
    valid_until: date
    department_code: str = Field(min_length=1, max_length=32)


class RedImported(BaseModel):
    list_type: str
    created: int
    renewed: int
    document: str


class PenaltyCreate(Strict):
    """A penalty decision to publish as 行政处罚信息 (until the enforcement loop records them itself)."""

    uscc: USCC
    decision_number: Name = Field(min_length=2, max_length=64)
    decided_on: date
    penalty_kind: Literal["warning", "light", "ordinary", "heavy"] = Field(
        title="处罚种类", description="warning: 仅警告（不予公示）；light: 通报批评或较低数额罚款"
    )
    penalty_field: Name | None = Field(default=None, max_length=16, description="食品、药品、特种设备…")
    content: Text = Field(min_length=2, max_length=2000)
    department_code: str = Field(min_length=1, max_length=32)
    procedure: Literal["ordinary", "simple"] = Field(
        default="ordinary", title="程序", description="ordinary: 普通程序；simple: 简易程序（不予公示）"
    )
    restricted_until: date | None = Field(default=None, title="限制期限届满日")


class PenaltyStop(Strict):
    conditions: dict[str, Text] = Field(
        default_factory=dict, description="performed, harm_removed, no_repeat, commitment -> 证明材料"
    )


class PenaltyWithdraw(Strict):
    changed_on: date = Field(title="决定被变更或撤销的日期")
    reason: Text = Field(min_length=1, max_length=2000, title="撤回理由")


class PenaltyStopDecision(Strict):
    approve: StrictBool = Field(title="是否同意")
    note: Text = Field(default="", max_length=2000)


class PenaltyPublic(BaseModel):
    id: int
    decision_number: str
    decided_on: date
    kind: str
    field: str | None
    published_on: date
    publish_due: date
    withdrawn_on: date | None = None
    withdraw_due: date | None = None
    display_until: date
    state: str
