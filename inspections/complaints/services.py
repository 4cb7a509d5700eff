"""Complaint intake: the platform's push (idempotent by 工单号), an import (all rows or none) and the staff form;
each 工单 gets its statutory and platform deadlines in working days, and the complainant's contact is masked
for everyone but the handling officer and the 督查室."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC
from typing import Any

from pydantic import ValidationError
from sqlalchemy import or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from inspections.complaints import matching, rules, workflow
from inspections.complaints.mediation import mediation_view
from inspections.complaints.models import Complaint
from inspections.complaints.schemas import ComplaintIn
from inspections.complaints.separation import spin_off
from inspections.models import CheckPoint, InspectionItem
from supervise import audit, clock
from supervise.db import lock_rows
from supervise.errors import field_error, import_rejected
from supervise.holidays import work_calendar
from supervise.imports import runs_import
from supervise.importspec import Column, ImportSpec, register
from supervise.messages import pydantic_message
from supervise.models import Department, Enterprise, Inspector, Region
from supervise.schemas import ImportReport, ImportRowError

log = logging.getLogger(__name__)
SEES_CONTACT = frozenset({"supervisor"})  # and the handling officer (the one who signed it)
SEES_ALL = frozenset({"supervisor", "auditor", "admin", "cli"})  # the others see their department's 工单
# The 12345 platform's exports carry Chinese headers; systems send the English names (both are accepted).
IMPORT = register(
    ImportSpec(
        "complaints",
        "12345 工单导入",
        (
            Column("ticket_no", "工单编号", True, "ZJ12345-20261201-0001", "平台工单号：字母、数字和连字符",
                   ("工单号",)),
            Column("received_at", "受理时间", True, "2026-12-01 09:30:00",
                   "平台受理时间；不带时区的按北京时间，如 2026-12-01 09:30:00 或 2026-12-01T09:30:00+08:00"),
            Column("channel", "来源渠道", True, "12345热线",
                   "12345热线、12345网站、12345移动端、信件、来访或其他", ("渠道",)),
            Column("category", "诉求类型", True, "投诉", "投诉、举报或投诉举报（同时包含的，分为两件分别办理）",
                   ("类别", "类型")),
            Column("uscc", "统一社会信用代码", False, "91330102MA2H0X1Y2X", "被投诉举报主体的代码；不知道的可留空"),
            Column("firm_name", "企业名称", False, "杭州某某食品店", "被投诉举报主体的名称", ("被投诉举报对象",)),
            Column("firm_address", "企业地址", False, "杭州市上城区解放路1号", "", ("地址",)),
            Column("trade", "经营方式", False, "", "留空为线下经营；platform 电商平台或自建网站，"
                   "in_platform 平台内经营者，ad_media 大众传播媒介广告，ad_self 广告主自行发布的互联网广告"),
            Column("act_region", "行为发生地区划代码", False, "330102", "举报：被举报行为发生地的六位区划代码"),
            Column("other_region", "广告发布者所在地区划代码", False, "", "大众传播媒介广告的举报必填"),
            Column("content", "诉求内容", True, "购买的牛奶已过保质期", "不超过 4000 字", ("内容", "诉求描述")),
            Column("complainant_name", "联系人", False, "张女士", "投诉举报人；只有督查室和承办人可见",
                   ("投诉人", "举报人")),
            Column("complainant_phone", "联系电话", False, "13800000000", "只有督查室和承办人可见", ("电话",)),
            Column("complainant_address", "通讯地址", False, "杭州市上城区某路1号", "投诉人的通讯地址（办法第九条）"),
            Column("confidential", "是否保密", False, "否", "是或否"),
        ),
        roles=("supervisor", "admin"),
    )
)  # fmt: skip
COLUMNS = IMPORT.keys
REQUIRED = IMPORT.required


def _new(session: Session, data: ComplaintIn, *, source: str, actor: str) -> Complaint:
    """The 工单 row with its deadlines counted from the day it was received."""
    calendar = work_calendar(session)
    received = clock.to_beijing(data.received_at.astimezone(UTC)).date()
    due = {step: calendar.add_working_days(received, days) for step, days in rules.steps_of(data.category)}
    ent = session.exec(select(Enterprise).where(Enterprise.uscc == data.uscc)).first() if data.uscc else None
    return Complaint(
        ticket_no=data.ticket_no, received_at=data.received_at, channel=data.channel, category=data.category,
        uscc=data.uscc, firm_name=data.firm_name or (ent.name if ent else ""), firm_address=data.firm_address,
        enterprise_id=ent.id if ent else None, content=data.content, complainant_name=data.complainant_name,
        complainant_phone=data.complainant_phone, complainant_address=data.complainant_address,
        confidential=data.confidential, source=source, trade=data.trade, act_region=data.act_region,
        other_region=data.other_region,
        sign_due=due["sign"], accept_due=due.get("accept"), verify_due=due.get("verify"), close_due=due["close"],
        provisional=any(calendar.is_provisional(received, d) for d in due.values()), created_by=actor,
    )  # fmt: skip


def receive(session: Session, *, data: ComplaintIn, source: str, actor: str) -> tuple[Complaint, bool]:
    """Take in one 工单; pushing a 工单号 again changes nothing and returns the stored one (created: False)."""
    existing = session.exec(select(Complaint).where(Complaint.ticket_no == data.ticket_no)).first()
    if existing is not None:
        return existing, False
    if data.received_at.tzinfo is None:
        raise field_error("received_at", "受理时间应带时区，如 2026-09-28T10:00:00+08:00")
    if data.received_at > clock.now():
        raise field_error("received_at", "受理时间不能晚于现在")
    mixed = data.category == rules.MIXED
    if mixed:  # 办法第七条: the 投诉 and the 举报 are handled apart, each under its own procedure
        data = data.model_copy(update={"category": rules.COMPLAINT})
    row = _new(session, data, source=source, actor=actor)
    try:
        with session.begin_nested():  # the platform may push the same 工单 twice at once: the second loses
            workflow.apply_route(session, row)
            session.add(row)
            session.flush()
    except IntegrityError:
        kept = session.exec(select(Complaint).where(Complaint.ticket_no == data.ticket_no)).one()
        return kept, False
    _audit(session, row, "complaint.received", actor)
    if mixed:
        received = clock.to_beijing(row.received_at).date()
        spin_off(session, row, origin="split", content=row.content, start=received, actor=actor)
    return row, True


def _audit(session: Session, row: Complaint, action: str, actor: str) -> None:
    # The audit log is read by officers and auditors: the complainant's contact stays out of it.
    audit.record(
        session, actor=actor, action=action, object_type="complaint", object_id=row.ticket_no,
        payload={"category": row.category, "source": row.source, "uscc": row.uscc, "confidential": row.confidential},
    )  # fmt: skip


@runs_import("complaints")
def run_import(
    session: Session, *, rows: Sequence[tuple[int, dict[str, str]]], actor: str, source: str, options: dict[str, Any]
) -> ImportReport:
    """The 12345 import's runner (supervise.imports)."""
    return import_rows(session, rows=rows, actor=actor)


