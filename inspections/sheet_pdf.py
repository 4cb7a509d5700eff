"""The 随机抽查情况记录表 of one visit as a PDF, laid out from plain data (no session, no Flask).

Printed blank before the visit (the points to check, empty conclusions) and filled after it (each point's
conclusion and note, each department's result); both carry the inspectors with their 执法证号 and the spaces
for the firm's and the inspectors' signatures."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from supervise.citations import for_paper
from supervise.paper import numbered_canvas, register_font, styles

SHADE = colors.HexColor("#eeeeee")
BLANK = "□符合　□不符合　□不适用　□未检查"


def _grid(
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    cell: ParagraphStyle,
    *,
    label_cols: Sequence[int],
    heights: Sequence[float | None] | None = None,
) -> Table:
    wrapped = [[v if not isinstance(v, str) else Paragraph(v, cell) for v in row] for row in rows]
    table = Table(wrapped, colWidths=list(widths), rowHeights=list(heights) if heights else None)
    shade = [("BACKGROUND", (c, 0), (c, -1), SHADE) for c in label_cols]
    grid = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
    table.setStyle(TableStyle(shade + grid))
    return table


def _points(item: dict[str, Any], cell: ParagraphStyle, filled: bool) -> Table:
    rows: list[list[Any]] = [["序号", "检查要点及判定标准", "法律依据", "检查结论", "情况说明"]]
    for p in item["points"]:
        outcome = p["outcome"] if filled and p["outcome"] else BLANK
        point = f"{p['text']}<br/><font size=7>判定标准：{p['criterion']}</font>"
        rows.append([str(p["seq"]), point, for_paper(p["legal_basis"]), outcome, p["note"] if filled else ""])
    if len(rows) == 1:
        rows.append(["", "该事项未设检查要点，检查情况记入下栏", "", "", ""])
    table = Table(
        [[Paragraph(str(v), cell) for v in row] for row in rows],
        colWidths=[10 * mm, 62 * mm, 38 * mm, 30 * mm, 30 * mm],
        repeatRows=1,
    )
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return table


NOTE = (
    "说明：检查结论逐项填写“符合、不符合、不适用、未检查”；发现问题的，应在情况说明中写明事实，"
    "并依法作出后续处置。本表一式两份，检查机关和被检查对象各执一份。"
)


def _signatures(cell: ParagraphStyle) -> Table:
    """The firm's opinion and signature, and the inspectors' signatures, with room to write by hand."""
    rows = [
        ["被检查对象意见", "", "", ""],
        ["被检查对象（签字或盖章）", "", "日期", "　　年　　月　　日"],
        ["检查人员（签字）", "", "日期", "　　年　　月　　日"],
    ]
    table = Table(
        [[Paragraph(v, cell) for v in row] for row in rows],
        colWidths=[36 * mm, 70 * mm, 16 * mm, 48 * mm],
        rowHeights=[20 * mm, 16 * mm, 16 * mm],
    )
    table.setStyle(
        TableStyle(
            [
                ("SPAN", (1, 0), (3, 0)),
                ("BACKGROUND", (0, 0), (0, -1), SHADE),
                ("BACKGROUND", (2, 1), (2, -1), SHADE),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return table


def render_record_sheet(sheet: dict[str, Any], *, font: tuple[Path, int]) -> bytes:
    """Build the record sheet from its data; `sheet['filled']` says whether the results are printed."""
    register_font(*font)
    st = styles()
    cell = ParagraphStyle("cell", parent=st["small"], fontSize=8.5, leading=12)
    filled = bool(sheet["filled"])
    firm, visit = sheet["firm"], sheet["visit"]
    inspectors = "；".join(f"{m['name']}（执法证号 {m['badge']}）" for m in sheet["team"])
    story: list[Any] = [
        Paragraph("随机抽查情况记录表", st["title"]),
        Paragraph(f"{sheet['issuer']}　编号 {sheet['number']}", st["sub"]),
        Spacer(1, 5 * mm),
        _grid(
            [
                ["被检查对象", firm["name"], "统一社会信用代码", firm["uscc"]],
                ["法定代表人（负责人）", firm["legal_rep_name"], "登记状态", firm["status"]],
                ["检查地点", visit["place"], "检查日期", visit["date"] or "　　年　　月　　日"],
                ["抽查任务", f"{visit['task_title']}（{visit['task']}）", "检查期限", visit["window"]],
                ["检查人员", inspectors, "核查方式", visit["check_methods"] or "实地核查"],
            ],
            [32 * mm, 60 * mm, 30 * mm, 48 * mm],
            cell,
            label_cols=(0, 2),
        ),
    ]
    for n, item in enumerate(sheet["items"], start=1):
        story.append(Paragraph(f"{n}. {item['name']}", st["h1"]))
        story.append(
            Paragraph(f"实施部门：{item['department']}　检查依据：{for_paper(item['legal_basis'])}", st["small"])
        )
        story.append(Spacer(1, 2 * mm))
        story.append(_points(item, cell, filled))
    parts = sheet["parts"] if filled else []
    result_rows: list[list[Any]] = [["部门", "检查结果", "检查情况"]]
    result_rows += [[p["department"], p["category"], p["findings"] or "—"] for p in parts]
    if not parts:
        result_rows += [[d, "", ""] for d in sheet["departments"]]
    story += [
        Paragraph("检查结果", st["h1"]),
        _grid(
            result_rows,
            [45 * mm, 50 * mm, 75 * mm],
            cell,
            label_cols=(),
            heights=None if parts else [None] + [16 * mm] * (len(result_rows) - 1),  # room to write by hand
        ),  # fmt: skip
        Spacer(1, 4 * mm),
        KeepTogether([_signatures(cell), Spacer(1, 3 * mm), Paragraph(NOTE, st["small"])]),
    ]
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm, bottomMargin=20 * mm,
        title="随机抽查情况记录表",
    )  # fmt: skip
    doc.build(story, canvasmaker=numbered_canvas(f"随机抽查情况记录表 {sheet['number']}"))
    return out.getvalue()
