"""JSON API of the 督查 follow-up: proposals and confirmations (four eyes), the units' 整改报告, the items,
the 督查通报 PDF and a 追责建议's evidence bundle."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from flask import Blueprint, Response, jsonify, request
from flask_login import current_user

from reports.oversight import queries, reviews, rules, services
from reports.oversight.models import OversightDecision, OversightNotice
from reports.oversight.notice_pdf import render_oversight_notice
from reports.oversight.schemas import (
    AccountabilityIn,
    DecisionPublic,
    InterviewIn,
    ItemPublic,
    NoticeIn,
    RectifyIn,
    ReportIn,
    ReviewDecisionIn,
    ReviewRequestIn,
    VerdictIn,
)
from supervise import audit
from supervise.api import json_body, ok, uploaded_files
from supervise.attachments import read as read_attachment
from supervise.attachments import store
from supervise.auth import roles
from supervise.errors import field_error
from supervise.fonts import find_cjk_font
from supervise.models import User
from supervise.openapi import Operation, api_doc
from supervise.paper import PdfFontMissing
from supervise.web import actor, attachment, pdf_download, request_session

bp = Blueprint("oversight_api", __name__)
READERS = ("supervisor", "auditor", "admin", "unit")


def _user() -> User:
    user = request_session().get(User, current_user.id)
    assert user is not None
    return user


def decision_public(row: OversightDecision, number: str | None = None) -> DecisionPublic:
    """A decision as the API returns it."""
    return DecisionPublic(
        id=row.id or 0, kind=row.kind, label=rules.DECISION_LABELS[row.kind], state=row.state, number=number,
        result=row.result, payload=json.loads(row.payload),
    )  # fmt: skip


def propose_notice(data: NoticeIn | RectifyIn, kind: str) -> OversightDecision:
    """Propose a 通报 or 整改通知 for a unit the period's metrics flag (shared by the API and the page)."""
    session = request_session()
    unit = services.flagged_unit(
        session, region=data.region_code, period=data.period, unit_kind=data.unit_kind, unit_code=data.unit_code
    )
    payload = {**data.model_dump(mode="json"), "unit_name": unit["name"], "reasons": unit["reasons"]}
    return services.propose(session, kind=kind, user=_user(), actor=actor(), payload=payload)


@bp.post("/api/oversight/notices")
@roles("supervisor")
@api_doc(Operation("Propose a 督查通报 (with days: and its 整改通知) for a lagging unit", "oversight", body=NoticeIn,
                   response=DecisionPublic, status=201, errors=(409,)))  # fmt: skip
def notice() -> Any:
    return ok(decision_public(propose_notice(NoticeIn.model_validate(json_body()), rules.NOTICE)), 201)


@bp.post("/api/oversight/rectifications")
@roles("supervisor")
@api_doc(Operation("Propose a 整改通知 for a lagging unit", "oversight", body=RectifyIn, response=DecisionPublic,
                   status=201, errors=(409,)))  # fmt: skip
def rectify() -> Any:
    return ok(decision_public(propose_notice(RectifyIn.model_validate(json_body()), rules.RECTIFY)), 201)


def _propose_on(number: str, kind: str, payload: dict[str, Any]) -> Any:
    row = services.propose(request_session(), kind=kind, user=_user(), actor=actor(), payload=payload, number=number)
    return ok(decision_public(row, number), 201)


@bp.post("/api/oversight/rectifications/<number>/accept")
@roles("supervisor")
@api_doc(Operation("Propose to accept the unit's 整改报告", "oversight", body=VerdictIn, response=DecisionPublic,
                   status=201, errors=(404, 409)))  # fmt: skip
def accept(number: str) -> Any:
    return _propose_on(number, rules.ACCEPT, VerdictIn.model_validate(json_body()).model_dump())


@bp.post("/api/oversight/rectifications/<number>/return")
@roles("supervisor")
@api_doc(Operation("Propose to return the unit's 整改报告 with reasons", "oversight", body=VerdictIn,
                   response=DecisionPublic, status=201, errors=(404, 409)))  # fmt: skip
def return_report(number: str) -> Any:
    return _propose_on(number, rules.RETURN, VerdictIn.model_validate(json_body()).model_dump())


