"""检查要点 (按标执法): items carry their checklists as data, kept by spreadsheet and published with the list."""

import io
import json
from typing import Any

from sqlmodel import Session, col, func, select

from inspections.models import CheckPoint, InspectionItem, PointResult
from supervise.tabular import read_table
from tests.conftest import Runner, bearer, csrf_token, login
from tests.drawkit import add_firms, ceremony, make_task


def _seed(app: Any) -> None:
    from seeds.inspections import seed_inspections
    from supervise.db import unit_of_work

    with unit_of_work(app.extensions["supervise.engine"]) as session:
        seed_inspections(session, seed=7)  # the items, their checklists and the demo's recorded visits


def test_an_item_shows_its_points_by_command_and_api(app: Any, client: Any, province: Any) -> None:
    _seed(app)
    shown = Runner(app).invoke(["item", "show", "SCJG-002", "--json"])
    assert shown.exit_code == 0, shown.output
    detail = json.loads(shown.output)
    assert detail["code"] == "SCJG-002" and 5 <= len(detail["points"]) <= 12
    assert [p["seq"] for p in detail["points"]] == sorted(p["seq"] for p in detail["points"])
    assert all(p["legal_basis"] and p["criterion"] for p in detail["points"])
    assert client.get("/api/items/SCJG-002").get_json() == detail
    assert client.get("/api/items/NOPE").status_code == 404
    page = client.get("/public/items").get_data(as_text=True)
    assert "从业人员取得健康证明后上岗" in page and "第四十五条" in page


def test_checklists_are_replaced_from_a_spreadsheet_all_rows_or_none(
    app: Any, client: Any, engine: Any, province: Any
) -> None:
    _seed(app)
    exported = client.get("/api/items/checklists.xlsx")
    assert exported.status_code == 200
    rows = read_table("x.xlsx", exported.data, required=("item_code", "seq", "text"))
    assert any(r["item_code"] == "SCJG-003" for _line, r in rows)
    csv = "item_code,seq,text,legal_basis,criterion,severity,discretion_ref\n"
    bad = (
        csv + "SCJG-001,1,年报按期公示,《企业信息公示暂行条例》第八条,按期公示,一般,\nSCJG-001,1,重复,依据,标准,极重,\n"
    )
    refused = client.post(
        "/api/items/checklists", data={"file": (io.BytesIO(bad.encode()), "points.csv")},
        headers=bearer(app, "admin"), content_type="multipart/form-data",
    )  # fmt: skip
    fields = {f["field"] for f in refused.get_json()["fields"]}
    assert refused.status_code == 422 and {"line 3: seq", "line 3: severity"} <= fields
    with Session(engine) as session:
        item = session.exec(select(InspectionItem).where(InspectionItem.code == "SCJG-004")).one()
        assert len(session.exec(select(CheckPoint).where(CheckPoint.item_id == item.id)).all()) == 5  # untouched
    good = csv + "SCJG-004,1,广告内容真实,《中华人民共和国广告法》第四条,不含虚假内容,较重,\n"
    login(client, "admin")
    done = client.post(
        "/admin/items/checklists",
        data={"file": (io.BytesIO(good.encode()), "points.csv"), "csrf_token": csrf_token(client, "/admin/items")},
        content_type="multipart/form-data",
    )
    assert done.status_code == 302
    with Session(engine) as session:
        points = session.exec(
            select(CheckPoint).where(CheckPoint.item_id == item.id).order_by(col(CheckPoint.seq))
        ).all()
    assert [(p.seq, p.severity) for p in points] == [(1, "较重")]
    page = client.get("/admin/items").get_data(as_text=True)
    assert (
        "1 项" in page and "<td>浙江省市场监督管理局</td>" in page and "<td>SCJG</td>" not in page
    )  # names, not codes


def _upload(client: Any, app: Any, text: str) -> Any:
    return client.post(
        "/api/items/checklists", data={"file": (io.BytesIO(text.encode()), "points.csv")},
        headers=bearer(app, "admin"), content_type="multipart/form-data",
    )  # fmt: skip


def test_points_recorded_at_visits_keep_their_ids_and_cannot_be_dropped(
    app: Any, client: Any, engine: Any, province: Any
) -> None:
    add_firms(engine, 30)
    make_task(engine, "T1", window=("2026-07-01", "2026-12-31"))
    ceremony(engine, "T1")
    head = "item_code,seq,text,legal_basis,criterion\n"
    basis = "《企业信息公示暂行条例》"
    two = head + f"I-SCJG,1,年报按期公示,{basis},按期公示\nI-SCJG,2,住所可联系,{basis},可联系\n"
    assert _upload(client, app, two).status_code == 200
    headers = bearer(app, "inspector")
    visit = client.get("/api/assignments", headers=headers).get_json()[0]
    points = [{"point_id": p["id"], "outcome": "符合"} for p in visit["items"][0]["points"]]
    body = {"category": "未发现问题", "inspected_on": "2026-07-02", "points": points}
    assert client.post(f"/api/assignments/{visit['target_id']}/result", json=body, headers=headers).status_code == 201
    with Session(engine) as session:
        before = {p.seq: p.id for p in session.exec(select(CheckPoint)).all()}
    reworded = _upload(client, app, two.replace("按期公示,", "在6月30日前公示,"))
    assert reworded.status_code == 200, reworded.get_json()
    with Session(engine) as session:
        after = {p.seq: (p.id, p.text) for p in session.exec(select(CheckPoint)).all()}
        recorded = session.exec(select(func.count()).select_from(PointResult)).one()
    assert {s: i for s, (i, _t) in after.items()} == before and after[1][1] == "年报在6月30日前公示"
    assert recorded == 2  # the visit still points at them
    refused = _upload(client, app, head + "I-SCJG,1,年报,《企业信息公示暂行条例》,按期公示\n")
    assert refused.status_code == 422 and "已用于检查记录" in refused.get_json()["fields"][0]["message"]


def test_an_item_takes_several_check_methods(app: Any, client: Any, province: Any) -> None:
    body = {
        "code": "SCJG-009",
        "department_kind": "SCJG",
        "name": "产品质量监督抽查",
        "legal_basis": "《中华人民共和国产品质量法》第十五条",
        "check_methods": ["实地核查", "检验检测"],
    }
    added = client.post("/api/items", json=body, headers=bearer(app, "admin"))
    assert added.status_code == 201 and added.get_json()["check_methods"] == ["实地核查", "检验检测"]
    wrong = client.post(
        "/api/items", json=body | {"code": "SCJG-010", "check_methods": ["电话核查"]}, headers=bearer(app, "admin")
    )
    assert wrong.status_code == 422 and wrong.get_json()["fields"][0]["field"].startswith("check_methods")