def import_rows(session: Session, *, rows: Sequence[tuple[int, dict[str, str]]], actor: str) -> ImportReport:
    """Import 工单 from a spreadsheet: every row valid or none stored; 工单号 already held are left as they are."""
    errors: list[ImportRowError] = []
    parsed: list[ComplaintIn] = []
    seen: dict[str, int] = {}
    for line, raw in rows:
        values: dict[str, Any] = {k: (raw.get(k) or "").strip() for k in COLUMNS if (raw.get(k) or "").strip()}
        values["confidential"] = values.get("confidential", "") in ("是", "1", "true", "TRUE", "yes")
        try:
            item = ComplaintIn.model_validate(values)
        except ValidationError as exc:
            for e in exc.errors():
                field = str(e["loc"][0]) if e["loc"] else "row"
                errors.append(ImportRowError(line=line, field=field, message=pydantic_message(e)))
            continue
        if item.received_at.tzinfo is None:  # a Chinese export's times are Beijing time
            item = item.model_copy(update={"received_at": item.received_at.replace(tzinfo=clock.BEIJING)})
        if item.ticket_no in seen:
            errors.append(ImportRowError(line=line, field="ticket_no", message=f"与第 {seen[item.ticket_no]} 行重复"))
            continue
        seen[item.ticket_no] = line
        parsed.append(item)
    if errors:
        raise import_rejected(errors)
    created = sum(receive(session, data=item, source="import", actor=actor)[1] for item in parsed)
    return ImportReport(imported=created, skipped=len(parsed) - created)


