"""Performing a draw: compute it from the frozen files and reveals, and persist the record and assignments.

The whole draw is one transaction; the frozen population never travels back through Python to be stored."""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import time
from datetime import datetime
from typing import Any

from sqlalchemy import ARRAY, String, any_, bindparam
from sqlalchemy import select as sa_select
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, select

from inspections.draw.algorithm import Participant, commitment_of, gc_paused, parse_inspectors
from inspections.draw.ceremony import commit, freeze, reveal
from inspections.draw.parallel import processes_for
from inspections.draw.record import COMMIT_REVEAL, SINGLE_OPERATOR, build_record, record_bytes
from inspections.draw.schemas import DrawSummary
from inspections.models import TASK_STATUS_LABELS, Draw, DrawTarget, Task, TaskParticipant
from inspections.services import get_task, task_definition
from supervise import audit, clock
from supervise.anchors import fix_anchor
from supervise.auditchain import format_timestamp
from supervise.bulk import bulk_insert
from supervise.errors import field_error
from supervise.models import Enterprise, Inspector

log = logging.getLogger(__name__)


def perform_draw(
    session: Session,
    *,
    task_code: str,
    actor: str,
    beacon: dict[str, str] | None = None,
    now: datetime | None = None,
) -> Draw:
    """Compute the draw from the frozen inputs and reveals; persist the record and assignments.

    `now` is only for loading historical data (the demo's past quarter); the record carries it.
    """
    with gc_paused():  # the draw parses and hashes a million rows without cycles
        return _perform_draw(session, task_code=task_code, actor=actor, beacon=beacon, now=now)


def _perform_draw(
    session: Session, *, task_code: str, actor: str, beacon: dict[str, str] | None, now: datetime | None
) -> Draw:
    task = get_task(session, code=task_code, for_update=True)  # serializes concurrent draws on PostgreSQL
    done = session.exec(select(Draw.public_id, Draw.created_at).where(Draw.task_id == task.id)).first()
    if done is not None:
        at = clock.to_beijing(done[1]).strftime("%Y-%m-%d %H:%M")
        raise field_error("task", f"任务 {task.code} 已于 {at} 完成抽取（{done[0]}），不能重复抽取", status=409)
    if task.status != "frozen":
        state = TASK_STATUS_LABELS.get(task.status, task.status)
        raise field_error("task", f"任务 {task.code} 须先冻结抽取名单才能抽取（当前状态：{state}）", status=409)
    rows = session.exec(select(TaskParticipant).where(TaskParticipant.task_id == task.id)).all()
    missing = [r.participant for r in rows if r.reveal is None]
    if missing:
        raise field_error("reveal", f"尚待以下参与方揭示随机数：{'、'.join(sorted(missing))}", status=409)
    single = len(rows) == 1 and rows[0].participant.startswith("operator:")
    if not single and len(rows) < 2:
        raise field_error("participants", "承诺—揭示方式的随机种子至少需要 2 个参与方")
    now = now or clock.now()
    public_id = f"D-{task.code}"
    started = time.perf_counter()
    population_text = task.population_text or ""
    record = build_record(
        draw_id=public_id,
        created_at=format_timestamp(now),
        task=task_definition(session, task),
        population_text=population_text,
        officers=parse_inspectors(task.inspectors_text or ""),
        exclusions=json.loads(task.exclusions_json or "[]"),
        recusals=[(a, b) for a, b in json.loads(task.recusals_json or "[]")],
        participants=[Participant(r.participant, r.commitment, r.reveal) for r in rows],
        beacon=beacon,
        seed_mode=SINGLE_OPERATOR if single else COMMIT_REVEAL,
        processes=processes_for(population_text.count("\n")),
    )
    computed = time.perf_counter()
    outcome = record["outcome"]
    body = record_bytes(record)
    draw = Draw(
        public_id=public_id,
        task_id=task.id or 0,
        created_at=now,
        single_operator=single,
        record=body.decode(),
        record_sha256=hashlib.sha256(body).hexdigest(),
        selected_count=len(outcome["selected"]),
        unstaffed_count=len(outcome["unstaffed"]),
        population_text="",  # copied from the task below
        inspectors_text="",
    )
    session.add(draw)
    session.flush()
    _copy_frozen_files(session, draw, task)
    _persist_outcome(session, draw, task, outcome)
    task.status = "drawn"
    session.add(task)
    log.info(
        "draw %s: %d firms selected, %d unstaffed; computed in %.2f s, written in %.2f s (before the commit)",
        public_id,
        draw.selected_count,
        draw.unstaffed_count,
        computed - started,
        time.perf_counter() - computed,
    )
    audit.record(
        session,
        actor=actor,
        action="draw.performed",
        object_type="draw",
        object_id=public_id,
        payload={
            "task": task.code,
            "record_sha256": draw.record_sha256,
            "seed": record["seed"]["seed"],
            "selected": draw.selected_count,
            "unstaffed": draw.unstaffed_count,
            "single_operator": single,
        },
    )
    fix_anchor(session, source=f"抽取 {public_id}", actor=actor)  # shown on the draw's public page
    return draw


