"""JSON API of the complaint intake: the 12345 platform pushes 工单 (idempotent), an office imports a file, and the
complaints are listed with the complainant's contact masked for all but the 督查室."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify
from flask_login import current_user

from inspections.complaints import mediation, separation, services, workflow
from inspections.complaints.schemas import (
    AcceptIn,
    CloseIn,
    ComplaintIn,
    ComplaintPublic,
    MatchConfirm,
    MediateIn,
    NoticeIn,
    PlatformStatus,
    RectifyIn,
    ReplyIn,
    RerouteIn,
    SpinOffIn,
    VerifyIn,
)
from supervise.api import UploadForm, import_upload, json_body, ok
from supervise.auth import roles
from supervise.models import User
from supervise.openapi import Operation, api_doc
from supervise.schemas import ImportReport
from supervise.web import actor, request_session

bp = Blueprint("complaints_api", __name__)


@bp.post("/api/complaints")
@roles("hotline", "admin")
@api_doc(
    Operation(
        "Receive a 工单 from the 12345 platform; the same 工单号 again changes nothing (200)", "complaints",
        body=ComplaintIn, response=ComplaintPublic, status=201,
    )
)  # fmt: skip
def receive() -> Any:
    data = ComplaintIn.model_validate(json_body())
    session = request_session()
    row, created = services.receive(session, data=data, source="api", actor=actor())
    # The platform sent the 工单 itself: it gets it back (masked), whichever department it went to.
    view = services.views(session, [row], viewer_role=current_user.role, viewer_id=current_user.id)[0]
    return ok(ComplaintPublic(**view), 201 if created else 200)


def _public(ticket_no: str) -> ComplaintPublic:
    return ComplaintPublic(
        **services.one_view(
            request_session(), ticket_no=ticket_no, viewer_role=current_user.role, viewer_id=current_user.id,
            department_id=current_user.department_id,
        )
    )  # fmt: skip


def _user() -> User:
    user = request_session().get(User, current_user.id)
    assert user is not None
    return user


@bp.post("/api/complaints/import")
@roles("supervisor", "admin")
@api_doc(
    Operation(
        "Import 工单 from .csv/.xlsx (all rows or none; 工单号 already held are skipped)", "complaints",
        body=UploadForm, body_content="multipart/form-data", response=ImportReport, errors=(413, 422),
    )
)  # fmt: skip
def import_file() -> Any:
    return import_upload(services.IMPORT)


@bp.get("/api/complaints")
@roles("supervisor", "auditor", "admin", "inspector", "reviewer")
@api_doc(
    Operation(
        "The complaints with their states and due dates: all for the 督查室, auditors and admins, the department's "
        "own for its officers; the contact is masked except for the 督查室 and the handling officer", "complaints",
        response=ComplaintPublic, response_list=True,
    )
)  # fmt: skip
def listing() -> Any:
    rows = services.complaint_rows(
        request_session(), viewer_role=current_user.role, viewer_id=current_user.id,
        department_id=current_user.department_id,
    )  # fmt: skip
    return ok([ComplaintPublic(**r) for r in rows])


@bp.get("/api/complaints/<ticket_no>/candidates")
@roles("supervisor", "admin")
@api_doc(
    Operation(
        "The registered firms a 工单 may mean (short names and legal-form variants), best first", "complaints",
        response_schema={"type": "array", "items": {"type": "object"}}, errors=(404,),
    )
)  # fmt: skip
def candidates(ticket_no: str) -> Any:
    return jsonify(services.match_candidates(request_session(), ticket_no=ticket_no))


@bp.post("/api/complaints/<ticket_no>/match")
@roles("supervisor", "admin")
@api_doc(
    Operation(
        "Confirm which registered firm a 工单 concerns", "complaints", body=MatchConfirm, response=ComplaintPublic,
        errors=(404, 409),
    )
)  # fmt: skip
def match(ticket_no: str) -> Any:
    data = MatchConfirm.model_validate(json_body())
    services.confirm_match(request_session(), ticket_no=ticket_no, uscc=data.uscc, actor=actor())
    return ok(_public(ticket_no))


@bp.get("/api/complaints/<ticket_no>")
@roles("supervisor", "auditor", "admin", "inspector", "reviewer")
@api_doc(Operation("One complaint as the viewer may see it", "complaints", response=ComplaintPublic, errors=(403, 404)))
def one(ticket_no: str) -> Any:
    return ok(_public(ticket_no))


@bp.get("/api/complaints/<ticket_no>/status")
@roles("hotline", "supervisor", "admin")
@api_doc(
    Operation(
        "The 工单's state and 答复, polled by the 12345 platform", "complaints", response=PlatformStatus, errors=(404,)
    )
)  # fmt: skip
def status(ticket_no: str) -> Any:
    return ok(PlatformStatus(**workflow.platform_status(services.complaint_row(request_session(), ticket_no))))


@bp.post("/api/complaints/<ticket_no>/route")
@roles("supervisor", "admin")
@api_doc(
    Operation("交办: send a 工单 to another department, with the reason", "complaints", body=RerouteIn,
              response=ComplaintPublic, errors=(404, 409))
)  # fmt: skip
def reroute(ticket_no: str) -> Any:
    data = RerouteIn.model_validate(json_body())
    workflow.reroute(
        request_session(), ticket_no=ticket_no, department_code=data.department_code, reason=data.reason,
        actor=actor(),
    )  # fmt: skip
    return ok(_public(ticket_no))


@bp.post("/api/complaints/<ticket_no>/sign")
@roles("inspector", "reviewer")
@api_doc(Operation("签收 a 工单 of one's department", "complaints", response=ComplaintPublic, errors=(403, 404, 409)))
def sign(ticket_no: str) -> Any:
    workflow.sign(request_session(), ticket_no=ticket_no, user=_user(), actor=actor())
    return ok(_public(ticket_no))


@bp.post("/api/complaints/<ticket_no>/accept")
@roles("inspector", "reviewer")
@api_doc(
    Operation("受理/不予受理 a 投诉, or start a 举报's 核查 (a directed visit)", "complaints", body=AcceptIn,
              response=ComplaintPublic, errors=(403, 404, 409))
)  # fmt: skip
def accept(ticket_no: str) -> Any:
    data = AcceptIn.model_validate(json_body())
    workflow.accept(
        request_session(), ticket_no=ticket_no, user=_user(), actor=actor(), decision=data.decision,
        reason=data.reason, team=data.team, items=data.items, ground=data.ground,
    )  # fmt: skip
    return ok(_public(ticket_no))


@bp.post("/api/complaints/<ticket_no>/verify")
@roles("inspector", "reviewer")
@api_doc(
    Operation("Record the 核查: the finding, each 检查要点 and a 举报's 立案 decision", "complaints", body=VerifyIn,
              response=ComplaintPublic, errors=(403, 404, 409))
)  # fmt: skip
def verify(ticket_no: str) -> Any:
    data = VerifyIn.model_validate(json_body())
    workflow.verify(
        request_session(), ticket_no=ticket_no, user=_user(), actor=actor(), visited_on=data.visited_on,
        finding=data.finding, note=data.note, points=dict(data.points), case_decision=data.case_decision,
        case_number=data.case_number,
    )  # fmt: skip
    return ok(_public(ticket_no))


@bp.post("/api/complaints/<ticket_no>/rectify")
@roles("inspector", "reviewer")
@api_doc(
    Operation("责令改正 after a 核查 found the 工单 true; its 复查 joins the joint schedule", "complaints",
              body=RectifyIn, response=ComplaintPublic, errors=(403, 404, 409))
)  # fmt: skip
def rectify(ticket_no: str) -> Any:
    data = RectifyIn.model_validate(json_body())
    workflow.order_rectification(
        request_session(), ticket_no=ticket_no, user=_user(), actor=actor(), reason=data.reason,
        legal_basis=data.legal_basis, deadline_days=data.deadline_days,
    )  # fmt: skip
    return ok(_public(ticket_no))


@bp.post("/api/complaints/<ticket_no>/close")
@roles("inspector", "reviewer")
@api_doc(Operation("办结 a 工单", "complaints", body=CloseIn, response=ComplaintPublic, errors=(403, 404, 409)))
def close(ticket_no: str) -> Any:
    data = CloseIn.model_validate(json_body())
    workflow.close(request_session(), ticket_no=ticket_no, user=_user(), actor=actor(), note=data.note)
    return ok(_public(ticket_no))


@bp.post("/api/complaints/<ticket_no>/reply")
@roles("inspector", "reviewer")
@api_doc(
    Operation("答复 the complainant", "complaints", body=ReplyIn, response=ComplaintPublic, errors=(403, 404, 409))
)
def reply(ticket_no: str) -> Any:
    data = ReplyIn.model_validate(json_body())
    workflow.reply(request_session(), ticket_no=ticket_no, user=_user(), actor=actor(), channel=data.channel,
                   text=data.reply)  # fmt: skip
    return ok(_public(ticket_no))


@bp.post("/api/complaints/<ticket_no>/mediate")
@roles("inspector", "reviewer")
@api_doc(
    Operation("A step of a 投诉's 调解: start, 中止, resume, agreement or 终止 (办法第十六至二十二条)",
              "complaints", body=MediateIn, response=ComplaintPublic, errors=(403, 404, 409))
)  # fmt: skip
def mediate(ticket_no: str) -> Any:
    data = MediateIn.model_validate(json_body())
    mediation.mediate(
        request_session(), ticket_no=ticket_no, user=_user(), actor=actor(), action=data.action, reason=data.reason,
        paper=data.paper, ground=data.ground, note=data.note,
    )  # fmt: skip
    return ok(_public(ticket_no))


@bp.post("/api/complaints/<ticket_no>/<any(reporter, mediation):whom>-notice")
@roles("inspector", "reviewer")
@api_doc(
    Operation("Record a statutory notice: the 实名 reporter told of the 立案 decision (第三十一条第二款), or both "
              "parties told of the 终止调解 (第二十一条第二款)", "complaints", body=NoticeIn, response=ComplaintPublic,
              errors=(403, 404, 409))
)  # fmt: skip
def notice(ticket_no: str, whom: str) -> Any:
    data = NoticeIn.model_validate(json_body())
    step = workflow.notify_reporter if whom == "reporter" else mediation.notify_end
    step(request_session(), ticket_no=ticket_no, user=_user(), actor=actor(), notified_on=data.notified_on,
         channel=data.channel)  # fmt: skip
    return ok(_public(ticket_no))


@bp.post("/api/complaints/<ticket_no>/reports")
@roles("inspector", "reviewer")
@api_doc(
    Operation("Open a 举报 from a 投诉: its 举报 part split off (第七条) or a 线索 found in 调解 (第二十三条)",
              "complaints", body=SpinOffIn, response=ComplaintPublic, status=201, errors=(403, 404, 409))
)  # fmt: skip
def spin_off(ticket_no: str) -> Any:
    data = SpinOffIn.model_validate(json_body())
    child = separation.open_report(request_session(), ticket_no=ticket_no, user=_user(), actor=actor(),
                                   origin=data.origin, content=data.content)  # fmt: skip
    session = request_session()
    view = services.views(session, [child], viewer_role=current_user.role, viewer_id=current_user.id)[0]
    return ok(ComplaintPublic(**view), 201)