def complaint_view(
    row: Complaint, *, viewer_role: str, viewer_id: int | None = None, repeat: bool = False,
    department: str | None = None,
) -> dict[str, Any]:  # fmt: skip
    """A complaint as a viewer may see it: the contact in full for the 督查室 and the handling officer only."""
    full = viewer_role in SEES_CONTACT or (viewer_id is not None and viewer_id == row.handler_id)
    step = rules.current_step(row.category, row.state)
    due = {
        "sign": row.sign_due.isoformat(),
        "accept": row.accept_due.isoformat() if row.accept_due else None,
        "verify": row.verify_due.isoformat() if row.verify_due else None,
        "close": row.close_due.isoformat(),
    }
    next_due = (due["close"] if step == "reply" else due[step]) if step else None
    return {
        "ticket_no": row.ticket_no,
        "received_at": clock.to_beijing(row.received_at).isoformat(),
        "channel": row.channel,
        "category": row.category,
        "uscc": row.uscc,
        "firm_name": row.firm_name,
        "matched": row.enterprise_id is not None,
        "content": row.content,
        "complainant_name": row.complainant_name if full else rules.mask_name(row.complainant_name),
        "complainant_phone": row.complainant_phone if full else rules.mask_phone(row.complainant_phone),
        "complainant_address": row.complainant_address if full else ("（已遮挡）" if row.complainant_address else ""),
        "anonymous": not rules.real_name(row.complainant_name, row.complainant_phone),
        "confidential": row.confidential,
        "trade": row.trade,
        "trade_label": rules.TRADE_LABELS.get(row.trade, row.trade),
        "parent_ticket": row.parent_ticket,
        "origin": row.origin,
        "reject_ground": row.reject_reason if row.reject_ground else None,
        "notice_due": row.notice_due.isoformat() if row.notice_due else None,
        "noticed_on": row.noticed_on.isoformat() if row.noticed_on else None,
        "mediation": mediation_view(row),
        "masked": not full,
        "source": row.source,
        "state": row.state,
        "state_label": rules.STATE_LABELS[row.state],
        "department": department,
        "route_rule": row.route_rule,
        "route_reason": row.route_reason,
        "next_step": rules.step_label(step) if step else None,
        "next_due": next_due,
        "overdue": bool(next_due and next_due < clock.today().isoformat()),
        "due": due,
        "provisional": row.provisional,
        "check_window": [row.check_start.isoformat(), row.check_end.isoformat()] if row.check_start and row.check_end
        else None,
        "finding": row.finding,
        "case_decision": row.case_decision,
        "case_number": row.case_number,
        "replied_at": clock.to_beijing(row.replied_at).isoformat() if row.replied_at else None,
        "reply_channel": row.reply_channel,
        "repeat": repeat,
    }  # fmt: skip


