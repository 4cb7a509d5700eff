"""API schemas of the credit module."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool

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


class TransitionRequest(Strict):
    action: Literal[
        "notify", "decide", "withdraw", "object", "uphold", "remove", "apply_repair", "approve_repair", "reject_repair"
    ]
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
