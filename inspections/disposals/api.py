"""JSON API of the enforcement loop: disposals of a visit, 复查, 抄告 acknowledgement and the 行政处罚案件."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request
from flask_login import current_user

from credit import bars
from inspections.disposals import case_papers, cases, services
from inspections.disposals.case_actions import ACTIONS, Action
from inspections.disposals.case_base import STATUS_LABELS, load_case
from inspections.disposals.case_record import case_record
from inspections.disposals.schemas import (
    AckCreate,
    CaseDay,
    CaseDecide,
    CaseFile,
    CaseNotFile,
    CasePublic,
    CaseServe,
    DisposalCreate,
    DisposalPublic,
    RecheckCreate,
)
from inspections.results import inspector_of_user
from supervise.api import json_body, ok
from supervise.auth import roles
from supervise.errors import field_error
from supervise.models import User
from supervise.openapi import Operation, Param, api_doc
from supervise.web import actor, pdf_download, request_session

bp = Blueprint("disposals_api", __name__)
STATUSES = ("open", "closed", "escalated")
READERS = ("supervisor", "auditor", "admin", "reviewer", "inspector", "credit_officer", "licensing_officer")


def _one(disposal_id: int) -> DisposalPublic:
    (row,) = services.disposal_rows(request_session(), disposal_id=disposal_id)
    return DisposalPublic(**row)


@bp.get("/api/disposals")
@roles("supervisor", "auditor", "admin")
@api_doc(
    Operation(
        "Every disposal with kind, status, due date and links (status: open, closed, escalated)", "disposals",
        response=DisposalPublic, response_list=True, params=(Param("status"),),
    )
)  # fmt: skip
def listing() -> Any:
    status = request.args.get("status") or None
    if status is not None and status not in STATUSES:
        raise field_error("status", "状态应为 open（处置中）、closed（已完结）或 escalated（已转移送）")
    return ok([DisposalPublic(**r) for r in services.disposal_rows(request_session(), status=status)])


@bp.get("/api/disposals/mine")
@roles(*READERS[3:])
@api_doc(
    Operation(
        "The disposals the signed-in user's department owns, and the 抄告 it received", "disposals",
        response=DisposalPublic, response_list=True,
    )
)  # fmt: skip
def mine() -> Any:
    dept = current_user.department_id
    session = request_session()
    own = services.disposal_rows(session, department_id=dept) if dept else []
    received = services.disposal_rows(session, refer_department_id=dept) if dept else []
    return ok([DisposalPublic(**r) for r in own + received])


@bp.post("/api/assignments/<int:target_id>/disposals")
@roles("inspector")
@api_doc(
    Operation(
        "Record the 后续处置 of a visit's finding (team members; the department's own part)", "disposals",
        body=DisposalCreate, response=DisposalPublic, status=201, errors=(404, 409),
    )
)  # fmt: skip
def create(target_id: int) -> Any:
    data = DisposalCreate.model_validate(json_body())
    session = request_session()
    disposal = services.create_disposal(
        session, target_id=target_id, inspector=inspector_of_user(session, current_user.id), kind=data.kind,
        reason=data.reason, legal_basis=data.legal_basis, deadline_days=data.deadline_days,
        refer_department=data.refer_department, actor=actor(),
    )  # fmt: skip
    return ok(_one(disposal.id or 0), 201)


@bp.post("/api/disposals/<int:disposal_id>/recheck")
@roles("inspector")
@api_doc(
    Operation(
        "Record the 复查 of a 责令改正", "disposals", body=RecheckCreate, response=DisposalPublic, errors=(404, 409)
    )
)
def recheck(disposal_id: int) -> Any:
    data = RecheckCreate.model_validate(json_body())
    session = request_session()
    services.record_recheck(
        session, disposal_id=disposal_id, inspector=inspector_of_user(session, current_user.id), outcome=data.outcome,
        checked_on=data.checked_on, note=data.note, actor=actor(),
    )  # fmt: skip
    return ok(_one(disposal_id))


@bp.post("/api/disposals/<int:disposal_id>/acknowledge")
@roles(*READERS[3:])
@api_doc(
    Operation("Acknowledge an 抄告 (the receiving department)", "disposals", body=AckCreate, response=DisposalPublic)
)
def acknowledge(disposal_id: int) -> Any:
    data = AckCreate.model_validate(json_body())
    session = request_session()
    user = session.get(User, current_user.id)
    assert user is not None
    services.acknowledge(session, disposal_id=disposal_id, user=user, note=data.note, actor=actor())
    return ok(_one(disposal_id))


def _me() -> Any:
    return inspector_of_user(request_session(), current_user.id)


@bp.post("/api/cases/<int:case_id>/file")
@roles("inspector")
@api_doc(
    Operation(
        "立案 of a 行政处罚案件 (the 办案机构)", "disposals", body=CaseFile, response=DisposalPublic, errors=(404, 409)
    )
)
def case_file(case_id: int) -> Any:
    f = CaseFile.model_validate(json_body())
    case = cases.file_case(
        request_session(), case_id=case_id, inspector=_me(), case_number=f.case_number, filed_on=f.filed_on,
        actor=actor(),
    )  # fmt: skip
    return ok(_one(case.disposal_id))


@bp.post("/api/cases/<int:case_id>/not-file")
@roles("inspector")
@api_doc(
    Operation(
        "不予立案 on a ground of 程序规定 第二十条, with the reason (a lenient ground records the 教育)",
        "disposals",
        body=CaseNotFile,
        response=DisposalPublic,
        errors=(404, 409),
    )
)
def case_not_file(case_id: int) -> Any:
    n = CaseNotFile.model_validate(json_body())
    case = cases.not_file(
        request_session(), case_id=case_id, inspector=_me(), reason=n.reason, ground=n.ground, education=n.education,
        correction=n.correction, actor=actor(),
    )  # fmt: skip
    return ok(_one(case.disposal_id))


@bp.post("/api/cases/<int:case_id>/decide")
@roles("inspector")
@api_doc(
    Operation(
        "The 处罚决定: published as 行政处罚信息; a 较重 one on a 44号令 ground proposes a 严重违法失信 entry",
        "disposals", body=CaseDecide, response=DisposalPublic, errors=(404, 409),
    )
)  # fmt: skip
def case_decide(case_id: int) -> Any:
    d = CaseDecide.model_validate(json_body())
    case = cases.decide_case(
        request_session(), case_id=case_id, inspector=_me(), decision_number=d.decision_number,
        decided_on=d.decided_on, penalty_kind=d.penalty_kind, content=d.content, amount=d.amount,
        serious_ground=d.serious_ground, field=d.field, user_id=current_user.id, actor=actor(),
        restricted_until=d.restricted_until, measures=d.measures, rep_responsible=d.rep_responsible,
        persons=[bars.Barred(p.role, p.name, p.id_number) for p in d.persons],
    )  # fmt: skip
    return ok(_one(case.disposal_id))


@bp.post("/api/cases/<int:case_id>/serve")
@roles("inspector")
@api_doc(
    Operation(
        "送达 of the decision (with the written notice that it will be published)", "disposals", body=CaseServe,
        response=DisposalPublic, errors=(404, 409),
    )
)  # fmt: skip
def case_serve(case_id: int) -> Any:
    d = CaseServe.model_validate(json_body())
    case = cases.serve_case(
        request_session(), case_id=case_id, inspector=_me(), served_on=d.on, actor=actor(),
        publication_notified=d.publication_notified,
    )  # fmt: skip
    return ok(_one(case.disposal_id))


@bp.post("/api/cases/<int:case_id>/fulfil")
@roles("inspector")
@api_doc(
    Operation(
        "履行: closes the case and the 移送", "disposals", body=CaseDay, response=DisposalPublic, errors=(404, 409)
    )
)
def case_fulfil(case_id: int) -> Any:
    day = CaseDay.model_validate(json_body()).on
    case = cases.fulfil_case(request_session(), case_id=case_id, inspector=_me(), fulfilled_on=day, actor=actor())
    return ok(_one(case.disposal_id))


@bp.get("/api/disposals/<int:disposal_id>/notice.pdf")
@roles("inspector")
@api_doc(
    Operation(
        "The 责令改正通知书 as PDF (the deciding department's inspectors)", "disposals",
        response_schema={"type": "string", "format": "binary"}, response_content="application/pdf", errors=(404,),
    )
)  # fmt: skip
def notice(disposal_id: int) -> Any:
    session = request_session()
    name, pdf, digest = services.rectification_notice(
        session, disposal_id=disposal_id, inspector=inspector_of_user(session, current_user.id), actor=actor()
    )
    return pdf_download(name, pdf, digest)


def _step_view(slug: str, action: Action) -> Any:
    def view(case_id: int) -> Any:
        body = action.schema.model_validate(json_body())
        case = action.run(request_session(), case_id, _me(), body, actor())
        return ok(_one(case.disposal_id))

    view.__name__ = f"case_{slug.replace('-', '_')}"
    doc = Operation(action.summary, "disposals", body=action.schema, response=DisposalPublic, errors=(403, 404, 409))
    return roles("inspector")(api_doc(doc)(view))


for _slug, _action in ACTIONS.items():
    bp.add_url_rule(f"/api/cases/<int:case_id>/{_slug}", view_func=_step_view(_slug, _action), methods=["POST"])


@bp.get("/api/cases/<int:case_id>")
@roles("inspector")
@api_doc(
    Operation(
        "A case with its steps (name, date, due date, source), what is overdue and what the decision waits for",
        "disposals", response=CasePublic, errors=(403, 404),
    )
)  # fmt: skip
def case_show(case_id: int) -> Any:
    session = request_session()
    case = load_case(session, case_id, _me(), *STATUS_LABELS)
    return ok(CasePublic(**case_record(session, case)))


@bp.get("/api/cases/<int:case_id>/<any(inform, 'hearing-notice', 'no-penalty'):paper>.pdf")
@roles("inspector")
@api_doc(
    Operation(
        "A case's paper as PDF: 行政处罚告知书 (inform), 听证通知书 (hearing-notice), 不予行政处罚决定书 (no-penalty)",
        "disposals", response_schema={"type": "string", "format": "binary"}, response_content="application/pdf",
        errors=(403, 404, 409),
    )
)  # fmt: skip
def case_paper(case_id: int, paper: str) -> Any:
    name, pdf, digest = case_papers.case_paper(
        request_session(), case_id=case_id, paper=paper, inspector=_me(), actor=actor()
    )
    return pdf_download(name, pdf, digest)