@bp.post("/api/oversight/rectifications/<number>/interview")
@roles("supervisor")
@api_doc(Operation("Propose the 约谈 record, once the escalation rules call for it", "oversight", body=InterviewIn,
                   response=DecisionPublic, status=201, errors=(404, 409)))  # fmt: skip
def interview(number: str) -> Any:
    return _propose_on(number, rules.INTERVIEW, InterviewIn.model_validate(json_body()).model_dump(mode="json"))


@bp.post("/api/oversight/rectifications/<number>/accountability")
@roles("supervisor")
@api_doc(Operation("Propose a 追责建议, once the escalation rules call for it", "oversight", body=AccountabilityIn,
                   response=DecisionPublic, status=201, errors=(404, 409)))  # fmt: skip
def accountability(number: str) -> Any:
    return _propose_on(
        number, rules.ACCOUNTABILITY, AccountabilityIn.model_validate(json_body()).model_dump(mode="json")
    )


@bp.post("/api/oversight/decisions/<int:decision_id>/confirm")
@roles("supervisor")
@api_doc(Operation("Confirm another member's proposal (four eyes); it takes effect now", "oversight",
                   response=DecisionPublic, errors=(403, 404, 409)))  # fmt: skip
def confirm(decision_id: int) -> Any:
    return ok(
        decision_public(services.confirm(request_session(), decision_id=decision_id, user=_user(), actor=actor()))
    )


@bp.post("/api/oversight/decisions/<int:decision_id>/withdraw")
@roles("supervisor")
@api_doc(Operation("Withdraw one's own pending proposal", "oversight", response=DecisionPublic, errors=(403, 404, 409)))
def withdraw(decision_id: int) -> Any:
    return ok(
        decision_public(services.withdraw(request_session(), decision_id=decision_id, user=_user(), actor=actor()))
    )


@bp.get("/api/oversight/decisions")
@roles("supervisor", "auditor", "admin")
@api_doc(Operation("Decisions waiting for a second member of the 督查室", "oversight",
                   response_schema={"type": "array", "items": {"type": "object"}}))  # fmt: skip
def pending() -> Any:
    return jsonify(queries.pending(request_session()))


@bp.get("/api/oversight/rectifications")
@roles(*READERS)
@api_doc(Operation("整改 items, overdue first (a unit account: its own only); open=1 leaves out finished ones",
                   "oversight", response=ItemPublic, response_list=True))  # fmt: skip
def listing() -> Any:
    dept = current_user.department_id if current_user.role == "unit" else None
    if current_user.role == "unit" and dept is None:
        return ok([])
    rows = queries.items(request_session(), department_id=dept, only_open=request.args.get("open") == "1")
    return ok([ItemPublic(**r) for r in rows])


@bp.get("/api/oversight/rectifications/<number>")
@roles(*READERS)
@api_doc(Operation("One 整改 item (a unit account: its own only)", "oversight", response=ItemPublic,
                   errors=(403, 404)))  # fmt: skip
def one(number: str) -> Any:
    return ok(ItemPublic(**queries.one(request_session(), number=number, user=_user())))


@bp.post("/api/oversight/rectifications/<number>/report")
@roles("unit")
@api_doc(Operation("Submit the unit's 整改报告 (JSON text, or multipart text and files)", "oversight",
                   response=ItemPublic, status=201, errors=(403, 404, 409, 413)))  # fmt: skip
def report(number: str) -> Any:
    session = request_session()
    if request.mimetype == "multipart/form-data":
        data, files = ReportIn.model_validate({"report_text": request.form.get("report_text", "")}), uploaded_files()
    else:
        data, files = ReportIn.model_validate(json_body()), []
    user = _user()
    services.submit_report(
        session, number=number, user=user, actor=actor(), text=data.report_text, attachments=store(files)
    )
    return ok(ItemPublic(**queries.one(session, number=number, user=user)), 201)


@bp.get("/api/oversight/rectifications/<number>/attachments/<sha256>")
@roles(*READERS)
@api_doc(Operation("An attachment of the item's 整改报告 (a unit account: its own only)", "oversight",
                   response_content="application/octet-stream", errors=(403, 404)))  # fmt: skip
