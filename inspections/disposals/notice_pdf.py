"""The enforcement loop's papers as PDFs, laid out from plain data (no session, no Flask): one layout for the
责令改正通知书, the 行政处罚告知书, the 听证通知书 and the 不予行政处罚决定书."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from reports.pdf import numbered_canvas, register_font, styles
from supervise.citations import for_paper


def render_paper(paper: dict[str, Any], *, font: tuple[Path, int]) -> bytes:
    """Build a paper from its data: issuer, title, 文号, addressee, paragraphs, seal and date, the receipt box."""
    register_font(*font)
    st = styles()
    # CJK wrapping keeps a comma or a closing bracket from starting a line
    body = ParagraphStyle("paper", parent=st["body"], fontSize=12, leading=22, firstLineIndent=24, wordWrap="CJK")
    right = ParagraphStyle("right", parent=st["body"], fontSize=12, leading=22, alignment=TA_RIGHT)
    story: list[Any] = [
        Paragraph(paper["issuer"], st["title"]),
        Paragraph(paper["title"], st["title"]),
        Paragraph(paper["number"], st["sub"]),
        Spacer(1, 8 * mm),
        Paragraph(f"{paper['firm_name']}（统一社会信用代码：{paper['uscc']}）：", st["body"]),
        Spacer(1, 3 * mm),
        *[Paragraph(text, body) for text in paper["paragraphs"]],
        Spacer(1, 14 * mm),
        Paragraph(f"{paper['issuer']}（印章）", right),
        Paragraph(paper["dated"], right),
        Spacer(1, 14 * mm),
    ]
    receipt = (paper.get("receiver", "当事人签收"), "", "签收日期", "　　年　　月　　日")
    sign = Table(
        [[Paragraph(v, st["body"]) for v in receipt]],
        colWidths=[32 * mm, 70 * mm, 24 * mm, 44 * mm],
        rowHeights=[16 * mm],
    )
    sign.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    copies = f"本{paper['title']}一式两份，一份送达当事人，一份存档。"
    story += [sign, Spacer(1, 4 * mm), Paragraph(copies, st["small"])]
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=A4, leftMargin=25 * mm, rightMargin=25 * mm, topMargin=25 * mm, bottomMargin=20 * mm,
        title=paper["title"],
    )  # fmt: skip
    doc.build(story, canvasmaker=numbered_canvas(paper["title"]))  # the 文号 is in the heading
    return out.getvalue()


def render_notice(notice: dict[str, Any], *, font: tuple[Path, int]) -> bytes:
    """Build the 责令改正通知书: 文号, the firm, the findings and their basis, the deadline, the 复查."""
    basis = for_paper(notice["legal_basis"] or "") or "有关法律、法规"
    paragraphs = [
        f"本机关于 {notice['inspected_on']} 对你单位开展“双随机、一公开”抽查（{notice['task']}），"
        f"发现你单位存在下列问题：{notice['reason']}",
        f"上述行为不符合{basis}的规定。现责令你单位于 {notice['deadline']} 前改正，并将改正情况书面报告本机关。"
        f"本机关将于 {notice['recheck_start']} 至 {notice['recheck_end']} 期间进行复查；"
        "逾期不改正的，本机关将依法处理。",
    ]
    return render_paper(
        {
            "issuer": notice["issuer"], "title": "责令改正通知书", "number": notice["notice_number"],
            "firm_name": notice["firm_name"], "uscc": notice["uscc"], "paragraphs": paragraphs,
            "dated": notice["notice_on"], "receiver": "被检查对象签收",
        },
        font=font,
    )  # fmt: skip
