"""The public draw page: paged and searchable, no firm's tier, the ceremony's timeline, and the specification."""

import json
import re
from datetime import date
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


def test_the_algorithm_page_is_the_chinese_guide_and_the_full_specification_a_file(client: Any) -> None:
    resp = client.get("/public/draw-algorithm")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "独立复核程序" in html and "下载完整规范" in html
    article = html.split("<article", 1)[1]
    assert "<script" not in article and "Draw algorithms v1" not in article  # no English on the page itself
    spec = client.get("/public/draw-algorithm/specification.md")
    assert spec.status_code == 200 and spec.get_data(as_text=True).startswith("# Draw algorithms v1")
    assert "filename*=UTF-8''" in spec.headers["Content-Disposition"]


def test_no_public_page_file_or_api_tells_a_firms_tier(client: Any, province: Any, engine: Any) -> None:
    tiers: dict[str, str] = {}
    for i, tier in enumerate("ABCD"):
        tiers |= dict.fromkeys(add_firms(engine, 8, start=920_000 + 20 * i, tier=tier), tier)
    scores = _scored(engine, tiers)  # the risk engine's scores of the same firms: never public either
    make_task(engine, "T1", ratios=dict.fromkeys("ABCD", "0.5"))
    ceremony(engine, "T1")
    urls = ["/public/draws", "/public/draws/D-T1", "/api/draws", "/api/draws/D-T1/record.json"]
    urls += ["/api/draws/D-T1/firms.txt", "/api/tasks/T1", "/public/results", "/api/results", "/credit"]
    urls += [f"/enterprises/{u}" for u in tiers] + [f"/api/enterprises/{u}" for u in tiers]
    urls += [f"/public/draws/D-T1?q={u}" for u in tiers]
    pages = {}
    for url in urls:
        resp = client.get(url)
        assert resp.status_code == 200, url
        pages[url] = resp.get_data(as_text=True)
    assert client.get("/api/draws/D-T1/population.txt").status_code == 404  # the file with the tiers
    for url in ("/credit/risk", "/api/risk", f"/api/risk/firms/{next(iter(tiers))}", "/credit/risk/note.pdf"):
        assert client.get(url).status_code in (302, 401), url  # the risk engine's pages are for officers
    for url, text in pages.items():
        assert '"tier"' not in text and "risk_tier" not in text and "风险等级" not in text, url
        assert '"score"' not in text, url
        assert not any(s in text for s in scores), url
        if text.startswith(("{", "[")):  # JSON: no object naming a firm holds its tier as a value
            for obj in _objects(json.loads(text)):
                if obj.get("uscc") in tiers:
                    assert tiers[obj["uscc"]] not in [v for v in obj.values() if isinstance(v, str)], (url, obj)
            continue
        for uscc, tier in tiers.items():  # pages and text files: no line naming a firm carries its tier
            for line in (line for line in text.splitlines() if uscc in line):
                assert not re.search(rf"(?:^|[\t>\" ]){tier}(?:$|[\t<\" ])", line), (url, line)


def _scored(engine: Any, tiers: dict[str, str]) -> list[str]:
    """Store a scoring run's scores for these firms; return each score as a page would print it."""
    from credit.risk.models import RiskRun, RiskScore

    shown = []
    with unit_of_work(engine) as session:
        run = RiskRun(model_sha256="f" * 64, as_of=date(2026, 12, 1), state="finished", started_by="cli")
        session.add(run)
        session.flush()
        for n, (uscc, tier) in enumerate(sorted(tiers.items())):
            firm = session.exec(select(Enterprise).where(Enterprise.uscc == uscc)).one()
            score = 0.8731 - n / 1000
            session.add(RiskScore(enterprise_id=firm.id or 0, score=score, score_tier=tier, tier=tier,
                                  model_sha256="f" * 64, run_id=run.id or 0, scored_on=date(2026, 12, 1)))  # fmt: skip
            shown += [f"{score:.4f}", f"{score:.1%}"]
    return shown


def _objects(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, dict):
        return [value, *(o for v in value.values() for o in _objects(v))]
    if isinstance(value, list):
        return [o for v in value for o in _objects(v)]
    return []
