"""Demo 行政处罚案件, each step made through the services on the day it happened: the heavy case through 告知 (with
the listing), a 听证 requested and held, 法制审核, 集体讨论 and the decision; a light case with no 听证; and a
首违不罚 case closed with the 教育 recorded."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time
from typing import Any

from sqlmodel import Session, select

from inspections.disposals import case_endings, case_steps, cases, services
from inspections.disposals.models import EnforcementCase
from inspections.models import InspectionResult
from supervise import clock
from supervise.clock import FixedClock
from supervise.models import Inspector
from supervise.workdays import STATUTORY_WEEK

ACTOR = "seed:cases"


def _on(day: date, fn: Callable[[], Any]) -> Any:
    with clock.using(FixedClock(datetime.combine(day, time(2), tzinfo=UTC))):  # 10:00 in Beijing
        return fn()


def _wd(day: date, n: int) -> date:
    return STATUTORY_WEEK.add_working_days(day, n)


def colleagues(session: Session, by: Inspector) -> list[Inspector]:
    """Other inspectors of the same department: a 听证 host and a 法制审核 reviewer must not have investigated."""
    return list(
        session.exec(
            select(Inspector).where(Inspector.department_id == by.department_id, Inspector.id != by.id).limit(2)
        )
    )


def heavy_case(session: Session, case_id: int, by: Inspector, start: date, basis: str) -> None:
    """立案, 告知 with the listing, 听证 requested, noticed and held, 法制审核, 集体讨论, decision, 送达, 履行."""
    others = colleagues(session, by)
    host, reviewer = others[0], others[-1]  # the demo's department may have only one other inspector
    on = _wd(start, 1)
    _on(
        on,
        lambda: cases.file_case(
            session, case_id=case_id, inspector=by, case_number="杭上市监立〔2026〕217号", filed_on=on, actor=ACTOR
        ),
    )
    told = _wd(start, 2)
    _on(
        told,
        lambda: case_steps.inform_case(
            session,
            case_id=case_id,
            inspector=by,
            inform_number="杭上市监罚告〔2026〕217号",
            informed_on=told,
            measures=["fine", "confiscate", "suspend"],
            amount="100000",
            facts="经复查，当事人在责令改正期限届满后仍未建立进货查验记录，继续经营来源不明的食品原料。",
            reasons="当事人经责令改正拒不改正，情节严重。",
            basis=basis or "《中华人民共和国食品安全法》",
            listing=True,
            complex_case=False,
            actor=ACTOR,
        ),
    )
    asked = _wd(start, 4)
    _on(
        asked,
        lambda: case_steps.request_hearing(session, case_id=case_id, inspector=by, requested_on=asked, actor=ACTOR),
    )
    heard = _wd(asked, 7)
    _on(
        asked,
        lambda: case_steps.notice_hearing(
            session,
            case_id=case_id,
            inspector=by,
            notice_number="杭上市监听通〔2026〕217号",
            noticed_on=asked,
            hearing_on=heard,
            place="上城区市场监督管理局听证室",
            host_badge=host.badge_no,
            actor=ACTOR,
        ),
    )
    _on(
        heard,
        lambda: case_steps.hold_hearing(
            session,
            case_id=case_id,
            inspector=host,
            held_on=heard,
            waived=False,
            actor=ACTOR,
            record="当事人承认未建立进货查验记录，申辩称已开始整改，请求从轻处罚；调查人员出示复查笔录和照片。",
        ),
    )
    review = _wd(heard, 1)
    _on(
        review,
        lambda: case_steps.legal_review(
            session,
            case_id=case_id,
            inspector=reviewer,
            reviewed_on=review,
            passed=True,
            actor=ACTOR,
            opinion="事实清楚，证据确凿，适用依据正确，程序合法，处罚适当；听证申辩意见已在讨论中考虑。",
        ),
    )
    _on(
        review,
        lambda: case_steps.collective_discussion(
            session,
            case_id=case_id,
            inspector=by,
            held_on=review,
            attendees="局长、分管副局长、法规科科长",
            conclusion="同意按告知内容作出处罚决定，并提出列入严重违法失信名单。",
            actor=ACTOR,
        ),
    )
    decided = _wd(heard, 2)
    _on(
        decided,
        lambda: cases.decide_case(
            session,
            case_id=case_id,
            inspector=by,
            decision_number="杭上市监罚〔2026〕217号",
            decided_on=decided,
            penalty_kind="heavy",
            content="没收违法所得，并处罚款十万元，责令停业整顿十五日",
            amount="100000",
            serious_ground=True,
            field="食品",
            user_id=by.user_id,
            actor=ACTOR,
        ),
    )
    served = _wd(decided, 1)
    _on(
        served,
        lambda: cases.serve_case(
            session, case_id=case_id, inspector=by, served_on=served, actor=ACTOR, publication_notified=True
        ),
    )
    paid = _wd(decided, 6)
    _on(paid, lambda: cases.fulfil_case(session, case_id=case_id, inspector=by, fulfilled_on=paid, actor=ACTOR))


def _filed(session: Session, result: InspectionResult, by: Inspector, basis: str, number: str) -> tuple[int, str]:
    """A finding sent for a case (移送) on the day of the visit and filed the next working day; (case id, points)."""
    points = services.noncompliant_points(session, result.id or 0)
    disposal = _on(result.inspected_on, lambda: services.create_disposal(
        session, target_id=result.target_id, inspector=by, kind="case", legal_basis=basis, actor=ACTOR,
        reason=f"涉嫌违法，移送立案调查：{points}",
    ))  # fmt: skip
    case = session.exec(select(EnforcementCase).where(EnforcementCase.disposal_id == disposal.id)).one()
    cid, on = case.id or 0, _wd(result.inspected_on, 1)
    _on(on, lambda: cases.file_case(session, case_id=cid, inspector=by, case_number=number, filed_on=on, actor=ACTOR))
    return cid, points


def light_case(session: Session, result: InspectionResult, by: Inspector, basis: str) -> int:
    """A 较低数额罚款: 告知 offers no 听证, and the decision follows the 告知 without one."""
    cid, points = _filed(session, result, by, basis, "杭上市监立〔2026〕231号")
    start = result.inspected_on
    told = _wd(start, 2)
    _on(
        told,
        lambda: case_steps.inform_case(
            session,
            case_id=cid,
            inspector=by,
            inform_number="杭上市监罚告〔2026〕231号",
            informed_on=told,
            measures=["warning", "fine"],
            amount="2000",
            facts=f"{result.inspected_on} 现场检查发现：{points}",
            reasons="违法事实清楚，当事人已配合改正，情节较轻。",
            basis=basis or "《中华人民共和国食品安全法》",
            listing=False,
            complex_case=False,
            actor=ACTOR,
        ),
    )
    decided = _wd(start, 4)
    _on(
        decided,
        lambda: cases.decide_case(
            session,
            case_id=cid,
            inspector=by,
            decision_number="杭上市监罚〔2026〕231号",
            decided_on=decided,
            penalty_kind="light",
            content="警告，并处罚款二千元",
            amount="2000",
            serious_ground=False,
            field="食品",
            user_id=by.user_id,
            actor=ACTOR,
        ),
    )
    _on(
        decided,
        lambda: cases.serve_case(
            session, case_id=cid, inspector=by, served_on=decided, actor=ACTOR, publication_notified=True
        ),
    )
    return cid


def first_violation_case(session: Session, result: InspectionResult, by: Inspector, basis: str) -> int:
    """首违不罚: a first, minor violation corrected at once, closed without a penalty and with the 教育 recorded."""
    cid, _points = _filed(session, result, by, basis, "杭上市监立〔2026〕245号")
    start = result.inspected_on
    decided = _wd(start, 3)
    _on(
        decided,
        lambda: case_endings.decide_no_penalty(
            session,
            case_id=cid,
            inspector=by,
            decision_number="杭上市监不罚〔2026〕245号",
            decided_on=decided,
            ground="first",
            actor=ACTOR,
            education=f"向当事人讲解{basis or '有关法律、法规'}的规定，当事人签署学习确认书。",
            correction="当事人于检查当日改正，复查确认问题已消除。",
        ),
    )
    return cid
