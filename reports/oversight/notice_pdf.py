"""The 督查通报 as a formal PDF with a red header (红头), laid out from plain data (no session, no Flask)."""

from __future__ import annotations

import io
from html import escape
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import HRFlowable, Paragraph, SimpleDocTemplate, Spacer

from reports.pdf import EVIDENCE_LABELS, evidence_detail
from supervise.paper import numbered_canvas, register_font, sentence, styles

RED = colors.HexColor("#c00000")


def render_oversight_notice(notice: dict[str, Any], *, font: tuple[Path, int]) -> bytes:
    """Build the 通报: red issuer and rule, 文号, title, 主送, the findings with their evidence, the requirement,
    the 整改 deadline, the issuer and date, and 抄送 under a rule at the end."""
    register_font(*font)
    st = styles()
    header = ParagraphStyle("red", parent=st["title"], fontSize=26, leading=34, textColor=RED, alignment=TA_CENTER)
    number = ParagraphStyle("number", parent=st["body"], fontSize=12, leading=18, alignment=TA_CENTER)
    title = ParagraphStyle("t", parent=st["title"], fontSize=18, leading=26)
    body = ParagraphStyle("b", parent=st["body"], fontSize=12, leading=22, firstLineIndent=24)
    plain = ParagraphStyle("p", parent=st["body"], fontSize=12, leading=22)
    small = ParagraphStyle("s", parent=st["body"], fontSize=10, leading=16, leftIndent=24)
    right = ParagraphStyle("r", parent=plain, alignment=TA_RIGHT)
    story: list[Any] = [
        Paragraph(escape(notice["issuer"]), header),
        Spacer(1, 2 * mm),
        Paragraph(escape(notice["number"]), number),
        HRFlowable(width="100%", thickness=2, color=RED, spaceBefore=2 * mm, spaceAfter=6 * mm),
        Paragraph(f"关于{escape(notice['unit_name'])}“双随机、一公开”监管工作明显滞后的通报", title),
        Spacer(1, 4 * mm),
        Paragraph(f"{escape(notice['main_to'])}：", plain),
        Paragraph(
            f"根据{escape(notice['period'])}“双随机、一公开”监管和信用联合奖惩工作督查情况，"
            f"{escape(notice['unit_name'])}存在以下问题，工作明显滞后。"
            + (f"经{escape(notice['approved_by'])}批准，现予通报。" if notice.get("approved_by") else "现予通报。"),
            body,
        ),
    ]
    for n, reason in enumerate(notice["reasons"], start=1):
        story.append(Paragraph(f"{n}. {escape(reason['message'])}", body))
        for e in reason.get("evidence", [])[:8]:  # the full list is in the evidence bundle
            kind = EVIDENCE_LABELS.get(e["kind"], e["kind"])
            story.append(Paragraph(f"· {escape(kind)}：{escape(evidence_detail(e))}", small))
    if notice.get("rectification"):  # 整改要求 only where a 整改 is ordered; otherwise what is asked of the unit
        r = notice["rectification"]
        story += [
            Paragraph(f"整改要求：{escape(sentence(notice['requirement']))}", body),
            Paragraph(
                f"请于{r['due']}前通过督查工作平台提交整改报告（整改通知{escape(r['number'])}）。逾期未整改到位的，"
                "将予以约谈，并视情提出追责建议。",
                body,
            ),
        ]  # fmt: skip
    else:
        story.append(
            Paragraph(f"希望{escape(notice['unit_name'])}引以为戒，{escape(sentence(notice['requirement']))}", body)
        )
    if notice.get("as_of"):
        story.append(Paragraph(f"（本通报所列数据截至{notice['as_of']}。）", small))
    story += [
        Spacer(1, 12 * mm),
        Paragraph(escape(notice["issuer"]), right),
        Paragraph(notice["date"], right),
        Spacer(1, 16 * mm),
        HRFlowable(width="100%", thickness=0.7, color=colors.black, spaceAfter=2 * mm),
        Paragraph(f"抄送：{escape(notice['copy_to'] or '无')}", plain),
        HRFlowable(width="100%", thickness=0.7, color=colors.black, spaceBefore=2 * mm),
    ]
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=A4, leftMargin=26 * mm, rightMargin=26 * mm, topMargin=25 * mm, bottomMargin=22 * mm,
        title=notice["number"], author=notice["issuer"],
    )  # fmt: skip
    doc.build(story, canvasmaker=numbered_canvas())  # a paper: its page number only (GB/T 9704)
    return out.getvalue()