def report_attachment(number: str, sha256: str) -> Any:
    view = queries.one(request_session(), number=number, user=_user())  # 403 for another unit's item
    found = next((a for r in view["reports"] for a in r["attachments"] if a["sha256"] == sha256), None)
    if found is None:
        raise field_error("sha256", "附件不存在", status=404)
    try:
        data = read_attachment(sha256)
    except FileNotFoundError:
        raise field_error("sha256", "附件文件缺失", status=404) from None
    return Response(data, mimetype=found["type"], headers={"Content-Disposition": attachment(found["name"])})


@bp.get("/api/oversight/rectifications/<number>/evidence")
@roles("supervisor", "auditor", "admin")
@api_doc(Operation("The evidence bundle of an item: 通报, reports, decisions and their audit entries", "oversight",
                   response_schema={"type": "object"}, errors=(404,)))  # fmt: skip
def evidence(number: str) -> Any:
    return jsonify(queries.evidence(request_session(), number=number))


@bp.get("/api/oversight/notices/<int:notice_id>/notice.pdf")
@roles("supervisor", "auditor", "admin", "unit")
@api_doc(Operation("The 督查通报 as a PDF (红头, 文号, 主送, 抄送)", "oversight", response_content="application/pdf",
                   errors=(403, 404)))  # fmt: skip
def notice_pdf(notice_id: int) -> Any:
    session = request_session()
    row = session.get(OversightNotice, notice_id)
    if row is None:
        raise field_error("notice_id", f"督查通报 {notice_id} 不存在", status=404)
    if current_user.role == "unit" and not queries.addressed_to(session, row, current_user.department_id):
        raise field_error("notice_id", "只能查看发给本单位的督查通报", status=403)
    font = find_cjk_font()
    if font is None:
        raise PdfFontMissing("no TrueType CJK font: install fonts-wqy-microhei or set SUPERVISE_CJK_FONT")
    pdf = render_oversight_notice(queries.notice_data(session, number=row.number), font=font)
    digest = hashlib.sha256(pdf).hexdigest()
    audit.record(session, actor=actor(), action="oversight.notice_printed", object_type="oversight",
                 object_id=row.number, payload={"sha256": digest})  # fmt: skip
    return pdf_download(f"督查通报-{row.number}.pdf", pdf, digest)


@bp.post("/api/oversight/notices/<number>/review")
@roles("unit")
@api_doc(Operation("A unit asks for 复核 of a 通报 addressed to it, within 30 days of receiving it (条例 第十七条)",
                   "oversight", body=ReviewRequestIn, response_schema={"type": "object"}, status=201,
                   errors=(403, 404, 409)))  # fmt: skip
def request_review(number: str) -> Any:
    data = ReviewRequestIn.model_validate(json_body())
    row = reviews.request_review(
        request_session(), number=number, user=_user(), received_on=data.received_on, reasons=data.reasons,
        actor=actor(),
    )  # fmt: skip
    resp = jsonify({"id": row.id, "decision_due": row.decision_due.isoformat()})
    resp.status_code = 201
    return resp


@bp.post("/api/oversight/reviews/<int:review_id>/decide")
@roles("supervisor")
@api_doc(Operation("The 复核决定, by a 督查 member who took no part in the 结论", "oversight", body=ReviewDecisionIn,
                   response_schema={"type": "object"}, errors=(403, 404, 409)))  # fmt: skip
def decide_review(review_id: int) -> Any:
    data = ReviewDecisionIn.model_validate(json_body())
    row = reviews.decide_review(
        request_session(), review_id=review_id, user=_user(), outcome=data.outcome, decision=data.decision,
        actor=actor(),
    )  # fmt: skip
    decided = row.decided_on.isoformat() if row.decided_on else None
    return jsonify({"id": row.id, "outcome": row.outcome, "decided_on": decided})


@bp.get("/api/oversight/reviews")
@roles("supervisor", "auditor", "admin", "unit")
@api_doc(Operation("复核 requests, undecided first; a unit sees its own", "oversight",
                   response_schema={"type": "array"}))  # fmt: skip
def list_reviews() -> Any:
    dept = current_user.department_id if current_user.role == "unit" else None
    if current_user.role == "unit" and dept is None:
        return jsonify([])
    return jsonify(reviews.reviews(request_session(), department_id=dept))