def repeats(session: Session, rows: Sequence[Complaint]) -> set[int]:
    """The 工单 that repeat an earlier one about the same firm within the window (rules.REPEAT_*)."""
    firms = {r.enterprise_id for r in rows if r.enterprise_id is not None}
    if not firms:
        return set()
    seen: dict[int, list[Any]] = {}
    for cid, eid, at in session.exec(
        select(Complaint.id, Complaint.enterprise_id, Complaint.received_at)
        .where(col(Complaint.enterprise_id).in_(firms))
        .order_by(col(Complaint.received_at))
    ).all():
        seen.setdefault(eid or 0, []).append((cid, at))
    out = set()
    for history in seen.values():
        for i, (cid, at) in enumerate(history):
            earlier = [a for _c, a in history[:i] if (at - a).days < rules.REPEAT_WINDOW_DAYS]
            if len(earlier) + 1 >= rules.REPEAT_COUNT:
                out.add(cid)
    return out


def views(
    session: Session, rows: Sequence[Complaint], *, viewer_role: str, viewer_id: int | None
) -> list[dict[str, Any]]:
    """Several complaints as the viewer may see them, with their departments and repeat flags looked up once."""
    repeated = repeats(session, rows)
    ids = {r.department_id for r in rows if r.department_id}
    names = dict(session.exec(select(Department.id, Department.name).where(col(Department.id).in_(ids))).all())
    return [
        complaint_view(r, viewer_role=viewer_role, viewer_id=viewer_id, repeat=r.id in repeated,
                       department=names.get(r.department_id))
        for r in rows
    ]  # fmt: skip


def complaint_rows(
    session: Session, *, viewer_role: str, viewer_id: int | None = None, department_id: int | None = None,
    limit: int = 1000,
) -> list[dict[str, Any]]:  # fmt: skip
    """The complaints, the nearest 办结 deadline first; a handling department's staff see only their own."""
    stmt = select(Complaint).order_by(col(Complaint.close_due), col(Complaint.id)).limit(limit)
    if viewer_role not in SEES_ALL:
        stmt = stmt.where(Complaint.department_id == (department_id or -1))
    return views(session, session.exec(stmt).all(), viewer_role=viewer_role, viewer_id=viewer_id)


def visible_row(
    session: Session, *, ticket_no: str, viewer_role: str, department_id: int | None, viewer_actor: str | None = None
) -> Complaint:
    """The 工单 if the viewer may read it: their department handles it, or they registered it (and may see where
    it went); another department's 工单 is 403."""
    row = complaint_row(session, ticket_no)
    registrar = viewer_actor is not None and row.created_by == viewer_actor
    if (
        viewer_role not in SEES_ALL
        and not registrar
        and (row.department_id is None or row.department_id != department_id)
    ):
        raise field_error("ticket_no", "此工单不由您的部门承办", status=403)
    return row


def one_view(session: Session, *, ticket_no: str, viewer_role: str, viewer_id: int | None,
             department_id: int | None) -> dict[str, Any]:  # fmt: skip
    """One complaint as the viewer may see it; another department's 工单 is 403."""
    row = visible_row(session, ticket_no=ticket_no, viewer_role=viewer_role, department_id=department_id)
    return views(session, [row], viewer_role=viewer_role, viewer_id=viewer_id)[0]


def complaint_row(session: Session, ticket_no: str, *, lock: bool = False) -> Complaint:
    """The 工单 with this number, or 404 naming it."""
    stmt = select(Complaint).where(Complaint.ticket_no == ticket_no)
    row = session.exec(lock_rows(stmt) if lock else stmt).first()
    if row is None:
        raise field_error("ticket_no", f"工单 {ticket_no} 不存在", status=404)
    return row


