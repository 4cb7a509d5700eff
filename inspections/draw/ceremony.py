"""The draw ceremony before the draw: the freeze (§2) and the participants' commit–reveal (§3)."""

from __future__ import annotations

import json
import logging
import secrets
import time
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from inspections.draw.algorithm import commitment_of, gc_paused
from inspections.draw.eligibility import directed_condition, recusals_for
from inspections.draw.frozen import (
    PARTICIPANT,
    REVEAL,
    format_exclusions,
    format_inspectors_v2,
    format_recusals,
    freeze_object,
)
from inspections.draw.parallel import processes_for
from inspections.draw.population import drop_lines, has_line, read_population
from inspections.draw.record_v3 import TIER_FLOOR
from inspections.draw.rows import Officer
from inspections.draw.teams import jurisdiction
from inspections.models import (
    TASK_STATUS_LABELS,
    DrawTarget,
    InspectionResult,
    Task,
    TaskDepartment,
    TaskParticipant,
)
from inspections.services import scope_condition, task_definition, task_departments, task_items
from supervise import audit, clock
from supervise.anchors import fix_anchor
from supervise.auditchain import format_timestamp
from supervise.canonical import canonical_json
from supervise.config import tuning
from supervise.errors import field_error
from supervise.models import Department, Enterprise, Inspector

log = logging.getLogger(__name__)


SUPERVISION_OBSERVER = "督查室"
MIN_PARTICIPANTS = 2  # a draw no single party can steer (docs/draw-algorithm.md §3)


def freeze(
    session: Session,
    *,
    task: Task,
    actor: str,
    cooldown: Mapping[str, int] | None = None,
    single_operator: bool = False,
    beacon: Mapping[str, Any] | None = None,
    salt: str | None = None,
) -> dict[str, Any]:
    """Fix every input of a task's draw and publish the freeze digest (§2, §10.2).

    A ceremony needs at least two committed participants, one of them the 督查 observer; only
    `run_single_operator` (flagged in the record) freezes with one. `beacon` fixes the public beacon's source,
    issue and time (`source`, `issue`, `at`, a future instant); its value is entered at the draw. `salt` is
    only for reproducible demo data; a real freeze draws a fresh one."""
    started = time.perf_counter()
    with gc_paused():  # a provincial freeze holds millions of rows without cycles
        summary = _freeze(
            session,
            task=task,
            actor=actor,
            cooldown=cooldown,
            single_operator=single_operator,
            beacon=beacon,
            salt=salt or secrets.token_hex(32),
        )
    log.info(
        "task %s frozen in %.2f s: %d firms (%d excluded), %d inspectors, %d recusals",
        task.code,
        time.perf_counter() - started,
        summary["population"],
        summary["excluded"],
        summary["inspectors"],
        summary["recusals"],
    )
    return summary


