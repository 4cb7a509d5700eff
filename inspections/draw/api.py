"""JSON API of the draws: the commit–reveal ceremony, the draw itself, and the public bundles."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request
from flask_login import current_user
from sqlmodel import col, select

from inspections.draw.ceremony import SUPERVISION_OBSERVER, commit, freeze, reveal
from inspections.draw.schemas import CommitmentCreate, DrawRequest, DrawSummary, RevealCreate
from inspections.draw.services import beacon_of, draw_summary, find_draw, perform_draw
from inspections.models import BUNDLE, Draw, Task
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
    draw, _task = find_draw(request_session(), draw_id)
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
    return jsonify(freeze(session, task=get_task(session, code=code), actor=actor()))


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
    beacon = beacon_of(data.beacon_value, data.beacon_source)
    session = request_session()
    draw = perform_draw(session, task_code=code, actor=actor(), beacon=beacon)
    return ok(draw_summary(draw, get_task(session, code=code)), 201)
