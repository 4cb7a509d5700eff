"""The 督查室 dashboard: the report's numbers as HTML, generation with progress, and the archive."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, Flask, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlmodel import col, select

from reports.complaint_table import HEADER as COMPLAINT_HEADER
from reports.complaint_table import complaint_rows
from reports.models import ReportArchive
from reports.oversight.queries import issued_for
from reports.pdf import RATE_COLUMNS, pct
from reports.services import ACCOUNTABILITY_REPORT, dashboard, dashboard_charts, report_public
from supervise import clock
from supervise.auth import roles
from supervise.models import Region
from supervise.nav import NavItem, register_nav
from supervise.periods import parse_period
from supervise.pickers import period_choices, region_choices
from supervise.queue import request_region_job
from supervise.services import people_names
from supervise.web import actor, request_session

bp = Blueprint("reports", __name__, template_folder="templates")


def register_reports_nav(app: Flask) -> None:
    """Menu entry of the dashboard."""
    register_nav(app, NavItem("reports.index", "督查通报", frozenset({"supervisor", "admin"}), 57))


def last_quarter(today: date) -> str:
    """The most recent quarter that has ended."""
    q = (today.month - 1) // 3  # 0 in Q1: the last quarter is the previous year's Q4
    return f"{today.year - 1}Q4" if q == 0 else f"{today.year}Q{q}"


@bp.get("/reports")
@roles("supervisor", "admin")
def index() -> Any:
    region = request.args.get("region", "330100").strip()
    period = request.args.get("period", "").strip() or last_quarter(clock.today())
    parse_period(period, whole_year=True)
    session = request_session()
    data = dashboard(session, region=region, period=period)
    archive = session.exec(select(ReportArchive).order_by(col(ReportArchive.id).desc()).limit(50)).all()
    return render_template(
        "reports/dashboard.html",
        region=region,
        period=period,
        data=data,
        rate_columns=RATE_COLUMNS,
        pct=pct,
        charts=dashboard_charts(data["metrics"]),
        complaint_header=COMPLAINT_HEADER,
        complaint_rows=complaint_rows([*data["metrics"]["departments"], *data["metrics"]["regions"]]),
        archive=[
            report_public(r, download_url=url_for("reports_api.download", public_id=r.public_id)) for r in archive
        ],
        names=people_names(session, [r.generated_by for r in archive]),
        job_id=request.args.get("job"),
        issued=issued_for(session, region=region, period=period),
        regions=region_choices(session),
        periods=period_choices(clock.today(), period),
        region_names=dict(session.exec(select(Region.code, Region.name)).all()),
    )


@bp.post("/reports/generate")
@roles("supervisor", "admin")
def generate() -> Any:
    region, period = request.form.get("region", "").strip(), request.form.get("period", "").strip()
    job_id = request_region_job(
        request_session(), ACCOUNTABILITY_REPORT, region=region, period=period, actor=actor(), owner_id=current_user.id
    )
    flash("通报生成任务已提交", "ok")
    return redirect(url_for("reports.index", region=region, period=period, job=job_id))
