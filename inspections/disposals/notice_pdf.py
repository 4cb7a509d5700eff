"""The 责令改正通知书 of a 责令改正 as a PDF, laid out from plain data (no session, no Flask)."""

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


def render_notice(notice: dict[str, Any], *, font: tuple[Path, int]) -> bytes:
    """Build the notice from its data: 文号, the firm, the findings and their basis, the deadline, the 复查."""
    register_font(*font)
    st = styles()
    body = ParagraphStyle("notice", parent=st["body"], fontSize=12, leading=22, firstLineIndent=24)
    right = ParagraphStyle("right", parent=st["body"], fontSize=12, leading=22, alignment=TA_RIGHT)
    basis = for_paper(notice["legal_basis"] or "") or "有关法律、法规"
    story: list[Any] = [
        Paragraph(notice["issuer"], st["title"]),
        Paragraph("责令改正通知书", st["title"]),
        Paragraph(notice["notice_number"], st["sub"]),
        Spacer(1, 8 * mm),
        Paragraph(f"{notice['firm_name']}（统一社会信用代码：{notice['uscc']}）：", st["body"]),
        Spacer(1, 3 * mm),
        Paragraph(
            f"本机关于 {notice['inspected_on']} 对你单位开展“双随机、一公开”抽查（{notice['task']}），"
            f"发现你单位存在下列问题：{notice['reason']}",
            body,
        ),  # fmt: skip
        Paragraph(
            f"上述行为不符合{basis}的规定。现责令你单位于 {notice['deadline']} 前改正，并将改正情况书面报告本机关。"
            f"本机关将于 {notice['recheck_start']} 至 {notice['recheck_end']} 期间进行复查；"
            "逾期不改正的，本机关将依法处理。",
            body,
        ),
        Spacer(1, 14 * mm),
        Paragraph(f"{notice['issuer']}（印章）", right),
        Paragraph(notice["notice_on"], right),
        Spacer(1, 14 * mm),
    ]
    sign = Table(
        [
            [Paragraph(v, st["body"]) for v in row]
            for row in (["被检查对象签收", "", "签收日期", "　　年　　月　　日"],)
        ],
        colWidths=[32 * mm, 70 * mm, 24 * mm, 44 * mm],
        rowHeights=[16 * mm],
    )
    sign.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    story += [sign, Spacer(1, 4 * mm), Paragraph("本通知书一式两份，一份送达被检查对象，一份存档。", st["small"])]
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=A4, leftMargin=25 * mm, rightMargin=25 * mm, topMargin=25 * mm, bottomMargin=20 * mm,
        title="责令改正通知书",
    )  # fmt: skip
    doc.build(story, canvasmaker=numbered_canvas("责令改正通知书"))  # the 文号 is in the heading
    return out.getvalue()
