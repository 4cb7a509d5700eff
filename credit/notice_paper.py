"""The 列入经营异常名录告知书 (the 告知 before an 经营异常 listing) as plain data and its print: the ground and its
basis, the firm's right to 陈述、申辩 with its deadline, and how the firm leaves the list."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from sqlmodel import Session, col, func, select

from credit.models import ListEntry
from credit.services import check_scope, rule_of
from supervise import audit
from supervise.citations import for_paper
from supervise.errors import field_error
from supervise.fonts import find_cjk_font
from supervise.models import Department, Enterprise
from supervise.paper import PdfFontMissing, paper_date, render_paper

TITLE = "列入经营异常名录告知书"


def notice_paper(*, issuer: str, number: str, firm: str, uscc: str, ground: str, reason: str, basis: str,
                 statement_due: date | None, removal: str, notified_on: date) -> dict[str, Any]:  # fmt: skip
    """The 告知书's text from plain data (pure)."""
    reason = reason.strip().rstrip("。")
    paragraphs = [
        f"经查，你单位存在“{ground}”的情形：{reason}。"
        f"依据{for_paper(basis) or '有关规定'}，本机关拟将你单位列入经营异常名录。",
        (f"你单位有权进行陈述、申辩。请于{paper_date(statement_due)}前向本机关提出书面陈述、申辩意见，并提交相关证据材料；"
         "逾期未提出的，视为放弃陈述、申辩的权利。") if statement_due else "你单位有权进行陈述、申辩。",
        f"列入经营异常名录后，你单位{removal.rstrip('。')}的，可以向本机关申请移出经营异常名录。" if removal else "",
    ]  # fmt: skip
    return {
        "issuer": issuer, "title": TITLE, "number": number, "firm_name": firm, "uscc": uscc,
        "paragraphs": [p for p in paragraphs if p], "dated": paper_date(notified_on), "receiver": "当事人签收",
    }  # fmt: skip


def _number(session: Session, entry: ListEntry, dept: Department) -> str:
    """The 告知书's 文号: the department's yearly series of 经营异常 告知, in order of notification (本地设定)."""
    assert entry.notified_on is not None
    year = entry.notified_on.year
    n = session.exec(
        select(func.count()).select_from(ListEntry).where(
            ListEntry.department_id == dept.id, ListEntry.list_type == "ABNORMAL",
            col(ListEntry.notified_on) >= date(year, 1, 1), col(ListEntry.notified_on) <= date(year, 12, 31),
            (col(ListEntry.notified_on) < entry.notified_on)
            | ((col(ListEntry.notified_on) == entry.notified_on) & (col(ListEntry.id) <= entry.id)),
        )
    ).one()  # fmt: skip
    return f"{dept.doc_prefix or dept.name}异告〔{year}〕{n}号"


def print_notice(session: Session, *, entry_id: int, user_id: int | None, actor: str) -> tuple[str, bytes, str]:
    """Render an 经营异常 entry's 告知书 (its department's officers), audited; (file name, PDF, SHA-256)."""
    entry = session.get(ListEntry, entry_id)
    if entry is None or entry.list_type != "ABNORMAL":
        raise field_error("entry_id", f"经营异常名录条目 {entry_id} 不存在", status=404)
    check_scope(session, department_id=entry.department_id, user_id=user_id)
    if entry.notified_on is None:
        raise field_error("entry_id", "尚未送达告知书：请先登记送达", status=409)
    firm, dept = session.get(Enterprise, entry.enterprise_id), session.get(Department, entry.department_id)
    assert firm is not None and dept is not None
    ground = rule_of(session, entry.list_type).ground(entry.ground)
    font = find_cjk_font()
    if font is None:
        raise PdfFontMissing("no TrueType CJK font: install fonts-wqy-microhei or set SUPERVISE_CJK_FONT")
    number = _number(session, entry, dept)
    paper = notice_paper(
        issuer=dept.name, number=number, firm=firm.name, uscc=firm.uscc,
        ground=ground.label if ground else entry.reason, reason=entry.reason, basis=entry.legal_basis,
        statement_due=entry.statement_due, removal=ground.removal if ground else "", notified_on=entry.notified_on,
    )  # fmt: skip
    pdf = render_paper(paper, font=font)
    digest = hashlib.sha256(pdf).hexdigest()
    audit.record(session, actor=actor, action="credit.notice_printed", object_type="list_entry",
                 object_id=str(entry.id), payload={"number": number, "sha256": digest})  # fmt: skip
    return f"{TITLE}-{firm.name}.pdf", pdf, digest
