"""What the 督查 report shows: charts whose legends carry the bars' colours and that tell 0% from 无数据, the same
charts on the dashboard, the author's name and office, and an interim report marked 阶段性."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from typing import Any

from pypdf import PdfReader
from reportlab.graphics.shapes import Rect, String

from reports.charts import NA, PALETTE, bar_chart
from supervise.drawings import svg
from supervise.fonts import find_cjk_font
from supervise.paper import register_font
from tests.conftest import bearer, login, run_jobs


def _unit(name: str, completion: float | None, publication: float | None) -> dict[str, Any]:
    return {"name": name, "rates": {"completion_rate": completion, "publication_rate": publication}}


def _drawing() -> Any:
    font = find_cjk_font()
    assert font is not None, "the suite installs a TrueType CJK font (scripts/bootstrap)"
    register_font(*font)
    units = [_unit("上城区", 0.0, 0.5), _unit("西湖区", None, None)]
    keys = (("completion_rate", "完成率"), ("publication_rate", "公示及时率"))
    return bar_chart("各地区抽查完成率与结果公示及时率（%）", units, keys, lambda n: n)


def test_the_legend_markers_have_the_bars_colours_and_no_data_is_not_a_zero_bar() -> None:
    drawing = _drawing()
    markers = [c.fillColor for c in drawing.contents if isinstance(c, Rect)]
    assert markers == list(PALETTE)
    words = [c.text for c in drawing.contents if isinstance(c, String)]
    assert words.count(NA) == 1  # 西湖区 has no value at all: said in words, with no bar
    chart = drawing.contents[0]
    assert chart.data == [[0.0, None], [50.0, None]] and chart.barLabelFormat == "%.0f%%"
    image = svg(drawing)
    assert image.startswith("<svg") and ">0%<" in image and ">50%<" in image and NA in image


def test_the_dashboard_shows_the_reports_charts(app: Any, client: Any, province: Any) -> None:
    login(client, "supervisor")
    page = client.get("/reports?region=330100&period=2026Q3").get_data(as_text=True)
    assert page.count("<svg") == 2 and "各部门抽查完成率与结果公示及时率" in page


def test_a_report_of_a_period_not_yet_ended_is_marked_interim(
    app: Any, client: Any, province: Any, frozen_clock: Any
) -> None:
    frozen_clock.set(datetime(2026, 11, 20, 2, tzinfo=UTC))
    headers = bearer(app, "supervisor")
    resp = client.post("/api/reports/accountability", json={"region": "330100", "period": "2026Q4"}, headers=headers)
    assert resp.status_code == 202
    run_jobs(app)
    status = client.get(resp.get_json()["status_url"], headers=headers).get_json()
    pdf = client.get(f"/api/reports/{status['result']['report']}.pdf", headers=headers)
    text = "".join("".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "督查通报（阶段性）" in text and f"数据截至{date(2026, 11, 20).isoformat()}" in text
