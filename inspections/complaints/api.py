"""JSON API of the complaint intake: the 12345 platform pushes 工单 (idempotent), an office imports a file, and the
complaints are listed with the complainant's contact masked for all but the 督查室."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify
from flask_login import current_user

from inspections.complaints import services
from inspections.complaints.schemas import ComplaintIn, ComplaintPublic, MatchConfirm
from supervise.api import UploadForm, json_body, ok, uploaded_table
from supervise.auth import roles
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
    row, created = services.receive(request_session(), data=data, source="api", actor=actor())
    return ok(ComplaintPublic(**services.complaint_view(row, viewer_role=current_user.role)), 201 if created else 200)


@bp.post("/api/complaints/import")
@roles("supervisor", "admin")
@api_doc(
    Operation(
        "Import 工单 from .csv/.xlsx (all rows or none; 工单号 already held are skipped)", "complaints",
        body=UploadForm, body_content="multipart/form-data", response=ImportReport, errors=(413, 422),
    )
)  # fmt: skip
def import_file() -> Any:
    rows, _source, _only_valid = uploaded_table(services.REQUIRED)
    return ok(services.import_rows(request_session(), rows=rows, actor=actor()))


@bp.get("/api/complaints")
@roles("supervisor", "auditor", "admin")
@api_doc(
    Operation(
        "The complaints with their states and due dates (contact masked except for the 督查室)", "complaints",
        response=ComplaintPublic, response_list=True,
    )
)  # fmt: skip
def listing() -> Any:
    rows = services.complaint_rows(request_session(), viewer_role=current_user.role)
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
    row = services.confirm_match(request_session(), ticket_no=ticket_no, uscc=data.uscc, actor=actor())
    return ok(ComplaintPublic(**services.complaint_view(row, viewer_role=current_user.role)))
