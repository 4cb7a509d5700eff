"""JSON API of accountability reports: start generation, list the archive, download, dashboard numbers."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, request, url_for
from flask_login import current_user
from sqlmodel import col, select

from reports.models import ReportArchive
from reports.schemas import Dashboard, ReportPublic, ReportRequest
from reports.services import ACCOUNTABILITY_REPORT, archive_file, dashboard, report_public
from supervise.api import json_body, ok
from supervise.auth import roles
from supervise.errors import field_error
from supervise.openapi import Operation, Param, api_doc
from supervise.periods import parse_period
from supervise.queue import request_region_job
from supervise.schemas import JobAccepted
from supervise.web import actor, attachment, request_session

bp = Blueprint("reports_api", __name__)
OFFICE = ("supervisor", "admin")


def _download_url(row: ReportArchive) -> str:
    return url_for("reports_api.download", public_id=row.public_id)


@bp.post("/api/reports/accountability")
@roles(*OFFICE)
@api_doc(
    Operation(
        "Generate an accountability report (PDF) in the background",
        "reports",
        body=ReportRequest,
        response=JobAccepted,
        status=202,
    )
)
def generate_report() -> Any:
    data = ReportRequest.model_validate(json_body())
    job_id = request_region_job(
        request_session(),
        ACCOUNTABILITY_REPORT,
        region=data.region,
        period=data.period,
        actor=actor(),
        owner_id=current_user.id,
    )
    return ok(JobAccepted(job_id=job_id, status_url=url_for("api.job", job_id=job_id)), 202)


@bp.get("/api/reports")
@roles(*OFFICE)
@api_doc(
    Operation("The archive of generated reports, newest first", "reports", response=ReportPublic, response_list=True)
)
def archive() -> Any:
    rows = request_session().exec(select(ReportArchive).order_by(col(ReportArchive.id).desc()).limit(200)).all()
    return ok([report_public(r, download_url=_download_url(r)) for r in rows])


@bp.get("/api/reports/<public_id>.pdf")
@roles(*OFFICE)
@api_doc(
    Operation(
        "Download an archived report (the identical file every time)",
        "reports",
        response_schema={"type": "string"},
        response_content="application/pdf",
        params=(Param("public_id", "path", required=True),),
        errors=(404,),
    )
)
def download(public_id: str) -> Any:
    row, data = archive_file(request_session(), public_id=public_id)
    return Response(
        data,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": attachment(f"督查报告-{row.region_code}-{row.period}-{row.id}.pdf"),
            "X-Content-SHA256": row.sha256,
        },
    )


@bp.get("/api/reports/dashboard")
@roles(*OFFICE)
@api_doc(
    Operation(
        "The metrics and lagging units of a region and quarter, as the report prints them",
        "reports",
        response=Dashboard,
        params=(Param("region", required=True), Param("period", required=True)),
        errors=(404,),
    )
)
def dashboard_data() -> Any:
    region, period = request.args.get("region", ""), request.args.get("period", "")
    if not region:
        raise field_error("region", "请填写行政区划")
    parse_period(period, whole_year=True)
    return ok(Dashboard.model_validate(dashboard(request_session(), region=region, period=period)))
