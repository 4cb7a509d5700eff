"""Read stored schedules: the region page, exports, and each inspector's own visits and .ics calendar."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from icalendar import Calendar, Event
from sqlalchemy import and_
from sqlmodel import Session, col, select

from inspections.complaints.models import Complaint
from inspections.disposals.models import Disposal
from inspections.models import DrawTarget, InspectionItem, Task, TeamMember
from scheduling.models import Schedule, ScheduledVisit, VisitInspector
from supervise.errors import field_error
from supervise.models import Enterprise, Inspector, Region

EXPORT_HEADER = (
    "日期",
    "状态",
    "统一社会信用代码",
    "企业名称",
    "乡镇街道",
    "检查时段",
    "任务",
    "部门",
    "抽查事项",
    "检查人员",
    "定向",
    "原因",
)
STATUS_LABELS = {"scheduled": "已排期", "deferred": "推迟", "unstaffed": "无法配员", "undated": "无法排期"}


def get_schedule(session: Session, *, region: str, period: str) -> Schedule:
    """The stored schedule of a region and period, or 404."""
    row = session.exec(select(Schedule).where(Schedule.region_code == region, Schedule.period == period)).first()
    if row is None:
        raise field_error("period", f"{region} {period} 尚未编排联合检查", status=404)
    return row


def _visits(session: Session, where: Any) -> list[dict[str, Any]]:
    rows = session.exec(
        select(ScheduledVisit, Enterprise)
        .join(Enterprise, col(Enterprise.id) == col(ScheduledVisit.enterprise_id))
        .where(where)
        .order_by(col(ScheduledVisit.day), col(Enterprise.uscc), col(ScheduledVisit.id))
    ).all()
    ids = [v.id for v, _e in rows]
    team: dict[int, list[dict[str, str]]] = defaultdict(list)
    for vi, insp in session.exec(
        select(VisitInspector, Inspector)
        .join(Inspector, col(Inspector.id) == col(VisitInspector.inspector_id))
        .where(col(VisitInspector.visit_id).in_(ids))
        .order_by(col(VisitInspector.visit_id), col(VisitInspector.position))
    ).all():
        team[vi.visit_id].append({"badge": insp.badge_no, "name": insp.name})
    item_names = {i.code: i.name for i in session.exec(select(InspectionItem)).all()}
    towns = {
        r.code: r.name
        for r in session.exec(select(Region).where(col(Region.code).in_({v.township_code for v, _ in rows}))).all()
    }
    return [
        {
            "id": v.id,
            "day": v.day.isoformat() if v.day else None,
            "status": v.status,
            "uscc": e.uscc,
            "enterprise_name": e.name,
            "township": towns.get(v.township_code, v.township_code),
            "window_start": v.window_start.isoformat(),
            "window_end": v.window_end.isoformat(),
            "tasks": v.tasks.split(","),
            "departments": v.departments.split(","),
            "items": v.items.split(","),
            "item_names": [item_names.get(code, code) for code in v.items.split(",")],
            "directed": v.directed,
            "team": team[v.id or 0],
            "reason": v.reason,
            "notes": [n for n in v.notes.split("\n") if n],
        }
        for v, e in rows
    ]


def schedule_view(session: Session, *, region: str, period: str) -> dict[str, Any]:
    """Summary and visits of one schedule, as the API and the page show them."""
    row = get_schedule(session, region=region, period=period)
    return {
        "region": region,
        "period": period,
        "built_at": row.built_at.isoformat(),
        "built_by": row.built_by,
        "inputs_sha256": row.inputs_sha256,
        "limits": json.loads(row.limits),
        "summary": json.loads(row.summary),
        "visits": _visits(session, col(ScheduledVisit.schedule_id) == row.id),
    }


def export_rows(view: dict[str, Any]) -> list[list[Any]]:
    """Rows under EXPORT_HEADER for the .csv/.xlsx export of a schedule."""
    return [
        [
            v["day"] or "",
            STATUS_LABELS.get(v["status"], v["status"]),
            v["uscc"],
            v["enterprise_name"],
            v["township"],
            f"{v['window_start']}至{v['window_end']}",
            "、".join(v["tasks"]),
            "、".join(v["departments"]),
            "、".join(v["item_names"]),
            "、".join(f"{m['name']}({m['badge']})" for m in v["team"]),
            "是" if v["directed"] else "否",
            "；".join([v["reason"], *v["notes"]]).strip("；"),
        ]
        for v in view["visits"]
    ]


def inspector_visits(session: Session, *, inspector: Inspector) -> list[dict[str, Any]]:
    """The inspector's own dated visits, across all schedules."""
    mine = select(VisitInspector.visit_id).where(VisitInspector.inspector_id == inspector.id)
    visits = _visits(
        session,
        and_(
            col(ScheduledVisit.id).in_(mine),
            col(ScheduledVisit.status) == "scheduled",
            col(ScheduledVisit.day).is_not(None),
        ),
    )
    # Each visit opens the inspector's own assignments it carries (a 复查 opens the visit that ordered it).
    own = {
        (code, uscc): target_id
        for code, uscc, target_id in session.exec(
            select(Task.code, Enterprise.uscc, DrawTarget.id)
            .join(DrawTarget, col(DrawTarget.task_id) == col(Task.id))
            .join(Enterprise, col(Enterprise.id) == col(DrawTarget.enterprise_id))
            .join(TeamMember, col(TeamMember.target_id) == col(DrawTarget.id))
            .where(TeamMember.inspector_id == inspector.id)
        ).all()
    }
    codes = {code for v in visits for code in v["tasks"]}
    rechecks = dict(
        session.exec(select(Disposal.number, Disposal.target_id).where(col(Disposal.number).in_(codes))).all()
    )
    # A 投诉举报's 核查 (its 工单号) and a 复查 it led to (the disposal's number) open the 工单's page.
    tickets = dict(
        session.exec(select(Complaint.ticket_no, Complaint.ticket_no).where(col(Complaint.ticket_no).in_(codes))).all()
    )
    tickets |= dict(
        session.exec(
            select(Disposal.number, Complaint.ticket_no)
            .join(Complaint, col(Complaint.id) == col(Disposal.complaint_id))
            .where(col(Disposal.number).in_(codes))
        ).all()
    )
    for v in visits:
        targets = [own.get((code, v["uscc"])) or rechecks.get(code) for code in v["tasks"]]
        v["targets"] = sorted({t for t in targets if t is not None})
        v["complaints"] = sorted({tickets[code] for code in v["tasks"] if code in tickets})
    return visits


def inspector_ics(session: Session, *, inspector: Inspector) -> bytes:
    """The inspector's visits as an iCalendar file (all-day events) a phone calendar can import."""
    cal = Calendar()
    cal.add("prodid", "-//supervise//joint inspection schedule//ZH")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"检查日程 {inspector.name}")
    for v in inspector_visits(session, inspector=inspector):
        day = datetime.fromisoformat(v["day"]).date()
        event = Event()
        event.add("uid", f"visit-{v['id']}@supervise")
        event.add("dtstamp", datetime(day.year, day.month, day.day))
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        event.add("summary", f"联合检查：{v['enterprise_name']}")
        event.add("location", f"{v['township']}")
        team = "、".join(f"{m['name']}({m['badge']})" for m in v["team"])
        lines = [
            f"统一社会信用代码 {v['uscc']}",
            f"抽查事项 {'、'.join(v['item_names'])}",
            f"任务 {'、'.join(v['tasks'])}",
        ]
        event.add("description", "\n".join([*lines, f"检查组 {team}"]))
        cal.add_component(event)
    return cal.to_ical()
