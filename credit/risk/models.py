"""Tables of the risk engine: fitted models (content-addressed artefacts), scoring runs and each firm's score."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from supervise import clock


class RiskModelRecord(SQLModel, table=True):
    """A fitted model: its artefact's SHA-256 (the file under the instance's risk folder), what it learnt from
    and how it validated. Fitting is audited with the same digest."""

    __tablename__ = "risk_model"
    id: int | None = Field(default=None, primary_key=True)
    sha256: str = Field(max_length=64, unique=True)
    kind: str = Field(max_length=32)  # the chosen candidate (model.CANDIDATE_LABELS)
    as_of: date  # trained on history strictly before this day
    history_from: date | None = None
    rows: int  # past inspections it learnt from
    features: str = Field(sa_column=Column(Text, nullable=False))  # JSON list
    validation: str = Field(sa_column=Column(Text, nullable=False))  # JSON (engine.Validation)
    created_at: datetime = Field(default_factory=clock.now)
    created_by: str = Field(max_length=64)


class RiskRun(SQLModel, table=True):
    """One scoring of every firm with a model: the tier cut points, the counts, how many tiers changed."""

    __tablename__ = "risk_run"
    id: int | None = Field(default=None, primary_key=True)
    model_sha256: str = Field(max_length=64, index=True)
    as_of: date
    state: str = Field(default="running", max_length=16)  # running | finished | failed
    job_id: str | None = Field(default=None, max_length=64)
    scored: int = 0
    changed: int = 0
    summary: str = Field(default="{}", sa_column=Column(Text, nullable=False))  # JSON: cuts, counts, changes
    started_at: datetime = Field(default_factory=clock.now)
    finished_at: datetime | None = None
    started_by: str = Field(max_length=64)


class RiskScore(SQLModel, table=True):
    """A firm's latest score and score-based tier (before and after the rule floors), with the model and run."""

    __tablename__ = "risk_score"
    enterprise_id: int = Field(foreign_key="enterprise.id", primary_key=True)
    score: float
    score_tier: str = Field(max_length=1)  # from the score alone
    tier: str = Field(max_length=1, index=True)  # after the rule floors: what the draws use
    floor: str | None = Field(default=None, max_length=64)  # the floor that raised it, if any
    model_sha256: str = Field(max_length=64)
    run_id: int = Field(foreign_key="risk_run.id", index=True)
    scored_on: date


class PastInspection(SQLModel, table=True):
    """An inspection recorded before this system (migrated from the previous platform): what the risk engine
    learns from alongside the system's own results. Never published again, never a draw."""

    __tablename__ = "past_inspection"
    id: int | None = Field(default=None, primary_key=True)
    enterprise_id: int = Field(foreign_key="enterprise.id", index=True)
    inspected_on: date = Field(index=True)
    inspector_badge: str | None = Field(default=None, max_length=32)  # 执法证号, where the platform kept it
    found: bool  # a problem was found (不符合)
    critical_count: int = 0  # 不符合 points by severity: 严重, 较重, 一般
    serious_count: int = 0
    minor_count: int = 0
    source: str = Field(max_length=64)  # where it was migrated from
    imported_at: datetime = Field(default_factory=clock.now)
