"""Web pages of joint-inspection scheduling: the 督查室's schedule pages and inspectors' own schedule."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlmodel import col, select

from inspections.results import inspector_of_user
from scheduling.models import Schedule
from scheduling.queries import STATUS_LABELS, inspector_visits, schedule_view
from scheduling.services import SCHEDULE_BUILD
from supervise import clock
from supervise.auth import roles
from supervise.errors import field_error
from supervise.messages import actor_label
from supervise.models import Region
from supervise.nav import NavItem, register_nav
from supervise.periods import period_label
from supervise.pickers import period_choices, region_choices
from supervise.queue import request_region_job
from supervise.services import people_names
from supervise.web import actor, request_session

bp = Blueprint("schedules", __name__, template_folder="templates")
SUMMARY_LABELS = (
    ("visits_before_merging", "合并前检查户次（任务×企业）"),
    ("visits_after_merging", "合并后检查户次"),
    ("lower_bound_visits", "理论最少户次（互不相交的时段数）"),
    ("repeat_checks_avoided", "避免重复检查户次"),
    ("merged_visits", "联合检查户次（含两项以上任务）"),
    ("scheduled", "已排期"),
    ("deferred_over_cap", "超频次推迟"),
    ("unstaffed", "无法配员"),
    ("undated", "无法排期"),
    ("firms_over_cap", "超出频次上限的企业"),
    ("max_visits_per_inspector_day", "单人单日最多检查户数"),
    ("avg_townships_per_inspector_day", "单人单日平均乡镇数"),
    ("working_days_used", "使用工作日"),
    ("working_days_lower_bound", "工作日下界"),
)


def register_schedule_nav(app: Flask) -> None:
    """Menu entries of the schedule pages."""
    register_nav(
        app,
        NavItem("schedules.index", "联合排期", frozenset({"supervisor", "admin"}), 58),
        NavItem("schedules.mine", "我的检查日程", frozenset({"inspector"}), 16),
    )


@bp.route("/schedules", methods=["GET", "POST"])
@roles("supervisor", "admin")
def index() -> Any:
    session = request_session()
    if request.method == "POST":
        region, period = request.form.get("region", "").strip(), request.form.get("period", "").strip()
        if not region.isdigit() or len(region) != 6:
            raise field_error("region", "行政区划代码应为 6 位数字")
        job_id = request_region_job(
            request_session(), SCHEDULE_BUILD, region=region, period=period, actor=actor(), owner_id=current_user.id
        )
        flash(f"排期任务已提交（{job_id}），完成后刷新本页查看", "ok")
        return redirect(url_for("schedules.index", job=job_id))
    rows = session.exec(select(Schedule).order_by(col(Schedule.period).desc(), col(Schedule.region_code))).all()
    return render_template(
        "scheduling/schedules.html",
        schedules=rows,
        job=request.args.get("job"),
        regions=region_choices(session),
        periods=period_choices(clock.today(), whole_years=False),
        region_names=dict(session.exec(select(Region.code, Region.name)).all()),
        who={s.built_by: actor_label(s.built_by, people_names(session, [s.built_by])) for s in rows},
    )


@bp.get("/schedules/<region>/<period>")
@roles("supervisor", "admin")
def show(region: str, period: str) -> Any:
    session = request_session()
    view = schedule_view(session, region=region, period=period)
    place = session.get(Region, region)
    return render_template(
        "scheduling/schedule.html",
        view=view,
        labels=SUMMARY_LABELS,
        statuses=STATUS_LABELS,
        title=f"{place.name if place else region} {period_label(period)}",
        built_by=actor_label(view["built_by"], people_names(session, [view["built_by"]])),
    )


@bp.get("/inspections/my/schedule")
@roles("inspector")
def mine() -> Any:
    session = request_session()
    visits = inspector_visits(session, inspector=inspector_of_user(session, current_user.id))
    today = clock.today().isoformat()
    everything = request.args.get("all") == "1"
    past = sum(1 for v in visits if str(v["day"]) < today)
    if not everything:  # a phone opens at today: what is still to do, today's visits first
        visits = [v for v in visits if str(v["day"]) >= today]
    return render_template("scheduling/my_schedule.html", visits=visits, today=today, past=past,
                           everything=everything)  # fmt: skip
