"""What the public draw page shows of a record, of either version: the outcome's rows, the facts and the
ceremony's timeline. Never a firm's tier."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from inspections.draw.algorithm import ALGORITHM
from inspections.draw.services import role_of
from inspections.models import Draw, Task, TaskParticipant
from supervise import clock
from supervise.models import Enterprise


def public_outcome(
    session: Session, record: dict[str, Any], *, q: str | None, page: int, per_page: int
) -> tuple[list[dict[str, Any]], int]:
    """One page of a draw's outcome for the public page, searchable by USCC or name; never a firm's tier.

    Rows keep their place in ticket order (`n`), so a search result still says where the firm was drawn."""
    outcome = record["outcome"]
    if record["algorithm"] == ALGORITHM:
        rows = [
            {"n": n, "uscc": s["uscc"], "team": s["team"], "unstaffed": None}
            for n, s in enumerate(outcome["selected"], start=1)
        ] + [{"n": None, "uscc": s["uscc"], "team": [], "unstaffed": s["reason"]} for s in outcome["unstaffed"]]
    else:  # v2 lists every selected firm in ticket order, v3 by USCC; an unstaffed one with an empty team
        reasons = {u["uscc"]: u["reason"] for u in outcome["unstaffed"]}
        rows = [
            {"n": n, "uscc": s["uscc"], "team": s["team"], "unstaffed": None if s["team"] else reasons.get(s["uscc"])}
            for n, s in enumerate(outcome["selected"], start=1)
        ]
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


ROLE_LABELS = {"observer": "督查观察员", "department": "参与部门", "operator": "单人操作"}


def draw_facts(record: dict[str, Any]) -> dict[str, Any]:
    """What the public draw page states of a record of either version: counts, digests, participants, beacon."""
    if record["algorithm"] == ALGORITHM:
        return {
            "version": 1,
            "firms": record["population"]["count"],
            "tiers": record["population"]["tiers"],
            "firms_digest": record["population"]["digest"],
            "inspectors": record["inspectors"]["count"],
            "exclusions": len(record["exclusions"]),
            "participants": [{**p, "role": role_of(p["participant"])} for p in record["seed"]["participants"]],
            "beacon": record["seed"]["beacon"],
        }
    freeze = record["freeze"]
    counts = {t: part["count"] for t, part in freeze["tiers"].items()}
    return {
        "version": int(record["algorithm"].rsplit("v", 1)[1]),
        "firms": freeze["firms"]["count"],
        "tiers": counts if None not in counts.values() else None,  # v3 withholds counts that could pin a tier
        "firms_digest": freeze["firms"]["digest"],
        "freeze": freeze,
        "inspectors": freeze["inspectors"],
        "exclusions": freeze["exclusions"],
        "participants": record["seed"]["participants"],
        "beacon": {**(freeze["beacon"] or {}), **(record["seed"]["beacon"] or {})} if freeze["beacon"] else None,
    }


def timeline(session: Session, draw: Draw, task: Task, record: dict[str, Any]) -> list[dict[str, Any]]:
    """The ceremony's steps in time order: commitments, the freeze, reveals, beacon, the draw (§3, §10.3)."""
    steps: list[dict[str, Any]] = []
    for p in session.exec(select(TaskParticipant).where(TaskParticipant.task_id == task.id)).all():
        who = f"{p.participant}（{ROLE_LABELS[role_of(p.participant)]}）"
        steps.append({"at": p.committed_at, "what": "提交承诺", "who": who, "detail": p.commitment})
        if p.revealed_at is not None:
            steps.append({"at": p.revealed_at, "what": "揭示随机数", "who": who, "detail": ""})
    if task.frozen_at is not None:
        if record["algorithm"] == ALGORITHM:
            detail = f"名录摘要 {record['population']['digest']}；执法人员摘要 {record['inspectors']['digest']}"
        else:
            freeze = record["freeze"]
            tiers = "，".join(f"{t} 类 {part['count']} 户" for t, part in freeze["tiers"].items())
            shown = "" if None in (part["count"] for part in freeze["tiers"].values()) else f"（{tiers}）"
            detail = f"冻结摘要 {freeze['digest']}{shown}"
            if freeze["beacon"]:
                planned = freeze["beacon"]
                detail += f"；确定公开信标：{planned['source']} {planned['issue']}，开奖时间 {_beijing(planned['at'])}"
        steps.append({"at": task.frozen_at, "what": "冻结名录", "who": "", "detail": detail})
    if record["algorithm"] != ALGORITHM and record["seed"]["beacon"]:
        entered = record["seed"]["beacon"]
        at = datetime.fromisoformat(entered["entered_at"].replace("Z", "+00:00"))
        steps.append({"at": at, "what": "填写公开信标", "who": "", "detail": entered["value"]})
    steps.append({"at": draw.created_at, "what": "执行抽取", "who": "", "detail": draw.record_sha256})
    order = {"提交承诺": 0, "冻结名录": 1, "揭示随机数": 2, "填写公开信标": 3, "执行抽取": 4}
    return sorted(steps, key=lambda s: (clock.to_beijing(s["at"]), order[s["what"]]))


def _beijing(stamp: str) -> str:
    return clock.to_beijing(datetime.fromisoformat(stamp.replace("Z", "+00:00"))).strftime("%Y-%m-%d %H:%M")