def _copy_frozen_files(session: Session, draw: Draw, task: Task) -> None:
    """Give the draw its own copy of the task's frozen files, copied inside the database."""
    # A provincial population.txt is tens of megabytes: sending it back from Python would encode and
    # compress it again, while the database copies the stored (compressed) value as it is.
    draws, tasks = Draw.__table__, Task.__table__  # type: ignore[attr-defined]
    frozen = {
        name: sa_select(tasks.c[name]).where(tasks.c.id == task.id).scalar_subquery()
        for name in ("population_text", "inspectors_text")
    }
    session.connection().execute(draws.update().where(draws.c.id == draw.id).values(**frozen))
    for name in frozen:  # the same values, known here: no need to read them back
        set_committed_value(draw, name, getattr(task, name) or "")


def _persist_outcome(session: Session, draw: Draw, task: Task, outcome: dict[str, Any]) -> None:
    """Write the selected firms and their teams in bulk (a provincial draw has tens of thousands)."""
    entries = outcome["selected"] + outcome["unstaffed"]
    ids = _ids_by_key(session, Enterprise.id, Enterprise.uscc, [e["uscc"] for e in entries])
    badges = sorted({b for e in outcome["selected"] for b in e["team"]})
    inspector_ids = _ids_by_key(session, Inspector.id, Inspector.badge_no, badges)
    # COPY on PostgreSQL, executemany on SQLite: a provincial draw persists tens of thousands of rows.
    bulk_insert(
        session,
        "draw_target",
        ("draw_id", "task_id", "enterprise_id", "tier", "ticket", "unstaffed_reason"),
        [(draw.id, task.id, ids[e["uscc"]], e["tier"], e["ticket"], e.get("reason")) for e in entries],
    )
    target_ids = dict(
        session.connection()
        .execute(sa_select(col(DrawTarget.enterprise_id), col(DrawTarget.id)).where(col(DrawTarget.draw_id) == draw.id))
        .all()
    )
    bulk_insert(
        session,
        "team_member",
        ("target_id", "inspector_id", "position"),
        [
            (target_ids[ids[e["uscc"]]], inspector_ids[badge], pos)
            for e in outcome["selected"]
            for pos, badge in enumerate(e["team"])
        ],
    )


def _ids_by_key(session: Session, id_col: Any, key_col: Any, keys: list[str]) -> dict[str, int]:
    if session.get_bind().dialect.name == "postgresql":  # one query with an array parameter
        keys_param = bindparam("keys", value=keys, type_=ARRAY(String))
        found = session.execute(sa_select(col(id_col), col(key_col)).where(col(key_col) == any_(keys_param)))
        return {k: v for v, k in found}
    out: dict[str, int] = {}
    for i in range(0, len(keys), 1000):
        chunk = keys[i : i + 1000]
        out.update(
            {k: v for v, k in session.execute(sa_select(col(id_col), col(key_col)).where(col(key_col).in_(chunk)))}
        )
    return out


def beacon_of(value: str | None, source: str | None) -> dict[str, str] | None:
    """The public beacon of a draw: its value and its source together, or none at all."""
    if bool(value) != bool(source):
        raise field_error("beacon_source", "公开信标须同时填写值和来源")
    return {"value": value, "source": source} if value and source else None


