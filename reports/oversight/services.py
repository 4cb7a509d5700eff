"""The 督查室's follow-up of a lagging unit: decisions proposed by one member and confirmed by another (four
eyes), the 整改 items a unit answers with its 整改报告, the escalation the rules call for, and the re-check of
the unit in the next period's metrics. One row lock per change."""

from __future__ import annotations

import json
import logging
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from reports.dashboard import dashboard
from reports.models import ReportArchive
from reports.oversight import rules
from reports.oversight.models import OversightDecision, OversightNotice, Rectification, RectificationReport
from supervise import audit, clock
from supervise.config import tuning
from supervise.db import lock_rows
from supervise.docnumbers import next_number, series_head
from supervise.errors import field_error
from supervise.holidays import work_calendar
from supervise.models import Department, Region, User

log = logging.getLogger(__name__)


def notice_number(session: Session) -> str:
    """The next 督查通报 文号: one series for the 通报 of a unit and the periodic 通报 of a region."""
    return next_number(
        session, series_head(rules.NUMBERS[rules.NOTICE]), OversightNotice.number, ReportArchive.doc_number
    )


def _audit(session: Session, action: str, actor: str, object_id: str, **payload: Any) -> None:
    audit.record(session, actor=actor, action=action, object_type="oversight", object_id=object_id, payload=payload)


def _rect(session: Session, number: str, *, lock: bool = False) -> Rectification:
    stmt = select(Rectification).where(Rectification.number == number)
    row = session.exec(lock_rows(stmt) if lock else stmt).first()
    if row is None:
        raise field_error("rectification", f"整改通知 {number} 不存在", status=404)
    return row


def _latest_report(session: Session, rect: Rectification) -> RectificationReport | None:
    return session.exec(
        select(RectificationReport)
        .where(RectificationReport.rectification_id == rect.id)
        .order_by(col(RectificationReport.id).desc())
    ).first()


def facts(session: Session, rect: Rectification, today: date) -> rules.Facts:
    """What the escalation rules look at on one item."""
    returns = session.exec(
        select(col(RectificationReport.decided_on)).where(
            RectificationReport.rectification_id == rect.id, RectificationReport.outcome == "returned"
        )
    ).all()
    checks = json.loads(rect.recheck_json or "[]")
    after = [c for c in checks if c["flagged"] and rect.interview_on and c["start"] > rect.interview_on.isoformat()]
    return rules.Facts(
        today=today, due=rect.due, accepted=rect.status in (rules.ACCEPTED, rules.REVOKED),
        returns=tuple(d for d in returns if d is not None),
        lagging_again=any(c["flagged"] for c in checks), interview_on=rect.interview_on,
        interview_due=rect.interview_due, lagging_after_interview=bool(after),
        accountability=rect.accountability_on is not None,
    )  # fmt: skip


def _issued(session: Session, model: type[OversightNotice] | type[Rectification], p: dict[str, Any]) -> str | None:
    """The number of the 通报 or 整改通知 already issued to this unit for this period, if any."""
    return session.exec(
        select(model.number).where(
            model.unit_kind == p["unit_kind"], model.unit_code == p["unit_code"], model.period == p["period"]
        )
    ).first()


def _approval(payload: dict[str, Any], today: date) -> None:
    """A critical 通报 or a 追责建议 carries the government's recorded approval (政府督查工作条例 第二十一条)."""
    if not str(payload.get("approved_by") or "").strip():
        raise field_error(
            "approved_by", "须经本级人民政府或者行政首长批准：请填写批准机关或批准人（《政府督查工作条例》第二十一条）"
        )
    if not str(payload.get("approval_ref") or "").strip():
        raise field_error("approval_ref", "请填写批准文件文号或签批单编号")
    on = payload.get("approved_on")
    if not on or date.fromisoformat(str(on)) > today:
        raise field_error("approved_on", "请填写批准日期（不能晚于今天）")


