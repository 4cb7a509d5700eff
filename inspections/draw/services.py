"""Performing a draw: compute it from the frozen files and reveals, and persist the record and assignments.

The whole draw is one transaction; the frozen population never travels back through Python to be stored."""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import time
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import ARRAY, String, any_, bindparam
from sqlalchemy import select as sa_select
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, select

from inspections.draw.algorithm import DrawInputError, commitment_of, gc_paused
from inspections.draw.bundles import is_v1
from inspections.draw.ceremony import commit, freeze, reveal, role_of
from inspections.draw.frozen import format_firms
from inspections.draw.parallel import processes_for
from inspections.draw.record_v1 import COMMIT_REVEAL, SINGLE_OPERATOR, record_bytes
from inspections.draw.record_v2 import build_record_v2
from inspections.draw.record_v3 import ALGORITHM_V3, build_record_v3, key_v3
from inspections.draw.schemas import DrawSummary
from inspections.models import TASK_STATUS_LABELS, Draw, DrawTarget, Task, TaskParticipant
from inspections.services import get_task
from supervise import audit, clock
from supervise.anchors import fix_anchor
from supervise.auditchain import format_timestamp
from supervise.bulk import bulk_insert
from supervise.errors import field_error
from supervise.models import Enterprise, Inspector

log = logging.getLogger(__name__)
# Who may download a v2 draw's full bundle, with every firm's tier (docs/draw-algorithm.md §10.6).
FULL_BUNDLE_ROLES = ("supervisor", "auditor", "admin")


def perform_draw(
    session: Session,
    *,
    task_code: str,
    actor: str,
    beacon: Mapping[str, str] | None = None,
    now: datetime | None = None,
) -> Draw:
    """Compute the draw from the frozen inputs and reveals; persist the record and assignments.

    `beacon` carries the value of the beacon fixed at the freeze (and may repeat its source). `now` is only
    for loading historical data (the demo's past quarter); the record carries it.
    """
    with gc_paused():  # the draw parses and hashes a million rows without cycles
        return _perform_draw(session, task_code=task_code, actor=actor, beacon=beacon, now=now)


def _perform_draw(
    session: Session, *, task_code: str, actor: str, beacon: Mapping[str, str] | None, now: datetime | None
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
    if not task.freeze_json:
        raise field_error("task", f"任务 {task.code} 是按旧版冻结的，请重新建立任务后按第2版冻结", status=409)
    state = json.loads(task.freeze_json)
    now = now or clock.now()
    entered = _entered_beacon(state["freeze"]["beacon"], beacon, now)
    public_id = f"D-{task.code}"
    started = time.perf_counter()
    population_text = task.population_text or ""
    # A task frozen before v3 (its freeze binds no participants) is drawn by the rules it was frozen under.
    build = build_record_v3 if "participants" in state["freeze"] else build_record_v2
    try:
        record, internal = build(
            draw_id=public_id,
            created_at=format_timestamp(now),
            task=state["task"],
            freeze=state["freeze"],
            files={
                "population.txt": population_text,
                "inspectors.txt": task.inspectors_text or "",
                "recusals.txt": state["recusals.txt"],
                "exclusions.txt": state["exclusions.txt"],
            },
            salt=state["salt"],
            mode=SINGLE_OPERATOR if single else COMMIT_REVEAL,
            participants=[_participant_entry(r) for r in rows],
            beacon=entered,
            processes=processes_for(population_text.count("\n")),
        )
    except DrawInputError as exc:
        raise field_error("task", f"抽取的输入不符合算法要求：{exc}", status=409) from None
    computed = time.perf_counter()
    outcome = internal.as_json()
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


def ticket_key(draw: Draw, task: Task) -> str:
    """The key a draw's tickets were computed with: the seed (v1, v2), or sealed(seed) with the salt (v3, §11.3)."""
    record = json.loads(draw.record)
    if record["algorithm"] != ALGORITHM_V3:
        return str(record["seed"]["seed"])
    return key_v3(record["seed"]["seed"], json.loads(task.freeze_json or "{}")["salt"])


def _participant_entry(row: TaskParticipant) -> dict[str, Any]:
    return {
        "participant": row.participant,
        "role": role_of(row.participant),
        "commitment": row.commitment,
        "committed_at": format_timestamp(row.committed_at),
        "reveal": row.reveal,
        "revealed_at": format_timestamp(row.revealed_at) if row.revealed_at else "",
    }


def _entered_beacon(
    planned: Mapping[str, str] | None, given: Mapping[str, str] | None, now: datetime
) -> dict[str, str] | None:
    """The beacon's value as entered now; only the beacon fixed at the freeze, and only after its time."""
    value = (given or {}).get("value")
    if planned is None:
        if value:
            raise field_error("beacon_value", "冻结时未确定公开信标，抽取时不能再加入信标", status=409)
        return None
    if not value:
        raise field_error(
            "beacon_value", f"请填写冻结时确定的公开信标（{planned['source']} {planned['issue']}）的开奖值"
        )
    if (given or {}).get("source") and given and given["source"] != planned["source"]:
        raise field_error("beacon_source", f"信标来源应为冻结时确定的“{planned['source']}”")
    at = format_timestamp(now)
    if at < planned["at"]:
        raise field_error("beacon_value", f"信标（{planned['issue']}）的开奖时间尚未到，不能填写", status=409)
    return {"value": value, "entered_at": at}


def bundle_files(draw: Draw, task: Task, *, full: bool) -> dict[str, str]:
    """The files of a draw's public or full bundle (docs/draw-algorithm.md §10.4); v1 draws have one bundle."""
    record = draw.record
    if is_v1(record) or not task.freeze_json:
        return {"record.json": record, "population.txt": draw.population_text, "inspectors.txt": draw.inspectors_text}
    if not full:
        return {"record.json": record, "firms.txt": format_firms(draw.population_text)}
    state = json.loads(task.freeze_json)
    return {
        "record.json": record,
        "population.txt": draw.population_text,
        "inspectors.txt": draw.inspectors_text,
        "recusals.txt": state["recusals.txt"],
        "exclusions.txt": state["exclusions.txt"],
        "salt.txt": state["salt"] + "\n",
    }


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
    """The beacon value entered at the draw (its source, if given, must be the one fixed at the freeze)."""
    if not value:
        if source:
            raise field_error("beacon_value", "请填写公开信标的开奖值")
        return None
    return {"value": value, **({"source": source} if source else {})}


def beacon_plan(source: str | None, issue: str | None, at: datetime | None) -> dict[str, Any] | None:
    """The beacon to fix at the freeze: all three of source, issue and time, or none (a naive time is Beijing)."""
    given = [bool(source), bool(issue), at is not None]
    if not any(given):
        return None
    if not all(given):
        missing = [label for label, ok in zip(("信标来源", "期号", "开奖时间"), given, strict=True) if not ok]
        raise field_error("beacon_source", f"确定公开信标须同时填写来源、期号和开奖时间，缺少：{'、'.join(missing)}")
    assert at is not None
    return {"source": source, "issue": issue, "at": at if at.tzinfo else at.replace(tzinfo=clock.BEIJING)}


def run_single_operator(session: Session, *, task_code: str, actor: str) -> Draw:
    """Commit, freeze, reveal and draw in one step with one operator's secret (flagged as such)."""
    task = get_task(session, code=task_code)
    secret = secrets.token_hex(32)
    commit(
        session,
        task=task,
        participant=f"operator:{actor}",
        commitment=commitment_of(secret),
        actor=actor,
        single_operator=True,
    )
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
