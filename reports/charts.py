"""The report's bar charts as reportlab drawings (pure): the PDF embeds them and the dashboard shows the same
drawings as SVG. A unit without data gets no bar and says 无数据; a 0% bar is labelled 0%, so they differ."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from supervise.paper import FONT  # registered by supervise.paper.register_font

NA = "无数据"
PALETTE = (colors.HexColor("#b3261e"), colors.HexColor("#3f6f9f"))
SHOWN = 12  # units per chart: the worst first, as the tables rank them
LABEL_SIZE = 8  # axis and legend text at print size


def bar_chart(title: str, units: Sequence[dict[str, Any]], keys: Sequence[tuple[str, str]], names: Any) -> Drawing:
    """One grouped bar chart of the rates `keys` over `units` (already ranked); `names` shortens unit names."""
    drawing = Drawing(174 * mm, 82 * mm)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 14 * mm, 22 * mm, 156 * mm, 46 * mm
    shown = list(units[:SHOWN])
    data = [[None if u["rates"][k] is None else u["rates"][k] * 100 for u in shown] or [None] for k, _l in keys]
    chart.data = data
    chart.categoryAxis.categoryNames = [names(u["name"]) for u in shown] or [""]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = LABEL_SIZE
    chart.categoryAxis.labels.angle = 25
    chart.categoryAxis.labels.boxAnchor = "ne"
    chart.categoryAxis.labels.dy = -2
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = LABEL_SIZE
    chart.barLabelFormat = "%.0f%%"
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = 6.5
    chart.barLabels.nudge = 5
    for i in range(len(keys)):
        chart.bars[i].fillColor = PALETTE[i % len(PALETTE)]
        chart.bars[i].strokeColor = PALETTE[i % len(PALETTE)]
    drawing.add(chart)
    # 无数据 where a unit has no value for any series: no bar at all, said in words at the baseline.
    step = chart.width / max(len(shown), 1)
    for n, _u in enumerate(shown):
        if all(series[n] is None for series in data):
            x = chart.x + step * (n + 0.5)
            drawing.add(
                String(x, chart.y + 3, NA, fontName=FONT, fontSize=7, textAnchor="middle", fillColor=colors.grey)
            )
    drawing.add(String(14 * mm, 76 * mm, title, fontName=FONT, fontSize=10))
    x = 104 * mm
    for i, (_k, label) in enumerate(keys):  # the legend's markers in the bars' own colours
        drawing.add(Rect(x, 76 * mm, 3 * mm, 3 * mm, fillColor=PALETTE[i % len(PALETTE)], strokeColor=None))
        drawing.add(String(x + 4 * mm, 76 * mm + 0.5, label, fontName=FONT, fontSize=LABEL_SIZE))
        x += 8 * mm + stringWidth(label, FONT, LABEL_SIZE)
    return drawing