def _checked(session: Session, kind: str, payload: dict[str, Any], rect: Rectification | None) -> dict[str, Any]:
    """Validate a decision's payload against the item as it stands; return the payload to store."""
    today = clock.today()
    if kind in rules.NEEDS_APPROVAL:
        _approval(payload, today)
    if kind in (rules.NOTICE, rules.RECTIFY):
        if session.get(Region, payload["region_code"]) is None:
            raise field_error("region_code", f"行政区划 {payload['region_code']} 不存在")
        wanted = str(payload["department_code"]).strip()  # the picker sends the code; a full name is taken too
        dept = session.exec(
            select(Department)
            .where((Department.code == wanted) | (Department.name == wanted))
            .order_by(col(Department.id))
        ).first()
        if dept is None:
            raise field_error("department_code", f"没有名称或代码为“{wanted}”的部门，请从列表中选择")
        payload = {**payload, "department_code": dept.code}
        rectify = kind == rules.RECTIFY or payload.get("days") is not None
        for model, label in ((OversightNotice, "督查通报"), (Rectification, "整改通知")):
            if model is Rectification and not rectify or model is OversightNotice and kind != rules.NOTICE:
                continue
            issued = _issued(session, model, payload)
            if issued:
                raise field_error("unit_code", f"已就该单位 {payload['period']} 下发{label}（{issued}）", status=409)
        if kind == rules.RECTIFY or payload.get("days") is not None:
            lo, hi = rules.RECTIFY_DAYS["min"], rules.RECTIFY_DAYS["max"]
            if not lo <= payload["days"] <= hi:
                raise field_error("days", f"整改期限应为 {lo} 至 {hi} 个工作日")
        return payload
    assert rect is not None
    if kind in (rules.ACCEPT, rules.RETURN):
        if rect.status != rules.SUBMITTED:
            raise field_error(
                "rectification", f"整改通知{rules.STATUS_LABELS[rect.status]}，没有待审核的整改报告", status=409
            )
        if kind == rules.RETURN and not payload.get("reason", "").strip():
            raise field_error("reason", "退回整改报告须写明理由")
        return payload
    step = rules.escalation(facts(session, rect, today))
    if step is None or step["step"] != kind:
        due = f"当前应{rules.DECISION_LABELS[step['step']]}" if step else "尚未触发约谈、追责条件"
        raise field_error("rectification", f"不能{rules.DECISION_LABELS[kind]}：{due}", status=409)
    if kind == rules.INTERVIEW:
        if date.fromisoformat(payload["held_on"]) > today:
            raise field_error("held_on", "约谈日期不能晚于今天")
        lo, hi = rules.INTERVIEW_DAYS["min"], rules.INTERVIEW_DAYS["max"]
        if not lo <= payload["days"] <= hi:
            raise field_error("days", f"约谈后整改期限应为 {lo} 至 {hi} 个工作日")
    if kind == rules.ACCOUNTABILITY and payload["recipient"] not in rules.RECIPIENTS:
        raise field_error("recipient", f"追责建议应送{'或'.join(rules.RECIPIENTS)}")
    return {**payload, "triggers": step["triggers"]}


def flagged_unit(session: Session, *, region: str, period: str, unit_kind: str, unit_code: str) -> dict[str, Any]:
    """The unit as the period's metrics flag it (name and reasons with evidence); 409 if it is not lagging."""
    lagging = dashboard(session, region=region, period=period)["lagging"]
    unit = next((u for u in lagging if (u["kind"], u["code"]) == (unit_kind, unit_code)), None)
    if unit is None:
        raise field_error("unit_code", f"{unit_code} 在 {period} 未被认定为明显滞后，不能通报或责令整改", status=409)
    return unit


