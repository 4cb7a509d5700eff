"""JSON API of the draws: the commit–reveal ceremony, the draw itself, and the public bundles."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request
from flask_login import current_user
from sqlmodel import col, select

from inspections.draw.ceremony import SUPERVISION_OBSERVER, commit, freeze, reveal
from inspections.draw.schemas import CommitmentCreate, DrawRequest, DrawSummary, RevealCreate
from inspections.draw.services import perform_draw
from inspections.models import BUNDLE, Draw, Task, TaskParticipant
from inspections.planning import task_public
from inspections.schemas import TaskPublic
from inspections.services import get_task, task_departments
from supervise.api import json_body, ok
from supervise.auth import PUBLIC, roles
from supervise.errors import field_error
from supervise.openapi import Operation, api_doc
from supervise.web import actor, attachment, request_session

bp = Blueprint("draws_api", __name__)
MIMETYPES = {"record.json": "application/json", "population.txt": "text/plain", "inspectors.txt": "text/plain"}


def draw_summary(draw: Draw, task: Task) -> DrawSummary:
    """Summarize a draw for listings."""
    return DrawSummary(
        id=draw.public_id,
        task=task.code,
        title=task.title,
        created_at=draw.created_at.isoformat(),
        single_operator=draw.single_operator,
        record_sha256=draw.record_sha256,
        selected=draw.selected_count,
        unstaffed=draw.unstaffed_count,
    )


def find_draw(public_id: str) -> tuple[Draw, Task]:
    """The draw with this public id, or 404 naming it."""
    row = (
        request_session()
        .exec(select(Draw, Task).join(Task, col(Task.id) == col(Draw.task_id)).where(Draw.public_id == public_id))
        .first()
    )
    if row is None:
        raise field_error("draw_id", f"抽取 {public_id} 不存在", status=404)
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
    # Only the requested file is loaded: the others of a provincial draw are tens of megabytes.
    body: str = getattr(draw, BUNDLE[name])
    return Response(
        body.encode("utf-8"),
        mimetype=MIMETYPES[name],
        headers={"Content-Disposition": attachment(f"{draw_id}-{name}")},
    )


def _participant(task_row: Task, given: str | None) -> str:
    """Supervisors speak for the 督查室; admins for one of the task's departments."""
    if current_user.role == "supervisor":
        if given not in (None, SUPERVISION_OBSERVER):
            raise field_error("participant", f"督查人员以“{SUPERVISION_OBSERVER}”身份参与")
        return SUPERVISION_OBSERVER
    codes = [d.code for d in task_departments(request_session(), task_row)]
    if given not in codes:
        raise field_error("participant", f"参与方应为以下之一：{'、'.join(codes)}")
    return str(given)


@bp.post("/api/tasks/<code>/commitments")
@roles("admin", "supervisor")
@api_doc(
    Operation(
        "Submit a commitment SHA-256(secret) before the freeze",
        "draws",
        body=CommitmentCreate,
        response=TaskPublic,
        status=201,
        errors=(404, 409),
    )
)
def add_commitment(code: str) -> Any:
    data = CommitmentCreate.model_validate(json_body())
    session = request_session()
    row = get_task(session, code=code)
    commit(
        session, task=row, participant=_participant(row, data.participant), commitment=data.commitment, actor=actor()
    )
    return ok(task_public(session, row), 201)


@bp.post("/api/tasks/<code>/freeze")
@roles("admin")
@api_doc(
    Operation(
        "Freeze the population and inspector pool (publishes their digests)",
        "draws",
        response_schema={"type": "object"},
        errors=(404, 409),
    )
)
def freeze_task(code: str) -> Any:
    session = request_session()
    row = get_task(session, code=code)
    if len(session.exec(select(TaskParticipant).where(TaskParticipant.task_id == row.id)).all()) < 2:
        raise field_error("commitments", "冻结前至少须有两个参与方提交承诺", status=409)
    return jsonify(freeze(session, task=row, actor=actor()))


@bp.post("/api/tasks/<code>/reveals")
@roles("admin", "supervisor")
@api_doc(
    Operation(
        "Reveal a committed secret after the freeze", "draws", body=RevealCreate, response=TaskPublic, errors=(404, 409)
    )
)
def add_reveal(code: str) -> Any:
    data = RevealCreate.model_validate(json_body())
    session = request_session()
    row = get_task(session, code=code)
    reveal(session, task=row, participant=_participant(row, data.participant), secret=data.secret, actor=actor())
    return ok(task_public(session, row))


@bp.post("/api/tasks/<code>/draw")
@roles("admin")
@api_doc(
    Operation(
        "Perform the draw once every participant has revealed",
        "draws",
        body=DrawRequest,
        response=DrawSummary,
        status=201,
        errors=(404, 409),
    )
)
def draw_task(code: str) -> Any:
    data = DrawRequest.model_validate(request.get_json(silent=True) or {})
    if bool(data.beacon_value) != bool(data.beacon_source):
        raise field_error("beacon_source", "公开信标须同时填写值和来源")
    beacon = {"value": data.beacon_value, "source": data.beacon_source} if data.beacon_value else None
    session = request_session()
    draw = perform_draw(session, task_code=code, actor=actor(), beacon=beacon)  # type: ignore[arg-type]
    return ok(draw_summary(draw, get_task(session, code=code)), 201)