def _freeze(
    session: Session,
    *,
    task: Task,
    actor: str,
    cooldown: Mapping[str, int] | None,
    single_operator: bool,
    beacon: Mapping[str, Any] | None,
    salt: str,
) -> dict[str, Any]:
    bound = session.exec(
        select(TaskParticipant).where(TaskParticipant.task_id == task.id).order_by(col(TaskParticipant.participant))
    ).all()
    committed = [p.participant for p in bound]
    if not single_operator and len(committed) < MIN_PARTICIPANTS:
        raise field_error("commitments", "冻结前至少须有两个参与方提交承诺", status=409)
    if not single_operator and SUPERVISION_OBSERVER not in committed:
        raise field_error("commitments", f"冻结前须有督查观察员（{SUPERVISION_OBSERVER}）提交承诺", status=409)
    frozen_at = clock.now()
    planned = _beacon_plan(beacon, frozen_at)
    if task.status not in ("draft", "committing"):
        state = TASK_STATUS_LABELS.get(task.status, task.status)
        raise field_error("task", f"抽查任务 {task.code} 已处于“{state}”状态", status=409)
    cooldown_days = dict(tuning().cooldown_days if cooldown is None else cooldown)
    depts = task_departments(session, task)
    if not depts:
        raise field_error("departments", f"抽查任务 {task.code} 没有参与部门")
    prefix = jurisdiction(task.region_code)
    items = task_items(session, task)
    population_filter = json.loads(task.filter_json) if task.filter_json else None
    conditions = [
        col(Enterprise.region_code).startswith(prefix),
        col(Enterprise.status) == "存续",
        scope_condition(items),
        *directed_condition(population_filter),
    ]
    population_text = read_population(session, conditions)  # formatted by the database: no row per firm
    excluded: dict[str, str] = {}  # USCC -> reason, of firms in scope only
    if not task.directed and population_text:
        # Repeat checks are judged within the task's own departments: across departments the joint scheduler
        # merges visits (进一户、查多项) and caps them per firm.
        same_department = col(Task.id).in_(
            select(TaskDepartment.task_id).where(col(TaskDepartment.department_id).in_([d.id for d in depts]))
        )
        overlapping = session.exec(
            select(Enterprise.uscc, Task.code)
            .join(DrawTarget, col(DrawTarget.enterprise_id) == col(Enterprise.id))
            .join(Task, col(Task.id) == col(DrawTarget.task_id))
            .where(
                Task.id != task.id,
                col(Task.window_start) <= task.window_end,
                col(Task.window_end) >= task.window_start,
                same_department,
                *conditions,
            )
            .order_by(col(Task.code))  # a firm selected by several tasks: the reason names the first by code
        ).all()
        for uscc, other in overlapping:
            excluded.setdefault(uscc, f"selected by task {other}, whose window overlaps")
        since = task.window_start - timedelta(days=max(cooldown_days.values(), default=0))
        recent = session.execute(
            sa_select(col(Enterprise.uscc), col(Enterprise.risk_tier), col(InspectionResult.inspected_on))
            .join(DrawTarget, col(DrawTarget.enterprise_id) == col(Enterprise.id))
            .join(InspectionResult, col(InspectionResult.target_id) == col(DrawTarget.id))
            .join(Task, col(Task.id) == col(DrawTarget.task_id))
            .where(col(InspectionResult.inspected_on) >= since, same_department, *conditions)
            .order_by(col(InspectionResult.inspected_on).desc())  # the reason names the latest inspection
        ).all()
        for uscc, tier, day in recent:
            days = cooldown_days.get(tier, 0)  # D-tier firms have 0: never shielded
            if days > 0 and day >= task.window_start - timedelta(days=days):
                excluded.setdefault(uscc, f"inspected on {day.isoformat()}, within {days} days")
    population_text = drop_lines(population_text, excluded)
    exclusions = [{"uscc": u, "reason": r} for u, r in sorted(excluded.items())]
    # An inspector enters the pool through the participating department of their own system (kind) whose
    # region covers theirs: a county inspector serves a county task, or a city/provincial task above it.
    rows = (
        session.connection()
        .execute(
            sa_select(
                col(Inspector.id),
                col(Inspector.badge_no),
                col(Department.kind),
                col(Inspector.region_code),
                col(Inspector.name),
                col(Inspector.office_township_code),
                col(Inspector.specialties),
            )
            .join(Department, col(Department.id) == col(Inspector.department_id))
            .where(
                or_(
                    *(
                        and_(
                            col(Department.kind) == d.kind,
                            col(Inspector.region_code).startswith(jurisdiction(d.region_code)),
                        )
                        for d in depts
                    )
                ),
                col(Inspector.active).is_(True),
            )
        )
        .all()
    )
    through = {d.kind: d.code for d in depts}
    officers = [
        Officer(
            badge, through[kind], region, name, office or region, ",".join(sorted(set(filter(None, specs.split(",")))))
        )
        for _i, badge, kind, region, name, office, specs in rows
    ]
    recusals = recusals_for(session, task, lambda u: has_line(population_text, u), {row[0] for row in rows})
    task.population_text = population_text
    task.inspectors_text = format_inspectors_v2(officers)
    task.scope_json = canonical_json(
        {
            "region": task.region_code,
            "status": "存续",
            "items": [i.code for i in items],
            "cooldown_days": None if task.directed else cooldown_days,
            "residence_rule": task.residence_rule,
            "filter": population_filter,
        }
    )
    files = {
        "population.txt": task.population_text,
        "inspectors.txt": task.inspectors_text,
        "recusals.txt": format_recusals(recusals),
        "exclusions.txt": format_exclusions((e["uscc"], e["reason"]) for e in exclusions),
    }
    definition = task_definition(session, task)
    published = freeze_object(
        at=format_timestamp(frozen_at),
        salt=salt,
        files=files,
        task=definition,
        beacon=planned,
        # v3: the freeze binds every commitment, so no participant can be swapped, dropped or added after it
        participants=[
            {
                "participant": p.participant,
                "role": role_of(p.participant),
                "commitment": p.commitment,
                "committed_at": format_timestamp(p.committed_at),
            }
            for p in bound
        ],
        tier_floor=TIER_FLOOR,
        processes=processes_for(population_text.count("\n")),
    )
    task.freeze_json = canonical_json(
        {
            "salt": salt,
            "task": definition,
            "freeze": published,
            **{n: files[n] for n in ("recusals.txt", "exclusions.txt")},
        }
    )
    task.status = "frozen"
    task.frozen_at = frozen_at
    session.add(task)
    summary = {
        "population": population_text.count("\n"),
        "excluded": len(exclusions),
        "inspectors": len(officers),
        "recusals": len(recusals),
        "freeze_digest": published["digest"],
        "tiers": {t: part["count"] for t, part in published["tiers"].items()},
        "beacon": planned,
    }
    audit.record(session, actor=actor, action="task.frozen", object_type="task", object_id=task.code, payload=summary)
    # The digest is public from this commit on (the task's notice); anchoring the chain here fixes the audit row
    # that carries it outside the table too, before any reveal can be known.
    anchor = fix_anchor(session, source=f"冻结 {task.code}", actor=actor)
    return {**summary, "anchor": anchor.as_json()}