def propose(
    session: Session, *, kind: str, user: User, actor: str, payload: dict[str, Any], number: str | None = None
) -> OversightDecision:
    """Propose a 督查室 decision; it takes effect once another member confirms it."""
    rect = _rect(session, number, lock=True) if number else None
    if (
        rect is not None
        and session.exec(
            select(OversightDecision.id).where(
                OversightDecision.rectification_id == rect.id,
                OversightDecision.kind == kind,
                OversightDecision.state == rules.PENDING,
            )
        ).first()
    ):
        raise field_error("kind", f"已有待确认的“{rules.DECISION_LABELS[kind]}”", status=409)
    stored = _checked(session, kind, payload, rect)
    row = OversightDecision(
        kind=kind, rectification_id=rect.id if rect else None, proposed_by=user.id or 0,
        payload=json.dumps(stored, ensure_ascii=False, sort_keys=True, default=str),
    )  # fmt: skip
    session.add(row)
    session.flush()
    _audit(session, "oversight.proposed", actor, f"decision-{row.id}", kind=kind, number=number, payload=stored)
    return row


def withdraw(session: Session, *, decision_id: int, user: User, actor: str) -> OversightDecision:
    """Withdraw one's own pending proposal."""
    row = _decision(session, decision_id)
    if row.proposed_by != user.id:
        raise field_error("decision_id", "只能撤回本人提出的决定", status=403)
    row.state = rules.WITHDRAWN
    session.add(row)
    _audit(session, "oversight.withdrawn", actor, f"decision-{row.id}", kind=row.kind)
    return row


def _decision(session: Session, decision_id: int) -> OversightDecision:
    row = session.exec(lock_rows(select(OversightDecision).where(OversightDecision.id == decision_id))).first()
    if row is None:
        raise field_error("decision_id", f"决定 {decision_id} 不存在", status=404)
    if row.state != rules.PENDING:
        raise field_error("decision_id", f"该决定{rules.DECISION_STATES[row.state]}", status=409)
    return row


def confirm(session: Session, *, decision_id: int, user: User, actor: str) -> OversightDecision:
    """Confirm another member's proposal (four eyes) and carry it out, audited, in the same transaction."""
    row = _decision(session, decision_id)
    if row.proposed_by == user.id:
        raise field_error("decision_id", "须由提出人以外的另一名督查人员确认", status=403)
    rect = session.get(Rectification, row.rectification_id) if row.rectification_id else None
    if rect is not None:
        session.exec(lock_rows(select(Rectification).where(Rectification.id == rect.id))).one()
    payload = _checked(session, row.kind, json.loads(row.payload), rect)  # the item may have moved on since
    proposer = session.get(User, row.proposed_by)
    by = f"user:{proposer.username}" if proposer else str(row.proposed_by)
    row.result = _apply(session, row.kind, payload, rect, proposer=by, actor=actor)
    row.state, row.confirmed_by, row.confirmed_at = rules.CONFIRMED, user.id, clock.now()
    session.add(row)
    _audit(session, f"oversight.{row.kind}", actor, row.result, decision=row.id, proposed_by=by, **payload)
    return row


