"""JSON API of the 双随机 module: items, plans and tasks, results, inspectors' own assignments, 名录库 files.

The draw ceremony and the public bundles are in inspections/draw/api.py."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request
from flask_login import current_user
from sqlmodel import col, select

from inspections.checklists import POINT_COLUMNS, POINT_IMPORT, item_detail, point_rows
from inspections.directory import (
    INSPECTOR_COLUMNS,
    INSPECTOR_IMPORT,
    TARGET_COLUMNS,
    inspector_rows,
    target_rows,
)
from inspections.models import InspectionItem
from inspections.planning import create_item, create_plan, create_task, item_public, task_public, update_item
from inspections.results import (
    declare_conflict,
    inspector_of_user,
)
from inspections.schemas import (
    CalendarOverrideSet,
    ConflictCreate,
    ItemCreate,
    ItemDetail,
    ItemPublic,
    ItemUpdate,
    PlanCreate,
    TaskCreate,
    TaskPublic,
)
from inspections.services import (
    get_task,
)
from supervise.api import UploadForm, import_upload, json_body, ok, spreadsheet
from supervise.auth import PUBLIC, roles
from supervise.errors import field_error
from supervise.holidays import set_day
from supervise.openapi import Operation, Param, api_doc
from supervise.schemas import ImportReport
from supervise.web import actor, request_session

bp = Blueprint("inspections_api", __name__)


def ok_json(body: dict[str, Any]) -> Any:
    """Return a plain JSON object (for answers that have no public schema)."""
    return jsonify(body)


# --- 抽查事项清单, plans and tasks ---------------------------------------------------------------------


@bp.get("/api/items")
@roles(PUBLIC)
@api_doc(Operation("The 抽查事项清单", "planning", response=ItemPublic, response_list=True, params=(Param("kind"),)))
def items() -> Any:
    stmt = select(InspectionItem).order_by(col(InspectionItem.code))
    kind = request.args.get("kind")
    if kind:
        stmt = stmt.where(InspectionItem.department_kind == kind)
    return ok([item_public(i) for i in request_session().exec(stmt).all()])


@bp.get("/api/items/<code>")
@roles(PUBLIC)
@api_doc(Operation("An inspection item with its 检查要点", "planning", response=ItemDetail, errors=(404,)))
def item(code: str) -> Any:
    return ok(item_detail(request_session(), code=code))


@bp.post("/api/items/checklists")
@roles("admin")
@api_doc(
    Operation(
        "Replace the 检查要点 of the items a .csv/.xlsx names (all rows or none)", "planning",
        body=UploadForm, body_content="multipart/form-data", response=ImportReport, errors=(413, 422),
    )
)  # fmt: skip
def import_checklists() -> Any:
    return import_upload(POINT_IMPORT)


@bp.get("/api/items/checklists.<fmt>")
@roles(PUBLIC)
@api_doc(
    Operation("Every item's 检查要点 as a spreadsheet (csv or xlsx)", "planning", response_schema={"type": "string"})
)
def export_checklists(fmt: str) -> Any:
    if fmt not in ("csv", "xlsx"):
        raise field_error("format", "格式应为 csv 或 xlsx", status=404)
    return spreadsheet(f"checklists.{fmt}", fmt, POINT_COLUMNS, point_rows(request_session()))


@bp.post("/api/items")
@roles("admin")
@api_doc(
    Operation("Add an inspection item", "planning", body=ItemCreate, response=ItemPublic, status=201, errors=(409,))
)
def add_item() -> Any:
    data = ItemCreate.model_validate(json_body())
    return ok(item_public(create_item(request_session(), data=data, actor=actor())), 201)


@bp.patch("/api/items/<code>")
@roles("admin")
@api_doc(Operation("Change an inspection item", "planning", body=ItemUpdate, response=ItemPublic, errors=(404,)))
def change_item(code: str) -> Any:
    data = ItemUpdate.model_validate(json_body())
    return ok(item_public(update_item(request_session(), code=code, data=data, actor=actor())))


@bp.post("/api/plans")
@roles("admin")
@api_doc(
    Operation(
        "Publish a 抽查计划", "planning", body=PlanCreate, response_schema={"type": "object"}, status=201, errors=(409,)
    )
)
def add_plan() -> Any:
    data = PlanCreate.model_validate(json_body())
    plan = create_plan(request_session(), data=data, actor=actor())
    resp = ok_json({"code": plan.code, "title": plan.title})
    resp.status_code = 201
    return resp


@bp.post("/api/tasks")
@roles("admin")
@api_doc(
    Operation(
        "Create a (joint) task with its 抽查工作细则",
        "planning",
        body=TaskCreate,
        response=TaskPublic,
        status=201,
        errors=(409,),
    )
)
def add_task() -> Any:
    data = TaskCreate.model_validate(json_body())
    session = request_session()
    return ok(task_public(session, create_task(session, data=data, actor=actor())), 201)


@bp.get("/api/tasks/<code>")
@roles(PUBLIC)
@api_doc(Operation("A task: parameters, status, commitments", "planning", response=TaskPublic, errors=(404,)))
def task(code: str) -> Any:
    session = request_session()
    return ok(task_public(session, get_task(session, code=code)))


# --- 名录库 spreadsheets -------------------------------------------------------------------------------


@bp.get("/api/directory/targets.<any(csv,xlsx):fmt>")
@roles("credit_officer", "admin")
@api_doc(
    Operation(
        "Export the 检查对象名录库 of a task or region",
        "directory",
        response_schema={"type": "string"},
        response_content="application/octet-stream",
        params=(Param("task"), Param("region"), Param("items")),
        errors=(404,),
    )
)
def export_targets(fmt: str) -> Any:
    items_arg = [x for x in request.args.get("items", "").split(",") if x]
    rows = target_rows(
        request_session(),
        task_code=request.args.get("task") or None,
        region=request.args.get("region") or None,
        item_codes=items_arg,
    )
    return spreadsheet(f"检查对象名录库.{fmt}", fmt, TARGET_COLUMNS, rows)


@bp.get("/api/directory/inspectors.<any(csv,xlsx):fmt>")
@roles("credit_officer", "admin")
@api_doc(
    Operation(
        "Export the 执法检查人员名录库",
        "directory",
        response_schema={"type": "string"},
        response_content="application/octet-stream",
        params=(Param("region"),),
    )
)
def export_inspectors(fmt: str) -> Any:
    return spreadsheet(
        f"执法检查人员名录库.{fmt}",
        fmt,
        INSPECTOR_COLUMNS,
        inspector_rows(request_session(), region=request.args.get("region") or None),
    )


@bp.post("/api/directory/inspectors")
@roles("credit_officer", "admin")
@api_doc(
    Operation(
        "Import the 执法检查人员名录库 (.csv/.xlsx); any bad row rejects the file unless only_valid",
        "directory",
        body=UploadForm,
        body_content="multipart/form-data",
        response=ImportReport,
    )
)
def import_inspector_file() -> Any:
    return import_upload(INSPECTOR_IMPORT)


@bp.post("/api/conflicts")
@roles("inspector")
@api_doc(
    Operation(
        "Declare a conflict of interest with a firm (回避)",
        "assignments",
        body=ConflictCreate,
        response_schema={"type": "object"},
        status=201,
        errors=(404, 409),
    )
)
def add_conflict() -> Any:
    data = ConflictCreate.model_validate(json_body())
    session = request_session()
    declare_conflict(
        session,
        inspector=inspector_of_user(session, current_user.id),
        uscc=data.uscc,
        relation=data.relation,
        actor=actor(),
    )
    resp = ok_json({"uscc": data.uscc, "relation": data.relation})
    resp.status_code = 201
    return resp


@bp.put("/api/calendar/overrides")
@roles("admin")
@api_doc(
    Operation(
        "Set an official working/non-working day the calendar library lacks",
        "planning",
        body=CalendarOverrideSet,
        response_schema={"type": "object"},
    )
)
def calendar_override() -> Any:
    data = CalendarOverrideSet.model_validate(json_body())
    moved = set_day(request_session(), day=data.day, working=data.working, note=data.note, actor=actor())
    return ok_json({"day": data.day.isoformat(), "working": data.working, "deadlines_recomputed": moved})