def role_of(participant: str) -> str:
    """A participant's role in the seed: the 督查 observer, the single operator, or a department."""
    if participant == SUPERVISION_OBSERVER:
        return "observer"
    return "operator" if participant.startswith("operator:") else "department"


def _beacon_plan(beacon: Mapping[str, Any] | None, frozen_at: datetime) -> dict[str, str] | None:
    """The beacon fixed at the freeze: its source, the exact future issue and its scheduled time."""
    if not beacon:
        return None
    source, issue, at = (beacon.get(k) for k in ("source", "issue", "at"))
    if not source or not issue:
        raise field_error("beacon_source", "公开信标须在冻结时写明来源和期号")
    if not isinstance(at, datetime) or at <= frozen_at:
        raise field_error("beacon_at", "公开信标的开奖时间须晚于冻结时间")
    return {"source": str(source), "issue": str(issue), "at": format_timestamp(at)}


def commit(
    session: Session, *, task: Task, participant: str, commitment: str, actor: str, single_operator: bool = False
) -> TaskParticipant:
    """Record a participant's commitment; allowed only before the freeze, and only to 督查室 and the task's
    departments (or to the operator of a single-operator draw, `run_single_operator`)."""
    if task.status not in ("draft", "committing"):
        state = TASK_STATUS_LABELS.get(task.status, task.status)
        raise field_error("commitment", f"抽查任务 {task.code} 当前为“{state}”，冻结后不再接受承诺", status=409)
    if len(commitment) != 64 or any(c not in "0123456789abcdef" for c in commitment):
        raise field_error("commitment", "承诺值应为 64 位小写十六进制 SHA-256")
    if not PARTICIPANT.fullmatch(participant):
        raise field_error("participant", "参与方标识应为 1 至 64 个字符，不含空白、控制字符和“=”")
    codes = session.exec(
        select(Department.code)
        .join(TaskDepartment, col(TaskDepartment.department_id) == col(Department.id))
        .where(TaskDepartment.task_id == task.id)
        .order_by(col(Department.code))
    ).all()
    if single_operator:
        if not participant.startswith("operator:"):
            raise field_error("participant", "单人操作的参与方标识以 operator: 开头")
    elif participant != SUPERVISION_OBSERVER and participant not in codes:  # the rule every verifier enforces (§10.3)
        raise field_error("participant", f"参与方应为本任务的参与部门（{'、'.join(codes)}）或{SUPERVISION_OBSERVER}")
    if session.exec(
        select(TaskParticipant).where(TaskParticipant.task_id == task.id, TaskParticipant.participant == participant)
    ).first():
        raise field_error("participant", f"{participant} 已经提交过承诺", status=409)
    row = TaskParticipant(task_id=task.id or 0, participant=participant, commitment=commitment)
    session.add(row)
    task.status = "committing"
    session.add(task)
    audit.record(
        session,
        actor=actor,
        action="task.committed",
        object_type="task",
        object_id=task.code,
        payload={"participant": participant, "commitment": commitment},
    )
    return row


def reveal(session: Session, *, task: Task, participant: str, secret: str, actor: str) -> None:
    """Record a participant's reveal after the freeze, refusing one that does not match the commitment."""
    if task.status != "frozen":
        state = TASK_STATUS_LABELS.get(task.status, task.status)
        raise field_error("reveal", f"抽查任务 {task.code} 当前为“{state}”，冻结后才能揭示随机数", status=409)
    row = session.exec(
        select(TaskParticipant).where(TaskParticipant.task_id == task.id, TaskParticipant.participant == participant)
    ).first()
    if row is None:
        raise field_error("participant", f"{participant} 没有对抽查任务 {task.code} 提交承诺", status=404)
    if not REVEAL.fullmatch(secret):
        raise field_error("secret", "随机数应为 1 至 256 个可打印 ASCII 字符（不含空格）")
    if commitment_of(secret) != row.commitment:
        raise field_error("reveal", f"{participant} 揭示的随机数与其承诺值不符")
    row.reveal = secret
    row.revealed_at = clock.now()
    session.add(row)
    audit.record(
        session,
        actor=actor,
        action="task.revealed",
        object_type="task",
        object_id=task.code,
        payload={"participant": participant},
    )
