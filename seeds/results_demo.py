"""Demo results of the third quarter's joint visits, recorded as the workflow records them: each department's
part and every 检查要点, a teammate's confirmation, the 审核人员's review, one result returned and corrected, and
one recorded after its recording deadline."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import Session, col, select

from inspections.models import DrawTarget, InspectionResult, PointResult, ResultPart, Task, TeamMember
from inspections.outcomes import COMPLIANT, NO_PROBLEM, NONCOMPLIANT, NOT_APPLICABLE, PROBLEM_CATEGORIES
from inspections.recording import department_items, points_of_items, task_departments
from supervise import audit, clock
from supervise.clock import FixedClock
from supervise.config import tuning
from supervise.models import Inspector, User
from supervise.workdays import PUBLICATION_WORKING_DAYS, STATUTORY_WEEK

ACTOR = "seed:inspections"
CATEGORY_WEIGHTS = (
    ("未发现问题", 70),
    ("发现问题已责令改正", 10),
    ("通过登记的住所（经营场所）无法联系", 5),
    ("未按规定公示应当公示的信息", 5),
    ("发现问题待后续处理", 4),
    ("未发现开展本次抽查涉及的经营活动", 3),
    ("已关闭停业或正在组织清算", 3),
)
FOLLOWED_UP = 4  # published findings carried through the enforcement loop by seeds/disposals_demo.py
RETURN_REASON = "检查情况未写明核查的经营场所和查验的凭证，请补充后重新提交"


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def _outcomes(rng: random.Random, n: int, category: str) -> list[str]:
    """Point outcomes agreeing with the category: a finding marks one point 不符合, no business makes them 不适用."""
    if category == NO_PROBLEM or category not in PROBLEM_CATEGORIES:
        return [COMPLIANT if category == NO_PROBLEM else NOT_APPLICABLE] * n
    out = [COMPLIANT] * n
    if n:
        out[rng.randrange(n)] = NONCOMPLIANT
    return out


def seed_results(session: Session, rng: random.Random, task: Task, *, overdue: int) -> int:
    """Record (and mostly review and publish) results for every staffed target of a drawn task but the last few."""
    targets = session.exec(
        select(DrawTarget)
        .where(DrawTarget.task_id == task.id, col(DrawTarget.unstaffed_reason).is_(None))
        .order_by(col(DrawTarget.ticket))
    ).all()
    categories, weights = zip(*CATEGORY_WEIGHTS, strict=True)
    depts = task_departments(session, task)
    points = {d.id: points_of_items(session, department_items(session, task, d)) for d in depts}
    reviewer = session.exec(
        select(User).where(User.role == "reviewer", User.department_id == depts[0].id).order_by(col(User.id))
    ).first()
    targets = targets[:-3]  # the last few are still being inspected: inspectors can record them in the demo
    for n, target in enumerate(targets):
        team = [
            session.get(Inspector, m.inspector_id)
            for m in session.exec(
                select(TeamMember).where(TeamMember.target_id == target.id).order_by(col(TeamMember.position))
            ).all()
        ]
        day = task.window_start + timedelta(days=rng.randrange((task.window_end - task.window_start).days))
        recorded_on = STATUTORY_WEEK.add_working_days(day, 8 if n == overdue else 0)  # one recorded late
        category = rng.choices(categories, weights=weights)[0]
        if overdue + 2 <= n < overdue + 2 + FOLLOWED_UP:
            category = "发现问题待后续处理"  # the findings seeds/disposals_demo.py follows through the loop
        record_due = STATUTORY_WEEK.add_working_days(day, tuning().recording_days)
        # Reviewed and published a few working days after confirmation; the returned one took longer.
        review_days = 6 if n == overdue + 1 else rng.randint(1, 4)
        published = None if n < overdue else STATUTORY_WEEK.add_working_days(recorded_on, review_days)
        result = InspectionResult(
            target_id=target.id or 0,
            category=category,
            inspected_on=day,
            findings="" if category == NO_PROBLEM else "已现场核实并制作检查记录",
            recorded_by=(team[0].id or 0) if team[0] else 0,
            recorded_at=_at(recorded_on, 9),
            confirmed_by=team[-1].id if team[-1] else None,
            confirmed_at=_at(recorded_on, 10),
            publish_due=STATUTORY_WEEK.add_working_days(day, PUBLICATION_WORKING_DAYS),
            record_due=record_due,
            recorded_late=recorded_on > record_due,
            published_at=_at(published, 2) if published else None,
            reviewed_by=reviewer.id if reviewer and published else None,
            reviewed_at=_at(published, 2) if published else None,
        )
        session.add(result)
        session.flush()
        for k, dept in enumerate(depts):
            recorder = next((i for i in team if i and i.department_id == dept.id), team[0])
            confirmer = next((i for i in team if i and i is not recorder), recorder)
            part_category = category if k == 0 else NO_PROBLEM
            session.add(
                ResultPart(
                    result_id=result.id or 0,
                    department_id=dept.id or 0,
                    category=part_category,
                    findings=result.findings if k == 0 else "",
                    recorded_by=(recorder.id or 0) if recorder else 0,
                    recorded_at=_at(recorded_on, 9),
                    confirmed_by=confirmer.id if confirmer else None,
                    confirmed_at=_at(recorded_on, 10),
                )
            )
            mine = points[dept.id]
            for point, outcome in zip(mine, _outcomes(rng, len(mine), part_category), strict=True):
                note = "现场核查发现不符合，已制作现场笔录" if outcome == NONCOMPLIANT else ""
                session.add(PointResult(result_id=result.id or 0, point_id=point.id or 0, outcome=outcome, note=note))
        with clock.using(FixedClock(_at(recorded_on, 9))):
            audit.record(
                session,
                actor=ACTOR,
                action="result.recorded",
                object_type="draw_target",
                object_id=target.id or 0,
                payload={"category": category, "inspected_on": day.isoformat(), "late": result.recorded_late},
            )
        if n == overdue + 1 and reviewer and published:
            _returned_and_corrected(session, result, reviewer, recorded_on, published)
    return len(targets)


def _returned_and_corrected(
    session: Session, result: InspectionResult, reviewer: User, recorded_on: date, published: date
) -> None:
    """The reviewer returned this result once; the team corrected the findings and it was published."""
    returned_on = STATUTORY_WEEK.add_working_days(recorded_on, 2)
    result.returned_by, result.returned_at, result.return_reason = reviewer.id, _at(returned_on, 3), RETURN_REASON
    result.findings = "核查了登记住所和经营场所，查验了营业执照、许可证和进货查验记录"
    session.add(result)
    corrected = STATUTORY_WEEK.add_working_days(returned_on, 1)
    for action, day, payload in (
        ("result.returned", returned_on, {"reason": RETURN_REASON, "reviewer": reviewer.username}),
        ("result.corrected", corrected, {"category": result.category}),
    ):
        with clock.using(FixedClock(_at(day, 3))):
            audit.record(
                session, actor=ACTOR, action=action, object_type="draw_target", object_id=result.target_id,
                payload=payload,
            )  # fmt: skip
