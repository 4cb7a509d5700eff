"""The risk engine's JSON API for officers (never public): overview, a firm's explanation, a scoring run."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, url_for
from flask_login import current_user

from credit.risk.queries import explain, overview
from credit.risk.schemas import RiskExplanation, RiskOverview
from credit.risk.services import request_scoring
from supervise.api import ok
from supervise.auth import roles
from supervise.openapi import Operation, Param, api_doc
from supervise.schemas import JobAccepted
from supervise.web import actor, request_session

bp = Blueprint("risk_api", __name__)


@bp.get("/api/risk")
@roles("credit_officer", "supervisor", "admin")
@api_doc(Operation("The risk tiers by count, the latest model and scoring runs", "risk", response=RiskOverview))
def index() -> Any:
    data = overview(request_session())
    return ok(RiskOverview.model_validate(data))


@bp.get("/api/risk/firms/<uscc>")
@roles("credit_officer", "supervisor", "admin")
@api_doc(
    Operation(
        "Explain a firm's risk score in Chinese (within the user's region)",
        "risk",
        response=RiskExplanation,
        params=(Param("uscc", "path", required=True, description="统一社会信用代码"),),
        errors=(403, 404, 409),
    )
)
def firm(uscc: str) -> Any:
    data = explain(request_session(), uscc=uscc.strip().upper(), user_id=current_user.id)
    return ok(RiskExplanation.model_validate(data))


@bp.post("/api/risk/runs")
@roles("credit_officer", "supervisor")
@api_doc(Operation("Score every firm with the latest model (a job)", "risk", response=JobAccepted, status=202,
                   errors=(409,)))  # fmt: skip
def run() -> Any:
    job_id = request_scoring(request_session(), actor=actor(), owner_id=current_user.id)
    return ok(JobAccepted(job_id=job_id, status_url=url_for("api.job", job_id=job_id)), 202)
