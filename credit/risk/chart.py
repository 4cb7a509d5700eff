"""The back-test's cumulative-gains chart as a reportlab drawing (pure): the page shows it as SVG and the PDF
prints the same drawing."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from supervise.paper import FONT

SERIES = (
    ("model", "风险模型", colors.HexColor("#b3261e")),
    ("rule_tiers", "现行规则分类", colors.HexColor("#3f6f9f")),
)
LABEL = 8


def gains_chart(curves: dict[str, Sequence[Sequence[float]]], title: str = "累计发现曲线（回测）") -> Drawing:
    """Share of findings found (y) against share of inspections made (x), per ranking; the diagonal is chance."""
    drawing = Drawing(120 * mm, 92 * mm)
    plot = LinePlot()
    plot.x, plot.y, plot.width, plot.height = 16 * mm, 16 * mm, 96 * mm, 62 * mm
    shown = [(key, label, colour) for key, label, colour in SERIES if curves.get(key)]
    plot.data = [[(100 * x, 100 * y) for x, y in curves[key]] for key, _l, _c in shown] or [[(0, 0), (100, 100)]]
    for i, (_k, _l, colour) in enumerate(shown):
        plot.lines[i].strokeColor = colour
        plot.lines[i].strokeWidth = 1.6
    for axis in (plot.xValueAxis, plot.yValueAxis):
        axis.valueMin, axis.valueMax, axis.valueStep = 0, 100, 20
        axis.labels.fontName = FONT
        axis.labels.fontSize = LABEL
        axis.labelTextFormat = "%d%%"
    drawing.add(plot)
    drawing.add(Line(plot.x, plot.y, plot.x + plot.width, plot.y + plot.height, strokeColor=colors.grey,
                     strokeDashArray=[2, 2]))  # fmt: skip
    drawing.add(String(plot.x + plot.width / 2, 4 * mm, "已检查的比例（按评分从高到低）", fontName=FONT,
                       fontSize=LABEL, textAnchor="middle"))  # fmt: skip
    drawing.add(String(2 * mm, plot.y + plot.height + 2 * mm, "已发现问题的比例", fontName=FONT, fontSize=LABEL))
    drawing.add(String(16 * mm, 87 * mm, title, fontName=FONT, fontSize=10))
    x = 40 * mm
    legend = [*[(label, colour) for _k, label, colour in shown], ("随机顺序", colors.grey)]
    for label, colour in legend:
        drawing.add(Rect(x, 80.5 * mm, 3 * mm, 3 * mm, fillColor=colour, strokeColor=None))
        drawing.add(String(x + 4 * mm, 80.5 * mm + 0.5, label, fontName=FONT, fontSize=LABEL))
        x += 8 * mm + stringWidth(label, FONT, LABEL)
    return drawing
