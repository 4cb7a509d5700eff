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
    evidence: Text = Field(default="", max_length=4000)


if TYPE_CHECKING:
    OfficerAction = str
else:  # the actions an officer may take, from the one state machine (credit.lifecycle.TRANSITIONS)
    OfficerAction = Literal[OFFICER_ACTIONS]


class TransitionRequest(Strict):
    action: OfficerAction
    note: Text = Field(default="", max_length=2000)
    decision_number: Name | None = Field(default=None, max_length=64)
    commitment_letter: StrictBool = False


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
