"""The case's procedural steps as one table, so the JSON API and the pages take the same input and call the same
service: URL slug -> schema, summary, form fields and the call."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from sqlmodel import Session

from inspections.disposals import case_endings, case_steps
from inspections.disposals import schemas as s
from inspections.disposals.models import EnforcementCase
from supervise.models import Inspector

Run = Callable[[Session, int, Inspector, Any, str], EnforcementCase]


@dataclass(frozen=True)
class Action:
    schema: type[BaseModel]
    summary: str
    run: Run
    flags: tuple[str, ...] = ()  # checkbox fields of the page's form
    lists: tuple[str, ...] = ()  # multi-select fields


ACTIONS: dict[str, Action] = {
    "inform": Action(
        s.CaseInform, "行政处罚告知（行政处罚法第四十四条）：拟作出的处罚、事实、理由、依据和权利，适用的告知听证权利",
        lambda se, c, me, b, a: case_steps.inform_case(
            se, case_id=c, inspector=me, inform_number=b.inform_number, informed_on=b.informed_on,
            measures=list(b.measures), amount=b.proposed_amount, facts=b.facts, reasons=b.reasons, basis=b.basis,
            listing=b.listing, complex_case=b.complex_case, actor=a,
        ),
        flags=("listing", "complex_case"), lists=("measures",),
    ),
    "statement": Action(
        s.CaseStatement, "当事人陈述、申辩（第四十五条）",
        lambda se, c, me, b, a: case_steps.record_statement(
            se, case_id=c, inspector=me, stated_on=b.stated_on, statement=b.statement, actor=a
        ),
    ),
    "review-statement": Action(
        s.CaseStatementReview, "复核陈述、申辩（第四十五条）",
        lambda se, c, me, b, a: case_steps.review_statement(
            se, case_id=c, inspector=me, reviewed_on=b.reviewed_on, adopted=b.adopted, opinion=b.opinion, actor=a
        ),
        flags=("adopted",),
    ),
    "request-hearing": Action(
        s.CaseHearingRequest, "当事人申请听证（告知后五个工作日内，第六十四条）",
        lambda se, c, me, b, a: case_steps.request_hearing(
            se, case_id=c, inspector=me, requested_on=b.requested_on, actor=a
        ),
    ),
    "notice-hearing": Action(
        s.CaseHearingNotice, "听证通知（听证七个工作日前，非本案调查人员主持）",
        lambda se, c, me, b, a: case_steps.notice_hearing(
            se, case_id=c, inspector=me, notice_number=b.notice_number, noticed_on=b.noticed_on,
            hearing_on=b.hearing_on, place=b.place,
            host_badge=b.host_badge, recusal=b.recusal, actor=a,
        ),
    ),
    "hearing": Action(
        s.CaseHearing, "举行听证或当事人放弃听证",
        lambda se, c, me, b, a: case_steps.hold_hearing(
            se, case_id=c, inspector=me, held_on=b.held_on, waived=b.waived, record=b.record, actor=a
        ),
        flags=("waived",),
    ),
    "legal-review": Action(
        s.CaseLegalReview, "法制审核（第五十八条，非本案调查人员）",
        lambda se, c, me, b, a: case_steps.legal_review(
            se, case_id=c, inspector=me, reviewed_on=b.reviewed_on, passed=b.passed, opinion=b.opinion, actor=a
        ),
        flags=("passed",),
    ),
    "collective": Action(
        s.CaseCollective, "负责人集体讨论（第五十七条第二款）",
        lambda se, c, me, b, a: case_steps.collective_discussion(
            se, case_id=c, inspector=me, held_on=b.held_on, attendees=b.attendees, conclusion=b.conclusion, actor=a
        ),
    ),
    "extend-filing": Action(
        s.CaseFilingExtend, "延长立案期限：经批准延长十五个工作日，或检测等所需时间不计入（程序规定第十八条）",
        lambda se, c, me, b, a: case_steps.extend_filing(
            se, case_id=c, inspector=me, approved_on=b.approved_on, approved_by=b.approved_by, reason=b.reason,
            testing_days=b.testing_days, actor=a,
        ),
    ),
    "extend": Action(
        s.CaseExtend, "经批准延长办案期限（第六十条）",
        lambda se, c, me, b, a: case_steps.extend_case(
            se, case_id=c, inspector=me, days=b.days, approved_on=b.approved_on, approved_by=b.approved_by,
            reason=b.reason, actor=a,
        ),
    ),
    "no-penalty": Action(
        s.CaseNoPenalty, "不予行政处罚决定（第三十三条），记录教育和改正情况",
        lambda se, c, me, b, a: case_endings.decide_no_penalty(
            se, case_id=c, inspector=me, decision_number=b.decision_number, decided_on=b.decided_on, ground=b.ground,
            education=b.education, correction=b.correction, actor=a, lenient_item=b.lenient_item,
        ),
    ),
    "transfer": Action(
        s.CaseTransfer, "涉嫌犯罪，移送司法机关（第二十七条；国务院令第310号）",
        lambda se, c, me, b, a: case_endings.transfer_case(
            se, case_id=c, inspector=me, reported_on=b.reported_on, approved_on=b.approved_on,
            transferred_on=b.transferred_on, approved_by=b.approved_by, organ=b.organ, actor=a,
        ),
    ),
}  # fmt: skip


def form_body(action: Action, form: Any) -> dict[str, Any]:
    """A page's form as the step's JSON body: checkboxes to booleans, multi-selects to lists, blanks dropped."""
    body: dict[str, Any] = {}
    for name in action.schema.model_fields:
        if name in action.flags:
            body[name] = form.get(name) == "on"
        elif name in action.lists:
            body[name] = form.getlist(name)
        elif form.get(name, "") != "":
            body[name] = form.get(name)
    return body
