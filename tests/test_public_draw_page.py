"""The public draw page: paged and searchable, no firm's tier, the ceremony's timeline, and the specification."""

import json
import re
from typing import Any

from sqlmodel import select

from supervise.db import unit_of_work
from supervise.models import Enterprise
from tests.drawkit import add_firms, ceremony, make_task


def _rows(html: str) -> list[str]:
    return re.findall(r'<td class="mono">([0-9A-Z]{18})</td>', html)


def test_a_large_draw_is_shown_a_hundred_rows_a_page_in_ticket_order(client: Any, province: Any, engine: Any) -> None:
    add_firms(engine, 260)
    make_task(engine, "T1", cap=500)
    record = json.loads(ceremony(engine, "T1").record)
    in_order = [s["uscc"] for s in record["outcome"]["selected"]] + [s["uscc"] for s in record["outcome"]["unstaffed"]]
    assert len(in_order) > 200
    first = client.get("/public/draws/D-T1").get_data(as_text=True)
    third = client.get("/public/draws/D-T1?page=3").get_data(as_text=True)
    assert _rows(first) == in_order[:100]
    assert _rows(third) == in_order[200:300]
    assert f"共 {len(in_order):,} 条" in first and "下一页" in first
    assert 'href="/public/draws/D-T1?page=2"' in first


def test_the_public_finds_a_drawn_firm_by_name_or_uscc(client: Any, province: Any, engine: Any) -> None:
    add_firms(engine, 40)
    make_task(engine, "T1")
    record = json.loads(ceremony(engine, "T1").record)
    picked = record["outcome"]["selected"][7]
    with unit_of_work(engine) as session:
        name = session.exec(select(Enterprise.name).where(Enterprise.uscc == picked["uscc"])).one()
    by_name = client.get("/public/draws/D-T1", query_string={"q": name}).get_data(as_text=True)
    assert _rows(by_name) == [picked["uscc"]] and "<td>8</td>" in by_name  # still shows its place in the draw
    by_code = client.get("/public/draws/D-T1", query_string={"q": picked["uscc"][:17]}).get_data(as_text=True)
    assert _rows(by_code) == [picked["uscc"]]
    none = client.get("/public/draws/D-T1", query_string={"q": "不存在的企业%"}).get_data(as_text=True)
    assert _rows(none) == [] and "没有符合条件的企业" in none


def test_the_page_shows_no_firms_tier_and_the_ceremony_in_time_order(client: Any, province: Any, engine: Any) -> None:
    add_firms(engine, 30, tier="C")
    make_task(engine, "T1", ratios={"C": "1"})
    draw = ceremony(engine, "T1")
    html = client.get("/public/draws/D-T1").get_data(as_text=True)
    assert "<th>风险类别</th>" not in html and "<td>C</td>" not in html
    steps = re.findall(r"<td>(提交承诺|冻结名录|揭示随机数|填写公开信标|执行抽取)</td>", html)
    assert steps == ["提交承诺"] * 3 + ["冻结名录"] + ["揭示随机数"] * 3 + ["填写公开信标", "执行抽取"]
    assert "督查室（督查观察员）" in html
    assert json.loads(draw.record)["freeze"]["digest"] in html


def test_the_algorithm_specification_is_served_rendered(client: Any) -> None:
    resp = client.get("/public/draw-algorithm")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "<h1>Draw algorithms v1" in html and "Version 2" in html and "<table>" in html and "verify.mjs" in html
    assert "<script" not in html.split("<article", 1)[1]
