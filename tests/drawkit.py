"""Builders for draw tests: firms in one county, items, joint tasks and the commit-reveal ceremony."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import undefer
from sqlmodel import Session, col, select

from inspections.draw.algorithm import commitment_of
from inspections.draw.bundles import verify_files
from inspections.draw.ceremony import commit, freeze, reveal
from inspections.draw.services import bundle_files, find_draw, perform_draw
from inspections.models import (
    DrawTarget,
    InspectionItem,
    InspectionResult,
    Plan,
    Task,
    TaskDepartment,
    TaskItem,
    TeamMember,
)
from seeds.generate import make_uscc
from supervise import clock
from supervise.clock import FixedClock
from supervise.db import unit_of_work
from supervise.models import Department, Enterprise

COUNTY = "330102"


def add_firms(engine: Any, n: int, *, start: int = 900_000, tier: str = "B", industry: str = "H62") -> list[str]:
    """Insert n operating firms in 330102 and return their USCCs."""
    codes = []
    with unit_of_work(engine) as session:
        for i in range(n):
            uscc = make_uscc(start + i, COUNTY)
            codes.append(uscc)
            session.add(
                Enterprise(
                    uscc=uscc,
                    name=f"杭州测试{i}餐饮有限公司",
                    legal_rep_name="王五",
                    region_code=COUNTY,
                    township_code=f"{COUNTY}001",
                    industry_code=industry,
                    registered_on=date(2020, 1, 1),
                    risk_tier=tier,
                )
            )
    return codes


def make_task(
    engine: Any,
    code: str,
    *,
    kinds: tuple[str, ...] = ("SCJG", "WSJK"),
    window: tuple[str, str] = ("2026-07-01", "2026-09-30"),
    ratios: dict[str, str] | None = None,
    directed: bool = False,
    team_size: int = 2,
    cap: int = 50,
) -> str:
    """Create a (joint) task over 330102 with one item per department kind."""
    with unit_of_work(engine) as session:
        depts = [session.exec(select(Department).where(Department.code == f"{COUNTY}-{k}")).one() for k in kinds]
        plan = session.exec(select(Plan).where(Plan.code == f"P-{code}")).first()
        if plan is None:
            plan = Plan(
                code=f"P-{code}", department_id=depts[0].id or 0, title="2026年第三季度抽查计划", year=2026, quarter=3
            )
            session.add(plan)
            session.flush()
        task = Task(
            code=code,
            plan_id=plan.id or 0,
            title=f"{code} 联合抽查",
            region_code=COUNTY,
            window_start=date.fromisoformat(window[0]),
            window_end=date.fromisoformat(window[1]),
            ratios=json.dumps(ratios or {"B": "1"}),
            team_size=team_size,
            max_per_inspector=cap,
            directed=directed,
        )
        session.add(task)
        session.flush()
        for d in depts:
            session.add(TaskDepartment(task_id=task.id or 0, department_id=d.id or 0))
            item = session.exec(select(InspectionItem).where(InspectionItem.code == f"I-{d.kind}")).first()
            if item is None:
                item = InspectionItem(
                    code=f"I-{d.kind}",
                    department_kind=d.kind,
                    name=f"{d.kind} 检查",
                    legal_basis="《企业信息公示暂行条例》第十四条",
                    scope_industries="H62",
                )
                session.add(item)
                session.flush()
            session.add(TaskItem(task_id=task.id or 0, item_id=item.id or 0))
    return code


def secret_of(participant: str) -> str:
    """A participant's test secret, in the reveal alphabet (printable ASCII, no space)."""
    return "secret-" + commitment_of(participant)[:16]


