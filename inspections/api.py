"""JSON API of the 双随机 module: public draws and results, inspectors' own assignments."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, request
from flask_login import current_user
from sqlmodel import col, select

from inspections.models import Draw, Task
from inspections.results import (
    confirm_result,
    get_assignment,
    inspector_of_user,
    my_assignments,
    overdue_publications,
    public_results,
    publish_result,
    record_result,
)
from inspections.schemas import AssignmentPublic, DrawSummary, OverduePublication, PublicResult, ResultCreate
from supervise.api import json_body, ok
from supervise.auth import PUBLIC, roles
from supervise.openapi import Operation, Param, api_doc
from supervise.web import actor, field_error, request_session

bp = Blueprint("inspections_api", __name__)
BUNDLE_FILES = {"record.json": "application/json", "population.txt": "text/plain", "inspectors.txt": "text/plain"}


def draw_summary(draw: Draw, task: Task) -> DrawSummary:
    """Summarize a draw for listings."""
    outcome = json.loads(draw.record)["outcome"]
    return DrawSummary(
        id=draw.public_id,
        task=task.code,
        title=task.title,
        created_at=draw.created_at.isoformat(),
        single_operator=draw.single_operator,
        record_sha256=draw.record_sha256,
        selected=len(outcome["selected"]),
        unstaffed=len(outcome["unstaffed"]),
    )


def find_draw(public_id: str) -> tuple[Draw, Task]:
    """The draw with this public id, or 404 naming it."""
    row = (
        request_session()
        .exec(select(Draw, Task).join(Task, col(Task.id) == col(Draw.task_id)).where(Draw.public_id == public_id))
        .first()
    )
    if row is None:
        raise field_error("draw_id", f"no draw {public_id}", status=404)
    return row


@bp.get("/api/draws")
@roles(PUBLIC)
@api_doc(Operation("All draws (抽查任务/抽取结果公告)", "draws", response=DrawSummary, response_list=True))
def draws() -> Any:
    rows = (
        request_session()
        .exec(select(Draw, Task).join(Task, col(Task.id) == col(Draw.task_id)).order_by(col(Draw.id).desc()))
        .all()
    )
    return ok([draw_summary(d, t) for d, t in rows])


@bp.get("/api/draws/<draw_id>/<any('record.json','population.txt','inspectors.txt'):name>")
@roles(PUBLIC)
@api_doc(
    Operation(
        "One file of a draw's public bundle (docs/draw-algorithm.md)",
        "draws",
        response_schema={"type": "string"},
        response_content="text/plain",
        errors=(404,),
    )
)
def draw_file(draw_id: str, name: str) -> Any:
    draw, _task = find_draw(draw_id)
    body = {"record.json": draw.record, "population.txt": draw.population_text, "inspectors.txt": draw.inspectors_text}[
        name
    ]
    return Response(
        body.encode("utf-8"),
        mimetype=BUNDLE_FILES[name],
        headers={"Content-Disposition": f'attachment; filename="{draw_id}-{name}"'},
    )


@bp.get("/api/results")
@roles(PUBLIC)
@api_doc(
    Operation(
        "Published inspection results (抽查结果公告), by firm name or USCC",
        "results",
        response=PublicResult,
        response_list=True,
        params=(Param("q"),),
    )
)
def results() -> Any:
    q = request.args.get("q", "").strip() or None
    return ok([PublicResult(**r) for r in public_results(request_session(), q=q)])


@bp.get("/api/results/overdue")
@roles("supervisor", "admin")
@api_doc(
    Operation(
        "Results not published within 20 working days", "results", response=OverduePublication, response_list=True
    )
)
def overdue() -> Any:
    return ok([OverduePublication(**r) for r in overdue_publications(request_session())])


@bp.post("/api/results/<int:target_id>/publish")
@roles("credit_officer", "admin")
@api_doc(Operation("Publish a recorded result", "results", response_schema={"type": "object"}, errors=(404,)))
def publish(target_id: int) -> Any:
    result = publish_result(request_session(), target_id=target_id, actor=actor())
    return ok_json(
        {"target_id": target_id, "published_at": result.published_at.isoformat() if result.published_at else None}
    )


@bp.get("/api/assignments")
@roles("inspector")
@api_doc(
    Operation("The signed-in inspector's own assignments", "assignments", response=AssignmentPublic, response_list=True)
)
def assignments() -> Any:
    session = request_session()
    mine = my_assignments(session, inspector=inspector_of_user(session, current_user.id))
    return ok([AssignmentPublic(**a) for a in mine])


@bp.get("/api/assignments/<int:target_id>")
@roles("inspector")
@api_doc(Operation("One assignment (team members only)", "assignments", response=AssignmentPublic, errors=(404,)))
def assignment(target_id: int) -> Any:
    session = request_session()
    return ok(
        AssignmentPublic(
            **get_assignment(session, target_id=target_id, inspector=inspector_of_user(session, current_user.id))
        )
    )


@bp.post("/api/assignments/<int:target_id>/result")
@roles("inspector")
@api_doc(
    Operation(
        "Record the result of an assignment (team members only)",
        "assignments",
        body=ResultCreate,
        response=AssignmentPublic,
        status=201,
        errors=(404, 409),
    )
)
def add_result(target_id: int) -> Any:
    data = ResultCreate.model_validate(json_body())
    session = request_session()
    me = inspector_of_user(session, current_user.id)
    record_result(
        session,
        target_id=target_id,
        inspector=me,
        category=data.category,
        findings=data.findings,
        inspected_on=data.inspected_on,
        actor=actor(),
    )
    return ok(AssignmentPublic(**get_assignment(session, target_id=target_id, inspector=me)), 201)


@bp.post("/api/assignments/<int:target_id>/confirm")
@roles("inspector")
@api_doc(Operation("Confirm a teammate's recorded result", "assignments", response=AssignmentPublic, errors=(404, 409)))
def confirm(target_id: int) -> Any:
    session = request_session()
    me = inspector_of_user(session, current_user.id)
    confirm_result(session, target_id=target_id, inspector=me, actor=actor())
    return ok(AssignmentPublic(**get_assignment(session, target_id=target_id, inspector=me)))


def ok_json(body: dict[str, Any]) -> Any:
    from flask import jsonify

    return jsonify(body)