def run_single_operator(session: Session, *, task_code: str, actor: str) -> Draw:
    """Commit, freeze, reveal and draw in one step with one operator's secret (flagged as such)."""
    task = get_task(session, code=task_code)
    secret = secrets.token_hex(32)
    commit(session, task=task, participant=f"operator:{actor}", commitment=commitment_of(secret), actor=actor)
    freeze(session, task=task, actor=actor, single_operator=True)
    reveal(session, task=task, participant=f"operator:{actor}", secret=secret, actor=actor)
    return perform_draw(session, task_code=task_code, actor=actor)


def draw_summary(draw: Draw, task: Task) -> DrawSummary:
    """Summarize a draw for listings."""
    return DrawSummary(
        id=draw.public_id,
        task=task.code,
        title=task.title,
        created_at=draw.created_at.isoformat(),
        single_operator=draw.single_operator,
        record_sha256=draw.record_sha256,
        selected=draw.selected_count,
        unstaffed=draw.unstaffed_count,
    )


def find_draw(session: Session, public_id: str) -> tuple[Draw, Task]:
    """The draw with this public id, or 404 naming it."""
    row = session.exec(
        select(Draw, Task).join(Task, col(Task.id) == col(Draw.task_id)).where(Draw.public_id == public_id)
    ).first()
    if row is None:
        raise field_error("draw_id", f"抽取 {public_id} 不存在", status=404)
    return row


def public_outcome(
    session: Session, record: dict[str, Any], *, q: str | None, page: int, per_page: int
) -> tuple[list[dict[str, Any]], int]:
    """One page of a draw's outcome for the public page, searchable by USCC or name; never a firm's tier.

    Rows keep their place in ticket order (`n`), so a search result still says where the firm was drawn."""
    outcome = record["outcome"]
    rows = [
        {"n": n, "uscc": s["uscc"], "team": s["team"], "unstaffed": None}
        for n, s in enumerate(outcome["selected"], start=1)
    ] + [{"n": None, "uscc": s["uscc"], "team": [], "unstaffed": s["reason"]} for s in outcome["unstaffed"]]
    if q:
        named = set(
            session.exec(
                select(Enterprise.uscc).where(
                    col(Enterprise.name).contains(q, autoescape=True)
                    | col(Enterprise.uscc).startswith(q.upper(), autoescape=True)
                )
            ).all()
        )
        rows = [r for r in rows if r["uscc"] in named]
    total = len(rows)
    shown = rows[(page - 1) * per_page : page * per_page]
    names = dict(
        session.exec(
            select(Enterprise.uscc, Enterprise.name).where(col(Enterprise.uscc).in_([r["uscc"] for r in shown]))
        ).all()
    )
    return [{**r, "name": names.get(r["uscc"], "")} for r in shown], total


def timeline(session: Session, draw: Draw, task: Task, record: dict[str, Any]) -> list[dict[str, Any]]:
    """The ceremony's steps in time order: commitments, the freeze, reveals, the draw (docs/draw-algorithm.md §3)."""
    steps: list[dict[str, Any]] = []
    for p in session.exec(select(TaskParticipant).where(TaskParticipant.task_id == task.id)).all():
        steps.append({"at": p.committed_at, "what": "提交承诺", "who": p.participant, "detail": p.commitment})
        if p.revealed_at is not None:
            steps.append({"at": p.revealed_at, "what": "揭示随机数", "who": p.participant, "detail": ""})
    if task.frozen_at is not None:
        digests = f"名录摘要 {record['population']['digest']}；执法人员摘要 {record['inspectors']['digest']}"
        steps.append({"at": task.frozen_at, "what": "冻结名录", "who": "", "detail": digests})
    steps.append({"at": draw.created_at, "what": "执行抽取", "who": "", "detail": draw.record_sha256})
    order = {"提交承诺": 0, "冻结名录": 1, "揭示随机数": 2, "执行抽取": 3}
    return sorted(steps, key=lambda s: (clock.to_beijing(s["at"]), order[s["what"]]))