def _apply(
    session: Session,
    kind: str,
    p: dict[str, Any],
    rect: Rectification | None,
    *,
    proposer: str,
    actor: str,
    fresh: bool = False,
) -> str:
    today = clock.today()
    if kind in (rules.NOTICE, rules.RECTIFY) and not fresh:
        # The figures of the day the decision takes effect, which is the date the paper carries: a 通报 confirmed
        # today must say what every page says today (409 if the unit is no longer lagging).
        unit = flagged_unit(session, region=p["region_code"], period=p["period"], unit_kind=p["unit_kind"],
                            unit_code=p["unit_code"])  # fmt: skip
        p = {**p, "reasons": unit["reasons"], "unit_name": unit["name"]}
    if kind == rules.NOTICE:
        notice = OversightNotice(
            number=notice_number(session), region_code=p["region_code"],
            period=p["period"], unit_kind=p["unit_kind"], unit_code=p["unit_code"], unit_name=p["unit_name"],
            main_to=p["main_to"], copy_to=p.get("copy_to", ""),
            reasons_json=json.dumps(p["reasons"], ensure_ascii=False),
            requirement=p["requirement"], issuer=tuning().report_issuer, proposed_by=proposer, confirmed_by=actor,
            department_id=session.exec(select(Department.id).where(Department.code == p["department_code"])).first(),
            approved_by=p["approved_by"], approved_on=date.fromisoformat(str(p["approved_on"])),
            approval_ref=p["approval_ref"],
        )  # fmt: skip
        session.add(notice)
        session.flush()
        if p.get("days") is not None:  # the 通报 and its 整改通知 go out together
            _apply(session, rules.RECTIFY, {**p, "notice": notice.number}, None, proposer=proposer, actor=actor,
                   fresh=True)  # its figures were just read for the 通报  # fmt: skip
        return notice.number
    if kind == rules.RECTIFY:
        dept = session.exec(select(Department).where(Department.code == p["department_code"])).one()
        parent = session.exec(select(OversightNotice).where(OversightNotice.number == p.get("notice", ""))).first()
        made = Rectification(
            number=next_number(session, series_head(rules.NUMBERS[rules.RECTIFY]), Rectification.number),
            notice_id=parent.id if parent else None,
            region_code=p["region_code"], period=p["period"], unit_kind=p["unit_kind"], unit_code=p["unit_code"],
            unit_name=p["unit_name"], department_id=dept.id or 0,
            reasons_json=json.dumps(p["reasons"], ensure_ascii=False), requirement=p["requirement"], issued_on=today,
            due=work_calendar(session).add_working_days(today, p["days"]), created_by=actor,
        )  # fmt: skip
        session.add(made)
        session.flush()
        return made.number
    assert rect is not None
    if kind in (rules.ACCEPT, rules.RETURN):
        report = _latest_report(session, rect)
        assert report is not None
        report.outcome = "accepted" if kind == rules.ACCEPT else "returned"
        report.outcome_reason, report.decided_on = p.get("reason") or None, today
        session.add(report)
        rect.status = rules.ACCEPTED if kind == rules.ACCEPT else rules.RETURNED
        rect.accepted_on = today if kind == rules.ACCEPT else None
    elif kind == rules.INTERVIEW:
        held = date.fromisoformat(p["held_on"])
        rect.interview_on, rect.interview_participants, rect.interview_minutes = held, p["participants"], p["minutes"]
        rect.interview_due = work_calendar(session).add_working_days(held, p["days"])
    else:
        rect.accountability_on, rect.accountability_to, rect.accountability_text = today, p["recipient"], p["proposal"]
        rect.accountability_approved_by, rect.accountability_approval_ref = p["approved_by"], p["approval_ref"]
        rect.accountability_approved_on = date.fromisoformat(str(p["approved_on"]))
    session.add(rect)
    return rect.number


def submit_report(
    session: Session, *, number: str, user: User, actor: str, text: str, attachments: list[dict[str, Any]]
) -> RectificationReport:
    """The unit's 整改报告 (text and stored attachments); only its own department's item, while it is open."""
    rect = _rect(session, number, lock=True)
    if user.role != "unit" or user.department_id != rect.department_id:
        raise field_error("rectification", "只能提交本单位的整改报告", status=403)
    if rect.status not in (rules.OPEN, rules.RETURNED):
        raise field_error("rectification", f"整改通知{rules.STATUS_LABELS[rect.status]}，不能再提交", status=409)
    if not text.strip():
        raise field_error("report_text", "整改报告内容不能为空")
    report = RectificationReport(
        rectification_id=rect.id or 0, text=text.strip(), submitted_by=actor,
        attachments_json=json.dumps(attachments, ensure_ascii=False),
    )  # fmt: skip
    rect.status = rules.SUBMITTED
    session.add_all([report, rect])
    session.flush()
    late = clock.today() > (rect.interview_due or rect.due)
    _audit(
        session, "oversight.report_submitted", actor, rect.number, report=report.id, files=len(attachments), late=late
    )
    return report
