"""Print a 督查 item's papers: the 整改通知, 约谈通知, 追责建议函, the 审核意见 on a 整改报告, and the 送达回证 of
any of them; each print is audited with its SHA-256. A unit prints only its own item's papers."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlmodel import Session, col, select

from reports.oversight import papers
from reports.oversight.models import Rectification, RectificationReport
from reports.oversight.queries import one
from supervise import audit, clock
from supervise.config import tuning
from supervise.errors import field_error
from supervise.fonts import find_cjk_font
from supervise.models import User
from supervise.paper import PdfFontMissing, render_paper, render_receipt
from supervise.periods import period_label

PAPERS = ("notice", "interview", "accountability", "verdict")


def _item(session: Session, number: str, user: User) -> tuple[Rectification, dict[str, Any]]:
    view = one(session, number=number, user=user)  # a unit reaches only its own (403)
    rect = session.exec(select(Rectification).where(Rectification.number == number)).one()
    item = {**view, "issued_on": rect.issued_on, "due": rect.interview_due or rect.due,
            "period_label": period_label(rect.period)}  # fmt: skip
    if rect.interview_on:
        item["interview"] = {**view["interview"], "held_on": rect.interview_on}
    if rect.accountability_on:
        item["accountability"] = {**view["accountability"], "on": rect.accountability_on}
        item["approval"] = {"by": rect.accountability_approved_by, "on": rect.accountability_approved_on,
                            "ref": rect.accountability_approval_ref}  # fmt: skip
    return rect, item


def paper_of(session: Session, *, number: str, kind: str, user: User) -> dict[str, Any]:
    """The plain data of one of an item's papers, or 404/409 when the item has no such paper (yet)."""
    rect, item = _item(session, number, user)
    issuer = tuning().report_issuer
    if kind == "notice":
        return papers.rectification_notice(item, issuer)
    if kind == "interview":
        if not rect.interview_on:
            raise field_error("kind", f"{number} 尚未决定约谈，没有约谈通知", status=409)
        return papers.interview_notice(item, issuer)
    if kind == "accountability":
        if not rect.accountability_on:
            raise field_error("kind", f"{number} 尚未提出追责建议，没有追责建议函", status=409)
        return papers.accountability_letter(item, issuer)
    if kind == "verdict":
        report = session.exec(
            select(RectificationReport)
            .where(RectificationReport.rectification_id == rect.id, col(RectificationReport.outcome).is_not(None))
            .order_by(col(RectificationReport.id).desc())
        ).first()
        if report is None:
            raise field_error("kind", f"{number} 的整改报告尚未审核，没有审核意见", status=409)
        data = {"submitted_at": clock.to_beijing(report.submitted_at).isoformat(), "outcome": report.outcome,
                "reason": report.outcome_reason, "decided_on": report.decided_on.isoformat() if report.decided_on
                else None}  # fmt: skip
        return papers.verdict(item, data, issuer)
    raise field_error("kind", "未知的文书", status=404)


def print_paper(session: Session, *, number: str, kind: str, receipt: bool, user: User,
                actor: str) -> tuple[str, bytes, str]:  # fmt: skip
    """Render one paper (or its 送达回证) and audit the print; (file name, PDF, SHA-256)."""
    paper = paper_of(session, number=number, kind=kind, user=user)
    font = find_cjk_font()
    if font is None:
        raise PdfFontMissing("no TrueType CJK font: install fonts-wqy-microhei or set SUPERVISE_CJK_FONT")
    pdf = render_receipt(papers.service_receipt(paper), font=font) if receipt else render_paper(paper, font=font)
    digest = hashlib.sha256(pdf).hexdigest()
    title = f"{paper['title']}送达回证" if receipt else paper["title"]
    audit.record(session, actor=actor, action="oversight.paper_printed", object_type="oversight", object_id=number,
                 payload={"paper": title, "sha256": digest})  # fmt: skip
    return f"{title}-{number}.pdf", pdf, digest


def available(item: dict[str, Any]) -> list[tuple[str, str]]:
    """The papers an item has now, for the desk and the unit's page: (kind, title)."""
    have = ["notice"]
    if item.get("interview"):
        have.append("interview")
    if item.get("accountability"):
        have.append("accountability")
    if any(r.get("outcome") for r in item.get("reports", [])):
        have.append("verdict")
    return [(k, papers.KINDS[k]) for k in have]
