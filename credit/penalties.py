"""行政处罚信息 as a public credit record (总局令第45号): published within 20 working days of a 普通程序 decision
(a 警告 alone is not published), displayed for its period (longer where a restriction runs longer), withdrawn
within 3 working days when the decision is changed or annulled, and stopped early (提前停止公示, a kind of 信用修复)
under four eyes once its minimum display has passed and all four conditions of 第十四条 hold.

The decisions come from the enforcement loop (inspections/disposals/cases.py) or are recorded here by an
officer. The periods and rules are the data of credit/law.py (PENALTY_INFO) with their sources."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import bindparam
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from credit import law
from credit.models import ListEntry, PenaltyInfo
from credit.rules import ACTIVE_STATES, Period
from supervise import audit, clock
from supervise.db import locked
from supervise.errors import Forbidden, field_error
from supervise.holidays import work_calendar
from supervise.models import Department, Enterprise
from supervise.scope import covers_department, out_of_scope, reach_of

log = logging.getLogger(__name__)
KINDS = {
    "warning": "仅警告（不予公示）",
    "light": "通报批评或较低数额罚款",
    "ordinary": "其他一般行政处罚",
    "heavy": "较重行政处罚",
}
PROCEDURES = {"ordinary": "普通程序", "simple": "简易程序"}
STATE_LABELS = {
    "published": "公示中",
    "stop_applied": "提前停止公示审核中",
    "stopped": "已提前停止公示",
    "ended": "公示期满",
    "withdrawn": "已撤回",
}
# 45号令 第十四条第一款 (一)-(三), each with its evidence, and the 守信承诺书 of 信用修复管理办法;
# (四) 未在经营异常名录和严重违法失信名单中 is read from the firm's entries, not declared.
STOP_CONDITIONS = (
    ("performed", "已经自觉履行行政处罚决定中规定的义务"),
    ("harm_removed", "已经主动消除危害后果和不良影响"),
    ("no_repeat", "未因同一类违法行为再次受到市场监督管理部门行政处罚"),
    ("commitment", "守信承诺书"),
)


def _period(key: str) -> Period:
    period = Period.parse(law.PENALTY_INFO[key])
    assert period is not None, key
    return period


@dataclass(frozen=True)
class DisplayRule:
    display: Period  # how long the information is public
    early_stop_after: Period | None  # None: no early stop in this system


def not_published(kind: str, procedure: str) -> str | None:
    """Why a penalty decision is not published, with its source; None if it is (pure)."""
    if procedure != "ordinary":
        return "适用简易程序作出的行政处罚决定不予公示（总局令第45号第二条第一款：只公示适用普通程序作出的决定）"
    if kind == "warning":
        return "仅受到警告行政处罚的不予公示（总局令第45号第二条第二款）"
    return None


def display_rule(kind: str, field: str | None) -> DisplayRule:
    """How long a penalty of this kind and field is displayed, and when it may be stopped early (pure)."""
    if kind == "light":  # 仅通报批评或较低数额罚款: three months, then stopped by itself (第十三条第一款)
        return DisplayRule(_period("display_light"), None)
    if kind == "heavy":  # 较为严重的行政处罚不得提前停止公示 (45号令 第十四条第三款)
        return DisplayRule(_period("display"), None)
    strict = field in law.PENALTY_INFO["strict_fields"]
    return DisplayRule(_period("display"), _period("min_display_strict" if strict else "min_display_ordinary"))


def record(
    session: Session,
    *,
    uscc: str,
    decision_number: str,
    decided_on: date,
    kind: str,
    field: str | None,
    content: str,
    department_code: str,
    user_id: int | None,
    actor: str,
    procedure: str = "ordinary",
    restricted_until: date | None = None,
) -> PenaltyInfo:
    """Record and publish a penalty decision; its publication is late after 20 working days.

    `restricted_until`: the end of a 限制开展生产经营活动 or 限制从业 it imposes; the display lasts at least that long
    (第十三条第三款)."""
    ent = session.exec(select(Enterprise).where(Enterprise.uscc == uscc)).first()
    if ent is None:
        raise field_error("uscc", f"统一社会信用代码 {uscc} 未登记", status=404)
    dept = session.exec(select(Department).where(Department.code == department_code)).first()
    if dept is None:
        raise field_error("department_code", f"部门 {department_code} 不存在")
    if kind not in KINDS:
        raise field_error("penalty_kind", f"处罚种类应为：{'、'.join(KINDS.values())}")
    if procedure not in PROCEDURES:
        raise field_error("procedure", f"程序应为：{'、'.join(PROCEDURES.values())}")
    why_not = not_published(kind, procedure)
    if why_not is not None:
        raise field_error("procedure" if procedure != "ordinary" else "penalty_kind", why_not)
    today = clock.today()
    if decided_on > today:
        raise field_error("decided_on", "处罚决定日期不能晚于今天")
    if session.exec(select(PenaltyInfo.id).where(PenaltyInfo.decision_number == decision_number)).first():
        raise field_error("decision_number", f"行政处罚决定书 {decision_number} 已公示", status=409)
    rule = display_rule(kind, field)
    due = _period("publish_within").after(decided_on, work_calendar(session))
    row = PenaltyInfo(
        enterprise_id=ent.id or 0,
        department_id=dept.id or 0,
        decision_number=decision_number,
        decided_on=decided_on,
        kind=kind,
        field=field,
        content=content,
        published_on=today,
        publish_due=due,
        display_until=max(rule.display.after(today), restricted_until or today),
        restricted_until=restricted_until,
        state="published",
        recorded_by=user_id,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="credit.penalty_published",
        object_type="penalty_info",
        object_id=decision_number,
        payload={"uscc": uscc, "kind": kind, "field": field, "late": today > due, "publish_due": due.isoformat()},
    )
    return row


def apply_stop(
    session: Session, *, penalty_id: int, conditions: dict[str, str], user_id: int, actor: str
) -> PenaltyInfo:
    """Register an application for 提前停止公示: the minimum display passed, each condition with its evidence."""
    row = locked(session, PenaltyInfo, penalty_id)
    if row is None:
        raise field_error("penalty_id", f"行政处罚信息 {penalty_id} 不存在", status=404)
    if not covers_department(session, reach_of(session, user_id=user_id), row.department_id):
        raise out_of_scope("行政处罚信息")
    if row.state != "published":
        raise field_error("penalty_id", f"该行政处罚信息当前不在公示中（{STATE_LABELS[row.state]}）", status=409)
    rule, today = display_rule(row.kind, row.field), clock.today()
    if row.kind == "heavy":
        raise field_error("penalty_id", "较为严重的行政处罚信息不得提前停止公示（总局令第45号第十四条第三款）")
    if rule.early_stop_after is None:
        raise field_error("penalty_id", f"{KINDS[row.kind]}的信息公示三个月期满即停止，不适用提前停止公示")
    earliest = rule.early_stop_after.after(row.published_on)
    if today < earliest:
        raise field_error(
            "applied_on", f"最短公示期为 {rule.early_stop_after.describe()}，自 {earliest.isoformat()} 起方可申请"
        )
    for code, label in STOP_CONDITIONS:
        if not (conditions.get(code) or "").strip():
            raise field_error(f"conditions.{code}", f"请记录“{label}”的证明材料")
    listed = session.exec(
        select(ListEntry.list_type).where(
            ListEntry.enterprise_id == row.enterprise_id,
            col(ListEntry.list_type).in_(("ABNORMAL", "BLACK")),
            col(ListEntry.state).in_(ACTIVE_STATES),
        )
    ).first()
    if listed is not None:
        raise field_error(
            "conditions.not_listed",
            "该企业在经营异常名录或严重违法失信名单中，不能申请提前停止公示（总局令第45号第十四条第一款第（四）项）",
        )
    row.state, row.stop_applied_on, row.stop_by = "stop_applied", today, user_id
    row.stop_conditions = json.dumps(conditions, ensure_ascii=False)
    session.add(row)
    _audit(session, row, actor=actor, action="credit.penalty_stop_applied")
    return row


def decide_stop(
    session: Session, *, penalty_id: int, approve: bool, note: str, user_id: int, actor: str
) -> PenaltyInfo:
    """Approve or refuse an early stop; never by the officer who registered the application (双人审核)."""
    row = locked(session, PenaltyInfo, penalty_id)
    if row is None:
        raise field_error("penalty_id", f"行政处罚信息 {penalty_id} 不存在", status=404)
    if not covers_department(session, reach_of(session, user_id=user_id), row.department_id):
        raise out_of_scope("行政处罚信息")
    if row.state != "stop_applied":
        raise field_error("penalty_id", "该行政处罚信息没有待决定的提前停止公示申请", status=409)
    if row.stop_by == user_id:
        message = "双人审核：登记申请的工作人员不能作出决定"
        raise Forbidden(None, message, code="forbidden", fields=[{"field": "approved_by", "message": message}])
    row.state = "stopped" if approve else "published"
    row.stop_decided_on, row.stop_decided_by, row.stop_note = clock.today(), user_id, note
    session.add(row)
    _audit(
        session, row, actor=actor, action="credit.penalty_stop_approved" if approve else "credit.penalty_stop_refused"
    )
    return row


def withdraw(
    session: Session, *, penalty_id: int, changed_on: date, reason: str, user_id: int, actor: str
) -> PenaltyInfo:
    """撤回: the decision was changed, annulled or found unlawful; withdrawn with its reason, due in 3 working days
    of that (第十一条); a late withdrawal is recorded as late."""
    row = locked(session, PenaltyInfo, penalty_id)
    if row is None:
        raise field_error("penalty_id", f"行政处罚信息 {penalty_id} 不存在", status=404)
    if not covers_department(session, reach_of(session, user_id=user_id), row.department_id):
        raise out_of_scope("行政处罚信息")
    if row.state == "withdrawn":
        raise field_error("penalty_id", f"该行政处罚信息已于 {row.withdrawn_on} 撤回", status=409)
    if not reason.strip():
        raise field_error("reason", "请说明撤回理由（处罚决定被变更、撤销、确认违法或者确认无效的情况）")
    today = clock.today()
    if changed_on > today or changed_on < row.decided_on:
        raise field_error("changed_on", f"决定变更或撤销的日期应在 {row.decided_on} 至今天之间")
    due = _period("withdraw_within").after(changed_on, work_calendar(session))
    row.state, row.withdrawn_on, row.withdraw_due = "withdrawn", today, due
    row.withdraw_reason, row.withdrawn_by = reason.strip(), user_id
    session.add(row)
    _audit(
        session, row, actor=actor, action="credit.penalty_withdrawn",
        due=due.isoformat(), late=today > due, reason=row.withdraw_reason,
    )  # fmt: skip
    return row


def end_displays(session: Session, *, today: date) -> int:
    """End the display of penalties whose period has passed (the daily expiry job); safe to run twice."""
    rows = session.exec(
        select(PenaltyInfo).where(
            col(PenaltyInfo.state).in_(("published", "stop_applied")), col(PenaltyInfo.display_until) <= today
        )
    ).all()
    for row in rows:
        row.state = "ended"
        session.add(row)
        _audit(session, row, actor="system:expiry", action="credit.penalty_display_ended")
    return len(rows)


def _audit(session: Session, row: PenaltyInfo, *, actor: str, action: str, **details: Any) -> None:
    audit.record(
        session,
        actor=actor,
        action=action,
        object_type="penalty_info",
        object_id=row.decision_number,
        payload={"state": row.state, **details},
    )


_P, _D = PenaltyInfo.__table__, Department.__table__  # type: ignore[attr-defined]
# A Core statement built once: the licensing check reads it on every call (bench/credit_check.py).
_IN_DISPLAY = (
    core_select(_P.c.decision_number, _P.c.content, _P.c.decided_on, _D.c.name, _P.c.display_until)
    .select_from(_P.join(_D, _D.c.id == _P.c.department_id))
    .where(_P.c.enterprise_id == bindparam("firm"), _P.c.state.in_(["published", "stop_applied"]))
    .order_by(_P.c.decided_on.desc())
)


def public_penalties(session: Session, *, enterprise_id: int) -> list[dict[str, Any]]:
    """The firm's penalty information in public display (行政处罚信息公示)."""
    return [
        {
            "number": number,
            "content": content,
            "date": decided.isoformat(),
            "authority": authority,
            "display_until": until.isoformat(),
        }
        for number, content, decided, authority, until in session.connection().execute(
            _IN_DISPLAY, {"firm": enterprise_id}
        )
    ]
