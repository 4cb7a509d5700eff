"""The 信用报告 of one firm as a PDF, laid out from plain data (no session, no Flask): public information only,
with the audit chain's anchor and the SHA-256 of the data it prints, in the same formal look as the 督查 report."""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import HRFlowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from supervise.paper import numbered_canvas, register_font, styles

RED = colors.HexColor("#b3261e")


def content_digest(data: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of what the report prints: anyone holding the data can recompute it."""
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def _styles() -> dict[str, ParagraphStyle]:
    st = styles()  # the 督查 report's styles, with a red heading
    return st | {"head": ParagraphStyle("head", parent=st["title"], fontSize=22, leading=30, textColor=RED)}


def _table(
    rows: Sequence[Sequence[Any]], widths: Sequence[float], cell: ParagraphStyle, *, header: bool = True
) -> Table:
    wrapped = [[Paragraph(str(v), cell) for v in row] for row in rows]
    table = Table(wrapped, colWidths=list(widths), repeatRows=1 if header else 0)
    shade = (
        [("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f1e3e3"))]
        if header
        else [
            ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f1e3e3")),
            ("BACKGROUND", (2, 0), (2, -1), colors.HexColor("#f1e3e3")),
        ]
    )
    grid = [("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
    table.setStyle(TableStyle(shade + grid))
    return table


def _section(
    story: list[Any], st: dict[str, ParagraphStyle], title: str, rows: list[list[Any]], widths: list[float], empty: str
) -> None:
    story.append(Paragraph(title, st["h1"]))
    story.append(_table(rows, widths, st["small"]) if len(rows) > 1 else Paragraph(empty, st["body"]))


def render_credit_report(report: dict[str, Any], *, font: tuple[Path, int]) -> bytes:
    """Build the PDF from the report's data, its header (issuer, number, time) and the audit anchor."""
    register_font(*font)
    st = _styles()
    data, firm, anchor = report["data"], report["data"]["firm"], report["audit_anchor"]
    story: list[Any] = [
        Paragraph("企业信用报告", st["head"]),
        Paragraph(f"{report['issuer']}　报告编号 {report['number']}", st["sub"]),
        HRFlowable(width="100%", thickness=1.5, color=RED, spaceBefore=4, spaceAfter=6),
        Paragraph(f"生成时间：{report['generated_at']}　本报告仅含依法公示的信息", st["sub"]),
        Paragraph(
            f"审计链锚点：截至第 {anchor['head_id']} 条，共 {anchor['rows']} 条，末条哈希 {anchor['head_hash'][:32]}…"
            if anchor
            else "审计链锚点：尚未形成",
            st["sub"],
        ),
        Paragraph(f"报告内容 SHA-256：{report['content_sha256']}", st["sub"]),
        Spacer(1, 6 * mm),
        Paragraph("一、登记信息", st["h1"]),
        _table(
            [
                ["企业名称", firm["name"], "统一社会信用代码", firm["uscc"]],
                ["法定代表人", firm["legal_rep_name"], "登记状态", firm["status"]],
                ["所在地", firm["region"], "成立日期", firm["registered_on"]],
            ],
            [25 * mm, 55 * mm, 37 * mm, 53 * mm],
            st["body"],
            header=False,
        ),
    ]
    _section(
        story, st, "二、列入经营异常名录、严重违法失信名单及红名单（公示中）",
        [["名单", "事由", "决定文号", "列入日期", "有效期至"]]
        + [
            [e["list_type"], e["summary"], e["decision_number"] or "", e["listed_on"] or "", e["expires_on"] or "—"]
            for e in data["entries"]
        ],
        [35 * mm, 60 * mm, 35 * mm, 20 * mm, 20 * mm], "无。",
    )  # fmt: skip
    _section(
        story, st, "三、移出记录",
        [["名单", "列入日期", "移出日期", "移出原因", "作出决定机关"]]
        + [[h["list_type"], h["listed_on"], h["removed_on"], h["reason"], h["authority"]] for h in data["history"]],
        [35 * mm, 22 * mm, 22 * mm, 45 * mm, 46 * mm], "无。",
    )  # fmt: skip
    _section(
        story, st, "四、行政处罚信息",
        [["决定书文号", "处罚内容", "决定日期"]] + [[p["number"], p["content"], p["date"]] for p in data["penalties"]],
        [50 * mm, 90 * mm, 30 * mm], "本系统无该企业的行政处罚信息记录。",
    )  # fmt: skip
    _section(
        story, st, "五、双随机抽查结果（已公示）",
        [["抽查任务", "检查日期", "检查结果"]]
        + [[r["task"], r["inspected_on"], r["category"]] for r in data["results"]],
        [90 * mm, 25 * mm, 55 * mm], "无已公示的抽查结果。",
    )  # fmt: skip
    story += [
        Spacer(1, 8 * mm),
        Paragraph(
            "说明：本报告依据本系统记载的公示信息生成，不含企业信用风险分类等内部信息。"
            "报告内容 SHA-256 按报告所列数据的规范 JSON 计算，可与审计日志中的生成记录核对。",
            st["small"],
        ),
    ]
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm, bottomMargin=20 * mm,
        title=f"企业信用报告 {report['number']}", author="双随机·信用监管平台",
    )  # fmt: skip
    doc.build(story, canvasmaker=numbered_canvas(f"企业信用报告 {report['number']}"))
    return out.getvalue()
