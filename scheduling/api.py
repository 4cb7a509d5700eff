"""JSON API of joint-inspection scheduling: build (as a job), read, export, and inspectors' own calendars."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, url_for
from flask_login import current_user

from inspections.results import inspector_of_user
from scheduling.queries import EXPORT_HEADER, export_rows, inspector_ics, inspector_visits, schedule_view
from scheduling.schemas import ScheduleRequest, ScheduleView, VisitPublic
from scheduling.services import SCHEDULE_BUILD
from supervise.api import json_body, ok, spreadsheet
from supervise.auth import roles
from supervise.openapi import Operation, Param, api_doc
from supervise.queue import request_region_job
from supervise.schemas import JobAccepted
from supervise.web import actor, attachment, request_session

bp = Blueprint("schedule_api", __name__)
SCHEDULERS = ("supervisor", "admin")
PATH = (Param("region", "path", required=True), Param("period", "path", required=True))


@bp.post("/api/schedules")
@roles(*SCHEDULERS)
@api_doc(
    Operation(
        "Build (or rebuild) the joint-inspection schedule of a region and quarter in the background",
        "schedules",
        body=ScheduleRequest,
        response=JobAccepted,
        status=202,
    )
)
def start_build() -> Any:
    data = ScheduleRequest.model_validate(json_body())
    job_id = request_region_job(
        request_session(),
        SCHEDULE_BUILD,
        region=data.region,
        period=data.period,
        actor=actor(),
        owner_id=current_user.id,
    )
    return ok(JobAccepted(job_id=job_id, status_url=url_for("api.job", job_id=job_id)), 202)


@bp.get("/api/schedules/<region>/<period>")
@roles(*SCHEDULERS)
@api_doc(
    Operation(
        "The schedule of a region and quarter: summary and visits",
        "schedules",
        response=ScheduleView,
        params=PATH,
        errors=(404,),
    )
)
def get_schedule(region: str, period: str) -> Any:
    return ok(ScheduleView.model_validate(schedule_view(request_session(), region=region, period=period)))


@bp.get("/api/schedules/<region>/<period>.<any(csv,xlsx):fmt>")
@roles(*SCHEDULERS)
@api_doc(
    Operation(
        "Export a schedule as .csv or .xlsx",
        "schedules",
        response_schema={"type": "string"},
        response_content="application/octet-stream",
        params=PATH,
        errors=(404,),
    )
)
def export_schedule(region: str, period: str, fmt: str) -> Any:
    view = schedule_view(request_session(), region=region, period=period)
    return spreadsheet(f"schedule-{region}-{period}.{fmt}", fmt, EXPORT_HEADER, export_rows(view))


@bp.get("/api/me/schedule")
@roles("inspector")
@api_doc(
    Operation("The signed-in inspector's own scheduled visits", "schedules", response=VisitPublic, response_list=True)
)
def my_schedule() -> Any:
    session = request_session()
    visits = inspector_visits(session, inspector=inspector_of_user(session, current_user.id))
    return ok([VisitPublic.model_validate(v) for v in visits])


@bp.get("/api/me/schedule.ics")
@roles("inspector")
@api_doc(
    Operation(
        "The signed-in inspector's visits as an iCalendar file",
        "schedules",
        response_schema={"type": "string"},
        response_content="text/calendar",
    )
)
def my_schedule_ics() -> Any:
    session = request_session()
    me = inspector_of_user(session, current_user.id)
    return Response(
        inspector_ics(session, inspector=me),
        mimetype="text/calendar",
        headers={"Content-Disposition": attachment(f"schedule-{me.badge_no}.ics")},
    )
