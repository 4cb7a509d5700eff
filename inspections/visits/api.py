"""JSON API of inspectors' assignments and results: recording per point, team confirmation, the reviewer's
queue, return and publication, and the published results (一公开)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, request
from flask_login import current_user
from sqlmodel import select

from inspections.api import ok_json
from inspections.evidence import attach, attachment_file
from inspections.models import InspectionResult
from inspections.record_sheet import record_sheet
from inspections.recording import PointEntry, confirm_result, correct_result, record_result
from inspections.results import (
    WHEN,
    get_assignment,
    inspector_of_user,
    my_assignments,
    overdue_publications,
    public_results,
)
from inspections.reviewing import publish_result, return_result, review_queue
from inspections.schemas import (
    AssignmentPublic,
    AttachmentUpload,
    OverduePublication,
    PublicResult,
    ResultCorrect,
    ResultCreate,
    ResultReturn,
    ReviewRow,
)
from supervise.api import json_body, ok, uploaded_files
from supervise.auth import PUBLIC, roles
from supervise.errors import field_error
from supervise.models import User
from supervise.openapi import Operation, Param, api_doc
from supervise.web import actor, attachment, pdf_download, request_session

bp = Blueprint("results_api", __name__)


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


def _reviewer() -> User:
    user = request_session().get(User, current_user.id)
    assert user is not None
    return user


@bp.get("/api/review")
@roles("reviewer")
@api_doc(
    Operation(
        "The reviewer's queue: unpublished results of the department's tasks, overdue first",
        "results",
        response=ReviewRow,
        response_list=True,
    )
)
def review() -> Any:
    return ok([ReviewRow(**r) for r in review_queue(request_session(), reviewer=_reviewer())])


@bp.post("/api/results/<int:target_id>/publish")
@roles("reviewer")
@api_doc(
    Operation(
        "Approve a complete, confirmed result and publish it (the lead department's 审核人员)",
        "results",
        response_schema={"type": "object"},
        errors=(404, 409),
    )
)
def publish(target_id: int) -> Any:
    result = publish_result(request_session(), target_id=target_id, reviewer=_reviewer(), actor=actor())
    return ok_json(
        {"target_id": target_id, "published_at": result.published_at.isoformat() if result.published_at else None}
    )


@bp.post("/api/results/<int:target_id>/return")
@roles("reviewer")
@api_doc(
    Operation(
        "Return a result to its team with the reason (退回)",
        "results",
        body=ResultReturn,
        response_schema={"type": "object"},
        errors=(404, 409),
    )
)
def return_(target_id: int) -> Any:
    data = ResultReturn.model_validate(json_body())
    return_result(request_session(), target_id=target_id, reviewer=_reviewer(), reason=data.reason, actor=actor())
    return ok_json({"target_id": target_id, "returned": True})


@bp.get("/api/assignments")
@roles("inspector")
@api_doc(
    Operation(
        "The signed-in inspector's own assignments (when: current, upcoming or past)",
        "assignments",
        response=AssignmentPublic,
        response_list=True,
        params=(Param("when"),),
    )
)
def assignments() -> Any:
    session = request_session()
    when = request.args.get("when") or None
    if when is not None and when not in WHEN:
        raise field_error("when", "时间范围应为 current（当前）、upcoming（即将开始）或 past（已结束）")
    mine, _total = my_assignments(session, inspector=inspector_of_user(session, current_user.id), when=when)
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
        points=[PointEntry(p.point_id, p.outcome, p.note) for p in data.points],
        actor=actor(),
    )
    return ok(AssignmentPublic(**get_assignment(session, target_id=target_id, inspector=me)), 201)


@bp.put("/api/assignments/<int:target_id>/result")
@roles("inspector")
@api_doc(
    Operation(
        "Correct the department's part of a returned result (team members only)",
        "assignments",
        body=ResultCorrect,
        response=AssignmentPublic,
        errors=(404, 409),
    )
)
def correct(target_id: int) -> Any:
    data = ResultCorrect.model_validate(json_body())
    session = request_session()
    me = inspector_of_user(session, current_user.id)
    correct_result(
        session,
        target_id=target_id,
        inspector=me,
        category=data.category,
        findings=data.findings,
        points=[PointEntry(p.point_id, p.outcome, p.note) for p in data.points],
        actor=actor(),
    )
    return ok(AssignmentPublic(**get_assignment(session, target_id=target_id, inspector=me)))


@bp.post("/api/assignments/<int:target_id>/confirm")
@roles("inspector")
@api_doc(Operation("Confirm a teammate's recorded result", "assignments", response=AssignmentPublic, errors=(404, 409)))
def confirm(target_id: int) -> Any:
    session = request_session()
    me = inspector_of_user(session, current_user.id)
    confirm_result(session, target_id=target_id, inspector=me, actor=actor())
    return ok(AssignmentPublic(**get_assignment(session, target_id=target_id, inspector=me)))


@bp.get("/api/assignments/<int:target_id>/sheet.pdf")
@roles("inspector")
@api_doc(
    Operation(
        "The visit's 随机抽查情况记录表 as PDF (blank=1 before the visit); team members only",
        "assignments",
        response_schema={"type": "string", "format": "binary"},
        response_content="application/pdf",
        params=(Param("blank"),),
        errors=(404,),
    )
)
def sheet(target_id: int) -> Any:
    session = request_session()
    get_assignment(session, target_id=target_id, inspector=inspector_of_user(session, current_user.id))
    name, pdf, digest = record_sheet(
        session, target_id=target_id, blank=request.args.get("blank") == "1", actor=actor()
    )
    return pdf_download(name, pdf, digest)


def _point_arg() -> int | None:
    raw = request.form.get("point_id", "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise field_error("point_id", "检查要点编号应为整数")
    return int(raw)


@bp.post("/api/assignments/<int:target_id>/attachments")
@roles("inspector")
@api_doc(
    Operation(
        "Attach photos or documents to a visit's result, or to one 检查要点 (team members)", "assignments",
        body=AttachmentUpload, body_content="multipart/form-data", response=AssignmentPublic, status=201,
        errors=(404, 409, 413),
    )
)  # fmt: skip
def add_attachments(target_id: int) -> Any:
    session = request_session()
    me = inspector_of_user(session, current_user.id)
    attach(session, target_id=target_id, inspector=me, files=uploaded_files(), point_id=_point_arg(), actor=actor())
    return ok(AssignmentPublic(**get_assignment(session, target_id=target_id, inspector=me)), 201)


@bp.get("/api/assignments/<int:target_id>/attachments/<sha256>")
@roles("inspector")
@api_doc(
    Operation(
        "Download an attachment of a visit's result (team members)", "assignments",
        response_schema={"type": "string", "format": "binary"}, response_content="application/octet-stream",
        errors=(404,),
    )
)  # fmt: skip
def attachment_download(target_id: int, sha256: str) -> Any:
    session = request_session()
    view = get_assignment(session, target_id=target_id, inspector=inspector_of_user(session, current_user.id))
    return attachment_response(session, view, sha256)


def attachment_response(session: Any, view: dict[str, Any], sha256: str) -> Any:
    """The attachment as a download, for a view the caller may read."""
    if view["result"] is None:
        raise field_error("sha256", "附件不存在", status=404)
    result_id = session.exec(select(InspectionResult.id).where(InspectionResult.target_id == view["target_id"])).one()
    name, kind, data = attachment_file(session, result_id=result_id, sha256=sha256)
    return Response(data, mimetype=kind, headers={"Content-Disposition": attachment(name)})
