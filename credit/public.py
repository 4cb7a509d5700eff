"""What the public may read of the credit lists (信用查询): entries in force and the removal history, never a
proposal, never personal data, never a firm's risk tier."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from sqlmodel import Session, col, select

from credit.lifecycle import ENDED_STATES
from credit.models import EntryEvent, ListEntry, ListType
from credit.penalties import public_penalties
from credit.report_pdf import content_digest, render_credit_report
from credit.rules import ACTIVE_STATES
from inspections.models import DrawTarget, InspectionResult, Task
from supervise import audit, clock
from supervise.anchors import fix_anchor, latest_anchor
from supervise.config import current, tuning
from supervise.errors import ApiError, field_error
from supervise.fonts import find_cjk_font
from supervise.models import Department, Enterprise, Region
from supervise.queue import redis_connection
from supervise.ratelimit import take

# Why an entry left the list, as the public reads it (the last action that ended it).
REMOVAL_REASONS = {
    "approve_repair": "信用修复（申请移出）获准",
    "remove": "异议核实后撤销列入",
    "revoke": "所依据的行政处罚被撤销",
    "expire": "公示期满",
}


def _matching(q: str) -> Any:
    return col(Enterprise.name).contains(q, autoescape=True) | col(Enterprise.uscc).startswith(
        q.upper(), autoescape=True
    )


def public_entries(session: Session, *, q: str) -> list[dict[str, Any]]:
    """Entries in force (信用查询) by USCC or name."""
    stmt = (
        select(ListEntry, ListType, Enterprise)
        .join(ListType, col(ListType.code) == col(ListEntry.list_type))
        .join(Enterprise, col(Enterprise.id) == col(ListEntry.enterprise_id))
        .where(col(ListEntry.state).in_(ACTIVE_STATES), _matching(q))
    )
    return [
        {
            "uscc": e.uscc,
            "enterprise_name": e.name,
            "list_type": lt.name,
            "kind": lt.kind,
            "summary": entry.public_summary,
            "decision_number": entry.decision_number,
            "listed_on": entry.listed_on.isoformat() if entry.listed_on else None,
            "expires_on": entry.expires_on.isoformat() if entry.expires_on else None,
        }
        for entry, lt, e in session.exec(stmt.limit(200)).all()
    ]


def removal_history(session: Session, *, q: str) -> list[dict[str, Any]]:
    """Entries that were listed and have left the list: 移出日期, 原因, 作出决定机关."""
    stmt = (
        select(ListEntry, ListType, Enterprise, Department)
        .join(ListType, col(ListType.code) == col(ListEntry.list_type))
        .join(Enterprise, col(Enterprise.id) == col(ListEntry.enterprise_id))
        .join(Department, col(Department.id) == col(ListEntry.department_id))
        .where(col(ListEntry.state).in_(ENDED_STATES), col(ListEntry.listed_on).is_not(None), _matching(q))
        .order_by(col(ListEntry.ended_on).desc())
    )
    rows = session.exec(stmt.limit(200)).all()
    ending = {
        ev.entry_id: ev.action
        for ev in session.exec(
            select(EntryEvent)
            .where(col(EntryEvent.entry_id).in_([r[0].id for r in rows]), col(EntryEvent.to_state).in_(ENDED_STATES))
            .order_by(col(EntryEvent.id))
        ).all()
    }
    return [
        {
            "uscc": e.uscc,
            "enterprise_name": e.name,
            "list_type": lt.name,
            "kind": lt.kind,
            "listed_on": entry.listed_on.isoformat() if entry.listed_on else None,
            "removed_on": entry.ended_on.isoformat() if entry.ended_on else None,
            "reason": REMOVAL_REASONS.get(ending.get(entry.id or 0, ""), "移出"),
            "authority": dept.name,
        }
        for entry, lt, e, dept in rows
    ]


def credit_report_data(session: Session, *, uscc: str) -> dict[str, Any]:
    """Everything public about one firm for its 信用报告: registration, lists now and before, published results."""
    firm = session.exec(select(Enterprise).where(Enterprise.uscc == uscc)).first()
    if firm is None:
        raise field_error("uscc", f"统一社会信用代码 {uscc} 未登记", status=404)
    region = session.get(Region, firm.region_code)
    results = session.exec(
        select(InspectionResult, Task)
        .join(DrawTarget, col(DrawTarget.id) == col(InspectionResult.target_id))
        .join(Task, col(Task.id) == col(DrawTarget.task_id))
        .where(DrawTarget.enterprise_id == firm.id, col(InspectionResult.published_at).is_not(None))
        .order_by(col(InspectionResult.inspected_on).desc())
    ).all()
    return {
        "firm": {
            "uscc": firm.uscc,
            "name": firm.name,
            "legal_rep_name": firm.legal_rep_name,
            "region": region.name if region else firm.region_code,
            "registered_on": firm.registered_on.isoformat(),
            "status": firm.status,
        },
        "entries": public_entries(session, q=firm.uscc),
        "history": removal_history(session, q=firm.uscc),
        "penalties": public_penalties(session, enterprise_id=firm.id or 0),
        "results": [
            {"task": task.title, "inspected_on": r.inspected_on.isoformat(), "category": r.category}
            for r, task in results
        ],
    }


PUBLIC_REPORTS_PER_HOUR = 30  # 本地设定: new public 信用报告 one address may have generated in an hour


def public_credit_report(session: Session, *, uscc: str, address: str) -> tuple[str, bytes, str]:
    """A firm's 信用报告 for the public: one PDF per firm, day and content, cached; writes nothing.

    The public's downloads are not audited (officers' are): an anonymous flood must grow neither the audit log
    nor the CPU's work without bound, so a report is generated once a day per content, new ones are limited per
    address, and the report prints the newest anchor instead of fixing one."""
    data = credit_report_data(session, uscc=uscc)
    content = content_digest(data)
    day = clock.to_beijing(clock.now()).date()
    conn = redis_connection(current())
    key = f"supervise-credit-report:{current().queue_name}:{day.isoformat()}:{uscc}:{content}"
    cached = conn.get(key)
    if isinstance(cached, bytes):
        return f"XYBG{day:%Y%m%d}{content[:8].upper()}", cached, hashlib.sha256(cached).hexdigest()
    wait = take("public-report", f"{PUBLIC_REPORTS_PER_HOUR}/hour", address)
    if wait is not None:
        raise ApiError(
            429,
            f"本地址生成信用报告过于频繁，请 {max(1, -(-wait // 60))} 分钟后再试",
            code="too_many_requests",
            fields=[{"field": "uscc", "label": "统一社会信用代码", "message": "生成次数超过限制"}],
            extra={"retry_after": wait},
        )
    font = find_cjk_font()
    if font is None:
        raise field_error("uscc", "服务器未安装可嵌入的中文字体，暂不能生成信用报告", status=503)
    anchor = latest_anchor(session)
    number = f"XYBG{day:%Y%m%d}{content[:8].upper()}"
    report = {
        "data": data,
        "number": number,
        "issuer": tuning().credit_issuer,
        "generated_at": clock.to_beijing(clock.now()).strftime("%Y-%m-%d %H:%M"),
        "audit_anchor": anchor.as_json() if anchor else None,
        "content_sha256": content,
    }
    pdf = render_credit_report(report, font=font)
    conn.set(key, pdf, ex=2 * 86400)  # the key names its day: a later day makes a new report
    return number, pdf, hashlib.sha256(pdf).hexdigest()


def credit_report(session: Session, *, uscc: str, actor: str) -> tuple[str, bytes, str]:
    """Render one firm's 信用报告 (public information only), anchored in the audit chain; (number, PDF, SHA-256)."""
    font = find_cjk_font()
    if font is None:
        raise field_error("uscc", "服务器未安装可嵌入的中文字体，暂不能生成信用报告", status=503)
    data = credit_report_data(session, uscc=uscc)
    now = clock.now()
    number = f"XYBG{clock.to_beijing(now):%Y%m%d}{uuid.uuid4().hex[:8].upper()}"
    anchor = fix_anchor(session, source=f"信用报告 {number}", actor=actor)
    report = {
        "data": data,
        "number": number,
        "issuer": tuning().credit_issuer,
        "generated_at": clock.to_beijing(now).strftime("%Y-%m-%d %H:%M"),
        "audit_anchor": anchor.as_json(),
        "content_sha256": content_digest(data),
    }
    pdf = render_credit_report(report, font=font)
    digest = hashlib.sha256(pdf).hexdigest()
    audit.record(
        session,
        actor=actor,
        action="credit.report_generated",
        object_type="enterprise",
        object_id=uscc,
        payload={"number": number, "sha256": digest, "content_sha256": report["content_sha256"]},
    )
    return number, pdf, digest
