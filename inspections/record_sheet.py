"""The 随机抽查情况记录表 of a visit: its data from the database, the PDF from inspections.sheet_pdf, audited."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlmodel import Session

from inspections.models import DrawTarget, Task
from inspections.recording import task_departments
from inspections.results import assignment_view, team_of
from inspections.services import task_items
from inspections.sheet_pdf import render_record_sheet
from supervise import audit
from supervise.config import tuning
from supervise.errors import field_error
from supervise.fonts import find_cjk_font
from supervise.models import Enterprise, Region


def sheet_data(session: Session, *, target_id: int, blank: bool = False) -> dict[str, Any]:
    """What the record sheet prints: the firm, the visit, the items' points with their results unless blank."""
    target = session.get(DrawTarget, target_id)
    if target is None:
        raise field_error("target_id", f"检查任务 {target_id} 不存在", status=404)
    task, ent = session.get(Task, target.task_id), session.get(Enterprise, target.enterprise_id)
    assert task is not None and ent is not None
    view = assignment_view(session, target, team_of(session, target_id))
    depts = task_departments(session, task)
    dept_of_kind = {d.kind: d.name for d in depts}
    places = [session.get(Region, c) for c in (ent.region_code, ent.township_code) if c]
    result = None if blank else view["result"]
    methods = sorted({m for i in task_items(session, task) for m in i.check_methods.split(",") if m})
    return {
        "number": f"JL-{task.code}-{target_id}",
        "issuer": depts[0].name if depts else "",
        "filled": result is not None,
        "firm": {"name": ent.name, "uscc": ent.uscc, "legal_rep_name": ent.legal_rep_name, "status": ent.status},
        "visit": {
            "task": task.code,
            "task_title": task.title,
            "window": f"{task.window_start} 至 {task.window_end}",
            "date": result["inspected_on"] if result else "",
            "place": "".join(r.name for r in places if r) + "（登记住所）",
            "check_methods": "、".join(methods),
        },
        "team": view["team"],
        "departments": [d.name for d in depts],
        "items": [
            {**i, "department": dept_of_kind.get(i["department_kind"], i["department_kind"])} for i in view["items"]
        ],
        "parts": result["parts"] if result else [],
    }


def record_sheet(session: Session, *, target_id: int, blank: bool, actor: str) -> tuple[str, bytes, str]:
    """Render a visit's record sheet (blank or filled) and audit the printing; (file name, PDF, SHA-256)."""
    font = find_cjk_font()
    if font is None:
        raise field_error("target_id", "服务器未安装可嵌入的中文字体，暂不能生成记录表", status=503)
    data = sheet_data(session, target_id=target_id, blank=blank)
    data["issuer"] = data["issuer"] or tuning().credit_issuer  # a task always has a lead department
    pdf = render_record_sheet(data, font=font)
    digest = hashlib.sha256(pdf).hexdigest()
    audit.record(
        session,
        actor=actor,
        action="visit.sheet_printed",
        object_type="draw_target",
        object_id=target_id,
        payload={"number": data["number"], "filled": data["filled"], "sha256": digest},
    )
    kind = "" if data["filled"] else "（空白）"
    return f"随机抽查情况记录表-{data['number']}{kind}.pdf", pdf, digest
