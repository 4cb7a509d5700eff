"""Demo 后续处置 of the third quarter's joint visits in 上城区, made through the services at the dates they
happened: a 责令改正 whose 复查 closed it; one not corrected, 移送, 立案 and decided as a 较重行政处罚 that proposes a
严重违法失信 entry and publishes the penalty; an 抄告 the 应急管理局 acknowledged; a 责令改正 whose 复查 is due in
December (in the quarter's schedule); and a printed record sheet."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time
from typing import Any

from sqlmodel import Session, col, select

from inspections.disposals import services
from inspections.disposals.models import EnforcementCase
from inspections.models import CheckPoint, DrawTarget, InspectionResult, PointResult, ResultPart, Task
from inspections.outcomes import PROBLEM_CATEGORIES
from inspections.record_sheet import record_sheet
from scheduling.services import build
from seeds.cases_demo import first_violation_case, heavy_case, light_case
from supervise import clock
from supervise.clock import FixedClock
from supervise.fonts import find_cjk_font
from supervise.models import Department, Inspector, User
from supervise.workdays import STATUTORY_WEEK

log = logging.getLogger(__name__)
ACTOR = "seed:disposals"


def _at(day: date, hour: int = 2) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)  # 10:00 in Beijing at hour 2


def quarter_of(day: date) -> str:
    """The period code (2026Q3) of a day."""
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def _wd(day: date, n: int) -> date:
    return STATUTORY_WEEK.add_working_days(day, n)


def _basis(session: Session, result: InspectionResult) -> str:
    """The legal basis of the result's first 不符合 point."""
    point = session.exec(
        select(CheckPoint)
        .join(PointResult, col(PointResult.point_id) == col(CheckPoint.id))
        .where(PointResult.result_id == result.id, PointResult.outcome == "不符合")
    ).first()
    return point.legal_basis if point else ""


def _findings(session: Session, task: Task, lead: Department) -> list[tuple[InspectionResult, Inspector]]:
    """Results of the task whose lead part found a problem with a 不符合 point, earliest first, with the recorder."""
    rows = session.exec(
        select(InspectionResult, ResultPart)
        .join(DrawTarget, col(DrawTarget.id) == col(InspectionResult.target_id))
        .join(ResultPart, col(ResultPart.result_id) == col(InspectionResult.id))
        .where(DrawTarget.task_id == task.id, ResultPart.department_id == lead.id)
        .order_by(col(InspectionResult.inspected_on), col(InspectionResult.id))
    ).all()
    out = []
    for result, part in rows:
        noncompliant = session.exec(
            select(PointResult.id).where(PointResult.result_id == result.id, PointResult.outcome == "不符合")
        ).first()
        inspector = session.get(Inspector, part.recorded_by)
        if part.category in PROBLEM_CATEGORIES and noncompliant and inspector:
            out.append((result, inspector))
    return out


def seed_disposals(session: Session, *, task: Task, today: date) -> dict[str, Any]:
    """Carry four findings of the task through the enforcement loop; return what was made."""
    lead = session.exec(select(Department).where(Department.code == f"{task.region_code}-SCJG")).one()
    found = _findings(session, task, lead)
    if len(found) < 4:
        log.info("only %d findings in %s: no demo disposals", len(found), task.code)
        return {"disposals": 0}
    (a, a_by), (b, b_by), (c, c_by), (d, d_by) = found[:4]
    with clock.using(FixedClock(_at(a.inspected_on))):
        fixed = services.create_disposal(
            session, target_id=a.target_id, inspector=a_by, kind="rectify", deadline_days=10, actor=ACTOR,
            reason="整改不符合项：" + services.noncompliant_points(session, a.id or 0), legal_basis=_basis(session, a),
        )  # fmt: skip
    assert fixed.recheck_start is not None
    with clock.using(FixedClock(_at(fixed.recheck_start, 0))):
        # The quarter's schedule, rebuilt after the notice, plans the 复查 as a directed visit of the team.
        build(session, region=task.region_code, period=quarter_of(fixed.recheck_start), actor=ACTOR)
    with clock.using(FixedClock(_at(fixed.recheck_start))):
        services.record_recheck(
            session, disposal_id=fixed.id or 0, inspector=a_by, outcome="已改正", checked_on=fixed.recheck_start,
            note="复查时不符合项均已整改", actor=ACTOR,
        )  # fmt: skip
    case_id = _case(session, b, b_by)
    with clock.using(FixedClock(_at(c.inspected_on))):
        refer = services.create_disposal(
            session, target_id=c.target_id, inspector=c_by, kind="refer", refer_department=f"{task.region_code}-YJGL",
            reason="后厨液化气钢瓶存放于地下室，涉及燃气安全，抄告应急管理部门", actor=ACTOR,
        )  # fmt: skip
    safety = session.exec(select(User).where(User.department_id == refer.refer_department_id)).first()
    if safety is not None:
        with clock.using(FixedClock(_at(_wd(c.inspected_on, 2)))):
            services.acknowledge(
                session, disposal_id=refer.id or 0, user=safety, note="已列入本月燃气安全专项检查", actor=ACTOR
            )
    # Notified on the demo's today: its 复查 window is ahead, in the current quarter's schedule.
    with clock.using(FixedClock(_at(max(d.inspected_on, today)))):
        services.create_disposal(
            session, target_id=d.target_id, inspector=d_by, kind="rectify", deadline_days=3, actor=ACTOR,
            reason="整改不符合项：" + services.noncompliant_points(session, d.id or 0), legal_basis=_basis(session, d),
        )  # fmt: skip
    lenient = first_violation_case(session, a, a_by, _basis(session, a))
    light = light_case(session, c, c_by, _basis(session, c))
    printed = None
    if find_cjk_font() is not None:
        with clock.using(FixedClock(_at(a.inspected_on, 1))):
            printed, _pdf, _digest = record_sheet(session, target_id=a.target_id, blank=False, actor=ACTOR)
    return {"disposals": 7, "case": case_id, "lenient_case": lenient, "light_case": light, "record_sheet": printed}


def _case(session: Session, result: InspectionResult, by: Inspector) -> int:
    """A 责令改正 not corrected, 移送, then the heavy case of seeds/cases_demo.py."""
    with clock.using(FixedClock(_at(result.inspected_on))):
        order = services.create_disposal(
            session, target_id=result.target_id, inspector=by, kind="rectify", deadline_days=5, actor=ACTOR,
            reason="整改不符合项：" + services.noncompliant_points(session, result.id or 0),
            legal_basis=_basis(session, result),
        )  # fmt: skip
    assert order.recheck_start is not None
    day = order.recheck_start
    with clock.using(FixedClock(_at(day))):
        services.record_recheck(
            session, disposal_id=order.id or 0, inspector=by, outcome="未改正", checked_on=day,
            note="复查时不符合项仍未整改", actor=ACTOR,
        )  # fmt: skip
    case = session.exec(select(EnforcementCase).where(EnforcementCase.disposal_id == order.escalated_to)).one()
    cid = case.id or 0
    heavy_case(session, cid, by, day, _basis(session, result))
    return cid
