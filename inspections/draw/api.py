"""JSON API of the draws: the commit–reveal ceremony, the draw itself, and the public bundles."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request
from flask_login import current_user
from sqlmodel import col, select

from inspections.draw.ceremony import SUPERVISION_OBSERVER, commit, freeze, reveal
from inspections.draw.frozen import FULL_BUNDLE
from inspections.draw.schemas import CommitmentCreate, DrawRequest, DrawSummary, FreezeRequest, RevealCreate
from inspections.draw.services import (
    FULL_BUNDLE_ROLES,
    beacon_of,
    beacon_plan,
    bundle_files,
    draw_summary,
    find_draw,
    perform_draw,
)
from inspections.models import Draw, Task
from inspections.planning import task_public
from inspections.schemas import TaskPublic
from inspections.services import get_task, task_departments
from supervise import audit
from supervise.api import json_body, ok
from supervise.auth import PUBLIC, roles
from supervise.errors import field_error
from supervise.openapi import Operation, api_doc
from supervise.web import actor, attachment, request_session

bp = Blueprint("draws_api", __name__)
MIMETYPES = {"record.json": "application/json"}


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


@bp.get("/api/draws/<draw_id>/<any('record.json','firms.txt','population.txt','inspectors.txt'):name>")
@roles(PUBLIC)
@api_doc(
    Operation(
        "One file of a draw's public bundle: record.json and firms.txt (v2), or the three files of a v1 draw",
        "draws",
        response_schema={"type": "string"},
        response_content="text/plain",
        errors=(404,),
    )
)
def draw_file(draw_id: str, name: str) -> Any:
    draw, task = find_draw(request_session(), draw_id)
    files = bundle_files(draw, task, full=False)
    if name not in files:  # a v2 draw's population.txt holds every firm's tier: full bundle only
        raise field_error("name", f"{name} 属于完整复核包（含风险分类），仅向督查室、审计人员和管理员提供", status=404)
    return _file(draw_id, name, files[name])


@bp.get("/api/draws/<draw_id>/full/<any(" + ",".join(repr(n) for n in FULL_BUNDLE) + "):name>")
@roles(*FULL_BUNDLE_ROLES)
@api_doc(
    Operation(
        "One file of a draw's full bundle, with tiers, recusals and the salt (docs/draw-algorithm.md §10.6)",
        "draws",
        response_schema={"type": "string"},
        response_content="text/plain",
        errors=(404,),
    )
)
def draw_full_file(draw_id: str, name: str) -> Any:
    draw, task = find_draw(request_session(), draw_id)
    files = bundle_files(draw, task, full=True)
    if name not in files:
        raise field_error("name", f"抽取 {draw_id} 是第1版记录，没有 {name}", status=404)
    audit.record(
        request_session(),
        actor=actor(),
        action="draw.full_bundle_read",
        object_type="draw",
        object_id=draw_id,
        payload={"file": name},
    )
    return _file(draw_id, name, files[name])


def _file(draw_id: str, name: str, body: str) -> Response:
    return Response(
        body.encode("utf-8"),
        mimetype=MIMETYPES.get(name, "text/plain"),
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
        "Freeze every input of the draw (publishes the freeze digest); optionally fix the public beacon",
        "draws",
        body=FreezeRequest,
        response_schema={"type": "object"},
        errors=(404, 409),
    )
)
def freeze_task(code: str) -> Any:
    data = FreezeRequest.model_validate(request.get_json(silent=True) or {})
    session = request_session()
    plan = beacon_plan(data.beacon_source, data.beacon_issue, data.beacon_at)
    return jsonify(freeze(session, task=get_task(session, code=code), actor=actor(), beacon=plan))


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