def ceremony(
    engine: Any,
    code: str,
    participants: tuple[str, ...] = ("330102-SCJG", "330102-WSJK", "督查室"),
    now: Any = None,
    *,
    beacon: bool = True,
) -> Any:
    """Commit, freeze (fixing a beacon), reveal and draw, an hour apart each, ending now; return the Draw row."""
    end = now or clock.now()
    steps = iter(end - timedelta(hours=h) for h in (4, 3, 2, 1))
    with unit_of_work(engine) as session, clock.using(FixedClock(next(steps))):
        task = session.exec(select(Task).where(Task.code == code)).one()
        for p in participants:
            commit(session, task=task, participant=p, commitment=commitment_of(secret_of(p)), actor="test")
    with unit_of_work(engine) as session, clock.using(FixedClock(next(steps))):
        task = session.exec(select(Task).where(Task.code == code)).one()
        plan = {"source": "福彩3D", "issue": "2026001", "at": end - timedelta(minutes=30)} if beacon else None
        freeze(session, task=task, actor="test", beacon=plan)
    with unit_of_work(engine) as session, clock.using(FixedClock(next(steps))):
        task = session.exec(select(Task).where(Task.code == code)).one()
        for p in participants:
            reveal(session, task=task, participant=p, secret=secret_of(p), actor="test")
    with unit_of_work(engine) as session:
        value = {"value": "3 1 4", "source": "福彩3D"} if beacon else None
        return perform_draw(session, task_code=code, actor="test", beacon=value, now=end)


def bundle(engine: Any, draw_id: str, *, full: bool = True) -> dict[str, str]:
    """The files of a stored draw's full (or public) bundle."""
    with Session(engine) as session:
        draw, task = find_draw(session, draw_id)
        return bundle_files(draw, task, full=full)


def verify_draw(engine: Any, draw_id: str, *, full: bool = True) -> str:
    """Verify a stored draw from its bundle; return MATCH or the mismatch."""
    return str(verify_files(bundle(engine, draw_id, full=full)))


def task_row(engine: Any, code: str) -> Task:
    """The task with its (deferred) frozen files loaded, for use after the session."""
    with Session(engine) as session:
        return session.exec(select(Task).where(Task.code == code).options(undefer("*"))).one()


def record_results(engine: Any, usccs: set[str], day: date) -> None:
    """Record a clean inspection on `day` of each drawn firm, by a member of its team."""
    with unit_of_work(engine) as session:
        done: set[int] = set()
        for target, member in session.exec(
            select(DrawTarget, TeamMember)
            .join(Enterprise, col(Enterprise.id) == col(DrawTarget.enterprise_id))
            .join(TeamMember, col(TeamMember.target_id) == col(DrawTarget.id))
            .where(col(Enterprise.uscc).in_(usccs))
        ).all():
            if target.id not in done:  # one result per drawn firm, recorded by a member of its team
                done.add(target.id or 0)
                session.add(
                    InspectionResult(
                        target_id=target.id,
                        category="未发现问题",
                        inspected_on=day,
                        recorded_by=member.inspector_id,
                        publish_due=day,
                    )
                )


def exclusions_of(engine: Any, draw_id: str) -> dict[str, str]:
    """USCC -> reason, from the full bundle's exclusions.txt."""
    text = bundle(engine, draw_id)["exclusions.txt"]
    return dict(line.split("\t", 1) for line in text.splitlines())  # type: ignore[misc]


def recusals_of(engine: Any, draw_id: str) -> dict[tuple[str, str], set[str]]:
    """(badge, USCC) -> reasons, from the full bundle's recusals.txt."""
    out: dict[tuple[str, str], set[str]] = {}
    for line in bundle(engine, draw_id)["recusals.txt"].splitlines():
        badge, uscc, reason = line.split("\t")
        out.setdefault((badge, uscc), set()).add(reason)
    return out


def finish_visit(app: Any, client: Any, engine: Any, target: int, inspected_on: str) -> None:
    """Have the inspector's teammates record 未发现问题 for their parts, and each part confirmed by another."""
    from inspections.models import TeamMember
    from supervise.models import Inspector, User
    from tests.conftest import bearer

    with Session(engine) as session:
        mates = session.exec(
            select(User.username)
            .join(Inspector, col(Inspector.user_id) == col(User.id))
            .join(TeamMember, col(TeamMember.inspector_id) == col(Inspector.id))
            .where(TeamMember.target_id == target, User.username != "inspector")
        ).all()
    nothing = {"category": "未发现问题", "findings": "", "inspected_on": inspected_on}
    for mate in mates:  # a mate of the inspector's own department has nothing of their own to record
        client.post(f"/api/assignments/{target}/result", json=nothing, headers=bearer(app, mate))
    for who in (*mates, "inspector"):
        client.post(f"/api/assignments/{target}/confirm", headers=bearer(app, who))
