"""JSON API of the credit module: entries and due process, the licensing check and outcomes, public query."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request, url_for
from flask_login import current_user
from sqlmodel import col, select

from credit import applications, penalties
from credit.applications import application_public
from credit.control import unchecked_licences, unreported_checks
from credit.licensing import breaches, check, report_outcome
from credit.models import ListEntry
from credit.public import public_entries
from credit.redlist import RED_IMPORT
from credit.schemas import (
    ApplicationPublic,
    Breach,
    CheckAnswer,
    CheckRequest,
    EntryCreate,
    EntryPublic,
    OutcomeReported,
    OutcomeRequest,
    PenaltyCreate,
    PenaltyPublic,
    PenaltyStop,
    PenaltyStopDecision,
    PenaltyWithdraw,
    PublicEntry,
    RedImported,
    RedImportForm,
    StatementRequest,
    TransitionRequest,
    UncheckedLicence,
    UnreportedCheck,
)
from credit.services import entry_public, propose, record_statement, rule_of, scoped_entries, transition
from supervise.api import UploadForm, import_upload, int_arg, json_body, ok
from supervise.auth import PUBLIC, roles
from supervise.errors import field_error
from supervise.models import Department, Enterprise
from supervise.openapi import Operation, Param, api_doc
from supervise.queue import enqueue_after_commit
from supervise.schemas import JobAccepted
from supervise.web import actor, request_session

bp = Blueprint("credit_api", __name__)
OFFICERS = ("credit_officer", "admin")


@bp.post("/api/credit/entries")
@roles(*OFFICERS)
@api_doc(
    Operation(
        "Propose (拟列入) a firm for a credit list",
        "credit",
        body=EntryCreate,
        response=EntryPublic,
        status=201,
        errors=(404, 409),
    )
)
def add_entry() -> Any:
    data = EntryCreate.model_validate(json_body())
    session = request_session()
    entry = propose(session, user_id=current_user.id, actor=actor(), **data.model_dump())
    return ok(entry_public(session, entry), 201)


@bp.get("/api/credit/entries")
@roles("credit_officer", "supervisor", "admin")
@api_doc(
    Operation(
        "List entries, optionally of one firm or state",
        "credit",
        response=EntryPublic,
        response_list=True,
        params=(Param("uscc"), Param("state"), Param("limit", schema={"type": "integer"})),
    )
)
def entries() -> Any:
    session = request_session()
    stmt = select(ListEntry).order_by(col(ListEntry.id).desc())
    uscc, state = request.args.get("uscc"), request.args.get("state")
    if uscc:
        stmt = stmt.join(Enterprise, col(Enterprise.id) == col(ListEntry.enterprise_id)).where(Enterprise.uscc == uscc)
    if state:
        stmt = stmt.where(ListEntry.state == state)
    scoped = scoped_entries(session, user_id=current_user.id)
    if scoped is not None:
        stmt = stmt.where(scoped)
    return ok([entry_public(session, e) for e in session.exec(stmt.limit(int_arg("limit", 100, hi=1000))).all()])


@bp.post("/api/credit/entries/<int:entry_id>/transitions")
@roles(*OFFICERS)
@api_doc(
    Operation(
        "Move an entry through due process (notify, decide, object, repair, …)",
        "credit",
        body=TransitionRequest,
        response=EntryPublic,
        errors=(403, 404, 409),
    )
)
def move_entry(entry_id: int) -> Any:
    data = TransitionRequest.model_validate(json_body())
    session = request_session()
    entry = transition(
        session,
        entry_id=entry_id,
        action=data.action,
        user_id=current_user.id,
        actor=actor(),
        note=data.note,
        decision_number=data.decision_number,
        commitment_letter=data.commitment_letter,
        conditions=dict(data.conditions),
        review_kind=data.review_kind,
        served_on=data.served_on,
    )
    return ok(entry_public(session, entry))


@bp.post("/api/credit/entries/<int:entry_id>/statement")
@roles(*OFFICERS)
@api_doc(
    Operation("Record the firm's 陈述申辩", "credit", body=StatementRequest, response=EntryPublic, errors=(404, 409))
)
def add_statement(entry_id: int) -> Any:
    data = StatementRequest.model_validate(json_body())
    session = request_session()
    record_statement(session, entry_id=entry_id, note=data.note, actor=actor(), user_id=current_user.id)
    entry = session.get(ListEntry, entry_id)
    assert entry is not None
    return ok(entry_public(session, entry))


@bp.get("/api/credit/public")
@roles(PUBLIC)
@api_doc(
    Operation(
        "信用查询: current public list entries by USCC or name",
        "credit",
        response=PublicEntry,
        response_list=True,
        params=(Param("q", required=True),),
    )
)
def public() -> Any:
    q = request.args.get("q", "").strip()
    if len(q) < 2:
        raise field_error("q", "请至少输入名称或统一社会信用代码的 2 个字符")
    return ok([PublicEntry(**e) for e in public_entries(request_session(), q=q)])


@bp.post("/api/credit/check")
@roles("licensing_officer", "admin")
@api_doc(
    Operation(
        "May this firm get this licence, on which terms? (logged)",
        "licensing",
        body=CheckRequest,
        response=CheckAnswer,
        errors=(404,),
    )
)
def licensing_check() -> Any:
    data = CheckRequest.model_validate(json_body())
    answer = check(request_session(), uscc=data.uscc, matter=data.matter, user_id=current_user.id, actor=actor())
    return ok(CheckAnswer.model_validate(answer))


@bp.post("/api/credit/check/<check_id>/outcome")
@roles("licensing_officer", "admin")
@api_doc(
    Operation(
        "Report the licensing office's decision on a checked application",
        "licensing",
        body=OutcomeRequest,
        response=OutcomeReported,
        errors=(404, 409),
    )
)
def outcome(check_id: str) -> Any:
    data = OutcomeRequest.model_validate(json_body())
    done = report_outcome(
        request_session(),
        check_id=check_id,
        granted=data.granted,
        measures_applied=data.measures_applied,
        actor=actor(),
        user_id=current_user.id,
    )
    return ok(OutcomeReported.model_validate(done))


@bp.get("/api/credit/breaches")
@roles("supervisor", "admin")
@api_doc(
    Operation(
        "联合惩戒落实 breaches: licences granted against the check",
        "licensing",
        response=Breach,
        response_list=True,
    )
)
def breach_list() -> Any:
    return ok([Breach.model_validate(b) for b in breaches(request_session())])


@bp.post("/api/credit/red-lists/<list_type>/import")
@roles(*OFFICERS)
@api_doc(
    Operation(
        "Import a published red list (.csv/.xlsx with a uscc column; all rows or none)", "credit",
        body=UploadForm, response=RedImported, errors=(404, 413, 422),
    )
)  # fmt: skip
def import_red(list_type: str) -> Any:
    form = RedImportForm.model_validate({k: request.form.get(k, "") for k in RedImportForm.model_fields})
    session = request_session()
    dept = session.exec(select(Department).where(Department.code == form.department_code)).first()
    if dept is None:
        raise field_error("department_code", f"部门 {form.department_code} 不存在")
    rule_of(session, list_type)  # an unknown list is refused before the file is read
    return import_upload(
        RED_IMPORT,
        options={
            "list_type": list_type, "document": form.document, "valid_from": form.valid_from.isoformat(),
            "valid_until": form.valid_until.isoformat(), "department_id": dept.id,
        },
    )  # fmt: skip


@bp.post("/api/credit/penalties")
@roles(*OFFICERS)
@api_doc(
    Operation(
        "Publish a penalty decision as 行政处罚信息",
        "credit",
        body=PenaltyCreate,
        response=PenaltyPublic,
        status=201,
        errors=(404, 409),
    )
)
def add_penalty() -> Any:
    data = PenaltyCreate.model_validate(json_body())
    row = penalties.record(
        request_session(), uscc=data.uscc, decision_number=data.decision_number, decided_on=data.decided_on,
        kind=data.penalty_kind, field=data.penalty_field, content=data.content, department_code=data.department_code,
        user_id=current_user.id, actor=actor(), procedure=data.procedure, restricted_until=data.restricted_until,
    )  # fmt: skip
    return ok(PenaltyPublic.model_validate(row, from_attributes=True), 201)


@bp.post("/api/credit/penalties/<int:penalty_id>/withdraw")
@roles(*OFFICERS)
@api_doc(
    Operation(
        "Withdraw 行政处罚信息 whose decision was changed or annulled (within 3 working days, 45号令 第十一条)",
        "credit",
        body=PenaltyWithdraw,
        response=PenaltyPublic,
        errors=(403, 404, 409),
    )
)
def withdraw_penalty(penalty_id: int) -> Any:
    data = PenaltyWithdraw.model_validate(json_body())
    row = penalties.withdraw(
        request_session(),
        penalty_id=penalty_id,
        changed_on=data.changed_on,
        reason=data.reason,
        user_id=current_user.id,
        actor=actor(),
    )
    return ok(PenaltyPublic.model_validate(row, from_attributes=True))


@bp.post("/api/credit/penalties/<int:penalty_id>/stop")
@roles(*OFFICERS)
@api_doc(
    Operation(
        "Register an application to stop displaying 行政处罚信息 early",
        "credit",
        body=PenaltyStop,
        response=PenaltyPublic,
        errors=(404, 409, 422),
    )
)
def stop_penalty(penalty_id: int) -> Any:
    data = PenaltyStop.model_validate(json_body())
    row = penalties.apply_stop(
        request_session(),
        penalty_id=penalty_id,
        conditions=dict(data.conditions),
        user_id=current_user.id,
        actor=actor(),
    )
    return ok(PenaltyPublic.model_validate(row, from_attributes=True))


@bp.post("/api/credit/penalties/<int:penalty_id>/stop-decision")
@roles(*OFFICERS)
@api_doc(
    Operation(
        "Approve or refuse an early stop (a second officer)",
        "credit",
        body=PenaltyStopDecision,
        response=PenaltyPublic,
        errors=(403, 404, 409),
    )
)
def decide_penalty_stop(penalty_id: int) -> Any:
    data = PenaltyStopDecision.model_validate(json_body())
    row = penalties.decide_stop(
        request_session(),
        penalty_id=penalty_id,
        approve=data.approve,
        note=data.note,
        user_id=current_user.id,
        actor=actor(),
    )
    return ok(PenaltyPublic.model_validate(row, from_attributes=True))


@bp.get("/api/credit/applications")
@roles(*OFFICERS)
@api_doc(
    Operation(
        "Online 异议 and 信用修复 applications waiting to be registered",
        "credit",
        response=ApplicationPublic,
        response_list=True,
    )
)
def application_queue() -> Any:
    return ok([application_public(a) for a in applications.queue(request_session(), user_id=current_user.id)])


@bp.post("/api/credit/applications/<int:application_id>/register")
@roles(*OFFICERS)
@api_doc(
    Operation(
        "Register an online application into its entry's due process",
        "credit",
        response=ApplicationPublic,
        errors=(404, 409, 422),
    )
)
def register_application(application_id: int) -> Any:
    done = applications.register(
        request_session(), application_id=application_id, user_id=current_user.id, actor=actor()
    )
    return ok(application_public(done))


@bp.get("/api/credit/unchecked-licences")
@roles("supervisor", "auditor", "admin")
@api_doc(
    Operation(
        "Licences issued with no check before them (未查询即许可)",
        "licensing",
        response=UncheckedLicence,
        response_list=True,
    )
)
def unchecked_licence_list() -> Any:
    return ok([UncheckedLicence.model_validate(r) for r in unchecked_licences(request_session())])


@bp.get("/api/credit/unreported-checks")
@roles("supervisor", "auditor", "admin")
@api_doc(
    Operation(
        "Checks whose outcome was not reported within the set working days", "licensing",
        response=UnreportedCheck, response_list=True,
    )
)  # fmt: skip
def unreported_check_list() -> Any:
    return ok([UnreportedCheck.model_validate(r) for r in unreported_checks(request_session())])


@bp.post("/api/credit/expire")
@roles("admin")
@api_doc(Operation("Run the daily expiry job now (background)", "credit", response=JobAccepted, status=202))
def expire() -> Any:
    job_id = enqueue_after_commit(
        request_session(),
        "credit.jobs.expire_lists",
        actor(),
        owner_id=current_user.id,
        description="expire credit list entries",
    )
    return ok(JobAccepted(job_id=job_id, status_url=url_for("api.job", job_id=job_id)), 202)