def match_candidates(session: Session, *, ticket_no: str, limit: int = 5) -> list[dict[str, Any]]:
    """The firms of the 名录库 a 工单 may mean, best first, for an officer to confirm (the matched one if any)."""
    row = complaint_row(session, ticket_no)
    if row.enterprise_id is not None:
        ent = session.get(Enterprise, row.enterprise_id)
        assert ent is not None
        return [{"uscc": ent.uscc, "name": ent.name, "region_code": ent.region_code, "score": 100.0, "matched": True}]
    pieces = matching.probes(row.firm_name)
    if not pieces:
        return []
    # Narrow by the core name's two-character pieces in SQL, then score the few thousand left in Python.
    firms = session.exec(
        select(Enterprise.id, Enterprise.name)
        .where(or_(*(col(Enterprise.name).contains(p, autoescape=True) for p in pieces)))
        .limit(5000)
    ).all()
    ranked = matching.rank(row.firm_name, [(fid or 0, name) for fid, name in firms], limit=limit * 4)
    ents = {e.id: e for e in session.exec(select(Enterprise).where(col(Enterprise.id).in_([r[0] for r in ranked])))}
    codes = {c for e in ents.values() for c in (e.region_code, e.township_code) if c}
    regions = {r.code: r for r in session.exec(select(Region).where(col(Region.code).in_(codes))).all()}
    # The 工单's own place first: the 行为发生地 it gives, or a district its address names (上城区 …).
    hinted = {row.act_region} | {r.code for r in regions.values() if r.name and r.name in row.firm_address}
    out = [
        {"uscc": ents[fid].uscc, "name": name, "region_code": ents[fid].region_code, "score": score, "matched": False,
         "place": "·".join(regions[c].name for c in (ents[fid].region_code, ents[fid].township_code or "")
                           if c in regions),
         "in_place": ents[fid].region_code in hinted}
        for fid, name, score in ranked
    ]  # fmt: skip
    return sorted(out, key=lambda c: not c["in_place"])[:limit]


def confirm_match(session: Session, *, ticket_no: str, uscc: str, actor: str) -> Complaint:
    """Record which registered firm a 工单 concerns (an officer's confirmation of a candidate), audited."""
    row = complaint_row(session, ticket_no, lock=True)
    ent = session.exec(select(Enterprise).where(Enterprise.uscc == uscc)).first()
    if ent is None:
        raise field_error("uscc", f"统一社会信用代码 {uscc} 未登记")
    if row.enterprise_id is not None:
        raise field_error("ticket_no", f"工单 {ticket_no} 已确认为 {row.uscc}", status=409)
    raw_name = row.firm_name
    row.enterprise_id, row.uscc, row.firm_name = ent.id, ent.uscc, ent.name  # the registered name from now on
    workflow.apply_route(session, row)
    session.add(row)
    audit.record(
        session, actor=actor, action="complaint.matched", object_type="complaint", object_id=ticket_no,
        payload={"uscc": ent.uscc, "firm_name": ent.name, "named_in_ticket": raw_name},
    )  # fmt: skip
    return row


def handling_context(session: Session, row: Complaint) -> dict[str, Any]:
    """What the handling department's forms offer: its serving inspectors, its items and the 核查's 检查要点."""
    dept = session.get(Department, row.department_id) if row.department_id else None
    if dept is None:
        return {"inspectors": [], "items": [], "points": []}
    inspectors = session.exec(
        select(Inspector.badge_no, Inspector.name)
        .where(Inspector.department_id == dept.id, col(Inspector.active).is_(True))
        .order_by(col(Inspector.badge_no))
        .limit(200)
    ).all()
    items = session.exec(
        select(InspectionItem.code, InspectionItem.name)
        .where(InspectionItem.department_kind == dept.kind, col(InspectionItem.active).is_(True))
        .order_by(col(InspectionItem.code))
    ).all()
    codes = [c for c in row.check_items.split(",") if c]
    points = session.exec(
        select(CheckPoint.id, InspectionItem.name, CheckPoint.seq, CheckPoint.text)
        .join(InspectionItem, col(InspectionItem.id) == col(CheckPoint.item_id))
        .where(col(InspectionItem.code).in_(codes))
        .order_by(col(InspectionItem.code), col(CheckPoint.seq))
    ).all()
    return {
        "inspectors": [{"badge": b, "name": n} for b, n in inspectors],
        "items": [{"code": c, "name": n} for c, n in items],
        "points": [{"id": pid, "item": name, "seq": seq, "text": text} for pid, name, seq, text in points],
    }
