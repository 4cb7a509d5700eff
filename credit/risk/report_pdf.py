"""The risk model's note for officers as a PDF (pure, from plain data): the model, its validation and back-test
with the cumulative-gains chart, the tiers, and the inspector effect for the 督查室. Internal use only."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from credit.risk.chart import gains_chart
from credit.risk.grading import TIER_LABELS
from credit.risk.model import CANDIDATE_LABELS
from supervise.paper import numbered_canvas, register_font, styles


def _table(rows: list[list[Any]], widths: list[float], st: Any) -> Table:
    table = Table([[Paragraph(str(v), st) for v in row] for row in rows], colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef1f4"))]))  # fmt: skip
    return table


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def render_risk_note(data: dict[str, Any], *, font: tuple[Path, int]) -> bytes:
    """Build the PDF: data carries model, backtest, tiers, inspectors (queries.overview + inspector_effects)."""
    register_font(*font)
    st = styles()
    subtitle = f"{data['issuer']} · 内部使用，不对外公开 · 生成于 {data['generated_at']}"
    story: list[Any] = [Paragraph("企业信用风险分类模型说明", st["title"]), Paragraph(subtitle, st["sub"])]
    model = data["model"]
    story.append(Paragraph("一、模型", st["h1"]))
    story.append(Paragraph(
        f"版本（SHA-256）：{model['sha256'].upper()}；方法：{CANDIDATE_LABELS.get(model['kind'], model['kind'])}；"
        f"基准日 {model['as_of']}，以此前的 {model['rows']} 次检查训练；不使用检查人员信息。", st["body"]))  # fmt: skip
    back = model["validation"].get("backtest")
    if back:
        story.append(Paragraph("二、回测（按时间切分，留出最近两个月）", st["h1"]))
        story.append(Paragraph(f"留出 {back['window'][0]} 至 {back['window'][1]} 的 {back['n']} 次检查，"
                               f"其中 {back['positives']} 次发现问题。", st["body"]))  # fmt: skip
        rows = [["排序方式", "AUC", "问题平均提前（天）", f"按 {back['draw_ratio']:.0%} 抽查比例的提升倍数"]]
        for key, name in (("model", "风险模型"), ("rule_tiers", "现行规则分类"), ("random", "随机顺序（平均）")):
            f = back[key]
            rows.append([name, "—" if f.get("auc") is None else f"{f['auc']:.3f}", f"{f['days_earlier']:.2f}",
                         "—" if f.get("lift") is None else f"{f['lift']:.2f}"])  # fmt: skip
        story.append(_table(rows, [40 * mm, 25 * mm, 40 * mm, 60 * mm], st["small"]))
        story.append(Spacer(1, 4 * mm))
        story.append(gains_chart(back["gains"]))
    story.append(Paragraph("三、信用风险分类", st["h1"]))
    tiers = [["分类", "企业数"]] + [[TIER_LABELS[t], n] for t, n in data["tiers"].items()]
    story.append(_table(tiers, [60 * mm, 30 * mm], st["small"]))
    story.append(Paragraph(data["tier_rule"], st["small"]))
    story.append(Paragraph("四、检查人员发现问题情况（提示复核）", st["h1"]))
    people = data["inspectors"]
    flagged = [r for r in people["rows"] if r["flagged"]]
    story.append(Paragraph(f"近一年共比较 {len(people['rows'])} 名检查人员，建议复核 {len(flagged)} 人。"
                           f"{people['wording']}", st["body"]))  # fmt: skip
    rows = [["检查人员", "检查次数", "发现问题", "预期发现", "收缩后比值", "95% 上限"]]
    for r in flagged:
        rows.append(
            [f"{r['name']}（{r['badge']}）", r["visits"], r["found"], r["expected"], r["shrunk_ratio"], r["upper"]]
        )
    if flagged:
        story.append(_table(rows, [50 * mm, 22 * mm, 22 * mm, 22 * mm, 26 * mm, 22 * mm], st["small"]))
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=18 * mm,
                            bottomMargin=20 * mm, title="企业信用风险分类模型说明", author=data["issuer"])  # fmt: skip
    doc.build(story, canvasmaker=numbered_canvas())
    return buffer.getvalue()
